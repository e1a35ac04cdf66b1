"""Evaluating a scheme version against facts, with three-valued conditions and reasons in Korean and English.

Guarantees: deterministic for given facts and date; a condition whose fact is missing is *unknown*, never met, so
an unknown fact never makes a scheme eligible; a scheme is eligible only when every condition is met (or does not
apply), not eligible when one is not met, and undetermined otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from talentbridge.support._facts import DEGREES, fact_label, format_value
from talentbridge.support._loader import RuleBook
from talentbridge.support._model import AllOf, Condition, Predicate, Scheme

__all__ = ["ConditionResult", "SchemeResult", "evaluate", "screen", "MET", "NOT_MET", "UNKNOWN", "NOT_APPLICABLE"]

MET, NOT_MET, UNKNOWN, NOT_APPLICABLE = "met", "not_met", "unknown", "not_applicable"
ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED, NOT_IN_FORCE = "eligible", "not_eligible", "undetermined", "not_in_force"

_OP_WORDS = {
    "eq": ("=", "="),
    "ne": ("≠", "≠"),
    "lt": ("<", "<"),
    "le": ("≤", "≤"),
    "gt": (">", ">"),
    "ge": ("≥", "≥"),
    "in": ("∈", "one of"),
    "not_in": ("∉", "none of"),
    "degree_ge": ("≥", "at least"),
    "known": ("확인", "known"),
}


@dataclass
class ConditionResult:
    id: str
    status: str
    label_ko: str
    label_en: str
    facts: dict[str, Any]
    reason_ko: str
    reason_en: str
    hint_ko: str | None = None
    hint_en: str | None = None
    verified: bool = True
    note: str | None = None


@dataclass
class SchemeResult:
    id: str
    version: str
    kind: str
    name_ko: str
    name_en: str
    agency: str
    legal_basis: str | None
    status: str
    verified: bool
    as_of: date
    effective_from: date | None
    effective_to: date | None
    conditions: list[ConditionResult] = field(default_factory=list)
    amount_min: int | None = None
    amount_max: int | None = None
    amount_to: str | None = None
    benefit_ko: str | None = None
    benefit_en: str | None = None
    milestones: list[dict[str, Any]] = field(default_factory=list)
    points: dict[str, Any] | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confirm_with: str | None = None
    settlement: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("as_of", "effective_from", "effective_to"):
            data[key] = data[key].isoformat() if data[key] else None
        for m in data["milestones"]:
            if isinstance(m.get("due"), date):
                m["due"] = m["due"].isoformat()
        return data


def _compare(value: Any, op: str, target: Any) -> bool:
    if op == "known":
        return True
    if isinstance(target, date) and isinstance(value, str):
        value = date.fromisoformat(value)
    if op == "eq":
        return bool(value == target)
    if op == "ne":
        return bool(value != target)
    if op == "in":
        return value in target
    if op == "not_in":
        return value not in target
    if op == "degree_ge":
        return value in DEGREES and DEGREES.index(value) >= DEGREES.index(target)
    if op == "lt":
        return bool(value < target)
    if op == "le":
        return bool(value <= target)
    if op == "gt":
        return bool(value > target)
    if op == "ge":
        return bool(value >= target)
    raise ValueError(op)


def _predicate(p: Predicate, facts: dict[str, Any]) -> str:
    value = facts.get(p.fact)
    if value is None:
        return UNKNOWN
    try:
        return MET if _compare(value, p.op, p.value) else NOT_MET
    except TypeError:
        return UNKNOWN


def _target_words(p: Predicate, lang: str) -> str:
    ko, en = _OP_WORDS[p.op]
    word = ko if lang == "ko" else en
    if p.op == "known":
        return word
    shown = format_value(p.fact, p.value, lang)
    return f"{word} {shown}"


def _describe(p: Predicate, facts: dict[str, Any], lang: str) -> str:
    value = facts.get(p.fact)
    return f"{fact_label(p.fact, lang)}: {format_value(p.fact, value, lang)} ({_target_words(p, lang)})"


def _term(term: Predicate | AllOf, facts: dict[str, Any]) -> str:
    if isinstance(term, AllOf):
        return _combine_all([_predicate(p, facts) for p in term.all])
    return _predicate(term, facts)


def _describe_term(term: Predicate | AllOf, facts: dict[str, Any], lang: str) -> str:
    if isinstance(term, AllOf):
        joiner = " 그리고 " if lang == "ko" else " and "
        return "(" + joiner.join(_describe(p, facts, lang) for p in term.all) + ")"
    return _describe(term, facts, lang)


def _combine_all(statuses: list[str]) -> str:
    if NOT_MET in statuses:
        return NOT_MET
    if UNKNOWN in statuses:
        return UNKNOWN
    return MET


def _combine_any(statuses: list[str]) -> str:
    if MET in statuses:
        return MET
    if UNKNOWN in statuses:
        return UNKNOWN
    return NOT_MET


def _hint(c: Condition, status: str, lang: str, facts: dict[str, Any]) -> str | None:
    if status == MET:
        return None
    template = c.hint_ko if lang == "ko" else c.hint_en
    preds = c.predicates()
    if template:
        value = preds[0].value if len(preds) == 1 else None
        return template.replace("{value}", format_value(preds[0].fact, value, lang) if value is not None else "")
    if status == NOT_MET and len(preds) == 1 and preds[0].op in ("ge", "gt", "le", "lt", "degree_ge"):
        p = preds[0]
        if lang == "ko":
            return f"{fact_label(p.fact, 'ko')}이(가) {_target_words(p, 'ko')}이면 이 조건을 충족합니다."
        return f"Met with {fact_label(p.fact, 'en')} {_target_words(p, 'en')}."
    if status == UNKNOWN:
        missing = list(dict.fromkeys([p.fact for p in preds if facts.get(p.fact) is None] or [p.fact for p in preds]))
        if lang == "ko":
            return "확인이 필요한 사실: " + ", ".join(fact_label(f, "ko") for f in missing)
        return "Facts to confirm: " + ", ".join(fact_label(f, "en") for f in missing)
    return None


def evaluate_condition(c: Condition, facts: dict[str, Any]) -> ConditionResult:
    used: dict[str, Any] = {}
    if c.when is not None:
        used[c.when.fact] = facts.get(c.when.fact)
        gate = _predicate(c.when, facts)
        if gate == NOT_MET:
            return ConditionResult(
                c.id,
                NOT_APPLICABLE,
                c.ko,
                c.en,
                used,
                f"해당 없음 — {_describe(c.when, facts, 'ko')}",
                f"Does not apply — {_describe(c.when, facts, 'en')}",
                verified=c.verified,
                note=c.note,
            )
    terms = c.terms()
    statuses = [_term(t, facts) for t in terms]
    for p in c.predicates():
        used[p.fact] = facts.get(p.fact)
    status = _combine_any(statuses) if c.any is not None else _combine_all(statuses)
    if c.when is not None and _predicate(c.when, facts) == UNKNOWN and status != MET:
        status = UNKNOWN
    joiner_ko, joiner_en = (" 또는 ", " or ") if c.any is not None else (" 그리고 ", " and ")
    reason_ko = joiner_ko.join(_describe_term(t, facts, "ko") for t in terms)
    reason_en = joiner_en.join(_describe_term(t, facts, "en") for t in terms)
    return ConditionResult(
        c.id,
        status,
        c.ko,
        c.en,
        used,
        reason_ko,
        reason_en,
        _hint(c, status, "ko", facts),
        _hint(c, status, "en", facts),
        c.verified,
        c.note,
    )


def _points(scheme: Scheme, facts: dict[str, Any]) -> tuple[dict[str, Any], ConditionResult]:
    assert scheme.points is not None
    pts = scheme.points
    items = []
    known_total = 0
    missing_max = 0
    for item in pts.items:
        value = facts.get(item.fact)
        items.append({"fact": item.fact, "ko": item.ko, "en": item.en, "max": item.max, "points": value})
        if value is None:
            missing_max += pts.total if item.max is None else item.max
        else:
            known_total += int(value) if item.max is None else min(int(value), item.max)
    floor_status = MET
    if pts.minimum_points is not None and pts.minimum_items:
        got = [facts.get(f) for f in pts.minimum_items]
        if any(g is None for g in got):
            floor_status = UNKNOWN
        elif sum(int(g) for g in got) < pts.minimum_points:
            floor_status = NOT_MET
    if known_total >= pts.pass_mark and missing_max == 0:
        status = MET
    elif known_total >= pts.pass_mark:
        # deductions are the only negative items; a missing deduction can still lower the total
        status = UNKNOWN if any(i["points"] is None and "deduction" in i["fact"] for i in items) else MET
    elif known_total + missing_max < pts.pass_mark:
        status = NOT_MET
    else:
        status = UNKNOWN
    status = _combine_all([status, floor_status])
    summary = {
        "items": items,
        "total": known_total,
        "pass_mark": pts.pass_mark,
        "out_of": pts.total,
        "missing_max": missing_max,
        "minimum_items": pts.minimum_items,
        "minimum_points": pts.minimum_points,
        "verified": pts.verified,
        "note": pts.note,
    }
    gap = pts.pass_mark - known_total
    result = ConditionResult(
        "points",
        status,
        f"점수 합계 {pts.pass_mark}점 이상 (총 {pts.total}점)",
        f"At least {pts.pass_mark} of {pts.total} points",
        {i["fact"]: i["points"] for i in items},
        f"현재 {known_total}점" + (f", 미입력 항목 최대 {missing_max}점" if missing_max else ""),
        f"{known_total} points so far" + (f", up to {missing_max} from items not given" if missing_max else ""),
        None if status == MET else f"{max(gap, 0)}점이 더 필요합니다." if status == NOT_MET else None,
        None if status == MET else f"{max(gap, 0)} more points needed." if status == NOT_MET else None,
        pts.verified,
        pts.note,
    )
    return summary, result


def _amounts(scheme: Scheme, facts: dict[str, Any]) -> tuple[int | None, int | None]:
    b = scheme.benefit
    if b is None:
        return None, None
    if b.per_month is not None and b.months is not None:
        total = b.per_month * b.months
        if b.cap is not None:
            total = min(total, b.cap)
        return total, total
    if b.share_of_salary is not None and b.years is not None:
        salary = facts.get("offer.annual_salary")
        if salary is None:
            top = None if b.cap_per_year is None else b.cap_per_year * b.years
            return None, top
        yearly = int(salary * b.share_of_salary)
        if b.cap_per_year is not None:
            yearly = min(yearly, b.cap_per_year)
        return yearly * b.years, yearly * b.years
    if b.amount is not None:
        return b.amount, b.amount
    if b.amount_by is not None and b.amount_by_fact is not None:
        key = facts.get(b.amount_by_fact)
        if key is not None and str(key) in b.amount_by:
            return b.amount_by[str(key)], b.amount_by[str(key)]
        return min(b.amount_by.values()), max(b.amount_by.values())
    return None, None


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return date(year, month, min(start.day, days[month - 1]))


def evaluate(scheme: Scheme, facts: dict[str, Any], as_of: date) -> SchemeResult:
    """Evaluate one scheme version for ``facts`` (normalized, see ``normalize_facts``) on ``as_of``."""
    conditions = [evaluate_condition(c, facts) for c in scheme.conditions]
    points = None
    if scheme.points is not None:
        points, points_condition = _points(scheme, facts)
        conditions.append(points_condition)
    statuses = [c.status for c in conditions if c.status != NOT_APPLICABLE]
    overall = _combine_all(statuses)
    status = {MET: ELIGIBLE, NOT_MET: NOT_ELIGIBLE, UNKNOWN: UNDETERMINED}[overall]
    if not scheme.in_force(as_of):
        status = NOT_IN_FORCE
    low, high = _amounts(scheme, facts)
    milestones = []
    b = scheme.benefit
    start = facts.get("placement.start_date")
    if b is not None:
        for m in b.milestones:
            amount = m.amount
            if amount is None and m.share is not None and low is not None and low == high:
                amount = int(round(low * m.share))
            milestones.append(
                {
                    "after_months": m.after_months,
                    "ko": m.ko,
                    "en": m.en,
                    "amount": amount,
                    "due": _add_months(start, m.after_months) if isinstance(start, date) else None,
                }
            )
    verified = scheme.verified and all(c.verified for c in conditions)
    return SchemeResult(
        id=scheme.id,
        version=scheme.version,
        kind=scheme.kind,
        name_ko=scheme.name_ko,
        name_en=scheme.name_en,
        agency=scheme.agency,
        legal_basis=scheme.legal_basis,
        status=status,
        verified=verified,
        as_of=as_of,
        effective_from=scheme.effective_from,
        effective_to=scheme.effective_to,
        conditions=conditions,
        amount_min=low,
        amount_max=high,
        amount_to=b.to if b else None,
        benefit_ko=b.ko if b else None,
        benefit_en=b.en if b else None,
        milestones=milestones,
        points=points,
        sources=[s.model_dump() for s in scheme.sources],
        conflicts=list(scheme.conflicts),
        notes=list(scheme.notes),
        confirm_with=scheme.confirm_with,
        settlement=[s.model_dump() for s in scheme.settlement],
        parameters=dict(scheme.parameters),
    )


def screen(
    book: RuleBook,
    facts: dict[str, Any],
    as_of: date,
    *,
    kinds: tuple[str, ...] | None = None,
    schemes: list[str] | None = None,
) -> list[SchemeResult]:
    """Evaluate the version in force on ``as_of`` of every scheme (of ``kinds``, or named in ``schemes``).

    A scheme with no version in force that day is reported as ``not_in_force`` with its latest earlier version,
    so a user learns that it ended; one that has not started yet is left out.
    """
    results = []
    for sid in book.ids():
        if schemes is not None and sid not in schemes:
            continue
        version = book.in_force(sid, as_of)
        if version is None:
            version = book.latest_before(sid, as_of)
            if version is None:
                continue
        if kinds is not None and version.kind not in kinds:
            continue
        results.append(evaluate(version, facts, as_of))
    order = {ELIGIBLE: 0, UNDETERMINED: 1, NOT_ELIGIBLE: 2, NOT_IN_FORCE: 3}
    results.sort(key=lambda r: (order[r.status], r.id))
    return results
