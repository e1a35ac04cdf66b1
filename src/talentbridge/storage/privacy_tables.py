"""Tables of personal-data rights (PIPA): the history of each consent, and the erasures done.

``consent_records`` keeps every grant and withdrawal (what, when, by whom), so the agency can show consent was
given. ``talent_erasures`` marks a talent row as an anonymised tombstone: its ``anonymous_id`` replaces the person in
the records the law allows to keep (placements, round results), and nothing in it points back at the person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base

__all__ = ["ConsentRecordRow", "TalentErasureRow"]


class ConsentRecordRow(Base):
    """One change of one consent of one talent: ``purpose`` (a key of ``services.privacy_purposes``)."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    by_role: Mapped[str] = mapped_column(String(20))  # talent | operator | import | system


class TalentErasureRow(Base):
    """A talent whose personal data was erased (on request or by the retention limit)."""

    __tablename__ = "talent_erasures"

    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), primary_key=True)
    anonymous_id: Mapped[str] = mapped_column(String(40), unique=True)
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # request | retention
    by_role: Mapped[str] = mapped_column(String(20))  # talent | operator | system
