"""Helpers shared by CLI commands: settings, the database, consoles."""

from __future__ import annotations

from typing import Any

from talentbridge.config import get_settings
from talentbridge.services.transactions import open_configured_database

__all__ = ["close_databases", "open_database"]

# Databases opened by this command, closed when it ends (their pooled connections would otherwise be left to the
# garbage collector, which warns, and PostgreSQL would hold them open until the process exits).
_opened: list[Any] = []


def open_database(check: bool = True) -> Any:
    """The configured database (``storage.Database``); with ``check`` it must be migrated (else a clear
    DatabaseNotReady)."""
    db = open_configured_database(get_settings(), check=False)
    _opened.append(db)
    if check:
        db.check_ready()
    return db


def close_databases() -> None:
    """Close every database this command opened."""
    while _opened:
        _opened.pop().dispose()
