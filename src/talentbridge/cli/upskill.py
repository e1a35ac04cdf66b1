"""``talentbridge upskill plan``: the cheapest learning path of a JSON instance (see docs/upskilling.md)."""

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
