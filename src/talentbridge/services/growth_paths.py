"""A talent's growth path (성장 경로): choose a target → the gap → the courses that close it (the planner, objective
hours) → save it; mark courses as learning or completed. The skills a course teaches show on the profile as
"learning" while it runs and "completed" after, and a completed course's skills are added to the profile's skills
(explicit, at the level the course teaches, unless already held at that level or above), so matching counts them.
"""

from __future__ import annotations

from typing import Any

from talentbridge.domain.course import CourseProgressStatus
from talentbridge.domain.errors import Problem, ValidationFailed

__all__ = ["course_skill_status", "growth_report", "growth_view", "save_growth_path", "set_course_progress"]


def growth_view(session: Any, talent_id: int, kind: str, ref: str) -> dict[str, Any]:
    """The gap of the talent against the target and the path that closes what is not met."""
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
    talent = registry(session).talents.get(talent_id)
    label, reqs = target_requirements(session, taxonomy, kind, ref)
    report = diagnose(held_skills(talent), reqs, graph)
    store = course_store(session)
    estimate = plan_courses(_dedupe(store.all()), held_skills(talent), report.to_learn())
    progress = store.progress_of([talent_id]).get(talent_id, {})
    return {"label": label, "gap": report, "plan": estimate, "progress": progress}


def growth_report(
    session: Any, talent_id: int, kind: str, ref: str, lang: str = "ko", with_path: bool = True
) -> dict[str, Any]:
    """The gap (and, with ``with_path``, the path) as plain JSON for the CLI and the API: target, coverage, every
    requirement met / partly met / missing with its explanation in ``lang``, the courses in order with totals."""
    view = growth_view(session, talent_id, kind, ref) if with_path else None
    if view is None:
        from talentbridge.services.skill_gap import gap_for_talent

        label, report = gap_for_talent(session, talent_id, kind, ref)
    else:
        label, report = view["label"], view["gap"]
    gap = report.as_dict(lang)
    for item, raw in zip(gap["items"], report.items, strict=True):
        item["explanation"] = raw.explain(lang)
    out: dict[str, Any] = {"talent_id": talent_id, "target": {"kind": kind, "ref": ref, "label": label}, "gap": gap}
    if view is not None:
        plan = view["plan"]
        out["path"] = {
            "status": plan.status,
            "courses": [
                {
                    "order": n,
                    "course_id": c.id,
                    "title": c.title,
                    "provider": c.provider,
                    "hours": c.hours,
                    "fee": c.fee,
                    "teaches": [{"skill_id": t.skill_id, "level": t.level} for t in c.teaches],
                    "progress": view["progress"].get(c.id),
                }
                for n, c in enumerate(plan.courses, start=1)
            ],  # fmt: skip
            "total": {
                "courses": len(plan.courses),
                "hours": plan.hours,
                "fee": plan.fee,
                "programme_pays": plan.programme_pays,
            },  # fmt: skip
            "unreachable": list(plan.unreachable),
        }
    return out


def save_growth_path(session: Any, talent_id: int, kind: str, ref: str) -> int:
    from talentbridge.services.course_catalogue import course_store

    view = growth_view(session, talent_id, kind, ref)
    store = course_store(session)
    course_ids = [c.id for c in view["plan"].courses]
    for cid in course_ids:
        if cid not in view["progress"]:
            store.set_progress(talent_id, cid, CourseProgressStatus.PLANNED.value)
    summary = {"coverage": round(view["gap"].coverage, 4), "hours": view["plan"].hours, "fee": view["plan"].fee}
    return store.save_path(talent_id, kind, ref, view["label"], course_ids, summary)


def set_course_progress(session: Any, talent_id: int, course_id: int, status: str) -> None:
    """Mark a course planned, learning or completed (``none`` forgets it); completing adds its skills."""
    from talentbridge.services.course_catalogue import course_store
    from talentbridge.services.registry import registry

    if status not in {s.value for s in CourseProgressStatus} | {"none"}:
        raise ValidationFailed(
            "invalid status",
            [Problem(loc=("form", "status"), msg="planned, learning, completed or none", value=status)],
        )
    store = course_store(session)
    course = store.get(course_id)
    store.set_progress(talent_id, course_id, None if status == "none" else status)
    if status != CourseProgressStatus.COMPLETED.value:
        return
    talents = registry(session).talents
    talent = talents.get(talent_id)
    skills = [s.model_dump(mode="json") for s in talent.skills]
    held = {s["skill_id"]: s for s in skills}
    changed = False
    for taught in course.teaches:
        have = held.get(taught.skill_id)
        if have is None:
            skills.append({"skill_id": taught.skill_id, "level": taught.level, "source": "explicit"})
            changed = True
        elif have["level"] < taught.level:
            have["level"] = taught.level
            changed = True
    if changed:
        talents.update(talent_id, {"skills": skills})


def course_skill_status(session: Any, talent_ids: list[int]) -> dict[int, dict[str, str]]:
    """For each talent, skill id → "learning" or "completed" from their courses (completed wins)."""
    from talentbridge.services.course_catalogue import course_store

    store = course_store(session)
    progress = store.progress_of(talent_ids)
    wanted = {cid for per in progress.values() for cid, st in per.items() if st != "planned"}
    courses = {c.id: c for c in store.many(sorted(wanted))}
    out: dict[int, dict[str, str]] = {}
    for talent_id, per in progress.items():
        status: dict[str, str] = {}
        for cid, st in per.items():
            if st == "planned" or cid not in courses:
                continue
            for s in courses[cid].teaches:
                if status.get(s.skill_id) != "completed":
                    status[s.skill_id] = st
        out[talent_id] = status
    return out
