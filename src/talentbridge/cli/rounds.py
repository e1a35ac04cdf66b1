"""``talentbridge rounds ...``: the round workflow from the command line, one thin command per use case of
:mod:`talentbridge.services.rounds` (docs/rounds.md)::

    rounds create --program 1 --name "2027 1차" --cap capital=40 --seed 7
    rounds attach-opening ROUND OPENING... [--seats N]
    rounds detach-opening ROUND OPENING
    rounds add-participant ROUND TALENT... [--employer ORG]
    rounds open ROUND [--deadline 2027-03-01T18:00:00+09:00]
    rounds submit-preferences ROUND --file prefs.csv|prefs.json
    rounds close ROUND
    rounds generate-rankings ROUND [--opening ID ...] [--scope applicants|all] [--overwrite] [--min-score X]
    rounds run ROUND [--mechanism da|flexible-da|max-welfare] [--proposing applicants|programs] [--seed N]
    rounds show ROUND [--run ID] [--json]
    rounds publish ROUND --run ID --by NAME
    rounds reproduce RUN_ID
    rounds remind-followups [--today 2027-06-01]

Preference files are read by :mod:`._preference_files`; the tables of ``run`` and ``show`` are in
:mod:`._round_tables`.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from talentbridge.cli._preference_files import read_preferences
from talentbridge.cli._round_tables import print_run, print_runs

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Matching rounds: openings, preferences, run, review, publish.")

_ROUND = typer.Argument(..., help="Round id.")
_BY = typer.Option(None, "--by", help="Who does this (recorded for the audit; default: your login name).")


@contextmanager
def _service() -> Iterator[Any]:
    from talentbridge.cli._common import open_database
    from talentbridge.services.rounds import RoundService

    db = open_database()
    try:
        with db.session() as session:
            yield RoundService(session)
    finally:
        db.dispose()


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): say so
        return "cli"


def _bad(loc: tuple[str | int, ...], msg: str, value: Any = None) -> Any:
    from talentbridge.domain.errors import Problem, ValidationFailed

    return ValidationFailed(f"invalid option: {msg}", [Problem(loc, msg, value)])


def _deadline(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _bad(
            ("--deadline",), "an ISO 8601 date and time such as 2027-03-01T18:00:00+09:00", text
        ) from None


# -- setup ---------------------------------------------------------------------------------------------------


@app.command()
def create(
    name: str = typer.Option(..., "--name", help="Name of the round, e.g. '2027 1차'."),
    program: int | None = typer.Option(None, "--program", help="Id of an existing programme."),
    new_program: str | None = typer.Option(None, "--new-program", help="Create a programme with this name."),
    kind: str = typer.Option(
        "talent_exchange",
        "--kind",
        help="Kind of a new programme: talent_exchange, pbl, internship, joint_rnd.",
    ),
    deadline: str | None = typer.Option(
        None, "--deadline", help="Preference deadline (ISO 8601 with offset)."
    ),
    cap: list[str] = typer.Option(
        [], "--cap", help="Regional cap KEY=N (capital or a region code); repeatable."
    ),
    mechanism: str = typer.Option("da", "--mechanism", help="da | flexible-da | max-welfare"),
    proposing: str = typer.Option("applicants", "--proposing", help="applicants | programs"),
    seed: int = typer.Option(0, "--seed", min=0, help="Lottery seed for ties."),
) -> None:
    """Create a round (and, with --new-program, its programme)."""
    if (program is None) == (new_program is None):
        raise _bad(("--program",), "give either --program ID or --new-program NAME")
    caps: dict[str, Any] = {}
    for item in cap:
        key, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise _bad(("--cap",), "a cap is KEY=N, e.g. capital=40", item)
        caps[key.strip()] = int(value)
    with _service() as svc:
        if new_program is not None:
            program = svc.create_program({"name": new_program, "kind": kind}).id
            _console().print(f"Created programme {program} ({new_program}).")
        rnd = svc.create_round(
            {
                "program_id": program,
                "name": name,
                "preference_deadline": _deadline(deadline),
                "regional_caps": caps,
                "mechanism": mechanism,
                "proposing": proposing,
                "seed": seed,
            }
        )
    _console().print(
        f"[green]Created round {rnd.id}[/] ({rnd.name}, programme {rnd.program_id}, {rnd.status.value})."
    )


@app.command("attach-opening")
def attach_opening(
    round_id: int = _ROUND,
    opening_ids: list[int] = typer.Argument(..., help="Opening ids."),
    seats: int | None = typer.Option(None, "--seats", min=1, help="Seats per opening (default: its own)."),
) -> None:
    """Attach openings to a round with their seats (attaching again changes the seats)."""
    with _service() as svc:
        attached = [svc.attach_opening(round_id, oid, seats) for oid in opening_ids]
    for o in attached:
        _console().print(f"Opening {o.opening_id}: {o.seats} seat(s), region {o.region or '(remote)'}.")


@app.command("detach-opening")
def detach_opening(round_id: int = _ROUND, opening_id: int = typer.Argument(..., help="Opening id.")) -> None:
    """Detach an opening from a round."""
    with _service() as svc:
        svc.detach_opening(round_id, opening_id)
    _console().print(f"Detached opening {opening_id} from round {round_id}.")


@app.command("add-participant")
def add_participant(
    round_id: int = _ROUND,
    talent_ids: list[int] = typer.Argument(..., help="Talent ids."),
    employer: int | None = typer.Option(
        None, "--employer", help="Employer for secondment rules (default: each talent's current employer)."
    ),
) -> None:
    """Add talents to a round."""
    with _service() as svc:
        added = [svc.add_participant(round_id, tid, employer) for tid in talent_ids]
    _console().print(f"Round {round_id}: added {len(added)} participant(s).")


@app.command("open")
def open_(
    round_id: int = _ROUND,
    deadline: str | None = typer.Option(
        None, "--deadline", help="Preference deadline (ISO 8601 with offset); default: the round's."
    ),
) -> None:
    """Open preference submission (draft → collecting)."""
    with _service() as svc:
        rnd = svc.open(round_id, _deadline(deadline))
    until = f" until {rnd.preference_deadline.isoformat()}" if rnd.preference_deadline else ""
    _console().print(f"[green]Round {round_id} is collecting preferences{until}.[/]")


@app.command()
def close(round_id: int = _ROUND) -> None:
    """Close preference submission (collecting → closed)."""
    with _service() as svc:
        svc.close(round_id)
    _console().print(f"[green]Round {round_id} is closed for preferences; run it next.[/]")


# -- preferences ---------------------------------------------------------------------------------------------


@app.command("submit-preferences")
def submit_preferences(
    round_id: int = _ROUND,
    file: Path = typer.Option(..., "--file", "-f", help="CSV (side,owner_id,rank,choice_id) or JSON file."),
    by: str | None = _BY,
) -> None:
    """Submit ranked lists from a file; every bad entry is reported and nothing is saved unless all are valid.

    CSV: one row per entry, ``side`` talent|opening, ``owner_id`` the talent or opening, ``rank`` 1 = best,
    ``choice_id`` the opening or talent ranked; equal ranks on the opening side are a tie.
    JSON: {"talents": {"12": [5, 3]}, "openings": {"5": [12, [13, 14]]}}.
    """
    lists = read_preferences(file)
    with _service() as svc:
        saved = svc.submit_many(round_id, lists, _who(by), what=str(file))
    talents = sum(1 for s in saved if s.side == "talent")
    _console().print(f"[green]Saved {talents} talent list(s) and {len(saved) - talents} opening list(s).[/]")


@app.command("generate-rankings")
def generate_rankings(
    round_id: int = _ROUND,
    opening: list[int] = typer.Option([], "--opening", help="Only these openings (repeatable)."),
    scope: str = typer.Option("applicants", "--scope", help="applicants (talents who listed it) | all"),
    overwrite: bool = typer.Option(False, "--overwrite", help="Also replace lists organizations submitted."),
    min_score: float | None = typer.Option(
        None, "--min-score", help="Leave out talents below this fit score."
    ),
    by: str | None = _BY,
) -> None:
    """Rank talents for openings by fit score (organizations may then edit the lists)."""
    with _service() as svc:
        out = svc.generate_organization_rankings(
            round_id,
            opening_ids=opening or None,
            scope=scope,
            overwrite=overwrite,
            min_score=min_score,
            actor=_who(by),
        )
    console = _console()
    console.print(
        f"Generated {len(out['generated'])} ranking(s) with {out['scorer']} (scope {out['scope']})."
    )
    if out["kept"]:
        console.print(f"Kept {len(out['kept'])} list(s) submitted by organizations: {out['kept']}.")


# -- run, review, publish ------------------------------------------------------------------------------------


@app.command()
def run(
    round_id: int = _ROUND,
    mechanism: str | None = typer.Option(
        None, "--mechanism", "-m", help="da | flexible-da | max-welfare (default: the round's)."
    ),
    proposing: str | None = typer.Option(
        None, "--proposing", help="applicants | programs (default: the round's)."
    ),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Lottery seed (default: the round's)."),
    by: str | None = _BY,
) -> None:
    """Run the match; the run (instance, mechanism, seed, result, diagnostics) is stored for audit."""
    with _service() as svc, _console(stderr=True).status(f"Running round {round_id} ..."):
        record = svc.run(round_id, mechanism, proposing, seed, _who(by))
        detail = svc.run_detail(record)
    print_run(detail, _console())
    _console().print(
        f"Review it with `talentbridge rounds show {round_id}`; publish with "
        f"`talentbridge rounds publish {round_id} --run {record.id} --by NAME`."
    )


@app.command()
def show(
    round_id: int = _ROUND,
    run_id: int | None = typer.Option(None, "--run", help="Run to show in full (default: the latest)."),
    as_json: bool = typer.Option(False, "--json", help="Print the review as JSON."),
) -> None:
    """Show a round: status, lists, runs, and a run's diagnostics and rank distribution."""
    with _service() as svc:
        review = svc.review(round_id, run_id)
    if as_json:
        typer.echo(json.dumps(review, ensure_ascii=False, indent=1, default=str))
        return
    rnd = review["round"]
    console = _console()
    console.print(
        f"[bold]Round {rnd['id']}[/] {rnd['name']} — [bold]{rnd['status']}[/]"
        f"{' until ' + rnd['preference_deadline'] if rnd['preference_deadline'] else ''}"
    )
    console.print(
        f"{review['openings']} opening(s), {review['participants']} participant(s); lists: "
        + ", ".join(f"{side} {counts or '{}'}" for side, counts in review["lists"].items())
    )
    if rnd["published_at"]:
        console.print(f"Published by {rnd['published_by']} at {rnd['published_at']}.")
    if review["runs"]:
        print_runs(review["runs"], console)
    if review["run"]:
        print_run(review["run"], console)


@app.command()
def publish(
    round_id: int = _ROUND,
    run_id: int = typer.Option(..., "--run", help="The run to publish."),
    by: str = typer.Option(..., "--by", help="Name of the person who approves the result."),
) -> None:
    """Approve a run: one planned placement per matched pair; the round becomes published."""
    with _service() as svc:
        out = svc.publish(round_id, run_id, by)
    _console().print(
        f"[green]Round {round_id} published[/] (run {run_id}, by {out['published_by']}): "
        f"{out['placements']} placement(s) created."
    )


@app.command("remind-followups")
def remind_followups(
    today: str | None = typer.Option(None, "--today", help="Date to check against (YYYY-MM-DD; default today)."),
) -> None:
    """Notify organizations and operators of placement follow-ups (3, 6, 12 months) that are due and not yet
    recorded; each follow-up is reminded once. Run it daily (cron or the job queue)."""
    from datetime import date as _date

    from talentbridge.cli._common import open_database
    from talentbridge.services.placements import remind_due_followups

    try:
        day = _date.fromisoformat(today) if today else _date.today()
    except ValueError as exc:
        raise _bad(("--today",), "not a date (YYYY-MM-DD)", today) from exc
    with open_database().session() as session:
        sent = remind_due_followups(session, day)
    typer.echo(f"{sent} follow-up reminder(s) sent")


@app.command()
def reproduce(run_id: int = typer.Argument(..., help="Run id.")) -> None:
    """Re-solve a stored run from its stored instance and check the result is identical (exit 1 if not)."""
    with _service() as svc:
        out = svc.reproduce(run_id)
    console = _console()
    console.print(
        f"Run {run_id} ({out['mechanism']}, {out['proposing']} proposing, seed {out['seed']}): input "
        f"{out['input_hash'][:12]} {'ok' if out['input_hash_matches'] else 'ALTERED'}"
    )
    if out["identical"]:
        console.print(f"[green]identical result[/] {out['result_hash'][:12]}")
        return
    err = _console(stderr=True)
    err.print(
        f"[bold red]error:[/] run {run_id} does not reproduce: "
        + "; ".join(out["differences"] or ["stored result or instance was altered"])
    )
    raise typer.Exit(1)
