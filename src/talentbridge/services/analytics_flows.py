"""Circulation of talent between organization kinds (the Sankey chart), and capital-area vs other placements
against the rounds' regional caps.

Definitions (docs/analytics.md):

* **flow** — a placement, from the kind of the person's employer (the employer recorded when they joined the
  round, else their current employer; ``none`` without one) to the kind of the placing organization, by
  placement kind (secondment, internship, ...); **return** — a secondment that is completed, back from the host's
  kind to the employer's kind;
* **place of work** — the region the round's opening was attached with, else the opening's, else the placing
  organization's; **capital area** — Seoul, Incheon, Gyeonggi (``CAPITAL_AREA``);
* **target** — a round's cap on capital-area placements (``regional_caps["capital"]``), when it has one.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from talentbridge.domain.enums import CAPITAL_AREA
from talentbridge.services.analytics_programmes import parse_period
from talentbridge.services.analytics_sql import AnalyticsResult, AnalyticsTable
from talentbridge.services.analytics_views import View
from talentbridge.storage.round_tables import RoundOpeningRow, RoundParticipantRow
from talentbridge.storage.tables import OpeningRow, OrganizationRow, PlacementRow, ProgramRow, RoundRow, TalentRow

__all__ = ["circulation", "regional_placements", "ANALYTICS_VIEWS"]


def _period(stmt: object, period: str | None) -> object:
    span = parse_period(period)
    if span is None:
        return stmt
    return stmt.where(PlacementRow.start_date >= span[0], PlacementRow.start_date < span[1])  # type: ignore[attr-defined]


def circulation(session: Session, *, period: str | None = None, programme_id: int | None = None) -> AnalyticsResult:
    employer, host = aliased(OrganizationRow), aliased(OrganizationRow)
    home = func.coalesce(employer.kind, "none").label("from_kind")
    stmt = (
        select(home, host.kind.label("to_kind"), PlacementRow.kind, func.count().label("n"),
               func.sum(case((and_(PlacementRow.kind == "secondment", PlacementRow.status == "completed"), 1),
                             else_=0)).label("returned"))
        .select_from(PlacementRow)
        .join(host, host.id == PlacementRow.organization_id)
        .join(TalentRow, TalentRow.id == PlacementRow.talent_id)
        .outerjoin(RoundParticipantRow, and_(RoundParticipantRow.round_id == PlacementRow.round_id,
                                             RoundParticipantRow.talent_id == PlacementRow.talent_id))
        .outerjoin(employer, employer.id == func.coalesce(RoundParticipantRow.employer_id,
                                                          TalentRow.current_employer_id))
    )
    if programme_id is not None:
        stmt = stmt.join(RoundRow, and_(RoundRow.id == PlacementRow.round_id, RoundRow.program_id == programme_id))
    stmt = _period(stmt, period)  # type: ignore[assignment]
    stmt = stmt.group_by(home, host.kind, PlacementRow.kind).order_by(home, host.kind, PlacementRow.kind)  # type: ignore[attr-defined]
    flows, returns = [], []
    for src, dst, kind, n, back in session.execute(stmt):
        flows.append({"from_kind": src, "to_kind": dst, "placement_kind": kind, "placements": int(n)})
        if back:
            returns.append({"from_kind": dst, "to_kind": src, "placement_kind": kind, "placements": int(back)})
    tables = [
        AnalyticsTable("flows", ["from_kind", "to_kind", "placement_kind", "placements"], flows, people=("placements",)),
        AnalyticsTable("returns", ["from_kind", "to_kind", "placement_kind", "placements"], returns,
                       people=("placements",)),
    ]
    return AnalyticsResult("circulation", tables, meta={"period": period, "programme_id": programme_id})


def regional_placements(session: Session, *, period: str | None = None,
                        programme_id: int | None = None) -> AnalyticsResult:
    place = func.coalesce(RoundOpeningRow.region, OpeningRow.region, OrganizationRow.region, "unknown").label("region")
    base = (
        select(PlacementRow.round_id.label("round_id"), place)
        .select_from(PlacementRow)
        .join(OrganizationRow, OrganizationRow.id == PlacementRow.organization_id)
        .outerjoin(OpeningRow, OpeningRow.id == PlacementRow.opening_id)
        .outerjoin(RoundOpeningRow, and_(RoundOpeningRow.round_id == PlacementRow.round_id,
                                         RoundOpeningRow.opening_id == PlacementRow.opening_id))
    )
    if programme_id is not None:
        base = base.join(RoundRow, and_(RoundRow.id == PlacementRow.round_id, RoundRow.program_id == programme_id))
    base = _period(base, period).subquery("pl")  # type: ignore[attr-defined]
    capital = [r.value for r in CAPITAL_AREA]
    is_capital = case((base.c.region.in_(capital), 1), else_=0)
    by_region = session.execute(
        select(base.c.region, func.count()).group_by(base.c.region).order_by(func.count().desc(), base.c.region)
    ).all()
    region_rows = [{"region": r, "area": "capital" if r in capital else "non_capital", "placements": int(n)}
                   for r, n in by_region]
    per_round = (
        select(ProgramRow.name, RoundRow.id, RoundRow.name, func.sum(is_capital), func.count())
        .select_from(base)
        .join(RoundRow, RoundRow.id == base.c.round_id)
        .join(ProgramRow, ProgramRow.id == RoundRow.program_id)
        .group_by(ProgramRow.name, RoundRow.id, RoundRow.name)
        .order_by(RoundRow.id)
    )
    rows = session.execute(per_round).all()
    # The caps are JSON (not groupable on PostgreSQL): one small look-up for the rounds found.
    caps: dict[int, dict[str, int]] = dict(session.execute(select(RoundRow.id, RoundRow.regional_caps)
                                .where(RoundRow.id.in_([r[1] for r in rows]))).all()) if rows else {}
    rounds = []
    for pname, rid, rname, cap_n, n in rows:
        rcaps = caps.get(rid)
        cap_n, n = int(cap_n or 0), int(n)
        target = (rcaps or {}).get("capital")
        rounds.append({"programme": pname, "round_id": rid, "round": rname, "capital": cap_n,
                       "non_capital": n - cap_n, "placements": n,
                       "non_capital_share": round((n - cap_n) / n, 4) if n else None,
                       "capital_cap": target,
                       "within_target": None if target is None else cap_n <= int(target)})
    tables = [
        AnalyticsTable("rounds", ["programme", "round_id", "round", "capital", "non_capital", "placements",
                                  "non_capital_share", "capital_cap", "within_target"], rounds,
                       people=("capital", "non_capital", "placements"), rates={"non_capital_share": "placements"}),
        AnalyticsTable("by_region", ["region", "area", "placements"], region_rows, people=("placements",)),
    ]
    return AnalyticsResult("regional-placements", tables, meta={"period": period, "programme_id": programme_id})


ANALYTICS_VIEWS = [
    View("circulation", circulation, {"period": str, "programme_id": int}),
    View("regional-placements", regional_placements, {"period": str, "programme_id": int}),
]
