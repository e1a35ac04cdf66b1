"""A mistake in a part of a page that htmx fills in (a suggestion button) is explained there. htmx 2 swaps only
2xx answers, and htmx asks with Accept: */*, so until 2026-12-07 a résumé over the length limit got a JSON 422 that
the page never showed: the talent clicked and nothing happened."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_a_resume_over_the_limit_is_explained_where_the_suggestions_go(page: Any) -> None:
    sign_in(page, "talent")
    page.goto("/me")
    # past the form's limit (100,000 characters); set directly, as a paste of a whole document would
    page.evaluate("document.querySelector('#resume_text').value = 'PyTorch 기반 비전 검사 모델 개발. '.repeat(6000)")
    page.click("#suggest")
    card = page.locator("#suggestions [role=alert]")
    expect(card).to_be_visible()
    expect(card).to_contain_text("100000자 이하로 입력하세요")
    expect(page.locator("h1")).to_have_count(1)  # the card alone, not a second page inside the page
    # the résumé is still in the form, to shorten and try again
    assert len(page.input_value("#resume_text")) > 100_000
