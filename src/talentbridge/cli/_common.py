"""Helpers shared by CLI commands: settings, the database, consoles."""

from __future__ import annotations

from talentbridge.config import get_settings
from talentbridge.storage import Database

__all__ = ["open_database"]


def open_database(check: bool = True) -> Database:
    """The configured database; with ``check`` it must be migrated (else a clear DatabaseNotReady)."""
    db = Database.from_settings(get_settings())
    if check:
        db.check_ready()
    return db
