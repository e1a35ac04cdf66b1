"""``talentbridge aiact``: the AI Basic Act records and documentation packs (docs/ai-act.md).

talentbridge aiact pack --round 3 --output DIR        # HTML (ko, en) + PDF of one round, kept and copied to DIR
talentbridge aiact pack --period 2026-H1 --output DIR # every round published in the period + shortlist audit
talentbridge aiact packs                              # the packs kept
talentbridge aiact records [--kind round_run]         # the latest AI run records
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="AI Basic Act: run records and documentation packs.")


@app.command("pack")
def pack(
    round_id: int | None = typer.Option(None, "--round", help="Round id."),
    period: str | None = typer.Option(None, "--period", help="2026, 2026-H1, 2026-Q3 or 2026-05."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Also copy the files to this folder."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Write pack.pdf too (needs a Korean TTF)."),
) -> None:
    """Generate the documentation pack of a round or a period; it is kept under the data directory."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.ai_pack import generate

    db = open_database()
    try:
        with db.session(write=True) as session:
            made = generate(session, get_settings(), round_id=round_id, period=period, actor="cli", output=output,
                            pdf=pdf)  # fmt: skip
    finally:
        db.dispose()
    where = output or Path(made["folder"])
    typer.echo(f"documentation pack #{made['id']}: {', '.join(str(where / f) for f in made['files'])}")


@app.command("packs")
def packs() -> None:
    """The documentation packs kept, newest first."""
    from talentbridge.cli._common import open_database
    from talentbridge.services.ai_pack import list_packs

    db = open_database()
    try:
        with db.session() as session:
            for p in list_packs(session):
                scope = f"round {p['round_id']}" if p["round_id"] else p["period"]
                typer.echo(f"#{p['id']}\t{scope}\t{p['created_at']}\t{p['folder']}\t{' '.join(p['files'])}")
    finally:
        db.dispose()


@app.command("records")
def records(
    kind: str | None = typer.Option(None, "--kind", help="recommendation_list, generated_ranking, round_run, ..."),
    round_id: int | None = typer.Option(None, "--round"),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000),
) -> None:
    """The latest AI run records as JSON Lines (without their outputs)."""
    from talentbridge.cli._common import open_database
    from talentbridge.services.ai_records import list_runs

    db = open_database()
    try:
        with db.session() as session:
            items, _ = list_runs(session, kind=kind, round_id=round_id, size=limit)
    finally:
        db.dispose()
    for item in items:
        typer.echo(json.dumps(item, ensure_ascii=False, default=str))
