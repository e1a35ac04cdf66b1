"""Operator pages: the dashboard (supply vs demand, openings by organization kind, placements over time),
search across talent, organizations and openings, the audit log (programmes and rounds: operator_rounds).
Auditors see the same pages read-only (the policy refuses their writes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from talentbridge.domain.errors import PermissionDenied
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import render
from talentbridge.web.policy import policy_of

router = APIRouter(
    prefix="/operator", include_in_schema=False, dependencies=[Depends(require_roles("operator", "auditor"))]
)


def _staff(request: Request) -> Any:
    policy_of(request).check(request, "audit", "read")  # operators and auditors only
    user = request.state.user
    if user.role not in (Role.OPERATOR, Role.AUDITOR):
        raise PermissionDenied("operator pages are for operators and auditors")
    return user


def _families(request: Request) -> dict[str, str]:
    from talentbridge.web.pages.skills_ui import family_labels

    return family_labels(request)


@router.get("")
def dashboard(request: Request, session: SessionDep) -> Response:
    _staff(request)
    from talentbridge.services.analytics import dashboard as build
    from talentbridge.web.pages.skills_ui import taxonomy_for

    data = build(session, taxonomy_for(request)).as_dict()
    return render(request, "operator/dashboard.html", data=data, charts=_charts(request, data))


def _bar(categories: list[str], series: list[tuple[str, list[int]]], stacked: bool = False) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"left": 48, "right": 16, "bottom": 80},
        "xAxis": {"type": "category", "data": categories, "axisLabel": {"rotate": 35, "interval": 0}},
        "yAxis": {"type": "value"},
        "series": [
            {"name": name, "type": "bar", "data": values, **({"stack": "all"} if stacked else {})}
            for name, values in series
        ],
    }


def _charts(request: Request, data: dict[str, Any]) -> list[dict[str, Any]]:
    from talentbridge.web.i18n import gettext_for, request_language
    from talentbridge.web.pages.rendering import region_name

    lang = request_language(request)
    _ = gettext_for(lang)
    families = data["families"]
    names = _families(request)
    supply, demand = _("Supply (talent)"), _("Demand (seats)")
    regions = sorted(
        set(data["supply_by_region"]) | set(data["demand_by_region"]),
        key=lambda r: -(data["demand_by_region"].get(r, 0)),
    )
    org_kinds = sorted(data["openings_by_org_kind"])
    opening_kinds = sorted({k for row in data["openings_by_org_kind"].values() for k in row})
    months = list(data["placements_by_month"])
    placement_kinds = sorted({k for row in data["placements_by_month"].values() for k in row})
    return [
        {
            "id": "family",
            "title": _("Talent supply vs demand by skill family"),
            "note": _(
                "Supply: talent who consented to statistical use, counted once per family. Demand: seats of open openings."
            ),
            "option": _bar(
                [names.get(f, f) for f in families],
                [
                    (supply, [data["supply_by_family"].get(f, 0) for f in families]),
                    (demand, [data["demand_by_family"].get(f, 0) for f in families]),
                ],
            ),
        },
        {
            "id": "region",
            "title": _("Supply vs demand by region"),
            "note": "",
            "option": _bar(
                [_(r) if r in ("unknown", "remote") else region_name(r, lang) for r in regions],
                [
                    (supply, [data["supply_by_region"].get(r, 0) for r in regions]),
                    (demand, [data["demand_by_region"].get(r, 0) for r in regions]),
                ],
            ),
        },
        {
            "id": "kind",
            "title": _("Openings by organization kind"),
            "note": "",
            "option": _bar(
                [_(k) for k in org_kinds],
                [(_(ok), [data["openings_by_org_kind"][k].get(ok, 0) for k in org_kinds]) for ok in opening_kinds],
                stacked=True,
            ),
        },
        {
            "id": "time",
            "title": _("Placements over time"),
            "note": "",
            "option": _bar(
                months,
                [(_(pk), [data["placements_by_month"][m].get(pk, 0) for m in months]) for pk in placement_kinds],
                stacked=True,
            ),
        },
    ]


# Search and the audit log: talentbridge.web.pages.search_ui; programmes and rounds: operator_rounds.
