"""One row of change counters, kept by triggers, that tells in one index lookup whether the registry changed.

``data_changes`` holds a counter per tracked table (``TRACKED``), raised by a database trigger in the same
transaction as the change: a reader sees the new count exactly when it sees the change (no window, no clock).
``services.recommend_cache`` and ``services.recommend_openings`` key their caches on it instead of aggregating
the tables (a scan of 100,000 talents is tens of milliseconds of PostgreSQL per request).

What raises a counter (migration ``0010_data_changes``):

- ``talents``: an update or a delete of a talent;
- ``talents_added``: an insert of a talent. Lists do not key on it: a talent added is not in any list until the
  talent index takes it in, and the index's own identity is part of every list's key (an import does not drop
  the lists when it commits). The talent index does: with neither talents counter moved since it last compared
  itself with the table, it skips that comparison (a scan);
- ``openings``, ``organizations``, ``programs``: an insert, an update or a delete.

On PostgreSQL the triggers are deferred to the commit and raise each counter once per transaction (a transaction
flag), so the row is locked only for the instant of the commit: a long import never makes a profile edit wait,
and one row (not a row per table) means two transactions cannot lock counters in opposite orders. On SQLite, a
row trigger (one writer at a time there). A restore, and anything else that replaces rows without counting
(TRUNCATE), moves every counter past any value it had (``move_past``).
"""

from __future__ import annotations

import time

from sqlalchemy import BigInteger, Connection, Integer, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, Session, mapped_column

from talentbridge.storage.base import Base

__all__ = ["DataChangesRow", "TRACKED", "ROW_ID", "read_counters", "move_past"]

#: The counters.
TRACKED: tuple[str, ...] = ("talents", "talents_added", "openings", "organizations", "programs")
#: The one row's id.
ROW_ID = 1


class DataChangesRow(Base):
    __tablename__ = "data_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talents: Mapped[int] = mapped_column(BigInteger, default=0)
    talents_added: Mapped[int] = mapped_column(BigInteger, default=0)
    openings: Mapped[int] = mapped_column(BigInteger, default=0)
    organizations: Mapped[int] = mapped_column(BigInteger, default=0)
    programs: Mapped[int] = mapped_column(BigInteger, default=0)


def read_counters(executor: Connection | Session) -> dict[str, int] | None:
    """The counters by name (None: no counters' row). One primary-key lookup; a database before the migration
    (no such table) raises, as any other query would there."""
    row = executor.execute(
        select(*(getattr(DataChangesRow, t) for t in TRACKED)).where(DataChangesRow.id == ROW_ID)
    ).one_or_none()
    return None if row is None else {t: int(v) for t, v in zip(TRACKED, row, strict=True)}


def move_past(connection: Connection, seen: dict[str, int] | None) -> None:
    """Set every counter beyond any value it had: after its rows were replaced other than by counted writes (a
    restore, a TRUNCATE), a counter must not come back to a value a cache was keyed on. The new value is above
    ``seen`` (the counters before), the current one and the time in milliseconds (a restored backup or a new
    database cannot have counted as far). Nothing happens without the counters' row or table (a restored backup
    from before the migration: ``db upgrade`` adds them, starting from the time)."""
    try:
        with connection.begin_nested():
            current = read_counters(connection)
    except DBAPIError:
        return
    if current is None:
        return
    floor = int(time.time() * 1000)
    values = {t: max(current[t], (seen or {}).get(t, 0), floor) + 1 for t in TRACKED}
    connection.execute(update(DataChangesRow).where(DataChangesRow.id == ROW_ID).values(**values))
