"""Talent, whole journey: add a skill by hand via the taxonomy search → search every open opening with filters →
open one (pay, requirements, my criteria) → apply → withdraw."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in


def test_talent_adds_a_skill_searches_applies_and_withdraws(page) -> None:
    sign_in(page, "talent")
    page.goto("/me")
    page.fill("#skill-query", "쿠버")
    row = page.locator("#skill-search-results li[data-skill=kubernetes]")
    expect(row).to_be_visible()
    row.locator("select[name=level]").select_option("4")
    row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/me\?saved=1"))
    mine = page.locator("#skills-form tbody tr").filter(has_text="쿠버네티스")
    expect(mine).to_have_count(1)
    expect(mine.locator("select")).to_have_value("4")

    # English names find the same skills
    page.fill("#skill-query", "Kubernetes")
    expect(page.locator("#skill-search-results li[data-skill=kubernetes]")).to_be_visible()

    page.click("nav >> text=공고 찾기")
    expect(page.locator("h1")).to_have_text("공고 찾기")
    total = int(re.sub(r"\D", "", page.locator("#result-count").inner_text()))
    assert total > 20  # every open opening, not only the 20 recommended ones
    page.select_option("#kind", "job")
    page.select_option("#organization_kind", "ai_startup")
    page.fill("#skill-filter-query", "파이썬")
    python = page.locator("#skill-filter-results input[name=skill][value=python]")
    expect(python).to_be_visible()
    python.check()
    page.click("#opening-search button[type=submit].primary")
    page.wait_for_url(re.compile(r"/me/openings\?.*kind=job"))
    results = page.locator("li.opening-result")
    expect(results.first).to_be_visible()
    filtered = int(re.sub(r"\D", "", page.locator("#result-count").inner_text()))
    assert 0 < filtered < total
    for text in results.all_inner_texts()[:5]:
        assert "채용" in text and "AI 스타트업" in text
    expect(page.locator("label.chip")).to_contain_text("파이썬")  # the skill filter stays chosen
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "talent-opening-search", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    # open results until one the talent has not applied to yet
    links = [a.get_attribute("href") for a in page.locator("li.opening-result h2 a").all()]
    for href in links:
        page.goto(href)
        if page.locator("#apply-button").count():
            break
    expect(page.locator("#salary")).to_be_visible()
    expect(page.locator("#opening-details")).to_contain_text("필수")
    expect(page.locator("#my-fit .ai-notice")).to_contain_text("AI")
    expect(page.locator("#my-fit")).to_contain_text(re.compile(r"\d"))
    title = page.locator("h1").evaluate("e => e.firstChild.textContent.trim()")
    page.click("#apply-button")
    page.wait_for_url(re.compile(r"/me/applications\?applied=1"))
    expect(page.locator("[role=status]")).to_have_text("지원서를 보냈습니다.")
    row = page.locator("tr.application").filter(has_text=title).first
    expect(row.locator(".stage")).to_have_text("지원")
    row.locator("form.withdraw button").click()
    expect(page.locator("[role=status]")).to_have_text("지원을 철회했습니다.")
    row = page.locator("tr.application").filter(has_text=title).first
    expect(row.locator(".stage")).to_have_text("지원 철회")
