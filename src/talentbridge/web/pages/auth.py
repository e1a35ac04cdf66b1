"""Sign-in, sign-out, sign-up and password-reset pages (forms with CSRF tokens)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from talentbridge.domain.errors import Conflict, NotAuthenticated, TalentBridgeError, TooManyRequests, ValidationFailed
from talentbridge.services import accounts
from talentbridge.services import signup as signup_service
from talentbridge.web.auth import login_session, sign_out
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.error_pages import field_label, problem_message, translator
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.sign_in import sign_in_request

router = APIRouter(include_in_schema=False)


def _safe_next(url: str | None) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=_safe_next(next), email="", message=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    _ = gettext_for(request_language(request))
    try:
        user = sign_in_request(request, session, email, password)
    except TooManyRequests as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        msg = _("Too many failed sign-ins. Try again in {minutes} minutes.", minutes=minutes)
        page = render(request, "login.html", status_code=429, next=_safe_next(next), email=email, message=msg)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except NotAuthenticated as exc:
        msg = _("Wrong email or password.") if "wrong" in exc.message else _("This account is not active yet.")
        return render(request, "login.html", status_code=401, next=_safe_next(next), email=email, message=msg)
    login_session(request, user)
    return redirect(_safe_next(next))


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    sign_out(request, session)
    return redirect("/login")


SIGNUP_ROLES = ("talent", "org_member")


def _signup_form(request: Request, status_code: int = 200, **context: object) -> Response:
    values: dict[str, object] = {"form": {}, "errors": [], "choices": []}
    values.update(context)
    return render(request, "signup.html", status_code=status_code, **values)


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, role: str = "talent") -> Response:
    return _signup_form(request, form={"role": role if role in SIGNUP_ROLES else "talent"})


@router.get("/signup/organizations", response_class=HTMLResponse)
def signup_organizations(
    request: Request, session: SessionDep, organization_name: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """HTMX: organizations whose name contains what was typed, as choices for the signup form."""
    from talentbridge.services.account_admin import find_organizations

    choices = find_organizations(session, organization_name) if len(organization_name.strip()) >= 1 else []
    return render(request, "_signup_organizations.html", choices=choices, query=organization_name.strip(), chosen=None)


def _signup_organization(
    session: Session, role: str, organization_id: str, organization_name: str, _: Any
) -> tuple[int | None, str | None, list[str], list[dict[str, object]]]:
    """The organization a member signs up for, found by name: (id, name, errors, choices to pick from)."""
    from talentbridge.services.account_admin import find_organizations

    if role != "org_member":
        return None, None, [], []
    chosen = organization_id.strip()
    if chosen.isdigit() and len(chosen) < 10:
        found = [o for o in find_organizations(session, organization_name, limit=50) if o["id"] == int(chosen)]
        return int(chosen), (str(found[0]["name"]) if found else organization_name.strip() or None), [], []
    if not organization_name.strip():
        return None, None, [_("Name your organization: type its name and choose it from the list.")], []
    found = find_organizations(session, organization_name, limit=10)
    exact = [o for o in found if o["exact"]]
    if len(exact) == 1:
        return int(exact[0]["id"]), str(exact[0]["name"]), [], []  # type: ignore[call-overload]
    if found:
        return None, None, [_("Choose your organization from the list below.")], found
    message = _(
        "No organization named “{name}” is registered. Check the name, or ask the programme operator to register your organization first.",  # noqa: E501
        name=organization_name.strip(),
    )
    return None, None, [message], []


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=100)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    organization_name: Annotated[str, Form(max_length=200)] = "",
    organization_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Create an account with the role the person chose. Talent are active at once; an organization member names
    their organization (searched by name) and waits for an operator; nothing is ever created with another role.
    The answer is the same whether or not the address already had an account, and nobody is signed in
    automatically (which would tell the two apart)."""
    _ = gettext_for(request_language(request))
    tr = translator(request)
    form = {"name": name, "email": email, "role": role, "organization_name": organization_name,
            "organization_id": organization_id}  # fmt: skip
    errors: list[str] = []
    if role not in SIGNUP_ROLES:
        errors.append(_("Choose whether you are talent or a member of an organization."))
    org_id, org_name, org_errors, choices = _signup_organization(session, role, organization_id, organization_name, _)
    errors += org_errors
    if errors:
        return _signup_form(request, 422, form=form, errors=errors, choices=choices)
    result = None
    try:
        result = signup_service.sign_up(
            session,
            email=email,
            password=password,
            role=role,
            name=name,
            organization_id=org_id,
            language=request_language(request),
        )
    except ValidationFailed as exc:
        errors = [f"{field_label(p.loc, tr)}: {problem_message(p, tr)}" for p in exc.problems]
        return _signup_form(request, 422, form=form, errors=errors)
    except Conflict:
        pass  # an existing address gets the same answer as a new one
    except TalentBridgeError as exc:
        return _signup_form(request, exc.status, form=form, errors=[exc.message])
    created = result.created if result is not None else None
    if created is not None and not created.active:
        from talentbridge.services.notifications import notify_operators

        notify_operators(session, "signup_pending", {"name": created.name, "email": created.email,
                                                     "role": created.role.value, "organization_name": org_name})  # fmt: skip
    # The same page whether or not the address already had an account, and no automatic sign-in (which would
    # tell the two apart): the person signs in with the password they chose.
    message = (
        _("Thank you. Sign in with this email and password. If it already had an account, its password is unchanged.")
        if role == "talent"
        else _("Thank you. An operator will check and activate the account; you can sign in once it is active.")
    )
    return render(request, "login.html", next="/", email=email.strip().lower(), ok=True, message=message)


@router.get("/password-reset", response_class=HTMLResponse)
def reset_form(request: Request, token: str | None = None) -> Response:
    return render(request, "password_reset.html", token=token, message=None, errors=[])


@router.post("/password-reset", response_class=HTMLResponse)
def reset_request(request: Request, session: SessionDep, email: Annotated[str, Form(max_length=320)]) -> Response:
    _ = gettext_for(request_language(request))
    token = accounts.request_password_reset(session, email)
    if token:
        from talentbridge.services.notifications import send_password_reset

        send_password_reset(session, email, token)
    # The same answer whether or not the address has an account.
    return render(
        request,
        "password_reset.html",
        token=None,
        errors=[],
        message=_(
            "If an account exists for {email}, we have sent it an e-mail with a link to choose a new password. Open the link within an hour; it works once. No e-mail after a few minutes? Check the spam folder, or ask an operator to send you a new link.",  # noqa: E501
            email=email.strip(),
        ),
    )


@router.post("/password-reset/confirm", response_class=HTMLResponse)
def reset_confirm(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    _ = gettext_for(request_language(request))
    try:
        accounts.reset_password(session, token, password)
    except ValidationFailed as exc:
        return render(
            request,
            "password_reset.html",
            status_code=422,
            token=token,
            message=None,
            errors=[_("Password") + ": " + problem_message(p, translator(request)) for p in exc.problems],
        )
    except NotAuthenticated:
        return render(
            request,
            "password_reset.html",
            status_code=400,
            token=None,
            message=None,
            errors=[_("This link is invalid, already used, replaced by a newer one or expired. Ask for a new one below.")],
        )
    return render(request, "login.html", next="/", email="", ok=True, message=_("Password changed. Sign in."))
