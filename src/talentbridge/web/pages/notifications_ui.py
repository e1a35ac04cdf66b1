"""Notifications pages: everyone's in-app list (unread count in the header), and in development the outbox of
e-mails (what would have been sent, or what was sent when SMTP is configured)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import NotAuthenticated, NotFound, PermissionDenied
from talentbridge.services import notifications
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.rendering import redirect, render

__all__ = ["router", "unread_for"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


def _user(request: Request):  # type: ignore[no-untyped-def]
    user = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated("sign in first")
    return user


def unread_for(request: Request) -> int:
    """The signed-in reader's unread count for the header (0 when signed out or when the table is missing)."""
    user = getattr(request.state, "user", None)
    if user is None:
        return 0
    cached = getattr(request.state, "unread_notifications", None)
    if cached is not None:
        return int(cached)
    try:
        with request.app.state.database.session() as session:
            count = notifications.unread_count(session, user.id, user.talent_id)
    except Exception:  # noqa: BLE001 - a header badge never breaks a page
        count = 0
    request.state.unread_notifications = count
    return count


@router.get("/notifications")
def notifications_page(
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    unread: bool = False,
) -> Response:
    user = _user(request)
    items, total = notifications.list_notifications(
        session, user.id, user.talent_id, lang=request_language(request), unread_only=unread, page=page,
        size=PAGE_SIZE,
    )  # fmt: skip
    return render(
        request,
        "notifications.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        unread_only=unread,
    )


@router.post("/notifications/read")
def mark_read(request: Request, session: SessionDep, notification_id: Annotated[str, Form()] = "") -> Response:
    user = _user(request)
    ids = None
    if notification_id.strip():
        if not notification_id.strip().isdigit():
            raise NotFound("notification", notification_id)
        ids = [int(notification_id)]
    notifications.mark_read(session, user.id, user.talent_id, ids)
    request.state.unread_notifications = None
    return redirect("/notifications")


@router.get("/operator/outbox")
def outbox(request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """What the application sent or would have sent by e-mail. Development and test only: messages carry
    password-reset links, which no one but their owner may see in production."""
    user = _user(request)
    if user.role != Role.OPERATOR:
        raise PermissionDenied("the outbox is for operators")
    settings = request.app.state.settings
    if settings.environment == "production":
        raise NotFound("page", "/operator/outbox")
    from talentbridge.services.mail import list_outbox, smtp_configured

    rows, total = list_outbox(session, page=page, size=50)
    return render(
        request,
        "operator/outbox.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // 50)),
        smtp=smtp_configured(settings),
    )
