"""Rendering helpers shared by every page: the Jinja2 environment, ``render()``, the HTML error page."""

from __future__ import annotations

import secrets
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from talentbridge.domain.enums import REGION_NAMES_EN, REGION_NAMES_KO, Region
from talentbridge.domain.errors import TalentBridgeError
from talentbridge.web.auth import csrf_token
from talentbridge.web.i18n import LANGUAGES, gettext_for, request_language

__all__ = ["render", "redirect", "html_error", "static_dir", "templates_dir", "region_name"]


def templates_dir() -> Path:
    return Path(str(resources.files("talentbridge.web") / "templates"))


def static_dir() -> Path:
    return Path(str(resources.files("talentbridge.web") / "static"))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def region_name(code: str | None, lang: str) -> str:
    if not code:
        return ""
    try:
        region = Region(code)
    except ValueError:
        return code
    return (REGION_NAMES_KO if lang == "ko" else REGION_NAMES_EN)[region]


def is_htmx(request: Request) -> bool:
    """The request comes from htmx, which swaps the answer into a part of the page, and only a 2xx answer: a
    mistake it should show is answered 200 (error_pages._page, the import report, the warming-up card)."""
    return bool(request.headers.get("hx-request"))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = request_language(request)
    _ = gettext_for(lang)
    user = getattr(request.state, "user", None)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            _=_,
            lang=lang,
            languages=LANGUAGES,
            user=user,
            csrf_token=csrf_token(request),
            form_nonce=secrets.token_hex(8),  # one per rendered page: the key of a job its form starts
            region_name=lambda code: region_name(code, lang),
            unread_notifications=lambda: _unread_notifications(request),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("tb_lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def _unread_notifications(request: Request) -> int:
    from talentbridge.web.pages.notifications_ui import unread_for

    return unread_for(request)


def redirect(url: str, status_code: int = 303) -> RedirectResponse:
    return RedirectResponse(url, status_code=status_code)


def html_error(request: Request, exc: TalentBridgeError) -> HTMLResponse:
    from talentbridge.web.pages.error_pages import render_error

    return render_error(request, exc)  # type: ignore[return-value]
