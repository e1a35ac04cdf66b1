"""Backups of the whole database and their restore, with the checks a person needs before overwriting data.

The engine-specific work (SQLite's online backup API; ``pg_dump`` / ``pg_restore`` for PostgreSQL) is in
``storage.backup``; this service decides whether a restore may go ahead: the file must be a backup of the same
engine, at a schema revision this version knows (an older one is restored and then needs ``db upgrade``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from talentbridge.domain.errors import ValidationFailed
from talentbridge.storage.backup import (
    BackupInfo,
    backup_database,
    known_revisions,
    read_backup_info,
    restore_database,
)

__all__ = ["BackupInfo", "RestoreResult", "backup", "default_backup_name", "inspect_backup", "restore"]


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    needs_upgrade: bool  # the backup is from an older schema: run `talentbridge db upgrade`


def default_backup_name(engine: str, now: datetime | None = None) -> str:
    """``talentbridge-<engine>-YYYYMMDD-HHMMSS.<ext>``: sortable, and the extension says how to open it."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"talentbridge-{engine}-{stamp}.{'sqlite3' if engine == 'sqlite' else 'pgdump'}"


def backup(database_url: str, target: Path) -> BackupInfo:
    """Back the database up into ``target`` (a SQLite file, or a pg_dump custom-format archive)."""
    return backup_database(database_url, target)


def inspect_backup(source: Path) -> BackupInfo:
    return read_backup_info(source)


def restore(database_url: str, source: Path, current_heads: str | None) -> RestoreResult:
    """Replace the database with ``source`` after checking that this version can use it.

    ``current_heads`` is the newest revision set of this version (comma-separated), used to say whether the
    restored database needs ``db upgrade``.
    """
    info = read_backup_info(source)
    revisions = set((info.revision or "").split(",")) - {""}
    unknown = sorted(revisions - known_revisions())
    if unknown:
        raise ValidationFailed(
            f"{source} was made by a newer TalentBridge (schema revision {', '.join(unknown)} is unknown here): "
            "restore it with that version or newer"
        )
    restored = restore_database(database_url, source)
    return RestoreResult(restored, needs_upgrade=(restored.revision or "") != (current_heads or ""))
