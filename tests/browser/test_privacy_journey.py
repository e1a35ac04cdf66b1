"""Talent privacy journey in Chromium: find 'my data' in the navigation, download it, withdraw a consent and see its
effect, delete the account (with the confirmation), and land on the privacy page signed out. Uses its own talent
account, so the demo accounts other browser tests sign in with stay intact."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import screenshot

PASSWORD = "privacy-journey-123"


def _talent_account(live_db) -> str:  # type: ignore[no-untyped-def]
    from talentbridge.domain import SkillClaim, TalentData
    from talentbridge.services import accounts
    from talentbridge.storage.repositories import Repositories

    email = f"privacy-{uuid.uuid4().hex[:8]}@example.org"
    with live_db.session() as session:
        talent = Repositories(session).talents.add(
            TalentData(name="정하늘", external_id=email, email=email, region="daejeon", consent_visible=True,
                       consent_statistics=True, skills=[SkillClaim(skill_id="python", level=3)])
        )  # fmt: skip
        accounts.create_user(session, email=email, password=PASSWORD, role="talent", name="정하늘",
                             talent_id=talent.id)  # fmt: skip
    return email


def test_talent_downloads_withdraws_and_deletes(page, live_db) -> None:
    email = _talent_account(live_db)
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")

    page.click("nav >> text=내 정보와 개인정보 보호")
    expect(page.locator("h1")).to_have_text("내 정보와 개인정보 보호")
    expect(page.locator("#held")).to_contain_text("정하늘")

    with page.expect_download() as info:
        page.click("text=내 정보 내려받기(JSON)")
    doc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert doc["profile"]["email"] == email

    page.locator("#consents form").first.locator("button").click()
    expect(page.locator("#consents [role=status]")).to_contain_text("AI도 회원님을 기관에 추천하지 않습니다")
    expect(page.locator("#consents dd").first).to_contain_text("철회함")
    screenshot(page, "talent-privacy-consent-withdrawn", full_page=False)

    page.fill("#confirm", "삭제")
    page.check("input[name=understood]")
    page.click("#delete button[type=submit]")
    page.wait_for_url("**/privacy?erased=1")
    expect(page.locator("[role=status]")).to_contain_text("개인정보를 파기했습니다")
    page.goto("/me/privacy")
    assert "/login" in page.url or page.locator("h1").inner_text() != "내 정보와 개인정보 보호"


def test_privacy_page_fits_a_phone(new_page) -> None:
    from tests.browser.conftest import horizontal_overflow

    phone = new_page({"width": 390, "height": 844})
    phone.goto("/privacy")
    expect(phone.locator("h1")).to_have_text("TalentBridge의 개인정보 처리 방침")
    assert horizontal_overflow(phone) == 0
