"""Accounts journey in the browser: a person signs up as a member of an organization found by name; an operator
sees the waiting signup, activates it (the member can then sign in) and changes its role; the member is told."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import screenshot, sign_in


def test_operator_activates_a_signup_and_changes_its_role(new_page: Any, live_db: Any) -> None:
    from talentbridge.storage.tables import OrganizationRow

    with live_db.session() as session:
        org_name = session.scalar(select(OrganizationRow.name).order_by(OrganizationRow.id).limit(1))
    email = f"member-{uuid.uuid4().hex[:6]}@test.kr"

    visitor = new_page()
    visitor.goto("/signup")
    visitor.fill("#name", "한지민")
    visitor.fill("#email", email)
    visitor.fill("#password", "browser-pass-123")
    visitor.check("input[name=role][value=org_member]")
    visitor.fill("#organization_name", org_name)
    choice = visitor.locator("#org-choices input[name=organization_id]").first
    expect(choice).to_be_visible()  # found by name (HTMX), never typed as an id
    choice.check()
    visitor.click("form[action='/signup'] button[type=submit]")
    expect(visitor.locator("[role=status], .ok, p").filter(has_text="운영자가 확인한 뒤 계정을 활성화")).to_have_count(1)

    operator = new_page()
    sign_in(operator, "operator")
    expect(operator.locator("a.notices-link .count")).to_be_visible()  # "a signup is waiting"
    operator.goto("/operator/accounts")
    row = operator.locator("section.callout tr", has_text=email)
    expect(row).to_be_visible()
    screenshot(operator, "operator-accounts")
    row.get_by_role("button", name="활성화").click()
    expect(operator.get_by_role("status").filter(has_text="계정을 활성화하고")).to_be_visible()

    member = new_page()
    member.goto("/login")
    member.fill("#email", email)
    member.fill("#password", "browser-pass-123")
    member.click("button[type=submit].primary")
    member.wait_for_url("**/org")

    operator.goto(f"/operator/accounts?q={email}")
    account = operator.locator("#accounts tbody tr", has_text=email)
    account.locator("select[name=role]").select_option("talent")
    account.get_by_role("button", name="역할 변경").click()
    expect(operator.get_by_role("status").filter(has_text="역할을 바꾸고")).to_be_visible()
    expect(operator.locator("#accounts tbody tr", has_text=email)).to_contain_text("인재")

    member.goto("/notifications")
    expect(member.locator("ul.notices")).to_contain_text("계정이 활성화되었습니다")

    operator.goto("/operator/audit-log?entity=user")
    expect(operator.locator("main table")).to_contain_text("역할 변경")
    expect(operator.locator("main table")).to_contain_text("org_member → talent")
