"""AI Basic Act in the browser: every surface where AI ranks a person — for the talent (recommended openings, an
opening's fit score, a published round result) and for the organization (recommended talent, a generated round
ranking) — carries the AI notice and the human-review link; a talent and an organization ask for a review, an
operator answers, and the talent reads the answer; the operator generates the round's documentation pack."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, screenshot, sign_in


def _published_round(live_db: Any) -> dict[str, Any]:
    """A round with two of the demo organization's open openings, the demo talent and five others, rankings
    generated from fit scores, run and published (the services the operator's pages call)."""
    from sqlalchemy import select

    from talentbridge.domain import OpeningData
    from talentbridge.services.rounds import RoundService
    from talentbridge.storage.account_tables import UserRow
    from talentbridge.storage.repositories import Repositories
    from talentbridge.storage.tables import OpeningRow, TalentRow

    with live_db.session(write=True) as session:
        talent_id = session.scalar(select(UserRow.talent_id).where(UserRow.email == ACCOUNTS["talent"]))
        org_id = session.scalar(select(UserRow.organization_id).where(UserRow.email == ACCOUNTS["org_member"]))
        openings = list(
            session.scalars(
                select(OpeningRow.id)
                .where(OpeningRow.organization_id == org_id, OpeningRow.status == "open")
                .order_by(OpeningRow.id)
                .limit(2)
            )
        )
        repos = Repositories(session)
        while len(openings) < 2:
            made = repos.openings.add(
                OpeningData(organization_id=org_id, kind="internship", title=f"AI 인턴 {len(openings)}",
                            region="seoul", status="open",
                            required_skills=[{"skill_id": "python", "min_level": 2, "importance": "must"}])
            )  # fmt: skip
            openings.append(made.id)
        others = list(
            session.scalars(select(TalentRow.id).where(TalentRow.id != talent_id).order_by(TalentRow.id).limit(5))
        )
        service = RoundService(session)
        program = service.create_program({"name": "AI 기본법 검증 프로그램", "kind": "internship"})
        rnd = service.create_round({"program_id": program.id, "name": "AI 기록 라운드"})
        for oid in openings:
            service.attach_opening(rnd.id, oid, seats=1)
        for tid in [talent_id, *others]:
            service.add_participant(rnd.id, tid)
        service.open(rnd.id)
        for i, tid in enumerate([talent_id, *others]):
            order = openings if i % 2 == 0 else openings[::-1]
            service.submit_talent_preferences(rnd.id, tid, order, actor="browser-test")
        service.close(rnd.id)
        service.generate_organization_rankings(rnd.id, scope="all", actor="browser-test")
        run = service.run(rnd.id, actor="browser-test")
        service.publish(rnd.id, run.id, actor="운영자 <operator@demo.talentbridge.kr>")
        return {"round": rnd.id, "openings": openings, "talent": talent_id, "org": org_id}


def _notice_and_link(page: Any) -> Any:
    """The page's AI notice and its review link (asserted visible); returns the link."""
    expect(page.locator(".ai-notice, [data-ai-notice]").first).to_be_visible()
    link = page.locator("a[data-ai-review]").first
    expect(link).to_be_visible()
    expect(link).to_have_text("이 AI 결과에 대해 사람의 검토 요청하기")
    href = link.get_attribute("href") or ""
    assert re.search(r"^/ai/reviews/new\?(record=[0-9a-f]{32}|subject=round%3A\d+(%3Aopening%3A\d+)?)$", href), href
    return link


def _ask(page: Any, reason: str) -> None:
    expect(page.locator("h1")).to_have_text("사람의 검토 요청")
    page.fill("#reason", reason)
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/ai/reviews?sent=1")
    expect(page.locator("#page-notice")).to_be_visible()
    expect(page.locator("article.review").filter(has_text=reason)).to_have_count(1)


def test_every_ranking_surface_has_the_notice_and_a_review_reaches_an_operator_who_answers(
    new_page: Any, live_db: Any
) -> None:
    world = _published_round(live_db)

    # Talent: recommended openings, one opening's fit score, the published round result.
    talent = new_page()
    sign_in(talent, "talent")
    talent.goto("/me/recommendations")
    _notice_and_link(talent)
    # the person can check what the job-titles criterion read of their profile
    assert talent.locator("details p.muted", has_text="프로필에서 읽은 직함").count() > 0
    talent.goto(f"/me/openings/{world['openings'][0]}")
    _notice_and_link(talent)
    talent.goto("/me/rounds")
    section = talent.locator("section.card").filter(has_text="AI 기록 라운드")
    expect(section.locator("[data-ai-notice]")).to_be_visible()
    expect(section.locator("a[data-ai-review]")).to_have_attribute(
        "href", f"/ai/reviews/new?subject=round%3A{world['round']}"
    )
    talent.goto("/me/recommendations")
    _notice_and_link(talent).click()
    reason = "제 PyTorch 경력이 점수에 반영되지 않은 것 같습니다. 다시 봐 주세요."
    _ask(talent, reason)
    screenshot(talent, "talent-ai-review-request", full_page=False)

    # Organization: recommended talent for its opening, the generated round ranking.
    org = new_page()
    sign_in(org, "org_member")
    org.goto(f"/org/openings/{world['openings'][0]}")
    _notice_and_link(org)
    org.goto("/org/rounds")
    block = org.locator("section.card").filter(has_text="AI 기록 라운드")
    expect(block.locator("[data-ai-notice]").first).to_be_visible()
    block.locator("a[data-ai-review]").first.click()
    _ask(org, "생성된 순위의 근거를 사람이 확인해 주세요.")

    # Operator: both requests arrive (notification and list); answer the talent's.
    operator = new_page()
    sign_in(operator, "operator")
    operator.goto("/notifications")
    expect(operator.locator("text=AI 결과 검토 요청").first).to_be_visible()
    operator.click("nav >> text=AI 기록")
    expect(operator.locator("h1")).to_have_text("AI 기록")
    operator.click("text=사람 검토 요청")
    card = operator.locator("article.review").filter(has_text=reason)
    expect(card).to_have_count(1)
    answer = "확인 결과 PyTorch 수준 4가 반영되어 있습니다. 직무의 필수 기술 중 쿠버네티스가 없어 점수가 낮았습니다."
    card.locator("textarea").fill(answer)
    card.locator("button[type=submit]").click()
    operator.wait_for_url("**/operator/ai/reviews?answered=1")
    expect(operator.locator("article.review").filter(has_text=answer)).to_have_count(1)
    screenshot(operator, "operator-ai-reviews", full_page=False)

    # The talent is notified and reads the answer.
    talent.goto("/notifications")
    expect(talent.locator("text=AI 결과 검토 답변").first).to_be_visible()
    talent.click("nav >> text=AI 검토 요청")
    expect(talent.locator("article.review").filter(has_text=reason).locator(".answer")).to_contain_text(answer)

    # The operator generates the round's documentation pack from the round page: a background job whose page shows
    # the progress, then the files; the pack is kept and listed.
    operator.goto(f"/operator/rounds/{world['round']}")
    operator.click("#make-ai-pack")
    operator.wait_for_url(re.compile(r"/jobs/\d+$"))
    expect(operator.locator("h1")).to_contain_text("AI 기본법 문서 패키지")
    expect(operator.locator("#job-result a", has_text="pack.pdf")).to_be_visible(timeout=90_000)
    done = operator.request.get(operator.locator("#job-result a", has_text="pack.pdf").get_attribute("href"))
    assert done.status == 200 and done.body().startswith(b"%PDF")
    operator.goto("/operator/ai#packs")
    pdf = operator.locator("#packs a", has_text="pack.pdf").first
    expect(pdf).to_be_visible()
    response = operator.request.get(pdf.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    html = operator.request.get(operator.locator("#packs a", has_text="pack.html").first.get_attribute("href"))
    assert "공정성 감사" in html.text() and "0.8" in html.text()
    screenshot(operator, "operator-ai-records", full_page=False)
