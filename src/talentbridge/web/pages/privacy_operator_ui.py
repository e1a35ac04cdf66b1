"""Operator pages for personal-data requests: find the talent a request is about, show everything held about
them, download it as JSON, erase it (with a confirmation), and see what the retention limits would do now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.privacy_ui import json_download
from talentbridge.web.pages.rendering import redirect, render

__all__ = ["router"]

router = APIRouter(
    prefix="/operator/privacy", include_in_schema=False, dependencies=[Depends(require_roles("operator"))]
)


def _export(request: Request, session: Any, talent_id: int) -> dict[str, Any]:
    from talentbridge.services.privacy_erase import find_talent
    from talentbridge.services.privacy_export import export_talent

    user = request.state.user
    ip = request.client.host if request.client else None
    return export_talent(session, find_talent(session, talent_id=talent_id), actor_id=user.id,
                         actor_role=user.role.value, ip=ip)  # fmt: skip


@router.get("")
def requests_page(request: Request, session: SessionDep, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    from talentbridge.services.privacy_requests import erasure_of, find_talents
    from talentbridge.services.privacy_retention import plan

    found = find_talents(session, q) if q.strip() else []
    erased = erasure_of(session, request.query_params.get("erased", "")) if request.query_params.get("erased") else None
    return render(
        request,
        "privacy/operator.html",
        q=q,
        found=found,
        erased=erased,
        retention=plan(request.app.state.settings, session),
        settings=request.app.state.settings,
    )


@router.get("/talents/{talent_id}")
def talent_page(request: Request, session: SessionDep, talent_id: int) -> Response:
    from talentbridge.services.privacy_requests import readable_sections

    doc = _export(request, session, talent_id)
    session.commit()
    return render(request, "privacy/operator_talent.html", doc=doc, sections=readable_sections(doc))


@router.get("/talents/{talent_id}/export.json")
def talent_export(request: Request, session: SessionDep, talent_id: int) -> Response:
    doc = _export(request, session, talent_id)
    session.commit()
    ext = doc["profile"].get("external_id") or talent_id
    return json_download(doc, f"talentbridge-talent-{ext}.json")


@router.post("/talents/{talent_id}/erase")
def talent_erase(request: Request, talent_id: int, confirm: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Erase on request, after the operator typed the talent's external id (or id) to confirm."""
    from talentbridge.services.privacy_erase import erase, find_talent

    db = request.app.state.database
    with db.session() as session:
        talent = find_talent(session, talent_id=talent_id)
    expected = {str(talent.id)} | ({talent.external_id} if talent.external_id else set())
    if confirm.strip() not in expected:
        raise ValidationFailed(
            "erasure not confirmed",
            [Problem(("confirm",), "type the talent's external id to confirm the erasure", confirm, "confirm")],
        )
    user = request.state.user
    result = erase(request.app.state.settings, db, talent_id=talent_id, reason="request", actor_id=user.id,
                   actor_role=user.role.value, ip=request.client.host if request.client else None)  # fmt: skip
    return redirect(f"/operator/privacy?erased={result.anonymous_id}")
