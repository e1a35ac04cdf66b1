"""``talentbridge support``: screen a hire or plain facts, list every rule version, write docs/support.md."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


def _console() -> Console:
    return Console()


@app.command("rules")
def rules(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """Every scheme version with its dates, sources and verified flag."""
    from talentbridge.services.support import rules_listing

    listing = rules_listing()
    if as_json:
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    table = Table("id", "version", "kind", "name", "from", "to", "verified", "sources")
    for r in listing:
        table.add_row(
            r["id"],
            r["version"],
            r["kind"],
            r["name_ko"],
            r["effective_from"],
            r["effective_to"] or "—",
            "yes" if r["verified"] else "NO",
            "; ".join(s["key"] for s in r["sources"]),
        )
    _console().print(table)


@app.command("screen")
def screen(
    facts_file: Path | None = typer.Option(None, "--facts", help='JSON file of facts ({"person.age": 29, ...}).'),
    talent: int | None = typer.Option(None, "--talent", help="Talent id of a concrete hire."),
    opening: int | None = typer.Option(None, "--opening", help="Opening id of the hire."),
    placement: int | None = typer.Option(None, "--placement", help="Placement id of the hire."),
    as_of: str | None = typer.Option(None, "--as-of", help="Date of the rules (YYYY-MM-DD; default today)."),
    kind: list[str] | None = typer.Option(
        None, "--kind", help="subsidy, grant, secondment, education, tax, corporate, visa."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the full result as JSON here."),
) -> None:
    """Screen a hire (registry ids) or plain facts against the rules in force."""
    from talentbridge.domain.errors import ValidationFailed
    from talentbridge.services import support as service

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError as exc:
        raise ValidationFailed(f"--as-of: not a date: {as_of!r} (use YYYY-MM-DD)") from exc
    try:
        facts = json.loads(facts_file.read_text(encoding="utf-8")) if facts_file else {}
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"--facts: cannot read {facts_file}: {exc}") from exc
    if not isinstance(facts, dict):
        raise ValidationFailed("--facts: the file must hold a JSON object of facts")
    kinds = tuple(kind) if kind else None
    if talent is not None:
        from talentbridge.cli._common import open_database

        result = service.screen_registered_hire(
            open_database(),
            talent_id=talent,
            opening_id=opening,
            placement_id=placement,
            overrides=facts,
            as_of=day,
            kinds=kinds or service.HIRE_KINDS,
        )
    else:
        results = service.screen_facts(facts, day, kinds)
        result = {
            "as_of": day.isoformat(),
            "facts": facts,
            "results": results,
            "estimated_total": service._total(results),
        }
    if output:
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    table = Table("scheme", "version", "result", "amount (KRW)", "missing or not met")
    for r in result["results"]:
        amount = "—"
        if r["amount_min"] is not None and r["amount_min"] == r["amount_max"]:
            amount = f"{r['amount_min']:,}"
        elif r["amount_max"] is not None:
            amount = f"≤ {r['amount_max']:,}"
        open_items = [c["label_en"] for c in r["conditions"] if c["status"] in ("not_met", "unknown")]
        flag = "" if r["verified"] else " (unverified)"
        table.add_row(r["name_ko"], r["version"], r["status"] + flag, amount, "; ".join(open_items)[:120])
    _console().print(table)


@app.command("docs")
def docs(
    output: Path = typer.Option(Path("docs/support.md"), "--output", "-o", help="Where to write the page."),
    check: bool = typer.Option(False, "--check", help="Fail if the file differs from the rule files."),
) -> None:
    """Write docs/support.md from the rule files (so the two cannot disagree)."""
    from talentbridge.support.docs import render_markdown

    text = render_markdown()
    if check:
        if not output.exists() or output.read_text(encoding="utf-8") != text:
            from talentbridge.domain.errors import ValidationFailed

            raise ValidationFailed(f"{output} is out of date: run `talentbridge support docs`")
        typer.echo(f"{output} is up to date")
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")
