"""Company and programme training plans: an organization picks a target (a role/occupation, an opening, skills)
for a group of its employees → each person's gap and path (``skill_gap``), the courses that serve most of them
(a shared cohort: on the paths of two people or more), total hours and fee, and what programmes pay. For
operators: the skills open openings demand that no course of the catalogue teaches."""

from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["team_plan", "uncovered_demand"]


def team_plan(
    session: Any, organization_id: int, kind: str, ref: str, limit: int = 200, talent_ids: list[int] | None = None
) -> dict[str, Any]:
    """The plan for the organization's employees (``talent_ids``: only those of them; others are left out).
    ``catalogue_empty`` says no course is loaded at all, so "0 h" means nothing can be planned yet."""
    from talentbridge.services.course_catalogue import course_store
    from talentbridge.services.registry import registry
    from talentbridge.services.skill_gap import (
        _dedupe,
        held_skills,
        plan_courses,
        target_requirements,
        taxonomy_and_graph,
    )
    from talentbridge.upskilling.gap import diagnose

    taxonomy, graph = taxonomy_and_graph(session)
    label, reqs = target_requirements(session, taxonomy, kind, ref)
    talents = registry(session).talents
    if talent_ids is None:
        people = list(talents.iter_all(filters={"current_employer_id": organization_id}))[:limit]
    else:
        found = talents.get_many(talent_ids)
        people = [found[t] for t in dict.fromkeys(talent_ids) if t in found]
        people = [p for p in people if p.current_employer_id == organization_id][:limit]
    all_courses = course_store(session).all()
    courses = _dedupe(all_courses)
    rows: list[dict[str, Any]] = []
    used: Counter[Any] = Counter()
    by_id: dict[Any, Any] = {}
    for person in people:
        report = diagnose(held_skills(person), reqs, graph)
        estimate = plan_courses(courses, held_skills(person), report.to_learn())
        for c in estimate.courses:
            used[c.id] += 1
            by_id[c.id] = c
        rows.append({"talent": person, "gap": report, "plan": estimate})
    cohort = [(by_id[cid], n) for cid, n in used.most_common() if n >= 2]
    return {
        "label": label,
        "people": rows,
        "cohort": cohort,
        "hours": sum(r["plan"].hours for r in rows),
        "fee": sum(r["plan"].fee for r in rows),
        "programme_pays": sum(r["plan"].programme_pays for r in rows),
        "catalogue_empty": not all_courses,
    }


def uncovered_demand(session: Any, top: int = 100) -> list[tuple[str, int]]:
    """(skill id, open openings requiring it) for skills no course teaches, most demanded first."""
    from talentbridge.services.course_catalogue import course_store
    from talentbridge.services.registry import registry

    taught = {s.skill_id for c in course_store(session).all() for s in c.teaches}
    demand: Counter[str] = Counter()
    for opening in registry(session).openings.iter_all(filters={"status": "open"}):
        demand.update({r.skill_id for r in opening.required_skills})
    return [(sid, n) for sid, n in demand.most_common() if sid not in taught][:top]
