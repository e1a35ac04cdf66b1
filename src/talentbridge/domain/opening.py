"""Openings: jobs, secondment slots, PBL projects, internships and joint R&D positions."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from talentbridge.domain.base import Record, Stored
from talentbridge.domain.enums import (
    OPENING_EMPLOYMENT_TYPE,
    Degree,
    EmploymentType,
    Importance,
    OpeningKind,
    OpeningStatus,
    Region,
    SkillSource,
)

__all__ = ["ContractType", "RequiredSkill", "OpeningData", "Opening", "shown_status", "is_accepting"]


class ContractType(StrEnum):
    """The terms of a job ad (고용 형태), beside its kind (job, secondment slot, ...)."""

    PERMANENT = "permanent"  # 정규직
    CONTRACT = "contract"  # 계약직
    PART_TIME = "part_time"  # 시간제
    FREELANCE = "freelance"  # 프리랜서


class RequiredSkill(Record):
    skill_id: str = Field(min_length=1, max_length=300)
    min_level: int = Field(3, ge=1, le=5)
    importance: Importance = Importance.SHOULD
    source: SkillSource = SkillSource.EXPLICIT
    confidence: float | None = Field(None, ge=0, le=1)


class OpeningData(Record):
    external_id: str | None = Field(None, max_length=100)
    organization_id: int
    kind: OpeningKind
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=100_000)
    required_skills: list[RequiredSkill] = Field(default_factory=list)
    occupation_id: str | None = Field(None, description="Normalized occupation (taxonomy id).")
    region: Region | None = Field(None, description="Place of work; empty only when remote.")
    remote: bool = False
    salary_min: int | None = Field(None, ge=0, le=1_000_000, description="Yearly, in 만원.")
    salary_max: int | None = Field(None, ge=0, le=1_000_000, description="Yearly, in 만원.")
    min_years_experience: float | None = Field(None, ge=0, le=40)
    min_degree: Degree | None = None
    duration_months: int | None = Field(None, ge=1, le=120, description="For secondments, PBL, internships.")
    start_date: date | None = None
    seats: int = Field(1, ge=1, le=10_000)
    visa_sponsorship: bool = False
    deadline: date | None = Field(None, description="Last day to apply.")
    status: OpeningStatus = OpeningStatus.DRAFT
    contract_type: ContractType | None = Field(None, description="permanent, contract, part_time or freelance.")

    @model_validator(mode="after")
    def _consistent(self) -> OpeningData:
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            raise ValueError("salary_max is below salary_min")
        if self.region is None and not self.remote:
            raise ValueError("give a region, or set remote to true")
        ids = [s.skill_id for s in self.required_skills]
        if len(ids) != len(set(ids)):
            raise ValueError("a required skill is listed twice")
        return self

    @property
    def employment_type(self) -> EmploymentType:
        return OPENING_EMPLOYMENT_TYPE[self.kind]


class Opening(OpeningData, Stored):
    pass


def shown_status(opening: OpeningData, today: date) -> OpeningStatus:
    """The status people see: an open opening past its deadline shows as closed."""
    if opening.status == OpeningStatus.OPEN and opening.deadline is not None and opening.deadline < today:
        return OpeningStatus.CLOSED
    return opening.status


def is_accepting(opening: OpeningData, today: date) -> bool:
    """Whether talent may apply (or be invited) today: open, and the deadline not passed."""
    return shown_status(opening, today) == OpeningStatus.OPEN
