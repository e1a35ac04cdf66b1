"""``talentbridge report programme`` (XLSX, HTML, PDF) and ``report refresh`` through the real entry point."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.services import analytics_data as data

from talentbridge import config
from talentbridge.cli import main
from talentbridge.storage import Database

WORLD: dict[str, Any] = {
    "orgs": [("large_enterprise", "seoul"), ("ai_startup", "busan")],
    "talents": [{"region": "busan", "consent": True, "employer": 0, "month": 2, "skills": {0: 3}}] * 8,
    "openings": [{"org": 1, "region": "busan", "status": "open", "seats": 9, "month": 2, "skills": {0: 2}}],
    "rounds": [{"programme": 0, "month": 3, "participants": set(range(8)), "openings": {0: 9}, "ranks": {1: 6, 2: 2},
                "published": True}],
    "placements": [{"talent": t, "org": 1, "opening": 0, "round": 0, "start_month": 4, "recorded_month": 3,
                    "followups": {3: t < 6}, "kind": "secondment", "status": "active"} for t in range(8)]
    + [{"talent": 0, "org": 0, "opening": None, "round": None, "start_month": 5, "recorded_month": 5,
        "followups": {}, "kind": "internship", "status": "active"}],
}


@pytest.fixture
def cli_db(sqlite_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", sqlite_database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    config.get_settings.cache_clear()
    with sqlite_database.session() as session:
        data.load(session, WORLD, list(data.skill_pool(session)))
    yield sqlite_database
    config.get_settings.cache_clear()


def test_xlsx_holds_every_table_with_small_groups_suppressed(cli_db: Database, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.xlsx"
    main(["report", "programme", "--period", "2025-H1", "--format", "xlsx", "--output", str(out)])
    assert str(out) in capsys.readouterr().out
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert {"report", "programme-kpis.rounds", "programme-kpis.retention", "circulation.flows",
            "regional-placements.rounds", "supply-demand.by_family", "skill-gap.gap"} <= set(wb.sheetnames)
    rounds = list(wb["programme-kpis.rounds"].iter_rows(values_only=True))
    header, row = rounds[0], rounds[1]
    assert row[header.index("applicants")] == 8 and row[header.index("placements")] == 8
    assert row[header.index("seats")] == 9
    flows = {r[:3]: r[3] for r in list(wb["circulation.flows"].iter_rows(values_only=True))[1:]}
    assert flows[("large_enterprise", "ai_startup", "secondment")] == 8
    # the one internship is a group of one: suppressed
    assert flows[("large_enterprise", "large_enterprise", "internship")] == "<5"
    ranks = {r[1]: r[2] for r in list(wb["programme-kpis.rank_distribution"[:31]].iter_rows(values_only=True))[1:]}
    assert ranks == {1: 6, 2: "<5"}


def test_html_is_printable_with_inline_charts(cli_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    main(["report", "programme", "--period", "2025-H1", "--format", "html", "--output", str(out)])
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") >= 2 and 'class="sankey"' in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "사업 성과 보고서" in html and "@media print" in html


def test_pdf_embeds_a_korean_font(cli_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    main(["report", "programme", "--period", "2025-H1", "--format", "pdf", "--output", str(out)])
    body = out.read_bytes()
    assert body.startswith(b"%PDF") and b"Nanum" in body


def test_pdf_without_a_korean_font_fails_with_what_to_install(cli_db: Database, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from talentbridge.domain.errors import ConfigurationError
    from talentbridge.services import ai_pack_pdf

    monkeypatch.setattr(ai_pack_pdf, "FONT_CANDIDATES", ("/nonexistent/font.ttf",))
    monkeypatch.setattr(ai_pack_pdf.korean_font, "__defaults__", (("/nonexistent/font.ttf",),))
    monkeypatch.delenv("TALENTBRIDGE_PDF_FONT", raising=False)
    from talentbridge.services.analytics_report import build_report, report_pdf

    with cli_db.session() as session:
        report = build_report(session, "2025-H1")
    with pytest.raises(ConfigurationError, match="fonts-nanum"):
        report_pdf(report)


def test_bad_period_and_format_are_refused(cli_db: Database, tmp_path: Path) -> None:
    from talentbridge.domain.errors import ValidationFailed

    with pytest.raises(SystemExit) as exit_info:
        main(["report", "programme", "--period", "2025-H9", "--format", "xlsx", "--output", str(tmp_path / "x")])
    assert exit_info.value.code != 0
    with pytest.raises((SystemExit, ValidationFailed)):
        main(["report", "programme", "--period", "2025-H1", "--format", "doc", "--output", str(tmp_path / "x")])
    assert not (tmp_path / "x").exists()


def test_refresh_recomputes_the_cells(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    main(["report", "refresh"])
    assert "analytics cells refreshed" in capsys.readouterr().out
