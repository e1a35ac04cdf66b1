"""Operator search: talent by name, skill and résumé text ("비전" finds vision engineers through the skill
"컴퓨터 비전" and through résumés that mention it), openings by title, description and required skills,
organizations by name. Each hit says why it was found.

Text matching is a case-insensitive substring match (LIKE); skills come from the taxonomy's labels in every
language (services.taxonomy), so a Korean query finds talent whose skills were entered in English and back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentbridge.storage.tables import OpeningRow, OpeningSkillRow, OrganizationRow, TalentRow, TalentSkillRow

__all__ = ["MAX_DOWNLOAD", "SearchHits", "matching_ids", "search"]

MAX_SKILLS = 40


@dataclass
class SearchHits:
    query: str
    skills: list[tuple[str, str, str]] = field(default_factory=list)  # (id, label_en, label_ko) that matched
    talents: list[dict[str, Any]] = field(default_factory=list)  # {"id", "why": [...]} in rank order
    talent_total: int = 0
    openings: list[dict[str, Any]] = field(default_factory=list)
    opening_total: int = 0
    organizations: list[dict[str, Any]] = field(default_factory=list)
    organization_total: int = 0


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matching_skills(session: Session, q: str) -> list[tuple[str, str, str]]:
    try:
        from talentbridge.storage.taxonomy_repository import TaxonomyRepository
    except ImportError:  # pragma: no cover - the taxonomy is part of every build
        return []
    page = TaxonomyRepository(session).search_skills(q, size=MAX_SKILLS)
    return [(s.id, s.label_en, getattr(s, "label_ko", "") or "") for s in page.items]


@dataclass
class _Clauses:
    """What "matches ``q``" means for each kind (shared by the page's hits and the download of all of them)."""

    skills: list[tuple[str, str, str]]
    by_name: Any
    by_resume: Any
    talent: Any
    by_title: Any
    by_description: Any
    opening: Any
    organization: Any


def _clauses(session: Session, text: str) -> _Clauses:
    pattern = _like(text)
    skills = _matching_skills(session, text)
    skill_ids = [s[0] for s in skills]
    by_name = or_(TalentRow.name.ilike(pattern, escape="\\"), TalentRow.name_latin.ilike(pattern, escape="\\"))
    by_resume = TalentRow.resume_text.ilike(pattern, escape="\\")
    by_skill = (
        [TalentRow.id.in_(select(TalentSkillRow.talent_id).where(TalentSkillRow.skill_id.in_(skill_ids)))]
        if skill_ids
        else []
    )
    by_title = OpeningRow.title.ilike(pattern, escape="\\")
    by_description = OpeningRow.description.ilike(pattern, escape="\\")
    by_required = (
        [OpeningRow.id.in_(select(OpeningSkillRow.opening_id).where(OpeningSkillRow.skill_id.in_(skill_ids)))]
        if skill_ids
        else []
    )
    return _Clauses(
        skills=skills,
        by_name=by_name,
        by_resume=by_resume,
        talent=or_(by_name, by_resume, *by_skill),
        by_title=by_title,
        by_description=by_description,
        opening=or_(by_title, by_description, *by_required),
        organization=or_(
            OrganizationRow.name.ilike(pattern, escape="\\"), OrganizationRow.name_en.ilike(pattern, escape="\\")
        ),
    )


#: The most records one "download the search results" holds.
MAX_DOWNLOAD = 10_000


def matching_ids(session: Session, q: str, entity: str, limit: int = MAX_DOWNLOAD) -> list[int]:
    """Ids of every ``entity`` (talents, openings, organizations) the search for ``q`` finds, up to ``limit``."""
    text = q.strip()
    if not text:
        return []
    clauses = _clauses(session, text)
    row, clause = {
        "talents": (TalentRow, clauses.talent),
        "openings": (OpeningRow, clauses.opening),
        "organizations": (OrganizationRow, clauses.organization),
    }[entity]
    return list(session.scalars(select(row.id).where(clause).order_by(row.id).limit(limit)))


def search(session: Session, q: str, *, size: int = 20) -> SearchHits:
    """Up to ``size`` hits of each kind for ``q``, with totals and the reasons (name, skill, résumé, title,
    description) each was found."""
    text = q.strip()
    hits = SearchHits(query=text)
    if not text:
        return hits
    clauses = _clauses(session, text)
    hits.skills = clauses.skills
    skill_ids = [s[0] for s in hits.skills]

    # -- talent --------------------------------------------------------------------------------------------
    by_name, by_resume, talent_match = clauses.by_name, clauses.by_resume, clauses.talent
    hits.talent_total = int(session.scalar(select(func.count()).select_from(TalentRow).where(talent_match)) or 0)
    rows = session.execute(
        select(TalentRow.id, by_name.label("in_name"), by_resume.label("in_resume"))
        .where(talent_match)
        .order_by(by_name.desc(), TalentRow.id)
        .limit(size)
    ).all()
    ids = [r.id for r in rows]
    skills_of: dict[int, list[str]] = {}
    if skill_ids and ids:
        for talent_id, skill_id in session.execute(
            select(TalentSkillRow.talent_id, TalentSkillRow.skill_id).where(
                TalentSkillRow.talent_id.in_(ids), TalentSkillRow.skill_id.in_(skill_ids)
            )
        ):
            skills_of.setdefault(talent_id, []).append(skill_id)
    for r in rows:
        why: list[dict[str, str]] = []
        if r.in_name:
            why.append({"kind": "name"})
        for sid in skills_of.get(r.id, [])[:3]:
            why.append({"kind": "skill", "skill_id": sid})
        if r.in_resume:
            why.append({"kind": "resume"})
        hits.talents.append({"id": r.id, "why": why})

    # -- openings ------------------------------------------------------------------------------------------
    by_title, by_description, opening_match = clauses.by_title, clauses.by_description, clauses.opening
    hits.opening_total = int(session.scalar(select(func.count()).select_from(OpeningRow).where(opening_match)) or 0)
    for r in session.execute(
        select(OpeningRow.id, by_title.label("in_title"), by_description.label("in_description"))
        .where(opening_match)
        .order_by(by_title.desc(), OpeningRow.id)
        .limit(size)
    ):
        why = [{"kind": k} for k, on in (("title", r.in_title), ("description", r.in_description)) if on]
        if not why:
            why.append({"kind": "required_skill"})
        hits.openings.append({"id": r.id, "why": why})

    # -- organizations -------------------------------------------------------------------------------------
    org_match = clauses.organization
    hits.organization_total = int(
        session.scalar(select(func.count()).select_from(OrganizationRow).where(org_match)) or 0
    )
    hits.organizations = [
        {"id": oid, "why": [{"kind": "name"}]}
        for oid in session.scalars(select(OrganizationRow.id).where(org_match).order_by(OrganizationRow.id).limit(size))
    ]
    return hits
