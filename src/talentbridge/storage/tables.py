"""SQLAlchemy tables of the registry: organizations, talents, openings, programs, rounds, placements, applications.

Scalar fields that lists filter or sort on are columns; nested lists (education, work history, skills) are JSON,
with skills also mirrored into ``talent_skills`` / ``opening_skills`` so queries by skill use an index.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = [
    "OrganizationRow",
    "TalentRow",
    "TalentSkillRow",
    "OpeningRow",
    "OpeningSkillRow",
    "ProgramRow",
    "RoundRow",
    "PlacementRow",
    "ApplicationRow",
]


class _Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class OrganizationRow(_Timestamps, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    business_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    region: Mapped[str | None] = mapped_column(String(20), index=True)
    size_band: Mapped[str | None] = mapped_column(String(10))
    industry: Mapped[str | None] = mapped_column(String(1), index=True)
    founded: Mapped[date | None] = mapped_column(Date)
    venture_certified: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    group: Mapped[str | None] = mapped_column("group_name", String(100), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)


class TalentRow(_Timestamps, Base):
    __tablename__ = "talents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    name_latin: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    gender: Mapped[str | None] = mapped_column(String(20))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(20), index=True)
    region: Mapped[str | None] = mapped_column(String(20), index=True)
    nationality: Mapped[str] = mapped_column(String(2), index=True)
    visa_type: Mapped[str | None] = mapped_column(String(10))
    visa_expires: Mapped[date | None] = mapped_column(Date)
    education: Mapped[list] = mapped_column(JSONType, default=list)
    work_history: Mapped[list] = mapped_column(JSONType, default=list)
    skills: Mapped[list] = mapped_column(JSONType, default=list)
    resume_text: Mapped[str | None] = mapped_column(Text)
    desired_roles: Mapped[list] = mapped_column(JSONType, default=list)
    employment_types: Mapped[list] = mapped_column(JSONType, default=list)
    salary_expectation: Mapped[int | None] = mapped_column(Integer)
    available_from: Mapped[date | None] = mapped_column(Date)
    current_employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    consent_visible: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    consent_statistics: Mapped[bool] = mapped_column(Boolean, default=False)

    # Filtered pages in id order (the default sort) without scanning the whole table.
    __table_args__ = (Index("ix_talents_region_id", "region", "id"),)


class TalentSkillRow(Base):
    __tablename__ = "talent_skills"

    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    years: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float | None] = mapped_column(Float)

    # Covering index: "talents with skill X" is answered from the index alone.
    __table_args__ = (Index("ix_talent_skills_skill_talent", "skill_id", "talent_id"),)


class OpeningRow(_Timestamps, Base):
    __tablename__ = "openings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    required_skills: Mapped[list] = mapped_column(JSONType, default=list)
    occupation_id: Mapped[str | None] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(20), index=True)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    min_years_experience: Mapped[float | None] = mapped_column(Float)
    min_degree: Mapped[str | None] = mapped_column(String(20))
    duration_months: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    seats: Mapped[int] = mapped_column(Integer, default=1)
    visa_sponsorship: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    contract_type: Mapped[str | None] = mapped_column(String(12))  # migration 0005_opening_details

    __table_args__ = (Index("ix_openings_status_kind_id", "status", "kind", "id"),)


class OpeningSkillRow(Base):
    __tablename__ = "opening_skills"

    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)
    min_level: Mapped[int] = mapped_column(Integer)
    importance: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float | None] = mapped_column(Float)


class ProgramRow(_Timestamps, Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), index=True)
    settings: Mapped[dict] = mapped_column(JSONType, default=dict)


class RoundRow(_Timestamps, Base):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), index=True)
    mechanism: Mapped[str] = mapped_column(String(20))
    proposing: Mapped[str] = mapped_column(String(12))
    preference_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    regional_caps: Mapped[dict] = mapped_column(JSONType, default=dict)
    settings: Mapped[dict] = mapped_column(JSONType, default=dict)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(200))


class PlacementRow(_Timestamps, Base):
    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="RESTRICT"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    opening_id: Mapped[int | None] = mapped_column(ForeignKey("openings.id", ondelete="SET NULL"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), index=True)
    end_reason: Mapped[str | None] = mapped_column(String(500))


class ApplicationRow(_Timestamps, Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("talent_id", "opening_id", name="uq_applications_talent_opening"),)
