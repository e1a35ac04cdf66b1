"""Error pages for people: every error a page route meets (validation, 403, 404, 405, 409, 500) becomes an HTML
page in the reader's language, with one plain message per bad field. The JSON API keeps problem+json
(web/errors.py); nothing here is used for ``/api``.

Pydantic's own texts ("body.name: String should have at least 1 character") never reach a person: each error type
maps to a translated message with its limits filled in, and each field name to a translated label.

Message ids are marked with the no-op ``_()`` below (so scripts/extract_messages.py finds them) and translated
when a page is rendered.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from talentbridge.domain.errors import NotAuthenticated, NotFound, Problem, TalentBridgeError, ValidationFailed
from talentbridge.web.i18n import catalog, gettext_for, request_language

__all__ = [
    "field_label",
    "problem_message",
    "pydantic_message",
    "render_error",
    "render_http_error",
    "render_request_validation",
    "render_unexpected",
    "translator",
    "form_errors",
    "import_reason",
]

log = logging.getLogger("talentbridge.web")


def _(message: str) -> str:
    """Marks a message id for the catalogs; translated at render time."""
    return message


#: Field names (the last part of an error's location) -> label ids.
FIELD_LABELS: dict[str, str] = {
    "reason": _("What should a person look at again, and why?"),  # AI review requests (pages/ai_ui.py)
    "answer": _("Answer"),
    "subject": _("AI result"),
    "record": _("AI record"),
    "period": _("Period"),
    "name": _("Name"),
    "email": _("Email"),
    "password": _("Password"),
    "role": _("Role"),
    "organization": _("Organization"),
    "organization_id": _("Organization"),
    "organization_name": _("Organization"),
    "talent_id": _("Talent"),
    "language": _("Language"),
    "title": _("Title"),
    "description": _("Description"),
    "kind": _("Kind"),
    "region": _("Region"),
    "website": _("Website"),
    "seats": _("Seats"),
    "deadline": _("Deadline"),
    "salary_min": _("Salary from"),
    "salary_max": _("Salary to"),
    "file": _("File"),
    "entity": _("Records"),
    "format": _("Format"),
    "token": _("Reset link"),
    "page": _("Page"),
    "q": _("Search"),
    "program_id": _("Programme"),
    "run_id": _("Run"),
    "mechanism": _("Mechanism"),
    "action": _("Action"),
    "skill_id": _("Skill"),
    "level": _("Level"),
    "resume_text": _("Résumé"),
    "available_from": _("Available from"),
    "desired_roles": _("Desired roles"),
    "category": _("Category"),
    "employment_types": _("Employment types"),
    "salary_expectation": _("Expected salary"),
    "phone": _("Phone"),
    "name_en": _("Name in English"),
    "business_number": _("Business registration number"),
    "size_band": _("Size"),
    "founded": _("Founded"),
    "required_skills": _("Required skills"),
    "skills": _("Skills"),
    "min_level": _("Level"),
    "importance": _("Importance"),
    "alias": _("Alias"),
    "text": _("Text"),
    "lang": _("Language"),
}

#: Entities named in "not found" messages.
ENTITY_LABELS: dict[str, str] = {
    "talent": _("Talent"),
    "organization": _("Organization"),
    "opening": _("Opening"),
    "program": _("Programme"),
    "round": _("Round"),
    "run": _("Run"),
    "user": _("Account"),
    "application": _("Application"),
    "placement": _("Placement"),
    "skill": _("Skill"),
    "notification": _("Notification"),
    "page": _("Page"),
    "alias": _("Alias"),
}

#: What each error means to the reader, by error code (the detail in English follows only for English readers).
SUMMARIES: dict[str, str] = {
    "validation": _("Some of what you entered cannot be used. Correct the fields below and try again."),
    "import_rejected": _("The file has rows that cannot be imported. Nothing was written."),
    "not_found": _("The {entity} you asked for does not exist ({key}). It may have been deleted."),
    "forbidden": _("Your account may not open this page or do this. Ask an operator if you need access."),
    "csrf": _(
        "This form has expired (the page was open for a long time, or you signed in or out meanwhile). Nothing was saved: go back, reload the page and submit it again."
    ),  # noqa: E501
    "conflict": _("This conflicts with a record that already exists."),
    "invalid_state": _("This cannot be done in the current state."),
    "too_large": _("The input is larger than allowed."),
    "method_not_allowed": _("This address does not accept that kind of request."),
    "http_error": _("The request could not be handled."),
    "internal": _("Something went wrong on our side. It has been logged; please try again later."),
    "database_not_ready": _("The database is being prepared. Try again in a minute."),
    "warming_up": _(
        "AI is warming up (loading its model after a restart). This takes up to a minute; try again shortly. Everything else works meanwhile."
    ),  # noqa: E501
}

#: Pydantic error types -> messages; limits come from the error's ``ctx``.
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": _("This field is required."),
    "string_too_long": _("Use at most {max_length} characters."),
    "string_type": _("Enter text."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "decimal_parsing": _("Enter a number."),
    "bool_parsing": _("Choose yes or no."),
    "bool_type": _("Choose yes or no."),
    "greater_than_equal": _("Enter {ge} or more."),
    "greater_than": _("Enter more than {gt}."),
    "less_than_equal": _("Enter {le} or less."),
    "less_than": _("Enter less than {lt}."),
    "literal_error": _("Choose one of: {expected}."),
    "enum": _("Choose one of: {expected}."),
    "date_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_type": _("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": _("Enter a date and time."),
    "datetime_from_date_parsing": _("Enter a date and time."),
    "url_parsing": _("Enter a web address starting with http:// or https://."),
    "url_scheme": _("Enter a web address starting with http:// or https://."),
    "url_type": _("Enter a web address starting with http:// or https://."),
    "value_error.email": _("Enter an email address."),
    "json_invalid": _("This is not valid JSON."),
    "too_long": _("Give at most {max_length} items."),
    "too_short": _("Give at least {min_length} items."),
    "list_type": _("Give a list."),
    "dict_type": _("Give a set of values."),
    "extra_forbidden": _("This field is not expected."),
    "uuid_parsing": _("This is not a valid identifier."),
}
EMPTY = _("This field must not be empty.")
TOO_SHORT = _("Use at least {min_length} characters.")
INVALID = _("This value is not valid.")
FILE_LEVEL = _("Whole request")
LINE = _("Line {line}")
NOT_ALLOWED = _("Not allowed")
WARMING_UP_TITLE = _("Warming up")  # domain.errors.WarmingUp.title

USE_AT_LEAST = _("use at least {n} characters")
#: Messages our own services write in English (domain Problems); translated when the catalog knows them.
SERVICE_MESSAGES = [
    _("not an email address"),
    _("a name is required"),
    _("organization members belong to an organization"),
    _("no organization with this id"),
    _("no talent with this id"),
    _("no leading or trailing spaces"),
    _("ko or en"),
    # the importer's cell messages (services/importing.py)
    _("required column is missing"),
    _("expected a whole number"),
    _("expected a number"),
    _("expected true or false (also yes/no, 1/0, 예/아니오)"),
    _("expected a date as YYYY-MM-DD"),
    _("expected a JSON array"),
    _("expected a list of texts"),
    _("expected text, not a list or object"),
    _("expected skill_id:level[:years], e.g. pytorch:4:3"),
    _("expected skill_id:min_level[:must|should|nice], e.g. pytorch:3:must"),
    _("an organization cannot be its own parent"),
]


def _ctx_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def field_label(loc: tuple[str | int, ...] | list[Any], tr: Any) -> str:
    """The translated label of the field at ``loc`` ('body'/'query'/'form' prefixes dropped)."""
    parts = [p for p in loc if p not in ("body", "query", "path", "form", "header", "cookie", "row")]
    names = [p for p in parts if isinstance(p, str)]
    if not names:
        return str(tr(FILE_LEVEL))
    name = names[-1]
    label = FIELD_LABELS.get(name)
    shown = str(tr(label)) if label is not None else name.replace("_", " ")
    index = [p for p in parts if isinstance(p, int)]
    return f"{shown} {index[-1] + 1}" if index and len(parts) > 1 and parts[-1] != name else shown


def pydantic_message(error: dict[str, Any], tr: Any) -> str:
    """One pydantic error as a sentence in the reader's language."""
    kind = str(error.get("type", ""))
    ctx = {k: _ctx_text(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "string_too_short":
        return str(tr(EMPTY)) if ctx.get("min_length") in ("1", None) else str(tr(TOO_SHORT, **ctx))
    if kind == "value_error":
        msg = str(error.get("msg", ""))
        msg = msg.removeprefix("Value error, ")
        if "email" in msg.lower():
            return str(tr(PYDANTIC_MESSAGES["value_error.email"]))
        translated = catalog_text(msg, tr)
        return translated or str(tr(INVALID))
    message = PYDANTIC_MESSAGES.get(kind)
    if message is None:
        return str(tr(INVALID))
    try:
        return str(tr(message, **{k: v for k, v in ctx.items() if "{" + k + "}" in message}))
    except (KeyError, IndexError):
        return str(tr(INVALID))


def catalog_text(message: str, tr: Any) -> str | None:
    """``message`` translated when the catalog knows it; None otherwise. A ``Msg`` (a message with values) is
    translated by its template, and each text value the catalogs know (a status, an action) is translated too."""
    if not message:
        return None
    template = getattr(message, "template", None)
    if template is not None:
        values = {k: _value_text(v, tr) for k, v in message.values.items()}  # type: ignore[attr-defined]
        translated = tr(template, **values)
        return str(translated) if translated != message or getattr(tr, "lang", "ko") == "en" else None
    translated = tr(message)
    return str(translated) if translated != message or getattr(tr, "lang", "ko") == "en" else None


def _value_text(value: Any, tr: Any) -> Any:
    """A value inside a message: a nested ``Msg`` or a coded text the catalogs know (a status) is translated."""
    if getattr(value, "template", None) is not None:
        return catalog_text(value, tr) or str(value)
    if getattr(value, "choices", None) is not None:
        return f" {tr('or')} ".join(str(tr(c)) for c in value.choices)
    return str(tr(value)) if isinstance(value, str) and value else value


def problem_message(problem: Problem, tr: Any) -> str:
    """A service's Problem (English ``msg``) in the reader's language, with its line when it has one."""
    text = catalog_text(problem.msg, tr)
    if text is None and problem.msg.startswith("use at least ") and problem.msg.endswith(" characters"):
        text = str(tr(USE_AT_LEAST, n=problem.msg.split()[3]))
    if text is None:
        text = str(tr(INVALID)) if getattr(tr, "lang", "ko") != "en" else problem.msg
    if problem.line is not None:
        text = f"{tr(LINE, line=problem.line)}: {text}"
    return text


def translator(request: Request) -> Any:
    """``tr(message, **values)`` in the reader's language (``tr.lang`` says which)."""
    lang = request_language(request)
    gettext = gettext_for(lang)
    messages = catalog(lang)

    def tr(message: str, **values: Any) -> str:
        if message in messages or not values:
            return str(gettext(message, **values))
        return message.format(**values)

    tr.lang = lang  # type: ignore[attr-defined]
    return tr


def _page(
    request: Request,
    status: int,
    title: str,
    summary: str,
    problems: list[tuple[str, str]] | None = None,
    detail: str | None = None,
    detail_en: str | None = None,
) -> HTMLResponse:
    from talentbridge.web.pages.rendering import is_htmx, render

    # An HTMX request (a suggestion button, an upload) swaps the answer into a part of the page, and htmx 2 swaps
    # only 2xx answers: a client's mistake answered 4xx left that part unchanged, so the reader saw nothing. It
    # gets the error card alone, as 200, where the answer would have appeared. Server errors keep their status.
    fragment = is_htmx(request) and status < 500
    return render(
        request,
        "_error.html" if fragment else "error.html",
        status_code=200 if fragment else status,
        error_title=title,
        error_summary=summary,
        error_problems=problems or [],
        error_detail=detail,
        error_detail_en=detail_en,
        error_status=status,
        error_fragment=fragment,
        back_url=None if fragment else _same_site_referer(request),
    )


def _same_site_referer(request: Request) -> str | None:
    """The page the reader came from (to go back and correct a form), only when it is on this site."""
    from urllib.parse import urlsplit

    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "") if path.startswith("/") else None


def render_error(request: Request, exc: TalentBridgeError) -> Response:
    """A TalentBridgeError raised by a page route, as a page."""
    from talentbridge.web.pages.rendering import is_htmx, redirect

    if isinstance(exc, NotAuthenticated):
        return redirect(f"/login?next={request.url.path}")
    tr = translator(request)
    if exc.code == "warming_up" and is_htmx(request):
        # An HTMX fragment (skill suggestions): say so where the answer would appear; htmx swaps only 2xx.
        from talentbridge.web.pages.rendering import render

        return render(request, "_warming_up.html", message=str(tr(SUMMARIES["warming_up"])))
    title = str(tr(exc.title))
    if isinstance(exc, NotFound):
        entity = ENTITY_LABELS.get(exc.entity)
        summary = str(tr(SUMMARIES["not_found"], entity=tr(entity) if entity else exc.entity, key=exc.key))
    else:
        summary = str(tr(SUMMARIES.get(exc.code, SUMMARIES["http_error"])))
    problems: list[tuple[str, str]] = []
    if isinstance(exc, ValidationFailed):
        problems = [(field_label(p.loc, tr), problem_message(p, tr)) for p in exc.problems[:50]]
    own = catalog_text(exc.message, tr)
    detail = own if own and own != summary else None
    # A reason no catalog knows yet is still worth more than nothing: shown, marked as English.
    detail_en = exc.message if own is None and exc.message and not problems else None
    return _page(request, exc.status, title, summary, problems, detail, detail_en)


def render_request_validation(request: Request, errors: list[dict[str, Any]]) -> Response:
    """FastAPI's RequestValidationError on a page route: every bad field, in the reader's language."""
    tr = translator(request)
    problems = [(field_label(tuple(e.get("loc", ())), tr), pydantic_message(e, tr)) for e in errors[:50]]
    return _page(request, 422, str(tr("Invalid input")), str(tr(SUMMARIES["validation"])), problems)


def render_http_error(request: Request, status: int, code: str) -> Response:
    """404, 405 and other HTTP errors of page routes."""
    tr = translator(request)
    titles = {404: "Not found", 403: "Forbidden", 401: "Not signed in", 405: NOT_ALLOWED}
    title = str(tr(titles.get(status, "Request failed")))
    if status == 404:
        summary = str(tr(_("There is no page at this address. Check the link or start again from the start page.")))
    else:
        summary = str(tr(SUMMARIES.get(code, SUMMARIES["http_error"])))
    return _page(request, status, title, summary)


def render_unexpected(request: Request) -> Response:
    tr = translator(request)
    return _page(request, 500, str(tr("Error")), str(tr(SUMMARIES["internal"])))


def form_errors(request: Request, exc: Any) -> list[str]:
    """ "Field: message" lines in the reader's language for a form that failed: a pydantic ValidationError, a
    ValidationFailed, or a list of either's items. For pages that show the form again with its errors."""
    tr = translator(request)
    if hasattr(exc, "errors") and callable(exc.errors):
        items: list[Any] = list(exc.errors())
    elif isinstance(exc, ValidationFailed):
        items = list(exc.problems)
    else:
        items = list(exc)
    lines = []
    for item in items:
        if isinstance(item, Problem):
            lines.append(f"{field_label(item.loc, tr)}: {problem_message(item, tr)}")
        else:
            lines.append(f"{field_label(tuple(item.get('loc', ())), tr)}: {pydantic_message(item, tr)}")
    return lines


def import_reason(problem: Problem, tr: Any) -> tuple[str, bool]:
    """(reason, in_english) for one row problem of an import report: translated when the catalog or the
    pydantic error type says what it means, else the importer's English text (marked so pages can say so)."""
    import re

    known = catalog_text(problem.msg, tr)
    if known is not None and (getattr(tr, "lang", "ko") != "en" or problem.msg in catalog("en")):
        return known, False
    kind = problem.type
    if kind in ("enum", "literal_error"):
        options = re.findall(r"'([^']*)'", problem.msg)
        if options:
            return str(tr(PYDANTIC_MESSAGES["enum"], expected=", ".join(options))), False
    message = PYDANTIC_MESSAGES.get(kind)
    if message is not None and "{" not in message:
        return str(tr(message)), False
    if kind == "string_too_short":
        return str(tr(EMPTY)), False
    return problem.msg, getattr(tr, "lang", "ko") != "en"
