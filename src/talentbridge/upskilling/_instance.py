"""Validating a learning-path instance (dicts in) into plain structures; every problem is listed at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from talentbridge.domain.errors import InstanceInvalid, Problem

__all__ = ["Course", "Instance", "parse_instance", "OBJECTIVES"]

OBJECTIVES = ("courses", "hours", "fee")
MAX_TIME_LIMIT_S = 600.0
_COURSE_FIELDS = frozenset({"id", "hours", "fee", "requires", "provides"})


@dataclass(frozen=True)
class Course:
    id: str
    hours: float
    fee: int
    requires: dict[str, int]
    provides: dict[str, int]


@dataclass
class Instance:
    courses: list[Course]
    profile: dict[str, int]
    target: dict[str, int]
    objective: str = "courses"
    budget: dict[str, float] = field(default_factory=dict)
    time_limit_s: float = 5.0


def _number(value: Any, loc: tuple[str | int, ...], problems: list[Problem], default: float = 0.0) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        problems.append(Problem(loc, "must be a number", value))
        return default
    if value < 0 or value > 1e12:
        problems.append(Problem(loc, "must be between 0 and 10^12", value))
        return default
    return float(value)


def _skills(items: Any, loc: tuple[str | int, ...], problems: list[Problem]) -> dict[str, int]:
    """``[{"skill": "s1", "level": 2}, ...]`` → {skill: highest level}; a missing level means 1."""
    out: dict[str, int] = {}
    if items is None:
        return out
    if not isinstance(items, list):
        problems.append(Problem(loc, "must be a list of {skill, level}", type(items).__name__))
        return out
    for i, item in enumerate(items):
        if type(item) is dict:  # the common case, checked first (a catalogue has thousands of these lists)
            skill, level = item.get("skill"), item.get("level", 1)
            if type(skill) is str and skill and type(level) is int and 1 <= level <= 100:
                if out.get(skill, 0) < level:
                    out[skill] = level
                continue
        if not isinstance(item, dict) or "skill" not in item:
            problems.append(Problem((*loc, i), "must be an object with a skill", item))
            continue
        skill = item["skill"]
        if isinstance(skill, bool) or not isinstance(skill, str | int) or str(skill) == "":
            problems.append(Problem((*loc, i, "skill"), "must be a non-empty string or an integer", skill))
            continue
        level = item.get("level", 1)
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 100:
            problems.append(Problem((*loc, i, "level"), "must be an integer from 1 to 100", level))
            continue
        key = str(skill)
        out[key] = max(out.get(key, 0), level)
    return out


def parse_instance(data: Any) -> Instance:
    """Validate ``data`` (see ``upskilling.plan``); raises ``InstanceInvalid`` listing every problem."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InstanceInvalid(
            "the instance must be an object", [Problem((), "expected an object", type(data).__name__)]
        )
    known = {"courses", "profile", "target", "objective", "budget", "time_limit_s"}
    for key in sorted(set(data) - known):
        problems.append(Problem((key,), "unknown field", None))
    raw_courses = data.get("courses")
    courses: list[Course] = []
    if not isinstance(raw_courses, list):
        problems.append(Problem(("courses",), "must be a list of courses", type(raw_courses).__name__))
        raw_courses = []
    seen: set[str] = set()
    for i, c in enumerate(raw_courses):
        if not isinstance(c, dict):
            problems.append(Problem(("courses", i), "must be an object", c))
            continue
        cid = c.get("id")
        if isinstance(cid, bool) or not isinstance(cid, str | int) or str(cid) == "":
            problems.append(Problem(("courses", i, "id"), "must be a non-empty string or an integer", cid))
            continue
        cid = str(cid)
        if cid in seen:
            problems.append(Problem(("courses", i, "id"), "duplicate course id", cid))
            continue
        seen.add(cid)
        if not c.keys() <= _COURSE_FIELDS:
            for key in sorted(set(c) - _COURSE_FIELDS):
                problems.append(Problem(("courses", i, key), "unknown field", None))
        courses.append(
            Course(
                id=cid,
                hours=_number(c.get("hours"), ("courses", i, "hours"), problems),
                fee=int(round(_number(c.get("fee"), ("courses", i, "fee"), problems))),
                requires=_skills(c.get("requires"), ("courses", i, "requires"), problems),
                provides=_skills(c.get("provides"), ("courses", i, "provides"), problems),
            )
        )
    profile = _skills(data.get("profile", []), ("profile",), problems)
    target = _skills(data.get("target", []), ("target",), problems)
    objective = data.get("objective", "courses")
    if objective not in OBJECTIVES:
        problems.append(Problem(("objective",), f"must be one of {', '.join(OBJECTIVES)}", objective))
    budget: dict[str, float] = {}
    raw_budget = data.get("budget") or {}
    if not isinstance(raw_budget, dict):
        problems.append(Problem(("budget",), "must be an object", raw_budget))
        raw_budget = {}
    for key, value in raw_budget.items():
        if key not in OBJECTIVES:
            problems.append(Problem(("budget", key), f"must be one of {', '.join(OBJECTIVES)}", None))
        elif value is not None:
            budget[key] = _number(value, ("budget", key), problems)
    limit = data.get("time_limit_s", 5)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= MAX_TIME_LIMIT_S:
        problems.append(Problem(("time_limit_s",), f"must be a number in (0, {MAX_TIME_LIMIT_S:g}]", limit))
        limit = 5
    if problems:
        raise InstanceInvalid(f"{len(problems)} problem(s) in the instance", problems)
    return Instance(courses, profile, target, str(objective), budget, float(limit))
