"""A saved training plan of an organization (records only; ``services.saved_training_plans`` computes and saves
them): the group, the target, the totals, and each employee's planned courses with their status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["PlanCourse", "SavedPlan"]


@dataclass(frozen=True)
class PlanCourse:
    talent_id: int
    course_id: int
    position: int
    status: str


@dataclass
class SavedPlan:
    id: int
    organization_id: int
    name: str
    target_kind: str
    target_ref: str
    target_label: str
    budget: int | None
    talent_ids: list[int]
    summary: dict[str, Any]
    created_by: int | None
    created_at: datetime | None
    updated_at: datetime | None
    courses: list[PlanCourse] = field(default_factory=list)
