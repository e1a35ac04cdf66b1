"""The OpenAPI document, completed in one place: the error responses every API operation can give and the
integer ranges the input limits enforce (``install_openapi_errors``).

Routes declare their success response; the errors come from shared machinery (the error handlers, the auth and
input-limit middlewares), so they are declared here, by the same rules that produce them:

| status | when | declared on |
|---|---|---|
| 400 | a body that cannot be read | operations with a request body |
| 401 | not signed in, or an invalid/revoked API token (checked on every request that sends one) | every operation |
| 403 | the role may not do this; a missing CSRF token | every operation |
| 404 | an id that does not exist (in the path, the query or the body) | operations with a path parameter, an id in the query, or a body |
| 409 | a duplicate or a state that forbids the change | operations that write |
| 413 | a body larger than ``TALENTBRIDGE_MAX_REQUEST_BYTES`` | every operation |
| 422 | invalid input: schema, range, text the database cannot store | every operation |
| 429 | too many attempts | every operation |
| 503 | the database is not ready, or stayed busy longer than its timeout | every operation |

Every error is ``application/problem+json`` (RFC 9457) with the ``Problem`` schema below.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from talentbridge.web.limits import DB_INT_MAX, DB_INT_MIN

__all__ = ["install_openapi_errors", "complete_openapi", "PROBLEM_SCHEMA", "ERROR_TITLES"]

ERROR_TITLES: dict[int, str] = {
    400: "Malformed request",
    401: "Not signed in, or the API token is invalid or revoked",
    403: "Not allowed for this account (or a missing CSRF token)",
    404: "Not found",
    409: "Conflict with the stored state (duplicate, or not allowed in the current status)",
    413: "Request body too large",
    422: "Invalid input (every invalid field is listed in errors)",
    429: "Too many requests; retry after the Retry-After header's seconds",
    503: "Database not ready or busy; retry shortly",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string", "description": "Stable machine-readable code, e.g. validation, not_found."},
        "errors": {
            "type": "array",
            "description": "Every invalid field (422).",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}

_ALWAYS = (401, 403, 413, 422, 429, 503)
_WRITES = {"post", "put", "patch", "delete"}


def _error_codes(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    codes = set(_ALWAYS)
    params = operation.get("parameters", [])
    has_body = "requestBody" in operation
    if has_body:
        codes.add(400)
    if (
        has_body
        or any(p.get("in") == "path" for p in params)
        or any(p.get("in") == "query" and (p["name"] == "id" or p["name"].endswith("_id")) for p in params)
    ):
        codes.add(404)
    if method in _WRITES:
        codes.add(409)
    return sorted(codes)


def _bound_integers(node: Any) -> None:
    """Give every integer schema without bounds the database's range (limits.py enforces it)."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("maximum", DB_INT_MAX)
            node.setdefault("minimum", DB_INT_MIN)
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)


def complete_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema, each operation's error responses and integer bounds to ``schema`` (in place)."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    _bound_integers(schemas)
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
                continue
            _bound_integers(operation.get("parameters", []))
            _bound_integers(operation.get("requestBody", {}))
            responses = operation.setdefault("responses", {})
            for code in _error_codes(path, method, operation):
                entry = responses.setdefault(str(code), {"description": ERROR_TITLES[code]})
                # FastAPI's default 422 points at HTTPValidationError; the app answers problem+json instead.
                entry["description"] = entry.get("description") if code != 422 else ERROR_TITLES[422]
                entry["content"] = {"application/problem+json": {"schema": problem}}
                if code in {429, 503}:
                    entry["headers"] = {
                        "Retry-After": {
                            "description": "Seconds to wait before retrying.",
                            "schema": {"type": "integer"},
                        }
                    }
    for unused in ("HTTPValidationError", "ValidationError"):
        if not _referenced(schema, f"#/components/schemas/{unused}"):
            schemas.pop(unused, None)
    return schema


def _referenced(node: Any, ref: str) -> bool:
    if isinstance(node, dict):
        return node.get("$ref") == ref or any(_referenced(v, ref) for v in node.values())
    if isinstance(node, list):
        return any(_referenced(v, ref) for v in node)
    return False


def install_openapi_errors(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed document (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                servers=app.servers,
            )
            app.openapi_schema = complete_openapi(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
