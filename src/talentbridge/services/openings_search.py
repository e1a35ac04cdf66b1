"""Every open opening for a talent to browse: filters (words, kind, region, remote, skill, organization kind),
sorting and pages; and why an opening has no recommended talent.

"Open" means status ``open`` and a deadline not passed (an opening without a deadline stays open).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.domain.enums import OpeningKind, OpeningStatus, OrganizationKind, Region
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.domain.opening import is_accepting
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.tables import OpeningSkillRow, TalentRow, TalentSkillRow

__all__ = ["OpeningQuery", "search_openings", "recommendation_blockers", "SORTS", "MAX_SIZE"]

#: sort name -> repository sort
SORTS = {"new": "-created_at", "deadline": "deadline", "salary": "-salary_max", "title": "title"}
MAX_SIZE = 100


@dataclass
class OpeningQuery:
    """What a talent asks for; every field optional. ``skills`` are taxonomy ids (any of them)."""

    text: str = ""
    kind: str = ""
    region: str = ""
    remote: bool = False
    skills: list[str] = field(default_factory=list)
    organization_kind: str = ""
    sort: str = "new"
    page: int = 1
    size: int = 20

    def problems(self) -> list[Problem]:
        out = []
        for name, enum in (("kind", OpeningKind), ("region", Region), ("organization_kind", OrganizationKind)):
            value = getattr(self, name)
            if value and value not in {m.value for m in enum}:
                out.append(Problem(("query", name), "choose one of the options", value, "enum"))
        if self.sort not in SORTS:
            out.append(Problem(("query", "sort"), f"sort is one of {', '.join(SORTS)}", self.sort, "enum"))
        if self.page < 1:
            out.append(Problem(("query", "page"), "a page number starts at 1", self.page))
        if not 1 <= self.size <= MAX_SIZE:
            out.append(Problem(("query", "size"), f"a page holds 1 to {MAX_SIZE} openings", self.size))
        if len(self.text) > 200:
            out.append(Problem(("query", "text"), "at most 200 characters", len(self.text), "too_long"))
        return out


def search_openings(session: Session, query: OpeningQuery, today: date) -> dict[str, Any]:
    """One page of open openings matching ``query``, with their organizations.

    Returns ``{"items": [{"opening", "organization"}], "total", "page", "pages", "size"}``.
    """
    problems = query.problems()
    if problems:
        raise ValidationFailed("invalid opening search", problems)
    repos = Repositories(session)
    filters: dict[str, Any] = {"status": OpeningStatus.OPEN.value, "accepting_on": today.isoformat()}
    if query.text.strip():
        filters["text"] = query.text.strip()
    for name in ("kind", "region", "organization_kind"):
        if getattr(query, name):
            filters[name] = getattr(query, name)
    if query.remote:
        filters["remote"] = "true"
    if query.skills:
        filters["skill"] = list(query.skills)
    page = repos.openings.list(filters, sort=SORTS[query.sort], page=query.page, size=query.size)
    orgs = repos.organizations.get_many({o.organization_id for o in page.items})
    return {
        "items": [{"opening": o, "organization": orgs.get(o.organization_id)} for o in page.items],
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "size": page.size,
    }


def recommendation_blockers(
    session: Session, opening: Any, today: date, constraints: dict[str, Any] | None = None
) -> list[str]:
    """Codes of why nobody is recommended for ``opening``, most basic first:

    ``not_open`` (closed, draft or past its deadline), ``no_skills`` (no required skill listed),
    ``no_consenting_talent`` (nobody agreed to be shown), ``no_skill_holders`` (no consenting talent holds any
    required skill), ``constraints`` (everyone eligible failed a hard requirement; see ``constraints``),
    ``index_behind`` (none of the above: the recommendation index has not caught up yet).
    """
    if not is_accepting(opening, today):
        return ["not_open"]
    out = []
    if not opening.required_skills:
        out.append("no_skills")
    consenting = session.scalar(select(func.count()).select_from(TalentRow).where(TalentRow.consent_visible.is_(True)))
    if not consenting:
        return [*out, "no_consenting_talent"]
    if opening.required_skills:
        holders = session.scalar(
            select(func.count(func.distinct(TalentSkillRow.talent_id)))
            .join(TalentRow, TalentRow.id == TalentSkillRow.talent_id)
            .where(
                TalentRow.consent_visible.is_(True),
                TalentSkillRow.skill_id.in_(
                    select(OpeningSkillRow.skill_id).where(OpeningSkillRow.opening_id == opening.id)
                ),
            )
        )
        if not holders:
            out.append("no_skill_holders")
    if constraints and constraints.get("eligible") == 0 and constraints.get("considered"):
        out.append("constraints")
    return out or ["index_behind"]


def fit_for_talent(settings: Any, session: Session, talent_id: int, opening: Any) -> dict[str, Any] | None:
    """A talent's fit score for one opening with its explanation, and the hard requirements it fails
    (``failing``: constraint codes; ``labels``: their Korean/English names). The score is the one the
    recommendations show; for a failed requirement it is computed all the same, so the talent sees the criteria.
    None when the talent cannot be scored (no taxonomy)."""
    from talentbridge.domain.errors import TalentBridgeError
    from talentbridge.matching import explain_fit, fit_score
    from talentbridge.matching.constraints import failing
    from talentbridge.matching.explain import CONSTRAINT_LABELS
    from talentbridge.services.recommend import RecommendService

    service = RecommendService(settings, session)
    try:
        result = service.openings_for_talent(talent_id, 1, openings=[opening])
    except TalentBridgeError:
        return None
    if result["items"]:
        item = result["items"][0]
        return {"score": item["score"], "explanation": item.get("explanation") or {}, "failing": [], "labels": {}}
    talent = Repositories(session).talents.get(talent_id)
    fails = failing(talent, service.context(opening), check_consent=False)
    scored = fit_score(talent, opening, service.graph, service.weights(opening), today=service.today)
    labels = {k: {"en": CONSTRAINT_LABELS[k][0], "ko": CONSTRAINT_LABELS[k][1]} for k in fails}
    return {
        "score": round(scored.score, 2),
        "explanation": explain_fit(scored, service.graph),
        "failing": fails,
        "labels": labels,
    }
