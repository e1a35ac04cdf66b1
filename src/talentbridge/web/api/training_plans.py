"""An organization's saved training plans over the API:

* ``GET    /api/organizations/{id}/training-plans?page=1&size=50`` — the plans, newest first
* ``POST   /api/organizations/{id}/training-plans`` — pick employees, a target and a budget; computed and saved
* ``GET    /api/organizations/{id}/training-plans/{plan_id}`` — the plan with each employee's courses
* ``PATCH  /api/organizations/{id}/training-plans/{plan_id}`` — change the name, budget, group or target
  (recomputed; started/completed courses keep their status) and/or set course statuses
* ``DELETE /api/organizations/{id}/training-plans/{plan_id}``

Access: members of that organization read and write; operators and auditors read; talents never. A plan of
another organization is not found. The target is ``opening`` (one of the organization's own openings, by id),
``occupation`` (id or Korean/English name) or ``skills`` (``skill:level`` separated by commas).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from talentbridge.domain.errors import NotAuthenticated, PermissionDenied
from talentbridge.services import saved_training_plans as plans
from talentbridge.web.deps import SessionDep

__all__ = ["router", "TrainingPlanCreate", "TrainingPlanUpdate", "TrainingPlanPublic"]

router = APIRouter(prefix="/api/organizations/{organization_id}/training-plans", tags=["upskilling"])

_ID = Field(ge=1, le=2_147_483_647)
Kind = Literal["opening", "occupation", "skills"]
Status = Literal["planned", "started", "completed"]


class TrainingPlanCreate(BaseModel):
    name: str = Field("", max_length=200, description="Defaults to the target's label.")
    target_kind: Kind
    target_ref: str = Field(min_length=1, max_length=300)
    talent_ids: list[int] = Field(min_length=1, max_length=plans.MAX_GROUP,
                                  description="Employees of the organization.")  # fmt: skip
    budget: int | None = Field(None, ge=0, le=2_147_483_647, description="Won; the plan says when the fee is over.")
    model_config = {"extra": "forbid"}


class CourseStatusChange(BaseModel):
    talent_id: int = _ID
    course_id: int = _ID
    status: Status


class TrainingPlanUpdate(BaseModel):
    name: str | None = Field(None, max_length=200)
    target_kind: Kind | None = None
    target_ref: str | None = Field(None, min_length=1, max_length=300)
    talent_ids: list[int] | None = Field(None, min_length=1, max_length=plans.MAX_GROUP)
    budget: int | None = Field(None, ge=0, le=2_147_483_647)
    course_status: list[CourseStatusChange] = Field(default_factory=list, max_length=5000)
    model_config = {"extra": "forbid"}


class PlanCoursePublic(BaseModel):
    talent_id: int
    course_id: int
    order: int
    status: Status


class TrainingPlanPublic(BaseModel):
    id: int
    organization_id: int
    name: str
    target_kind: str
    target_ref: str
    target_label: str
    budget: int | None
    talent_ids: list[int]
    summary: dict[str, Any] = Field(description="people, hours, fee, programme_pays, cohort, coverage per "
                                                "employee, unreachable skills, catalogue_empty, over_budget.")
    created_at: datetime | None
    updated_at: datetime | None
    courses: list[PlanCoursePublic] | None = Field(None, description="Each employee's courses (one plan only).")


class TrainingPlanPage(BaseModel):
    items: list[TrainingPlanPublic]
    total: int
    page: int
    size: int
    pages: int


def _allow(request: Request, session: Any, organization_id: int, write: bool) -> None:
    """Members of the organization read and write; operators and auditors read; nobody else."""
    from talentbridge.services.registry import registry

    user = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated("sign in first")
    role = user.role.value
    mine = role == "org_member" and user.organization_id == organization_id
    if not (mine or (not write and role in ("operator", "auditor"))):
        raise PermissionDenied("training plans are for the organization's members (operators and auditors read)")
    registry(session).organizations.get(organization_id)  # 404 for an unknown organization


def _public(plan: Any, with_courses: bool) -> TrainingPlanPublic:
    courses = ([PlanCoursePublic(talent_id=c.talent_id, course_id=c.course_id, order=c.position, status=c.status)
                for c in plan.courses] if with_courses else None)  # fmt: skip
    return TrainingPlanPublic(
        id=plan.id, organization_id=plan.organization_id, name=plan.name, target_kind=plan.target_kind,
        target_ref=plan.target_ref, target_label=plan.target_label, budget=plan.budget, talent_ids=plan.talent_ids,
        summary=plan.summary, created_at=plan.created_at, updated_at=plan.updated_at, courses=courses,
    )  # fmt: skip


@router.get("", summary="An organization's saved training plans", response_model=TrainingPlanPage)
def list_training_plans(
    organization_id: int, request: Request, session: SessionDep,
    page: int = Query(1, ge=1, le=100_000), size: int = Query(50, ge=1, le=200),
) -> Any:  # fmt: skip
    _allow(request, session, organization_id, write=False)
    items, total = plans.list_plans(session, organization_id, page=page, size=size)
    return TrainingPlanPage(items=[_public(p, False) for p in items], total=total, page=page, size=size,
                            pages=max(1, -(-total // size)))  # fmt: skip


@router.post("", summary="Compute and save a training plan for chosen employees", status_code=201,
             response_model=TrainingPlanPublic)  # fmt: skip
def create_training_plan(organization_id: int, body: TrainingPlanCreate, request: Request, session: SessionDep) -> Any:
    _allow(request, session, organization_id, write=True)
    plan = plans.create_plan(session, organization_id, name=body.name, target_kind=body.target_kind,
                             target_ref=body.target_ref, talent_ids=body.talent_ids, budget=body.budget,
                             actor=request.state.user)  # fmt: skip
    return _public(plan, True)


@router.get("/{plan_id}", summary="A saved training plan with each employee's courses",
            response_model=TrainingPlanPublic)  # fmt: skip
def get_training_plan(organization_id: int, plan_id: int, request: Request, session: SessionDep) -> Any:
    _allow(request, session, organization_id, write=False)
    return _public(plans.get_plan(session, plan_id, organization_id), True)


@router.patch("/{plan_id}", summary="Change a training plan (recomputed) or its course statuses",
              response_model=TrainingPlanPublic)  # fmt: skip
def update_training_plan(
    organization_id: int, plan_id: int, body: TrainingPlanUpdate, request: Request, session: SessionDep
) -> Any:
    _allow(request, session, organization_id, write=True)
    changes = body.model_dump(exclude_unset=True, exclude={"course_status"})
    actor = request.state.user
    if changes:
        plans.update_plan(session, plan_id, organization_id, changes, actor=actor)
    for change in body.course_status:
        plans.set_course_status(session, plan_id, organization_id, change.talent_id, change.course_id,
                                change.status, actor=actor)  # fmt: skip
    return _public(plans.get_plan(session, plan_id, organization_id), True)


@router.delete("/{plan_id}", summary="Delete a training plan", status_code=204, response_class=Response)
def delete_training_plan(organization_id: int, plan_id: int, request: Request, session: SessionDep) -> Response:
    _allow(request, session, organization_id, write=True)
    plans.delete_plan(session, plan_id, organization_id, actor=request.state.user)
    return Response(status_code=204)
