"""Helpers shared by CLI commands: settings, the database, consoles."""

from __future__ import annotations

from talentbridge.config import get_settings
from talentbridge.storage import Database

__all__ = ["close_databases", "open_database"]

# Databases opened by this command, closed when it ends (their pooled connections would otherwise be left to the
# garbage collector, which warns, and PostgreSQL would hold them open until the process exits).
_opened: list[Database] = []


def open_database(check: bool = True) -> Database:
    """The configured database; with ``check`` it must be migrated (else a clear DatabaseNotReady)."""
    db = Database.from_settings(get_settings())
    _opened.append(db)
    if check:
        db.check_ready()
    return db


def close_databases() -> None:
    """Close every database this command opened."""
    while _opened:
        _opened.pop().dispose()
