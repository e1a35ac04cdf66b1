"""What services and adapters need of a database: a source of sessions (one transaction each).

``storage.db.Database`` implements ``SessionSource``; adapters type their database with it, so that only the
wiring modules (``web/app.py``, ``cli/_common.py``) name the storage class.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

__all__ = ["ManagedDatabase", "SessionSource", "database_state"]


class SessionSource(Protocol):
    """Makes sessions: ``with source.session(write=True) as s: ...`` commits on success, rolls back on error."""

    def session(self, *, write: bool = False) -> AbstractContextManager[Session]: ...

    def begin_write(self, session: Session) -> None:
        """Turn the session's next transaction into a write transaction (SQLite: ``BEGIN IMMEDIATE``)."""
        ...


class ManagedDatabase(SessionSource, Protocol):
    """A ``SessionSource`` that can say whether it is reachable and migrated."""

    @property
    def engine(self) -> Engine: ...

    def check_ready(self) -> None:
        """Raise ``DatabaseNotReady`` unless the schema is at the newest migration."""
        ...


def database_state(database: ManagedDatabase) -> tuple[str | None, str]:
    """(None, dialect) when the database answers and is migrated, else (why not, dialect); never raises."""
    from talentbridge.domain.errors import TalentBridgeError

    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database.check_ready()
    except TalentBridgeError as exc:
        return exc.message, database.engine.dialect.name
    except Exception as exc:  # the database is down: report, don't crash
        return str(exc), database.engine.dialect.name
    return None, database.engine.dialect.name
