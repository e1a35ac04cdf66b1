"""Cell readers of the imports: one function per column kind turns a cell (text from CSV, a typed value from XLSX
or JSON) into the value the domain model takes, or raises ``CellError`` saying why, in words a person can act on.

``READERS`` maps a column kind (``importing.Column.kind``) to its reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from talentbridge.domain.enums import REGION_NAMES_EN, REGION_NAMES_KO, Region

__all__ = ["READERS", "CellError", "is_blank"]


class CellError(ValueError):
    """A cell that cannot be read; ``value`` is the offending part."""

    def __init__(self, msg: str, value: Any = None, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(msg)
        self.msg = msg
        self.value = value
        self.loc = loc


_TRUE = {"true", "t", "yes", "y", "1", "on", "o", "예", "네", "참", "y(es)"}
_FALSE = {"false", "f", "no", "n", "0", "off", "x", "아니오", "아니요", "거짓"}

_REGION_ALIASES: dict[str, Region] = {}


def _region_aliases() -> dict[str, Region]:
    if not _REGION_ALIASES:
        short = {
            "서울": Region.SEOUL, "부산": Region.BUSAN, "대구": Region.DAEGU, "인천": Region.INCHEON,
            "광주": Region.GWANGJU, "대전": Region.DAEJEON, "울산": Region.ULSAN, "세종": Region.SEJONG,
            "경기": Region.GYEONGGI, "강원": Region.GANGWON, "충북": Region.CHUNGBUK, "충남": Region.CHUNGNAM,
            "전북": Region.JEONBUK, "전남": Region.JEONNAM, "경북": Region.GYEONGBUK, "경남": Region.GYEONGNAM,
            "제주": Region.JEJU, "강원도": Region.GANGWON, "전라북도": Region.JEONBUK, "제주도": Region.JEJU,
        }  # fmt: skip
        for region in Region:
            _REGION_ALIASES[region.value] = region
            _REGION_ALIASES[REGION_NAMES_EN[region].lower()] = region
            _REGION_ALIASES[REGION_NAMES_KO[region]] = region
        _REGION_ALIASES.update(short)
    return _REGION_ALIASES


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _read_str(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, list | dict):
        raise CellError("expected text, not a list or object", value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(value)


def _read_money(value: Any) -> int | None:
    """A yearly salary in 만원, read as the forms read it (``domain/money.py``: 7,500 / 7500만원 / 칠천오백만원 /
    75,000,000원); anything else is a cell error with the reason."""
    from talentbridge.domain.money import MoneyError, parse_manwon

    if isinstance(value, bool):
        raise CellError("expected an amount in 만원", value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("give the amount in whole 만원 (10,000 won)", value)
        value = int(value)
    try:
        return parse_manwon(value if isinstance(value, int) else _read_str(value))
    except MoneyError as exc:
        raise CellError(exc.message, value) from exc


def _read_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("expected a whole number", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("expected a whole number", value)
    text = _read_str(value).replace(",", "").replace("_", "")
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise CellError("expected a whole number", value) from None
        if number.is_integer():
            return int(number)
        raise CellError("expected a whole number", value) from None


def _read_float(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError("expected a number", value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(_read_str(value).replace(",", ""))
    except ValueError:
        raise CellError("expected a number", value) from None


def _read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _read_str(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("expected true or false (also yes/no, 1/0, 예/아니오)", value)


_DATE_RE = re.compile(r"^(\d{4})[-./ ](\d{1,2})[-./ ](\d{1,2})\.?$")


def _read_date(value: Any) -> date:
    if type(value) is str and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _read_str(value)
    match = _DATE_RE.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError("expected a date as YYYY-MM-DD", value)


def _read_enum(value: Any) -> str:
    return _read_str(value).lower()


def _read_region(value: Any) -> str:
    text = _read_str(value)
    region = _region_aliases().get(text) or _region_aliases().get(text.lower())
    return region.value if region else text.lower()


def _read_visa(value: Any) -> str:
    text = _read_str(value).upper().replace(" ", "")
    match = re.fullmatch(r"([A-H])-?(\d{1,2})(?:-\d+)?", text)
    return f"{match[1]}-{match[2]}" if match else _read_str(value).lower() if text == "OTHER" else text


def _split_list(value: Any) -> list[Any]:
    """A list cell: a JSON array, a native list, or text separated by ``;`` (newlines also separate)."""
    if isinstance(value, list):
        return value
    text = _read_str(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise CellError(f"starts with '[' but is not valid JSON ({exc})", value) from None
        if not isinstance(parsed, list):
            raise CellError("expected a JSON array", value)
        return parsed
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def _read_list(value: Any) -> list[str]:
    out = []
    for item in _split_list(value):
        if isinstance(item, list | dict):
            raise CellError("expected a list of texts", item)
        out.append(_read_str(item))
    return out


def _read_enum_list(value: Any) -> list[str]:
    return [item.lower() for item in _read_list(value)]


# compact forms: the id may itself contain ':' (ESCO URIs), so the numeric parts are matched from the end
_URI_RE = re.compile(r"^(https?|urn):", re.IGNORECASE)


def _bad_skill_id(skill_id: str | None) -> bool:
    return not skill_id or (":" in skill_id and not _URI_RE.match(skill_id))


def _read_skills(value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_split_list(value)):
        if isinstance(item, dict):
            out.append(item)
            continue
        text = _read_str(item)
        match = re.match(r"^(?P<id>.+?)(?::(?P<level>\d+))?(?::(?P<years>\d+(?:\.\d*)?)?)?$", text)
        if not match or _bad_skill_id(match["id"]):
            raise CellError("expected skill_id:level[:years], e.g. pytorch:4:3", text, (i,))
        entry: dict[str, Any] = {"skill_id": match["id"]}
        if match["level"]:
            entry["level"] = int(match["level"])
        if match["years"]:
            entry["years"] = float(match["years"])
        out.append(entry)
    return out


def _read_required_skills(value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_split_list(value)):
        if isinstance(item, dict):
            out.append(item)
            continue
        text = _read_str(item)
        match = re.match(r"^(?P<id>.+?)(?::(?P<level>\d+))?(?::(?P<importance>[A-Za-z]+))?$", text)
        if not match or _bad_skill_id(match["id"]):
            raise CellError("expected skill_id:min_level[:must|should|nice], e.g. pytorch:3:must", text, (i,))
        entry: dict[str, Any] = {"skill_id": match["id"]}
        if match["level"]:
            entry["min_level"] = int(match["level"])
        if match["importance"]:
            entry["importance"] = match["importance"].lower()
        out.append(entry)
    return out


def _read_pipes(value: Any, names: tuple[str, ...], example: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_split_list(value)):
        if isinstance(item, dict):
            out.append(item)
            continue
        text = _read_str(item)
        parts = [p.strip() for p in text.split("|")]
        if len(parts) > len(names):
            raise CellError(f"expected {'|'.join(names)}, e.g. {example}", text, (i,))
        out.append({name: part for name, part in zip(names, parts, strict=False) if part != ""})
    return out


def _read_education(value: Any) -> list[dict[str, Any]]:
    entries = _read_pipes(value, ("degree", "field", "institution", "year"), "master|Computer Science|KAIST|2020")
    for entry in entries:
        if isinstance(entry.get("degree"), str):
            entry["degree"] = entry["degree"].lower()
    return entries


def _read_work_history(value: Any) -> list[dict[str, Any]]:
    entries = _read_pipes(value, ("organization", "title", "start", "end"), "한빛전자|ML Engineer|2021-03-01|")
    for i, entry in enumerate(entries):
        for key in ("start", "end"):
            if isinstance(entry.get(key), str):
                try:
                    entry[key] = _read_date(entry[key])
                except CellError as exc:
                    raise CellError(f"{key}: {exc.msg}", entry[key], (i, key)) from None
    return entries


READERS: dict[str, Callable[[Any], Any]] = {
    "str": _read_str,
    "int": _read_int,
    "money": _read_money,
    "float": _read_float,
    "bool": _read_bool,
    "date": _read_date,
    "enum": _read_enum,
    "region": _read_region,
    "visa": _read_visa,
    "list": _read_list,
    "enum_list": _read_enum_list,
    "skills": _read_skills,
    "required_skills": _read_required_skills,
    "education": _read_education,
    "work_history": _read_work_history,
}


is_blank = _is_blank
