"""Talent: paste a résumé, accept suggested skills, save the profile, see recommended openings, criteria."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

RESUME = "PyTorch 기반 비전 검사 모델 개발 3년, Kubernetes로 MLOps 파이프라인 구축"
WANTED = ["쿠버네티스", "MLOps"]  # skills named in the résumé (Korean labels of the built-in taxonomy)


def test_talent_builds_a_profile_from_a_resume_and_sees_recommendations(page) -> None:
    sign_in(page, "talent")
    page.goto("/me")
    expect(page.locator("h1")).to_have_text("내 프로필")
    page.fill("#resume_text", RESUME)
    page.click("#suggest")

    # HTMX swaps the suggestions in; each names the words of the résumé it came from.
    suggestions = page.locator("#suggestions tr.suggestion")
    expect(suggestions.first).to_be_visible()
    for label in WANTED:
        row = suggestions.filter(has_text=label).first
        expect(row).to_be_visible()
    expect(suggestions.filter(has_text="쿠버네티스").locator("q").first).to_contain_text("Kubernetes")
    page.locator("label[for=resume_text]").evaluate("el => el.scrollIntoView()")
    screenshot(page, "talent-profile-suggestions", full_page=False)

    # Accept exactly the skills the résumé names, at level 4.
    boxes = page.locator("#suggestions input[name=accept]")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    for label in WANTED:
        row = suggestions.filter(has_text=label).first
        row.locator("input[name=accept]").check()
        row.locator("select").select_option("4")
    page.click("#accept-skills")
    page.wait_for_url("**/me?saved=1")
    expect(page.locator("[role=status]")).to_have_text("저장했습니다.")

    my_skills = page.locator("#skills-form tbody tr")
    for label in WANTED:
        row = my_skills.filter(has_text=label)
        expect(row).to_have_count(1)
        expect(row.locator("select")).to_have_value("4")
    expect(page.locator("#resume_text")).to_have_value(RESUME)  # the résumé the skills came from is kept

    # Save the profile itself (consent to be shown, full-time work too).
    page.check("input[name=consent_visible]")
    page.check("input[name=employment_types][value=full_time]")
    page.click("#profile-form button[type=submit].primary")
    page.wait_for_url("**/me?saved=1")
    expect(page.locator("input[name=consent_visible]")).to_be_checked()

    # Recommendations: each with a score, matched skills and the criteria behind the score.
    page.click("nav >> text=추천 공고")
    expect(page.locator("h1")).to_have_text("추천 공고")
    cards = page.locator("article.recommendation")
    expect(cards.first).to_be_visible()
    first = cards.first
    score = int(first.locator(".score").inner_text().split()[-1])
    assert 0 <= score <= 100
    expect(first.locator("text=일치하는 기술")).to_be_visible()
    first.locator("summary").click()
    criteria = first.locator("details tbody tr")
    expect(criteria.first).to_be_visible()
    expect(criteria.filter(has_text="기술").first).to_be_visible()
    expect(page.locator(".ai-notice")).to_contain_text("AI")
    screenshot(page, "talent-recommendations", full_page=False)

    # Switching to English translates the page, recommendations included.
    page.click("a[hreflang=en]")
    expect(page.locator("h1")).to_have_text("Recommended openings")
    expect(page.locator("article.recommendation").first.locator("text=Matched skills")).to_be_visible()
