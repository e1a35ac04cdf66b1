"""``talentbridge restore FILE --yes``: replace the database with a backup made by ``talentbridge backup``, then
re-apply the erasures made since (the erasure ledger, ``services/privacy_ledger.py``)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from talentbridge.cli._common import open_database

app = typer.Typer()
SINGLE_COMMAND = True


def command(
    source: Path = typer.Argument(..., help="A backup file from `talentbridge backup`."),
    yes: bool = typer.Option(False, "--yes", help="Really replace every row of the current database."),
) -> None:
    """Replace the whole database with a backup (all or nothing). Stop the web and job workers first."""
    from talentbridge.domain.errors import InvalidState
    from talentbridge.services.backup import inspect_backup, restore

    db = open_database(check=False)
    info = inspect_backup(source)
    console = Console()
    if not yes:
        raise InvalidState(
            f"restoring {source} ({info.engine}, revision {info.revision}) replaces every row of {db.safe_url}: "
            "stop the web and job workers, then run again with --yes"
        )
    with console.status(f"Restoring {source} into {db.safe_url} ..."):
        result = restore(db.url, source, db.head_revision())
    db.dispose()
    console.print(f"[green]Restored {source} into {db.safe_url}.[/]", soft_wrap=True, highlight=False)
    if result.needs_upgrade:
        console.print(
            "[yellow]The backup is from an older schema: run `talentbridge db upgrade`, then "
            "`talentbridge privacy reapply` (erasures made since the backup), before serving.[/]",
            soft_wrap=True,
        )
    else:  # erasures made since the backup: the people stay erased (docs/privacy.md)
        from talentbridge.cli.privacy import print_reapplied
        from talentbridge.config import get_settings
        from talentbridge.services.privacy_ledger import reapply

        print_reapplied(reapply(get_settings(), db))
    console.print(
        "Search indexes and caches on disk describe the old data: rebuild them with `talentbridge recommend reindex`.",
        soft_wrap=True,
        highlight=False,
    )
