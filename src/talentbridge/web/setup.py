"""``install(app)``: accounts, sessions, CSRF, the role policy, auth/user/audit routes, pages and static files."""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from talentbridge.config import session_secret
from talentbridge.web.access import RolePolicy
from talentbridge.web.auth import AuthMiddleware
from talentbridge.web.security_headers import SecurityHeadersMiddleware
from talentbridge.web.sign_in import login_throttle

__all__ = ["install"]

EXTRA_ROUTERS = [
    "talentbridge.web.api.auth",
    "talentbridge.web.api.users",
    "talentbridge.web.api.audit_log",
    "talentbridge.web.api.ai",
]

#: The HTML application (pages, static assets, translations), installed when present.
PAGES_HOOK = "talentbridge.web.pages"


def install(app: FastAPI) -> None:
    settings = app.state.settings
    app.state.access_policy = RolePolicy()
    app.state.login_throttle = login_throttle(settings)
    # Order matters: the session middleware (outer) must decode the cookie before AuthMiddleware reads it.
    app.add_middleware(AuthMiddleware, database=app.state.database)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="tb_session",
        same_site="lax",
        https_only=settings.environment == "production",
        max_age=12 * 3600,
    )
    # Outermost of these: the headers go on every response, the auth middleware's own 401/403 included.
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.environment == "production")
    for name in EXTRA_ROUTERS:
        app.include_router(importlib.import_module(name).router)
    try:
        pages = importlib.import_module(PAGES_HOOK)
    except ModuleNotFoundError as exc:
        if exc.name != PAGES_HOOK:
            raise
    else:
        pages.install(app)
