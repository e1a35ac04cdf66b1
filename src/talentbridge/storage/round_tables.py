"""SQLAlchemy tables of the round workflow: openings and participants of a round, ranked lists, runs.

Everything an audit of a round needs is kept: who submitted which list when (and whether it was generated from
fit scores or edited), and for every run the exact instance given to the mechanism, the mechanism, proposing
side and seed, the whole result with its diagnostics, hashes of input and result, who ran it and when, and who
published it. Runs cannot be deleted with their round (``RESTRICT``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = ["RoundOpeningRow", "RoundParticipantRow", "RoundPreferenceRow", "RoundRunRow", "PlacementFollowUpRow"]


class RoundOpeningRow(Base):
    """An opening attached to a round with the seats it offers there."""

    __tablename__ = "round_openings"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("openings.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    seats: Mapped[int] = mapped_column(Integer)
    # Place of work when attached (a region code, empty for remote work); regional caps group by it.
    region: Mapped[str | None] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RoundParticipantRow(Base):
    """A talent taking part in a round, with the employer that secondment rules look at."""

    __tablename__ = "round_participants"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="RESTRICT"), primary_key=True, index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RoundPreferenceRow(Base):
    """One ranked list: a talent's openings (side ``talent``) or an opening's talents (side ``opening``).

    ``ranking`` is a JSON list of ids; on the opening side an inner list is a tie. ``scores`` holds the fit
    scores a generated list was ordered by (kept when the list is edited), ``scorer`` what computed them.
    """

    __tablename__ = "round_preferences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No separate index on round_id: the unique (round_id, side, owner_id) index serves lookups by round.
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(10))
    owner_id: Mapped[int] = mapped_column(Integer)
    ranking: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    scorer: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("round_id", "side", "owner_id", name="uq_round_preferences_owner"),)


class RoundRunRow(Base):
    """One run of a round's mechanism: its exact input and output, so it can be reproduced and audited."""

    __tablename__ = "round_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="RESTRICT"), index=True)
    mechanism: Mapped[str] = mapped_column(String(20))
    proposing: Mapped[str] = mapped_column(String(12))
    seed: Mapped[int] = mapped_column(Integer)
    instance: Mapped[dict[str, Any]] = mapped_column(JSONType, deferred=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, deferred=True)
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSONType)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    input_hash: Mapped[str] = mapped_column(String(64), index=True)
    result_hash: Mapped[str] = mapped_column(String(64))
    software_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(200))


class PlacementFollowUpRow(Base):
    """A follow-up of a placement at 3, 6 or 12 months: is the person still there (retention), who said so."""

    __tablename__ = "placement_followups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    retained: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(1000))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    recorder_role: Mapped[str] = mapped_column(String(20))

    __table_args__ = (UniqueConstraint("placement_id", "months", name="uq_placement_followups_months"),)
