"""Tables of saved training plans: an organization's plan for a chosen group of its employees against a target
(``training_plans``), and each employee's planned courses with their status (``training_plan_courses``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = ["TrainingPlanRow", "TrainingPlanCourseRow"]


class TrainingPlanRow(Base):
    """A saved plan: the group, the target and the totals as computed at the last save."""

    __tablename__ = "training_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_ref: Mapped[str] = mapped_column(String(300))
    target_label: Mapped[str] = mapped_column(String(300))
    budget: Mapped[int | None] = mapped_column(Integer)
    talent_ids: Mapped[list] = mapped_column(JSONType, default=list)
    summary: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class TrainingPlanCourseRow(Base):
    """One employee's course on a saved plan: planned, started or completed."""

    __tablename__ = "training_plan_courses"
    __table_args__ = (UniqueConstraint("plan_id", "talent_id", "course_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id", ondelete="CASCADE"), index=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
