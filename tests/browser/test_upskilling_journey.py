"""Upskilling, whole journey (issue 15): a talent picks a recommended opening on /me/growth → sees the gap and the
course cards → saves the path → marks a course completed → its skill shows on the profile; an organization picks
two employees and a target on /org/training → saves → finds the plan in the list → exports it; an operator reads
the course catalogue → the demanded skills no course teaches. In Korean, then English.

The demo has no course catalogue: the courses the journey needs (one per skill the chosen openings require) are
written through the database, as an operator's import would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import ACCOUNTS, screenshot, sign_in


def _account(live_db: Any, role: str) -> Any:
    from talentbridge.storage.account_tables import UserRow

    with live_db.session() as session:
        user = session.scalar(select(UserRow).where(UserRow.email == ACCOUNTS[role]))
        return user.talent_id, user.organization_id


def _teach(live_db: Any, opening_id: int, prefix: str) -> list[str]:
    """A course for every skill the opening requires (at its level); returns the skill ids."""
    from talentbridge.domain.course import CourseData, CourseSkill
    from talentbridge.services.course_catalogue import course_store
    from talentbridge.services.registry import registry

    with live_db.session() as session:
        opening = registry(session).openings.get(opening_id)
        skills = [(r.skill_id, max(r.min_level, 1)) for r in opening.required_skills]
        course_store(session).upsert_many([
            (CourseData(external_id=f"{prefix}-{sid}", provider="여정학원", title=f"{sid} 실무 과정",
                        title_en=f"{sid} in practice", hours=40, fee=200_000, programme_share=0.5,
                        teaches=[CourseSkill(skill_id=sid, level=level)]), False)
            for sid, level in skills
        ])  # fmt: skip
    return [s for s, _ in skills]


def _first_with_a_gap(live_db: Any, talent_id: int, opening_ids: list[int]) -> int:
    """The first recommended opening requiring a skill the talent does not hold at its level."""
    from talentbridge.services.registry import registry

    with live_db.session() as session:
        reg = registry(session)
        held = {s.skill_id: s.level for s in reg.talents.get(talent_id).skills}
        for oid in opening_ids:
            if any(held.get(r.skill_id, 0) < r.min_level for r in reg.openings.get(oid).required_skills):
                return oid
    raise AssertionError("no recommended opening has a gap")


def test_talent_growth_org_training_plan_operator_uncovered(new_page: Any, live_db: Any) -> None:
    talent_id, _ = _account(live_db, "talent")
    _, org_id = _account(live_db, "org_member")

    # talent: a recommended opening → gap → course cards → save → completed → on the profile
    page = new_page()
    sign_in(page, "talent")
    page.goto("/me/growth")
    options = page.locator("#growth-opening option")
    expect(options.first).to_be_attached()
    ids = [int(v) for v in options.evaluate_all("os => os.map(o => o.value)")]
    opening_id = _first_with_a_gap(live_db, talent_id, ids)
    _teach(live_db, opening_id, "journey-talent")
    page.select_option("#growth-opening", str(opening_id))
    page.click("text=부족한 기술과 경로 보기 >> nth=0")
    page.wait_for_url(re.compile(r"/me/growth\?kind=opening"))
    expect(page.locator("#gap-title")).to_be_visible()
    cards = page.locator("article.course-card")
    expect(cards.first).to_be_visible()
    screenshot(page, "talent-growth-path")
    page.click("text=이 경로 저장")
    expect(page.locator("[role=status]")).to_have_text("저장했습니다.")
    first = page.locator("article.course-card").first
    title = first.locator("h3").inner_text()
    first.locator("button", has_text="수료했습니다").click()
    page.wait_for_url(re.compile(r"/me/growth"))
    assert title  # the completed course's skill is now held, so the recomputed path may no longer list it
    page.goto("/me")
    expect(page.locator("body")).to_contain_text("수료 과정으로 습득")
    page.goto("/me/growth?lang=en")
    expect(page.locator("h1")).to_have_text("Growth path")
    expect(page.locator("#growth-opening")).to_be_visible()

    # organization: two employees + one of its openings → saved → listed → exported
    from talentbridge.services.registry import registry

    with live_db.session() as session:
        reg = registry(session)
        opening = reg.openings.list({"organization_id": org_id}, size=1, sort="-created_at").items[0]
        staff = list(reg.talents.iter_all(filters={"current_employer_id": org_id}))
        for t in reg.talents.list({}, size=2, sort="id").items[: max(0, 2 - len(staff))]:
            reg.talents.update(t.id, {"current_employer_id": org_id})
    _teach(live_db, opening.id, "journey-org")
    org = new_page()
    sign_in(org, "org_member")
    org.goto("/org/training")
    boxes = org.locator("#group-plan input[name=talent_ids]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    org.select_option("#group-opening", str(opening.id))
    org.fill("#group-name", "여정 교육 계획")
    org.click("#group-plan button[type=submit]")
    org.wait_for_url(re.compile(r"/org/training/plans/\d+\?saved=1"))
    expect(org.locator("#plan-summary")).to_contain_text(opening.title)
    expect(org.locator("section.card").first).to_contain_text("직원 2명")
    screenshot(org, "org-training-plan")
    org.click("text=저장된 교육 계획")
    link = org.locator("table a", has_text="여정 교육 계획")
    expect(link).to_have_count(1)
    link.click()
    with org.expect_download() as download:
        org.click("text=CSV 내보내기")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("plan,target,employee_id") and "여정 교육 계획" in text
    org.goto("/org/training/plans?lang=en")
    expect(org.locator("h1")).to_have_text("Saved training plans")

    # operator: the catalogue → the demanded skills no course teaches
    op = new_page()
    sign_in(op, "operator")
    op.goto("/operator/courses")
    expect(op.locator("body")).to_contain_text("여정학원")
    op.click("text=가르치는 과정이 없는 수요 기술")
    op.wait_for_url(re.compile(r"/operator/courses/uncovered"))
    rows = op.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 1
    op.goto("/operator/courses/uncovered?lang=en")
    expect(op.locator("h1")).to_have_text("Demanded skills no course teaches")
