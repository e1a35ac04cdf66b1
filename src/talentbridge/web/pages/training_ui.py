"""Training plans: an organization's plan for a group of its employees (/org/training) and, for operators, the
demanded skills no course teaches (/operator/courses/uncovered)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from talentbridge.domain.errors import PermissionDenied, TalentBridgeError
from talentbridge.services import training_plans
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import render
from talentbridge.web.pages.skills_ui import labels_for

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/org/training", dependencies=[Depends(require_roles("org_member"))])
def org_training(request: Request, session: SessionDep, kind: str = "", ref: str = "") -> Response:
    org_id = getattr(request.state.user, "organization_id", None)
    if org_id is None:
        raise PermissionDenied("this page is for organization accounts")
    result: dict[str, Any] | None = None
    error = None
    if kind and ref:
        try:
            result = training_plans.team_plan(session, int(org_id), kind, ref)
        except TalentBridgeError as exc:
            error = exc.message
    return render(request, "org/training.html", result=result, kind=kind, ref=ref, error=error)


@router.get("/operator/courses/uncovered", dependencies=[Depends(require_roles("operator"))])
def uncovered(request: Request, session: SessionDep) -> Response:
    rows = training_plans.uncovered_demand(session)
    return render(request, "courses/uncovered.html", rows=rows, labels=labels_for(request, [s for s, _ in rows]))
