"""Importing a file in the browser: an operator uploads a talent file with mistakes, sees every bad row and why
(nothing written), downloads the rejected rows, then uploads the corrected file and sees it written. Until
2026-12-07 the page answered the HTMX upload of a bad file with 422, which htmx 2 does not swap: the operator saw
nothing at all. Rows written for this test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import sign_in

HEAD = "external_id,name,email,phone,birth_year,category,region,skills,resume_text\n"
GOOD_ROW = 'JRN-IMP-1,김비전,vision.kim@example.kr,010-1234-5678,1994,engineer,경기,python:5,"PyTorch 기반 비전 검사 모델 개발"\n'
BAD_ROW = 'JRN-IMP-2,이데이터,data.lee@example.kr,010-2222-3333,19x0,wizard,서울,python:4,"데이터 분석가. SQL, Tableau"\n'
FIXED_ROW = 'JRN-IMP-2,이데이터,data.lee@example.kr,010-2222-3333,1990,engineer,서울,python:4,"데이터 분석가. SQL, Tableau"\n'


def _upload(page: Any, path: Path) -> Any:
    page.select_option("#import-entity", "talents")
    page.set_input_files("#import-file", str(path))
    page.click("form[action='/operator/data/import'] button[type=submit]")
    return page.locator("#import-report")


def test_operator_sees_why_rows_are_refused_then_imports_the_fixed_file(new_page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "talents.csv"
    bad.write_text(HEAD + GOOD_ROW + BAD_ROW, encoding="utf-8")
    operator = new_page()
    sign_in(operator, "operator")
    operator.click("nav a[href='/operator/data']")

    report = _upload(operator, bad)
    expect(report).to_contain_text("아무것도 저장하지 않았습니다: 2행 중 1행에 문제가 있습니다")
    rows = report.locator("table.report tbody tr")
    expect(rows.filter(has_text="wizard")).to_have_count(1)  # the category, with its reason
    expect(rows.filter(has_text="19x0")).to_have_count(1)  # the birth year
    link = report.locator("a[href^='/operator/data/rejects/']")
    with operator.expect_download() as download:
        link.click()
    assert "JRN-IMP-2" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    fixed = tmp_path / "talents-fixed.csv"
    fixed.write_text(HEAD + GOOD_ROW + FIXED_ROW, encoding="utf-8")
    report = _upload(operator, fixed)
    expect(report).to_contain_text("2행 중 2행을 가져왔습니다")
    expect(report.locator("table.report")).to_have_count(0)
