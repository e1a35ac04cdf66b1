"""The Korean salary parser: every way a person writes an amount reads to the same 만원, or is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain.money import BARE_WON_FROM, MoneyError, format_manwon, parse_manwon

DIGITS = "영일이삼사오육칠팔구"


def korean_numerals(n: int) -> str:
    """``n`` (< 10,000) in Korean numerals, as people write them: 7500 → 칠천오백."""
    out = ""
    for unit, name in ((1000, "천"), (100, "백"), (10, "십")):
        d, n = divmod(n, unit)
        if d:
            out += ("" if d == 1 else DIGITS[d]) + name
    return out + (DIGITS[n] if n else "")


def mixed(n: int) -> str:
    """``n`` (< 10,000) with digits and unit words: 7500 → 7천5백."""
    out = ""
    for unit, name in ((1000, "천"), (100, "백"), (10, "십")):
        d, n = divmod(n, unit)
        if d:
            out += f"{d}{name}"
    return out + (str(n) if n else "")


def spelled(manwon: int, group: callable) -> str:  # type: ignore[valid-type]
    eok, rest = divmod(manwon, 10_000)
    return (f"{group(eok)}억 " if eok else "") + (f"{group(rest)}만원" if rest else "원")


@pytest.mark.parametrize(
    ("text", "manwon"),
    [
        ("7,500", 7500),
        ("7500", 7500),
        ("7500만원", 7500),
        ("7,500 만원", 7500),
        ("칠천만원", 7000),
        ("7천5백만원", 7500),
        ("75,000,000", 7500),
        ("75,000,000원", 7500),
        ("₩75,000,000", 7500),
        ("1억 2천만원", 12000),
        ("0.75억", 7500),
        ("칠천", 7000),
        ("7천5백", 7500),
        ("약 칠천 정도", 7000),
        ("연봉 5,000만원 이상", 5000),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_examples_from_the_issue_and_the_docs(text: str | None, manwon: int | None) -> None:
    assert parse_manwon(text) == manwon


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("$70,000", "currency"),
        ("7000 달러", "currency"),
        ("6000~8000", "range"),
        ("-100", "negative"),
        ("7500.5", "not_whole"),
        ("75,005,000", "not_whole"),
        ("만원", "bad_amount"),
        ("협의", "bad_amount"),
        ("7,5000", "bad_amount"),
        ("칠천 정도요", "bad_amount"),
        ("협의", "bad_amount"),
        ("1만 2억", "bad_amount"),
    ],
)
def test_what_cannot_be_read_exactly_is_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(MoneyError) as info:
        parse_manwon(text)
    assert info.value.code == code
    assert info.value.message


@given(st.integers(0, BARE_WON_FROM - 1))
def test_bare_numbers_below_the_threshold_are_manwon(n: int) -> None:
    assert parse_manwon(str(n)) == n
    assert parse_manwon(f"{n:,}") == n
    assert parse_manwon(f"{n}만원") == n or n == 0


@given(st.integers(10, 1_000_000))
def test_won_with_separators_or_unit_read_to_manwon(n: int) -> None:
    assert parse_manwon(f"{n * 10_000:,}") == n
    assert parse_manwon(f"{n * 10_000}원") == n
    assert parse_manwon(f"{n * 10_000:,} 원") == n


@given(st.integers(1, 999_999))
def test_korean_numerals_and_mixed_units_read_back(n: int) -> None:
    assert parse_manwon(spelled(n, korean_numerals)) == n
    assert parse_manwon(spelled(n, mixed)) == n
    assert parse_manwon(spelled(n, str)) == n


@given(st.integers(1, 1_000_000))
def test_the_korean_display_reads_back(n: int) -> None:
    assert parse_manwon(format_manwon(n, "ko")) == n
    assert parse_manwon(format_manwon(n, "en").replace("KRW ", "") + "원") == n


@given(st.text(max_size=20))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        value = parse_manwon(text)
    except MoneyError as exc:
        assert exc.code in {"bad_amount", "not_whole", "currency", "range", "negative"}
    else:
        assert value is None or (isinstance(value, int) and value >= 0)
