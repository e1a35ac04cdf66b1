"""``talentbridge import organizations|talents|openings|survey FILE``: import from CSV, JSON Lines or XLSX.

Atomic by default: one bad row and nothing is written; every bad row is listed (line, column, value, reason) and
the command exits 1. ``--skip-invalid`` writes the valid rows and puts the rejected ones, with reasons, in a side
file. Rows are upserted by ``external_id``. Columns: docs/import-export.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from talentbridge.domain.errors import Problem, ValidationFailed

__all__ = ["app", "print_problems", "progress_bar", "format_rate"]

app = typer.Typer(no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

_STAGES = {"read": "Reading", "validate": "Checking", "write": "Writing"}


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def format_rate(rows: int, seconds: float) -> str:
    """ ", 1,234 rows/s" for the import summary; small files get a rate that means something (never "0 rows/s"):
    one decimal under 10 rows/s, seconds per row under 1 row/s, nothing for an empty file or no measurable time."""
    if rows <= 0 or seconds <= 0:
        return ""
    rate = rows / seconds
    if rate < 1:
        return f", {seconds / rows:.1f} s/row"
    if rate < 10:
        return f", {rate:.1f} rows/s"
    return f", {rate:,.0f} rows/s"


def print_problems(exc: ValidationFailed, hint: str, limit: int = 200) -> None:
    """One red line, then one line per problem (line, column, value, reason), then what to do."""
    err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
    for problem in exc.problems[:limit]:
        err_console.print("  " + _describe(problem), markup=False, highlight=False, soft_wrap=True)
    if len(exc.problems) > limit:
        err_console.print(f"  ... and {len(exc.problems) - limit} more", markup=False)
    if hint:
        err_console.print(hint, highlight=False, soft_wrap=True)


def _describe(problem: Problem) -> str:
    loc = list(problem.loc)
    if loc[:1] == ["row"] and len(loc) >= 2:
        loc = loc[2:]
    column = ".".join(str(p) for p in loc) or "-"
    line = f"line {problem.line}" if problem.line is not None else "file"
    value = "" if problem.value is None else f" value {problem.value!r:.80}:"
    return f"{line}, column {column}:{value} {problem.msg}"


def _run(entity: str, file: Path, skip_invalid: bool, rejects: Path | None, fmt: str | None) -> None:
    from talentbridge.cli._common import open_database
    from talentbridge.services.importing import import_file, rejects_path_for

    db = open_database(check=True)
    started = time.perf_counter()
    try:
        with progress_bar() as bar:
            task = bar.add_task(f"Reading {file.name}", total=None)

            def progress(stage: str, done: int, total: int | None) -> None:
                bar.update(task, description=_STAGES.get(stage, stage), completed=done, total=total)

            from talentbridge.config import get_settings
            from talentbridge.services.inference import inference_hook

            result = import_file(db, entity, file, skip_invalid=skip_invalid, rejects_path=rejects, fmt=fmt,
                                 progress=progress, infer=inference_hook(get_settings()))  # fmt: skip
    except ValidationFailed as exc:
        hint = (
            "Nothing was written. Fix the rows above and run the same command again, or add --skip-invalid to "
            f"import the valid rows and write the rejected ones to {rejects or rejects_path_for(file)}."
            if exc.problems and exc.problems[0].loc[:1] == ("row",)
            else "Nothing was written. Columns are described in docs/import-export.md."
        )
        print_problems(exc, hint)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    console.print(
        f"[green]Imported {result.written} {entity}[/] from {file.name}: {result.created} created, "
        f"{result.updated} updated ({result.rows} rows in {elapsed:.1f} s{format_rate(result.rows, elapsed)}).",
        highlight=False,
    )
    if result.rejected:
        console.print(
            f"[yellow]{result.rejected} row(s) rejected[/], written with their reasons to {result.rejects_path}:",
            highlight=False,
        )
        for problem in result.problems[:50]:
            console.print("  " + _describe(problem), markup=False, highlight=False, soft_wrap=True)
        if len(result.problems) > 50:
            console.print(f"  ... and {len(result.problems) - 50} more in the side file", markup=False)


def _command(entity: str) -> Any:
    def command(
        file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or CP949), JSON Lines (.jsonl) or Excel (.xlsx) file.")],
        skip_invalid: Annotated[
            bool,
            typer.Option("--skip-invalid", help="Write the valid rows; put rejected rows in a side file."),
        ] = False,
        rejects: Annotated[
            Path | None,
            typer.Option("--rejects", help="Side file for rejected rows (default <FILE>.rejected.csv)."),
        ] = None,
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="csv, jsonl or xlsx (default: from the file extension)."),
        ] = None,
    ) -> None:
        _run(entity, file, skip_invalid, rejects, fmt)

    command.__doc__ = (
        f"Import {entity} from FILE; upsert by external_id. Atomic: any bad row and nothing is written "
        "(unless --skip-invalid)."
    )
    return command


for _entity in ("organizations", "talents", "openings"):
    app.command(_entity)(_command(_entity))


@app.command("survey")
def survey_command(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or CP949), JSON Lines (.jsonl) or Excel (.xlsx) file.")],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows; put rejected rows in a side file.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Side file for rejected rows (default <FILE>.rejected.csv).")
    ] = None,
) -> None:
    """Import the yearly status survey of AI workforce at member organizations; upsert by organization and
    year. Atomic: any bad row and nothing is written (unless --skip-invalid). Template: docs/import-export.md."""
    from talentbridge.cli._common import open_database
    from talentbridge.services.survey_import import import_survey_file

    db = open_database(check=True)
    try:
        result = import_survey_file(db, file, skip_invalid=skip_invalid, rejects_path=rejects)
    except ValidationFailed as exc:
        hint = (
            "Nothing was written. Fix the rows above and run the same command again, or add --skip-invalid to "
            "import the valid rows and write the rejected ones to a side file."
            if exc.problems and exc.problems[0].loc[:1] == ("row",)
            else "Nothing was written. The template is described in docs/import-export.md (Status survey)."
        )
        print_problems(exc, hint)
        sys.exit(1)
    console.print(
        f"[green]Imported {result.written} survey answer(s)[/] from {file.name}: {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.duplicates} repeated row(s) "
        f"({result.rows} rows).",
        highlight=False,
    )
    if result.rejected:
        console.print(f"[yellow]{result.rejected} row(s) rejected[/], written with their reasons to "
                      f"{result.rejects_path}:", highlight=False)
        for problem in result.problems[:50]:
            console.print("  " + _describe(problem), markup=False, highlight=False, soft_wrap=True)
