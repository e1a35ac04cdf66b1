"""Cheap questions about the talents table that keep the talent index in step (``services.talent_index``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.storage.tables import TalentRow

__all__ = ["SqlTalentSnapshot"]


class SqlTalentSnapshot:
    """Implements ``services.talent_index.TalentSnapshot`` over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def signature(self) -> tuple[int, datetime | None, int]:
        count, newest, largest = self.session.execute(
            select(func.count(TalentRow.id), func.max(TalentRow.updated_at), func.max(TalentRow.id))
        ).one()
        return int(count or 0), newest, int(largest or 0)

    def ids_changed_since(self, since: datetime | None) -> set[int]:
        stmt = select(TalentRow.id)
        if since is not None:
            stmt = stmt.where(TalentRow.updated_at >= since)
        return set(self.session.scalars(stmt))

    def count_changed_since(self, since: datetime | None, limit: int) -> int:
        stmt = select(TalentRow.id)
        if since is not None:
            stmt = stmt.where(TalentRow.updated_at >= since)
        inner = stmt.limit(limit).subquery()
        return int(self.session.scalar(select(func.count()).select_from(inner)) or 0)

    def all_ids(self) -> set[int]:
        return set(self.session.scalars(select(TalentRow.id)))

    def external_ids(self, ids: Sequence[int]) -> dict[int, str | None]:
        if not ids:
            return {}
        rows = self.session.execute(select(TalentRow.id, TalentRow.external_id).where(TalentRow.id.in_(list(ids))))
        return {int(i): e for i, e in rows}
