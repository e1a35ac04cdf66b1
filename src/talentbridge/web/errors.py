"""One place that turns every error into RFC 9457 problem+json (API) — no 500 for a client's mistake."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from talentbridge.domain.errors import Problem, TalentBridgeError, ValidationFailed

__all__ = ["install_error_handlers", "problem_response"]

log = logging.getLogger("talentbridge.web")

PROBLEM_JSON = "application/problem+json"
_RESERVED = {"type", "title", "status", "detail", "instance", "code", "errors"}


def problem_response(status: int, title: str, detail: str, code: str, request: Request, **extra: Any) -> JSONResponse:
    body = {
        "type": f"https://talentbridge.dev/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": str(request.url.path),
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


async def _talentbridge_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TalentBridgeError)
    if exc.status >= 500:
        log.error("%s: %s", exc.code, exc.message)
    # Details never overwrite the problem's own members (a detail named "status" once made this a 500).
    extra: dict[str, Any] = {k: _jsonable(v) for k, v in exc.details.items() if k not in _RESERVED}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = [_jsonable(p.as_dict()) for p in exc.problems]
    handler = getattr(request.app.state, "html_error_handler", None)
    if handler is not None and _wants_html(request):
        response = handler(request, exc)
    else:
        response = problem_response(exc.status, exc.title, exc.message, exc.code, request, **extra)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response  # type: ignore[no-any-return]


def _html_errors(request: Request) -> Any:
    """The HTML error pages (web/pages/error_pages.py) when the pages are installed and a person is reading."""
    pages = getattr(request.app.state, "html_errors", None)
    return pages if pages is not None and _wants_html(request) else None


async def _request_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    pages = _html_errors(request)
    if pages is not None:
        return pages.render_request_validation(request, list(exc.errors()))  # type: ignore[no-any-return]
    problems = []
    for err in exc.errors():
        msg = str(err.get("msg", "invalid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        value = err.get("input")
        problems.append(
            Problem(
                loc=tuple(err.get("loc", ())),
                msg=msg,
                value=None if isinstance(value, dict) else _jsonable(value),
                type=str(err.get("type", "invalid")),
            ).as_dict()
        )
    detail = f"{len(problems)} invalid field(s): " + "; ".join(
        ".".join(str(p) for p in pr["loc"]) + ": " + pr["msg"] for pr in problems[:10]
    )
    return problem_response(422, "Invalid input", detail, "validation", request, errors=problems)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated", 403: "forbidden"}.get(
        exc.status_code, "http_error"
    )
    pages = _html_errors(request)
    if pages is not None:
        return pages.render_http_error(request, exc.status_code, code)  # type: ignore[no-any-return]
    return problem_response(exc.status_code, str(exc.detail), str(exc.detail), code, request)


def _database_refusal(exc: BaseException) -> tuple[int, str, str, str] | None:
    """(status, title, detail, code) when ``exc`` is the database refusing a client's value or being busy —
    the safety net behind the input limits (limits.py), so these never become a 500."""
    from sqlalchemy.exc import DataError, OperationalError, StatementError
    from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout

    cause: BaseException | None = exc.orig if isinstance(exc, StatementError) else exc  # type: ignore[assignment]
    text = str(cause or exc)
    if isinstance(cause, OverflowError) or (isinstance(exc, DataError) and "out of range" in text):
        return (
            422,
            "Invalid input",
            "a number is out of the range the database can store (-2147483648..2147483647)",
            "validation",
        )
    if isinstance(cause, UnicodeError) or (isinstance(exc, DataError) and ("NUL" in text or "0x00" in text)):
        return (
            422,
            "Invalid input",
            "a text contains a character the database cannot store (NUL or a lone surrogate)",
            "validation",
        )
    if isinstance(exc, SQLAlchemyTimeout) or (isinstance(exc, OperationalError) and "locked" in text):
        return 503, "Database busy", "the database stayed busy longer than its busy timeout; retry shortly", "busy"
    return None


async def _unexpected(request: Request, exc: Exception) -> Response:
    refusal = _database_refusal(exc)
    if refusal is not None:
        status, title, detail, code = refusal
        log.warning("%s on %s %s: %s", code, request.method, request.url.path, exc)
        response = problem_response(status, title, detail, code, request)
        if status == 503:
            response.headers["Retry-After"] = "1"
        return _with_security_headers(request, response)
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    pages = _html_errors(request)
    response: Response | None = None
    if pages is not None:
        try:
            response = pages.render_unexpected(request)
        except Exception:  # noqa: BLE001 - the error page itself failed: fall back to problem+json
            log.exception("the error page failed")
    if response is None:
        response = problem_response(
            500, "Internal error", "An unexpected error occurred; it has been logged.", "internal", request
        )
    return _with_security_headers(request, response)


def _with_security_headers(request: Request, response: Response) -> Response:
    """Answers made outside the middleware stack (Starlette's ServerErrorMiddleware) get the security headers here."""
    from talentbridge.web.security_headers import security_headers

    settings = getattr(request.app.state, "settings", None)
    production = getattr(settings, "environment", None) == "production"
    for name, value in security_headers(request.url.path, hsts=production):
        response.headers.setdefault(name, value)
    return response


def _wants_html(request: Request) -> bool:
    # htmx asks with the browser's default Accept (*/*) and swaps what it gets into the page: HTML, never JSON
    wants = "text/html" in request.headers.get("accept", "") or bool(request.headers.get("hx-request"))
    return not request.url.path.startswith("/api/") and wants


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TalentBridgeError, _talentbridge_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # The database refusing a value (overflow, NUL, bad Unicode) or staying locked: 422/503, handled inside the
    # middleware stack like any other error (a handler for Exception alone runs outermost and re-raises).
    from sqlalchemy.exc import StatementError
    from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout

    for kind in (OverflowError, UnicodeError, StatementError, SQLAlchemyTimeout):
        app.add_exception_handler(kind, _unexpected)
    app.add_exception_handler(Exception, _unexpected)
