"""What services and adapters need of a database: a source of sessions (one transaction each).

``storage.db.Database`` implements ``SessionSource``; adapters type their database with it, so that only the
app factory (``web/app.py``) names the storage class; the CLI opens the configured database through
``open_configured_database``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from talentbridge.config import Settings
    from talentbridge.storage.db import Database

__all__ = ["ManagedDatabase", "SessionSource", "database_state", "open_configured_database"]


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


def open_configured_database(settings: Settings, *, check: bool = True) -> Database:
    """The database ``settings`` names; with ``check`` it must be migrated (else a clear ``DatabaseNotReady``)."""
    from talentbridge.storage.db import Database

    db = Database.from_settings(settings)
    if check:
        db.check_ready()
    return db
