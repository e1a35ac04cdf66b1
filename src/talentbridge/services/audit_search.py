"""The audit log as people read it: entries filtered by who, what, which record and when, with the actor's name
and e-mail (the log keeps ids; accounts keep names)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentbridge.storage.account_tables import AuditLogRow, UserRow

__all__ = ["search_entries", "known_values"]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_entries(
    session: Session,
    *,
    actor: str | None = None,
    entity: str | None = None,
    action: str | None = None,
    entity_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    changes_only: bool = False,
    page: int = 1,
    size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Entries newest first. ``actor`` matches an account's name or e-mail (or ``#id``); ``since``/``until`` are
    whole days (UTC, inclusive); ``changes_only`` leaves out views of personal data."""
    conditions: list[Any] = []
    if actor and actor.strip():
        text = actor.strip()
        if text.lstrip("#").isdigit():
            conditions.append(AuditLogRow.actor_id == int(text.lstrip("#")))
        else:
            ids = select(UserRow.id).where(
                or_(UserRow.name.ilike(_like(text), escape="\\"), UserRow.email.ilike(_like(text), escape="\\"))
            )
            conditions.append(AuditLogRow.actor_id.in_(ids))
    if entity:
        conditions.append(AuditLogRow.entity == entity)
    if action:
        conditions.append(AuditLogRow.action == action)
    if entity_id is not None:
        conditions.append(AuditLogRow.entity_id == entity_id)
    if since is not None:
        conditions.append(AuditLogRow.at >= datetime.combine(since, time.min, tzinfo=UTC))
    if until is not None:
        conditions.append(AuditLogRow.at < datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC))
    if changes_only:
        conditions.append(AuditLogRow.action != "view")
    total = int(session.scalar(select(func.count()).select_from(AuditLogRow).where(*conditions)) or 0)
    stmt = (
        select(AuditLogRow, UserRow.name, UserRow.email)
        .outerjoin(UserRow, UserRow.id == AuditLogRow.actor_id)
        .where(*conditions)
        .order_by(AuditLogRow.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    items = [
        {
            "id": r.id,
            "at": r.at,
            "actor_id": r.actor_id,
            "actor_role": r.actor_role,
            "actor_name": name,
            "actor_email": email,
            "action": r.action,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "detail": r.detail or {},
            "ip": r.ip,
        }
        for r, name, email in session.execute(stmt)
    ]
    return items, total


def known_values(session: Session) -> dict[str, list[str]]:
    """Actions and entities present in the log (for the filter lists)."""
    actions = sorted(a for a in session.scalars(select(AuditLogRow.action).distinct()) if a)
    entities = sorted(e for e in session.scalars(select(AuditLogRow.entity).distinct()) if e)
    return {"actions": actions, "entities": entities}
