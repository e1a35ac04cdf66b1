"""Organization: post an opening with skills suggested from its text, then see recommended talent with the
reasons behind each score — only people who agreed to be shown."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

TITLE = "비전 검사 AI 엔지니어 (브라우저 테스트)"
DESCRIPTION = (
    "PyTorch로 제조 라인의 비전 검사 모델을 개발하고 Kubernetes 기반 MLOps 파이프라인으로 배포합니다. "
    "Python, 컴퓨터 비전, 딥러닝 경험이 필요합니다."
)


def test_organization_posts_an_opening_and_sees_recommended_talent(page, live_db) -> None:
    sign_in(page, "org_member")
    page.click("nav >> text=공고")
    expect(page.locator("h1")).to_have_text("공고")

    page.fill("#title", TITLE)
    page.select_option("#kind", "job")
    page.fill("#description", DESCRIPTION)
    page.click("#suggest-skills")
    rows = page.locator("#skill-suggestions tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("#skill-suggestions .ai-notice")).to_be_visible()
    labels = page.locator("#skill-suggestions tbody tr td:nth-child(2)").all_inner_texts()
    assert any("파이토치" in x or "PyTorch" in x for x in labels), labels
    # Keep PyTorch as a must-have at level 3; keep the other suggestions as they are.
    pytorch = rows.filter(has_text=re.compile("파이토치|PyTorch")).first
    pytorch.locator("input[name=accept]").check()
    pytorch.locator("select[name^=importance]").select_option("must")
    page.select_option("#region", "gyeonggi")
    page.fill("#seats", "2")
    page.click("#opening-form button[type=submit].primary")

    page.wait_for_url(re.compile(r"/org/openings/\d+$"))
    opening_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator("h1 .badge")).to_have_text("모집 중")
    expect(page.locator("text=파이토치 ≥3 · 필수")).to_be_visible()

    cards = page.locator("article.recommendation")
    expect(cards.first).to_be_visible()
    first = cards.first
    expect(first.locator("h2")).to_contain_text(re.compile(r"\d+"))
    first.locator("summary").click()
    expect(first.locator("details tbody tr").first).to_be_visible()
    assert first.locator(".badge").count() > 0  # matched, partial or missing skills, each named
    page.locator("h2", has_text="추천 인재").evaluate("el => el.scrollIntoView()")
    screenshot(page, "org-opening-recommended-talent", full_page=False)

    # Everyone recommended agreed to be shown.
    shown = [int(x) for x in cards.evaluate_all("els => els.map(e => e.dataset.id)")]
    assert shown
    from sqlalchemy import select

    from talentbridge.storage.tables import TalentRow

    with live_db.session() as session:
        rows = session.execute(select(TalentRow.id, TalentRow.consent_visible).where(TalentRow.id.in_(shown)))
        consent = {talent_id: visible for talent_id, visible in rows}
    assert all(consent[t] for t in shown), consent
    assert opening_id > 0
