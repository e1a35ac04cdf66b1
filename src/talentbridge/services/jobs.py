"""Jobs: long work recorded in the jobs table, queued, claimed by one worker at a time, and finished once.

    JobService(db, settings)
        submit(kind, params, key=..., started_by=..., again=False)  → (Job, created): one row per ``key``;
            submitting the same key again returns the job already there (``again=True`` re-runs a finished one)
        get(id) / list(...) / cancel(id) / unfinished()
        claim(id, worker)        → Job or None: queued → running (attempts + 1), or a running job whose worker
                                   has sent no heartbeat for ``job_stale_seconds``; anything else → None, so a
                                   message delivered twice runs the job once
        heartbeat / progress     short transactions of their own; a cancelled or taken-over job raises
        finish_in(session, ...)  marks the job done *in the caller's transaction*: the job's own writes and its
                                 "done" commit together or not at all
        fail(...) / overdue()    failed with the reason in Korean and English / ids a recovery pass re-queues

The table is the record of truth; the queue (``services.job_queue``) carries only job ids.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain.errors import InvalidState, NotFound, Problem, TalentBridgeError, ValidationFailed
from talentbridge.services.transactions import SessionSource
from talentbridge.storage.job_tables import JobRow

__all__ = [
    "STATUSES",
    "UNFINISHED",
    "Job",
    "JobCancelled",
    "JobLost",
    "JobService",
    "params_key",
]

STATUSES = ("queued", "running", "done", "failed", "cancelled")
UNFINISHED = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")


class JobCancelled(TalentBridgeError):
    """The job was cancelled while it ran: its work stops and its transaction rolls back."""

    code = "job_cancelled"
    status = 409


class JobLost(TalentBridgeError):
    """Another worker took the job over (this one was thought dead): its work rolls back."""

    code = "job_lost"
    status = 409


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite hands back naive datetimes
        return value.replace(tzinfo=UTC)
    return value


def params_key(kind: str, params: dict[str, Any]) -> str:
    """A key for "the same work": the kind and a hash of the parameters."""
    blob = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
    return f"{kind}:{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:32]}"


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    key: str
    params: dict[str, Any]
    status: str
    progress_done: int
    progress_total: int | None
    progress_message: str | None
    checkpoint: dict[str, Any] | None
    result: dict[str, Any] | None
    error_ko: str | None
    error_en: str | None
    started_by: int | None
    started_by_label: str | None
    attempts: int
    worker: str | None
    created_at: datetime | None
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, row: JobRow) -> Job:
        return cls(
            id=row.id, kind=row.kind, key=row.key, params=dict(row.params or {}), status=row.status,
            progress_done=row.progress_done or 0, progress_total=row.progress_total,
            progress_message=row.progress_message, checkpoint=row.checkpoint, result=row.result,
            error_ko=row.error_ko, error_en=row.error_en, started_by=row.started_by,
            started_by_label=row.started_by_label, attempts=row.attempts or 0, worker=row.worker,
            created_at=_aware(row.created_at), started_at=_aware(row.started_at),
            heartbeat_at=_aware(row.heartbeat_at), finished_at=_aware(row.finished_at),
        )  # fmt: skip

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """0–100 when the total is known."""
        if not self.progress_total:
            return 100 if self.status == "done" else None
        return max(0, min(100, round(100 * self.progress_done / self.progress_total)))

    def error(self, lang: str) -> str | None:
        return (self.error_ko or self.error_en) if lang == "ko" else (self.error_en or self.error_ko)

    def as_dict(self) -> dict[str, Any]:
        """The API's view (no checkpoint, no worker name)."""

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "kind": self.kind,
            "key": self.key,
            "params": self.params,
            "status": self.status,
            "progress": {
                "done": self.progress_done,
                "total": self.progress_total,
                "percent": self.percent,
                "message": self.progress_message,
            },
            "result": self.result,
            "error": None if self.error_en is None and self.error_ko is None else {"ko": self.error_ko, "en": self.error_en},
            "started_by": self.started_by,
            "attempts": self.attempts,
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
        }


class JobService:
    """The jobs table's use cases; every method runs its own short transaction unless it takes a session."""

    def __init__(self, db: SessionSource, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    # -- submitting --------------------------------------------------------------------------------------------
    def submit(
        self,
        kind: str,
        params: dict[str, Any],
        *,
        key: str | None = None,
        started_by: int | None = None,
        started_by_label: str | None = None,
        again: bool = False,
    ) -> tuple[Job, bool]:
        """Record a job (status queued) and return it with ``True``; or the job already recorded under ``key``
        with ``False``. A failed or cancelled job under that key is queued again; a done one too when ``again``.
        The caller puts the returned id on the queue (``job_queue.submit_job`` does both)."""
        from talentbridge.services.job_kinds import check_kind

        check_kind(kind, params)
        key = key or f"{kind}:{secrets.token_hex(12)}"
        if len(key) > 200:
            raise ValidationFailed("job key too long", [Problem(loc=("key",), msg="at most 200 characters")])
        with self.db.session(write=True) as session:
            row = session.scalar(select(JobRow).where(JobRow.key == key))
            if row is not None:
                if row.status in ("failed", "cancelled") or (again and row.status == "done"):
                    self._reset(row)
                    row.params = params
                    return Job.of(row), True
                return Job.of(row), False
        try:
            with self.db.session(write=True) as session:
                row = JobRow(
                    kind=kind, key=key, params=params, status="queued", progress_done=0, attempts=0,
                    started_by=started_by, started_by_label=started_by_label, created_at=_now(), enqueued_at=_now(),
                )  # fmt: skip
                session.add(row)
                session.flush()
                return Job.of(row), True
        except IntegrityError:  # submitted at the same moment by another process
            with self.db.session() as session:
                row = session.scalar(select(JobRow).where(JobRow.key == key))
                if row is None:
                    raise
                return Job.of(row), False

    @staticmethod
    def _reset(row: JobRow) -> None:
        row.status = "queued"
        row.progress_done, row.progress_total, row.progress_message = 0, None, None
        row.checkpoint = row.result = None
        row.error_ko = row.error_en = None
        row.attempts = 0
        row.worker = None
        row.enqueued_at = _now()
        row.started_at = row.heartbeat_at = row.finished_at = None

    # -- reading -----------------------------------------------------------------------------------------------
    def get(self, job_id: int) -> Job:
        with self.db.session() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFound("job", job_id)
            return Job.of(row)

    def list(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        started_by: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Job], int]:
        """Newest first, and how many there are in all."""
        if status is not None and status not in STATUSES:
            raise ValidationFailed(
                "invalid job status", [Problem(loc=("status",), msg=" or ".join(STATUSES), value=status)]
            )
        stmt = select(JobRow)
        if status:
            stmt = stmt.where(JobRow.status == status)
        if kind:
            stmt = stmt.where(JobRow.kind == kind)
        if started_by is not None:
            stmt = stmt.where(JobRow.started_by == started_by)
        with self.db.session() as session:
            total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = session.scalars(stmt.order_by(JobRow.id.desc()).limit(limit).offset(offset)).all()
            return [Job.of(r) for r in rows], int(total)

    def unfinished(self) -> builtins.list[int]:
        """Ids of queued and running jobs, oldest first."""
        with self.db.session() as session:
            return list(session.scalars(select(JobRow.id).where(JobRow.status.in_(UNFINISHED)).order_by(JobRow.id)))

    def overdue(self) -> builtins.list[int]:
        """Jobs a recovery pass puts on the queue again: queued and not started for ``job_stale_seconds`` (the
        message was lost), or running without a heartbeat for that long (the worker died). Marks them re-queued
        now, so the next pass leaves them alone for another period."""
        limit = _now() - timedelta(seconds=self.settings.job_stale_seconds)
        with self.db.session(write=True) as session:
            ids = list(
                session.scalars(
                    select(JobRow.id).where(
                        or_(
                            (JobRow.status == "queued") & or_(JobRow.enqueued_at.is_(None), JobRow.enqueued_at < limit),
                            (JobRow.status == "running")
                            & or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < limit)
                            & or_(JobRow.enqueued_at.is_(None), JobRow.enqueued_at < limit),
                        )
                    )
                )
            )
            if ids:
                session.execute(update(JobRow).where(JobRow.id.in_(ids)).values(enqueued_at=_now()))
            return ids

    # -- running -----------------------------------------------------------------------------------------------
    def claim(self, job_id: int, worker: str) -> Job | None:
        """Take the job for ``worker``: queued, or running with a stale heartbeat (its worker died). None when
        another worker has it, it is finished, or it does not exist. A job whose workers died
        ``job_max_attempts`` times is marked failed instead."""
        now = _now()
        stale = now - timedelta(seconds=self.settings.job_stale_seconds)
        with self.db.session(write=True) as session:
            claimable = (JobRow.id == job_id) & or_(
                JobRow.status == "queued",
                (JobRow.status == "running") & or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < stale),
            )
            row = session.scalar(select(JobRow).where(claimable))
            if row is None:
                return None
            if row.attempts >= self.settings.job_max_attempts:
                row.status = "failed"
                row.finished_at = now
                row.error_en = f"the job's worker stopped {row.attempts} times before it finished; not run again"
                row.error_ko = f"작업을 실행하던 워커가 {row.attempts}번 중단되어 더 이상 다시 실행하지 않습니다"
                return None
            result = session.execute(
                update(JobRow)
                .where(claimable, JobRow.attempts == row.attempts)
                .values(
                    status="running", attempts=row.attempts + 1, worker=worker[:120], heartbeat_at=now,
                    started_at=now, error_ko=None, error_en=None,
                )  # fmt: skip
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return None
        return self.get(job_id)

    def _mine(self, job_id: int, attempt: int) -> Any:
        return (JobRow.id == job_id) & (JobRow.attempts == attempt) & (JobRow.status == "running")

    def _why_not_mine(self, session: Session, job_id: int) -> TalentBridgeError:
        status = session.scalar(select(JobRow.status).where(JobRow.id == job_id))
        if status == "cancelled":
            return JobCancelled(f"job {job_id} was cancelled")
        return JobLost(f"job {job_id} was taken over by another worker")

    def _track(self, stmt: Any) -> int | None:
        """Run a bookkeeping update in its own transaction; its row count, or None when SQLite's write lock is
        held (by the job's own write transaction, most often): bookkeeping never waits for it and never commits
        between a deferred transaction's reads and its writes."""
        engine = getattr(self.db, "engine", None)
        if engine is None or engine.dialect.name != "sqlite":
            with self.db.session(write=True) as session:
                return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
        from sqlalchemy.exc import OperationalError

        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            previous = raw.execute("PRAGMA busy_timeout").fetchone()[0]
            raw.execute("PRAGMA busy_timeout = 0")
            try:
                with conn.execution_options(talentbridge_sqlite_begin="IMMEDIATE").begin():
                    return int(conn.execute(stmt).rowcount)
            except OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    return None
                raise
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(previous)}")

    def heartbeat(self, job_id: int, attempt: int) -> bool:
        """Record that the job's worker is alive; False when the job is no longer this run's."""
        count = self._track(update(JobRow).where(self._mine(job_id, attempt)).values(heartbeat_at=_now()))
        return count != 0

    def progress(self, job_id: int, attempt: int, done: int, total: int | None, message: str | None) -> None:
        """Record progress (and a heartbeat); raises ``JobCancelled`` / ``JobLost`` when the run should stop.
        Skipped (not waited for) while SQLite's write lock is taken."""
        count = self._track(
            update(JobRow)
            .where(self._mine(job_id, attempt))
            .values(
                progress_done=int(done), progress_total=None if total is None else int(total),
                progress_message=None if message is None else str(message)[:300], heartbeat_at=_now(),
            )  # fmt: skip
        )
        if count == 0:
            with self.db.session() as session:
                raise self._why_not_mine(session, job_id)

    def save_checkpoint(self, job_id: int, attempt: int, checkpoint: dict[str, Any]) -> None:
        """Save where a resumed run carries on (work kept outside the database: files); raises like ``progress``."""
        count = self._track(
            update(JobRow).where(self._mine(job_id, attempt)).values(checkpoint=checkpoint, heartbeat_at=_now())
        )
        if count == 0:
            with self.db.session() as session:
                raise self._why_not_mine(session, job_id)

    def checkpoint_in(self, session: Session, job_id: int, attempt: int, checkpoint: dict[str, Any]) -> None:
        """Save where a resumed run carries on, in the caller's transaction (with the work it stands for)."""
        result = session.execute(
            update(JobRow).where(self._mine(job_id, attempt)).values(checkpoint=checkpoint, heartbeat_at=_now())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise self._why_not_mine(session, job_id)

    def finish_in(self, session: Session, job_id: int, attempt: int, result: dict[str, Any] | None) -> None:
        """Mark the job done in the caller's transaction; raises (and so rolls the caller back) when this run no
        longer owns the job."""
        now = _now()
        values: dict[str, Any] = {"status": "done", "result": result, "finished_at": now, "heartbeat_at": now}
        outcome = session.execute(update(JobRow).where(self._mine(job_id, attempt)).values(**values))
        if outcome.rowcount != 1:  # type: ignore[attr-defined]
            raise self._why_not_mine(session, job_id)
        total = session.scalar(select(JobRow.progress_total).where(JobRow.id == job_id))
        if total:
            session.execute(update(JobRow).where(JobRow.id == job_id).values(progress_done=total))

    def finish(self, job_id: int, attempt: int, result: dict[str, Any] | None) -> None:
        with self.db.session(write=True) as session:
            self.finish_in(session, job_id, attempt, result)

    def fail(
        self, job_id: int, attempt: int, error_en: str, error_ko: str, result: dict[str, Any] | None = None
    ) -> None:
        with self.db.session(write=True) as session:
            session.execute(
                update(JobRow)
                .where(self._mine(job_id, attempt))
                .values(status="failed", error_en=error_en[:4000], error_ko=error_ko[:4000], result=result,
                        finished_at=_now())  # fmt: skip
            )

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued or running job (a running one stops at its next progress report and rolls back)."""
        with self.db.session(write=True) as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFound("job", job_id)
            if row.status not in UNFINISHED:
                raise InvalidState(f"job {job_id} is {row.status}; only queued or running jobs can be cancelled")
            row.status = "cancelled"
            row.finished_at = _now()
            row.error_en = "cancelled"
            row.error_ko = "취소됨"
            session.flush()
            return Job.of(row)
