"""Programme and round forms as people fill them in: every field checked at once, with message ids (English
sentences the pages translate) for each problem. Dates and times are Korean time, stored in UTC."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from talentbridge.domain import Program
from talentbridge.domain.enums import CAPITAL_AREA, ProgramKind, ProgramStatus, Region
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.programs.round_instance import CAPITAL

__all__ = ["KST", "MECHANISMS", "PROPOSING", "CAP_KEYS", "parse_program_form", "parse_round_form"]

#: Dates and times in forms are Korean time; they are stored in UTC.
KST = ZoneInfo("Asia/Seoul")
MECHANISMS = ("da", "flexible-da", "max-welfare")
PROPOSING = ("applicants", "programs")
#: Regional cap keys offered in the form: the capital area as a whole, then every region outside it.
CAP_KEYS = (CAPITAL, *(r.value for r in Region if r not in CAPITAL_AREA))
_MAX_CAP = 1_000_000


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return "" if value is None else str(value).strip()


def _whole(raw: str, loc: str, problems: list[Problem], low: int, high: int, message: str) -> int | None:
    text = raw.replace(",", "").strip()
    if not re.fullmatch(r"[+]?\d+", text) or not low <= int(text) <= high:
        problems.append(Problem((loc,), message, raw))
        return None
    return int(text)


def _date(raw: str, loc: str, problems: list[Problem]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(Problem((loc,), "Enter a date such as 2027-03-01.", raw))
        return None


def _moment(raw: str, loc: str, problems: list[Problem]) -> datetime | None:
    """``YYYY-MM-DDTHH:MM`` (an HTML datetime-local value) or ``YYYY-MM-DD HH:MM``, Korean time → UTC."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "T"))
    except ValueError:
        problems.append(Problem((loc,), "Enter a date and time such as 2027-03-01 18:00.", raw))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(UTC)


def parse_program_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """A programme's fields from a form; every bad field is reported at once (ValidationFailed)."""
    problems: list[Problem] = []
    name = _text(form, "name")
    if not name:
        problems.append(Problem(("name",), "Enter a name.", name, "missing"))
    elif len(name) > 200:
        problems.append(Problem(("name",), "At most 200 characters.", name[:40]))
    kind = _text(form, "kind")
    if kind not in {k.value for k in ProgramKind}:
        problems.append(Problem(("kind",), "Choose a kind from the list.", kind))
    status = _text(form, "status") or ProgramStatus.PLANNED.value
    if status not in {s.value for s in ProgramStatus}:
        problems.append(Problem(("status",), "Choose a status from the list.", status))
    description = _text(form, "description")
    if len(description) > 20_000:
        problems.append(Problem(("description",), "At most 20,000 characters.", description[:40]))
    start = _date(_text(form, "start_date"), "start_date", problems)
    end = _date(_text(form, "end_date"), "end_date", problems)
    if start and end and end < start:
        problems.append(Problem(("end_date",), "The end date is before the start date.", end.isoformat()))
    if problems:
        raise ValidationFailed("invalid programme", problems)
    return {
        "name": name,
        "kind": kind,
        "status": status,
        "description": description or None,
        "start_date": start,
        "end_date": end,
    }


def parse_round_form(
    form: Mapping[str, Any], program: Program, now: datetime, *, deadline_editable: bool = True
) -> dict[str, Any]:
    """A round's fields from a form (name, mechanism, proposing side, seed, deadline in Korean time, regional
    caps as ``cap:<key>`` fields, secondment rules); every bad field is reported at once."""
    problems: list[Problem] = []
    name = _text(form, "name")
    if not name:
        problems.append(Problem(("name",), "Enter a name.", name, "missing"))
    elif len(name) > 200:
        problems.append(Problem(("name",), "At most 200 characters.", name[:40]))
    mechanism = _text(form, "mechanism") or "da"
    if mechanism not in MECHANISMS:
        problems.append(Problem(("mechanism",), "Choose a mechanism from the list.", mechanism))
    proposing = _text(form, "proposing") or "applicants"
    if proposing not in PROPOSING:
        problems.append(Problem(("proposing",), "Choose who proposes from the list.", proposing))
    seed_raw = _text(form, "seed") or "0"
    seed = _whole(seed_raw, "seed", problems, 0, 2**31 - 1, "The seed is a whole number of 0 or more.")
    deadline = None
    if deadline_editable:
        deadline = _moment(_text(form, "preference_deadline"), "preference_deadline", problems)
        if deadline is not None:
            if deadline <= now:
                problems.append(
                    Problem(
                        ("preference_deadline",),
                        "The deadline must be in the future.",
                        _text(form, "preference_deadline"),
                    )
                )
            end = program.end_date
            if end is not None and deadline.astimezone(KST).date() > end:
                problems.append(
                    Problem(
                        ("preference_deadline",),
                        "The deadline must be before the programme ends.",
                        _text(form, "preference_deadline"),
                    )
                )
    caps: dict[str, int] = {}
    for key in CAP_KEYS:
        raw = _text(form, f"cap:{key}")
        if raw:
            value = _whole(raw, f"cap:{key}", problems, 0, _MAX_CAP, "A cap is a whole number of 0 or more.")
            if value is not None:
                caps[key] = value
    for key in (r.value for r in CAPITAL_AREA):
        if _text(form, f"cap:{key}"):
            problems.append(
                Problem(
                    (f"cap:{key}",),
                    "Seoul, Incheon and Gyeonggi are capped together as the capital area.",
                    _text(form, f"cap:{key}"),
                )
            )
    if caps and mechanism == "da":
        problems.append(
            Problem(
                ("mechanism",),
                "Deferred acceptance ignores regional caps: choose flexible DA or maximum welfare, or remove the caps.",
                mechanism,
            )
        )
    rules = _text(form, "secondment_rules")
    if problems:
        raise ValidationFailed("invalid round", problems)
    data: dict[str, Any] = {
        "name": name,
        "mechanism": mechanism,
        "proposing": proposing,
        "seed": seed,
        "regional_caps": caps,
        "secondment_rules": rules in ("on", "1", "true", "yes"),
    }
    if deadline_editable:
        data["preference_deadline"] = deadline
    return data
