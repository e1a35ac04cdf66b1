"""``talentbridge courses ...``: the course catalogue (import KDT, JCRec or a generic file; list), skill gaps and
training plans. See docs/upskilling.md."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from talentbridge.domain.errors import ValidationFailed

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(help="KDT CSV as published, JCRec courses.json, or a generic CSV/JSONL/XLSX.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="auto, generic, kdt or jcrec.")] = "auto",
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows; put rejected rows in a side file.")
    ] = False,
    rejects: Annotated[Path | None, typer.Option("--rejects", help="Side file (default <FILE>.rejected.csv).")] = None,
    no_infer: Annotated[bool, typer.Option("--no-infer", help="Do not infer taught skills from the text.")] = False,
) -> None:
    """Import courses from FILE; upsert by external id. Atomic: any bad row and nothing is written (unless
    --skip-invalid). Courses without a skill list get skills inferred from title, description and NCS name."""
    from talentbridge.cli._common import open_database
    from talentbridge.cli.data import _describe, print_problems
    from talentbridge.config import get_settings
    from talentbridge.services.course_catalogue import import_course_file

    db = open_database(check=True)
    started = time.perf_counter()
    try:
        result = import_course_file(
            db, get_settings(), file, fmt=fmt, skip_invalid=skip_invalid, infer=not no_infer, rejects_path=rejects
        )
    except ValidationFailed as exc:
        print_problems(exc, "Nothing was written. Fix the rows above, or add --skip-invalid.")
        sys.exit(1)
    elapsed = time.perf_counter() - started
    console.print(
        f"[green]Imported {result.written} courses[/] ({result.format}) from {file.name}: {result.created} created, "
        f"{result.updated} updated, {result.duplicates} repeated rows merged, {result.rejected} rejected; "
        f"skills inferred for {result.inferred}, {result.without_skills} without skills "
        f"({result.rows} rows in {elapsed:.1f} s).",
        highlight=False,
    )
    if result.notes:
        console.print(f"{len(result.notes)} published value(s) left unknown (spreadsheet errors, rates over 100%).")
    if result.rejected:
        console.print(f"[yellow]{result.rejected} row(s) rejected[/] -> {result.rejects_path}", highlight=False)
        for problem in result.problems[:50]:
            console.print("  " + _describe(problem), markup=False, highlight=False, soft_wrap=True)


@app.command("list")
def list_command(
    q: Annotated[str, typer.Option("--q", help="Title, provider or NCS name contains.")] = "",
    ncs: Annotated[str, typer.Option("--ncs", help="NCS code prefix.")] = "",
    limit: Annotated[int, typer.Option("--limit")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List courses of the catalogue."""
    from talentbridge.cli._common import open_database
    from talentbridge.services.course_catalogue import course_store

    db = open_database(check=True)
    with db.session() as session:
        courses, total = course_store(session).search(q=q, ncs=ncs, limit=limit)
    if as_json:
        typer.echo(json.dumps([c.model_dump(mode="json") for c in courses], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{total} courses")
    for column in ("id", "title", "provider", "hours", "fee", "NCS", "teaches"):
        table.add_column(column)
    for c in courses:
        table.add_row(str(c.id), c.title[:50], c.provider[:20], f"{c.hours:g}", f"{c.fee:,}", c.ncs_name or "",
                      ", ".join(s.skill_id for s in c.teaches[:4]))  # fmt: skip
    console.print(table)
