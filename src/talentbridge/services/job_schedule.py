"""The nightly jobs: retention limits (``privacy-retention``: anonymisation of inactive talents and old rounds) and
placement follow-up reminders (``followup-reminders``), submitted once a day from ``TALENTBRIDGE_NIGHTLY_HOUR``
(UTC) by ``talentbridge worker --beat`` (each recovery pass) or ``talentbridge jobs schedule`` (from cron).

Once a day however many schedulers run: each day's job has the key ``nightly:<kind>:<date>``, and a key that exists
returns its job instead of a new one. A scheduler that was down at the hour submits the day's jobs at its next pass
(both kinds catch up on everything overdue, so a missed day is not lost)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from talentbridge.config import Settings
from talentbridge.services.jobs import Job
from talentbridge.services.transactions import SessionSource

__all__ = ["NIGHTLY", "nightly_day", "nightly_key", "schedule_due"]

#: (kind, parameters) submitted every night.
NIGHTLY: tuple[tuple[str, dict[str, Any]], ...] = (("privacy-retention", {}), ("followup-reminders", {}))


def nightly_day(now: datetime, hour: int) -> date:
    """The day whose nightly run is the latest one due at ``now`` (UTC): today from ``hour`` on, else yesterday."""
    now = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    return now.date() if now.hour >= hour else now.date() - timedelta(days=1)


def nightly_key(kind: str, day: date) -> str:
    return f"nightly:{kind}:{day.isoformat()}"


def schedule_due(db: SessionSource, settings: Settings, now: datetime | None = None) -> list[tuple[Job, bool]]:
    """Submit the nightly jobs of the latest due day (the ones already submitted come back unchanged, with False)."""
    from talentbridge.services.job_queue import submit_job

    day = nightly_day(now or datetime.now(UTC), settings.nightly_hour)
    return [submit_job(db, settings, kind, dict(params), key=nightly_key(kind, day), started_by_label="schedule")
            for kind, params in NIGHTLY]  # fmt: skip
