"""Input limits, enforced once for every route before any of it runs (``InputLimitsMiddleware``).

- **Body size**: a body larger than ``settings.max_request_bytes`` gets ``413`` problem+json — at once when its
  ``Content-Length`` says so, else as soon as the bytes streamed so far pass the limit. Nothing is parsed and
  nobody is authenticated first (this middleware is the outermost one).
- **Integers**: every integer the database may see fits its columns, which are 32-bit on PostgreSQL
  (``DB_INT_MIN``..``DB_INT_MAX``; SQLite's 64 bits are wider). Checked for every integer in a JSON body, every
  all-digit path segment, and query parameters that hold ids or counts (``id``, ``*_id``, ``page``, ``size``,
  ``limit``, ``top``, ``offset``; not ``external_id``, which is text). Out of range → ``422``.
- **Strings**: a NUL character (PostgreSQL text cannot hold it) or a lone UTF-16 surrogate (not Unicode text; it
  cannot be stored or sent back as UTF-8) anywhere in the path, the query, a JSON body or a form body → ``422``.

Anything these rules miss and the database still refuses (an overflow, a NUL) is turned into ``422`` by the
error handlers (``errors.py``), never a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "DB_INT_MAX",
    "DB_INT_MIN",
    "InputLimitsMiddleware",
    "bad_json_values",
    "bad_text",
    "int_out_of_range",
]

#: The integer range every database column can hold (PostgreSQL ``integer``).
DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1

#: Query parameters that hold ids or counts, range-checked as integers when they look like one.
_INT_QUERY = re.compile(r"^(?!external_id$)(id|.+_id|page|size|limit|top|offset)$")  # external ids are text
_INT_LITERAL = re.compile(r"^[+-]?\d+$")
# A JSON body needs the full check only when it may hold a long integer, \u0000 or a surrogate escape.
_SUSPECT_JSON = re.compile(rb"\d{10}|\\u0000|\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")

PROBLEM_JSON = b"application/problem+json"


def int_out_of_range(value: int) -> bool:
    return not DB_INT_MIN <= value <= DB_INT_MAX


def bad_text(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None when it can."""
    if "\x00" in text:
        return "must not contain the NUL character (\\u0000)"
    if _SURROGATE.search(text):
        return "must be valid Unicode text (it contains a lone surrogate)"
    return None


def bad_json_values(value: Any, loc: tuple[str | int, ...] = ("body",)) -> list[dict[str, Any]]:
    """Every integer out of the database range and every string that cannot be stored, in a parsed JSON value
    (keys included), as problem entries."""
    problems: list[dict[str, Any]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, loc)]
    while stack and len(problems) < 50:
        item, where = stack.pop()
        if isinstance(item, bool) or item is None or isinstance(item, float):
            continue
        if isinstance(item, int):
            if int_out_of_range(item):
                problems.append(
                    _problem(where, f"must be between {DB_INT_MIN} and {DB_INT_MAX}", str(item), "int_range")
                )
        elif isinstance(item, str):
            why = bad_text(item)
            if why:
                problems.append(_problem(where, why, None, "string_unstorable"))
        elif isinstance(item, dict):
            for key, sub in item.items():
                why = bad_text(key)
                if why:
                    problems.append(_problem((*where, "<key>"), why, None, "string_unstorable"))
                    continue
                stack.append((sub, (*where, key)))
        elif isinstance(item, list):
            stack.extend((sub, (*where, i)) for i, sub in enumerate(item))
    problems.sort(key=lambda p: [str(x) for x in p["loc"]])
    return problems


def _problem(loc: tuple[str | int, ...], msg: str, value: Any, kind: str) -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "value": value, "type": kind, "line": None}


def _url_problems(scope: Scope) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = []
    raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    for i, segment in enumerate(raw_path.split(b"?", 1)[0].split(b"/")):
        decoded = unquote_to_bytes(segment)
        if b"\x00" in decoded:
            problems.append(
                _problem(("path", i), "must not contain the NUL character (%00)", None, "string_unstorable")
            )
        elif decoded.isdigit() and int_out_of_range(int(decoded)):
            problems.append(_problem(("path", i), f"must be between 1 and {DB_INT_MAX}", decoded.decode(), "int_range"))
    query = scope.get("query_string", b"")
    if query:
        text = query.decode("latin-1")
        if "%00" in text or "\x00" in text:
            problems.append(_problem(("query",), "must not contain the NUL character (%00)", None, "string_unstorable"))
        for key, value in parse_qsl(text, keep_blank_values=True):
            if _INT_QUERY.match(key) and _INT_LITERAL.match(value.strip()) and int_out_of_range(int(value)):
                problems.append(
                    _problem(("query", key), f"must be between {DB_INT_MIN} and {DB_INT_MAX}", value, "int_range")
                )
    return problems


def _body_problems(body: bytes, content_type: str) -> list[dict[str, Any]]:
    if content_type.startswith("application/json") or content_type.endswith("+json"):
        if not _SUSPECT_JSON.search(body):
            return []
        try:
            parsed = json.loads(body)
        except ValueError:
            return []  # the route reports malformed JSON itself (422)
        return bad_json_values(parsed)
    if content_type.startswith("application/x-www-form-urlencoded") and b"%00" in body:
        return [_problem(("body",), "must not contain the NUL character (%00)", None, "string_unstorable")]
    return []


async def send_problem(send: Send, scope: Scope, status: int, code: str, title: str, detail: str, **extra: Any) -> None:
    body = json.dumps(
        {
            "type": f"https://talentbridge.dev/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            "code": code,
            **extra,
        },
        ensure_ascii=True,
    ).encode()
    headers = [(b"content-type", PROBLEM_JSON), (b"content-length", str(len(body)).encode())]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> tuple[str, str]:
    return "Request body too large", f"the request body is larger than {limit} bytes (TALENTBRIDGE_MAX_REQUEST_BYTES)"


async def _send_invalid(send: Send, scope: Scope, problems: list[dict[str, Any]]) -> None:
    detail = f"{len(problems)} invalid field(s): " + "; ".join(
        ".".join(str(p) for p in pr["loc"]) + ": " + pr["msg"] for pr in problems[:10]
    )
    await send_problem(send, scope, 422, "validation", "Invalid input", detail, errors=problems)


class InputLimitsMiddleware:
    """Body size, integer range and storable-text checks for every HTTP request (see the module docstring).

    A JSON or form body is read in full (it is at most ``max_bytes``) and handed on unchanged; other bodies
    (file uploads) stream through, counted.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = _url_problems(scope)
        if problems:
            await _send_invalid(send, scope, problems)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            await send_problem(send, scope, 413, "too_large", *_too_large(self.max_bytes), limit=self.max_bytes)
            return
        content_type = headers.get("content-type", "").lower()
        if content_type.startswith(("application/json", "application/x-www-form-urlencoded")) or (
            content_type.endswith("+json")
        ):
            await self._buffered(scope, receive, send, content_type)
        else:
            await self._streamed(scope, receive, send)

    async def _buffered(self, scope: Scope, receive: Receive, send: Send, content_type: str) -> None:
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_problem(send, scope, 413, "too_large", *_too_large(self.max_bytes), limit=self.max_bytes)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        problems = _body_problems(body, content_type)
        if problems:
            await _send_invalid(send, scope, problems)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = 0
        refused = False
        started = False

        async def counted_receive() -> Message:
            nonlocal size, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > self.max_bytes:
                    # Answer now and tell the app the client left: it stops reading, and whatever it still
                    # sends is dropped below.
                    refused = True
                    if not started:
                        await send_problem(
                            send, scope, 413, "too_large", *_too_large(self.max_bytes), limit=self.max_bytes
                        )
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted_receive, guarded_send)
