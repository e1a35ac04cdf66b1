"""``talentbridge recommend ...``: recommendations from the command line (docs/matching.md)::

recommend talents-for-opening ID [--top 20] [--region seoul ...] [--nationality korean|foreign]
                                 [--method ann|exact] [--format table|json]
recommend openings-for-talent ID [--top 20] [--kind job ...] [--region busan ...] [--format table|json]
recommend batch --direction openings-for-talent|talents-for-opening --top K --output FILE.jsonl [--limit N]
recommend reindex                 rebuild the talent index under <data_dir>/indexes/talents and encode every
                                  profile text for the text criterion
recommend infer-skills            infer skills for stored talents/openings that have text but no skills
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Recommend talent for openings and openings for talent.")

_TOP = typer.Option(20, "--top", "-k", min=1, max=1000, help="How many recommendations.")
_PROGRAM = typer.Option(None, "--program", help="Use this programme's fit weights.")
_FORMAT = typer.Option("table", "--format", "-f", help="table or json.")


@contextmanager
def _service() -> Iterator[Any]:
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.recommend import RecommendService

    db = open_database()
    try:
        with db.session() as session:
            yield RecommendService(get_settings(), session)
    finally:
        db.dispose()


def _record(svc: Any, result: dict[str, Any], command: str) -> dict[str, Any]:
    """The AI Basic Act record of a list shown at the terminal, and the notice (``services/ai_records.py``)."""
    from talentbridge.services.ai_records import Viewer, notice, record_shown

    run = record_shown(svc.session, result, surface=f"cli:recommend {command}", viewer=Viewer(label="cli"))
    return notice(run.key)


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(highlight=False)


@contextmanager
def _progress_bar(description: str, transient: bool = False) -> Iterator[Any]:
    """A ``progress(done, total)`` callback drawing one bar with the count and the time left."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=_console(), transient=transient) as bar:
        task = bar.add_task(description, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        from talentbridge.domain.errors import Problem, ValidationFailed

        raise ValidationFailed("invalid format", [Problem(loc=("--format",), msg="table or json", value=fmt)])


def _reasons(item: dict[str, Any]) -> str:
    exp = item.get("explanation") or {}
    matched = ", ".join(f"{m['label']} {m['level']}" for m in exp.get("matched", [])[:4])
    partial = ", ".join(f"{p['label']}≈{p['via_label']} ({p['relation']})" for p in exp.get("partial", [])[:2])
    missing = ", ".join(m["label"] for m in exp.get("missing_must", [])[:3])
    parts = [p for p in (matched, partial and f"partial: {partial}", missing and f"missing: {missing}") if p]
    return "; ".join(parts)


_SHORT = {
    "skills": "sk",
    "text": "tx",
    "lexical": "lx",
    "titles": "ti",
    "experience": "ex",
    "education": "ed",
    "location": "lo",
    "availability": "av",
    "salary": "sa",
}


def _table(title: str, result: dict[str, Any], id_key: str, name_key: str | None) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("external id", no_wrap=True, min_width=8)
    if name_key:
        table.add_column(name_key, max_width=24)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("breakdown")
    table.add_column("why", ratio=2)
    for item in result["items"]:
        row = [str(item["rank"]), str(item[id_key]), item.get("external_id") or ""]
        if name_key:
            row.append(str(item.get(name_key) or ""))
        row.append(f"{item['score']:.1f}")
        row.append(" ".join(f"{_SHORT[c]} {v:.0f}" for c, v in item["breakdown"].items() if v))
        row.append(_reasons(item))
        table.add_row(*row)
    console = _console()
    console.print(table)
    cons = result.get("constraints")
    if cons:
        shown = ", ".join(f"{k} {v}" for k, v in cons["excluded"].items() if v)
        console.print(f"considered {cons['considered']}, eligible {cons['eligible']}; excluded by: {shown or 'none'}")
    text = result.get("text")
    if text:
        console.print(_text_line(text, result["items"]))
    notice = result.get("ai_notice")
    if notice:  # AI Basic Act: the notice and where a person can ask for a human review
        console.print(f"{notice['text']['en']} Record {notice['record']}: {notice['human_review']['page']}")


def _text_line(text: dict[str, Any], items: list[dict[str, Any]]) -> str:
    """One line on the text criterion: which model, and for how many items it counted (or why not at all)."""
    if text["status"] != "active":
        return f"text similarity: not used — {text['label']['en']}"
    statuses = [
        ((i.get("explanation") or {}).get("breakdown", {}).get("text", {}).get("detail", {})).get("status")
        for i in items
    ]
    compared = sum(s == "compared" for s in statuses)
    others = sorted({s for s in statuses if s and s != "compared"})
    tail = f" (others: {', '.join(others)})" if others else ""
    return f"text similarity ({text['model']}): compared for {compared} of {len(items)}{tail}"


@app.command("talents-for-opening")
def talents_for_opening(
    opening_id: int = typer.Argument(..., help="Opening id."),
    top: int = _TOP,
    region: list[str] = typer.Option([], "--region", help="Only talents in this region (repeatable)."),
    nationality: str | None = typer.Option(None, "--nationality", help="korean or foreign."),
    min_score: float = typer.Option(0.0, "--min-score"),
    method: str = typer.Option("ann", "--method", help="ann (index + exact re-scoring) or exact."),
    program: int | None = _PROGRAM,
    fmt: str = _FORMAT,
) -> None:
    """The best talents for an opening, with score breakdown and reasons."""
    from talentbridge.domain.enums import Region
    from talentbridge.services.recommend import TalentFilters

    _check_format(fmt)
    filters = TalentFilters(regions=tuple(Region(r) for r in region), nationality=nationality, min_score=min_score)
    with _service() as svc:
        result = svc.talents_for_opening(
            opening_id, top, filters, method=method, explain=True, program_settings=svc.program_settings(program)
        )
        result["ai_notice"] = _record(svc, result, "talents-for-opening")
    if fmt == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        o = result["opening"]
        _table(
            f"Talents for opening {o['id']} — {o['title']} ({result['method']})",
            result,
            "talent_id",
            "region",
        )


@app.command("openings-for-talent")
def openings_for_talent(
    talent_id: int = typer.Argument(..., help="Talent id."),
    top: int = _TOP,
    kind: list[str] = typer.Option([], "--kind", help="Only this opening kind (repeatable)."),
    region: list[str] = typer.Option([], "--region", help="Only openings in this region (repeatable)."),
    min_score: float = typer.Option(0.0, "--min-score"),
    program: int | None = _PROGRAM,
    fmt: str = _FORMAT,
) -> None:
    """The best open openings for a talent, with score breakdown and reasons."""
    from talentbridge.domain.enums import OpeningKind, Region
    from talentbridge.services.recommend import OpeningFilters

    _check_format(fmt)
    filters = OpeningFilters(
        kinds=tuple(OpeningKind(k) for k in kind),
        regions=tuple(Region(r) for r in region),
        min_score=min_score,
    )
    with _service() as svc:
        result = svc.openings_for_talent(
            talent_id, top, filters, explain=True, program_settings=svc.program_settings(program)
        )
        result["ai_notice"] = _record(svc, result, "openings-for-talent")
    if fmt == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _table(f"Openings for talent {talent_id}", result, "opening_id", "title")


@app.command("batch")
def batch(
    direction: str = typer.Option(..., "--direction", help="openings-for-talent or talents-for-opening."),
    top: int = _TOP,
    output: Path = typer.Option(..., "--output", "-o", help="JSON Lines file to write."),
    limit: int | None = typer.Option(None, "--limit", help="At most this many sources."),
) -> None:
    """Recommendations for every open opening or every talent, one JSON object per line."""
    with _service() as svc, _progress_bar(direction) as progress:
        summary = svc.batch(direction, top, output, progress=progress, limit=limit)
    _console().print(f"wrote {summary['sources']} lines to {summary['output']}")


@app.command("reindex")
def reindex() -> None:
    """Rebuild the talent index from the database."""
    with _service() as svc, _progress_bar("indexing", transient=True) as progress:
        summary = svc.rebuild_index(progress)
    console = _console()
    console.print(
        f"indexed {summary['indexed']} of {summary['talents']} talents in {summary['folder']} "
        f"({summary['memory_mb']} MB)"
    )
    text = summary["text"]
    if text["status"] == "active":
        console.print(f"profile texts encoded with {text['model']}: {text['encoded']} of {text['with_text']}")
    else:
        console.print(f"profile texts not encoded: {text['label']['en']}")


@app.command("infer-skills")
def infer_skills(
    encoder: str | None = typer.Option(None, "--encoder", help="Encoder for extraction (default: the product's)."),
    refresh: bool = typer.Option(
        False,
        "--refresh",
        help="Also infer again for records whose skills are all AI-inferred (after a taxonomy or product update); "
        "skills a person stated are never touched.",
    ),
) -> None:
    """Infer skills for stored talents and openings that have text but no skills (e.g. after an import)."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.inference import SkillInference, infer_stored

    settings = get_settings()
    db = open_database()
    try:
        with db.session() as session:
            inference = SkillInference.from_settings(settings, encoder)
            with _progress_bar("inferring skills", transient=True) as progress:
                counts = infer_stored(session, inference, refresh=refresh, progress=progress)
    finally:
        db.dispose()
    done = "inferred or refreshed" if refresh else "inferred"
    _console().print(f"{done} skills for {counts['talents']} talents and {counts['openings']} openings")
