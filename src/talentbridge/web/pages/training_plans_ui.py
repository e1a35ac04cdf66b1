"""Saved training plans of an organization (/org/training/plans): pick employees (a checkbox list with a name
search), a target (one of the organization's openings by title, an occupation by its Korean or English name, or
skills) and an optional budget → save; list, view, edit (recomputed), delete, mark each employee's course
planned / started / completed, export CSV or XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import NotFound, PermissionDenied, TalentBridgeError, ValidationFailed
from talentbridge.services import saved_training_plans as plans
from talentbridge.services.training_plan_export import plan_csv, plan_rows, plan_xlsx
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render

__all__ = ["router", "employees_of", "plan_error"]

router = APIRouter(prefix="/org/training/plans", include_in_schema=False,
                   dependencies=[Depends(require_roles("org_member"))])  # fmt: skip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org(request: Request) -> int:
    org_id = getattr(request.state.user, "organization_id", None)
    if org_id is None:
        raise PermissionDenied("this page is for organization accounts")
    return int(org_id)


def employees_of(session: Any, org_id: int, q: str = "", role_label: Any = str) -> list[Any]:
    """The organization's employees by name; ``q`` keeps those whose name or role (``role_label`` of each
    desired role id, e.g. its Korean or English occupation name) contains it."""
    from talentbridge.services.registry import registry

    people = registry(session).talents.iter_all(filters={"current_employer_id": org_id})
    needle = q.strip().casefold()
    if needle:
        people = (p for p in people if needle in p.name.casefold()
                  or any(needle in f"{r} {role_label(r)}".casefold() for r in (p.desired_roles or [])))  # fmt: skip
    # searched first, then cut: an employee beyond the first MAX_GROUP is still found by name or role
    return sorted(people, key=lambda p: p.name)[: plans.MAX_GROUP]


def plan_error(request: Request, exc: TalentBridgeError) -> str:
    """Why the plan cannot be saved, in the reader's language: every problem of the form."""
    _ = gettext_for(request_language(request))
    if isinstance(exc, ValidationFailed):
        fields = {p.loc[-1] for p in exc.problems if p.loc}
        messages = [
            text
            for wanted, text in (
                ({"talent_ids"}, _("Choose at least one of your employees.")),
                ({"target_kind", "target_ref"}, _("Choose a target: one of your openings, an occupation or skills.")),
                ({"budget"}, _("The budget is a number of won, zero or more.")),
            )
            if fields & wanted
        ]
        if messages:  # every problem of the form at once, not only the first
            return " ".join(messages)
    if isinstance(exc, NotFound):
        return _("No occupation or opening by that name; pick one from the list.")
    return str(exc.message)


def target_of(opening: str, occupation: str, skills: str) -> tuple[str, str]:
    """The form's target: the opening when one is picked, else the occupation, else skills."""
    if opening.strip():
        return "opening", opening.strip()
    if occupation.strip():
        return "occupation", occupation.strip()
    return "skills", skills.strip()


def _form_page(request: Request, session: Any, org_id: int, error: str | None, plan: Any = None) -> Response:
    from talentbridge.web.pages.training_ui import form_context

    return render(request, "org/training.html", status_code=422, **form_context(request, session, org_id),
                  result=None, kind="", ref="", error=None, save_error=error, plan=plan)  # fmt: skip


@router.get("")
def plan_list(request: Request, session: SessionDep, page: int = Query(1, ge=1, le=10_000)) -> Response:
    items, total = plans.list_plans(session, _org(request), page=page, size=50)
    return render(request, "org/training_plans.html", plans=items, total=total, page=page,
                  pages=max(1, -(-total // 50)))  # fmt: skip


@dataclass
class PlanForm:
    """The group plan form (``org/_plan_form.html``), shared by the create and the edit page."""

    talent_ids: list[int]
    name: str
    kind: str
    ref: str
    budget: int | None


def plan_form(
    talent_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    name: Annotated[str, Form(max_length=200)] = "", opening: Annotated[str, Form(max_length=12)] = "",
    occupation: Annotated[str, Form(max_length=300)] = "", skills: Annotated[str, Form(max_length=300)] = "",
    budget: Annotated[int | None, Form(ge=0, le=2_147_483_647)] = None,
) -> PlanForm:  # fmt: skip
    kind, ref = target_of(opening, occupation, skills)
    return PlanForm(talent_ids, name, kind, ref, budget)


PlanFormDep = Annotated[PlanForm, Depends(plan_form)]


@router.post("")
def plan_create(request: Request, session: SessionDep, form: PlanFormDep) -> Response:
    org_id = _org(request)
    try:
        plan = plans.create_plan(session, org_id, name=form.name, target_kind=form.kind, target_ref=form.ref,
                                 talent_ids=form.talent_ids, budget=form.budget, actor=request.state.user)  # fmt: skip
    except TalentBridgeError as exc:
        return _form_page(request, session, org_id, plan_error(request, exc))
    return redirect(f"/org/training/plans/{plan.id}?saved=1")


def _view(request: Request, session: Any, plan: Any, error: str | None = None, status_code: int = 200) -> Response:
    from talentbridge.web.pages.training_ui import form_context

    rows = plan_rows(session, plan)
    return render(request, "org/training_plan.html", status_code=status_code, plan=plan, rows=rows, error=error,
                  statuses=plans.COURSE_STATUSES, **form_context(request, session, plan.organization_id))  # fmt: skip


@router.get("/{plan_id}")
def plan_view(request: Request, session: SessionDep, plan_id: int) -> Response:
    return _view(request, session, plans.get_plan(session, plan_id, _org(request)))


@router.post("/{plan_id}")
def plan_edit(request: Request, session: SessionDep, plan_id: int, form: PlanFormDep) -> Response:
    org_id = _org(request)
    changes: dict[str, Any] = {"name": form.name, "talent_ids": form.talent_ids, "budget": form.budget}
    if form.ref:
        changes |= {"target_kind": form.kind, "target_ref": form.ref}
    try:
        plans.update_plan(session, plan_id, org_id, changes, actor=request.state.user)
    except (ValidationFailed, NotFound) as exc:
        if isinstance(exc, NotFound) and exc.entity == "training_plan":
            raise
        return _view(request, session, plans.get_plan(session, plan_id, org_id), plan_error(request, exc), 422)
    return redirect(f"/org/training/plans/{plan_id}?saved=1")


@router.post("/{plan_id}/delete")
def plan_delete(request: Request, session: SessionDep, plan_id: int) -> Response:
    plans.delete_plan(session, plan_id, _org(request), actor=request.state.user)
    return redirect("/org/training/plans?deleted=1")


@router.post("/{plan_id}/status")
def plan_course_status(
    request: Request, session: SessionDep, plan_id: int, talent_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    course_id: Annotated[int, Form(ge=1, le=2_147_483_647)], status: Annotated[str, Form(max_length=12)],
) -> Response:  # fmt: skip
    plans.set_course_status(session, plan_id, _org(request), talent_id, course_id, status,
                            actor=request.state.user)  # fmt: skip
    return redirect(f"/org/training/plans/{plan_id}#employee-{talent_id}")


@router.get("/{plan_id}/export.{fmt}")
def plan_export(request: Request, session: SessionDep, plan_id: int, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound("export format", fmt)
    plan = plans.get_plan(session, plan_id, _org(request))
    rows = plan_rows(session, plan)
    name = f"training-plan-{plan.id}.{fmt}"
    if fmt == "csv":
        return Response(plan_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
    return Response(plan_xlsx(rows), media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
