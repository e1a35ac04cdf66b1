"""``/``: send each role to its start page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from talentbridge.web.pages.rendering import redirect

router = APIRouter(include_in_schema=False)

START_PAGES = {"talent": "/me", "org_member": "/org", "operator": "/operator", "auditor": "/operator"}


@router.get("/")
def home(request: Request) -> Response:
    user = getattr(request.state, "user", None)
    if user is None:
        return redirect("/login")
    return redirect(START_PAGES[user.role.value])
