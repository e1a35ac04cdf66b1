"""Sign-in, sign-out, sign-up and password-reset pages (forms with CSRF tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from talentbridge.domain.errors import NotAuthenticated, TalentBridgeError, TooManyRequests, ValidationFailed
from talentbridge.services import accounts
from talentbridge.services import signup as signup_service
from talentbridge.web.auth import login_session, sign_out
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
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


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request) -> Response:
    return render(request, "signup.html", form={}, errors=[])


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=100)],
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form()] = "talent",
    organization_id: Annotated[str, Form()] = "",
) -> Response:
    _ = gettext_for(request_language(request))
    if role not in {"talent", "org_member"}:
        role = "talent"
    form = {"name": name, "email": email, "organization_id": organization_id, "role": role}
    org_id = int(organization_id) if organization_id.strip().isdigit() and len(organization_id) < 10 else None
    try:
        result = signup_service.sign_up(
            session, email=email, password=password, role=role, name=name, organization_id=org_id
        )
    except ValidationFailed as exc:
        return render(request, "signup.html", status_code=422, form=form, errors=[str(p) for p in exc.problems])
    except TalentBridgeError as exc:
        return render(request, "signup.html", status_code=exc.status, form=form, errors=[exc.message])
    # The same page whether or not the address already had an account, and no automatic sign-in (which would
    # tell the two apart): the person signs in with the password they chose.
    message = (
        _("Thank you. Sign in with this email and password. If it already had an account, its password is unchanged.")
        if result.active
        else _("Thank you. An operator will check and activate the account; you can sign in once it is active.")
    )
    return render(request, "login.html", next="/", email=result.email, ok=True, message=message)


@router.get("/password-reset", response_class=HTMLResponse)
def reset_form(request: Request, token: str | None = None) -> Response:
    return render(request, "password_reset.html", token=token, message=None, errors=[])


@router.post("/password-reset", response_class=HTMLResponse)
def reset_request(request: Request, session: SessionDep, email: Annotated[str, Form(max_length=320)]) -> Response:
    _ = gettext_for(request_language(request))
    accounts.request_password_reset(session, email)
    # The same answer whether or not the address has an account.
    return render(
        request,
        "password_reset.html",
        token=None,
        errors=[],
        message=_("If an account exists for this email, we have sent it a link to choose a new password. The link works once, for one hour; asking again replaces it with a new one. Nothing after a few minutes? Check the spam folder or ask again."),  # noqa: E501
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
            errors=[str(p) for p in exc.problems],
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
