"""The jobs table: long work (imports, batch runs, re-indexing, audits, reports) queued and run by a worker.

One row per job; the row, not the broker, is the record of truth: a message on the queue only says "look at job
N". A worker claims a job by a conditional update (``queued`` → ``running``, or a ``running`` job whose worker
stopped sending heartbeats), so a message delivered twice runs the job once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = ["JobRow"]


class JobRow(Base):
    """A job: ``kind`` and ``params`` say what to do; ``key`` makes submitting the same work twice return the
    first job; ``status`` queued → running → done / failed / cancelled; ``progress_*`` how far; ``checkpoint``
    where a resumed run carries on; ``result`` (JSON) or ``error`` (Korean and English) at the end."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("key", name="uq_jobs_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(10), index=True)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    progress_message: Mapped[str | None] = mapped_column(String(300))
    checkpoint: Mapped[dict | None] = mapped_column(JSONType)
    result: Mapped[dict | None] = mapped_column(JSONType)
    error_ko: Mapped[str | None] = mapped_column(Text)
    error_en: Mapped[str | None] = mapped_column(Text)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_by_label: Mapped[str | None] = mapped_column(String(320))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
