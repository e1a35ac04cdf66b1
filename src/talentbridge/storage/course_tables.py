"""Tables of the course catalogue (upskilling): courses, a talent's progress through courses, and saved growth
paths. Skill lists are JSON on the course (the catalogue is thousands of rows, read whole for planning)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = ["CourseRow", "CourseProgressRow", "GrowthPathRow"]


class CourseRow(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    provider: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(300), index=True)
    title_en: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[float] = mapped_column(Float, default=0)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    programme_share: Mapped[float] = mapped_column(Float, default=0)
    delivery: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    self_paced: Mapped[bool] = mapped_column(Boolean, default=False)
    ncs_code: Mapped[str | None] = mapped_column(String(20), index=True)
    ncs_name: Mapped[str | None] = mapped_column(String(100))
    funding_track: Mapped[str] = mapped_column(String(20), index=True)
    completion_rate: Mapped[float | None] = mapped_column(Float)
    satisfaction: Mapped[float | None] = mapped_column(Float)
    employment_rate_3m: Mapped[float | None] = mapped_column(Float)
    employment_rate_6m: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(500))
    requires: Mapped[list] = mapped_column(JSONType, default=list)
    teaches: Mapped[list] = mapped_column(JSONType, default=list)
    skills_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CourseProgressRow(Base):
    """A talent's course: planned, learning, completed. The skills it teaches show on the profile as learning or
    completed (completed ones are also added to the profile's skills)."""

    __tablename__ = "course_progress"
    __table_args__ = (UniqueConstraint("talent_id", "course_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class GrowthPathRow(Base):
    """A talent's saved growth path: the target, the gap and the planned courses as they were when saved."""

    __tablename__ = "growth_paths"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_ref: Mapped[str] = mapped_column(String(300))
    target_label: Mapped[str] = mapped_column(String(300))
    course_ids: Mapped[list] = mapped_column(JSONType, default=list)
    summary: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
