"""``talentbridge worker``: run queued jobs from the broker named by ``TALENTBRIDGE_QUEUE_URL`` (docs/jobs.md).

Stops cleanly on Ctrl-C or SIGTERM (jobs in progress finish or, past the grace period, are re-run by the next
worker); a worker killed outright (kill -9, a lost machine) leaves its jobs to be taken over by any worker once
their heartbeat is ``TALENTBRIDGE_JOB_STALE_SECONDS`` old.
"""

from __future__ import annotations

import typer

__all__ = ["app", "command", "SINGLE_COMMAND"]

app = typer.Typer()
SINGLE_COMMAND = True


def command(
    threads: int | None = typer.Option(
        None, "--threads", min=1, max=64, help="Jobs run at once (default TALENTBRIDGE_JOB_THREADS)."
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
    db = open_database()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    Console(stderr=True).print(
        f"worker: jobs from {_safe(settings.queue_url)} into {db.safe_url}", highlight=False, markup=False
    )
    work(db, settings, stop, threads=threads, beat=beat)


def _safe(url: str | None) -> str:
    if not url:
        return "(no queue)"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"
