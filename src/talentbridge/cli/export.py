"""``talentbridge export organizations|talents|openings --format csv|jsonl|parquet|xlsx --output FILE``.

One row per entity with every field; list fields are written the way ``talentbridge import`` reads them, so an
export imports back unchanged (docs/import-export.md).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from talentbridge.domain.errors import ValidationFailed

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)
console = Console()

_FORMATS = ("csv", "jsonl", "parquet", "xlsx")


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt:
        return fmt.lower()
    if output is not None and output.suffix.lower().lstrip(".") in _FORMATS:
        return output.suffix.lower().lstrip(".")
    return "csv"


def _run(entity: str, fmt: str | None, output: Path | None) -> None:
    from talentbridge.cli._common import open_database
    from talentbridge.cli.data import print_problems, progress_bar
    from talentbridge.services.exporting import export_entities
    from talentbridge.services.file_writing import default_extension

    kind = _format_for(fmt, output)
    target = output or Path(f"{entity}{default_extension(kind) or '.' + kind}")
    db = open_database(check=True)
    started = time.perf_counter()
    try:
        with progress_bar() as bar:
            task = bar.add_task(f"Exporting {entity}", total=None)

            def progress(stage: str, done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            count = export_entities(db, entity, kind, target, progress=progress)
    except ValidationFailed as exc:
        print_problems(exc, f"Use --format with one of {', '.join(_FORMATS)}.")
        sys.exit(1)
    console.print(
        f"[green]Exported {count} {entity}[/] to {target} ({kind}, {time.perf_counter() - started:.1f} s).",
        highlight=False,
    )


def _command(entity: str) -> Any:
    def command(
        fmt: Annotated[
            str | None,
            typer.Option(
                "--format", "-f", help="csv, jsonl, parquet or xlsx (default: from --output, else csv)."
            ),
        ] = None,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="File to write (default ./<entity>.<format>).")
        ] = None,
    ) -> None:
        _run(entity, fmt, output)

    command.__doc__ = (
        f"Export every {entity[:-1]} with all fields (importable again with `talentbridge import`)."
    )
    return command


for _entity in ("organizations", "talents", "openings"):
    app.command(_entity)(_command(_entity))
