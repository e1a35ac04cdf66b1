"""``/api/auth``: sign in and out, who am I, personal API tokens, password reset, sign-up."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from talentbridge.services import accounts
from talentbridge.web.auth import CurrentUser, csrf_token, login_session, logout_session
from talentbridge.web.deps import SessionDep

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginBody(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class SignupBody(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)
    name: str = Field(min_length=1, max_length=100)
    role: Literal["talent", "org_member"] = "talent"
    organization_id: int | None = None
    language: Literal["ko", "en"] = "ko"


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


@router.post("/login")
def login(body: LoginBody, request: Request, session: SessionDep) -> dict[str, Any]:
    user = accounts.authenticate(session, body.email, body.password)
    login_session(request, user)
    return {**_me(user), "csrf_token": csrf_token(request)}


@router.post("/logout", status_code=204)
def logout(request: Request) -> Response:
    logout_session(request)
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentUser, request: Request) -> dict[str, Any]:
    return {**_me(user), "csrf_token": csrf_token(request)}


@router.post("/signup", status_code=201)
def signup(body: SignupBody, session: SessionDep) -> dict[str, Any]:
    """Talent accounts are active at once; organization members wait for an operator to activate them."""
    user = accounts.create_user(
        session,
        email=body.email,
        password=body.password,
        role=body.role,
        name=body.name,
        organization_id=body.organization_id,
        language=body.language,
        active=body.role == "talent",
    )
    return {**_me(user), "active": user.active}


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
    return {"detail": "If an account exists for this email, a reset link has been sent."}


@router.post("/password-reset/confirm")
def confirm_reset(body: ResetConfirmBody, session: SessionDep) -> dict[str, Any]:
    user = accounts.reset_password(session, body.token, body.password)
    return {"detail": "Password changed; sign in with the new password.", "email": user.email}
