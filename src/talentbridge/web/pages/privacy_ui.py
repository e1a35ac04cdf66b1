"""Privacy pages: the public list of purposes (``/privacy``), and a talent's own rights (``/me/privacy``): see all
data held (a readable page and a JSON download), give or withdraw each consent with its effect shown, and delete
the account. Operators act on requests in ``privacy_operator_ui``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain.errors import NotAuthenticated, PermissionDenied, Problem, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render

__all__ = ["router", "json_download"]

router = APIRouter(include_in_schema=False)
#: The talent's own pages: the role check runs before any form is read (anonymous: sign in, not a form error).
mine = APIRouter(prefix="/me/privacy", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])

#: What a talent types to confirm deleting their account (either language).
DELETE_WORDS = ("삭제", "delete", "DELETE")


def _talent_user(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated("sign in first")
    if user.role != Role.TALENT:
        raise PermissionDenied("these pages are for talent accounts")
    return user


def json_download(doc: dict[str, Any], filename: str) -> Response:
    from talentbridge.services.privacy_export import export_json

    return Response(
        export_json(doc).encode("utf-8"),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.get("/privacy")
def privacy_notice(request: Request) -> Response:
    """Every purpose of processing, from the purposes registry and the running settings (public)."""
    from talentbridge.services.privacy_purposes import purposes_for

    settings = request.app.state.settings
    return render(
        request,
        "privacy/notice.html",
        purposes=purposes_for(settings, request_language(request)),
        erased=request.query_params.get("erased") == "1",
    )


def _export(request: Request, session: Any, talent_id: int, actor_role: str) -> dict[str, Any]:
    from talentbridge.services.privacy_erase import find_talent
    from talentbridge.services.privacy_export import export_talent

    user = request.state.user
    ip = request.client.host if request.client else None
    return export_talent(session, find_talent(session, talent_id=talent_id), actor_id=user.id,
                         actor_role=actor_role, ip=ip)  # fmt: skip


@mine.get("")
def my_privacy(request: Request, session: SessionDep) -> Response:
    from talentbridge.services.privacy_consent import consent_state
    from talentbridge.services.privacy_purposes import purposes_for
    from talentbridge.services.privacy_requests import readable_sections

    user = _talent_user(request)
    doc = state = None
    sections: list[dict[str, Any]] = []
    if user.talent_id is not None:
        doc = _export(request, session, user.talent_id, "talent")
        sections = readable_sections(doc)
        state = consent_state(session, user.talent_id)
        session.commit()
    return render(
        request,
        "privacy/mine.html",
        doc=doc,
        sections=sections,
        state=state,
        purposes=purposes_for(request.app.state.settings, request_language(request)),
        changed=request.query_params.get("changed"),
        error=None,
    )


@mine.get("/export.json")
def my_export(request: Request, session: SessionDep) -> Response:
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me/privacy")
    doc = _export(request, session, user.talent_id, "talent")
    session.commit()
    return json_download(doc, "talentbridge-my-data.json")


@mine.post("/consent")
def my_consent(
    request: Request,
    session: SessionDep,
    consent: Annotated[str, Form(max_length=40)],
    granted: Annotated[str, Form(max_length=5)],
) -> Response:
    from talentbridge.services.privacy_consent import set_consent

    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    give = granted == "yes"
    set_consent(request.app.state.settings, session, user.talent_id, consent, give, by_role="talent",
                actor_id=user.id)  # fmt: skip
    session.commit()
    return redirect(f"/me/privacy?changed={consent}-{'given' if give else 'withdrawn'}#consents")


@mine.post("/delete")
def my_delete(
    request: Request,
    confirm: Annotated[str, Form(max_length=40)] = "",
    understood: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Delete the talent's own account and erase their personal data, after they typed the confirmation word."""
    from talentbridge.services.privacy_erase import erase

    user = _talent_user(request)
    if confirm.strip() not in DELETE_WORDS or understood != "on":
        raise ValidationFailed(
            "deletion not confirmed",
            [Problem(("confirm",), "type 삭제 (or delete) and tick the box to confirm", confirm, "confirm")],
        )
    db = request.app.state.database
    if user.talent_id is not None:
        erase(request.app.state.settings, db, talent_id=user.talent_id, reason="request", actor_id=user.id,
              actor_role="talent")  # fmt: skip
    else:  # an account without a profile: only the account
        from talentbridge.services.privacy_erase import erase_account
        from talentbridge.services.privacy_ledger import record, user_entry

        with db.session(write=True) as session:
            entry = user_entry(user.id, erase_account(session, user.id))
        record(request.app.state.settings, [entry])  # a restored backup forgets the account again
    request.session.clear()
    return redirect("/privacy?erased=1")


router.include_router(mine)
