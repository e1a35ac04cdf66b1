"""The named analytics views behind ``GET /api/analytics/{name}``, the operator page, exports and the programme
report: one table of names → functions with the query parameters each accepts.

Who sees what: operators see exact numbers (they may ask for the suppressed view); everyone else and every
export sees people counts under five suppressed (``AnalyticsResult.suppress``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.domain.errors import Msg, NotFound, Problem, ValidationFailed
from talentbridge.services.analytics_sql import AnalyticsResult

__all__ = ["VIEWS", "View", "run_view", "view_names", "refresh_in_background"]


@dataclass(frozen=True)
class View:
    name: str
    build: Callable[..., AnalyticsResult]
    params: Mapping[str, type]  # query parameter -> type (str or int)


def _load() -> dict[str, View]:
    from talentbridge.services import analytics_programmes as p
    from talentbridge.services import analytics_supply as s

    views = [
        View("supply-demand", s.supply_demand, {"family": str, "region": str, "org_kind": str}),
        View("supply-demand-monthly", s.supply_demand_monthly,
             {"family": str, "region": str, "org_kind": str, "since": str, "until": str}),
        View("skill-gap", s.skill_gap, {"limit": int, "region": str}),
        View("programme-kpis", p.programme_kpis, {"programme_id": int, "period": str}),
        View("retention", p.retention, {"programme_id": int, "period": str}),
    ]
    for module, extra in _OPTIONAL:
        try:
            mod = __import__(module, fromlist=["VIEWS"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        views.extend(getattr(mod, extra))
    return {v.name: v for v in views}


#: Modules that add views (a list ``ANALYTICS_VIEWS`` of :class:`View`); missing ones are skipped.
_OPTIONAL = [
    ("talentbridge.services.analytics_flows", "ANALYTICS_VIEWS"),
    ("talentbridge.services.analytics_survey", "ANALYTICS_VIEWS"),
]

VIEWS: dict[str, View] = {}


def view_names() -> list[str]:
    if not VIEWS:
        VIEWS.update(_load())
    return list(VIEWS)


def _parse(view: View, params: Mapping[str, str]) -> dict[str, Any]:
    problems, out = [], {}
    for key, raw in params.items():
        kind = view.params.get(key)
        if kind is None:
            allowed = ", ".join(sorted(view.params)) or "none"
            problems.append(Problem(loc=("query", key), msg=Msg("not a parameter of {view}; use one of: {allowed}", view=view.name, allowed=allowed)))
            continue
        if raw == "":
            continue
        if kind is int:
            try:
                out[key] = int(raw)
            except ValueError:
                problems.append(Problem(loc=("query", key), msg="must be a whole number"))
                continue
            if key == "limit" and not 1 <= out[key] <= 500:
                problems.append(Problem(loc=("query", key), msg="must be between 1 and 500"))
        else:
            if len(raw) > 60:
                problems.append(Problem(loc=("query", key), msg="too long (60 characters at most)"))
                continue
            out[key] = raw
    if problems:
        raise ValidationFailed("bad analytics parameters", problems)
    return out


def run_view(session: Session, name: str, params: Mapping[str, str], *, exact: bool) -> AnalyticsResult:
    """Build view ``name`` from string ``params`` (every bad one reported at once). ``exact=False`` suppresses
    small groups (non-operators, exports)."""
    names = view_names()
    if name not in VIEWS:
        raise NotFound("analytics view", name, Msg("no analytics view {name}; the views are: {views}", name=name,
                                                  views=", ".join(names)))
    view = VIEWS[name]
    result = view.build(session, **_parse(view, params))
    return result if exact else result.suppress()


def refresh_in_background(session: Session, db: Any, settings: Any) -> None:
    """Views read in ``session`` (a web request's) never rebuild the counts themselves after a change: they serve
    the last ones, marked ``updating``, and submit one ``analytics-refresh`` job per state of the data."""
    from talentbridge.services.analytics_cells import REFRESH_JOB, refresh_by_job
    from talentbridge.services.job_queue import submit_job

    def submit(key: str) -> Any:
        from sqlalchemy import select

        from talentbridge.services.jobs import Job
        from talentbridge.storage.job_tables import JobRow

        with db.session() as s:  # already submitted: a read, no write (on SQLite a running rebuild holds the lock)
            row = s.scalar(select(JobRow).where(JobRow.key == key))
            if row is not None and row.status in ("queued", "running", "done"):
                return Job.of(row)
        return submit_job(db, settings, REFRESH_JOB, {}, key=key, started_by_label="analytics read")[0]

    refresh_by_job(session, submit)
