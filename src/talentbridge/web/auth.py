"""Authentication and CSRF, in one ASGI middleware, plus the ``CurrentUser`` dependency.

- ``Authorization: Bearer <token>``: a personal API token (no cookies, no CSRF).
- Otherwise the signed session cookie (Starlette's SessionMiddleware, keyed by ``config.session_secret``). The
  cookie holds the account's session version; it is honoured only while the account is active and the version is
  unchanged, so signing out, a password reset, a role change or deactivation revokes it at once (accounts.py).
- CSRF: an unsafe request that is not a bearer-token request and is not JSON (browsers cannot send cross-site
  JSON without a CORS preflight, which this app never grants) must carry the session's CSRF token in the
  ``X-CSRF-Token`` header or a ``csrf_token`` form field.
- Audit entries a request gathered (``request.state.audit``) are written in its own transaction (deps.py);
  any left over are written before the response starts (never after it is sent, when a failure could no longer
  be reported).
- A token's ``last_used_at`` is written at most once a minute per token (``record_token_use``), so reading with a
  token stays a read.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import time
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated, Any
from urllib.parse import parse_qs

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send  # noqa: F401

from talentbridge.domain.errors import NotAuthenticated
from talentbridge.services.accounts import (
    TOKEN_USE_INTERVAL,
    User,
    end_sessions,
    record_token_use,
    user_for_session,
    user_for_token,
)
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.transactions import SessionSource

__all__ = [
    "AuthMiddleware",
    "CurrentUser",
    "OptionalUser",
    "csrf_token",
    "login_session",
    "logout_session",
    "resolve_user",
    "sign_out",
]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TOKEN_REFUSED = "the API token is invalid or revoked"
#: Reads whose endpoints look a bearer token up themselves, in the one worker thread that does their work
#: (``resolve_user``), instead of this middleware handing off to a thread for it first: the two recommendation lists
#: (``web/api/recommendations.py``), the API's most called. Fail-closed: an endpoint matched here that forgot to
#: resolve the token sees no user, and every access rule refuses an anonymous caller.
DEFERRED_TOKEN_PATHS = re.compile(r"/api/(?:openings|talents)/[0-9]+/recommendations")
MAX_FORM_BYTES = 2_000_000

log = logging.getLogger("talentbridge.web")


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); pages put it in forms and in HTMX headers."""
    session = request.scope.get("session")
    if session is None:
        return ""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return str(session["csrf"])


def login_session(request: Request, user: User) -> None:
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["sv"] = user.session_version
    request.session["csrf"] = secrets.token_urlsafe(24)


def logout_session(request: Request) -> None:
    """Forget this browser's session (the cookie is emptied); ``sign_out`` also revokes copies of it."""
    request.session.clear()


def sign_out(request: Request, session: Session) -> None:
    """Sign out: end every session of the signed-in account (a copied cookie stops working too) and empty this
    browser's cookie. A bearer-token caller's tokens are left alone (revoke those with DELETE /api/auth/tokens)."""
    user: User | None = getattr(request.state, "user", None)
    if user is not None and getattr(request.state, "auth_method", None) == "session":
        end_sessions(session, user.id)
    request.session.clear()


class AuthMiddleware:
    def __init__(self, app: ASGIApp, database: SessionSource) -> None:
        self.app = app
        self.database = database
        # token → monotonic time this process last recorded its use (the database keeps the truth; this only
        # spares a write transaction per request)
        self._token_seen: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        state = scope.setdefault("state", {})
        state["audit"] = []
        state["user"] = None
        state["auth_method"] = None
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
            if scope["method"] in SAFE_METHODS and DEFERRED_TOKEN_PATHS.fullmatch(scope["path"]):
                # the endpoint looks the token up in the worker thread that does its work (``resolve_user``)
                state["resolve_user"] = functools.partial(self._user_for_token, token)
            else:
                user = await anyio.to_thread.run_sync(self._user_for_token, token)
                if user is None:
                    await _problem(send, 401, "unauthenticated", TOKEN_REFUSED)
                    return
                state["user"] = user
            state["auth_method"] = "token"
        else:
            session = scope.get("session") or {}
            user_id = session.get("user_id")
            if user_id is not None:
                user = await anyio.to_thread.run_sync(self._user_for_session, user_id, session.get("sv"))
                if user is None:
                    session.clear()
                else:
                    state["user"], state["auth_method"] = user, "session"
            if scope["method"] not in SAFE_METHODS:
                content_type = headers.get("content-type", "")
                if not content_type.startswith("application/json"):
                    receive, ok = await self._check_csrf(scope, receive, headers, content_type)
                    if not ok:
                        if scope["path"].startswith("/api"):
                            await _problem(send, 403, "csrf", CSRF_REFUSED)
                        else:
                            # A page form (an expired tab, a session that ended): a page in the reader's language
                            # that says what to do, not problem+json.
                            await _csrf_page(scope, receive, send)
                        return

        refused = False

        async def send_after_audit(message: Message) -> None:
            # Entries not written by the request's own transaction (see deps.get_session) are written before
            # the response starts; if they cannot be, the data is not sent either (503 instead).
            nonlocal refused
            if refused:
                return
            if message["type"] == "http.response.start" and state["audit"]:
                entries, state["audit"] = list(state["audit"]), []
                try:
                    await anyio.to_thread.run_sync(self._write_audit, entries)
                except Exception:  # noqa: BLE001 - reported as a 503; the response it guards is dropped
                    log.exception("could not write %d audit entries; the response is withheld", len(entries))
                    refused = True
                    await _problem(send, 503, "busy", "the access log could not be written; retry shortly")
                    return
            await send(message)

        await self.app(scope, receive, send_after_audit)

    async def _check_csrf(
        self, scope: Scope, receive: Receive, headers: dict[str, str], content_type: str
    ) -> tuple[Receive, bool]:
        expected = (scope.get("session") or {}).get("csrf")
        given = headers.get("x-csrf-token")
        replay = receive
        form = content_type.startswith("application/x-www-form-urlencoded")
        multipart = content_type.startswith("multipart/form-data")
        if given is None and (form or multipart):
            # A multipart body (a file upload without JavaScript) is read in full: InputLimitsMiddleware, outside
            # this one, has already bounded it by the request-size limit.
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                more = message.get("more_body", False)
                if form and size > MAX_FORM_BYTES:
                    break
            body = b"".join(chunks)
            if form:
                given = (parse_qs(body.decode("utf-8", "replace")).get("csrf_token") or [None])[0]
            else:
                given = multipart_field(body, content_type, "csrf_token")
            sent = False

            async def replay_receive() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            replay = replay_receive
        ok = bool(expected) and given is not None and secrets.compare_digest(str(expected), str(given))
        return replay, ok

    def _lookup_session(self) -> AbstractContextManager[Session]:
        """One-statement reads outside a transaction where the database offers it (``Database.autocommit_session``):
        a request's sign-in lookup then costs one round trip instead of three."""
        reader = getattr(self.database, "autocommit_session", None)
        return reader() if reader is not None else self.database.session(write=False)

    def _user_for_token(self, token: str, session: Session | None = None) -> User | None:
        """The token's user, read through ``session`` when given (a deferred lookup reads in the request's own
        transaction: one connection and no extra ``BEGIN``/``ROLLBACK`` per request), else in a lookup session."""
        with nullcontext(session) if session is not None else self._lookup_session() as reader:
            user = user_for_token(reader, token, touch=False)
        if user is not None:
            self._record_use(token)
        return user

    def _record_use(self, token: str) -> None:
        now = time.monotonic()
        seen = self._token_seen.get(token)
        if seen is not None and now - seen < TOKEN_USE_INTERVAL.total_seconds():
            return
        if len(self._token_seen) > 10_000:
            self._token_seen.clear()
        self._token_seen[token] = now
        try:
            with self.database.session(write=True) as session:
                record_token_use(session, token)
        except Exception:  # noqa: BLE001 - a missed last-used time must not fail the request it describes
            log.warning("could not record the use of an API token", exc_info=True)

    def _user_for_session(self, user_id: object, version: object) -> User | None:
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            return None  # a cookie from an older release or not ours: simply signed out
        with self._lookup_session() as session:
            return user_for_session(session, user_id, version)

    def _write_audit(self, entries: list[AuditEntry]) -> None:
        with self.database.session(write=True) as session:
            write_entries(session, entries)


def multipart_field(body: bytes, content_type: str, name: str) -> str | None:
    """The value of the plain (non-file) field ``name`` of a multipart/form-data ``body``, or None."""
    boundary = None
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        return None
    wanted = f'name="{name}"'.encode()
    for part in body.split(b"--" + boundary.encode()):
        head, sep, value = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        disposition = next(
            (line for line in head.split(b"\r\n") if line.lower().startswith(b"content-disposition:")), b""
        )
        fields = [f.strip() for f in disposition.split(b";")]
        if wanted in fields and not any(f.startswith(b"filename") for f in fields):
            return value.removesuffix(b"\r\n").decode("utf-8", "replace")
    return None


CSRF_REFUSED = "missing or wrong CSRF token; reload the page and retry"


async def _csrf_page(scope: Scope, receive: Receive, send: Send) -> None:
    from talentbridge.domain.errors import CsrfRefused
    from talentbridge.web.pages.error_pages import SUMMARIES, render_error

    # The summary says it all (and in the reader's language); the API's English reason is not repeated.
    response = render_error(Request(scope, receive), CsrfRefused(SUMMARIES["csrf"]))
    await response(scope, receive, send)


async def _problem(send: Send, status: int, code: str, detail: str) -> None:
    import json

    body = json.dumps(
        {
            "type": f"https://talentbridge.dev/problems/{code}",
            "title": detail,
            "status": status,
            "detail": detail,
            "code": code,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def resolve_user(request: Request, session: Session | None = None) -> None:
    """Look up the bearer token the middleware left to this endpoint (``DEFERRED_TOKEN_PATHS``); call it in the
    worker thread that does the endpoint's work, before anything reads the user, with the request's ``session``
    (its transaction's first statement). Raises ``NotAuthenticated`` for an invalid or revoked token, as the
    middleware answers."""
    resolve = getattr(request.state, "resolve_user", None)
    if resolve is None:
        return
    request.state.resolve_user = None
    user = resolve(session)
    if user is None:
        raise NotAuthenticated(TOKEN_REFUSED)
    request.state.user = user


def optional_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


def current_user(request: Request) -> User:
    user = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated("sign in first (session cookie or Authorization: Bearer <API token>)")
    return user  # type: ignore[no-any-return]


def audit(request: Request, action: str, entity: str, entity_id: int | None, **detail: Any) -> None:
    """Queue an audit entry for this request (written before the response starts)."""
    user: User | None = getattr(request.state, "user", None)
    entries = getattr(request.state, "audit", None)
    if entries is None:
        return
    client = request.client.host if request.client else None
    entries.append(
        AuditEntry(
            actor_id=user.id if user else None,
            actor_role=user.role.value if user else "anonymous",
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
            ip=client,
        )
    )


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
