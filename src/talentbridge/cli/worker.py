"""``talentbridge worker``: run queued jobs from the broker named by ``TALENTBRIDGE_QUEUE_URL`` (docs/jobs.md).

Stops cleanly on Ctrl-C or SIGTERM (jobs in progress finish or, past the grace period, are re-run by the next
worker); a worker killed outright (kill -9, a lost machine) leaves its jobs to be taken over by any worker once
their heartbeat is ``TALENTBRIDGE_JOB_STALE_SECONDS`` old.
"""

from __future__ import annotations

import typer

__all__ = ["app", "command", "SINGLE_COMMAND", "lower_priority"]

app = typer.Typer()
SINGLE_COMMAND = True


def command(
    threads: int | None = typer.Option(
        None, "--threads", min=1, max=64, help="Jobs run at once (default TALENTBRIDGE_JOB_THREADS)."
    ),
    nice: int | None = typer.Option(
        None, "--nice", min=0, max=19, help="CPU priority step of this worker (default TALENTBRIDGE_JOB_NICE, 10)."
    ),
    beat: bool = typer.Option(
        False, "--beat", help="Also submit the nightly jobs (retention limits, follow-up reminders) once a day from "
        "TALENTBRIDGE_NIGHTLY_HOUR (UTC); any number of workers may beat: each day's job is submitted once."
    ),
) -> None:
    """Run queued jobs (imports, batch recommendations, re-indexing, audits) until stopped."""
    import logging
    import signal
    import threading

    from rich.console import Console

    from talentbridge.cli._common import open_database
    from talentbridge.config import get_settings
    from talentbridge.services.job_queue import work

    settings = get_settings()
    niceness = lower_priority(settings.job_nice if nice is None else nice)
    db = open_database()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    Console(stderr=True).print(
        f"worker: jobs from {_safe(settings.queue_url)} into {db.safe_url} (nice {niceness})",
        highlight=False,
        markup=False,
    )
    work(db, settings, stop, threads=threads, beat=beat)


def lower_priority(step: int) -> int:
    """Lower this process's CPU priority by ``step`` (Unix ``nice``); returns the niceness now in effect.

    Jobs (imports, re-indexing, reports) then take the CPU the web workers leave: on a small machine a 100,000-row
    import no longer slows every request down. Where ``nice`` is unavailable (Windows) nothing changes."""
    import os

    if not hasattr(os, "nice"):
        return 0
    if step <= 0:
        return os.nice(0)
    try:
        return os.nice(step)
    except OSError:  # not permitted here: keep the current priority
        return os.nice(0)


def _safe(url: str | None) -> str:
    if not url:
        return "(no queue)"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"
