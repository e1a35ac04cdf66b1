"""``talentbridge rounds ...``: the round workflow from the command line, one thin command per use case of
:mod:`talentbridge.services.rounds` (docs/rounds.md)::

    rounds create --program 1 --name "2027 1차" --cap capital=40 --seed 7
    rounds attach-opening ROUND OPENING... [--seats N]
    rounds add-participant ROUND TALENT... [--employer ORG]
    rounds open ROUND [--deadline 2027-03-01T18:00:00+09:00]
    rounds submit-preferences ROUND --file prefs.csv|prefs.json
    rounds close ROUND
    rounds generate-rankings ROUND [--opening ID ...] [--scope applicants|all] [--overwrite] [--min-score X]
    rounds run ROUND [--mechanism da|flexible-da|max-welfare] [--proposing applicants|programs] [--seed N]
    rounds show ROUND [--run ID] [--json]
    rounds publish ROUND --run ID --by NAME
    rounds reproduce RUN_ID
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

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
    lists = _read_preferences(file)
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
    _print_run(detail)
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
    from rich.table import Table

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
        table = Table(title="Runs", header_style="bold")
        for col in (
            "run",
            "mechanism",
            "proposing",
            "seed",
            "placed",
            "unmatched",
            "blocking pairs",
            "by",
            "at",
            "published",
        ):
            table.add_column(col)
        for r in review["runs"]:
            s = r["summary"]
            table.add_row(
                str(r["run_id"]),
                r["mechanism"],
                r["proposing"],
                str(r["seed"]),
                str(s.get("placed")),
                str(s.get("unmatched")),
                str(s.get("blocking_pairs")),
                r["created_by"] or "",
                (r["created_at"] or "")[:19],
                "yes" if r["published_at"] else "",
            )
        console.print(table)
    if review["run"]:
        _print_run(review["run"])


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


# -- helpers -------------------------------------------------------------------------------------------------


def _print_run(detail: dict[str, Any]) -> None:
    from rich.table import Table

    d, s = detail["diagnostics"], detail["summary"]
    console = _console()
    table = Table(
        title=f"Run {detail['run_id']}: {detail['mechanism']} ({detail['proposing']} proposing), "
        f"seed {detail['seed']}",
        header_style="bold",
    )
    table.add_column("diagnostic")
    table.add_column("value", justify="right")
    for label, value in (
        ("participants", s.get("participants")),
        ("seats", s.get("seats")),
        ("placed", d.get("placed")),
        ("unmatched", d.get("unmatched")),
        ("empty seats", d.get("empty_seats")),
        ("blocking pairs", d.get("blocking_pairs")),
        ("blocking pairs ignoring caps", d.get("blocking_pairs_ignoring_caps")),
        ("total fit score", d.get("total_score")),
        ("input hash", detail["input_hash"][:12]),
    ):
        table.add_row(label, str(value))
    for reason, count in (d.get("unmatched_by_reason") or {}).items():
        table.add_row(f"unmatched: {reason}", str(count))
    for reason, count in (d.get("excluded_pairs") or {}).items():
        if count:
            table.add_row(f"excluded pairs: {reason}", str(count))
    console.print(table)
    ranks = Table(title="Rank distribution (talents' choices)", header_style="bold")
    ranks.add_column("choice")
    ranks.add_column("talents", justify="right")
    placed = max(1, int(d.get("placed") or 0))
    ranks.add_column("share", justify="right")
    for rank, count in sorted((d.get("rank_distribution") or {}).items(), key=lambda kv: int(kv[0])):
        ranks.add_row(rank, str(count), f"{100 * count / placed:.0f}%")
    console.print(ranks)
    if d.get("regions"):
        regions = Table(title="Regional caps", header_style="bold")
        for col in ("region", "cap", "placed", "seats", "over cap"):
            regions.add_column(col)
        for rid, r in d["regions"].items():
            regions.add_row(
                rid, str(r.get("cap")), str(r.get("placed")), str(r.get("seats")), str(r.get("over_cap"))
            )
        console.print(regions)


def _read_preferences(path: Path) -> list[Any]:
    """Ranked lists from CSV or JSON; every malformed row is reported at once (ImportRejected)."""
    from talentbridge.domain.errors import ImportRejected, Problem

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportRejected(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = Problem(loc=(), msg=f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
            raise ImportRejected(f"{path} is not valid JSON", [problem]) from exc
        return _lists_from_json(data, path)
    if path.suffix.lower() == ".csv":
        return _lists_from_csv(text, path)
    raise ImportRejected(
        f"{path}: use a .csv or .json file", [Problem(("file",), "unknown file type", path.suffix)]
    )


def _lists_from_json(data: Any, path: Path) -> list[Any]:
    from talentbridge.domain.errors import ImportRejected, Problem
    from talentbridge.services.rounds import PreferenceInput

    problems: list[Problem] = []
    out: list[PreferenceInput] = []
    if isinstance(data, dict) and set(data) <= {"talents", "openings"}:
        for key, side in (("talents", "talent"), ("openings", "opening")):
            owners = data.get(key, {})
            if not isinstance(owners, dict):
                problems.append(Problem((key,), "an object of owner id to ranked list", owners))
                continue
            for owner, ranking in owners.items():
                try:
                    owner_id = int(owner)
                except ValueError:
                    problems.append(Problem((key, owner), "an owner id is a whole number", owner))
                    continue
                out.append(PreferenceInput(side, owner_id, ranking))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if not isinstance(item, dict) or set(item) != {"side", "owner_id", "ranking"}:
                problems.append(Problem((i,), 'an object {"side", "owner_id", "ranking"}', None))
                continue
            out.append(PreferenceInput(item["side"], item["owner_id"], item["ranking"]))
    else:
        problems.append(Problem((), 'use {"talents": {...}, "openings": {...}} or a list of lists', None))
    if problems:
        raise ImportRejected(f"{path} is not a preferences file", problems)
    return out


def _lists_from_csv(text: str, path: Path) -> list[Any]:
    from talentbridge.domain.errors import ImportRejected, Problem
    from talentbridge.services.rounds import PreferenceInput

    reader = csv.DictReader(io.StringIO(text))
    wanted = ["side", "owner_id", "rank", "choice_id"]
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != wanted:
        raise ImportRejected(
            f"{path}: the header must be {','.join(wanted)}",
            [Problem(("header",), f"expected {','.join(wanted)}", reader.fieldnames, line=1)],
        )
    problems: list[Problem] = []
    groups: dict[tuple[str, int], tuple[int, list[tuple[int, int]]]] = {}
    for row in reader:
        line = reader.line_num
        values: dict[str, Any] = {}
        side = (row.get("side") or "").strip()
        if side not in ("talent", "opening"):
            problems.append(Problem(("side",), "side is talent or opening", side, line=line))
        for name in ("owner_id", "rank", "choice_id"):
            raw = (row.get(name) or "").strip()
            if not raw.isdigit() or (name == "rank" and int(raw) < 1):
                problems.append(
                    Problem((name,), "a whole number" + (" from 1" if name == "rank" else ""), raw, line=line)
                )
            else:
                values[name] = int(raw)
        if len(values) == 3 and side in ("talent", "opening"):
            first, entries = groups.setdefault((side, values["owner_id"]), (line, []))
            entries.append((values["rank"], values["choice_id"]))
    if problems:
        raise ImportRejected(f"{len(problems)} bad row value(s) in {path}; nothing was saved", problems)
    out = []
    for (side, owner), (line, entries) in groups.items():
        ranking: list[Any] = []
        last_rank = None
        for rank, choice in sorted(entries, key=lambda e: e[0]):
            if rank == last_rank:
                tail = ranking[-1]
                ranking[-1] = [*tail, choice] if isinstance(tail, list) else [tail, choice]
            else:
                ranking.append(choice)
            last_rank = rank
        out.append(PreferenceInput(side, owner, ranking, line))
    return out
