"""Operator: the dashboard's charts; a round created in the browser, prepared through the round service (its
openings, participants and preferences have no operator form), opened, closed, run, checked, published."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in


def test_dashboard_draws_its_charts(page) -> None:
    sign_in(page, "operator")
    expect(page.locator("h1")).to_have_text("대시보드")
    expect(page.locator("main section.card h2")).to_have_count(4)
    charts = page.locator("div.chart")
    assert charts.count() + page.locator(".empty-chart").count() == 4  # a chart, or "no data yet"
    assert charts.count() >= 3
    for i in range(charts.count()):
        expect(charts.nth(i).locator("svg")).to_be_visible()  # ECharts renders SVG
        expect(charts.nth(i).locator("svg path").first).to_be_attached()
    expect(page.locator("#chart-family svg")).to_contain_text("수요")  # legend in Korean
    screenshot(page, "operator-dashboard")


def _prepare(live_db, round_id: int) -> list[int]:
    """Attach three open openings and six consenting talents to the draft round; returns the opening ids."""
    from sqlalchemy import select

    from talentbridge.services.rounds import RoundService
    from talentbridge.storage.tables import OpeningRow, TalentRow

    with live_db.session() as session:
        openings = list(
            session.scalars(
                select(OpeningRow.id)
                .where(OpeningRow.status == "open", OpeningRow.kind == "job")
                .order_by(OpeningRow.id)
                .limit(3)
            )
        )
        talents = list(
            session.scalars(
                select(TalentRow.id)
                .where(TalentRow.consent_visible.is_(True), TalentRow.current_employer_id.is_(None))
                .order_by(TalentRow.id.desc())
                .limit(6)
            )
        )
        service = RoundService(session)
        for oid in openings:
            service.attach_opening(round_id, oid, seats=2)
        for tid in talents:
            service.add_participant(round_id, tid)
    return openings


def _submit_talent_preferences(live_db, round_id: int, openings: list[int]) -> None:
    from talentbridge.services.rounds import RoundService

    with live_db.session() as session:
        service = RoundService(session)
        for i, p in enumerate(service.participants(round_id)):
            ranking = openings[i % 3 :] + openings[: i % 3]  # everyone ranks every opening, in turn
            service.submit_talent_preferences(round_id, p.talent_id, ranking, actor="browser-test")


def test_operator_runs_a_round_and_publishes_it(page, live_db) -> None:
    sign_in(page, "operator")
    page.click("nav >> text=매칭 라운드")
    expect(page.locator("h1")).to_have_text("사업 및 매칭 라운드")
    program = page.locator("main section.card").first
    program.locator("input[name=name]").fill("브라우저 테스트 라운드")
    program.locator("select[name=mechanism]").select_option("da")
    program.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/operator/rounds/\d+$"))
    round_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#round-status")).to_have_text("작성 중")

    openings = _prepare(live_db, round_id)
    page.reload()
    expect(page.locator("main")).to_contain_text("참여자: 6")
    page.click("button[value=open]")
    expect(page.locator("#round-status")).to_have_text("선호 제출 중")

    _submit_talent_preferences(live_db, round_id, openings)
    page.reload()
    expect(page.locator("main")).to_contain_text("직접 제출 6")
    page.click("button[value=close]")
    expect(page.locator("#round-status")).to_have_text("마감")
    page.click("button[value=generate]")
    expect(page.locator("main")).to_contain_text("적합도로 생성 3")

    page.click("button[value=run]")
    expect(page.locator("#round-status")).to_have_text("매칭 완료(검토 대기)")
    expect(page.locator("#h-diag")).to_be_visible()
    expect(page.locator("#diag-blocking")).to_have_text("0")
    matched = int(page.locator("#diag-matched").inner_text())
    assert 1 <= matched <= 6
    expect(page.locator("#h-diag ~ table").last.locator("tbody tr")).to_have_count(matched)
    screenshot(page, "operator-round-diagnostics")

    expect(page.locator(".ai-notice")).to_contain_text("사람")
    page.click("button[value=publish]")
    expect(page.locator("#round-status")).to_have_text("공개됨")
    expect(page.locator("main")).to_contain_text("공개 승인자")
    expect(page.locator("button[name=action]")).to_have_count(0)  # nothing left to do on a published round


def test_auditor_sees_operator_pages_without_action_buttons(page, live_db) -> None:
    from talentbridge.services.rounds import RoundService
    from talentbridge.storage.repositories import Repositories

    with live_db.session() as session:
        program = Repositories(session).programs.list(size=1).items[0]
        RoundService(session).create_round({"program_id": program.id, "name": "감사 확인용 라운드"})
    sign_in(page, "auditor")
    expect(page.locator("h1")).to_have_text("대시보드")
    page.goto("/operator/rounds")
    expect(page.locator("h1")).to_have_text("사업 및 매칭 라운드")
    expect(page.locator("main form")).to_have_count(0)  # no "create round" forms
    page.locator("main table a", has_text="감사 확인용 라운드").first.click()
    expect(page.locator("#round-status")).to_have_text("작성 중")
    expect(page.locator("button[name=action]")).to_have_count(0)
    page.goto("/operator/audit-log")
    expect(page.locator("h1")).to_have_text("감사 로그")
    expect(page.locator("main table tbody tr").first).to_be_visible()
