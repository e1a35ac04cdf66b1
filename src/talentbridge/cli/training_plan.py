"""``talentbridge training-plan create|list|show|export``: an organization's saved training plans (the same
service as /org/training/plans and the API): a chosen group of employees, a target, an optional budget."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)

_ORG = typer.Option(..., "--org", help="The organization's id.")
_PLAN = typer.Argument(..., help="The plan's id.")
_JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")


def _as_dict(plan: Any) -> dict[str, Any]:
    from dataclasses import asdict

    out = asdict(plan)
    for key in ("created_at", "updated_at"):
        out[key] = out[key].isoformat() if out[key] else None
    return out


@app.command("create")
def create_command(
    org: int = _ORG,
    talents: str = typer.Option(..., "--talents", help="Employee ids, comma-separated: '12,15,40'."),
    kind: str = typer.Option("occupation", "--kind", help="Target kind: opening, occupation or skills."),
    target: str = typer.Option(..., "--target", help="Opening id, occupation id or name, or skills 'python:3'."),
    budget: int | None = typer.Option(None, "--budget", min=0, help="Budget in won (optional)."),
    name: str = typer.Option("", "--name", help="Plan name (default: the target's label)."),
    as_json: bool = _JSON,
) -> None:
    """Compute and save a training plan for the chosen employees of the organization."""
    from talentbridge.cli._common import open_database
    from talentbridge.domain.errors import Problem, ValidationFailed
    from talentbridge.services.saved_training_plans import create_plan

    try:
        ids = [int(t) for t in talents.replace(" ", "").split(",") if t]
    except ValueError as exc:
        raise ValidationFailed("--talents", [Problem(loc=("talents",), msg="ids separated by commas",
                                                     value=talents)]) from exc  # fmt: skip
    db = open_database(check=True)
    with db.session() as session:
        plan = create_plan(session, org, name=name, target_kind=kind, target_ref=target, talent_ids=ids,
                           budget=budget)  # fmt: skip
        out = _as_dict(plan)
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    s = out["summary"]
    typer.echo(f"plan {out['id']} '{out['name']}': {s['people']} employees, {s['hours']:g} h, fee {s['fee']:,}, "
               f"programmes pay {s['programme_pays']:,}" + ("; over budget" if s.get("over_budget") else "")
               + ("; no course catalogue is loaded" if s.get("catalogue_empty") else ""))  # fmt: skip


@app.command("list")
def list_command(org: int = _ORG, page: int = typer.Option(1, "--page", min=1), as_json: bool = _JSON) -> None:
    """The organization's saved plans, newest first (50 a page)."""
    from rich.console import Console
    from rich.table import Table

    from talentbridge.cli._common import open_database
    from talentbridge.services.saved_training_plans import list_plans

    db = open_database(check=True)
    with db.session() as session:
        items, total = list_plans(session, org, page=page, size=50)
        rows = [_as_dict(p) for p in items]
    if as_json:
        typer.echo(json.dumps({"items": rows, "total": total, "page": page}, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{total} plan(s)")
    for column in ("id", "name", "target", "employees", "hours", "fee", "budget"):
        table.add_column(column)
    for p in rows:
        table.add_row(str(p["id"]), p["name"], p["target_label"], str(len(p["talent_ids"])),
                      f"{p['summary'].get('hours', 0):g}", f"{p['summary'].get('fee', 0):,}",
                      "" if p["budget"] is None else f"{p['budget']:,}")  # fmt: skip
    Console().print(table)


@app.command("show")
def show_command(plan_id: int = _PLAN, org: int | None = typer.Option(None, "--org"), as_json: bool = _JSON) -> None:
    """One plan with each employee's courses and their status."""
    from rich.console import Console
    from rich.table import Table

    from talentbridge.cli._common import open_database
    from talentbridge.services.saved_training_plans import get_plan
    from talentbridge.services.training_plan_export import plan_rows

    db = open_database(check=True)
    with db.session() as session:
        plan = get_plan(session, plan_id, org)
        out, rows = _as_dict(plan), plan_rows(session, plan)
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    s = out["summary"]
    table = Table(title=f"{out['name']} — {out['target_label']}: {s['hours']:g} h, fee {s['fee']:,}")
    for column in ("employee", "#", "course", "hours", "fee", "status"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["employee"], str(r.get("order") or ""), (r.get("course") or "—")[:50],
                      "" if r.get("hours") is None else f"{r['hours']:g}",
                      "" if r.get("fee") is None else f"{r['fee']:,}", r.get("status") or "")  # fmt: skip
    Console().print(table)


@app.command("export")
def export_command(
    plan_id: int = _PLAN, output: Path = typer.Option(..., "--output", "-o", help="A .csv or .xlsx file."),
    org: int | None = typer.Option(None, "--org"),
) -> None:
    """Write the plan (one row per employee course) as CSV or XLSX; formula-like cells are neutralised."""
    from talentbridge.cli._common import open_database
    from talentbridge.domain.errors import Problem, ValidationFailed
    from talentbridge.services.saved_training_plans import get_plan
    from talentbridge.services.training_plan_export import plan_csv, plan_rows, plan_xlsx

    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationFailed("--output", [Problem(loc=("output",), msg=".csv or .xlsx", value=str(output))])
    db = open_database(check=True)
    with db.session() as session:
        rows = plan_rows(session, get_plan(session, plan_id, org))
    output.write_bytes(plan_csv(rows) if suffix == ".csv" else plan_xlsx(rows))
    typer.echo(f"{len(rows)} row(s) -> {output}")
