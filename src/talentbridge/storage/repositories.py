"""Repositories of the registry: organizations, talents, openings, programmes, rounds, placements and applications
over one session (``Repositories``).

Each is an ``entity_repository.EntityRepository`` (talents and openings a ``SkillMirrorRepository``, their skills
mirrored into tables indexed by skill), defined here by what sets the entity apart: its filters, sortable fields,
unique keys, references to other entities and text-searched columns.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from talentbridge.domain import (
    Application,
    ApplicationData,
    Opening,
    OpeningData,
    Organization,
    OrganizationData,
    Placement,
    PlacementData,
    Program,
    ProgramData,
    Round,
    RoundData,
    Talent,
    TalentData,
)
from talentbridge.storage.entity_repository import EntityRepository, Filter, SkillMirrorRepository, escape_like
from talentbridge.storage.tables import (
    ApplicationRow,
    OpeningRow,
    OpeningSkillRow,
    OrganizationRow,
    PlacementRow,
    ProgramRow,
    RoundRow,
    TalentRow,
    TalentSkillRow,
)

__all__ = ["Repositories"]


def _talent_skill_row(s: Any) -> dict[str, Any]:
    return {
        "skill_id": s.skill_id,
        "level": s.level,
        "years": s.years,
        "source": s.source.value,
        "confidence": s.confidence,
    }


def _opening_skill_row(s: Any) -> dict[str, Any]:
    return {
        "skill_id": s.skill_id,
        "min_level": s.min_level,
        "importance": s.importance.value,
        "source": s.source.value,
        "confidence": s.confidence,
    }


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise ValueError("expected true or false")


def _f(name: str, column: Any, cast: Callable[[str], Any] = str, op: str = "eq", description: str = "") -> Filter:
    return Filter(name=name, column=column, op=op, cast=cast, description=description)


class Repositories:
    """All registry repositories over one session."""

    def __init__(self, session: Session) -> None:
        """The repositories' definitions (filters, sortable columns, references) are built once per process
        (``_definitions``) and copied for each session: building them anew was a tenth of a millisecond of every
        request, a fair share of a warm recommendation list's."""
        self.session = session
        for name, definition in _definitions().items():
            repository = copy.copy(definition)
            repository.session = session
            setattr(self, name, repository)

    def _define(self, session: Session) -> None:
        self.organizations = EntityRepository(
            session,
            "organization",
            OrganizationRow,
            OrganizationData,
            Organization,
            filters={
                f.name: f
                for f in (
                    _f("kind", OrganizationRow.kind, description="ai_startup, manufacturer, ..."),
                    _f("region", OrganizationRow.region),
                    _f("industry", OrganizationRow.industry),
                    _f("size_band", OrganizationRow.size_band),
                    _f("group", OrganizationRow.group),
                    _f("parent_id", OrganizationRow.parent_id, int),
                    _f("venture_certified", OrganizationRow.venture_certified, _bool),
                    _f("external_id", OrganizationRow.external_id),
                    _f("id", OrganizationRow.id, int),
                )
            },
            sortable=("id", "name", "kind", "region", "founded", "created_at", "updated_at"),
            unique=("external_id", "business_number"),
            references={"parent_id": ("organization", OrganizationRow)},
            text_search=("name", "name_en"),
        )
        self.talents = SkillMirrorRepository(
            session,
            "talent",
            TalentRow,
            TalentData,
            Talent,
            filters={
                f.name: f
                for f in (
                    _f("region", TalentRow.region),
                    _f("category", TalentRow.category),
                    _f("nationality", TalentRow.nationality, lambda v: v.upper()),
                    _f("visa_type", TalentRow.visa_type),
                    _f("gender", TalentRow.gender),
                    _f("consent_visible", TalentRow.consent_visible, _bool),
                    _f("current_employer_id", TalentRow.current_employer_id, int),
                    _f("external_id", TalentRow.external_id),
                    _f("email", TalentRow.email),
                    _f("id", TalentRow.id, int),
                    Filter(
                        "visible_to_organization",
                        cast=int,
                        description="talent an organization may see: consented, or applied to its openings",
                        clause=lambda org: or_(
                            TalentRow.consent_visible.is_(True),
                            TalentRow.id.in_(
                                select(ApplicationRow.talent_id)
                                .join(OpeningRow, OpeningRow.id == ApplicationRow.opening_id)
                                .where(OpeningRow.organization_id == org)
                            ),
                        ),
                    ),
                    Filter(
                        "skill",
                        cast=str,
                        description="taxonomy id of a skill the talent has",
                        clause=lambda v: TalentRow.id.in_(
                            select(TalentSkillRow.talent_id).where(
                                TalentSkillRow.skill_id.in_(v if isinstance(v, list) else [v])
                            )
                        ),
                        count_alone=lambda v: select(func.count(distinct(TalentSkillRow.talent_id))).where(
                            TalentSkillRow.skill_id.in_(v if isinstance(v, list) else [v])
                        ),
                    ),
                )
            },
            sortable=(
                "id",
                "name",
                "region",
                "birth_year",
                "salary_expectation",
                "available_from",
                "created_at",
                "updated_at",
            ),
            unique=("external_id", "email"),
            references={"current_employer_id": ("organization", OrganizationRow)},
            text_search=("name", "name_latin"),
        )
        self.openings = SkillMirrorRepository(
            session,
            "opening",
            OpeningRow,
            OpeningData,
            Opening,
            filters={
                f.name: f
                for f in (
                    _f("organization_id", OpeningRow.organization_id, int),
                    _f("kind", OpeningRow.kind),
                    _f("region", OpeningRow.region),
                    _f("status", OpeningRow.status),
                    _f("remote", OpeningRow.remote, _bool),
                    _f("visa_sponsorship", OpeningRow.visa_sponsorship, _bool),
                    _f("deadline_after", OpeningRow.deadline, date.fromisoformat, "ge"),
                    _f("external_id", OpeningRow.external_id),
                    _f("id", OpeningRow.id, int),
                    # -- talent's opening search (web-orgtalent) --
                    Filter(
                        "organization_kind",
                        cast=str,
                        description="kind of the organization posting it (ai_startup, manufacturer, ...)",
                        clause=lambda v: OpeningRow.organization_id.in_(
                            select(OrganizationRow.id).where(
                                OrganizationRow.kind.in_(v if isinstance(v, list) else [v])
                            )
                        ),
                    ),
                    Filter(
                        "accepting_on",
                        cast=date.fromisoformat,
                        description="open on this day: no deadline, or a deadline on or after it",
                        clause=lambda d: or_(OpeningRow.deadline.is_(None), OpeningRow.deadline >= d),
                    ),
                    Filter(
                        "text",
                        cast=str,
                        description="words in the title or the description",
                        clause=lambda v: or_(
                            OpeningRow.title.ilike(f"%{escape_like(v)}%", escape="\\"),
                            OpeningRow.description.ilike(f"%{escape_like(v)}%", escape="\\"),
                        ),
                    ),
                    Filter(
                        "visible_to_organization",
                        cast=int,
                        description="openings an organization may see: every one but other organizations' drafts",
                        clause=lambda org: or_(OpeningRow.status != "draft", OpeningRow.organization_id == org),
                    ),
                    Filter(
                        "skill",
                        cast=str,
                        description="taxonomy id of a required skill",
                        clause=lambda v: OpeningRow.id.in_(
                            select(OpeningSkillRow.opening_id).where(
                                OpeningSkillRow.skill_id.in_(v if isinstance(v, list) else [v])
                            )
                        ),
                    ),
                )
            },
            sortable=("id", "title", "kind", "region", "deadline", "salary_max", "created_at", "updated_at"),
            unique=("external_id",),
            references={"organization_id": ("organization", OrganizationRow)},
            text_search=("title",),
        )
        self.talents.mirror = (TalentSkillRow, "talent_id", "skills", _talent_skill_row)
        self.openings.mirror = (OpeningSkillRow, "opening_id", "required_skills", _opening_skill_row)
        self.programs = EntityRepository(
            session,
            "program",
            ProgramRow,
            ProgramData,
            Program,
            filters={f.name: f for f in (_f("kind", ProgramRow.kind), _f("status", ProgramRow.status))},
            sortable=("id", "name", "start_date", "created_at"),
            unique=("external_id",),
            text_search=("name",),
        )
        self.rounds = EntityRepository(
            session,
            "round",
            RoundRow,
            RoundData,
            Round,
            filters={f.name: f for f in (_f("program_id", RoundRow.program_id, int), _f("status", RoundRow.status))},
            sortable=("id", "name", "preference_deadline", "created_at"),
            references={"program_id": ("program", ProgramRow)},
            text_search=("name",),
        )
        self.placements = EntityRepository(
            session,
            "placement",
            PlacementRow,
            PlacementData,
            Placement,
            filters={
                f.name: f
                for f in (
                    _f("talent_id", PlacementRow.talent_id, int),
                    _f("organization_id", PlacementRow.organization_id, int),
                    _f("round_id", PlacementRow.round_id, int),
                    _f("status", PlacementRow.status),
                    _f("kind", PlacementRow.kind),
                    _f("started_after", PlacementRow.start_date, date.fromisoformat, "ge"),
                    _f("started_before", PlacementRow.start_date, date.fromisoformat, "le"),
                )
            },
            sortable=("id", "start_date", "end_date", "created_at"),
            references={
                "talent_id": ("talent", TalentRow),
                "organization_id": ("organization", OrganizationRow),
                "opening_id": ("opening", OpeningRow),
                "round_id": ("round", RoundRow),
            },
        )
        self.applications = EntityRepository(
            session,
            "application",
            ApplicationRow,
            ApplicationData,
            Application,
            filters={
                f.name: f
                for f in (
                    _f("talent_id", ApplicationRow.talent_id, int),
                    _f("opening_id", ApplicationRow.opening_id, int),
                    _f("status", ApplicationRow.status),
                    Filter(
                        "organization_id",
                        cast=int,
                        description="applications to the openings of this organization",
                        clause=lambda org: ApplicationRow.opening_id.in_(
                            select(OpeningRow.id).where(OpeningRow.organization_id == org)
                        ),
                    ),
                )
            },
            sortable=("id", "status", "created_at", "updated_at"),
            references={"talent_id": ("talent", TalentRow), "opening_id": ("opening", OpeningRow)},
        )

    def by_entity(self, entity: str) -> EntityRepository[Any, Any]:
        return {
            "organizations": self.organizations,
            "talents": self.talents,
            "openings": self.openings,
            "programs": self.programs,
            "rounds": self.rounds,
            "placements": self.placements,
            "applications": self.applications,
        }[entity]


@functools.cache
def _definitions() -> dict[str, EntityRepository[Any, Any]]:
    """The registry repositories as ``Repositories._define`` builds them, without a session (each instance copies
    them and sets its own)."""
    defined = Repositories.__new__(Repositories)
    defined._define(None)  # type: ignore[arg-type]
    return {name: value for name, value in vars(defined).items() if isinstance(value, EntityRepository)}
