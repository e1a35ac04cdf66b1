"""Accounts: users with roles, password sign-in, personal API tokens, one-time password-reset tokens.

Passwords are hashed with argon2id (argon2-cffi); tokens are 32 random bytes shown once and stored as SHA-256.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from talentbridge.domain.errors import Conflict, NotAuthenticated, NotFound, Problem, ValidationFailed
from talentbridge.storage.account_tables import ApiTokenRow, PasswordResetRow, UserRow
from talentbridge.storage.tables import OrganizationRow, TalentRow

__all__ = [
    "Role",
    "User",
    "create_user",
    "authenticate",
    "get_user",
    "list_users",
    "update_user",
    "create_api_token",
    "user_for_token",
    "record_token_use",
    "revoke_api_token",
    "list_api_tokens",
    "request_password_reset",
    "reset_password",
    "create_demo_accounts",
    "MIN_PASSWORD_LENGTH",
]

log = logging.getLogger("talentbridge.accounts")

MIN_PASSWORD_LENGTH = 10
RESET_TOKEN_LIFETIME = timedelta(hours=1)


class Role(StrEnum):
    OPERATOR = "operator"
    ORG_MEMBER = "org_member"
    TALENT = "talent"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class User:
    """Who is asking: what the access policy needs, nothing secret."""

    id: int
    email: str
    name: str
    role: Role
    organization_id: int | None = None
    talent_id: int | None = None
    language: str = "ko"
    active: bool = True

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            id=row.id,
            email=row.email,
            name=row.name,
            role=Role(row.role),
            organization_id=row.organization_id,
            talent_id=row.talent_id,
            language=row.language,
            active=row.active,
        )


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    return PasswordHasher()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _check_password(password: str) -> list[Problem]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            Problem(loc=("password",), msg=f"use at least {MIN_PASSWORD_LENGTH} characters", type="too_short")
        )
    if password.strip() != password or not password.strip():
        problems.append(Problem(loc=("password",), msg="no leading or trailing spaces"))
    return problems


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role | str,
    name: str,
    organization_id: int | None = None,
    talent_id: int | None = None,
    language: str = "ko",
    active: bool = True,
) -> User:
    """Create an account; every problem with the input is reported at once."""
    problems: list[Problem] = []
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or email.startswith("@") or email.endswith("@"):
        problems.append(Problem(loc=("email",), msg="not an email address", value=email))
    try:
        role = Role(role)
    except ValueError:
        problems.append(Problem(loc=("role",), msg=f"one of {', '.join(r.value for r in Role)}", value=role))
    problems += _check_password(password)
    if not name.strip():
        problems.append(Problem(loc=("name",), msg="a name is required"))
    if role == Role.ORG_MEMBER:
        if organization_id is None:
            problems.append(Problem(loc=("organization_id",), msg="organization members belong to an organization"))
        elif session.get(OrganizationRow, organization_id) is None:
            problems.append(
                Problem(loc=("organization_id",), msg="no organization with this id", value=organization_id)
            )
    if role == Role.TALENT and talent_id is not None and session.get(TalentRow, talent_id) is None:
        problems.append(Problem(loc=("talent_id",), msg="no talent with this id", value=talent_id))
    if language not in {"ko", "en"}:
        problems.append(Problem(loc=("language",), msg="ko or en", value=language))
    if problems:
        raise ValidationFailed("invalid account", problems)
    if session.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
        raise Conflict(f"an account with email {email!r} already exists", field="email", value=email)
    if talent_id is not None and session.scalar(select(UserRow.id).where(UserRow.talent_id == talent_id)):
        raise Conflict(f"talent {talent_id} already has an account", field="talent_id", value=talent_id)
    row = UserRow(
        email=email,
        password_hash=_hasher().hash(password),
        role=Role(role).value,
        name=name.strip(),
        organization_id=organization_id if role == Role.ORG_MEMBER else None,
        talent_id=talent_id if role == Role.TALENT else None,
        language=language,
        active=active,
    )
    session.add(row)
    session.flush()
    return User.from_row(row)


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with this email and password; NotAuthenticated otherwise (same message either way)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    hasher = _hasher()
    if row is None:
        hasher.hash(password)  # same work whether or not the account exists
        raise NotAuthenticated("wrong email or password")
    try:
        hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated("wrong email or password") from None
    if not row.active:
        raise NotAuthenticated("this account is not active; ask an operator to activate it")
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hasher.hash(password)
    row.last_login_at = _now()
    return User.from_row(row)


def get_user(session: Session, user_id: int) -> User:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound("user", user_id)
    return User.from_row(row)


def list_users(session: Session, role: str | None = None, page: int = 1, size: int = 50) -> tuple[list[User], int]:
    stmt = select(UserRow)
    count = select(func.count()).select_from(UserRow)
    if role:
        stmt = stmt.where(UserRow.role == role)
        count = count.where(UserRow.role == role)
    rows = session.scalars(stmt.order_by(UserRow.id).offset((page - 1) * size).limit(size))
    return [User.from_row(r) for r in rows], int(session.scalar(count) or 0)


def update_user(
    session: Session,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    name: str | None = None,
    language: str | None = None,
) -> User:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound("user", user_id)
    problems = []
    if role is not None:
        try:
            row.role = Role(role).value
        except ValueError:
            problems.append(Problem(loc=("role",), msg=f"one of {', '.join(r.value for r in Role)}", value=role))
    if language is not None:
        if language not in {"ko", "en"}:
            problems.append(Problem(loc=("language",), msg="ko or en", value=language))
        else:
            row.language = language
    if problems:
        raise ValidationFailed("invalid account change", problems)
    if active is not None:
        row.active = active
    if name is not None and name.strip():
        row.name = name.strip()
    session.flush()
    return User.from_row(row)


# -- API tokens -----------------------------------------------------------------------------------------------
def create_api_token(session: Session, user_id: int, name: str) -> tuple[int, str]:
    """A new personal API token; returns (token id, the token itself — shown once, stored only as a hash)."""
    get_user(session, user_id)
    token = "tb_" + secrets.token_urlsafe(32)
    row = ApiTokenRow(user_id=user_id, token_hash=_digest(token), name=name.strip()[:100] or "token")
    session.add(row)
    session.flush()
    return row.id, token


def user_for_token(session: Session, token: str, *, touch: bool = True) -> User | None:
    """The active user of a valid, unrevoked token, or None. ``touch=False`` only reads (the web records uses
    with ``record_token_use``, at most once a minute, so a read request stays a read)."""
    row = session.scalar(
        select(ApiTokenRow).where(ApiTokenRow.token_hash == _digest(token), ApiTokenRow.revoked_at.is_(None))
    )
    if row is None:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    if touch:
        row.last_used_at = _now()
    return User.from_row(user)


#: ``last_used_at`` of an API token is written at most this often (one write per token per minute, not per request).
TOKEN_USE_INTERVAL = timedelta(minutes=1)


def record_token_use(session: Session, token: str) -> bool:
    """Set the token's ``last_used_at`` to now unless it was set within ``TOKEN_USE_INTERVAL``; True if written."""
    now = _now()
    result = session.execute(
        update(ApiTokenRow)
        .where(
            ApiTokenRow.token_hash == _digest(token),
            or_(ApiTokenRow.last_used_at.is_(None), ApiTokenRow.last_used_at < now - TOKEN_USE_INTERVAL),
        )
        .values(last_used_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def list_api_tokens(session: Session, user_id: int) -> list[dict[str, object]]:
    rows = session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id))
    return [
        {
            "id": r.id,
            "name": r.name,
            "created_at": r.created_at,
            "last_used_at": r.last_used_at,
            "revoked": r.revoked_at is not None,
        }
        for r in rows
    ]


def revoke_api_token(session: Session, user_id: int, token_id: int) -> None:
    row = session.get(ApiTokenRow, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound("api token", token_id)
    row.revoked_at = row.revoked_at or _now()


# -- password reset -------------------------------------------------------------------------------------------
def request_password_reset(session: Session, email: str) -> str | None:
    """Make a one-time reset token for ``email`` (None when no such account — callers must not reveal which).

    In development the token is written to the ``talentbridge.accounts`` log in place of an email.
    """
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if row is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(PasswordResetRow(user_id=row.id, token_hash=_digest(token), expires_at=_now() + RESET_TOKEN_LIFETIME))
    session.flush()
    log.warning("password reset token for %s: %s (valid %s)", row.email, token, RESET_TOKEN_LIFETIME)
    return token


def reset_password(session: Session, token: str, new_password: str) -> User:
    problems = _check_password(new_password)
    if problems:
        raise ValidationFailed("invalid password", problems)
    row = session.scalar(select(PasswordResetRow).where(PasswordResetRow.token_hash == _digest(token)))
    expires = row.expires_at if row is not None else None
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if row is None or row.used_at is not None or expires is None or expires < _now():
        raise NotAuthenticated("this reset link is invalid, used or expired; request a new one")
    row.used_at = _now()
    user = session.get(UserRow, row.user_id)
    assert user is not None
    user.password_hash = _hasher().hash(new_password)
    # A reset revokes every API token: whoever knew the old password may have made one.
    for tok in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id)):
        tok.revoked_at = tok.revoked_at or _now()
    session.flush()
    return User.from_row(user)


# -- demo -------------------------------------------------------------------------------------------------------
DEMO_PASSWORD = "talentbridge-demo"


def create_demo_accounts(session: Session) -> list[tuple[str, str, str]]:
    """One account per role over the demo data; returns (role, email, password). Idempotent."""
    from talentbridge.storage.tables import OpeningRow

    org_id = session.scalar(
        select(OpeningRow.organization_id)
        .join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id)
        .where(OrganizationRow.kind.in_(["ai_startup", "manufacturer"]))
        .order_by(OpeningRow.id)
        .limit(1)
    ) or session.scalar(select(OrganizationRow.id).order_by(OrganizationRow.id).limit(1))
    talent_id = session.scalar(
        select(TalentRow.id).where(TalentRow.consent_visible.is_(True)).order_by(TalentRow.id).limit(1)
    )
    wanted = [
        (Role.OPERATOR, "operator@demo.talentbridge.kr", "운영자 (Operator)", None, None),
        (Role.ORG_MEMBER, "org@demo.talentbridge.kr", "기업 담당자 (Organization)", org_id, None),
        (Role.TALENT, "talent@demo.talentbridge.kr", "인재 (Talent)", None, talent_id),
        (Role.AUDITOR, "auditor@demo.talentbridge.kr", "감사인 (Auditor)", None, None),
    ]
    out = []
    for role, email, name, org, talent in wanted:
        if role == Role.ORG_MEMBER and org is None:
            continue
        if session.scalar(select(UserRow.id).where(UserRow.email == email)) is None:
            create_user(
                session,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                name=name,
                organization_id=org,
                talent_id=talent,
            )
        out.append((role.value, email, DEMO_PASSWORD))
    return out
