"""``/api/analytics``: status analytics for operators and auditors (everyone else: 403).

``GET /api/analytics`` lists the views; ``GET /api/analytics/{name}`` answers one as JSON, or as a download with
``format=csv`` (one table, ``table=``) or ``format=xlsx`` (every table). Auditors and every download get people
counts under five suppressed; operators see exact numbers unless they ask ``suppress=true``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from talentbridge.domain.errors import Msg, Problem, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.services.analytics_export import results_xlsx, table_csv
from talentbridge.services.analytics_views import refresh_in_background, run_view, view_names
from talentbridge.web.deps import DatabaseDep, SessionDep, SettingsDep
from talentbridge.web.policy import policy_of

router = APIRouter(prefix="/api/analytics", tags=["analytics"])

_OWN = frozenset({"format", "table", "suppress"})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exact(request: Request) -> bool:
    policy_of(request).check(request, "analytics", "read")
    return request.state.user.role == Role.OPERATOR and request.query_params.get("suppress") not in ("1", "true")


@router.get("")
def list_views(request: Request) -> dict[str, Any]:
    policy_of(request).check(request, "analytics", "list")
    return {"views": view_names()}


@router.get("/{name}")
def analytics_view(request: Request, session: SessionDep, database: DatabaseDep, settings: SettingsDep, name: str,
                   format: str = "json", table: str | None = None) -> Any:
    exact = _exact(request)
    refresh_in_background(session, database, settings)
    if format not in ("json", "csv", "xlsx"):
        raise ValidationFailed("bad format", [Problem(loc=("query", "format"), msg="use json, csv or xlsx")])
    params = {k: v for k, v in request.query_params.items() if k not in _OWN}
    result = run_view(session, name, params, exact=exact and format == "json")
    if format == "json":
        return result.as_dict()
    if format == "csv":
        if table is not None and table not in {t.name for t in result.tables}:
            raise ValidationFailed("bad table", [Problem(
                loc=("query", "table"), msg=Msg("use one of {tables}", tables=", ".join(t.name for t in result.tables)))])
        body, media, ext = table_csv(result, table), "text/csv; charset=utf-8", "csv"
    else:
        body, media, ext = results_xlsx([result]), XLSX, "xlsx"
    suffix = f"-{table}" if table and format == "csv" else ""
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="analytics-{name}{suffix}.{ext}"'})
