"""Every role signs in through the browser and lands on its start page; the language switch works."""

import pytest

from tests.browser.conftest import screenshot, sign_in

START = {"talent": "/me", "org_member": "/org", "operator": "/operator", "auditor": "/operator"}


def test_login_page_is_korean_by_default_and_switches_to_english(page) -> None:
    page.goto("/login")
    assert page.locator("h1").inner_text() == "로그인"
    screenshot(page, "login")
    page.click("a[hreflang=en]")
    assert page.locator("h1").inner_text() == "Sign in"


def test_wrong_password_shows_a_clear_message(page) -> None:
    page.goto("/login")
    page.fill("#email", "operator@demo.talentbridge.kr")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit].primary")
    assert "틀렸습니다" in page.locator("[role=alert]").inner_text()


@pytest.mark.parametrize("role", sorted(START))
def test_each_role_lands_on_its_start_page(page, role: str) -> None:
    sign_in(page, role)
    assert page.url.endswith(START[role]), page.url
