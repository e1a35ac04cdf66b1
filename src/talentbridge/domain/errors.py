"""The one exception tree of TalentBridge.

    TalentBridgeError                 code="error"          any failure the product reports on purpose
    ├── ValidationFailed              code="validation"     bad input; ``problems`` lists every bad field
    │   ├── ImportRejected            code="import_rejected" a file with bad rows; nothing was written
    │   └── InstanceInvalid           code="instance_invalid" a malformed matching instance
    ├── NotFound                      code="not_found"      an id that does not exist
    ├── Conflict                      code="conflict"       a duplicate key (business number, email, external id)
    ├── InvalidState                  code="invalid_state"  an action not allowed in the current status
    ├── PermissionDenied              code="forbidden"      the caller may not do this
    │   └── NotAuthenticated          code="unauthenticated" the caller is not signed in
    ├── InputTooLarge                 code="too_large"      a text or file beyond the documented limit
    ├── TooManyRequests               code="rate_limited"   too many attempts (sign-in); ``retry_after`` seconds
    ├── ConfigurationError            code="configuration"  settings that cannot work
    │   └── RulesInvalid              code="rules_invalid"  support rule files that do not validate (every problem)
    ├── DatabaseNotReady              code="database_not_ready" the schema is missing or behind: run ``db upgrade``
    ├── WarmingUp                     code="warming_up"     a model is still loading after a start: retry soon
    └── SolverError                   code="solver"         an optimisation that found no solution

The web layer maps each to RFC 9457 problem+json (``status`` below); the CLI prints one red line and exits
non-zero. The core never raises HTTP errors.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "Problem",
    "TalentBridgeError",
    "ValidationFailed",
    "ImportRejected",
    "InstanceInvalid",
    "NotFound",
    "Conflict",
    "InvalidState",
    "PermissionDenied",
    "Msg",
    "Alternatives",
    "CsrfRefused",
    "NotAuthenticated",
    "InputTooLarge",
    "TooManyRequests",
    "ConfigurationError",
    "RulesInvalid",
    "DatabaseNotReady",
    "SolverError",
    "WarmingUp",
]


class Msg(str):
    """A message with values, for a person to read: it is its English text (a plain ``str`` everywhere: logs, the
    API's problem+json) and keeps its ``template`` and ``values``, so a page can say it in the reader's language
    (the catalogs hold the template: ``Msg("opening {opening} is listed twice", opening=5)``)."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Msg:
        text = super().__new__(cls, template.format(**values))
        text.template = template
        text.values = values
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_msg, (self.template, self.values))


def _msg(template: str, values: dict[str, Any]) -> Msg:
    return Msg(template, **values)


class Alternatives(str):
    """Coded values as a value of a ``Msg``: ``"draft or collecting"`` in English; a page translates each one."""

    choices: tuple[str, ...]

    def __new__(cls, choices: Any) -> Alternatives:
        items = tuple(str(c) for c in choices)
        text = super().__new__(cls, " or ".join(items))
        text.choices = items
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Alternatives, (self.choices,))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (``loc``), why (``msg``) and the offending ``value``.

    ``loc`` is a path such as ``("body", "email")``, ``("row", 17, "region")`` or ``("applicants", 3, "id")``.
    For file imports ``line`` is the 1-based line (CSV/JSONL) or sheet row (XLSX) the problem is on.
    """

    loc: tuple[str | int, ...]
    msg: str
    value: Any = None
    type: str = "invalid"
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["loc"] = list(self.loc)
        if data["line"] is None:
            del data["line"]
        return data

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.loc)
        prefix = f"line {self.line}: " if self.line is not None else ""
        shown = "" if self.value is None else f" (got {self.value!r:.80})"
        return f"{prefix}{where}: {self.msg}{shown}"


class TalentBridgeError(Exception):
    """Base of every error TalentBridge reports on purpose."""

    code = "error"
    status = 400
    title = "Request failed"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}


class ValidationFailed(TalentBridgeError):
    """Input with one or more bad fields; ``problems`` holds all of them, not just the first."""

    code = "validation"
    status = 422
    title = "Invalid input"

    def __init__(self, message: str, problems: list[Problem] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        shown = "; ".join(str(p) for p in self.problems[:20])
        more = f" (+{len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        return f"{self.message}: {shown}{more}"

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": [p.as_dict() for p in self.problems]}


class ImportRejected(ValidationFailed):
    """A file import with bad rows. Nothing was written; every bad row is listed."""

    code = "import_rejected"
    title = "Import rejected"


class InstanceInvalid(ValidationFailed):
    """A matching instance that is malformed (unknown ids, duplicates, negative capacities ...)."""

    code = "instance_invalid"
    title = "Invalid matching instance"


class NotFound(TalentBridgeError):
    code = "not_found"
    status = 404
    title = "Not found"

    def __init__(self, entity: str, key: Any, message: str | None = None) -> None:
        super().__init__(message or f"{entity} {key!r} does not exist", entity=entity, key=key)
        self.entity = entity
        self.key = key


class Conflict(TalentBridgeError):
    code = "conflict"
    status = 409
    title = "Conflict"


class InvalidState(TalentBridgeError):
    code = "invalid_state"
    status = 409
    title = "Not allowed in the current state"


class PermissionDenied(TalentBridgeError):
    code = "forbidden"
    status = 403
    title = "Forbidden"


class CsrfRefused(PermissionDenied):
    """An unsafe browser request without the session's CSRF token (an old tab, a session that ended meanwhile)."""

    code = "csrf"
    title = "Form expired"


class NotAuthenticated(PermissionDenied):
    code = "unauthenticated"
    status = 401
    title = "Not signed in"


class InputTooLarge(TalentBridgeError):
    code = "too_large"
    status = 413
    title = "Input too large"


class TooManyRequests(TalentBridgeError):
    """Too many attempts in a while (failed sign-ins); the web sends 429 with ``Retry-After: retry_after``."""

    code = "rate_limited"
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class ConfigurationError(TalentBridgeError):
    code = "configuration"
    status = 500
    title = "Configuration error"


class RulesInvalid(ConfigurationError):
    """Rule files (``support/rules``) that do not validate; ``problems`` lists every one, by file and field."""

    code = "rules_invalid"
    title = "Invalid rule files"

    def __init__(self, message: str, problems: list[Problem] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        return "; ".join([self.message, *(str(p) for p in self.problems)])

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": [p.as_dict() for p in self.problems]}


class DatabaseNotReady(TalentBridgeError):
    code = "database_not_ready"
    status = 503
    title = "Database not ready"


class SolverError(TalentBridgeError):
    code = "solver"
    status = 500
    title = "Solver failed"


class WarmingUp(TalentBridgeError):
    """A model the request needs is still loading in the server's background warm-up; retry in a moment."""

    code = "warming_up"
    status = 503
    title = "Warming up"
