"""The audit log: who saw or changed what, when. Written for every view of a talent's personal data by
someone other than that talent, and for decisions (round runs, publications)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from talentbridge.storage.account_tables import AuditLogRow

__all__ = ["AuditEntry", "write_entries", "list_entries"]


@dataclass
class AuditEntry:
    actor_id: int | None
    actor_role: str
    action: str
    entity: str
    entity_id: int | None
    detail: dict[str, Any] = field(default_factory=dict)
    ip: str | None = None


def write_entries(session: Session, entries: list[AuditEntry]) -> None:
    if entries:
        # the table's INSERT (Core, one statement for all rows), not the ORM's bulk path: one per request
        session.execute(insert(cast(Table, AuditLogRow.__table__)), [e.__dict__ for e in entries])


def list_entries(
    session: Session,
    *,
    actor_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    page: int = 1,
    size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    stmt = select(AuditLogRow)
    conditions = []
    if actor_id is not None:
        conditions.append(AuditLogRow.actor_id == actor_id)
    if entity:
        conditions.append(AuditLogRow.entity == entity)
    if entity_id is not None:
        conditions.append(AuditLogRow.entity_id == entity_id)
    if action:
        conditions.append(AuditLogRow.action == action)
    if since is not None:
        conditions.append(AuditLogRow.at >= since)
    stmt = stmt.where(*conditions)
    total = int(session.scalar(select(func.count()).select_from(AuditLogRow).where(*conditions)) or 0)
    rows = session.scalars(stmt.order_by(AuditLogRow.id.desc()).offset((page - 1) * size).limit(size))
    items = [
        {
            "id": r.id,
            "at": r.at,
            "actor_id": r.actor_id,
            "actor_role": r.actor_role,
            "action": r.action,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "detail": r.detail,
            "ip": r.ip,
        }
        for r in rows
    ]
    return items, total
