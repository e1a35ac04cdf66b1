"""Where jobs run: on a Dramatiq queue over Redis (``TALENTBRIDGE_QUEUE_URL``, run by ``talentbridge worker``), or,
when no broker is configured, in a thread pool inside the process that submits them (``serve``, the CLI, tests).

    submit_job(db, settings, kind, params, key=...)  record the job and put it on the queue → (Job, created)
    job_queue(db, settings)                          the process's queue for this database: ``enqueue(id)``
    run_job(db, settings, job_id, worker)            claim, run the kind's handler with a heartbeat, finish
    recover(db, settings)                            put overdue jobs (lost messages, dead workers) on the queue
    resubmit_unfinished(db, settings)                ``serve`` at start in in-process mode: every queued or
                                                     running job of an earlier process goes into the pool again

A message carries only the job id; the claim in ``JobService`` makes a duplicate delivery harmless, and a job's
work commits together with its "done" (``JobContext.complete``), so a worker killed at any point leaves either
nothing or the whole job behind. Nothing here runs at import: brokers, pools and threads start on first use.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from talentbridge.config import Settings
from talentbridge.domain.errors import TalentBridgeError
from talentbridge.services.job_pacing import Pacer
from talentbridge.services.jobs import Job, JobCancelled, JobLost, JobService
from talentbridge.services.transactions import SessionSource

__all__ = [
    "QUEUE_NAME",
    "ACTOR_NAME",
    "JobContext",
    "JobQueue",
    "job_queue",
    "recover",
    "resubmit_unfinished",
    "run_job",
    "submit_job",
    "submit_import",
    "route_reindex",
    "route_text_encoding",
    "worker_name",
    "work",
    "dramatiq_broker",
    "reset_job_queues",
]

log = logging.getLogger(__name__)

QUEUE_NAME = "talentbridge"
ACTOR_NAME = "talentbridge_job"
#: Seconds between two progress writes of a job (the last one always goes through).
PROGRESS_EVERY = 0.5


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


# --------------------------------------------------------------------------------------------- running one job


class JobContext:
    """What a job's handler gets: its parameters, progress reporting, its checkpoint, and ``complete`` to mark the
    job done inside the transaction that writes its result."""

    def __init__(self, service: JobService, job: Job, db: SessionSource, settings: Settings) -> None:
        self.service = service
        self.job = job
        self.db = db
        self.settings = settings
        self.completed = False
        self._last = 0.0
        self.pacer = Pacer(settings.job_busy_duty)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    @property
    def checkpoint(self) -> dict[str, Any] | None:
        return self.job.checkpoint

    def progress(self, done: int, total: int | None = None, message: str | None = None, *, force: bool = False) -> None:
        """Record progress (throttled); raises ``JobCancelled`` when an operator cancelled the job. A progress point
        is also where a job pauses while the machine is busy (``job_pacing``)."""
        self.pacer.step()
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY and (total is None or done < total):
            return
        self._last = now
        self.service.progress(self.job.id, self.job.attempts, done, total, message)

    def save_checkpoint(self, session: Any, checkpoint: dict[str, Any]) -> None:
        self.service.checkpoint_in(session, self.job.id, self.job.attempts, checkpoint)

    def complete(self, session: Any, result: dict[str, Any] | None) -> None:
        """Mark the job done in ``session``'s transaction (call it just before that transaction commits)."""
        self.service.finish_in(session, self.job.id, self.job.attempts, result)
        self.completed = True


def _heartbeat(service: JobService, job: Job, every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        try:
            if not service.heartbeat(job.id, job.attempts):
                return
        except Exception:  # noqa: BLE001 - a busy database: try again at the next beat
            log.warning("heartbeat of job %s failed", job.id, exc_info=True)


def run_job(db: SessionSource, settings: Settings, job_id: int, worker: str | None = None) -> str:
    """Claim job ``job_id`` and run it; returns what happened (``done``, ``failed``, ``skipped``, ...)."""
    from talentbridge.services.job_kinds import handler_for

    service = JobService(db, settings)
    job = service.claim(job_id, worker or worker_name())
    if job is None:
        return "skipped"
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(service, job, settings.job_heartbeat_seconds, stop), daemon=True,
        name=f"talentbridge-job-{job.id}-heartbeat",
    )  # fmt: skip
    beat.start()
    ctx = JobContext(service, job, db, settings)
    try:
        result = handler_for(job.kind)(ctx)
        if not ctx.completed:
            service.finish(job.id, job.attempts, result)
        return "done"
    except (JobCancelled, JobLost) as exc:
        log.info("job %s stopped: %s", job.id, exc.message)
        return exc.code
    except TalentBridgeError as exc:
        ko = getattr(exc, "message_ko", None) or f"작업이 실패했습니다: {exc.message}"
        service.fail(job.id, job.attempts, exc.message, ko, getattr(exc, "job_result", None))
        return "failed"
    except Exception as exc:  # a bug: the job fails with the reason, the worker goes on
        log.exception("job %s (%s) failed", job.id, job.kind)
        reason = f"{type(exc).__name__}: {exc}"
        service.fail(job.id, job.attempts, f"unexpected error: {reason}", f"예기치 않은 오류: {reason}")
        return "failed"
    finally:
        stop.set()


# --------------------------------------------------------------------------------------------- queues


class JobQueue(Protocol):
    def enqueue(self, job_id: int) -> None: ...


class InProcessQueue:
    """A thread pool in this process (no broker). A recovery thread puts overdue jobs back in the pool."""

    def __init__(self, db: SessionSource, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=settings.job_threads, thread_name_prefix="talentbridge-job")
        self._recovery: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition()
        self._pending = 0

    def enqueue(self, job_id: int) -> None:
        with self._idle:
            self._pending += 1
        self._pool.submit(self._run, job_id)
        self._start_recovery()

    def _run(self, job_id: int) -> None:
        try:
            run_job(self.db, self.settings, job_id)
        except Exception:  # noqa: BLE001 - a database error while claiming: recovery tries again later
            log.exception("job %s could not run", job_id)
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _start_recovery(self) -> None:
        with self._lock:
            if self._recovery is None or not self._recovery.is_alive():
                self._recovery = threading.Thread(target=self._recover_loop, daemon=True, name="talentbridge-jobs")
                self._recovery.start()

    def _recover_loop(self) -> None:
        every = max(1.0, self.settings.job_stale_seconds / 2)
        while True:
            time.sleep(every)
            try:
                for job_id in JobService(self.db, self.settings).overdue():
                    self.enqueue(job_id)
            except Exception:  # noqa: BLE001 - the database may be gone (tests) or busy
                log.debug("job recovery pass failed", exc_info=True)

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait until every job handed to the pool has run (tests, the CLI's ``--wait``): True when they have."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True


class DramatiqQueue:
    """Messages on the Redis queue ``talentbridge``; ``talentbridge worker`` processes consume them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.broker, self.actor = dramatiq_broker(settings)

    def enqueue(self, job_id: int) -> None:
        self.actor.send(job_id)


_brokers: dict[str, tuple[Any, Any]] = {}
_queues: dict[tuple[int, str], Any] = {}
_state_lock = threading.Lock()
#: The database and settings the actor of this process runs jobs with (set by ``talentbridge worker``).
_worker_context: dict[str, Any] = {}


def dramatiq_broker(settings: Settings) -> tuple[Any, Any]:
    """The Redis broker of ``settings.queue_url`` and the one actor that runs jobs by id (made once per URL)."""
    url = settings.queue_url or ""
    with _state_lock:
        hit = _brokers.get(url)
        if hit is not None:
            return hit
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url)
        dramatiq.set_broker(broker)

        def talentbridge_job(job_id: int) -> None:
            ctx = _worker_context
            if not ctx:
                raise RuntimeError("this process runs no job worker (talentbridge worker sets it up)")
            run_job(ctx["db"], ctx["settings"], int(job_id))

        actor = dramatiq.actor(  # type: ignore[call-overload]
            talentbridge_job,
            actor_name=ACTOR_NAME,
            queue_name=QUEUE_NAME,
            broker=broker,
            max_retries=0,  # a job that failed has failed; a worker that died is recovered by the claim
            time_limit=7 * 24 * 3600 * 1000,  # national-size runs take hours, not Dramatiq's default 10 minutes
        )
        _brokers[url] = (broker, actor)
        return broker, actor


def set_worker_context(db: SessionSource, settings: Settings) -> None:
    _worker_context.update(db=db, settings=settings)


def job_queue(db: SessionSource, settings: Settings) -> Any:
    """The queue jobs of ``db`` go on in this process: Dramatiq when ``queue_url`` is set, else a thread pool."""
    key = (id(db), settings.queue_url or "")
    with _state_lock:
        queue = _queues.get(key)
    if queue is None:
        queue = DramatiqQueue(settings) if settings.queue_url else InProcessQueue(db, settings)
        with _state_lock:
            queue = _queues.setdefault(key, queue)
    return queue


def reset_job_queues() -> None:
    """Forget this process's queues and brokers (tests)."""
    with _state_lock:
        _queues.clear()
        _brokers.clear()
    _worker_context.clear()


def submit_job(
    db: SessionSource,
    settings: Settings,
    kind: str,
    params: dict[str, Any],
    *,
    key: str | None = None,
    started_by: int | None = None,
    started_by_label: str | None = None,
    again: bool = False,
) -> tuple[Job, bool]:
    """Record the job and put it on the queue (only when it is new or queued again)."""
    job, created = JobService(db, settings).submit(
        kind, params, key=key, started_by=started_by, started_by_label=started_by_label, again=again
    )
    if created:
        job_queue(db, settings).enqueue(job.id)
    return job, created


def recover(db: SessionSource, settings: Settings) -> list[int]:
    """Put overdue jobs on the queue again (the worker's recovery pass); returns their ids."""
    ids = JobService(db, settings).overdue()
    queue = job_queue(db, settings)
    for job_id in ids:
        queue.enqueue(job_id)
    return ids


def resubmit_unfinished(db: SessionSource, settings: Settings) -> list[int]:
    """In-process mode, at ``serve`` start: every queued or running job left by an earlier process goes into this
    process's pool (a running one is claimed once its heartbeat is stale, so a job another live process runs is
    left alone). Nothing to do with a broker: the workers recover their own."""
    if settings.queue_url:
        return []
    ids = JobService(db, settings).unfinished()
    queue = job_queue(db, settings)
    for job_id in ids:
        queue.enqueue(job_id)
    return ids


def work(
    db: SessionSource, settings: Settings, stop: threading.Event, *, threads: int | None = None, beat: bool = False
) -> None:
    """Run jobs from the Redis queue until ``stop`` is set (``talentbridge worker``): a Dramatiq worker with
    ``threads`` threads, and a recovery pass every ``job_stale_seconds / 2`` that puts overdue jobs (lost messages,
    jobs of workers that died) back on the queue. The first pass runs at start, so a worker restarted after a
    kill picks up what it left. With ``beat`` each pass also submits the nightly jobs once they are due
    (``job_schedule``: one job a day per kind, however many workers beat)."""
    from talentbridge.domain.errors import ConfigurationError

    if not settings.queue_url:
        raise ConfigurationError(
            "TALENTBRIDGE_QUEUE_URL is not set: without a broker, jobs run inside `talentbridge serve` (see docs/jobs.md)"
        )
    import dramatiq

    broker, _ = dramatiq_broker(settings)
    set_worker_context(db, settings)
    worker = dramatiq.Worker(broker, queues={QUEUE_NAME}, worker_threads=threads or settings.job_threads)
    worker.start()
    try:
        every = max(0.5, min(settings.job_stale_seconds / 2, 30.0))
        while True:
            try:
                ids = recover(db, settings)
                if ids:
                    log.info("re-queued overdue jobs %s", ids)
                if beat:
                    from talentbridge.services.job_schedule import schedule_due

                    for job, created in schedule_due(db, settings):
                        if created:
                            log.info("submitted nightly job %s (%s)", job.id, job.key)
            except Exception:  # noqa: BLE001 - the database or broker is down: try at the next pass
                log.warning("job recovery pass failed", exc_info=True)
            if stop.wait(every):
                break
    finally:
        worker.stop(timeout=10_000)


def submit_import(
    db: SessionSource,
    settings: Settings,
    *,
    entity: str,
    filename: str,
    content: bytes,
    skip_invalid: bool = False,
    key: str | None = None,
    started_by: int | None = None,
    started_by_label: str | None = None,
) -> tuple[Job, bool]:
    """Keep an uploaded file and queue its import. The default key is the file's content, name and mode: the
    same upload submitted twice (a double click, a retried request) is one job. A file that cannot be imported
    at all (wrong extension) raises ``ValidationFailed`` here instead of becoming a failed job."""
    import hashlib

    from talentbridge.domain.errors import Problem, ValidationFailed
    from talentbridge.services import data_transfer

    report, token = data_transfer.save_upload(
        settings, entity=entity, filename=filename, content=content, skip_invalid=skip_invalid
    )
    if token is None:
        raise ValidationFailed(report.error or "cannot import this file", [
            Problem(loc=("file",), msg=report.error or "unreadable", value=filename)])  # fmt: skip
    digest = hashlib.sha256(content).hexdigest()[:32]
    key = key or f"import:{entity}:{'keep' if skip_invalid else 'atomic'}:{report.filename}:{digest}"
    params = {"entity": entity, "token": token, "filename": report.filename, "skip_invalid": skip_invalid}
    job, created = submit_job(db, settings, "import", params, key=key, started_by=started_by,
                              started_by_label=started_by_label)  # fmt: skip
    if not created or job.params.get("token") != token:
        data_transfer.discard_upload(settings, token)  # the job already there reads its own copy
    return job, created


#: Seconds between two ``encode-texts`` submissions of one process (requests keep finding the same texts missing
#: until the job has encoded them).
ENCODE_DEBOUNCE_SECONDS = 10.0


def route_text_encoding(db: SessionSource, settings: Settings) -> bool:
    """With a job queue, texts a request could not encode in its budget go to one shared ``encode-texts`` job
    (key ``encode-texts:pending``: one queued at a time, run again when the last one is done) instead of a
    thread in each web process. Returns whether it routed them."""
    if not settings.queue_url:
        return False
    from talentbridge.services.text_embeddings import text_embeddings_for

    last = {"at": -1e9}
    lock = threading.Lock()

    def submit(kind: str) -> None:
        with lock:
            now = time.monotonic()
            if now - last["at"] < ENCODE_DEBOUNCE_SECONDS:
                return
            last["at"] = now
        submit_job(db, settings, "encode-texts", {}, key="encode-texts:pending", again=True,
                   started_by_label="system")  # fmt: skip

    text_embeddings_for(settings).background = submit
    return True


def route_reindex(db: SessionSource, settings: Settings) -> None:
    """Requests of this process leave a large talent-index backlog to one ``reindex`` job (key
    ``reindex:after:<loaded version>``: one per version however many workers ask) on this process's queue, and
    answer from the loaded version meanwhile (``talent_index.REQUEST_BACKLOG``). ``serve`` calls it at start."""
    from talentbridge.services.talent_index_state import set_reindex_submitter

    def submit(version: str) -> None:
        submit_job(db, settings, "reindex", {}, key=f"reindex:after:{version}", started_by_label="system")

    set_reindex_submitter(settings, submit)
