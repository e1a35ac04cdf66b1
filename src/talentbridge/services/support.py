"""Support screening where people are: the facts of a concrete hire (organization, person, opening, placement)
taken from the registry, screened against the rule files in force; bulk screening of a round's placements and
the claims and milestones due.

Facts derived from records say where they came from (``fact_sources``); anything a record cannot tell stays
unknown, and the caller may add or correct facts (``overrides``) before screening.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import lru_cache
from typing import Any

from talentbridge.domain.enums import CAPITAL_AREA, DEGREE_RANK, Degree, Region
from talentbridge.domain.errors import ValidationFailed
from talentbridge.storage.repositories import Repositories
from talentbridge.support import RuleBook, load_rules, normalize_facts, screen
from talentbridge.support.offers import compare_offers

__all__ = [
    "rule_book",
    "HIRE_KINDS",
    "VISA_KINDS",
    "facts_for_hire",
    "screen_facts",
    "facts_for_person",
    "facts_used",
    "hires_of_organization",
    "screen_hire",
    "screen_registered_hire",
    "screen_round",
    "milestones_due",
    "milestones_csv",
    "compare",
    "rules_listing",
]

HIRE_KINDS = ("subsidy", "grant", "secondment", "education")
VISA_KINDS = ("visa",)
TAX_KINDS = ("tax", "corporate")
_SME_BANDS = {"1-9", "10-49", "50-299"}
_BAND_FLOOR = {"10-49": 10, "50-299": 50, "300-999": 300, "1000+": 1000}


@lru_cache(maxsize=1)
def rule_book() -> RuleBook:
    """The shipped rule files, loaded and validated once per process."""
    return load_rules()


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _organization_facts(org: Any, as_of: date, facts: dict[str, Any], sources: dict[str, str]) -> None:
    facts["organization.kind"] = org.kind.value
    sources["organization.kind"] = "registry"
    if org.region is not None:
        region = Region(org.region)
        facts["organization.region"] = region.value
        facts["organization.capital_region"] = region in CAPITAL_AREA
        sources["organization.region"] = sources["organization.capital_region"] = "registry: region"
    band = org.size_band.value if org.size_band is not None else None
    if org.kind.value == "large_enterprise":
        facts["organization.is_sme"] = False
        sources["organization.is_sme"] = "registry: kind = large_enterprise"
    elif org.kind.value in ("university", "research_institute", "public_agency"):
        facts["organization.is_sme"] = False
        sources["organization.is_sme"] = f"registry: kind = {org.kind.value}"
    elif band is not None:
        facts["organization.is_sme"] = band in _SME_BANDS
        sources["organization.is_sme"] = f"estimated from headcount {band} (confirm: SME status also depends on sales)"
        if band == "300-999":
            facts["organization.is_midsize"] = True
            sources["organization.is_midsize"] = f"estimated from headcount {band}"
    if band in _BAND_FLOOR:
        facts["organization.employees"] = _BAND_FLOOR[band]
        sources["organization.employees"] = f"lower end of the headcount band {band}"
    facts["organization.venture_certified"] = bool(org.venture_certified)
    sources["organization.venture_certified"] = "registry"
    if org.industry:
        facts["organization.industry"] = org.industry
        sources["organization.industry"] = "registry"
        if org.industry == "C":
            facts["organization.vacancy_industry"] = True
            sources["organization.vacancy_industry"] = "registry: manufacturing (KSIC C) is a vacancy industry"
    if org.founded is not None:
        facts["organization.years_since_founding"] = round((as_of - org.founded).days / 365.25, 2)
        sources["organization.years_since_founding"] = "registry: founded"
    facts["organization.korean_corporation"] = bool(org.business_number)
    sources["organization.korean_corporation"] = "registry: has a business registration number"


def _person_facts(talent: Any, as_of: date, facts: dict[str, Any], sources: dict[str, str]) -> None:
    if talent.birth_year is not None:
        facts["person.age"] = as_of.year - talent.birth_year - 1
        sources["person.age"] = (
            f"birth year {talent.birth_year}: {as_of.year - talent.birth_year - 1} or "
            f"{as_of.year - talent.birth_year} on {as_of.isoformat()}; the lower is used — correct it if needed"
        )
    facts["person.nationality"] = talent.nationality
    facts["person.foreign"] = talent.nationality != "KR"
    sources["person.nationality"] = sources["person.foreign"] = "registry: nationality"
    degrees = [e for e in talent.education if e.degree is not None]
    if degrees:
        best = max(degrees, key=lambda e: DEGREE_RANK[Degree(e.degree)])
        facts["person.degree"] = Degree(best.degree).value
        sources["person.degree"] = "registry: education"
        if best.year is not None:
            facts["person.years_since_degree"] = max(as_of.year - best.year, 0)
            sources["person.years_since_degree"] = f"registry: graduated {best.year}"
    if talent.work_history:
        facts["person.years_experience"] = round(talent.years_of_experience(as_of), 2)
        sources["person.years_experience"] = "registry: work history"


def facts_for_hire(
    repos: Repositories,
    *,
    talent_id: int | None,
    opening_id: int | None = None,
    placement_id: int | None = None,
    as_of: date,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Facts of a hire from the registry, with where each came from. Without a talent (a hire still to be
    made), the person's facts are left for the caller to enter."""
    facts: dict[str, Any] = {}
    sources: dict[str, str] = {}
    talent = repos.talents.get(talent_id) if talent_id is not None else None
    placement = repos.placements.get(placement_id) if placement_id is not None else None
    if placement is not None and placement.talent_id != talent_id:
        raise ValidationFailed("the placement is of another talent")
    if placement is not None and opening_id is None:
        opening_id = placement.opening_id
    opening = repos.openings.get(opening_id) if opening_id is not None else None
    org_id = placement.organization_id if placement is not None else opening.organization_id if opening else None
    if org_id is not None:
        _organization_facts(repos.organizations.get(org_id), as_of, facts, sources)
    if talent is not None:
        _person_facts(talent, as_of, facts, sources)
    if (
        talent is not None
        and talent.current_employer_id is not None
        and org_id is not None
        and talent.current_employer_id == org_id
    ):
        facts["person.officer_or_employee"] = True
        sources["person.officer_or_employee"] = "registry: current employer"
    if opening is not None and opening.salary_min is not None:
        facts["offer.annual_salary"] = opening.salary_min * 10_000
        sources["offer.annual_salary"] = "the opening's lowest salary (만원 × 10,000); enter the real offer"
    if placement is not None:
        facts["placement.start_date"] = placement.start_date
        end = min(placement.end_date or as_of, as_of)
        facts["placement.months_employed"] = _months_between(placement.start_date, end)
        sources["placement.start_date"] = sources["placement.months_employed"] = "registry: placement"
        facts["offer.full_time"] = placement.kind.value == "full_time"
        sources["offer.full_time"] = "registry: placement kind"
    return facts, sources


def facts_for_person(repos: Repositories, talent_id: int, as_of: date) -> tuple[dict[str, Any], dict[str, str]]:
    """A talent's own facts (for visa screening before there is a concrete hire)."""
    facts: dict[str, Any] = {}
    sources: dict[str, str] = {}
    _person_facts(repos.talents.get(talent_id), as_of, facts, sources)
    return facts, sources


def facts_used(kinds: tuple[str, ...]) -> list[str]:
    """The fact names the schemes of ``kinds`` ask about, in the order of ``FACTS``."""
    from talentbridge.support import FACTS

    used: set[str] = set()
    for scheme in rule_book().all():
        if scheme.kind not in kinds:
            continue
        for c in scheme.conditions:
            used.update(p.fact for p in c.predicates())
            if c.when is not None:
                used.add(c.when.fact)
        if scheme.points is not None:
            used.update(i.fact for i in scheme.points.items)
        if scheme.benefit is not None and scheme.benefit.amount_by_fact:
            used.add(scheme.benefit.amount_by_fact)
        if scheme.benefit is not None and scheme.benefit.share_of_salary is not None:
            used.add("offer.annual_salary")
    return [name for name in FACTS if name in used]


def hires_of_organization(
    repos: Repositories, organization_id: int, limit: int = 200
) -> dict[str, list[dict[str, Any]]]:
    """The hires an organization can screen: its placements and the applications to its openings."""
    placements = []
    for p in repos.placements.list(filters={"organization_id": organization_id}, sort="-start_date", size=limit).items:
        talent = repos.talents.get(p.talent_id)
        opening = repos.openings.get(p.opening_id) if p.opening_id else None
        placements.append(
            {
                "id": p.id,
                "talent_id": p.talent_id,
                "talent_name": talent.name,
                "opening_title": opening.title if opening else "",
                "start_date": p.start_date.isoformat(),
                "status": p.status.value,
            }
        )
    openings = [
        {"id": o.id, "title": o.title, "status": o.status.value}
        for o in repos.openings.list(filters={"organization_id": organization_id}, sort="-id", size=limit).items
    ]
    applications = []
    page = repos.applications.list(filters={"organization_id": organization_id}, sort="-updated_at", size=limit)
    for a in page.items:
        talent = repos.talents.get(a.talent_id)
        opening = repos.openings.get(a.opening_id)
        applications.append(
            {
                "id": a.id,
                "talent_id": a.talent_id,
                "talent_name": talent.name,
                "opening_id": a.opening_id,
                "opening_title": opening.title,
                "status": a.status.value,
            }
        )
    return {"placements": placements, "applications": applications, "openings": openings}


def screen_facts(facts: dict[str, Any], as_of: date, kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Screen plain facts (validated; every bad fact listed) against every scheme version in force."""
    clean = normalize_facts(facts)
    return [r.as_dict() for r in screen(rule_book(), clean, as_of, kinds=kinds)]


def screen_hire(
    repos: Repositories,
    *,
    talent_id: int | None,
    opening_id: int | None = None,
    placement_id: int | None = None,
    overrides: dict[str, Any] | None = None,
    as_of: date,
    kinds: tuple[str, ...] | None = HIRE_KINDS,
) -> dict[str, Any]:
    """The schemes a concrete hire may claim: facts from the registry plus ``overrides`` (which win)."""
    facts, sources = facts_for_hire(
        repos, talent_id=talent_id, opening_id=opening_id, placement_id=placement_id, as_of=as_of
    )
    extra = normalize_facts(overrides or {})
    for key in extra:
        sources[key] = "entered"
    facts.update(extra)
    clean = normalize_facts(facts)
    results = [r.as_dict() for r in screen(rule_book(), clean, as_of, kinds=kinds)]
    return {
        "as_of": as_of.isoformat(),
        "facts": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in clean.items()},
        "fact_sources": sources,
        "results": results,
        "estimated_total": _total(results),
    }


def screen_registered_hire(database: Any, **kwargs: Any) -> dict[str, Any]:
    """``screen_hire`` in a read-only transaction of ``database`` (for the CLI and jobs)."""
    with database.session() as session:
        return screen_hire(Repositories(session), **kwargs)


def _total(results: list[dict[str, Any]]) -> dict[str, int]:
    low = sum(r["amount_min"] or 0 for r in results if r["status"] == "eligible")
    high = sum(
        (r["amount_max"] or 0) for r in results if r["status"] in ("eligible", "undetermined") and r["amount_max"]
    )
    return {"eligible": low, "up_to_if_confirmed": high}


def screen_round(repos: Repositories, round_id: int, as_of: date) -> list[dict[str, Any]]:
    """Bulk screening of a round's placements: each placement with its eligible and undetermined schemes."""
    rows = []
    for placement in repos.placements.iter_all(filters={"round_id": round_id}):
        screened = screen_hire(repos, talent_id=placement.talent_id, placement_id=placement.id, as_of=as_of)
        talent = repos.talents.get(placement.talent_id)
        org = repos.organizations.get(placement.organization_id)
        rows.append(
            {
                "placement_id": placement.id,
                "talent_id": talent.id,
                "talent_name": talent.name,
                "organization_id": org.id,
                "organization_name": org.name,
                "start_date": placement.start_date.isoformat(),
                "status": placement.status.value,
                "eligible": [r for r in screened["results"] if r["status"] == "eligible"],
                "undetermined": [r for r in screened["results"] if r["status"] == "undetermined"],
                "estimated_total": screened["estimated_total"],
            }
        )
    return rows


def milestones_due(
    repos: Repositories,
    *,
    as_of: date,
    within_days: int = 90,
    round_id: int | None = None,
    organization_id: int | None = None,
) -> list[dict[str, Any]]:
    """Claims and payment milestones of eligible (or undetermined) schemes for placements, due from ``as_of``
    up to ``within_days`` later (overdue ones of the last 30 days included), soonest first."""
    filters: dict[str, Any] = {}
    if round_id is not None:
        filters["round_id"] = round_id
    if organization_id is not None:
        filters["organization_id"] = organization_id
    out = []
    for placement in repos.placements.iter_all(filters=filters):
        if placement.status.value == "ended_early":
            continue
        screened = screen_hire(repos, talent_id=placement.talent_id, placement_id=placement.id, as_of=as_of)
        talent_name = repos.talents.get(placement.talent_id).name
        org_name = repos.organizations.get(placement.organization_id).name
        for result in screened["results"]:
            if result["status"] not in ("eligible", "undetermined"):
                continue
            for m in result["milestones"]:
                due = date.fromisoformat(m["due"]) if m["due"] else None
                if due is None or not (-30 <= (due - as_of).days <= within_days):
                    continue
                out.append(
                    {
                        "due": due.isoformat(),
                        "overdue": due < as_of,
                        "placement_id": placement.id,
                        "talent_name": talent_name,
                        "organization_name": org_name,
                        "scheme": result["id"],
                        "version": result["version"],
                        "scheme_ko": result["name_ko"],
                        "scheme_en": result["name_en"],
                        "eligibility": result["status"],
                        "milestone_ko": m["ko"],
                        "milestone_en": m["en"],
                        "amount": m["amount"],
                        "to": result["amount_to"],
                    }
                )
    out.sort(key=lambda r: (r["due"], r["placement_id"], r["scheme"]))
    return out


def _cell(value: Any) -> Any:
    """OWASP CSV-injection rule: a text cell starting with = + - @ tab or CR is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def milestones_csv(rows: list[dict[str, Any]], lang: str = "ko") -> str:
    columns = [
        "due",
        "overdue",
        "placement_id",
        "talent_name",
        "organization_name",
        "scheme",
        "version",
        f"scheme_{lang}",
        "eligibility",
        f"milestone_{lang}",
        "amount",
        "to",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return buffer.getvalue()


def compare(data: dict[str, Any]) -> dict[str, Any]:
    """Offer comparison under the stock-option rules in force (see ``support.offers``)."""
    return compare_offers(data, rule_book())


def rules_listing() -> list[dict[str, Any]]:
    """Every scheme version with its dates, sources and verified flag (newest first within a scheme)."""
    out = []
    for scheme in rule_book().all():
        out.append(
            {
                "id": scheme.id,
                "version": scheme.version,
                "kind": scheme.kind,
                "name_ko": scheme.name_ko,
                "name_en": scheme.name_en,
                "agency": scheme.agency,
                "legal_basis": scheme.legal_basis,
                "effective_from": scheme.effective_from.isoformat(),
                "effective_to": scheme.effective_to.isoformat() if scheme.effective_to else None,
                "verified": scheme.verified and all(c.verified for c in scheme.conditions),
                "sources": [s.model_dump() for s in scheme.sources],
                "conflicts": list(scheme.conflicts),
                "notes": list(scheme.notes),
            }
        )
    return out
