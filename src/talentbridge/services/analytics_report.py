"""The programme report for a period: every analytics table as XLSX, and a printable HTML page (inline SVG
charts, no script) or PDF (fpdf2 with a Korean TTF) — so an operator sends numbers upward without copying them.

A report leaves the platform: small groups are always suppressed in it (``<5``). Korean first, English second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

import talentbridge
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.services.analytics_export import SUPPRESSED_MARK, results_xlsx
from talentbridge.services.analytics_programmes import parse_period
from talentbridge.services.analytics_sql import AnalyticsResult
from talentbridge.services.analytics_svg import bars_svg, sankey_svg
from talentbridge.services.analytics_views import run_view, view_names

__all__ = ["ProgrammeReport", "build_report", "report_xlsx", "report_html", "report_pdf", "write_report", "FORMATS"]

FORMATS = ("xlsx", "html", "pdf")

#: Table titles and column names in the report (Korean, English).
TITLES: dict[str, tuple[str, str]] = {
    "programme-kpis.programmes": ("사업별 합계", "Programme totals"),
    "programme-kpis.rounds": ("회차별 지표", "Rounds"),
    "programme-kpis.rank_distribution": ("매칭 지망 순위 분포", "Match rank distribution"),
    "programme-kpis.retention": ("3·6·12개월 유지율", "Retention at 3, 6 and 12 months"),
    "circulation.flows": ("기관 유형 간 인재 이동", "Flows between organization kinds"),
    "circulation.returns": ("파견 복귀", "Returns from secondment"),
    "regional-placements.rounds": ("수도권·비수도권 배치와 목표", "Capital area vs other placements and targets"),
    "regional-placements.by_region": ("지역별 배치", "Placements by region"),
    "supply-demand.by_family": ("기술 분야별 공급과 수요", "Supply vs demand by skill family"),
    "supply-demand.by_region": ("지역별 공급과 수요", "Supply vs demand by region"),
    "supply-demand.by_org_kind": ("기관 유형별 공급과 수요", "Supply vs demand by organization kind"),
    "skill-gap.gap": ("기술 격차 (적격 인재가 가장 적은 수요 기술)", "Skill gap (fewest qualified people per seat)"),
    "survey.survey": ("실태조사와 플랫폼 수치", "Status survey beside the platform's numbers"),
}
COLUMNS: dict[str, tuple[str, str]] = {
    "programme": ("사업", "Programme"), "programme_id": ("사업 ID", "Programme ID"),
    "programme_kind": ("사업 유형", "Programme kind"), "round": ("회차", "Round"), "round_id": ("회차 ID", "Round ID"),
    "status": ("상태", "Status"), "rounds": ("회차 수", "Rounds"), "applicants": ("지원자", "Applicants"),
    "seats": ("자리", "Seats"), "placements": ("배치", "Placements"), "fill_rate": ("충원율", "Fill rate"),
    "time_to_fill_days": ("충원 소요일 (평균)", "Days to fill (mean)"),
    "time_to_fill_max_days": ("충원 소요일 (최장)", "Days to fill (longest)"), "rank": ("순위", "Rank"),
    "placed": ("배치", "Placed"), "months": ("개월", "Months"), "org_kind": ("기관 유형", "Organization kind"),
    "region": ("지역", "Region"), "followed_up": ("사후 확인", "Followed up"), "retained": ("유지", "Retained"),
    "retention_rate": ("유지율", "Retention rate"), "from_kind": ("출발 유형", "From"), "to_kind": ("도착 유형", "To"),
    "placement_kind": ("배치 형태", "Placement kind"), "capital": ("수도권", "Capital area"),
    "non_capital": ("비수도권", "Other regions"), "non_capital_share": ("비수도권 비율", "Share outside the capital area"),
    "capital_cap": ("수도권 상한", "Capital-area cap"), "within_target": ("목표 충족", "Within target"),
    "area": ("권역", "Area"), "family": ("기술 분야", "Skill family"), "supply": ("공급 (인재)", "Supply (talent)"),
    "demand_seats": ("수요 (자리)", "Demand (seats)"), "demand_openings": ("공고", "Openings"),
    "skill_id": ("기술", "Skill"), "label_ko": ("기술명", "Skill (Korean)"), "label_en": ("Skill", "Skill (English)"),
    "min_level": ("요구 최저 수준", "Lowest level asked"), "qualified": ("적격 인재", "Qualified talent"),
    "qualified_per_seat": ("자리당 적격 인재", "Qualified per seat"),
}


@dataclass
class ProgrammeReport:
    period: str
    programme_id: int | None
    generated_at: datetime
    results: list[AnalyticsResult]
    charts: list[dict[str, str]] = field(default_factory=list)

    def result(self, name: str) -> AnalyticsResult | None:
        return next((r for r in self.results if r.name == name), None)


def build_report(session: Session, period: str, programme_id: int | None = None) -> ProgrammeReport:
    """Every table of the period (suppressed), in the order the report prints them."""
    span = parse_period(period)
    if span is None:
        raise ValidationFailed("bad period", [Problem(loc=("period",), msg="use 2026, 2026-H1, 2026-Q2 or 2026-05")])
    scoped = {"period": period, **({"programme_id": str(programme_id)} if programme_id is not None else {})}
    names = ["programme-kpis", "circulation", "regional-placements"]
    results = [run_view(session, name, scoped, exact=False) for name in names]
    results += [run_view(session, "supply-demand", {}, exact=False),
                run_view(session, "skill-gap", {"limit": "20"}, exact=False)]
    if "survey" in view_names():  # the survey view comes with its module
        results.append(run_view(session, "survey", {"year": str(span[0].year)}, exact=False))
    report = ProgrammeReport(period, programme_id, datetime.now(UTC), results)
    report.charts = _charts(report)
    return report


def _label(key: str, table: dict[str, tuple[str, str]], lang: str) -> str:
    pair = table.get(key)
    return (pair[0] if lang == "ko" else pair[1]) if pair else key


def _charts(report: ProgrammeReport, lang: str = "ko") -> list[dict[str, str]]:
    out = []
    kpis = report.result("programme-kpis")
    if kpis is not None and kpis.table("rounds").rows:
        rows = kpis.table("rounds").rows
        out.append({"title": "회차별 자리와 배치 / Seats and placements by round", "svg": bars_svg(
            [f"{r['programme']} · {r['round']}" for r in rows],
            [("자리 Seats", [r["seats"] for r in rows]), ("배치 Placements", [r["placements"] for r in rows])],
            "Seats and placements by round")})
    flows = report.result("circulation")
    if flows is not None and flows.table("flows").rows:
        pairs: dict[tuple[str, str], int | None] = {}
        for r in flows.table("flows").rows:
            key = (r["from_kind"], r["to_kind"])
            pairs[key] = (pairs.get(key) or 0) + (r["placements"] or 0)
        out.append({"title": "기관 유형 간 인재 이동 / Circulation between organization kinds",
                    "svg": sankey_svg([(a, b, n) for (a, b), n in pairs.items()], "Circulation")})
    regional = report.result("regional-placements")
    if regional is not None and regional.table("rounds").rows:
        rows = regional.table("rounds").rows
        out.append({"title": "수도권·비수도권 배치 / Capital area vs other placements", "svg": bars_svg(
            [f"{r['programme']} · {r['round']}" for r in rows],
            [("수도권 Capital", [r["capital"] for r in rows]), ("비수도권 Other", [r["non_capital"] for r in rows]),
             ("수도권 상한 Cap", [r["capital_cap"] or 0 for r in rows])], "Capital area vs other placements")})
    supply = report.result("supply-demand")
    if supply is not None and supply.table("by_family").rows:
        rows = supply.table("by_family").rows
        out.append({"title": "기술 분야별 공급과 수요 / Supply vs demand by skill family", "svg": bars_svg(
            [r["family"] for r in rows], [("공급 Supply", [r["supply"] for r in rows]),
                                          ("수요 Demand", [r["demand_seats"] for r in rows])], "Supply vs demand")})
    return out


def _sections(report: ProgrammeReport) -> list[dict[str, Any]]:
    sections = []
    for result in report.results:
        for table in result.tables:
            key = f"{result.name}.{table.name}"
            if key not in TITLES:
                continue
            hidden = set(table.people) | set(table.rates)
            rows = [[SUPPRESSED_MARK if r.get(c) is None and c in hidden else ("" if r.get(c) is None else r.get(c))
                     for c in table.columns] for r in table.rows]
            sections.append({"title_ko": TITLES[key][0], "title_en": TITLES[key][1],
                             "headers": [_label(c, COLUMNS, "ko") for c in table.columns],
                             "headers_en": [_label(c, COLUMNS, "en") for c in table.columns], "rows": rows})
    return sections


def _cover(report: ProgrammeReport) -> list[tuple[str, str]]:
    return [
        ("보고서 Report", "사업 성과 보고서 / Programme report"),
        ("기간 Period", report.period),
        ("사업 Programme", str(report.programme_id) if report.programme_id is not None else "전체 All"),
        ("생성 Generated", report.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("소프트웨어 Software", f"TalentBridge {talentbridge.__version__}"),
        ("비공개 Suppressed", f"5명 미만 집단은 {SUPPRESSED_MARK} / groups under five people shown as {SUPPRESSED_MARK}"),
    ]


def report_xlsx(report: ProgrammeReport) -> bytes:
    return results_xlsx(report.results, _cover(report))


def report_html(report: ProgrammeReport) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    folder = Path(str(resources.files("talentbridge.services") / "templates"))
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]))
    return env.get_template("analytics_report.html").render(
        report=report, cover=_cover(report), charts=report.charts, sections=_sections(report))


def report_pdf(report: ProgrammeReport, font: Path | None = None) -> bytes:
    """The report as PDF; a missing Korean font is a ConfigurationError naming what to install."""
    from talentbridge.services.analytics_report_pdf import write_pdf

    return write_pdf(_cover(report), report.charts, _sections(report), font)


def write_report(report: ProgrammeReport, fmt: str, output: Path) -> Path:
    if fmt not in FORMATS:
        raise ValidationFailed("bad format", [Problem(loc=("format",), msg="use xlsx, html or pdf")])
    body = {"xlsx": report_xlsx, "pdf": report_pdf}.get(fmt)
    data = body(report) if body else report_html(report).encode("utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return output
