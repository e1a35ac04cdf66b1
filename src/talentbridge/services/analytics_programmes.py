"""Programme KPIs per programme and round: applicants, seats, fill rate, match rank distribution, placements,
time to fill, and retention at 3 / 6 / 12 months by organization kind and region.

Definitions (docs/analytics.md):

* **applicants** — participants of the round; **seats** — seats the round's openings offer there;
* **placements** — placements recorded for the round; **fill rate** — placements ÷ seats;
* **rank distribution** — how many placed people got their 1st, 2nd, ... choice, from the round's published run
  (the latest run when none is published yet);
* **time to fill** — days from an opening's posting to the placement on it being recorded (mean and longest);
* **retention** — of placements with a recorded follow-up at 3, 6 or 12 months, the share still there, by the
  placing organization's kind and region.

``period`` (``2026-H1``, ``2026-Q3``, ``2026``) keeps rounds created in it and placements starting in it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session

from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.services.analytics_sql import AnalyticsResult, AnalyticsTable, days_between
from talentbridge.storage.round_tables import (
    PlacementFollowUpRow,
    RoundOpeningRow,
    RoundParticipantRow,
    RoundRunRow,
)
from talentbridge.storage.tables import OpeningRow, OrganizationRow, PlacementRow, ProgramRow, RoundRow

__all__ = ["programme_kpis", "retention", "parse_period"]


def parse_period(period: str | None) -> tuple[date, date] | None:
    """``2026``, ``2026-H1``/``H2``, ``2026-Q1``..``Q4`` or ``2026-05`` as [first day, first day after)."""
    if not period:
        return None
    text = period.strip().upper()
    try:
        year = int(text[:4])
        rest = text[4:].lstrip("-")
        if not rest:
            return date(year, 1, 1), date(year + 1, 1, 1)
        if rest in ("H1", "H2"):
            start = 1 if rest == "H1" else 7
            return date(year, start, 1), date(year, start + 6, 1) if start == 1 else date(year + 1, 1, 1)
        if rest[0] == "Q" and rest[1:] in ("1", "2", "3", "4"):
            q = int(rest[1:])
            return date(year, 3 * q - 2, 1), date(year, 3 * q + 1, 1) if q < 4 else date(year + 1, 1, 1)
        month = int(rest)
        return date(year, month, 1), date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)
    except (ValueError, IndexError):
        raise ValidationFailed(
            "bad period", [Problem(loc=("period",), msg="use 2026, 2026-H1, 2026-Q2 or 2026-05")]
        ) from None


def _bounds(period: tuple[date, date] | None) -> tuple[datetime, datetime] | None:
    if period is None:
        return None
    return datetime.combine(period[0], datetime.min.time()), datetime.combine(period[1], datetime.min.time())


def programme_kpis(session: Session, *, programme_id: int | None = None, period: str | None = None) -> AnalyticsResult:
    span = parse_period(period)
    moments = _bounds(span)
    applicants = (
        select(RoundParticipantRow.round_id.label("rid"), func.count().label("n"))
        .group_by(RoundParticipantRow.round_id)
        .subquery("a")
    )
    seats = (
        select(RoundOpeningRow.round_id.label("rid"), func.sum(RoundOpeningRow.seats).label("n"))
        .group_by(RoundOpeningRow.round_id)
        .subquery("s")
    )
    days = days_between(session, OpeningRow.created_at, PlacementRow.created_at)
    placed_q = (
        select(
            PlacementRow.round_id.label("rid"),
            func.count().label("n"),
            func.avg(days).label("avg_days"),
            func.max(days).label("max_days"),
        )
        .outerjoin(OpeningRow, OpeningRow.id == PlacementRow.opening_id)
        .where(PlacementRow.round_id.is_not(None))
    )
    if span is not None:
        placed_q = placed_q.where(PlacementRow.start_date >= span[0], PlacementRow.start_date < span[1])
    placed = placed_q.group_by(PlacementRow.round_id).subquery("p")
    stmt = (
        select(
            ProgramRow.id, ProgramRow.name, ProgramRow.kind, RoundRow.id, RoundRow.name, RoundRow.status,
            func.coalesce(applicants.c.n, 0), func.coalesce(seats.c.n, 0), func.coalesce(placed.c.n, 0),
            placed.c.avg_days, placed.c.max_days,
        )
        .join(RoundRow, RoundRow.program_id == ProgramRow.id)
        .outerjoin(applicants, applicants.c.rid == RoundRow.id)
        .outerjoin(seats, seats.c.rid == RoundRow.id)
        .outerjoin(placed, placed.c.rid == RoundRow.id)
        .order_by(ProgramRow.id, RoundRow.id)
    )
    if programme_id is not None:
        stmt = stmt.where(ProgramRow.id == programme_id)
    if moments is not None:
        stmt = stmt.where(RoundRow.created_at >= moments[0], RoundRow.created_at < moments[1])
    rounds = []
    for pid, pname, pkind, rid, rname, rstatus, n_app, n_seats, n_placed, avg_days, max_days in session.execute(stmt):
        n_app, n_seats, n_placed = int(n_app), int(n_seats), int(n_placed)
        rounds.append({
            "programme_id": pid, "programme": pname, "programme_kind": pkind, "round_id": rid, "round": rname,
            "status": rstatus, "applicants": n_app, "seats": n_seats, "placements": n_placed,
            "fill_rate": round(n_placed / n_seats, 4) if n_seats else None,
            "time_to_fill_days": round(float(avg_days), 1) if avg_days is not None else None,
            "time_to_fill_max_days": int(max_days) if max_days is not None else None,
        })
    ranks = _rank_distribution(session, [r["round_id"] for r in rounds])
    tables = [
        AnalyticsTable("rounds", ["programme_id", "programme", "programme_kind", "round_id", "round", "status",
                                  "applicants", "seats", "placements", "fill_rate", "time_to_fill_days",
                                  "time_to_fill_max_days"], rounds,
                       people=("applicants", "placements"), rates={"fill_rate": "placements"}),
        AnalyticsTable("rank_distribution", ["round_id", "rank", "placed"], ranks, people=("placed",)),
        _programme_totals(rounds),
    ]
    result = AnalyticsResult("programme-kpis", tables, meta={"programme_id": programme_id, "period": period})
    result.tables.append(retention(session, programme_id=programme_id, period=period).tables[0])
    return result


def _programme_totals(rounds: list[dict[str, Any]]) -> AnalyticsTable:
    """Per programme: the sums of its rounds (a small table already counted by the database, per round)."""
    out: dict[int, dict[str, Any]] = {}
    for r in rounds:
        p = out.setdefault(r["programme_id"], {"programme_id": r["programme_id"], "programme": r["programme"],
                                               "rounds": 0, "applicants": 0, "seats": 0, "placements": 0})
        p["rounds"] += 1
        for key in ("applicants", "seats", "placements"):
            p[key] += r[key]
    for p in out.values():
        p["fill_rate"] = round(p["placements"] / p["seats"], 4) if p["seats"] else None
    return AnalyticsTable("programmes", ["programme_id", "programme", "rounds", "applicants", "seats", "placements",
                                         "fill_rate"], list(out.values()),
                          people=("applicants", "placements"), rates={"fill_rate": "placements"})


def _rank_distribution(session: Session, round_ids: list[int]) -> list[dict[str, Any]]:
    """From each round's published run (else its latest run): one stored summary per round, not per person."""
    if not round_ids:
        return []
    published_first = case((RoundRunRow.published_at.is_not(None), 0), else_=1)
    order = func.row_number().over(
        partition_by=RoundRunRow.round_id, order_by=(published_first, RoundRunRow.id.desc())
    ).label("pick")
    runs = select(RoundRunRow.round_id, RoundRunRow.summary, order).where(RoundRunRow.round_id.in_(round_ids)).subquery()
    out = []
    for rid, summary in session.execute(select(runs.c.round_id, runs.c.summary).where(runs.c.pick == 1).order_by(runs.c.round_id)):
        dist = (summary or {}).get("rank_distribution") or {}
        for rank in sorted(dist, key=int):
            out.append({"round_id": rid, "rank": int(rank), "placed": int(dist[rank])})
    return out


def retention(session: Session, *, programme_id: int | None = None, period: str | None = None) -> AnalyticsResult:
    """Follow-ups recorded at 3 / 6 / 12 months by the placing organization's kind and region."""
    span = parse_period(period)
    region = func.coalesce(OrganizationRow.region, "unknown").label("region")
    retained = func.sum(cast(case((PlacementFollowUpRow.retained.is_(True), 1), else_=0), Integer)).label("retained")
    stmt = (
        select(PlacementFollowUpRow.months, OrganizationRow.kind, region, func.count().label("followed_up"), retained)
        .join(PlacementRow, PlacementRow.id == PlacementFollowUpRow.placement_id)
        .join(OrganizationRow, OrganizationRow.id == PlacementRow.organization_id)
    )
    if programme_id is not None:
        stmt = stmt.join(RoundRow, and_(RoundRow.id == PlacementRow.round_id, RoundRow.program_id == programme_id))
    if span is not None:
        stmt = stmt.where(PlacementRow.start_date >= span[0], PlacementRow.start_date < span[1])
    stmt = stmt.group_by(PlacementFollowUpRow.months, OrganizationRow.kind, region).order_by(
        PlacementFollowUpRow.months, OrganizationRow.kind, region
    )
    rows = []
    for months, kind, reg, n, kept in session.execute(stmt):
        n, kept = int(n), int(kept or 0)
        rows.append({"months": int(months), "org_kind": kind, "region": reg, "followed_up": n, "retained": kept,
                     "retention_rate": round(kept / n, 4) if n else None})
    table = AnalyticsTable("retention", ["months", "org_kind", "region", "followed_up", "retained", "retention_rate"],
                           rows, people=("followed_up", "retained"), rates={"retention_rate": "followed_up"})
    return AnalyticsResult("retention", [table], meta={"programme_id": programme_id, "period": period})
