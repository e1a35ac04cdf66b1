"""Whole-database backup and restore, in each engine's own format.

* SQLite: the backup is a SQLite database file made with SQLite's online backup API (consistent while the app
  writes; open it with ``sqlite3`` as it is). Restore checks the file (``PRAGMA integrity_check``, a migrated
  schema) and copies it into the live database with the same API, so open connections see the restored data.
* PostgreSQL: the backup is a ``pg_dump`` custom-format archive (``pg_restore`` reads it as it is). Restore turns
  it into SQL with ``pg_restore`` and runs it with ``psql`` in ONE transaction after dropping the schema's tables:
  a failed restore leaves the database as it was.

A backup of one engine is never restored into the other (a clear error says so); moving between engines is what
``talentbridge export`` / ``import`` are for.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from talentbridge.domain.errors import ConfigurationError, ValidationFailed
from talentbridge.storage.change_tables import move_past, read_counters

__all__ = ["BackupInfo", "backup_database", "known_revisions", "read_backup_info", "restore_database"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: its engine, its migration revision(s) and its size."""

    engine: str  # "sqlite" or "postgresql"
    revision: str | None
    size_bytes: int


def _engine_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in {"sqlite", "postgresql"}:
        raise ConfigurationError(f"backup supports SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ConfigurationError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConfigurationError(
            f"`{name}` was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)"
        )
    return path


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it (never on argv)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str] | None = None, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(args, input=stdin, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        tool = Path(args[0]).name
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigurationError(f"{tool} failed: {' / '.join(message[-3:]) or f'exit code {done.returncode}'}")
    return done.stdout


def known_revisions() -> set[str]:
    """Every migration revision this version of TalentBridge ships (a backup at any of them can be restored)."""
    from alembic.script import ScriptDirectory

    from talentbridge.storage.db import _alembic_config

    return {script.revision for script in ScriptDirectory.from_config(_alembic_config("sqlite://")).walk_revisions()}


# -- backup -------------------------------------------------------------------------------------------------------


def backup_database(url: str, target: Path) -> BackupInfo:
    """Write a consistent backup of the database at ``url`` to ``target`` (replaced atomically when done)."""
    engine = _engine_of(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine == "sqlite":
            source = _sqlite_path(url)
            if not source.exists():
                raise ConfigurationError(f"the SQLite database {source} does not exist")
            with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
                live.backup(copy)
            sqlite3.connect(partial).close()
        else:
            conninfo, env = _libpq(url)
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial), conninfo],
                env,
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return read_backup_info(target)


# -- reading a backup ---------------------------------------------------------------------------------------------


def _sqlite_revision(path: Path) -> str | None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        try:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError:
            return None
    return ",".join(sorted(r[0] for r in rows)) or None


def _pgdump_revision(path: Path) -> str | None:
    script = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "-f", "-", str(path)])
    revisions = []
    in_copy = False
    for line in script.decode("utf-8", "replace").splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            in_copy = True
            continue
        if in_copy:
            if line == "\\.":
                break
            revisions.append(line.strip())
    return ",".join(sorted(revisions)) or None


def read_backup_info(path: Path) -> BackupInfo:
    """Which engine wrote ``path`` and at which revision; ValidationFailed when it is not a backup at all."""
    if not path.is_file():
        raise ValidationFailed(f"{path}: no such backup file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    size = path.stat().st_size
    if head.startswith(SQLITE_MAGIC):
        return BackupInfo("sqlite", _sqlite_revision(path), size)
    if head.startswith(PGDUMP_MAGIC):
        return BackupInfo("postgresql", _pgdump_revision(path), size)
    raise ValidationFailed(f"{path} is neither a SQLite database nor a pg_dump custom-format archive")


# -- restore ------------------------------------------------------------------------------------------------------


def _check_sqlite_backup(path: Path) -> None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise ValidationFailed(f"{path} is damaged: {verdict}")


def restore_database(url: str, source: Path) -> BackupInfo:
    """Replace the database at ``url`` with the backup ``source`` (same engine); all or nothing."""
    engine = _engine_of(url)
    info = read_backup_info(source)
    if info.engine != engine:
        raise ValidationFailed(
            f"{source} is a {info.engine} backup and the database is {engine}: restore it into a {info.engine} "
            "database, or move data between engines with `talentbridge export` and `talentbridge import`"
        )
    if info.revision is None:
        raise ValidationFailed(f"{source} holds no TalentBridge schema (no migration revision)")
    seen = _counters(url)
    if engine == "sqlite":
        _check_sqlite_backup(source)
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copy first, so that the source file is never opened for writing, then restore page by page into the
        # live file in one write transaction (the backup API locks the target for its duration).
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "restore.sqlite3"
            shutil.copyfile(source, copy)
            with sqlite3.connect(copy) as backup, sqlite3.connect(target, timeout=30) as live:
                backup.backup(live)
    else:
        conninfo, env = _libpq(url)
        script = _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(source)], env)
        prelude = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
        _run(
            [_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-d", conninfo],
            env,
            stdin=prelude + script,
        )
    _move_counters_past(url, seen)
    return info


def _counters(url: str) -> dict[str, int] | None:
    """The live database's change counters before a restore (None: none yet)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return read_counters(conn)
    except DBAPIError:
        return None
    finally:
        engine.dispose()


def _move_counters_past(url: str, seen: dict[str, int] | None) -> None:
    """Caches in running processes are keyed on the change counters: after the restore, none may come back to a
    value one was keyed on (``storage.change_tables.move_past``)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            move_past(conn, seen)
    finally:
        engine.dispose()
