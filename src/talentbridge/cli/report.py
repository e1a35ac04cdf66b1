"""``talentbridge report``: the programme report for a period, and the analytics cells (docs/analytics.md).

talentbridge report programme --period 2026-H1 --format xlsx|pdf|html [--programme ID] --output FILE
talentbridge report refresh          # recompute the analytics cells now (else the first read after a change does)
"""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Programme reports and status analytics.")


@app.command("programme")
def programme(
    period: str = typer.Option(..., "--period", help="2026, 2026-H1, 2026-Q3 or 2026-05."),
    fmt: str = typer.Option("xlsx", "--format", help="xlsx (every table), html (printable, charts) or pdf."),
    programme_id: int | None = typer.Option(None, "--programme", help="One programme's id (default: all)."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
) -> None:
    """Write the programme report of a period; groups of fewer than five people are shown as <5."""
    from talentbridge.cli._common import open_database
    from talentbridge.services.analytics_report import build_report, write_report

    db = open_database()
    try:
        with db.session() as session:
            report = build_report(session, period, programme_id)
            path = write_report(report, fmt.lower(), output)
    finally:
        db.dispose()
    typer.echo(f"programme report {period} ({fmt}): {path}")


@app.command("refresh")
def refresh() -> None:
    """Recompute the aggregate cells of supply, demand and skills now (e.g. from a nightly job)."""
    from talentbridge.cli._common import open_database
    from talentbridge.services.analytics_cells import refresh_now

    db = open_database()
    try:
        with db.session(write=True) as session:
            state = refresh_now(session)
    finally:
        db.dispose()
    typer.echo(f"analytics cells refreshed at {state['refreshed_at']} in {state['refresh_seconds']} s")
