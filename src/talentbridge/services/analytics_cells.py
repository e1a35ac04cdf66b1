"""The aggregate cells behind supply, demand and the skill gap (``storage/analytics_tables.py``), kept fresh.

Counting the skills of 100,000 talents takes seconds; counting a few thousand cells takes milliseconds. So the
heavy GROUP BY runs once per change of the data, into the cell tables, and every view is a GROUP BY over cells.

Fresh means: the *fingerprint* of the data (row counts and latest ``updated_at`` of talents, their skills,
organizations, openings and their skills, and the taxonomy's size) equals the one stored at the last refresh.
:func:`ensure_fresh` refreshes when it differs, or ahead of time with ``talentbridge report refresh``. A refresh
ends the caller's transaction (its reads are repeated on fresh data) and takes the write lock, so concurrent
workers refresh once.

Web requests never wait for a refresh (seconds on 100,000 talents): they call :func:`refresh_by_job` first, and a
read after a change then serves the last counts, marked ``updating`` with the time they are of, and submits one
``analytics-refresh`` job under a key made from the fingerprint (many reads → one job). Only when no counts were
ever made does the read build them itself (there is nothing to serve yet). The CLI, the programme report and the
job itself refresh in place.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, literal_column, select, text
from sqlalchemy.orm import Session

from talentbridge.services.analytics_sql import dialect_of, family_expr, month_of
from talentbridge.storage.analytics_tables import (
    AnalyticsRefreshRow,
    DemandCellRow,
    SkillLevelCellRow,
    SupplyCellRow,
)
from talentbridge.storage.db import SQLITE_BEGIN
from talentbridge.storage.tables import (
    OpeningRow,
    OpeningSkillRow,
    OrganizationRow,
    TalentRow,
    TalentSkillRow,
)
from talentbridge.storage.taxonomy_tables import SkillRow

__all__ = ["fingerprint", "refresh", "refresh_now", "ensure_fresh", "refresh_by_job", "refresh_key", "CELLS",
           "ALL_FAMILIES", "REFRESH_JOB"]

CELLS = "cells"
#: The family of the "all skills" cells: every consenting talent once (skills or not), every opening once, so the
#: region and organization-kind roll-ups over all families are a GROUP BY over cells, not over every talent.
ALL_FAMILIES = "*all*"
_LOCK = 7_170_017  # PostgreSQL advisory lock id of a refresh
#: The job kind that rebuilds the cells (``services/job_kinds.py``).
REFRESH_JOB = "analytics-refresh"
#: ``session.info`` key of the callable that submits a rebuild instead of running it in the request.
_DEFER = "talentbridge.analytics.refresh_later"


def fingerprint(session: Session) -> str:
    """Counts and latest changes of every table the cells are computed from, as one string."""
    parts: list[Any] = [
        select(func.count()).select_from(TalentRow).scalar_subquery(),
        select(func.max(TalentRow.updated_at)).scalar_subquery(),
        select(func.count()).select_from(TalentSkillRow).scalar_subquery(),
        select(func.count()).select_from(OrganizationRow).scalar_subquery(),
        select(func.max(OrganizationRow.updated_at)).scalar_subquery(),
        select(func.count()).select_from(OpeningRow).scalar_subquery(),
        select(func.max(OpeningRow.updated_at)).scalar_subquery(),
        select(func.count()).select_from(OpeningSkillRow).scalar_subquery(),
        select(func.count()).select_from(SkillRow).scalar_subquery(),
    ]
    row = session.execute(select(*parts)).one()
    return "|".join(str(v) for v in row)


def _talent_families() -> Any:
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


def refresh(session: Session, fp: str | None = None) -> AnalyticsRefreshRow:
    """Recompute every cell table in ``session``'s transaction (three INSERT ... SELECT ... GROUP BY)."""
    started = time.perf_counter()
    fp = fp if fp is not None else fingerprint(session)
    for table in (SupplyCellRow, DemandCellRow, SkillLevelCellRow):
        session.execute(delete(table))

    tf = _talent_families()
    month = month_of(session, TalentRow.created_at)
    region = func.coalesce(TalentRow.region, literal_column("'unknown'"))
    kind = func.coalesce(OrganizationRow.kind, literal_column("'none'"))
    supply = (
        select(month, tf.c.family, region, kind, func.count())
        .select_from(tf)
        .join(TalentRow, TalentRow.id == tf.c.talent_id)
        .outerjoin(OrganizationRow, OrganizationRow.id == TalentRow.current_employer_id)
        .where(TalentRow.consent_statistics.is_(True))
        .group_by(month, tf.c.family, region, kind)
    )
    session.execute(insert(SupplyCellRow).from_select(["month", "family", "region", "org_kind", "talents"], supply))
    every: Any = literal_column(f"'{ALL_FAMILIES}'")
    supply_all = (
        select(month, every, region, kind, func.count())
        .select_from(TalentRow)
        .outerjoin(OrganizationRow, OrganizationRow.id == TalentRow.current_employer_id)
        .where(TalentRow.consent_statistics.is_(True))
        .group_by(month, region, kind)
    )
    session.execute(insert(SupplyCellRow).from_select(
        ["month", "family", "region", "org_kind", "talents"], supply_all))

    of = _opening_families()
    omonth = month_of(session, OpeningRow.created_at)
    oregion = func.coalesce(OpeningRow.region, literal_column("'remote'"))
    demand = (
        select(omonth, of.c.family, oregion, OrganizationRow.kind, OpeningRow.status,
               func.coalesce(func.sum(OpeningRow.seats), 0), func.count())
        .select_from(of)
        .join(OpeningRow, OpeningRow.id == of.c.opening_id)
        .join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id)
        .group_by(omonth, of.c.family, oregion, OrganizationRow.kind, OpeningRow.status)
    )
    session.execute(insert(DemandCellRow).from_select(
        ["month", "family", "region", "org_kind", "status", "seats", "openings"], demand))
    demand_all = (
        select(omonth, every, oregion, OrganizationRow.kind, OpeningRow.status,
               func.coalesce(func.sum(OpeningRow.seats), 0), func.count())
        .join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id)
        .group_by(omonth, oregion, OrganizationRow.kind, OpeningRow.status)
    )
    session.execute(insert(DemandCellRow).from_select(
        ["month", "family", "region", "org_kind", "status", "seats", "openings"], demand_all))

    levels = (
        select(TalentSkillRow.skill_id, region, TalentSkillRow.level, func.count())
        .join(TalentRow, TalentRow.id == TalentSkillRow.talent_id)
        .where(TalentRow.consent_statistics.is_(True))
        .group_by(TalentSkillRow.skill_id, region, TalentSkillRow.level)
    )
    session.execute(insert(SkillLevelCellRow).from_select(["skill_id", "region", "level", "talents"], levels))

    state = session.get(AnalyticsRefreshRow, CELLS)
    if state is None:
        state = AnalyticsRefreshRow(name=CELLS)
        session.add(state)
    state.fingerprint, state.refreshed_at = fp, datetime.now(UTC)
    state.seconds = round(time.perf_counter() - started, 3)
    session.flush()
    return state


def refresh_key(fp: str) -> str:
    """The job key of "rebuild the cells for data with fingerprint ``fp``": one job per state of the data."""
    return f"{REFRESH_JOB}:{hashlib.sha256(fp.encode('utf-8')).hexdigest()[:32]}"


def refresh_by_job(session: Session, submit: Callable[[str], Any]) -> None:
    """From now on, reads in ``session`` serve the last counts when the data changed and call ``submit(key)``
    (which submits an ``analytics-refresh`` job under ``key``) instead of rebuilding in the request."""
    session.info[_DEFER] = submit


def _state_meta(state: AnalyticsRefreshRow) -> dict[str, Any]:
    return {"refreshed_at": state.refreshed_at.isoformat() if state.refreshed_at else None,
            "refresh_seconds": state.seconds, "updating": False}


def ensure_fresh(session: Session) -> dict[str, Any]:
    """Refresh the cells if the data changed since the last refresh; returns when and how fast they were made.

    When a refresh is needed the caller's transaction is committed first (a read-only analytics request has
    nothing pending) and a write transaction taken, so two workers never refresh at once. In a session given to
    :func:`refresh_by_job` a refresh is submitted as a job instead, and the last counts are served with
    ``updating: True`` (unless there are none yet)."""
    fp = fingerprint(session)
    state = session.get(AnalyticsRefreshRow, CELLS)
    submit = session.info.get(_DEFER)
    if state is not None and state.fingerprint != fp and submit is not None:
        job = submit(refresh_key(fp))
        return {**_state_meta(state), "updating": True, "refresh_job": getattr(job, "id", None)}
    if state is None or state.fingerprint != fp:
        session.commit()
        if dialect_of(session) == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        else:
            session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK})"))
        fp = fingerprint(session)
        state = session.get(AnalyticsRefreshRow, CELLS)
        if state is None or state.fingerprint != fp:
            state = refresh(session, fp)
        session.commit()
    return _state_meta(state)


def refresh_now(session: Session) -> dict[str, Any]:
    """Recompute the cells whatever the fingerprint says (the CLI and the page's button), and commit."""
    if dialect_of(session) == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK})"))
    state = refresh(session)
    session.commit()
    return {"refreshed_at": state.refreshed_at.isoformat(), "refresh_seconds": state.seconds}
