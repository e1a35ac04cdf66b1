"""``talentbridge jobs``: background jobs (docs/jobs.md).

jobs submit KIND [--param name=value ...] [--key KEY] [--wait]   e.g. jobs submit recommend-batch
                                                                 --param direction=talents-for-opening --param top=10
jobs import ENTITY FILE [--skip-invalid] [--wait]                an import run as a job
jobs list [--status S]     jobs show ID      jobs cancel ID
jobs schedule [--wait]     submit the nightly jobs now due (once a day; from cron, or use `worker --beat`)

Without ``TALENTBRIDGE_QUEUE_URL`` a job runs in this command's process, so ``--wait`` is implied.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Background jobs: submit, list, show, cancel.")


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console()


def _parse_params(items: list[str]) -> dict[str, Any]:
    from talentbridge.domain.errors import Problem, ValidationFailed

    params: dict[str, Any] = {}
    problems = []
    for i, item in enumerate(items):
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            problems.append(Problem(loc=("param", i), msg="name=value", value=item))
            continue
        try:
            params[name.strip()] = json.loads(raw)
        except ValueError:
            params[name.strip()] = raw
    if problems:
        raise ValidationFailed("invalid --param", problems)
    return params


def _finish(db: Any, settings: Any, job: Any, wait: bool) -> None:
    from talentbridge.services.job_queue import job_queue
    from talentbridge.services.jobs import JobService

    console = _console()
    console.print(f"job {job.id} ({job.kind}) {job.status}", highlight=False)
    if settings.queue_url and not wait:
        return
    svc = JobService(db, settings)
    if not settings.queue_url:
        job_queue(db, settings).wait(timeout=7 * 24 * 3600)
    while not (job := svc.get(job.id)).finished:
        time.sleep(0.5)
    _show(job)
    if job.status != "done":
        raise typer.Exit(1)


def _show(job: Any) -> None:
    console = _console()
    console.print(f"job {job.id}: {job.kind} — {job.status} (attempts {job.attempts})", highlight=False)
    if job.progress_total:
        console.print(f"  progress {job.progress_done}/{job.progress_total} {job.progress_message or ''}")
    if job.error_en:
        console.print(f"  [red]error:[/] {job.error_en}", highlight=False)
    if job.result is not None:
        console.print_json(json.dumps(job.result, ensure_ascii=False, default=str))


@app.command("submit")
def submit(
    kind: str = typer.Argument(..., help="recommend-batch, reindex, encode-texts, fairness-audit, ..."),
    param: list[str] = typer.Option([], "--param", "-p", help="name=value (value read as JSON when it parses)."),
    key: str | None = typer.Option(None, "--key", help="Idempotency key: the same key submits the work once."),
    again: bool = typer.Option(False, "--again", help="Run a finished job with this key again."),
    wait: bool = typer.Option(False, "--wait", help="Wait for the job to finish and print its result."),
) -> None:
    """Queue a job."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.job_queue import submit_job

    settings = get_settings()
    db = open_database()
    job, _ = submit_job(db, settings, kind, _parse_params(param), key=key, started_by_label="cli", again=again)
    _finish(db, settings, job, wait)


@app.command("schedule")
def schedule(
    wait: bool = typer.Option(False, "--wait", help="Wait for the jobs to finish and print their results."),
) -> None:
    """Submit the nightly jobs (retention limits, follow-up reminders) of the latest day due from
    TALENTBRIDGE_NIGHTLY_HOUR (UTC): each once a day, however often this runs."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.job_schedule import schedule_due

    settings = get_settings()
    db = open_database()
    for job, created in schedule_due(db, settings):
        if not created:
            _console().print(f"job {job.id} ({job.key}) was submitted already", highlight=False)
        _finish(db, settings, job, wait)


@app.command("import")
def import_job(
    entity: str = typer.Argument(..., help="organizations, talents or openings."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Import the valid rows, set the rest aside."),
    key: str | None = typer.Option(None, "--key", help="Idempotency key (default: the file's content and mode)."),
    wait: bool = typer.Option(False, "--wait", help="Wait for the job to finish and print its report."),
) -> None:
    """Import a file as a job (the worker reads a copy kept under the data folder)."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.job_queue import submit_import

    settings = get_settings()
    db = open_database()
    job, _ = submit_import(db, settings, entity=entity, filename=file.name, content=file.read_bytes(),
                           skip_invalid=skip_invalid, key=key, started_by_label="cli")  # fmt: skip
    _finish(db, settings, job, wait)


@app.command("list")
def list_jobs(
    status: str | None = typer.Option(None, "--status", help="queued, running, done, failed or cancelled."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000),
) -> None:
    """The newest jobs."""
    from rich.table import Table

    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.jobs import JobService

    jobs, total = JobService(open_database(), get_settings()).list(status=status, limit=limit)
    table = Table("id", "kind", "status", "progress", "attempts", "created", title=f"{total} jobs")
    for j in jobs:
        shown = f"{j.progress_done}/{j.progress_total}" if j.progress_total else "-"
        table.add_row(str(j.id), j.kind, j.status, shown, str(j.attempts), str(j.created_at or "")[:19])
    _console().print(table)


@app.command("show")
def show(job_id: int = typer.Argument(...)) -> None:
    """One job: status, progress, result or error."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.jobs import JobService

    _show(JobService(open_database(), get_settings()).get(job_id))


@app.command("cancel")
def cancel(job_id: int = typer.Argument(...)) -> None:
    """Cancel a queued or running job (a running one stops at its next progress report and rolls back)."""
    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.jobs import JobService

    _show(JobService(open_database(), get_settings()).cancel(job_id))
