"""Phone-sized screens, both languages, keyboard use: the main pages never scroll sideways at 390x844, every
form field has a label, Tab reaches the first field of a form and the focus is visible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, horizontal_overflow, screenshot, sign_in

MAIN_PAGES = {
    None: ["/login", "/signup", "/password-reset"],
    "talent": ["/me", "/me/recommendations", "/me/applications", "/me/rounds", "/ai/reviews"],
    "org_member": ["/org", "/org/openings", "/org/rounds", "/ai/reviews/new?subject=round%3A1"],
    "operator": ["/operator", "/operator/search?q=AI", "/operator/rounds", "/operator/audit-log", "/operator/ai",
                 "/operator/ai/reviews"],
}


def _unlabelled_fields(page) -> list[str]:
    """Visible inputs, selects and textareas without a label, aria-label or aria-labelledby."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => el.offsetParent !== null)
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.getAttribute('aria-labelledby'))
              .map(el => el.outerHTML.slice(0, 120))"""
    )


@pytest.mark.parametrize("role", list(MAIN_PAGES), ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_main_pages_fit_a_phone_and_label_every_field(new_page, role: str | None, lang: str) -> None:
    page = new_page(PHONE)
    if role:
        sign_in(page, role)
    for path in MAIN_PAGES[role]:
        response = page.goto(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", lang)
        if path == "/operator":
            expect(page.locator("#chart-family svg")).to_be_visible()
        assert horizontal_overflow(page) <= 0, f"{path} ({lang}) scrolls sideways on a phone"
        assert _unlabelled_fields(page) == [], path
    detail = {"org_member": "/org/openings", "operator": "/operator/rounds"}.get(role)
    if detail:  # the first opening or round: detail pages hold the widest tables
        page.goto(detail)
        links = page.locator("main table a")
        if links.count():
            links.first.click()
            page.wait_for_load_state()
            assert horizontal_overflow(page) <= 0, f"{page.url} ({lang}) scrolls sideways on a phone"
            assert _unlabelled_fields(page) == [], page.url
    if role == "talent" and lang == "ko":
        page.goto("/me/recommendations")
        expect(page.locator("article.recommendation").first).to_be_visible()
        screenshot(page, "phone-talent-recommendations", full_page=False)


def test_the_language_switch_keeps_the_page_and_is_remembered(page) -> None:
    sign_in(page, "operator")
    page.goto("/operator/search?q=AI")
    expect(page.locator("h1")).to_have_text("검색")
    page.click("a[hreflang=en]")
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator("#q")).to_have_value("AI")  # the query survives the switch
    page.click("nav >> text=Rounds")
    expect(page.locator("h1")).to_have_text("Programmes and rounds")  # and the choice is remembered
    page.click("a[hreflang=ko]")
    expect(page.locator("h1")).to_have_text("사업 및 매칭 라운드")


def test_tab_reaches_the_first_field_and_focus_is_visible(page) -> None:
    page.goto("/login")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    else:
        pytest.fail("Tab never reached the email field")
    focused = page.locator("#email")
    expect(focused).to_be_focused()
    style = focused.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, style

    # The skip link is the first stop and takes keyboard users to the content.
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, "the skip link must be on screen when focused"

    # Typing and Enter sign in without a mouse.
    page.fill("#email", "talent@demo.talentbridge.kr")
    page.focus("#password")
    page.keyboard.type("talentbridge-demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/me")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("내 프로필")
