"""The organization's opening form: read every field a job ad needs from the posted form, keep every value the
person typed (a refused value is shown back with the reason, never dropped), and turn validation errors into
sentences in the reader's language, each naming its field.

Salaries go through :func:`talentbridge.domain.money.parse_manwon` ("7,500", "7500만원", "칠천만원",
"75,000,000" are all 7,500만원).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError

from talentbridge.domain import OpeningData
from talentbridge.domain.enums import Degree, Importance, OpeningKind, OpeningStatus
from talentbridge.domain.money import MoneyError, parse_manwon
from talentbridge.domain.opening import ContractType

__all__ = ["read_opening_form", "field_errors", "FIELD_LABELS", "blank_form", "form_from_opening"]


def _(text: str) -> str:
    """Marks a message id for the catalog extractor; translated where it is shown."""
    return text


#: Form field -> its label (a message id).
FIELD_LABELS: dict[str, str] = {
    "title": _("Title"),
    "kind": _("Kind"),
    "contract_type": _("Employment type"),
    "description": _("Description"),
    "region": _("Region"),
    "remote": _("Remote"),
    "seats": _("Seats"),
    "salary_min": _("Salary from"),
    "salary_max": _("Salary to"),
    "min_years_experience": _("Years of experience asked"),
    "min_degree": _("Degree asked"),
    "duration_months": _("Duration (months)"),
    "start_date": _("Start date"),
    "deadline": _("Application deadline"),
    "status": _("Status"),
    "required_skills": _("Required skills"),
    "form": _("Form"),
}

#: Validation messages shown to people (message ids); the domain's English messages map onto these.
MESSAGES = {
    "missing": _("is required"),
    "string_too_short": _("is required"),
    "string_too_long": _("is too long"),
    "greater_than_equal": _("is too small"),
    "greater_than": _("is too small"),
    "less_than_equal": _("is too large"),
    "less_than": _("is too large"),
    "enum": _("choose one of the options"),
    "int_parsing": _("is not a whole number"),
    "int_from_float": _("is not a whole number"),
    "float_parsing": _("is not a number"),
    "date_from_datetime_parsing": _("is not a date (YYYY-MM-DD)"),
    "date_parsing": _("is not a date (YYYY-MM-DD)"),
    "salary_max is below salary_min": _("the highest salary is below the lowest"),
    "give a region, or set remote to true": _("give a region, or tick “Remote”"),
    "a required skill is listed twice": _("a required skill is listed twice"),
    "could not read this amount": _("could not read this amount; write it like 7,500 or 7500만원"),
    "give the amount in whole 만원 (10,000 won)": _("give the amount in whole 만원 (10,000 won)"),
    "give the amount in Korean won (만원)": _("give the amount in Korean won (만원)"),
    "an amount cannot be negative": _("an amount cannot be negative"),
    "one amount per field: put the lowest in “from” and the highest in “to”": _(
        "one amount per field: put the lowest in “from” and the highest in “to”"
    ),
    "unknown_skill": _("is not a skill of the taxonomy"),
    "invalid": _("is not valid"),
}

#: Whole-record problems of the domain, shown beside the field they are about.
_MODEL_FIELDS = {
    "salary_max is below salary_min": "salary_max",
    "give a region, or set remote to true": "region",
    "a required skill is listed twice": "required_skills",
}

# Coded values shown through _(value) on the opening pages.
_CODED = [_("permanent"), _("contract"), _("part_time"), _("freelance")]
_CODED += [_("high_school"), _("associate"), _("bachelor"), _("master"), _("doctorate")]


def blank_form() -> dict[str, Any]:
    return {"kind": "job", "status": "open", "seats": "1", "skills": []}


def form_from_opening(opening: Any) -> dict[str, Any]:
    """The edit form of a stored opening (values as text, as the person would type them)."""
    data = opening.model_dump(mode="json")
    form = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list | dict)}
    form["remote"] = bool(opening.remote)
    form["visa_sponsorship"] = bool(opening.visa_sponsorship)
    form["skills"] = [
        {"skill_id": s.skill_id, "importance": s.importance.value, "min_level": s.min_level}
        for s in opening.required_skills
    ]
    return form


def _text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()


def read_opening_form(
    form: Any, organization_id: int, known_skill: Callable[[str], bool]
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str, Any]]]:
    """``(data, echo, problems)``: the record to validate, the values to show back in the form, and problems
    found while reading (field, message id, value). Nothing typed is dropped: a value that cannot be read is
    kept in ``echo`` and reported."""
    problems: list[tuple[str, str, Any]] = []
    echo: dict[str, Any] = {k: _text(form, k) for k in FIELD_LABELS if k not in ("remote", "required_skills", "form")}
    echo["remote"] = form.get("remote") == "on"
    echo["visa_sponsorship"] = form.get("visa_sponsorship") == "on"
    skills: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in form.getlist("accept"):
        sid = str(raw).strip()
        if not sid or sid in seen:
            continue
        seen.add(sid)
        importance = str(form.get(f"importance:{sid}") or "should")
        level_text = str(form.get(f"level:{sid}") or "3")
        entry = {"skill_id": sid, "importance": importance, "min_level": level_text}
        skills.append(entry)
        if not known_skill(sid):
            problems.append(("required_skills", MESSAGES["unknown_skill"], sid))
        if importance not in {i.value for i in Importance}:
            problems.append(("required_skills", MESSAGES["enum"], importance))
        if not level_text.isdigit() or not 1 <= int(level_text) <= 5:
            problems.append(("required_skills", _("a minimum level is 1 to 5"), level_text))
    echo["skills"] = skills

    data: dict[str, Any] = {
        "organization_id": organization_id,
        "kind": echo["kind"] or OpeningKind.JOB.value,
        "title": echo["title"],
        "description": echo["description"] or None,
        "contract_type": echo["contract_type"] or None,
        "region": echo["region"] or None,
        "remote": echo["remote"],
        "visa_sponsorship": echo["visa_sponsorship"],
        "status": echo["status"] or OpeningStatus.OPEN.value,
        "min_degree": echo["min_degree"] or None,
        "start_date": echo["start_date"] or None,
        "deadline": echo["deadline"] or None,
        "required_skills": [
            {**s, "min_level": int(s["min_level"]) if s["min_level"].isdigit() else s["min_level"]} for s in skills
        ],
    }
    for name in ("salary_min", "salary_max"):
        try:
            data[name] = parse_manwon(echo[name])
        except MoneyError as exc:
            problems.append((name, MESSAGES.get(exc.message, exc.message), echo[name]))
    for name, default in (("seats", 1), ("duration_months", None)):
        text = echo[name].replace(",", "").removesuffix("명").removesuffix("개월").strip()  # "2명", "6개월"
        if not text:
            data[name] = default
        elif text.isdigit():
            data[name] = int(text)
        else:
            problems.append((name, MESSAGES["int_parsing"], echo[name]))
    years = echo["min_years_experience"].replace("년", "").strip()
    if years:
        try:
            data["min_years_experience"] = float(years)
        except ValueError:
            problems.append(("min_years_experience", MESSAGES["float_parsing"], echo["min_years_experience"]))
    else:
        data["min_years_experience"] = None
    return data, echo, problems


def field_errors(
    exc: ValidationError | None, reading: list[tuple[str, str, Any]], tr: Callable[..., str]
) -> list[dict[str, str]]:
    """Every problem as ``{"field", "message"}`` in the reader's language ("Salary to: is too large")."""
    out: list[dict[str, str]] = []
    seen_fields = {f for f, _m, _v in reading}
    for name, message, value in reading:
        label = tr(FIELD_LABELS.get(name, name))
        text = f"{label}: {tr(message)}"
        if value not in (None, "") and name in ("salary_min", "salary_max", "required_skills", "seats"):
            text += f" ({value})"
        out.append({"field": name, "message": text})
    for err in exc.errors(include_url=False) if exc is not None else []:
        loc = [str(x) for x in err["loc"]]
        raw = err["msg"].removeprefix("Value error, ")
        name = loc[0] if loc else _MODEL_FIELDS.get(raw, "")
        if name in seen_fields:
            continue  # already reported from the form (e.g. an unreadable salary)
        message = MESSAGES.get(raw) or MESSAGES.get(err["type"]) or MESSAGES["invalid"]
        label = tr(FIELD_LABELS.get(name, FIELD_LABELS["form"]))
        out.append({"field": name or "form", "message": f"{label}: {tr(message)}"})
    return out


def choices() -> dict[str, Any]:
    """Options of the form's selects."""
    return {
        "kinds": list(OpeningKind),
        "statuses": list(OpeningStatus),
        "contract_types": list(ContractType),
        "degrees": list(Degree),
        "importances": list(Importance),
    }


def validate(data: dict[str, Any]) -> OpeningData:
    return OpeningData.model_validate(data)


def today() -> date:
    from datetime import UTC, datetime

    return datetime.now(UTC).date()
