"""``talentbridge programs ...``: cohort programmes from the command line.

Batch commands over JSON files (schemas in docs/programs.md):

    programs solve       --input INSTANCE.json --mechanism da|flexible-da|max-welfare
                         [--proposing applicants|programs] --output RESULT.json
    programs form-teams  --input TEAMS.json --output TEAMS_RESULT.json [--time-limit 60]

Round-workflow commands (create/open/close/run/publish against the database) belong here too, each a thin
function over a service. Helpers shared by commands are the ``_``-prefixed functions at the bottom.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Cohort programs: solve matching instances, form PBL teams.")

_INPUT = typer.Option(..., "--input", "-i", help="Instance JSON file ('-' for standard input).")
_OUTPUT = typer.Option(None, "--output", "-o", help="Result JSON file; standard output when omitted.")


@app.command("solve")
def solve_command(
    input: str = _INPUT,
    mechanism: str = typer.Option("da", "--mechanism", "-m", help="da | flexible-da | max-welfare"),
    proposing: str = typer.Option("applicants", "--proposing", help="applicants | programs (da only)"),
    output: Path | None = _OUTPUT,
) -> None:
    """Solve a matching instance and write the result with its diagnostics."""
    from talentbridge.programs import solve

    instance = _read_json(input)
    with _status(f"Solving {_size(instance)} with {mechanism} ..."):
        started = time.perf_counter()
        result = solve(instance, mechanism=mechanism, proposing=proposing)
        elapsed = time.perf_counter() - started
    _write_json(result, output)
    _print_solve_summary(result, elapsed, output)


@app.command("form-teams")
def form_teams_command(
    input: str = _INPUT,
    output: Path | None = _OUTPUT,
    time_limit: float = typer.Option(60.0, "--time-limit", min=0.1, help="Seconds for the CP-SAT search."),
    workers: int = typer.Option(0, "--workers", min=0, help="CP-SAT search workers (0 = one per core)."),
    seed: int | None = typer.Option(None, "--seed", help="Overrides the instance's seed."),
) -> None:
    """Assign learners to PBL projects in teams that cover each project's must-have skills."""
    from talentbridge.programs import form_teams

    instance = _read_json(input)
    if seed is not None:
        instance["seed"] = seed
    with _status(f"Forming teams (up to {time_limit:g} s) ..."):
        result = form_teams(instance, time_limit=time_limit, workers=workers)
    _write_json(result, output)
    _print_teams_summary(result, output)


# --- helpers shared by the commands -------------------------------------------------------------------------


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr)


def _status(message: str):  # type: ignore[no-untyped-def]
    return _console(stderr=True).status(message, spinner="dots")


def _read_json(path: str) -> dict[str, Any]:
    from talentbridge.domain.errors import InstanceInvalid, Problem

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceInvalid(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(loc=(), msg=f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
        raise InstanceInvalid(f"{path} is not valid JSON", [problem]) from exc
    if not isinstance(data, dict):
        raise InstanceInvalid(f"{path} must hold a JSON object", [Problem(loc=(), msg="must be an object")])
    return data


def _write_json(result: dict[str, Any], output: Path | None) -> None:
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


def _size(instance: dict[str, Any]) -> str:
    apps, progs = instance.get("applicants"), instance.get("programs")
    n = len(apps) if isinstance(apps, list) else "?"
    m = len(progs) if isinstance(progs, list) else "?"
    return f"{n} applicants x {m} programs"


def _print_solve_summary(result: dict[str, Any], elapsed: float, output: Path | None) -> None:
    from rich.table import Table

    d = result["diagnostics"]
    table = Table(
        title=f"{result['mechanism']} ({result['proposing']} proposing) in {elapsed:.2f} s",
        show_header=True,
        header_style="bold",
    )
    table.add_column("diagnostic")
    table.add_column("value", justify="right")
    table.add_row("placed", str(d["placed"]))
    table.add_row("unmatched", str(d["unmatched"]))
    for reason, count in d["unmatched_by_reason"].items():
        table.add_row(f"  unmatched: {reason}", str(count))
    table.add_row("empty seats", str(d["empty_seats"]))
    table.add_row("blocking pairs", str(d["blocking_pairs"]))
    if d["blocking_pairs_ignoring_caps"] != d["blocking_pairs"]:
        table.add_row("  ... ignoring regional caps", str(d["blocking_pairs_ignoring_caps"]))
    ranks = d["rank_distribution"]
    shown = ", ".join(f"{k}: {v}" for k, v in list(ranks.items())[:6]) + (" ..." if len(ranks) > 6 else "")
    table.add_row("rank distribution", shown or "-")
    table.add_row("total fit score", f"{d['total_score']:g}")
    excluded = {k: v for k, v in d["excluded_pairs"].items() if v}
    if excluded:
        table.add_row("excluded pairs", ", ".join(f"{k}: {v}" for k, v in excluded.items()))
    for rid, region in d["regions"].items():
        cap = "-" if region["cap"] is None else str(region["cap"])
        over = f", OVER CAP by {region['over_cap']}" if region["over_cap"] else ""
        table.add_row(
            f"region {rid}", f"{region['placed']} placed / cap {cap} / target {region['target']}{over}"
        )
    if "stable_reference" in d:
        ref = d["stable_reference"]
        table.add_row(
            f"stable reference ({ref['mechanism']})", f"score {ref['total_score']:g}, placed {ref['placed']}"
        )
    console = _console(stderr=output is None)
    console.print(table)
    if output is not None:
        console.print(f"wrote {output}")


def _print_teams_summary(result: dict[str, Any], output: Path | None) -> None:
    from rich.table import Table

    d = result["diagnostics"]
    table = Table(title=f"PBL teams ({d['status']})", show_header=True, header_style="bold")
    table.add_column("diagnostic")
    table.add_column("value", justify="right")
    for key in (
        "teams",
        "assigned",
        "unassigned",
        "objective",
        "bound",
        "gap",
        "seconds",
        "heuristic_objective",
        "uncovered_skills",
        "preference_rank_distribution",
    ):
        if key in d:
            value = d[key]
            if key == "gap":
                value = f"{100 * value:.2f}%"
            table.add_row(key.replace("_", " "), str(value))
    console = _console(stderr=output is None)
    console.print(table)
    if output is not None:
        console.print(f"wrote {output}")
