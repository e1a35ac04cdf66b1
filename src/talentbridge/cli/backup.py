"""``talentbridge backup``: a consistent copy of the whole database (SQLite file or pg_dump archive)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from talentbridge.cli._common import open_database

app = typer.Typer()
SINGLE_COMMAND = True


def command(
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Backup file to write (default: <data_dir>/backups/talentbridge-<engine>-<UTC time>.sqlite3|pgdump).",
    ),
) -> None:
    """Back up the database while the application runs: SQLite's online backup API, or `pg_dump --format=custom`
    for PostgreSQL. Restore with `talentbridge restore FILE --yes`."""
    from talentbridge.config import get_settings
    from talentbridge.services.backup import backup, default_backup_name

    settings = get_settings()
    db = open_database(check=False)
    engine = db.engine.dialect.name
    target = output or settings.data_dir / "backups" / default_backup_name(engine)
    console = Console()
    with console.status(f"Backing up {db.safe_url} ..."):
        info = backup(db.url, target)
    console.print(
        f"[green]Backed up {db.safe_url} (revision {info.revision}) to {target} ({info.size_bytes:,} bytes).[/]",
        soft_wrap=True,
        highlight=False,
    )
