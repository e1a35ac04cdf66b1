"""Talent supply against demand by skill family × region × organization kind, monthly, and the ranked skill gap.

Definitions (docs/analytics.md):

* **supply** — talent who consented to statistical use (``consent_statistics``) with at least one skill of the
  family, counted once per family; region is the talent's region (``unknown``), organization kind that of the
  current employer (``none`` without one);
* **demand** — seats of open openings that ask for at least one skill of the family, counted once per family;
  region is the opening's (``remote`` without one), organization kind the hiring organization's;
* **monthly** — new supply is talent registered in the month (``created_at``), supply the running total;
  posted demand is the seats of openings (not drafts) created in the month;
* **gap** — per demanded skill: seats of open openings asking for it, and *qualified* consenting talent who hold
  it at least at the lowest level any of those openings asks for; ranked by qualified people per seat, fewest
  first.

All counting is done by the database on SQLite and PostgreSQL alike: the per-talent work once per data change
into aggregate cells (``analytics_cells``), then a GROUP BY over the cells per request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from talentbridge.services.analytics_cells import ALL_FAMILIES, ensure_fresh
from talentbridge.services.analytics_sql import AnalyticsResult, AnalyticsTable, family_expr
from talentbridge.storage.analytics_tables import DemandCellRow, SkillLevelCellRow, SupplyCellRow
from talentbridge.storage.tables import OpeningRow, OpeningSkillRow
from talentbridge.storage.taxonomy_tables import SkillRow

__all__ = ["supply_demand", "supply_demand_monthly", "skill_gap", "DEMAND_STATUSES"]

#: Openings whose seats count as posted demand in the monthly series (drafts are not demand yet).
DEMAND_STATUSES = ("open", "closed", "filled")


def _where(stmt: Any, table: Any, filters: dict[str, str | None], *, every: bool = False) -> Any:
    """Cells matching ``filters``; without a family filter the per-family cells (``every=False``) or the "all
    skills" cells (``every=True``: each talent and opening once)."""
    for key in ("family", "region", "org_kind"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(table, key) == filters[key])
    if filters.get("family") is None:
        stmt = stmt.where(table.family == ALL_FAMILIES if every else table.family != ALL_FAMILIES)
    return stmt


def supply_demand(
    session: Session, *, family: str | None = None, region: str | None = None, org_kind: str | None = None
) -> AnalyticsResult:
    """Current supply and demand: the family × region × organization-kind cube and its one-way roll-ups."""
    fresh = ensure_fresh(session)
    filters = {"family": family, "region": region, "org_kind": org_kind}
    S, D = SupplyCellRow, DemandCellRow
    cube: dict[tuple[str, str, str], dict[str, Any]] = {}

    def cell(f: str, r: str, k: str) -> dict[str, Any]:
        return cube.setdefault((f, r, k), {"family": f, "region": r, "org_kind": k, "supply": 0,
                                           "demand_seats": 0, "demand_openings": 0})

    supply = _where(select(S.family, S.region, S.org_kind, func.sum(S.talents)), S, filters)
    for f, r, k, n in session.execute(supply.group_by(S.family, S.region, S.org_kind)):
        cell(f, r, k)["supply"] = int(n)
    demand = _where(select(D.family, D.region, D.org_kind, func.sum(D.seats), func.sum(D.openings))
                    .where(D.status == "open"), D, filters)
    for f, r, k, seats, n in session.execute(demand.group_by(D.family, D.region, D.org_kind)):
        c = cell(f, r, k)
        c["demand_seats"], c["demand_openings"] = int(seats or 0), int(n)
    cube_rows = [cube[key] for key in sorted(cube)]
    tables = [AnalyticsTable("cube", ["family", "region", "org_kind", "supply", "demand_seats", "demand_openings"],
                             cube_rows, people=("supply",))]
    for dim in ("family", "region", "org_kind"):
        tables.append(_rollup(session, filters, dim))
    return AnalyticsResult("supply-demand", tables, meta={"filters": filters, **fresh})


def _rollup(session: Session, filters: dict[str, str | None], dim: str) -> AnalyticsTable:
    """Supply and demand by one dimension, from the cells. By family (or within one family): a talent is in one
    cell per family, so the sums count each talent once per family. By region or organization kind over all
    families: the "all skills" cells, where every consenting talent and every opening is counted once."""
    S, D = SupplyCellRow, DemandCellRow
    every = dim != "family" and filters.get("family") is None
    rows: dict[str, dict[str, Any]] = {}

    def row(k: str) -> dict[str, Any]:
        return rows.setdefault(k, {dim: k, "supply": 0, "demand_seats": 0, "demand_openings": 0})

    key = getattr(S, dim)
    stmt = _where(select(key, func.sum(S.talents)), S, filters, every=every).group_by(key)
    for k, n in session.execute(stmt):
        row(k)["supply"] = int(n)
    dkey = getattr(D, dim)
    dstmt = _where(select(dkey, func.sum(D.seats), func.sum(D.openings)).where(D.status == "open"), D, filters,
                   every=every)
    for k, seats, n in session.execute(dstmt.group_by(dkey)):
        row(k)["demand_seats"], row(k)["demand_openings"] = int(seats or 0), int(n)
    ordered = sorted(rows.values(), key=lambda r: (-r["demand_seats"], -r["supply"], r[dim]))
    return AnalyticsTable(f"by_{dim}", [dim, "supply", "demand_seats", "demand_openings"], ordered, people=("supply",))


def supply_demand_monthly(
    session: Session, *, family: str | None = None, region: str | None = None, org_kind: str | None = None,
    since: str | None = None, until: str | None = None,
) -> AnalyticsResult:
    """Per month and family: talent registered (new supply), the running supply total, and seats posted.

    ``since``/``until`` (``YYYY-MM``, inclusive) limit the months shown; the running total still counts earlier
    months. One grouped query per side over the cells; the running total is a window sum in the database."""
    fresh = ensure_fresh(session)
    filters = {"family": family, "region": region, "org_kind": org_kind}
    S, D = SupplyCellRow, DemandCellRow
    pm = _where(select(S.month.label("month"), S.family.label("family"), func.sum(S.talents).label("new")), S,
                filters).group_by(S.month, S.family).subquery("pm")
    running = func.sum(pm.c.new).over(partition_by=pm.c.family, order_by=pm.c.month).label("total")
    supply = select(pm.c.month, pm.c.family, pm.c.new, running)
    demand = _where(select(D.month, D.family, func.sum(D.seats), func.sum(D.openings))
                    .where(D.status.in_(DEMAND_STATUSES)), D, filters).group_by(D.month, D.family)

    cells: dict[tuple[str, str], dict[str, Any]] = {}
    totals: dict[str, list[tuple[str, int]]] = {}
    for m, f, new, total in session.execute(supply):
        cells[(m, f)] = {"month": m, "family": f, "new_supply": int(new), "supply": int(total),
                         "posted_seats": 0, "posted_openings": 0}
        totals.setdefault(f, []).append((m, int(total)))
    for m, f, seats, n in session.execute(demand):
        c = cells.setdefault((m, f), {"month": m, "family": f, "new_supply": 0, "supply": None,
                                      "posted_seats": 0, "posted_openings": 0})
        c["posted_seats"], c["posted_openings"] = int(seats or 0), int(n)
    for c in cells.values():  # a month with postings but no new talent carries the running total forward
        if c["supply"] is None:
            earlier = [t for m, t in totals.get(c["family"], []) if m < c["month"]]
            c["supply"] = earlier[-1] if earlier else 0
    rows = [cells[k] for k in sorted(cells) if (since is None or k[0] >= since) and (until is None or k[0] <= until)]
    table = AnalyticsTable("monthly", ["month", "family", "new_supply", "supply", "posted_seats", "posted_openings"],
                           rows, people=("new_supply", "supply"))
    return AnalyticsResult("supply-demand-monthly", [table],
                           meta={"filters": filters, "since": since, "until": until, **fresh})


def skill_gap(session: Session, *, limit: int = 50, region: str | None = None) -> AnalyticsResult:
    """Demanded skills ranked by qualified, consenting people per demanded seat (fewest first)."""
    fresh = ensure_fresh(session)
    req = (
        select(
            OpeningSkillRow.skill_id.label("skill_id"),
            func.min(OpeningSkillRow.min_level).label("level"),
            func.sum(OpeningRow.seats).label("seats"),
            func.count().label("openings"),
        )
        .join(OpeningRow, OpeningRow.id == OpeningSkillRow.opening_id)
        .where(OpeningRow.status == "open")
    )
    if region is not None:
        req = req.where(func.coalesce(OpeningRow.region, "remote") == region)
    req = req.group_by(OpeningSkillRow.skill_id).subquery("req")
    L = SkillLevelCellRow
    held = and_(L.skill_id == req.c.skill_id, L.level >= req.c.level)
    if region is not None:
        held = and_(held, L.region == region)
    qualified = func.coalesce(func.sum(L.talents), 0).label("qualified")
    ratio = (qualified * literal(1.0) / req.c.seats).label("per_seat")
    stmt = (
        select(req.c.skill_id, SkillRow.label_ko, SkillRow.label_en, family_expr(SkillRow.family), req.c.seats,
               req.c.openings, req.c.level, qualified, ratio)
        .select_from(req)
        .outerjoin(SkillRow, SkillRow.id == req.c.skill_id)
        .outerjoin(L, held)
        .group_by(req.c.skill_id, SkillRow.label_ko, SkillRow.label_en, SkillRow.family, req.c.seats,
                  req.c.openings, req.c.level)
        .order_by(ratio, req.c.seats.desc(), req.c.skill_id)
        .limit(limit)
    )
    rows = []
    for rank, (sid, ko, en, fam, seats, openings, level, n, _per) in enumerate(session.execute(stmt), start=1):
        rows.append({"rank": rank, "skill_id": sid, "label_ko": ko or sid, "label_en": en or sid, "family": fam,
                     "demand_seats": int(seats or 0), "demand_openings": int(openings), "min_level": int(level),
                     "qualified": int(n), "qualified_per_seat": round(int(n) / int(seats), 3) if seats else None})
    table = AnalyticsTable("gap", ["rank", "skill_id", "label_ko", "label_en", "family", "demand_seats",
                                   "demand_openings", "min_level", "qualified", "qualified_per_seat"], rows,
                           people=("qualified",), rates={"qualified_per_seat": "qualified"})
    return AnalyticsResult("skill-gap", [table], meta={"limit": limit, "region": region, **fresh})
