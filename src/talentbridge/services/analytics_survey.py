"""The status survey beside the platform's own numbers (view ``status-survey``).

Per survey year and organization kind (and per year and region): the organizations that answered, the AI
headcount they reported per role and in total, their vacancies and training spend — and, for the same responding
organizations, what the platform knows: consenting talent employed there now, seats of their open openings, and
placements with them that started in the survey year. A third table counts how many organizations named each
role hard to fill. Every number is a GROUP BY in the database (``survey_import`` fills ``status_survey``).

A group of fewer than five responding organizations is suppressed whole in exports and for non-operators (its
numbers would describe one or two organizations).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, literal_column, select
from sqlalchemy.orm import Session

from talentbridge.services.analytics_sql import AnalyticsResult, AnalyticsTable, month_of
from talentbridge.services.analytics_views import View
from talentbridge.storage.survey_tables import SURVEY_ROLES, StatusSurveyRow
from talentbridge.storage.tables import OpeningRow, OrganizationRow, PlacementRow, TalentRow

__all__ = ["status_survey", "ANALYTICS_VIEWS", "NUMBERS"]

HEADCOUNTS = [f"headcount_{r}" for r in SURVEY_ROLES]
#: The survey's numbers per group, then the platform's, in display order.
NUMBERS = [*HEADCOUNTS, "headcount_total", "vacancies", "training_spend_krw",
           "platform_talents", "platform_open_seats", "platform_placements"]


def _dimension(dim: str) -> Any:
    if dim == "org_kind":
        return OrganizationRow.kind
    return func.coalesce(OrganizationRow.region, literal_column("'unknown'"))


def _grouped(session: Session, dim: str, filters: dict[str, Any]) -> AnalyticsTable:
    S, Org = StatusSurveyRow, OrganizationRow
    key = _dimension(dim).label(dim)

    def scoped(stmt: Any) -> Any:
        stmt = stmt.join(Org, Org.id == S.organization_id)
        if filters.get("year") is not None:
            stmt = stmt.where(S.year == filters["year"])
        if filters.get("org_kind") is not None:
            stmt = stmt.where(Org.kind == filters["org_kind"])
        if filters.get("region") is not None:
            stmt = stmt.where(_dimension("region") == filters["region"])
        return stmt.group_by(S.year, key)

    sums = [func.sum(getattr(S, c)) for c in (*HEADCOUNTS, "vacancies", "training_spend_krw")]
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for year, k, n, *values in session.execute(scoped(select(S.year, key, func.count(), *sums).select_from(S))):
        row = {"year": int(year), dim: k, "organizations": int(n)}
        for column, value in zip((*HEADCOUNTS, "vacancies", "training_spend_krw"), values, strict=True):
            row[column] = int(value or 0)
        row["headcount_total"] = sum(row[c] for c in HEADCOUNTS)
        row.update(platform_talents=0, platform_open_seats=0, platform_placements=0)
        rows[(int(year), k)] = row

    # the platform's numbers per organization first (one pass over talents, openings, placements), then summed
    # over the responding organizations of each group
    per_talents = (select(TalentRow.current_employer_id.label("org"), func.count().label("n"))
                   .where(TalentRow.consent_statistics.is_(True), TalentRow.current_employer_id.is_not(None))
                   .group_by(TalentRow.current_employer_id).subquery("pt"))
    per_seats = (select(OpeningRow.organization_id.label("org"), func.sum(OpeningRow.seats).label("n"))
                 .where(OpeningRow.status == "open").group_by(OpeningRow.organization_id).subquery("ps"))
    started = func.substr(month_of(session, PlacementRow.start_date), 1, 4)
    per_placed = (select(PlacementRow.organization_id.label("org"), started.label("year"), func.count().label("n"))
                  .group_by(PlacementRow.organization_id, started).subquery("pp"))
    talents = (select(S.year, key, func.sum(per_talents.c.n)).select_from(S)
               .join(per_talents, per_talents.c.org == S.organization_id))
    seats = (select(S.year, key, func.sum(per_seats.c.n)).select_from(S)
             .join(per_seats, per_seats.c.org == S.organization_id))
    placements = (select(S.year, key, func.sum(per_placed.c.n)).select_from(S)
                  .join(per_placed, and_(per_placed.c.org == S.organization_id,
                                         per_placed.c.year == cast(S.year, String))))
    for column, stmt in (("platform_talents", talents), ("platform_open_seats", seats),
                         ("platform_placements", placements)):
        for year, k, n in session.execute(scoped(stmt)):
            if (int(year), k) in rows:
                rows[(int(year), k)][column] = int(n or 0)
    ordered = [rows[k] for k in sorted(rows, key=lambda k: (-k[0], k[1]))]
    return AnalyticsTable(f"by_{dim}", ["year", dim, "organizations", *NUMBERS], ordered,
                          people=("organizations",), rates=dict.fromkeys(NUMBERS, "organizations"))


def _hard_to_fill(session: Session, filters: dict[str, Any]) -> AnalyticsTable:
    S, Org = StatusSurveyRow, OrganizationRow
    padded = literal(";") + S.hard_to_fill + literal(";")
    counts = [func.sum(case((padded.like(f"%;{r};%"), 1), else_=0)) for r in SURVEY_ROLES]
    stmt = select(S.year, *counts).join(Org, Org.id == S.organization_id)
    if filters.get("year") is not None:
        stmt = stmt.where(S.year == filters["year"])
    if filters.get("org_kind") is not None:
        stmt = stmt.where(Org.kind == filters["org_kind"])
    if filters.get("region") is not None:
        stmt = stmt.where(_dimension("region") == filters["region"])
    rows = []
    for year, *values in session.execute(stmt.group_by(S.year).order_by(S.year.desc())):
        ranked = sorted(zip(SURVEY_ROLES, values, strict=True), key=lambda rv: (-int(rv[1] or 0), rv[0]))
        for rank, (role, n) in enumerate(ranked, start=1):
            rows.append({"year": int(year), "rank": rank, "role": role, "organizations": int(n or 0)})
    return AnalyticsTable("hard_to_fill", ["year", "rank", "role", "organizations"], rows, people=("organizations",))


def status_survey(session: Session, *, year: int | None = None, org_kind: str | None = None,
                  region: str | None = None) -> AnalyticsResult:
    """The survey by year × organization kind and by year × region beside the platform's numbers; the roles
    named hard to fill, ranked."""
    filters = {"year": year, "org_kind": org_kind, "region": region}
    tables = [_grouped(session, "org_kind", filters), _grouped(session, "region", filters),
              _hard_to_fill(session, filters)]
    return AnalyticsResult("status-survey", tables, meta={"filters": filters})


ANALYTICS_VIEWS = [View("status-survey", status_survey, {"year": int, "org_kind": str, "region": str})]
