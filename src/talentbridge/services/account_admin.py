"""Account administration by operators: list and filter accounts, activate signups, change roles, deactivate,
send a password-reset link. Every change writes an audit row (who, when, what: before and after) and tells the
account's owner (services/notifications.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentbridge.domain.errors import InvalidState, NotFound, Problem, ValidationFailed
from talentbridge.services.accounts import Role, User, request_password_reset
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.storage.account_tables import UserRow
from talentbridge.storage.entity_repository import escape_like
from talentbridge.storage.tables import OrganizationRow

__all__ = [
    "AccountView",
    "STATUSES",
    "activate",
    "change_role",
    "deactivate",
    "find_organizations",
    "link_talent_profile",
    "list_accounts",
    "pending_count",
    "send_reset_link",
    "user_id_by_email",
]

#: active; pending = not active and never signed in (a signup waiting); deactivated = not active after use.
STATUSES = ("active", "pending", "deactivated")


@dataclass(frozen=True)
class AccountView:
    id: int
    email: str
    name: str
    role: str
    active: bool
    organization_id: int | None
    organization_name: str | None
    talent_id: int | None
    created_at: datetime | None
    last_login_at: datetime | None

    @property
    def pending(self) -> bool:
        """A signup never signed in and not active: waiting for an operator."""
        return not self.active and self.last_login_at is None


def list_accounts(
    session: Session,
    *,
    role: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: int = 1,
    size: int = 50,
) -> tuple[list[AccountView], int]:
    """Accounts filtered by role, status (``STATUSES``) and name or e-mail; inactive first, then newest first."""
    problems = []
    if role and role not in {r.value for r in Role}:
        problems.append(Problem(loc=("query", "role"), msg=f"one of {', '.join(r.value for r in Role)}", value=role))
    if status and status not in STATUSES:
        problems.append(Problem(loc=("query", "status"), msg="active, pending or deactivated", value=status))
    if problems:
        raise ValidationFailed("invalid filters", problems)
    conditions: list[Any] = []
    if role:
        conditions.append(UserRow.role == role)
    if status == "active":
        conditions.append(UserRow.active.is_(True))
    elif status == "pending":
        conditions += [UserRow.active.is_(False), UserRow.last_login_at.is_(None)]
    elif status == "deactivated":
        conditions += [UserRow.active.is_(False), UserRow.last_login_at.is_not(None)]
    if q and q.strip():
        pattern = f"%{escape_like(q.strip())}%"
        conditions.append(or_(UserRow.name.ilike(pattern, escape="\\"), UserRow.email.ilike(pattern, escape="\\")))
    total = int(session.scalar(select(func.count()).select_from(UserRow).where(*conditions)) or 0)
    stmt = (
        select(UserRow, OrganizationRow.name)
        .outerjoin(OrganizationRow, OrganizationRow.id == UserRow.organization_id)
        .where(*conditions)
        .order_by(UserRow.active, UserRow.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    views = [
        AccountView(
            id=row.id,
            email=row.email,
            name=row.name,
            role=row.role,
            active=row.active,
            organization_id=row.organization_id,
            organization_name=org_name,
            talent_id=row.talent_id,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
        )
        for row, org_name in session.execute(stmt)
    ]
    return views, total


def pending_count(session: Session) -> int:
    stmt = select(func.count()).select_from(UserRow).where(UserRow.active.is_(False), UserRow.last_login_at.is_(None))
    return int(session.scalar(stmt) or 0)


def user_id_by_email(session: Session, email: str) -> int:
    """The id of the account signed in as ``email`` (compared trimmed and lower-cased); ``NotFound`` otherwise."""
    user_id = session.scalar(select(UserRow.id).where(UserRow.email == email.strip().lower()))
    if user_id is None:
        raise NotFound("user", email)
    return int(user_id)


def link_talent_profile(session: Session, user_id: int, talent_id: int) -> None:
    """Make ``talent_id`` the profile of a talent account (its first save of "my profile"); in the caller's
    transaction."""
    _row(session, user_id).talent_id = talent_id
    session.flush()


def _row(session: Session, user_id: int) -> UserRow:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound("user", user_id)
    return row


def _audit(session: Session, actor: User, action: str, user_id: int, ip: str | None, **detail: Any) -> None:
    write_entries(
        session,
        [AuditEntry(actor_id=actor.id, actor_role=actor.role.value, action=action, entity="user",
                    entity_id=user_id, detail=detail, ip=ip)],
    )  # fmt: skip


def activate(session: Session, actor: User, user_id: int, ip: str | None = None) -> User:
    row = _row(session, user_id)
    if row.active:
        return User.from_row(row)
    if row.role == Role.ORG_MEMBER and row.organization_id is None:
        raise InvalidState("this organization member has no organization; change the role or organization first")
    row.active = True
    session.flush()
    _audit(session, actor, "activate", row.id, ip, email=row.email, role=row.role, active=[False, True])
    from talentbridge.services.notifications import notify

    notify(session, account_id=row.id, kind="account_activated", params={})
    return User.from_row(row)


def deactivate(session: Session, actor: User, user_id: int, ip: str | None = None) -> User:
    row = _row(session, user_id)
    if row.id == actor.id:
        raise InvalidState("you cannot deactivate your own account")
    if not row.active:
        return User.from_row(row)
    row.active = False
    session.flush()
    _audit(session, actor, "deactivate", row.id, ip, email=row.email, role=row.role, active=[True, False])
    from talentbridge.services.notifications import notify

    notify(session, account_id=row.id, kind="account_deactivated", params={}, email=True)
    return User.from_row(row)


def change_role(
    session: Session,
    actor: User,
    user_id: int,
    role: str,
    organization_id: int | None = None,
    ip: str | None = None,
) -> User:
    """Give an account another role. An organization member needs an organization (kept or given)."""
    row = _row(session, user_id)
    problems = []
    try:
        new = Role(role)
    except ValueError:
        raise ValidationFailed(
            "invalid role", [Problem(loc=("role",), msg=f"one of {', '.join(r.value for r in Role)}", value=role)]
        ) from None
    if row.id == actor.id and new != Role(row.role):
        raise InvalidState("you cannot change your own role; ask another operator")
    org = organization_id if organization_id is not None else row.organization_id
    if new == Role.ORG_MEMBER:
        if org is None:
            problems.append(Problem(loc=("organization_id",), msg="organization members belong to an organization"))
        elif session.get(OrganizationRow, org) is None:
            problems.append(Problem(loc=("organization_id",), msg="no organization with this id", value=org))
    if problems:
        raise ValidationFailed("invalid role change", problems)
    before = {"role": row.role, "organization_id": row.organization_id}
    if new == Role(row.role) and (new != Role.ORG_MEMBER or org == row.organization_id):
        return User.from_row(row)
    row.role = new.value
    row.organization_id = org if new == Role.ORG_MEMBER else None
    session.flush()
    _audit(session, actor, "change_role", row.id, ip, email=row.email, role=[before["role"], row.role],
           organization_id=[before["organization_id"], row.organization_id])  # fmt: skip
    from talentbridge.services.notifications import notify

    notify(session, account_id=row.id, kind="account_role_changed", params={"role": row.role})
    return User.from_row(row)


def send_reset_link(session: Session, actor: User, user_id: int, ip: str | None = None) -> None:
    """E-mail the account a one-time password-reset link (the operator never sees the link)."""
    row = _row(session, user_id)
    token = request_password_reset(session, row.email)
    if token is None:  # pragma: no cover - the row exists
        raise NotFound("user", user_id)
    from talentbridge.services.notifications import send_password_reset

    send_password_reset(session, row.email, token)
    _audit(session, actor, "send_reset_link", row.id, ip, email=row.email)


def find_organizations(session: Session, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Organizations whose name contains ``q`` (exact matches first), for the signup form's search."""
    text = q.strip()
    if len(text) < 1:
        return []
    pattern = f"%{escape_like(text)}%"
    exact = func.lower(OrganizationRow.name) == text.lower()
    rows = session.execute(
        select(OrganizationRow.id, OrganizationRow.name, OrganizationRow.kind, OrganizationRow.region)
        .where(OrganizationRow.name.ilike(pattern, escape="\\"))
        .order_by(exact.desc(), func.length(OrganizationRow.name), OrganizationRow.id)
        .limit(limit)
    )
    return [{"id": r.id, "name": r.name, "kind": r.kind, "region": r.region, "exact": r.name.lower() == text.lower()}
            for r in rows]  # fmt: skip
