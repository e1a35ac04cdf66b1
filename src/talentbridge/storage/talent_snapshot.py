"""Cheap questions about the talents table that keep the talent index in step (``services.talent_index``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.storage.change_tables import read_counters
from talentbridge.storage.tables import TalentRow

__all__ = ["SqlTalentSnapshot"]


#: "Changed since" reaches this far back: SQLite compares timestamps as text, and a stamp the database wrote itself
#: (``2026-12-05 10:42:55``, whole seconds) sorts before the same second bound as a parameter
#: (``2026-12-05 10:42:55.000000``), so a change in the second of the last one seen would never be found. A
#: second earlier finds it (and re-reads the few talents changed in that second again).
_MARGIN = timedelta(seconds=1)


class SqlTalentSnapshot:
    """Implements ``services.talent_index.TalentSnapshot`` over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def signature(self) -> tuple[int, datetime | None, int]:
        count, newest, largest = self.session.execute(
            select(func.count(TalentRow.id), func.max(TalentRow.updated_at), func.max(TalentRow.id))
        ).one()
        return int(count or 0), newest, int(largest or 0)

    def texts_after(self, after: int, limit: int) -> list[tuple[int, str | None, list[str], list[str], str]]:
        """(id, résumé, job titles, desired roles, name) of at most ``limit`` talents with an id above ``after``,
        in id order: the text columns only, as stored (no whole profile built and validated)."""
        rows = self.session.execute(
            select(
                TalentRow.id, TalentRow.resume_text, TalentRow.work_history, TalentRow.desired_roles, TalentRow.name
            )
            .where(TalentRow.id > after)
            .order_by(TalentRow.id)
            .limit(limit)
        ).all()
        return [
            (
                int(talent_id),
                resume,
                [str(w.get("title") or "") for w in history or () if isinstance(w, dict)],
                [str(r) for r in roles or ()],
                name or "",
            )
            for talent_id, resume, history, roles, name in rows
        ]

    def changes(self) -> tuple[int, int] | None:
        """The talents' change counters (updates and deletes, inserts; ``change_tables``): one row, no scan. None
        without them (a database before the migration)."""
        counters = read_counters(self.session)
        return None if counters is None else (counters["talents"], counters["talents_added"])

    def ids_changed_since(self, since: datetime | None) -> set[int]:
        stmt = select(TalentRow.id)
        if since is not None:
            stmt = stmt.where(TalentRow.updated_at >= since - _MARGIN)
        return set(self.session.scalars(stmt))

    def count_changed_since(self, since: datetime | None, limit: int) -> int:
        # at least (``TalentSnapshot``): no margin here, or the talents of the last second seen would count again
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
