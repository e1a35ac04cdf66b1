"""``/api/users``: operators manage accounts (create, change role, activate/deactivate)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from talentbridge.services import accounts
from talentbridge.web.deps import SessionDep
from talentbridge.web.policy import policy_of

router = APIRouter(prefix="/api/users", tags=["users"])

RoleName = Literal["operator", "org_member", "talent", "auditor"]


class UserCreate(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)
    name: str = Field(min_length=1, max_length=100)
    role: RoleName
    organization_id: int | None = None
    talent_id: int | None = None
    language: Literal["ko", "en"] = "ko"


class UserUpdate(BaseModel):
    role: RoleName | None = None
    active: bool | None = None
    name: str | None = Field(None, max_length=100)
    language: Literal["ko", "en"] | None = None


def _public(user: accounts.User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "organization_id": user.organization_id,
        "talent_id": user.talent_id,
        "language": user.language,
        "active": user.active,
    }


@router.get("")
def list_users(
    request: Request,
    session: SessionDep,
    role: RoleName | None = None,
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    policy_of(request).check(request, "user", "list")
    users, total = accounts.list_users(session, role=role, page=page, size=size)
    return {"items": [_public(u) for u in users], "total": total, "page": page, "size": size}


@router.post("", status_code=201)
def create_user(body: UserCreate, request: Request, session: SessionDep) -> dict[str, Any]:
    policy_of(request).check(request, "user", "create")
    return _public(accounts.create_user(session, **body.model_dump()))


@router.get("/{user_id}")
def get_user(user_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    policy_of(request).check(request, "user", "read")
    return _public(accounts.get_user(session, user_id))


@router.patch("/{user_id}")
def update_user(user_id: int, body: UserUpdate, request: Request, session: SessionDep) -> dict[str, Any]:
    policy_of(request).check(request, "user", "update")
    return _public(accounts.update_user(session, user_id, **body.model_dump(exclude_unset=True)))
