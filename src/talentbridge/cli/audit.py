"""``talentbridge audit recommendations --top K``: selection-rate impact ratios of the top-K shortlists by gender,
age band, nationality and region (four-fifths rule, as in a NYC Local Law 144 bias audit; docs/matching.md)."""

from __future__ import annotations

import json

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Fairness audits of recommendations.")


@app.command("recommendations")
def recommendations(
    top: int = typer.Option(20, "--top", "-k", min=1, max=1000, help="Shortlist length audited."),
    limit: int = typer.Option(1000, "--limit", min=1, help="At most this many open openings."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Impact ratios of top-K shortlists; groups under 0.8 are flagged."""
    from rich.console import Console
    from rich.table import Table

    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.recommend import RecommendService

    db = open_database()
    try:
        with db.session() as session:
            report = RecommendService(get_settings(), session).audit(top, limit)
    finally:
        db.dispose()
    if fmt == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    for dim, rates in report["dimensions"].items():
        table = Table(title=f"{dim} — top-{top} shortlists of {report['openings']} openings")
        for col in ("group", "eligible", "selected", "rate", "impact ratio", ""):
            table.add_column(col, justify="left" if col in ("group", "") else "right")
        for g in rates:
            ratio = "" if g["impact_ratio"] is None else f"{g['impact_ratio']:.3f}"
            flag = "[red]under 0.8[/]" if g["flagged"] else ("small" if g["small"] else "")
            table.add_row(g["group"], str(g["eligible"]), str(g["selected"]), f"{g['rate']:.4f}", ratio, flag)
        console.print(table)
    n = len(report["flagged"])
    console.print(
        f"{n} group(s) flagged under the four-fifths rule" if n else "no group under the four-fifths rule"
    )
