"""Accounts: users with roles, password sign-in, personal API tokens, one-time password-reset tokens.

Passwords are hashed with argon2id (argon2-cffi); tokens are 32 random bytes shown once and stored as SHA-256.

Sessions: every session cookie carries the account's ``session_version`` from when it was issued and is honoured
only while the version is unchanged. Signing out, a password reset, a role change and deactivation raise it, so
every cookie issued before stops working at once, on every device (``end_sessions``).

Password-reset links work once, for an hour, and only the newest one: asking again or using one voids the others.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from talentbridge.domain.errors import (
    Conflict,
    Msg,
    NotAuthenticated,
    NotFound,
    Problem,
    TooManyRequests,
    ValidationFailed,
)
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
    "end_sessions",
    "user_for_session",
    "create_demo_accounts",
    "limit_concurrent_hashes",
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
    session_version: int = 0

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
            session_version=row.session_version or 0,
        )


# Argon2id uses 64 MiB per hash: 32 sign-ins at once once doubled the server's memory. Only this many hashes run
# at once per process (``limit_concurrent_hashes``, from the setting login_max_concurrent_hashes); the others wait.
DEFAULT_CONCURRENT_HASHES = 4
HASH_WAIT_SECONDS = 30.0
_hash_slots = threading.BoundedSemaphore(DEFAULT_CONCURRENT_HASHES)


def limit_concurrent_hashes(count: int) -> None:
    """Let at most ``count`` password hashes (or verifications) run at once in this process."""
    global _hash_slots
    _hash_slots = threading.BoundedSemaphore(max(1, count))


class _BoundedHasher:
    """argon2's PasswordHasher whose hash and verify wait for one of the process's hash slots."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher

        self.inner = PasswordHasher()
        self.slots = _hash_slots

    def _run(self, work, *args):  # type: ignore[no-untyped-def]
        if not self.slots.acquire(timeout=HASH_WAIT_SECONDS):
            raise TooManyRequests("the server is busy checking passwords; try again in a few seconds", retry_after=5)
        try:
            return work(*args)
        finally:
            self.slots.release()

    def hash(self, password: str) -> str:
        return self._run(self.inner.hash, password)  # type: ignore[no-any-return]

    def verify(self, stored: str, password: str) -> bool:
        return self._run(self.inner.verify, stored, password)  # type: ignore[no-any-return]

    def check_needs_rehash(self, stored: str) -> bool:
        return self.inner.check_needs_rehash(stored)


def _hasher() -> _BoundedHasher:
    return _BoundedHasher()


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
        raise Conflict(Msg("an account with email {email} already exists", email=email), field="email", value=email)
    if talent_id is not None and session.scalar(select(UserRow.id).where(UserRow.talent_id == talent_id)):
        raise Conflict(
            Msg("talent {talent} already has an account", talent=talent_id), field="talent_id", value=talent_id
        )
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
    revoke = False
    if role is not None:
        try:
            new_role = Role(role).value
        except ValueError:
            problems.append(Problem(loc=("role",), msg=f"one of {', '.join(r.value for r in Role)}", value=role))
        else:
            revoke = revoke or new_role != row.role
            row.role = new_role
    if language is not None:
        if language not in {"ko", "en"}:
            problems.append(Problem(loc=("language",), msg="ko or en", value=language))
        else:
            row.language = language
    if problems:
        raise ValidationFailed("invalid account change", problems)
    if active is not None:
        revoke = revoke or (row.active and not active)
        row.active = active
    if name is not None and name.strip():
        row.name = name.strip()
    if revoke:
        # A new role or a deactivation applies to cookies already issued too: sign them all out.
        row.session_version = (row.session_version or 0) + 1
    session.flush()
    return User.from_row(row)


# -- sessions ---------------------------------------------------------------------------------------------------
def end_sessions(session: Session, user_id: int) -> None:
    """Sign ``user_id`` out everywhere: every session cookie issued so far stops working."""
    session.execute(update(UserRow).where(UserRow.id == user_id).values(session_version=UserRow.session_version + 1))


def user_for_session(session: Session, user_id: int, version: object) -> User | None:
    """The user a session cookie names, when the cookie is still valid (active account, current version)."""
    row = session.get(UserRow, user_id)
    if row is None or not row.active or not isinstance(version, int) or version != (row.session_version or 0):
        return None
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
    if not touch:  # the web's path on every API request: one query, its statement built once, rows not mapped
        user = session.execute(_token_user_statement(), {"digest": _digest(token)}).first()
        return None if user is None or not user.active else User.from_row(user)  # type: ignore[arg-type]
    row = session.scalar(
        select(ApiTokenRow).where(ApiTokenRow.token_hash == _digest(token), ApiTokenRow.revoked_at.is_(None))
    )
    if row is None:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = _now()
    return User.from_row(user)


@functools.cache
def _token_user_statement() -> Select[Any]:
    """The columns ``User.from_row`` reads, of the user of an unrevoked token (``:digest``): a Core statement
    built on first use, whose rows are not ORM objects (on every API request, the ORM's loading was half of the
    lookup's CPU in ``benchmarks/bench_scale.py``)."""
    users = UserRow.__table__
    tokens = ApiTokenRow.__table__
    columns = ("id", "email", "name", "role", "organization_id", "talent_id", "language", "active", "session_version")
    return (
        select(*(users.c[name] for name in columns))
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == bindparam("digest"), tokens.c.revoked_at.is_(None))
    )


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

    The new token replaces every earlier one of the account: only the newest link works. In development the token
    is written to the ``talentbridge.accounts`` log in place of an email.
    """
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if row is None:
        return None
    session.execute(delete(PasswordResetRow).where(PasswordResetRow.user_id == row.id))
    token = secrets.token_urlsafe(32)
    session.add(PasswordResetRow(user_id=row.id, token_hash=_digest(token), expires_at=_now() + RESET_TOKEN_LIFETIME))
    session.flush()
    log.warning("password reset token for %s: %s (valid %s)", row.email, token, RESET_TOKEN_LIFETIME)
    return token


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set a new password with a reset token. The token works once (also when two requests race), voids every
    other token of the account, revokes its API tokens and signs out all its sessions."""
    problems = _check_password(new_password)
    if problems:
        raise ValidationFailed("invalid password", problems)
    invalid = NotAuthenticated(
        "this reset link is invalid, used, replaced by a newer one or expired; request a new one"
    )
    row = session.scalar(select(PasswordResetRow).where(PasswordResetRow.token_hash == _digest(token)))
    if row is None or row.used_at is not None:
        raise invalid
    expires = row.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires < _now():
        raise invalid
    now = _now()
    # Claim the token with one conditional UPDATE: of two requests racing with the same link, only one wins.
    claimed = session.execute(
        update(PasswordResetRow)
        .where(PasswordResetRow.id == row.id, PasswordResetRow.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise invalid
    user = session.get(UserRow, row.user_id)
    assert user is not None
    user.password_hash = _hasher().hash(new_password)
    user.session_version = (user.session_version or 0) + 1
    session.execute(delete(PasswordResetRow).where(PasswordResetRow.user_id == user.id, PasswordResetRow.id != row.id))
    # A reset revokes every API token: whoever knew the old password may have made one.
    for tok in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id)):
        tok.revoked_at = tok.revoked_at or now
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
