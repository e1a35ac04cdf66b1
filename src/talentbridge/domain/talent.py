"""Talent: engineers, researchers, students, current employees and overseas talent."""

from __future__ import annotations

from datetime import date

from pydantic import EmailStr, Field, field_validator, model_validator

from talentbridge.domain.base import Record, Stored
from talentbridge.domain.enums import Degree, EmploymentType, Gender, Region, SkillSource, TalentCategory, VisaType

__all__ = ["Education", "WorkExperience", "SkillClaim", "TalentData", "Talent"]

_PHONE_CHARS = set("0123456789+-() ")


class Education(Record):
    degree: Degree
    field: str | None = Field(None, max_length=200)
    institution: str | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=1950, le=2100, description="Year of graduation (expected, for students).")


class WorkExperience(Record):
    organization: str = Field(min_length=1, max_length=200)
    organization_id: int | None = None
    title: str | None = Field(None, max_length=200)
    start: date | None = None
    end: date | None = Field(None, description="Empty while current.")

    @model_validator(mode="after")
    def _ordered(self) -> WorkExperience:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end is before start")
        return self

    def years(self, today: date | None = None) -> float:
        if self.start is None:
            return 0.0
        end = self.end or today or date.today()
        return max(0.0, (end - self.start).days / 365.25)


class SkillClaim(Record):
    skill_id: str = Field(min_length=1, max_length=300, description="Taxonomy id (slug or ESCO URI).")
    level: int = Field(3, ge=1, le=5, description="1 beginner … 5 expert.")
    years: float | None = Field(None, ge=0, le=60)
    source: SkillSource = SkillSource.EXPLICIT
    confidence: float | None = Field(None, ge=0, le=1, description="For inferred skills: extraction confidence.")


class TalentData(Record):
    external_id: str | None = Field(None, max_length=100)
    name: str = Field(min_length=1, max_length=100, description="Name in Hangul and/or Latin letters.")
    name_latin: str | None = Field(None, max_length=100)
    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=30)
    gender: Gender | None = None
    birth_year: int | None = Field(None, ge=1930, le=2015)
    category: TalentCategory = TalentCategory.ENGINEER
    region: Region | None = None
    nationality: str = Field("KR", min_length=2, max_length=2, description="ISO 3166-1 alpha-2 country code.")
    visa_type: VisaType | None = Field(None, description="Stay status, for foreign nationals only.")
    visa_expires: date | None = None
    education: list[Education] = Field(default_factory=list)
    work_history: list[WorkExperience] = Field(default_factory=list)
    skills: list[SkillClaim] = Field(default_factory=list)
    resume_text: str | None = Field(None, max_length=100_000)
    desired_roles: list[str] = Field(default_factory=list)
    employment_types: list[EmploymentType] = Field(
        default_factory=lambda: [EmploymentType.FULL_TIME], description="Employment types the talent wants."
    )
    salary_expectation: int | None = Field(None, ge=0, le=1_000_000, description="Yearly, in 만원 (10,000 KRW).")
    available_from: date | None = None
    current_employer_id: int | None = Field(None, description="Organization id of the current employer.")
    consent_visible: bool = Field(False, description="Profile may be shown to organizations.")
    consent_statistics: bool = Field(False, description="Data may be used for anonymous statistics.")

    @field_validator("nationality")
    @classmethod
    def _upper(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("nationality is a two-letter country code such as KR, VN, IN")
        return value.upper()

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value and (not set(value) <= _PHONE_CHARS or sum(c.isdigit() for c in value) < 8):
            raise ValueError("phone has digits, spaces, +, - and parentheses, at least 8 digits")
        return value or None

    @model_validator(mode="after")
    def _visa_for_foreigners(self) -> TalentData:
        if self.nationality == "KR" and self.visa_type is not None:
            raise ValueError("visa_type applies to foreign nationals only (nationality is KR)")
        ids = [s.skill_id for s in self.skills]
        if len(ids) != len(set(ids)):
            raise ValueError("a skill is listed twice")
        return self

    @property
    def is_foreign(self) -> bool:
        return self.nationality != "KR"

    def years_of_experience(self, today: date | None = None) -> float:
        return sum(w.years(today) for w in self.work_history)


class Talent(TalentData, Stored):
    pass
