"""Status analytics for operators: talent supply against demand by skill family and region, openings by
organization kind, placements over time.

Supply counts only talent who consented to statistical use (``consent_statistics``); demand counts the seats of
open openings. A talent with several skills of one family counts once for that family.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.storage.tables import (
    OpeningRow,
    OpeningSkillRow,
    OrganizationRow,
    PlacementRow,
    TalentRow,
    TalentSkillRow,
)

__all__ = ["Dashboard", "dashboard"]


@dataclass
class Dashboard:
    families: list[str] = field(default_factory=list)
    supply_by_family: dict[str, int] = field(default_factory=dict)
    demand_by_family: dict[str, int] = field(default_factory=dict)
    supply_by_region: dict[str, int] = field(default_factory=dict)
    demand_by_region: dict[str, int] = field(default_factory=dict)
    openings_by_org_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> opening kind -> n
    placements_by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> kind -> n
    totals: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def dashboard(session: Session, taxonomy: Taxonomy) -> Dashboard:
    family_of = {sid: (s.family or "other") for sid, s in taxonomy.skills.items()}
    out = Dashboard()

    supply: dict[str, set[int]] = defaultdict(set)
    stmt = (
        select(TalentSkillRow.talent_id, TalentSkillRow.skill_id)
        .join(TalentRow, TalentRow.id == TalentSkillRow.talent_id)
        .where(TalentRow.consent_statistics.is_(True))
    )
    for talent_id, skill_id in session.execute(stmt):
        supply[family_of.get(skill_id, "other")].add(talent_id)
    out.supply_by_family = {f: len(ids) for f, ids in supply.items()}

    demand: Counter[str] = Counter()
    stmt = (
        select(OpeningSkillRow.opening_id, OpeningSkillRow.skill_id, OpeningRow.seats)
        .join(OpeningRow, OpeningRow.id == OpeningSkillRow.opening_id)
        .where(OpeningRow.status == "open")
    )
    seen: set[tuple[int, str]] = set()
    for opening_id, skill_id, seats in session.execute(stmt):
        key = (opening_id, family_of.get(skill_id, "other"))
        if key not in seen:
            seen.add(key)
            demand[key[1]] += seats
    out.demand_by_family = dict(demand)
    out.families = sorted(
        set(out.supply_by_family) | set(out.demand_by_family),
        key=lambda f: -(out.demand_by_family.get(f, 0) + out.supply_by_family.get(f, 0)),
    )

    out.supply_by_region = {
        r or "unknown": n
        for r, n in session.execute(
            select(TalentRow.region, func.count())
            .where(TalentRow.consent_statistics.is_(True))
            .group_by(TalentRow.region)
        )
    }
    out.demand_by_region = {
        r or "remote": int(n or 0)
        for r, n in session.execute(
            select(OpeningRow.region, func.sum(OpeningRow.seats))
            .where(OpeningRow.status == "open")
            .group_by(OpeningRow.region)
        )
    }
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    stmt = (
        select(OrganizationRow.kind, OpeningRow.kind, func.count())
        .join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id)
        .group_by(OrganizationRow.kind, OpeningRow.kind)
    )
    for org_kind, opening_kind, n in session.execute(stmt):
        by_kind[org_kind][opening_kind] = n
    out.openings_by_org_kind = dict(by_kind)

    months: dict[str, dict[str, int]] = defaultdict(dict)
    for start, kind in session.execute(select(PlacementRow.start_date, PlacementRow.kind)):
        month = start.strftime("%Y-%m")
        months[month][kind] = months[month].get(kind, 0) + 1
    out.placements_by_month = dict(sorted(months.items()))
    out.totals = {
        "talents": int(session.scalar(select(func.count()).select_from(TalentRow)) or 0),
        "organizations": int(session.scalar(select(func.count()).select_from(OrganizationRow)) or 0),
        "open_openings": int(
            session.scalar(select(func.count()).select_from(OpeningRow).where(OpeningRow.status == "open")) or 0
        ),
        "placements": int(session.scalar(select(func.count()).select_from(PlacementRow)) or 0),
    }
    return out
