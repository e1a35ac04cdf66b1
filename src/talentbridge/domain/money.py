"""Korean amounts of money as people type them into a salary field, read into 만원 (10,000 KRW).

The unit rule (documented in docs/openings.md):

* A number with a unit is read in that unit: ``7500만원``, ``7천5백만원``, ``칠천만원``, ``1억 2천만원``,
  ``0.75억``, ``75,000,000원``.
* A bare number below 100,000 is in 만원 (salary fields say "만원"): ``7,500``, ``7500``, ``7천5백`` and
  ``칠천오백`` are 7,500만원.
* A bare number of 100,000 or more is in 원 (won), as on a pay slip: ``75,000,000`` is 7,500만원.
* Anything else is refused with a reason, never guessed: a foreign currency, a negative or fractional 만원
  amount (``75,005,000원`` is not a whole number of 만원), stray words, two numbers in one field.

:func:`parse_manwon` returns a whole number of 만원 or raises :class:`MoneyError`, whose ``message`` is an
English sentence used as the translation id (pages show it in Korean) and whose ``code`` is stable.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["MoneyError", "parse_manwon", "format_manwon", "BARE_WON_FROM"]

#: Bare numbers at or above this are read as 원, below it as 만원.
BARE_WON_FROM = 100_000

_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_BIG_UNITS = {"만": 10_000, "억": 100_000_000, "조": 1_000_000_000_000}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ALLOWED = re.compile(r"^[0-9.영공일이삼사오육륙칠팔구십백천만억조]+$")


class MoneyError(ValueError):
    """An amount that cannot be read. ``message`` is the English text (and translation id)."""

    def __init__(self, code: str, message: str, value: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.value = value


def _clean(text: str) -> str:
    out = text.strip()
    out = re.sub(r"(?<=\d),(?=\d{3}(\D|$))", "", out)  # thousands separators only
    out = re.sub(r"\s+", "", out)
    for prefix in ("연봉", "연", "약"):
        if out.startswith(prefix):
            out = out[len(prefix) :]
    for suffix in ("이상", "정도", "내외", "/년", "(연)", "KRW", "krw", "₩"):
        if out.endswith(suffix):
            out = out[: -len(suffix)]
    if out.startswith("₩"):
        out = out[1:] + "원" if not out.endswith("원") else out[1:]
    return out


def _small_group(text: str, raw: str) -> Decimal:
    """A group below 10,000 written with digits, Korean numerals and 십/백/천: ``7천5백``, ``칠천``, ``7500``."""
    if not text:
        return Decimal(1)  # "만원" alone, "억" alone: one of the unit
    total = Decimal(0)
    current: Decimal | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        m = _NUMBER.match(text, i)
        if m:
            if current is not None:
                raise MoneyError("bad_amount", "could not read this amount", raw)
            current = Decimal(m.group())
            i = m.end()
            continue
        if ch in _DIGITS:
            if current is not None:
                raise MoneyError("bad_amount", "could not read this amount", raw)
            current = Decimal(_DIGITS[ch])
            i += 1
            continue
        if ch in _SMALL_UNITS:
            total += (current if current is not None else Decimal(1)) * _SMALL_UNITS[ch]
            current = None
            i += 1
            continue
        raise MoneyError("bad_amount", "could not read this amount", raw)
    if current is not None:
        total += current
    return total


def _korean_won(text: str, raw: str) -> Decimal:
    """Won in an amount written with 만/억/조 groups (digits or Korean numerals inside each group)."""
    total = Decimal(0)
    rest = text
    seen: list[int] = []
    while True:
        m = re.search("[만억조]", rest)
        if not m:
            break
        unit = _BIG_UNITS[m.group()]
        if seen and unit >= seen[-1]:
            raise MoneyError("bad_amount", "could not read this amount", raw)
        seen.append(unit)
        total += _small_group(rest[: m.start()], raw) * unit
        rest = rest[m.end() :]
    if rest:
        total += _small_group(rest, raw)
    return total


def parse_manwon(text: str | int | None) -> int | None:
    """Read a yearly salary typed by a person into a whole number of 만원; ``None`` for an empty field.

    Raises :class:`MoneyError` for anything it cannot read exactly (see the module docstring for the rule).
    """
    if text is None:
        return None
    raw = str(text)
    if not raw.strip():
        return None
    s = _clean(raw)
    if not s:
        return None
    if s.startswith("-"):
        raise MoneyError("negative", "an amount cannot be negative", raw)
    if re.search(r"[$€£¥]|usd|eur|달러|엔|유로", s, re.IGNORECASE):
        raise MoneyError("currency", "give the amount in Korean won (만원)", raw)
    if re.search(r"[~–-]", s):
        raise MoneyError("range", "one amount per field: put the lowest in “from” and the highest in “to”", raw)
    unit_won = s.endswith("원") and not s.endswith("만원")
    body = s[:-1] if s.endswith("원") else s
    if not body or not _ALLOWED.match(body) or not re.search("[0-9영공일이삼사오육륙칠팔구십백천]", body):
        raise MoneyError("bad_amount", "could not read this amount", raw)
    try:
        if re.fullmatch(r"\d+(\.\d+)?", body):
            number = Decimal(body)
            won = number if unit_won or number >= BARE_WON_FROM else number * 10_000
        elif unit_won or re.search("[만억조]", body):
            won = _korean_won(body, raw)
        else:  # Korean numerals without a unit, like a bare number: 칠천 → 7,000만원
            number = _small_group(body, raw)
            won = number if number >= BARE_WON_FROM else number * 10_000
    except InvalidOperation as exc:
        raise MoneyError("bad_amount", "could not read this amount", raw) from exc
    manwon = won / 10_000
    if manwon != manwon.to_integral_value():
        raise MoneyError("not_whole", "give the amount in whole 만원 (10,000 won)", raw)
    return int(manwon)


def format_manwon(amount: int | None, lang: str = "ko") -> str:
    """``7500`` → ``7,500만원`` (Korean) or ``KRW 75,000,000`` (English); empty for ``None``."""
    if amount is None:
        return ""
    if lang == "ko":
        if amount >= 10_000:
            eok, rest = divmod(amount, 10_000)
            return f"{eok}억" + (f" {rest:,}만원" if rest else "원")
        return f"{amount:,}만원"
    return f"KRW {amount * 10_000:,}"
