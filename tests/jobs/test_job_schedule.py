"""The nightly jobs (``worker --beat``, ``jobs schedule``): due from the configured hour, once a day however many
schedulers run, and they run (in-process here) to done."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from talentbridge.config import build_settings
from talentbridge.services.job_queue import job_queue, reset_job_queues
from talentbridge.services.job_schedule import NIGHTLY, nightly_day, nightly_key, schedule_due
from talentbridge.services.jobs import JobService
from talentbridge.storage import Database


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(0, 23))
def test_the_due_day_is_today_from_the_hour_on_and_yesterday_before(now: datetime, hour: int) -> None:
    day = nightly_day(now, hour)
    assert day == (now.date() if now.hour >= hour else now.date() - timedelta(days=1))
    # the run of ``day`` is due at ``day hour:00`` and the next one is not due yet
    due_at = datetime(day.year, day.month, day.day, hour)
    assert due_at <= now < due_at + timedelta(days=1)


def test_nightly_jobs_are_submitted_once_a_day_and_run(tmp_path: Path, database: Database) -> None:
    reset_job_queues()
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                              infer_skills=False, nightly_hour=18)  # fmt: skip
    try:
        before = schedule_due(database, settings, datetime(2026, 12, 4, 17, 59, tzinfo=UTC))
        assert [j.key for j, _ in before] == [nightly_key(k, date(2026, 12, 3)) for k, _ in NIGHTLY]
        assert all(created for _, created in before)
        at = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
        first = schedule_due(database, settings, at)
        second = schedule_due(database, settings, at + timedelta(hours=5))  # another worker, a later pass
        assert all(created for _, created in first) and not any(created for _, created in second)
        assert [j.id for j, _ in first] == [j.id for j, _ in second]
        assert [j.kind for j, _ in first] == ["privacy-retention", "followup-reminders"]
        assert job_queue(database, settings).wait(120)
        svc = JobService(database, settings)
        for job, _ in first:
            done = svc.get(job.id)
            assert done.status == "done", done.error("en")
        assert svc.get(first[1][0].id).result == {"reminders": 0}
        assert svc.list()[1] == 4  # two days, two kinds: nothing more
    finally:
        job_queue(database, settings).wait(60)
        reset_job_queues()
