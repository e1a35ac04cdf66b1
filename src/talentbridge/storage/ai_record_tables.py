"""Tables of the AI Basic Act records: one row per AI run (a recommendation list shown, a generated ranking, a
round run or its approval, a batch run), the human reviews people ask for, and the documentation packs kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = ["AiRunRecordRow", "AiHumanReviewRow", "AiDocumentationPackRow"]


class AiRunRecordRow(Base):
    """One AI run: what ranked whom with which model, taxonomy and weights, and what it output (ids and scores,
    as JSON: one row per list, never per item). ``key`` is the public reference a notice links to."""

    __tablename__ = "ai_run_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    surface: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    round_id: Mapped[int | None] = mapped_column(Integer, index=True)
    models: Mapped[dict] = mapped_column(JSONType, default=dict)
    taxonomy_version: Mapped[str | None] = mapped_column(String(200))
    weights: Mapped[dict] = mapped_column(JSONType, default=dict)
    inputs: Mapped[dict] = mapped_column(JSONType, default=dict)
    output: Mapped[list] = mapped_column(JSONType, default=list)
    items: Mapped[int] = mapped_column(Integer, default=0)
    seen_by_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    seen_by_role: Mapped[str | None] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)


class AiHumanReviewRow(Base):
    """A person's request that a human review an AI result, and the operator's answer. ``reason`` and
    ``answer`` are free text: blanked when the requester's personal data is erased (``erase_talent``)."""

    __tablename__ = "ai_human_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("ai_run_records.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str | None] = mapped_column(String(60))
    requester_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requester_role: Mapped[str] = mapped_column(String(20))
    talent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_by: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AiDocumentationPackRow(Base):
    """A generated documentation pack (HTML, and PDF when made), kept under the data directory."""

    __tablename__ = "ai_documentation_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    round_id: Mapped[int | None] = mapped_column(Integer, index=True)
    period: Mapped[str | None] = mapped_column(String(20))
    folder: Mapped[str] = mapped_column(String(500))
    files: Mapped[list] = mapped_column(JSONType, default=list)
    summary: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
