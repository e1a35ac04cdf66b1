"""``/operator/analytics``: status analytics for operators and auditors — supply and demand by skill family,
region and organization kind, monthly, the ranked skill gap, programme KPIs and retention — each chart with a
"show the numbers" table and CSV/XLSX downloads (``/api/analytics/{name}?format=...``, suppressed).

Auditors see people counts under five suppressed ("<5"), as every download does."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from talentbridge.domain.enums import OrganizationKind, Region
from talentbridge.services.accounts import Role
from talentbridge.services.analytics_export import SUPPRESSED_MARK
from talentbridge.services.analytics_report import FORMATS, build_report, report_html, report_pdf, report_xlsx
from talentbridge.services.analytics_svg import sankey_svg
from talentbridge.services.analytics_views import refresh_in_background, run_view
from talentbridge.web.deps import DatabaseDep, SessionDep, SettingsDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.operator import _bar
from talentbridge.web.pages.rendering import region_name, render
from talentbridge.web.policy import policy_of

router = APIRouter(
    prefix="/operator/analytics", include_in_schema=False,
    dependencies=[Depends(require_roles("operator", "auditor"))],
)

_FILTERS = ("family", "region", "org_kind", "period", "programme_id")


def column_labels(_: Any) -> dict[str, str]:
    return {
        "family": _("Skill family"), "region": _("Region"), "org_kind": _("Organization kind"),
        "supply": _("Supply (talent)"), "demand_seats": _("Demand (seats)"), "demand_openings": _("Openings"),
        "month": _("Month"), "new_supply": _("New talent"), "posted_seats": _("Seats posted"),
        "posted_openings": _("Openings posted"), "rank": _("Rank"), "skill_id": _("Skill"),
        "label_ko": _("Skill (Korean)"), "label_en": _("Skill (English)"), "min_level": _("Lowest level asked"),
        "qualified": _("Qualified talent"), "qualified_per_seat": _("Qualified per seat"),
        "programme_id": _("Programme ID"), "programme": _("Programme"), "programme_kind": _("Programme kind"),
        "round_id": _("Round ID"), "round": _("Round"), "status": _("Status"), "applicants": _("Applicants"),
        "seats": _("Seats"), "placements": _("Placements"), "fill_rate": _("Fill rate"),
        "time_to_fill_days": _("Time to fill (days, mean)"), "time_to_fill_max_days": _("Time to fill (days, longest)"),
        "placed": _("Placed"), "rounds": _("Rounds"), "months": _("Months after start"),
        "followed_up": _("Followed up"), "retained": _("Retained"), "retention_rate": _("Retention rate"),
        "from_kind": _("From"), "to_kind": _("To"), "placement_kind": _("Placement kind"),
        "capital": _("Capital area"), "non_capital": _("Other regions"), "area": _("Area"),
        "non_capital_share": _("Share outside the capital area"), "capital_cap": _("Capital-area cap"),
        "within_target": _("Within target"),
        "year": _("Survey year"), "organizations": _("Organizations answering"),
        "headcount_ai_research": _("AI research"), "headcount_ml_engineering": _("ML engineering"),
        "headcount_data_engineering": _("Data engineering"), "headcount_data_science": _("Data science"),
        "headcount_ai_planning": _("AI planning"), "headcount_ai_other": _("Other AI roles"),
        "headcount_total": _("AI headcount (survey)"), "vacancies": _("Vacancies (survey)"),
        "training_spend_krw": _("Training spend (won, survey)"),
        "platform_talents": _("Talent employed there (platform)"),
        "platform_open_seats": _("Open seats (platform)"), "platform_placements": _("Placements that year (platform)"),
        "role": _("AI role"),
    }


def role_labels(_: Any) -> dict[str, str]:
    return {"ai_research": _("AI research"), "ml_engineering": _("ML engineering"),
            "data_engineering": _("Data engineering"), "data_science": _("Data science"),
            "ai_planning": _("AI planning"), "ai_other": _("Other AI roles")}


def _shown(value: Any, column: str, people: set[str]) -> Any:
    if value is None and column in people:
        return SUPPRESSED_MARK
    if value is None:
        return ""
    if isinstance(value, float) and column.endswith("rate"):
        return f"{value:.1%}"
    return value


def _table(result: Any, name: str, labels: dict[str, str], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    table = result.table(name)
    hidden = set(table.people) | set(table.rates)
    rows = [[_shown(names.get(c, {}).get(r.get(c), r.get(c)), c, hidden) for c in table.columns] for r in table.rows]
    return {"name": name, "headers": [labels.get(c, c) for c in table.columns], "rows": rows}


def _num(v: Any) -> Any:
    return v if v is not None else 0


@router.get("")
def analytics_page(request: Request, session: SessionDep, database: DatabaseDep, settings: SettingsDep) -> Response:
    policy_of(request).check(request, "analytics", "read")
    refresh_in_background(session, database, settings)
    from talentbridge.web.i18n import gettext_for, request_language
    from talentbridge.web.pages.skills_ui import family_labels

    lang = request_language(request)
    _ = gettext_for(lang)
    exact = request.state.user.role == Role.OPERATOR
    q = {k: request.query_params.get(k, "").strip() for k in _FILTERS}
    sd_params = {k: q[k] for k in ("family", "region", "org_kind") if q[k]}
    kpi_params = {k: q[k] for k in ("period", "programme_id") if q[k]}
    supply = run_view(session, "supply-demand", sd_params, exact=exact)
    monthly = run_view(session, "supply-demand-monthly", sd_params, exact=exact)
    gap = run_view(session, "skill-gap", {"limit": "30", **({"region": q["region"]} if q["region"] else {})},
                   exact=exact)
    kpis = run_view(session, "programme-kpis", kpi_params, exact=exact)
    flows = run_view(session, "circulation", kpi_params, exact=exact)
    regional = run_view(session, "regional-placements", kpi_params, exact=exact)
    survey = run_view(session, "status-survey", {k: q[k] for k in ("region", "org_kind") if q[k]}, exact=exact)
    fams = family_labels(request)
    regions = {r.value: region_name(r.value, lang) for r in Region} | {"unknown": _("unknown"), "remote": _("remote")}
    kinds = {k.value: _(k.value) for k in OrganizationKind} | {"none": _("No employer")}
    names = {"family": fams, "region": regions, "org_kind": kinds, "role": role_labels(_)}
    labels = column_labels(_)
    supply_l, demand_l = _("Supply (talent)"), _("Demand (seats)")

    charts = []
    for dim, title in (("family", _("Supply vs demand by skill family")), ("region", _("Supply vs demand by region")),
                       ("org_kind", _("Supply vs demand by organization kind"))):
        rows = supply.table(f"by_{dim}").rows
        charts.append({
            "id": f"by-{dim}", "title": title, "view": "supply-demand", "table_name": f"by_{dim}",
            "option": _bar([names[dim].get(r[dim], r[dim]) for r in rows],
                           [(supply_l, [_num(r["supply"]) for r in rows]),
                            (demand_l, [r["demand_seats"] for r in rows])]),
            "numbers": _table(supply, f"by_{dim}", labels, names),
        })
    mrows = monthly.table("monthly").rows
    months = sorted({r["month"] for r in mrows})
    families = sorted({r["family"] for r in mrows})
    series = []
    for fam in families:
        by_month = {r["month"]: r for r in mrows if r["family"] == fam}
        last, values = 0, []
        for m in months:  # the running total holds between months without new talent
            last = _num(by_month[m]["supply"]) if m in by_month else last
            values.append(last)
        series.append({"name": fams.get(fam, fam), "type": "line", "data": values})
    charts.append({
        "id": "monthly", "title": _("Supply over time by skill family (running total)"),
        "view": "supply-demand-monthly", "table_name": "monthly",
        "option": {"tooltip": {"trigger": "axis"}, "legend": {"type": "scroll"}, "grid": {"left": 48, "right": 16, "bottom": 60},
                   "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "value"}, "series": series},
        "numbers": _table(monthly, "monthly", labels, names),
    })
    krows = kpis.table("rounds").rows
    charts.append({
        "id": "fill", "title": _("Fill rate by round"), "view": "programme-kpis", "table_name": "rounds",
        "option": _bar([f"{r['programme']} · {r['round']}" for r in krows],
                       [(_("Seats"), [r["seats"] for r in krows]), (_("Placements"), [_num(r["placements"]) for r in krows])]),
        "numbers": _table(kpis, "rounds", labels, names),
    })
    pairs: dict[tuple[str, str], int | None] = {}
    for r in flows.table("flows").rows:
        key = (kinds.get(r["from_kind"], r["from_kind"]), kinds.get(r["to_kind"], r["to_kind"]))
        pairs[key] = (pairs.get(key) or 0) + (r["placements"] or 0)
    sankey = {
        "title": _("Circulation between organization kinds"),
        "svg": sankey_svg([(a, b, n) for (a, b), n in pairs.items()], _("Circulation between organization kinds")),
        "numbers": _table(flows, "flows", labels, names), "returns": _table(flows, "returns", labels, names),
    }
    rrows = regional.table("rounds").rows
    charts.append({
        "id": "regional", "title": _("Capital area vs other placements by round"), "view": "regional-placements",
        "table_name": "rounds",
        "option": _bar([f"{r['programme']} · {r['round']}" for r in rrows],
                       [(_("Capital area"), [_num(r["capital"]) for r in rrows]),
                        (_("Other regions"), [_num(r["non_capital"]) for r in rrows]),
                        (_("Capital-area cap"), [r["capital_cap"] or 0 for r in rrows])]),
        "numbers": _table(regional, "rounds", labels, names),
    })
    tables = [
        {"id": "gap", "title": _("Skill gap: demanded skills with the fewest qualified people"),
         "note": _("Qualified: consenting talent holding the skill at least at the lowest level an open opening asks for."),
         "view": "skill-gap", "table_name": "gap", "numbers": _table(gap, "gap", labels, names)},
        {"id": "programmes", "title": _("Programme totals"), "note": "", "view": "programme-kpis",
         "table_name": "programmes", "numbers": _table(kpis, "programmes", labels, names)},
        {"id": "ranks", "title": _("Match rank distribution"), "note": _("How many placed people got their 1st, 2nd, ... choice."),
         "view": "programme-kpis", "table_name": "rank_distribution", "numbers": _table(kpis, "rank_distribution", labels, names)},
        {"id": "retention", "title": _("Retention at 3, 6 and 12 months"), "note": "", "view": "programme-kpis",
         "table_name": "retention", "numbers": _table(kpis, "retention", labels, names)},
        {"id": "survey", "title": _("Status survey beside the platform's numbers, by organization kind"),
         "note": _("What member organizations reported in the yearly survey (import it on the data page), next to what the platform knows about the same organizations. Groups of fewer than five organizations are hidden in exports and for auditors."),
         "view": "status-survey", "table_name": "by_org_kind", "numbers": _table(survey, "by_org_kind", labels, names)},
        {"id": "survey-regions", "title": _("Status survey beside the platform's numbers, by region"), "note": "",
         "view": "status-survey", "table_name": "by_region", "numbers": _table(survey, "by_region", labels, names)},
        {"id": "survey-hard", "title": _("Roles hard to fill (status survey)"), "note": "",
         "view": "status-survey", "table_name": "hard_to_fill", "numbers": _table(survey, "hard_to_fill", labels, names)},
    ]

    def export(view: str, fmt: str, table: str | None = None) -> str:
        params = (sd_params if view.startswith("supply") else {} if view == "skill-gap"
                  else {k: v for k, v in sd_params.items() if k != "family"} if view == "status-survey" else kpi_params)
        extra = {"format": fmt, **({"table": table} if table else {})}
        return f"/api/analytics/{view}?{urlencode({**params, **extra})}"

    return render(request, "operator/analytics.html", charts=charts, tables=tables, filters=q, exact=exact,
                  sankey=sankey, fresh=supply.meta,
                  family_options=fams, region_options=regions, kind_options=kinds, export=export,
                  min_group=SUPPRESSED_MARK)


def _report_request(values: Any) -> tuple[str, str, int | None]:
    from talentbridge.domain.errors import Problem, ValidationFailed

    period = str(values.get("period", "")).strip()
    fmt = str(values.get("format", "xlsx"))
    raw_id = str(values.get("programme_id", "")).strip()
    problems = []
    if not period:
        problems.append(Problem(loc=("period",), msg="use 2026, 2026-H1, 2026-Q2 or 2026-05"))
    if fmt not in FORMATS:
        problems.append(Problem(loc=("format",), msg="use xlsx, html or pdf"))
    if raw_id and not raw_id.isdigit():
        problems.append(Problem(loc=("programme_id",), msg="must be a whole number"))
    if problems:
        raise ValidationFailed("bad report request", problems)
    return period, fmt, int(raw_id) if raw_id else None


@router.post("/report")
async def programme_report_job(request: Request, database: DatabaseDep, settings: SettingsDep) -> Response:
    """Start the report as a background job (``programme-report``) and show its page: a progress bar, then the
    download. The same request on the same data is the same job (key: the parameters and the data's fingerprint)."""
    policy_of(request).check(request, "analytics", "read")
    from talentbridge.services.analytics_cells import fingerprint
    from talentbridge.services.job_queue import submit_job
    from talentbridge.services.jobs import params_key
    from talentbridge.web.auth import audit
    from talentbridge.web.pages.rendering import redirect

    period, fmt, programme_id = _report_request(await request.form())
    params: dict[str, Any] = {"period": period, "format": fmt}
    if programme_id is not None:
        params["programme_id"] = programme_id
    with database.session() as session:  # no request session: its write would block the job's own transaction
        key = params_key("programme-report", {**params, "data": fingerprint(session)})
    user = request.state.user
    job, _ = submit_job(database, settings, "programme-report", params, key=key, started_by=user.id,
                        started_by_label=user.email)  # fmt: skip
    audit(request, "start", "job", job.id, kind="programme-report")
    return redirect(f"/jobs/{job.id}")


@router.get("/report")
def programme_report(request: Request, session: SessionDep) -> Response:
    """The programme report of a period as a download (XLSX, printable HTML or PDF), small groups suppressed."""
    policy_of(request).check(request, "analytics", "read")
    period, fmt, pid = _report_request(request.query_params)
    raw_id = str(pid) if pid is not None else ""
    report = build_report(session, period, int(raw_id) if raw_id else None)
    name = f"programme-report-{period}"
    if fmt == "html":
        return Response(report_html(report), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": f'inline; filename="{name}.html"'})
    if fmt == "pdf":
        return Response(report_pdf(report), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return Response(report_xlsx(report), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
