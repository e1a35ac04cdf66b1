"""``talentbridge upskill plan``: the cheapest learning path of a JSON instance; ``upskill gap`` / ``upskill path``:
a talent's gap against a target and the catalogue's courses that close it (JSON or a table). See
docs/upskilling.md."""

from __future__ import annotations

import json
from pathlib import Path

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.command("plan")
def plan_command(
    input: Path = typer.Option(
        ..., "--input", "-i", help="Instance JSON: courses, profile, target, objective, budget."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here (default: stdout)."),
    baseline: bool = typer.Option(False, "--greedy", help="Use the greedy set-cover baseline instead (JCRec)."),
) -> None:
    """Plan a learning path: every course's requirements met when it starts, every reachable target reached
    (within the budget), at minimal cost; exact with a reported bound."""
    from talentbridge.domain.errors import ValidationFailed
    from talentbridge.upskilling import greedy_plan, plan

    try:
        instance = json.loads(input.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"--input: cannot read {input}: {exc}") from exc
    result = (greedy_plan if baseline else plan)(instance)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        total = result["total"]
        typer.echo(
            f"{result['status']}: {total['courses']} courses, {total['hours']:g} hours, fee {total['fee']:,}; "
            f"{len(result['reached'])} targets reached, {len(result['uncovered'])} not -> {output}"
        )


_TALENT = typer.Option(..., "--talent", help="The talent's id.")
_KIND = typer.Option("occupation", "--kind", help="Target kind: opening, occupation or skills.")
_REF = typer.Option(
    ..., "--target", help="Opening id, occupation id or name (Korean or English), or skills 'python:3, sql'."
)
_LANG = typer.Option("ko", "--lang", help="Language of labels and explanations: ko or en.")
_JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")


def _report(talent: int, kind: str, target: str, lang: str, with_path: bool) -> dict[str, object]:
    from talentbridge.cli._common import open_database
    from talentbridge.domain.errors import Problem, ValidationFailed
    from talentbridge.services.growth_paths import growth_report

    if lang not in ("ko", "en"):
        raise ValidationFailed("--lang", [Problem(loc=("lang",), msg="ko or en", value=lang)])
    db = open_database(check=True)
    with db.session() as session:
        return growth_report(session, talent, kind, target, lang, with_path=with_path)


def _print(report: dict[str, object], as_json: bool) -> None:
    from typing import Any

    from rich.console import Console
    from rich.table import Table

    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    r: dict[str, Any] = report
    gap = r["gap"]
    console = Console()
    table = Table(title=f"{r['target']['label']}: {round(100 * gap['coverage'])}%")
    for column in ("skill", "importance", "level", "status", "explanation"):
        table.add_column(column)
    for item in gap["items"]:
        table.add_row(item["skill_id"], item["importance"], str(item["level"]), item["status"], item["explanation"])
    console.print(table)
    path = r.get("path")
    if path is None:
        return
    total = path["total"]
    courses = Table(title=f"{path['status']}: {total['courses']} courses, {total['hours']:g} h, fee {total['fee']:,}")
    for column in ("#", "course", "title", "hours", "fee", "teaches"):
        courses.add_column(column)
    for c in path["courses"]:
        courses.add_row(str(c["order"]), str(c["course_id"]), c["title"][:50], f"{c['hours']:g}", f"{c['fee']:,}",
                        ", ".join(t["skill_id"] for t in c["teaches"][:5]))  # fmt: skip
    console.print(courses)
    if path["unreachable"]:
        console.print("no course teaches: " + ", ".join(path["unreachable"]))


@app.command("gap")
def gap_command(
    talent: int = _TALENT, kind: str = _KIND, target: str = _REF, lang: str = _LANG, as_json: bool = _JSON
) -> None:
    """A talent's gap against a target: every requirement met, partly met (through related skills) or missing."""
    _print(_report(talent, kind, target, lang, with_path=False), as_json)


@app.command("path")
def path_command(
    talent: int = _TALENT, kind: str = _KIND, target: str = _REF, lang: str = _LANG, as_json: bool = _JSON
) -> None:
    """The gap and the catalogue's courses that close it (the planner, fewest hours), in order, with totals."""
    _print(_report(talent, kind, target, lang, with_path=True), as_json)
