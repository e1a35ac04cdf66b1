"""Saved training plans (교육 계획): an organization picks a group of its employees, a target (one of its own
openings, an occupation, or skills) and an optional budget; the plan (``training_plans.team_plan``) is computed
and saved with each employee's courses. Editing the group or the target recomputes it; a course already started
or completed keeps its status. Every state change writes an audit row (``training_plan.*``).

``TrainingPlanStore`` is the repository the service writes through; ``storage.training_plan_repository``
implements it over one session.
"""

from __future__ import annotations

from typing import Any, Protocol

from talentbridge.domain.errors import Msg, NotFound, Problem, ValidationFailed
from talentbridge.domain.training_plan import PlanCourse, SavedPlan

__all__ = [
    "COURSE_STATUSES",
    "PlanCourse",
    "SavedPlan",
    "TrainingPlanStore",
    "create_plan",
    "delete_plan",
    "get_plan",
    "list_plans",
    "plan_store",
    "set_course_status",
    "update_plan",
]

COURSE_STATUSES = ("planned", "started", "completed")
TARGET_KINDS = ("opening", "occupation", "skills")
MAX_GROUP = 500


class TrainingPlanStore(Protocol):
    def add(self, organization_id: int, fields: dict[str, Any]) -> int: ...
    def get(self, plan_id: int) -> SavedPlan: ...
    def page(self, organization_id: int, page: int, size: int) -> tuple[list[SavedPlan], int]: ...
    def update(self, plan_id: int, fields: dict[str, Any]) -> None: ...
    def delete(self, plan_id: int) -> None: ...
    def replace_courses(self, plan_id: int, courses: list[PlanCourse]) -> None: ...
    def set_status(self, plan_id: int, talent_id: int, course_id: int, status: str) -> bool: ...


def plan_store(session: Any) -> TrainingPlanStore:
    from talentbridge.storage.training_plan_repository import SqlTrainingPlanStore

    return SqlTrainingPlanStore(session)


def _problem(name: str, msg: str, value: Any = None) -> Problem:
    return Problem(loc=("body", name), msg=msg, value=value)


def _validate(session: Any, organization_id: int, kind: str, ref: str, talent_ids: list[int], budget: Any) -> None:
    from talentbridge.services.registry import registry

    problems: list[Problem] = []
    if kind not in TARGET_KINDS:
        problems.append(_problem("target_kind", "opening, occupation or skills", kind))
    if not ref.strip():
        problems.append(_problem("target_ref", "the target is required"))
    if kind == "opening" and ref.strip():
        key = int(ref) if ref.strip().isdigit() and len(ref.strip()) < 10 else -1
        opening = registry(session).openings.get_many([key]).get(key)
        if opening is None or opening.organization_id != organization_id:
            problems.append(_problem("target_ref", "one of the organization's own openings", ref))
    if not talent_ids:
        problems.append(_problem("talent_ids", "choose at least one employee"))
    elif len(set(talent_ids)) > MAX_GROUP:
        problems.append(_problem("talent_ids", f"at most {MAX_GROUP} employees"))
    else:
        found = registry(session).talents.get_many(sorted(set(talent_ids)))
        strangers = [t for t in dict.fromkeys(talent_ids) if t not in found
                     or found[t].current_employer_id != organization_id]  # fmt: skip
        if strangers:
            problems.append(_problem("talent_ids", "only the organization's own employees", strangers))
    if budget is not None and budget < 0:
        problems.append(_problem("budget", "a budget is zero or more", budget))
    if problems:
        raise ValidationFailed(Msg("the training plan is not valid"), problems)


def _compute(session: Any, organization_id: int, kind: str, ref: str, talent_ids: list[int],
             budget: int | None) -> tuple[str, dict[str, Any], list[PlanCourse]]:  # fmt: skip
    from talentbridge.services.training_plans import team_plan

    result = team_plan(session, organization_id, kind, ref.strip(), limit=MAX_GROUP, talent_ids=talent_ids)
    courses: list[PlanCourse] = []
    for row in result["people"]:
        for n, course in enumerate(row["plan"].courses, start=1):
            courses.append(PlanCourse(row["talent"].id, course.id, n, "planned"))
    summary = {
        "people": len(result["people"]),
        "hours": result["hours"],
        "fee": result["fee"],
        "programme_pays": result["programme_pays"],
        "cohort": [{"course_id": c.id, "title": c.title, "people": n} for c, n in result["cohort"]],
        "coverage": {str(r["talent"].id): round(r["gap"].coverage, 4) for r in result["people"]},
        "missing_must": {str(r["talent"].id): len(r["gap"].missing_must) for r in result["people"]},
        "unreachable": sorted({s for r in result["people"] for s in r["plan"].unreachable}),
        "catalogue_empty": result["catalogue_empty"],
        "over_budget": budget is not None and result["fee"] > budget,
    }
    return result["label"], summary, courses


def _audit(session: Any, actor: Any, action: str, plan_id: int, detail: dict[str, Any]) -> None:
    from talentbridge.services.audit_log import AuditEntry, write_entries

    role = "cli" if actor is None else str(getattr(actor.role, "value", actor.role))
    write_entries(session, [AuditEntry(getattr(actor, "id", None), role, f"training_plan.{action}",
                                       "training_plan", plan_id, detail)])  # fmt: skip


def get_plan(session: Any, plan_id: int, organization_id: int | None = None) -> SavedPlan:
    """The plan; ``organization_id`` given, a plan of another organization is not found."""
    plan = plan_store(session).get(plan_id)
    if organization_id is not None and plan.organization_id != organization_id:
        raise NotFound("training_plan", plan_id)
    return plan


def list_plans(session: Any, organization_id: int, page: int = 1, size: int = 50) -> tuple[list[SavedPlan], int]:
    return plan_store(session).page(organization_id, page, size)


def create_plan(
    session: Any, organization_id: int, *, name: str, target_kind: str, target_ref: str, talent_ids: list[int],
    budget: int | None = None, actor: Any = None,
) -> SavedPlan:  # fmt: skip
    _validate(session, organization_id, target_kind, target_ref, talent_ids, budget)
    label, summary, courses = _compute(session, organization_id, target_kind, target_ref, talent_ids, budget)
    store = plan_store(session)
    plan_id = store.add(organization_id, {
        "name": (name or "").strip() or label, "target_kind": target_kind, "target_ref": target_ref.strip(),
        "target_label": label, "budget": budget, "talent_ids": list(dict.fromkeys(talent_ids)), "summary": summary,
        "created_by": getattr(actor, "id", None),
    })  # fmt: skip
    store.replace_courses(plan_id, courses)
    _audit(session, actor, "create", plan_id, {"organization_id": organization_id, "people": len(set(talent_ids)),
                                              "target": f"{target_kind}:{target_ref.strip()}"})  # fmt: skip
    return store.get(plan_id)


def update_plan(
    session: Any, plan_id: int, organization_id: int, changes: dict[str, Any], actor: Any = None
) -> SavedPlan:
    """Change the name, budget, group or target; the plan is recomputed (started/completed courses kept)."""
    plan = get_plan(session, plan_id, organization_id)
    kind = changes.get("target_kind") or plan.target_kind
    ref = changes.get("target_ref") or plan.target_ref
    talent_ids = list(changes["talent_ids"]) if changes.get("talent_ids") is not None else plan.talent_ids
    budget = changes.get("budget", plan.budget)
    _validate(session, organization_id, kind, ref, talent_ids, budget)
    label, summary, courses = _compute(session, organization_id, kind, ref, talent_ids, budget)
    kept = {(c.talent_id, c.course_id): c.status for c in plan.courses}
    courses = [PlanCourse(c.talent_id, c.course_id, c.position, kept.get((c.talent_id, c.course_id), c.status))
               for c in courses]  # fmt: skip
    fields = {"target_kind": kind, "target_ref": ref.strip(), "target_label": label, "budget": budget,
              "talent_ids": list(dict.fromkeys(talent_ids)), "summary": summary}  # fmt: skip
    if (changes.get("name") or "").strip():
        fields["name"] = changes["name"].strip()
    store = plan_store(session)
    store.update(plan_id, fields)
    store.replace_courses(plan_id, courses)
    _audit(session, actor, "update", plan_id, {"changed": sorted(k for k in changes if changes[k] is not None)})
    return store.get(plan_id)


def delete_plan(session: Any, plan_id: int, organization_id: int, actor: Any = None) -> None:
    get_plan(session, plan_id, organization_id)
    plan_store(session).delete(plan_id)
    _audit(session, actor, "delete", plan_id, {"organization_id": organization_id})


def set_course_status(
    session: Any, plan_id: int, organization_id: int, talent_id: int, course_id: int, status: str, actor: Any = None
) -> None:
    if status not in COURSE_STATUSES:
        raise ValidationFailed(Msg("invalid status"), [_problem("status", "planned, started or completed", status)])
    get_plan(session, plan_id, organization_id)
    if not plan_store(session).set_status(plan_id, talent_id, course_id, status):
        raise NotFound("training_plan_course", f"{talent_id}:{course_id}")
    _audit(session, actor, "status", plan_id, {"talent_id": talent_id, "course_id": course_id, "status": status})
