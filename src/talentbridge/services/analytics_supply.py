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

All counting is done by the database (GROUP BY, COUNT DISTINCT, window sums) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, distinct, func, literal, select
from sqlalchemy.orm import Session

from talentbridge.services.analytics_sql import AnalyticsResult, AnalyticsTable, family_expr, month_of
from talentbridge.storage.tables import OpeningRow, OpeningSkillRow, OrganizationRow, TalentRow, TalentSkillRow
from talentbridge.storage.taxonomy_tables import SkillRow

__all__ = ["supply_demand", "supply_demand_monthly", "skill_gap", "DEMAND_STATUSES"]

#: Openings whose seats count as posted demand in the monthly series (drafts are not demand yet).
DEMAND_STATUSES = ("open", "closed", "filled")


def _talent_families() -> Any:
    """(talent_id, family) pairs, one per family a talent holds a skill of."""
    fam = family_expr(SkillRow.family).label("family")
    return (
        select(TalentSkillRow.talent_id.label("talent_id"), fam)
        .outerjoin(SkillRow, SkillRow.id == TalentSkillRow.skill_id)
        .distinct()
        .subquery("tf")
    )


def _opening_families() -> Any:
    fam = family_expr(SkillRow.family).label("family")
    return (
        select(OpeningSkillRow.opening_id.label("opening_id"), fam)
        .outerjoin(SkillRow, SkillRow.id == OpeningSkillRow.skill_id)
        .distinct()
        .subquery("of")
    )


def _talent_dims() -> tuple[Any, Any]:
    return func.coalesce(TalentRow.region, "unknown").label("region"), func.coalesce(
        OrganizationRow.kind, "none"
    ).label("org_kind")


def _opening_dims() -> tuple[Any, Any]:
    return func.coalesce(OpeningRow.region, "remote").label("region"), OrganizationRow.kind.label("org_kind")


def _filter(stmt: Select[Any], family_col: Any, region_col: Any, kind_col: Any, filters: dict[str, str | None]) -> Any:
    if filters.get("family") is not None and family_col is not None:
        stmt = stmt.where(family_col == filters["family"])
    if filters.get("region") is not None:
        stmt = stmt.where(region_col == filters["region"])
    if filters.get("org_kind") is not None:
        stmt = stmt.where(kind_col == filters["org_kind"])
    return stmt


def _supply_stmt(filters: dict[str, str | None], *, by_family: bool) -> tuple[Select[Any], Any, Any, Any]:
    region, kind = _talent_dims()
    if by_family:
        tf = _talent_families()
        stmt = (
            select(tf.c.family, region, kind, func.count().label("n"))
            .select_from(tf)
            .join(TalentRow, TalentRow.id == tf.c.talent_id)
        )
        fam = tf.c.family
    else:
        stmt = select(region, kind, func.count().label("n")).select_from(TalentRow)
        fam = None
    stmt = stmt.outerjoin(OrganizationRow, OrganizationRow.id == TalentRow.current_employer_id).where(
        TalentRow.consent_statistics.is_(True)
    )
    stmt = _filter(stmt, fam, func.coalesce(TalentRow.region, "unknown"), func.coalesce(OrganizationRow.kind, "none"), filters)
    return stmt, fam, region, kind


def _demand_stmt(filters: dict[str, str | None], *, by_family: bool) -> tuple[Select[Any], Any]:
    region, kind = _opening_dims()
    seats, openings = func.sum(OpeningRow.seats).label("seats"), func.count().label("openings")
    if by_family:
        of = _opening_families()
        stmt = select(of.c.family, region, kind, seats, openings).select_from(of).join(
            OpeningRow, OpeningRow.id == of.c.opening_id
        )
        fam = of.c.family
    else:
        stmt = select(region, kind, seats, openings).select_from(OpeningRow)
        fam = None
    stmt = stmt.join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id).where(OpeningRow.status == "open")
    stmt = _filter(stmt, fam, func.coalesce(OpeningRow.region, "remote"), OrganizationRow.kind, filters)
    return stmt, fam


def supply_demand(
    session: Session, *, family: str | None = None, region: str | None = None, org_kind: str | None = None
) -> AnalyticsResult:
    """Current supply and demand: the family × region × organization-kind cube and its one-way roll-ups."""
    filters = {"family": family, "region": region, "org_kind": org_kind}
    cube: dict[tuple[str, str, str], dict[str, Any]] = {}

    def cell(f: str, r: str, k: str) -> dict[str, Any]:
        return cube.setdefault((f, r, k), {"family": f, "region": r, "org_kind": k, "supply": 0,
                                           "demand_seats": 0, "demand_openings": 0})

    stmt, fam, region_c, kind_c = _supply_stmt(filters, by_family=True)
    for f, r, k, n in session.execute(stmt.group_by(fam, region_c, kind_c)):
        cell(f, r, k)["supply"] = int(n)
    dstmt, dfam = _demand_stmt(filters, by_family=True)
    dregion, dkind = dstmt.selected_columns.region, dstmt.selected_columns.org_kind
    for f, r, k, seats, n in session.execute(dstmt.group_by(dfam, dregion, dkind)):
        c = cell(f, r, k)
        c["demand_seats"], c["demand_openings"] = int(seats or 0), int(n)
    cube_rows = [cube[key] for key in sorted(cube)]

    tables = [AnalyticsTable("cube", ["family", "region", "org_kind", "supply", "demand_seats", "demand_openings"],
                             cube_rows, people=("supply",))]
    tables.append(_rollup(session, filters, "family"))
    tables.append(_rollup(session, filters, "region"))
    tables.append(_rollup(session, filters, "org_kind"))
    return AnalyticsResult("supply-demand", tables, meta={"filters": filters})


def _rollup(session: Session, filters: dict[str, str | None], dim: str) -> AnalyticsTable:
    """Supply and demand by one dimension, counted by the database (talent with skills in several families
    count once per family in the family roll-up and once in the others)."""
    by_family = dim == "family" or filters.get("family") is not None
    stmt, fam, region_c, kind_c = _supply_stmt(filters, by_family=by_family)
    key = {"family": fam, "region": region_c, "org_kind": kind_c}[dim]
    supply_q = stmt.with_only_columns(key, func.count(distinct(TalentRow.id)))
    dstmt, dfam = _demand_stmt(filters, by_family=by_family)
    dkey = {"family": dfam, "region": dstmt.selected_columns.region, "org_kind": dstmt.selected_columns.org_kind}[dim]
    # An opening's seats count once per group even when it asks for several skills of the filtered family.
    inner = dstmt.with_only_columns(dkey.label("k"), OpeningRow.id.label("oid"), OpeningRow.seats.label("seats")).distinct().subquery()
    demand_q = select(inner.c.k, func.sum(inner.c.seats), func.count()).group_by(inner.c.k)
    rows: dict[str, dict[str, Any]] = {}
    for k, n in session.execute(supply_q.group_by(key)):
        rows.setdefault(k, {dim: k, "supply": 0, "demand_seats": 0, "demand_openings": 0})["supply"] = int(n)
    for k, seats, n in session.execute(demand_q):
        row = rows.setdefault(k, {dim: k, "supply": 0, "demand_seats": 0, "demand_openings": 0})
        row["demand_seats"], row["demand_openings"] = int(seats or 0), int(n)
    ordered = sorted(rows.values(), key=lambda r: (-r["demand_seats"], -r["supply"], r[dim]))
    return AnalyticsTable(f"by_{dim}", [dim, "supply", "demand_seats", "demand_openings"], ordered, people=("supply",))


def supply_demand_monthly(
    session: Session, *, family: str | None = None, region: str | None = None, org_kind: str | None = None,
    since: str | None = None, until: str | None = None,
) -> AnalyticsResult:
    """Per month and family: talent registered (new supply), the running supply total, and seats posted.

    ``since``/``until`` (``YYYY-MM``, inclusive) limit the months shown; the running total still counts earlier
    months. One grouped query per side, the running total by a window sum in the database."""
    filters = {"family": family, "region": region, "org_kind": org_kind}
    tf = _talent_families()
    month = month_of(session, TalentRow.created_at).label("month")
    per_month = (
        select(month, tf.c.family.label("family"), func.count().label("new"))
        .select_from(tf)
        .join(TalentRow, TalentRow.id == tf.c.talent_id)
        .outerjoin(OrganizationRow, OrganizationRow.id == TalentRow.current_employer_id)
        .where(TalentRow.consent_statistics.is_(True))
    )
    per_month = _filter(per_month, tf.c.family, func.coalesce(TalentRow.region, "unknown"),
                        func.coalesce(OrganizationRow.kind, "none"), filters)
    pm = per_month.group_by(month, tf.c.family).subquery("pm")
    running = func.sum(pm.c.new).over(partition_by=pm.c.family, order_by=pm.c.month).label("total")
    supply = select(pm.c.month, pm.c.family, pm.c.new, running)

    of = _opening_families()
    omonth = month_of(session, OpeningRow.created_at).label("month")
    demand = (
        select(omonth, of.c.family, func.sum(OpeningRow.seats), func.count())
        .select_from(of)
        .join(OpeningRow, OpeningRow.id == of.c.opening_id)
        .join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id)
        .where(OpeningRow.status.in_(DEMAND_STATUSES))
    )
    demand = _filter(demand, of.c.family, func.coalesce(OpeningRow.region, "remote"), OrganizationRow.kind, filters)
    demand = demand.group_by(omonth, of.c.family)

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
    return AnalyticsResult("supply-demand-monthly", [table], meta={"filters": filters, "since": since, "until": until})


def skill_gap(session: Session, *, limit: int = 50, region: str | None = None) -> AnalyticsResult:
    """Demanded skills ranked by qualified, consenting people per demanded seat (fewest first)."""
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
    talent_ok = and_(TalentRow.id == TalentSkillRow.talent_id, TalentRow.consent_statistics.is_(True))
    if region is not None:
        talent_ok = and_(talent_ok, TalentRow.region == region)
    qualified = func.count(TalentRow.id).label("qualified")
    ratio = (func.coalesce(qualified, 0) * literal(1.0) / req.c.seats).label("per_seat")
    stmt = (
        select(req.c.skill_id, SkillRow.label_ko, SkillRow.label_en, family_expr(SkillRow.family), req.c.seats,
               req.c.openings, req.c.level, qualified, ratio)
        .select_from(req)
        .outerjoin(SkillRow, SkillRow.id == req.c.skill_id)
        .outerjoin(TalentSkillRow, and_(TalentSkillRow.skill_id == req.c.skill_id, TalentSkillRow.level >= req.c.level))
        .outerjoin(TalentRow, talent_ok)
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
    return AnalyticsResult("skill-gap", [table], meta={"limit": limit, "region": region})
