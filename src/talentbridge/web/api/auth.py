"""``/api/auth``: sign in and out, who am I, personal API tokens, password reset, sign-up."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from talentbridge.services import accounts
from talentbridge.services import signup as signup_service
from talentbridge.web.auth import CurrentUser, csrf_token, login_session, sign_out
from talentbridge.web.deps import SessionDep
from talentbridge.web.sign_in import sign_in_request

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginBody(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class SignupBody(BaseModel):
    """The schema says what ``accounts.create_user`` checks: an address with an @ inside, a password of at
    least ``MIN_PASSWORD_LENGTH`` characters without surrounding spaces, a name that is not blank, and an
    organization for organization members."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"role": {"const": "org_member"}}, "required": ["role"]},
            "then": {"required": ["organization_id"], "properties": {"organization_id": {"type": "integer"}}},
        }
    )

    email: str = Field(max_length=320, pattern=r"^\s*[^@\s][\s\S]*@[\s\S]*[^@\s]\s*$")
    password: str = Field(min_length=accounts.MIN_PASSWORD_LENGTH, max_length=200, pattern=r"^\S(?:[\s\S]*\S)?$")
    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    role: Literal["talent", "org_member"] = "talent"
    organization_id: int | None = Field(None, description="Required for org_member: the organization joined.")
    language: Literal["ko", "en"] = "ko"

    @model_validator(mode="after")
    def _member_has_organization(self) -> SignupBody:
        if self.role == "org_member" and self.organization_id is None:
            raise ValueError("organization members name their organization (organization_id)")
        return self


class TokenBody(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class ResetRequestBody(BaseModel):
    email: str = Field(max_length=320)


class ResetConfirmBody(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(max_length=200)


def _me(user: accounts.User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "organization_id": user.organization_id,
        "talent_id": user.talent_id,
        "language": user.language,
    }


_PROBLEM = {"application/problem+json": {"schema": {"type": "object"}}}
LOGIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Wrong email or password, or an inactive account.", "content": _PROBLEM},
    429: {
        "description": "Too many failed sign-ins for this account or from this address.",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
        "content": _PROBLEM,
    },
}


@router.post("/login", responses=LOGIN_RESPONSES)
def login(body: LoginBody, request: Request, session: SessionDep) -> dict[str, Any]:
    user = sign_in_request(request, session, body.email, body.password)
    login_session(request, user)
    return {**_me(user), "csrf_token": csrf_token(request)}


@router.post("/logout", status_code=204)
def logout(request: Request, session: SessionDep) -> Response:
    """Sign out everywhere: every session cookie of the account stops working (API tokens stay valid)."""
    sign_out(request, session)
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentUser, request: Request) -> dict[str, Any]:
    return {**_me(user), "csrf_token": csrf_token(request)}


@router.post("/signup", status_code=202)
def signup(body: SignupBody, session: SessionDep) -> dict[str, Any]:
    """Ask for an account. The answer is the same whether or not the address already has one (so nobody can use
    it to find out who is registered): talent accounts are ready to sign in at once, organization members wait
    for an operator to activate them; the owner of an existing account signs in as before."""
    result = signup_service.sign_up(
        session,
        email=body.email,
        password=body.password,
        role=body.role,
        name=body.name,
        organization_id=body.organization_id,
        language=body.language,
    )
    detail = (
        "Sign in with this email and password. If the address already had an account, its password is unchanged."
        if result.active
        else "An operator will check and activate the account; you can sign in once it is active."
    )
    return {**result.public(), "detail": detail}


@router.post("/tokens", status_code=201)
def create_token(body: TokenBody, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    token_id, token = accounts.create_api_token(session, user.id, body.name)
    return {
        "id": token_id,
        "name": body.name,
        "token": token,
        "note": "Shown once. Send it as 'Authorization: Bearer <token>'.",
    }


@router.get("/tokens")
def list_tokens(user: CurrentUser, session: SessionDep) -> list[dict[str, Any]]:
    return accounts.list_api_tokens(session, user.id)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, user: CurrentUser, session: SessionDep) -> Response:
    accounts.revoke_api_token(session, user.id, token_id)
    return Response(status_code=204)


@router.post("/password-reset/request", status_code=202)
def request_reset(body: ResetRequestBody, session: SessionDep) -> dict[str, str]:
    accounts.request_password_reset(session, body.email)
    return {
        "detail": "If an account exists for this email, a link to choose a new password has been sent to it. The "
        "link works once, for one hour; asking again replaces it with a new one."
    }


@router.post("/password-reset/confirm")
def confirm_reset(body: ResetConfirmBody, session: SessionDep) -> dict[str, Any]:
    user = accounts.reset_password(session, body.token, body.password)
    return {"detail": "Password changed; sign in with the new password.", "email": user.email}
