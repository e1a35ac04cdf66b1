"""Sign-in, sign-out, sign-up and password-reset pages (forms with CSRF tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from talentbridge.domain.errors import Conflict, NotAuthenticated, TalentBridgeError, ValidationFailed
from talentbridge.services import accounts
from talentbridge.web.auth import login_session, logout_session
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.error_pages import field_label, problem_message, translator
from talentbridge.web.pages.rendering import redirect, render

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
        user = accounts.authenticate(session, email, password)
    except NotAuthenticated as exc:
        msg = _("Wrong email or password.") if "wrong" in exc.message else _("This account is not active yet.")
        return render(request, "login.html", status_code=401, next=_safe_next(next), email=email, message=msg)
    login_session(request, user)
    return redirect(_safe_next(next))


@router.post("/logout")
def logout(request: Request) -> Response:
    logout_session(request)
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
    their organization (searched by name) and waits for an operator; nothing is ever created with another role."""
    from talentbridge.services.account_admin import find_organizations

    _ = gettext_for(request_language(request))
    tr = translator(request)
    form = {"name": name, "email": email, "role": role, "organization_name": organization_name,
            "organization_id": organization_id}  # fmt: skip
    errors: list[str] = []
    choices: list[dict[str, object]] = []
    if role not in SIGNUP_ROLES:
        errors.append(_("Choose whether you are talent or a member of an organization."))
    org_id: int | None = None
    if role == "org_member":
        chosen = organization_id.strip()
        if chosen.isdigit():
            org_id = int(chosen)
        elif not organization_name.strip():
            errors.append(_("Name your organization: type its name and choose it from the list."))
        else:
            found = find_organizations(session, organization_name, limit=10)
            exact = [o for o in found if o["exact"]]
            if len(exact) == 1:
                org_id = int(exact[0]["id"])  # type: ignore[call-overload]
            elif found:
                choices = found
                errors.append(_("Choose your organization from the list below."))
            else:
                errors.append(
                    _(
                        "No organization named “{name}” is registered. Check the name, or ask the programme operator to register your organization first.",  # noqa: E501
                        name=organization_name.strip(),
                    )
                )
    if errors:
        return _signup_form(request, 422, form=form, errors=errors, choices=choices)
    try:
        user = accounts.create_user(
            session,
            email=email,
            password=password,
            role=role,
            name=name,
            organization_id=org_id,
            language=request_language(request),
            active=role == "talent",
        )
    except ValidationFailed as exc:
        errors = [f"{field_label(p.loc, tr)}: {problem_message(p, tr)}" for p in exc.problems]
        return _signup_form(request, 422, form=form, errors=errors)
    except Conflict:
        return _signup_form(
            request,
            409,
            form=form,
            errors=[_("An account with this e-mail already exists. Sign in or reset the password.")],
        )
    except TalentBridgeError as exc:
        return _signup_form(request, exc.status, form=form, errors=[exc.message])
    if not user.active:
        from talentbridge.services.notifications import notify_operators

        org_name = next((str(o["name"]) for o in find_organizations(session, organization_name) if o["id"] == org_id),
                        organization_name.strip() or None)  # fmt: skip
        notify_operators(session, "signup_pending", {"name": user.name, "email": user.email, "role": user.role.value,
                                                     "organization_name": org_name})  # fmt: skip
        return render(
            request,
            "login.html",
            next="/",
            email=user.email,
            ok=True,
            message=_(
                "Account created as a member of {organization}. An operator checks and activates it; you will get an e-mail when you can sign in.",  # noqa: E501
                organization=org_name or "",
            ),
        )
    login_session(request, user)
    return redirect("/")


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
    # Same answer whether or not the account exists (no one learns which addresses have accounts).
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
            errors=[_("This reset link is invalid, already used or expired. Ask for a new one below.")],
        )
    return render(request, "login.html", next="/", email="", ok=True, message=_("Password changed. Sign in."))
