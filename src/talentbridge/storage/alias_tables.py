"""Operator-added skill aliases, kept apart from the taxonomy tables so that re-importing ESCO or reloading the
built-in taxonomy (which rewrite those tables) never loses them; they are applied on top whenever the taxonomy is
loaded (``services.skill_aliases.apply_aliases``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base

__all__ = ["SkillAliasRow"]


class SkillAliasRow(Base):
    __tablename__ = "skill_aliases"
    __table_args__ = (UniqueConstraint("skill_id", "lang", "norm"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # no foreign key: the taxonomy tables are rewritten on import; an alias of a skill that disappears stays
    # stored and is simply not applied
    skill_id: Mapped[str] = mapped_column(String(300), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    alias: Mapped[str] = mapped_column(String(200))
    norm: Mapped[str] = mapped_column(String(200), index=True)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
