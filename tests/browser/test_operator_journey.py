"""Operator: the dashboard's charts; a whole round in the browser — programme and round forms, openings and
participants found by search, opened, ranked by a talent and an organization on their own pages, run with two
mechanisms, compared side by side, approved and published, and the participant's result on their rounds page."""

from __future__ import annotations

import os
import re
import shutil
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, ROOT, screenshot, sign_in


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


def _demo_people(live_db) -> dict[str, Any]:
    """Names the operator searches for: the demo talent's name and the demo organization's name."""
    from sqlalchemy import select

    from talentbridge.storage.account_tables import UserRow
    from talentbridge.storage.tables import OrganizationRow, TalentRow

    with live_db.session() as session:
        talent_id = session.scalar(select(UserRow.talent_id).where(UserRow.email == ACCOUNTS["talent"]))
        org_id = session.scalar(select(UserRow.organization_id).where(UserRow.email == ACCOUNTS["org_member"]))
        return {
            "talent_id": talent_id,
            "talent": session.get(TalentRow, talent_id).name,
            "org_id": org_id,
            "organization": session.get(OrganizationRow, org_id).name,
        }


def _check_eligible(page, table: str, limit: int) -> int:
    """Tick up to ``limit`` enabled boxes of a search result table; returns how many were ticked."""
    boxes = page.locator(f"{table} input[type=checkbox]:not([disabled])")
    n = min(limit, boxes.count())
    for i in range(n):
        boxes.nth(i).check()
    return n


def _others_rank(live_db, round_id: int, skip: int) -> None:
    """The participants other than the demo talent rank every opening (as their rounds page would submit)."""
    from talentbridge.services.rounds import RoundService

    with live_db.session() as session:
        service = RoundService(session)
        openings = [o.opening_id for o in service.openings(round_id)]
        for i, p in enumerate(service.participants(round_id)):
            if p.talent_id != skip:
                k = i % len(openings)
                service.submit_talent_preferences(
                    round_id, p.talent_id, openings[k:] + openings[:k], actor="browser-test"
                )


def test_operator_sets_up_runs_compares_and_publishes_a_round(page, new_page, live_db) -> None:
    people = _demo_people(live_db)
    sign_in(page, "operator")
    page.click("nav >> text=매칭 라운드")
    expect(page.locator("h1")).to_have_text("사업 및 매칭 라운드")

    # A programme, then a round with a mechanism and a regional cap, from forms (a bad seed is refused first).
    page.click("#new-program")
    page.fill("#p-name", "브라우저 여정 인재교류 사업")
    page.select_option("#p-kind", "talent_exchange")
    page.fill("#p-start", "2027-03-01")
    page.fill("#p-end", "2027-02-01")
    page.click("main button[type=submit].primary")
    expect(page.locator("#form-errors")).to_contain_text("종료일이 시작일보다 앞섭니다.")
    page.fill("#p-end", "2027-12-31")
    page.click("main button[type=submit].primary")
    page.wait_for_url(re.compile(r"/operator/programs/\d+/rounds/new$"))
    page.fill("#r-name", "브라우저 여정 라운드")
    page.select_option("#r-mechanism", "flexible-da")
    page.fill("#r-seed", "-3")
    page.fill("#cap-capital", "3")
    page.click("main button[type=submit].primary")
    expect(page.locator("#form-errors")).to_contain_text("시드는 0 이상의 정수입니다.")
    page.fill("#r-seed", "7")
    page.click("main button[type=submit].primary")
    page.wait_for_url(re.compile(r"/operator/rounds/\d+/setup$"))
    round_id = int(page.url.split("/")[-2])

    # Opening it now is refused on the round page, in Korean.
    page.goto(f"/operator/rounds/{round_id}")
    page.click("button[value=open]")
    expect(page.locator("#page-errors")).to_contain_text("공고를 하나 이상 연결하세요.")
    expect(page.locator("#round-status")).to_have_text("작성 중")
    page.click("#readiness a")

    # Openings by search: the demo organization's, then more by skill.
    page.fill("#oorg", people["organization"])
    page.click("#opening-search button[type=submit]")
    expect(page.locator("#opening-results")).to_contain_text(people["organization"])
    assert _check_eligible(page, "#opening-results", 2) >= 1
    page.click("#attach-selected")
    page.fill("#oorg", "")
    page.fill("#oskill", "Python")
    page.select_option("#okind", "job")
    page.click("#opening-search button[type=submit]")
    assert _check_eligible(page, "#opening-results", 2) >= 1
    page.click("#attach-selected")
    attached = page.locator("#attached-openings tbody tr").count()
    assert attached >= 2

    # Participants by search: the demo talent by name, more by skill; who cannot take part says why.
    page.fill("#tq", people["talent"])
    page.click("#talent-search button[type=submit]")
    row = page.locator("#talent-results tbody tr", has_text=people["talent"]).first
    row.locator("input[type=checkbox]").check()
    page.click("#add-selected")
    expect(page.locator("#participants")).to_contain_text(people["talent"])
    expect(page.locator("#talent-results")).to_contain_text("이미 이 라운드의 참여자입니다.")  # the search is kept
    page.fill("#tq", "")
    page.fill("#tskill", "Python")
    page.click("#talent-search button[type=submit]")
    assert _check_eligible(page, "#talent-results", 5) >= 3
    page.click("#add-selected")
    members = page.locator("#participants tbody tr").count()
    assert members >= 4
    expect(page.locator("#ready")).to_be_visible()
    screenshot(page, "operator-round-setup")

    page.goto(f"/operator/rounds/{round_id}")
    page.click("button[value=open]")
    expect(page.locator("#round-status")).to_have_text("선호 제출 중")
    expect(page.locator("#page-notice")).to_have_text("선호 제출을 시작했습니다.")

    # The talent ranks on their rounds page; the organization generates its ranking on its own.
    talent = new_page()
    sign_in(talent, "talent")
    talent.goto("/me/rounds")
    card = talent.locator("main section.card", has_text="브라우저 여정 라운드")
    inputs = card.locator("input[name^='rank:']")
    for i in range(inputs.count()):
        inputs.nth(i).fill(str(i + 1))
    card.locator("button[type=submit]").click()
    expect(talent.locator("p.ok[role=status]")).to_have_text("순위를 제출했습니다.")
    _others_rank(live_db, round_id, skip=people["talent_id"])
    org = new_page()
    sign_in(org, "org_member")
    org.goto("/org/rounds")
    org_card = org.locator("main section.card", has_text="브라우저 여정 라운드")
    org_card.locator("form[action$='/generate'] button").first.click()
    expect(org.locator("main")).to_contain_text("적합도로 생성")

    # Close, fill the missing rankings, run two mechanisms, compare them side by side.
    page.reload()
    page.click("button[value=close]")
    expect(page.locator("#round-status")).to_have_text("마감")
    page.click("button[value=generate]")
    for mechanism in ("da", "flexible-da"):
        page.goto(f"/operator/rounds/{round_id}")
        page.select_option("#run-mechanism", mechanism)
        page.click("#run-form button[type=submit]")
        page.wait_for_url(re.compile(r"/jobs/\d+$"))  # the run is a background job; its page shows the progress
        page.locator("#job-compare").click(timeout=120_000)  # the page refreshes itself until the job is done
        page.wait_for_url(re.compile(r"/compare\?done=run$"))
    expect(page.locator("#comparison thead th[id^=run-]")).to_have_count(2)
    expect(page.locator("#comparison")).to_contain_text("지망 순위 분포")
    expect(page.locator("#comparison")).to_contain_text("수도권")
    expect(page.locator("#comparison .m-blocking")).to_have_count(2)
    shot = screenshot(page, "operator-run-comparison")
    if os.environ.get("TALENTBRIDGE_UPDATE_DOCS_SCREENSHOTS") == "1":  # the docs' picture, refreshed on request only
        docs = ROOT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, docs / "operator-run-comparison.png")

    # Approve the flexible-DA run as a person; the round is published.
    publish = page.locator("button[id^=publish-]").last
    expect(page.locator(".ai-notice").first).to_contain_text("사람")
    publish.click()
    expect(page.locator("#round-status")).to_have_text("공개됨")
    expect(page.locator("#page-notice")).to_contain_text("모든 참여자")

    # The participant sees their result on their rounds page.
    talent.goto("/me/rounds")
    result = talent.locator("main section.card", has_text="브라우저 여정 라운드").locator(".round-result")
    expect(result).to_contain_text("나의 결과")
    screenshot(talent, "talent-round-result")

    # The audit log holds the round's state changes.
    page.goto("/operator/audit-log?entity=round")
    for action in ("생성", "선호 제출 시작", "매칭 실행", "승인", "공개"):
        expect(page.locator("main table")).to_contain_text(action)


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


def _matched_round(live_db) -> int:
    """A demo round with openings, participants, talents' lists and two runs (prepared through the services)."""
    from sqlalchemy import select

    from talentbridge.services.round_review import RoundReviewService
    from talentbridge.services.round_setup import Actor
    from talentbridge.storage.repositories import Repositories
    from talentbridge.storage.tables import OpeningRow, TalentRow

    actor = Actor(None, "operator", "browser-test")
    with live_db.session() as session:
        review = RoundReviewService(session)
        program = Repositories(session).programs.list(size=1).items[0]
        rnd = review.setup.create_round(program.id, {"name": "휴대폰 확인용 라운드", "mechanism": "flexible-da"}, actor)
        openings = list(
            session.scalars(select(OpeningRow.id).where(OpeningRow.status == "open").order_by(OpeningRow.id).limit(3))
        )
        talents = list(
            session.scalars(
                select(TalentRow.id).where(TalentRow.consent_visible.is_(True)).order_by(TalentRow.id.desc()).limit(5)
            )
        )
        for oid in openings:
            review.rounds.attach_opening(rnd.id, oid)
        review.setup.add_participants(rnd.id, talents, actor)
        review.setup.open(rnd.id, actor)
        for i, tid in enumerate(talents):
            review.rounds.submit_talent_preferences(rnd.id, tid, openings[i % 3 :] + openings[: i % 3])
        review.setup.close(rnd.id, actor)
        review.setup.generate(rnd.id, actor)
        review.run(rnd.id, "da", None, actor)
        review.run(rnd.id, "max-welfare", None, actor)
    return rnd.id


def test_round_pages_fit_a_phone_and_label_every_field(new_page, live_db) -> None:
    from tests.browser.conftest import PHONE, horizontal_overflow
    from tests.browser.test_layout_and_keyboard import _unlabelled_fields

    round_id = _matched_round(live_db)
    page = new_page(PHONE)
    sign_in(page, "operator")
    for lang in ("ko", "en"):
        for path in (
            "/operator/programs/new",
            f"/operator/rounds/{round_id}",
            f"/operator/rounds/{round_id}/edit",
            f"/operator/rounds/{round_id}/setup?tq=김&oskill=Python",
            f"/operator/rounds/{round_id}/compare",
            f"/operator/rounds/{round_id}/placements",
        ):
            response = page.goto(path + ("&" if "?" in path else "?") + f"lang={lang}")
            assert response is not None and response.status == 200, path
            assert horizontal_overflow(page) <= 0, f"{path} ({lang}) scrolls sideways on a phone"
            assert _unlabelled_fields(page) == [], path
    page.goto(f"/operator/rounds/{round_id}/compare?lang=ko")
    screenshot(page, "phone-operator-run-comparison", full_page=False)
