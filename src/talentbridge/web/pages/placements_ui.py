"""Placement pages: a round's placements for the operator (start, end, end reason, retention) and the
3/6/12-month follow-ups recorded by the operator or by the placing organization (whose list is on /org/rounds)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from talentbridge.domain.errors import InvalidState, PermissionDenied, TalentBridgeError, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.operator_rounds import _actor, _audit_names, _messages, _staff, operator_only, staff
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.policy import policy_of

router = APIRouter(include_in_schema=False)


@router.get("/operator/rounds/{round_id}/placements", dependencies=staff)
def round_placements(request: Request, round_id: int, session: SessionDep) -> Response:
    _staff(request)
    return _placements_page(request, session, round_id)


def _placements_page(
    request: Request, session: Any, round_id: int, errors: list[str] | None = None, status: int = 200
) -> Response:
    from talentbridge.services.placements import PlacementService
    from talentbridge.services.rounds import RoundService

    rnd = RoundService(session).get(round_id)
    service = PlacementService(session)
    placements = service.list(round_id=round_id)
    _audit_names(request, [p["talent_id"] for p in placements])
    return render(
        request,
        "operator/placements.html",
        status_code=status,
        rnd=rnd,
        placements=placements,
        retention=service.retention(round_id=round_id),
        errors=errors or [],
        statuses=["planned", "active", "completed", "ended_early"],
        can_act=request.state.user.role == Role.OPERATOR,
        followup_action="/operator/placements",
    )


@router.post("/operator/placements/{placement_id}", dependencies=operator_only)
async def update_placement(request: Request, placement_id: int, session: SessionDep) -> Response:
    from talentbridge.services.placements import PlacementService

    service = PlacementService(session)
    row = service._placement(placement_id, None)
    policy_of(request).check(request, "placement", "update", row)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        service.update(placement_id, dict(form), _actor(request))
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _placements_page(request, session, row.round_id, _messages(request, exc), exc.status)
    return redirect(f"/operator/rounds/{row.round_id}/placements")


@router.post("/operator/placements/{placement_id}/followups/{months}", dependencies=operator_only)
async def operator_followup(request: Request, placement_id: int, months: int, session: SessionDep) -> Response:
    from talentbridge.services.placements import PlacementService

    service = PlacementService(session)
    row = service._placement(placement_id, None)
    policy_of(request).check(request, "placement", "update", row)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        service.record_followup(placement_id, months, dict(form), _actor(request))
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _placements_page(request, session, row.round_id, _messages(request, exc), exc.status)
    return redirect(f"/operator/rounds/{row.round_id}/placements")


@router.post("/org/placements/{placement_id}/followups/{months}", dependencies=[Depends(require_roles("org_member"))])
async def organization_followup(request: Request, placement_id: int, months: int, session: SessionDep) -> Response:
    """An organization records a follow-up of one of its own placements (another organization's: 403)."""
    from talentbridge.services.placements import PlacementService

    user = request.state.user
    if user.organization_id is None:
        raise PermissionDenied("your account is not linked to an organization")
    policy_of(request).check(request, "placement", "read", {"organization_id": user.organization_id})
    service = PlacementService(session)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        service.record_followup(placement_id, months, dict(form), _actor(request), organization_id=user.organization_id)
        savepoint.commit()
    except (ValidationFailed, InvalidState) as exc:
        savepoint.rollback()
        return render(
            request,
            "operator/refused.html",
            status_code=exc.status,
            messages=_messages(request, exc),
            back="/org/rounds",
        )
    return redirect("/org/rounds?saved=followup")
