"""Course: one training course (or one run of it) of the upskilling catalogue — K-Digital Training, 재직자
내일배움카드, 사업주훈련, a company's internal course or any other — with what it costs, what it needs before and
what it teaches."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from talentbridge.domain.base import Record, Stored

__all__ = [
    "Course",
    "CourseData",
    "CourseSkill",
    "Delivery",
    "FundingTrack",
    "CourseSkillSource",
    "CourseProgressStatus",
]


class Delivery(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    BLENDED = "blended"


class FundingTrack(StrEnum):
    KDT = "kdt"  # K-Digital Training
    TOMORROW_CARD = "tomorrow_card"  # 재직자 내일배움카드
    EMPLOYER = "employer"  # 사업주훈련
    INTERNAL = "internal"  # a company's own course
    OTHER = "other"


class CourseSkillSource(StrEnum):
    LISTED = "listed"  # given by the file (a skill list column, JCRec's lists)
    INFERRED = "inferred"  # extracted from title, description and NCS name; carries evidence
    OPERATOR = "operator"  # set or corrected by an operator


class CourseProgressStatus(StrEnum):
    PLANNED = "planned"
    LEARNING = "learning"
    COMPLETED = "completed"


class CourseSkill(Record):
    skill_id: str = Field(min_length=1, max_length=300)
    level: int = Field(1, ge=1, le=5, description="1 beginner … 5 expert; a course teaching level L gives ≥ L.")
    source: CourseSkillSource = CourseSkillSource.LISTED
    confidence: float | None = Field(None, ge=0, le=1)
    evidence: str | None = Field(None, max_length=300, description="The words of the course text it came from.")


class CourseData(Record):
    external_id: str | None = Field(None, max_length=100)
    provider: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    description_en: str | None = Field(None, max_length=20_000)
    hours: float = Field(0, ge=0, le=10_000)
    fee: int = Field(0, ge=0, le=1_000_000_000, description="Tuition in won.")
    programme_share: float = Field(
        0, ge=0, le=1, description="Share of the fee a programme (KDT, 내일배움카드, 사업주훈련) pays, 0…1."
    )
    delivery: Delivery = Delivery.OFFLINE
    region: str | None = Field(None, max_length=100, description="Where it is taught (시도 시군구), if offline.")
    start_date: date | None = None
    end_date: date | None = None
    self_paced: bool = False
    ncs_code: str | None = Field(None, max_length=20)
    ncs_name: str | None = Field(None, max_length=100)
    funding_track: FundingTrack = FundingTrack.OTHER
    completion_rate: float | None = Field(None, ge=0, le=1)
    satisfaction: float | None = Field(None, ge=0, le=100)
    employment_rate_3m: float | None = Field(None, ge=0, le=1)
    employment_rate_6m: float | None = Field(None, ge=0, le=1)
    capacity: int | None = Field(None, ge=0)
    url: str | None = Field(None, max_length=500)
    requires: list[CourseSkill] = Field(default_factory=list)
    teaches: list[CourseSkill] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> CourseData:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        for name, skills in (("requires", self.requires), ("teaches", self.teaches)):
            ids = [s.skill_id for s in skills]
            if len(ids) != len(set(ids)):
                raise ValueError(f"a skill is listed twice in {name}")
        return self

    @property
    def programme_pays(self) -> int:
        """Won of the fee a programme pays."""
        return round(self.fee * self.programme_share)


class Course(CourseData, Stored):
    skills_inferred: bool = False
