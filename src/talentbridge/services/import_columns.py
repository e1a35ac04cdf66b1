"""The columns of each importable entity (``SPECS``): name, kind (which cell reader parses it), the domain field it
fills, whether it is required, and its help text — documented in ``docs/import-export.md`` and shared by imports
and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from talentbridge.domain import OpeningData, OrganizationData, TalentData

__all__ = ["ENTITIES", "EXPORT_ONLY", "SPECS", "Column", "EntitySpec"]

ENTITIES = ("organizations", "talents", "openings")

#: Columns an export writes that an import ignores (the database makes them).
EXPORT_ONLY = ("id", "created_at", "updated_at")


@dataclass(frozen=True)
class Column:
    """One column of an import file: its name, how a cell is read, and the record field it fills.

    ``kind``: str, int, money (만원, read by ``domain/money.py``), float, bool, date, enum, region, visa, list,
    skills, required_skills, education, work_history. ``ref``: for ``*_external_id`` columns, the entity whose external id it names; the id found
    goes to ``field``.
    """

    name: str
    kind: str
    field: str
    required: bool = False
    ref: str | None = None
    help: str = ""


@dataclass(frozen=True)
class EntitySpec:
    entity: str
    record: type[BaseModel]
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # record fields that must be unique across the table besides external_id

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @cached_property
    def column_of_field(self) -> dict[str, str]:
        return {c.field: c.name for c in self.columns}


def _c(name: str, kind: str = "str", field: str | None = None, **kw: Any) -> Column:
    return Column(name, kind, field or name, **kw)


SPECS: dict[str, EntitySpec] = {
    "organizations": EntitySpec(
        "organizations",
        OrganizationData,
        (
            _c("external_id", required=True, help="Your id for the organization; re-imports update by it."),
            _c("name", required=True, help="Name as used in Korea."),
            _c("name_en", help="English name."),
            _c(
                "kind",
                "enum",
                required=True,
                help="ai_startup, manufacturer, large_enterprise, university, research_institute, public_agency",
            ),
            _c("business_number", help="사업자등록번호, 10 digits with a valid check digit (123-45-67890)."),
            _c("region", "region", help="seoul, gyeonggi, ... (or 서울, 경기도, Seoul)."),
            _c("size_band", help="1-9, 10-49, 50-299, 300-999, 1000+"),
            _c("industry", help="KSIC section letter A-U (C manufacturing, J ICT)."),
            _c("founded", "date", help="YYYY-MM-DD"),
            _c("venture_certified", "bool", help="true/false (벤처기업 확인)."),
            _c(
                "parent_external_id",
                "str",
                "parent_id",
                ref="organizations",
                help="external_id of the parent company (in the database or in the same file).",
            ),
            _c("group", help="Business group (기업집단)."),
            _c("website"),
            _c("description"),
        ),  # fmt: skip
        unique=("business_number",),
    ),
    "talents": EntitySpec(
        "talents",
        TalentData,
        (
            _c("external_id", required=True, help="Your id for the person; re-imports update by it."),
            _c("name", required=True, help="Name in Hangul and/or Latin letters."),
            _c("name_latin", help="Name in Latin letters."),
            _c("email"),
            _c("phone", help="Digits, spaces, + - ( ); at least 8 digits."),
            _c("gender", "enum", help="female, male, other, undisclosed"),
            _c("birth_year", "int"),
            _c(
                "category",
                "enum",
                help="engineer, researcher, student, employee, overseas (default engineer)",
            ),
            _c("region", "region", help="Where the person lives."),
            _c("nationality", help="ISO country code, default KR."),
            _c("visa_type", "visa", help="D-2, D-10, E-7, F-2, F-5 ... (foreign nationals only)."),
            _c("visa_expires", "date"),
            _c("education", "education", help="degree|field|institution|year;... or JSON."),
            _c("work_history", "work_history", help="organization|title|start|end;... or JSON."),
            _c("skills", "skills", help="skill_id:level[:years];... e.g. pytorch:4:3;python:5, or JSON."),
            _c("resume_text"),
            _c("desired_roles", "list", help="Occupation ids or titles, separated by ;"),
            _c(
                "employment_types",
                "enum_list",
                help="full_time;secondment;pbl;internship;joint_rnd (default full_time).",
            ),
            _c("salary_expectation", "money", help="Yearly, in 만원."),
            _c("available_from", "date"),
            _c(
                "current_employer_external_id",
                "str",
                "current_employer_id",
                ref="organizations",
                help="external_id of the current employer (must already be in the database).",
            ),
            _c("consent_visible", "bool"),
            _c("consent_statistics", "bool"),
        ),  # fmt: skip
        unique=("email",),
    ),
    "openings": EntitySpec(
        "openings",
        OpeningData,
        (
            _c("external_id", required=True, help="Your id for the opening; re-imports update by it."),
            _c(
                "organization_external_id",
                "str",
                "organization_id",
                required=True,
                ref="organizations",
                help="external_id of the organization offering it (must already be in the database).",
            ),
            _c("kind", "enum", required=True, help="job, secondment_slot, pbl_project, internship, joint_rnd"),
            _c("title", required=True),
            _c("description"),
            _c(
                "required_skills",
                "required_skills",
                help="skill_id:min_level[:importance];... e.g. pytorch:3:must;python:4:should, or JSON.",
            ),
            _c("occupation_id"),
            _c("region", "region", help="Place of work; may be empty only when remote is true."),
            _c("remote", "bool"),
            _c("salary_min", "money", help="Yearly, in 만원: 7,500 / 7500만원 / 칠천오백만원 / 75,000,000원."),
            _c("salary_max", "money", help="Yearly, in 만원 (read like salary_min)."),
            _c("min_years_experience", "float"),
            _c("min_degree", "enum", help="high_school, associate, bachelor, master, doctorate"),
            _c("duration_months", "int"),
            _c("start_date", "date"),
            _c("seats", "int", help="Default 1."),
            _c("visa_sponsorship", "bool"),
            _c("deadline", "date"),
            _c("status", "enum", help="draft, open, closed, filled (default draft)."),
            _c("contract_type", "enum", help="permanent, contract, part_time, freelance (고용 형태)."),
        ),  # fmt: skip
    ),
}
