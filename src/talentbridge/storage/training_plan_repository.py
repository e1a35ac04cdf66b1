"""SQL store of saved training plans (``services.saved_training_plans.TrainingPlanStore``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from talentbridge.domain.errors import NotFound
from talentbridge.domain.training_plan import PlanCourse, SavedPlan
from talentbridge.storage.training_plan_tables import TrainingPlanCourseRow, TrainingPlanRow

__all__ = ["SqlTrainingPlanStore"]


def _plan(row: TrainingPlanRow, courses: list[PlanCourse]) -> SavedPlan:
    return SavedPlan(
        id=row.id, organization_id=row.organization_id, name=row.name, target_kind=row.target_kind,
        target_ref=row.target_ref, target_label=row.target_label, budget=row.budget,
        talent_ids=[int(t) for t in row.talent_ids or []], summary=dict(row.summary or {}),
        created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at, courses=courses,
    )  # fmt: skip


class SqlTrainingPlanStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, plan_id: int) -> TrainingPlanRow:
        row = self.session.get(TrainingPlanRow, plan_id)
        if row is None:
            raise NotFound("training_plan", plan_id)
        return row

    def add(self, organization_id: int, fields: dict[str, Any]) -> int:
        row = TrainingPlanRow(organization_id=organization_id, **fields)
        self.session.add(row)
        self.session.flush()
        return row.id

    def get(self, plan_id: int) -> SavedPlan:
        row = self._row(plan_id)
        self.session.refresh(row)
        courses = self.session.execute(
            select(TrainingPlanCourseRow)
            .where(TrainingPlanCourseRow.plan_id == plan_id)
            .order_by(TrainingPlanCourseRow.talent_id, TrainingPlanCourseRow.position)
        ).scalars()
        return _plan(row, [PlanCourse(c.talent_id, c.course_id, c.position, c.status) for c in courses])

    def page(self, organization_id: int, page: int, size: int) -> tuple[list[SavedPlan], int]:
        where = TrainingPlanRow.organization_id == organization_id
        total = self.session.execute(select(func.count()).select_from(TrainingPlanRow).where(where)).scalar_one()
        rows = self.session.execute(
            select(TrainingPlanRow).where(where).order_by(TrainingPlanRow.id.desc())
            .offset((max(page, 1) - 1) * size).limit(size)
        ).scalars()  # fmt: skip
        return [_plan(r, []) for r in rows], int(total)

    def update(self, plan_id: int, fields: dict[str, Any]) -> None:
        self._row(plan_id)
        self.session.execute(
            update(TrainingPlanRow).where(TrainingPlanRow.id == plan_id).values(**fields, updated_at=func.now())
        )

    def delete(self, plan_id: int) -> None:
        self.session.execute(delete(TrainingPlanCourseRow).where(TrainingPlanCourseRow.plan_id == plan_id))
        self.session.delete(self._row(plan_id))
        self.session.flush()

    def replace_courses(self, plan_id: int, courses: list[PlanCourse]) -> None:
        self.session.execute(delete(TrainingPlanCourseRow).where(TrainingPlanCourseRow.plan_id == plan_id))
        self.session.add_all(
            TrainingPlanCourseRow(plan_id=plan_id, talent_id=c.talent_id, course_id=c.course_id,
                                  position=c.position, status=c.status)
            for c in courses
        )  # fmt: skip
        self.session.flush()

    def set_status(self, plan_id: int, talent_id: int, course_id: int, status: str) -> bool:
        result = self.session.execute(
            update(TrainingPlanCourseRow)
            .where(TrainingPlanCourseRow.plan_id == plan_id, TrainingPlanCourseRow.talent_id == talent_id,
                   TrainingPlanCourseRow.course_id == course_id)
            .values(status=status, updated_at=func.now())
        )  # fmt: skip
        return bool(getattr(result, "rowcount", 0))
