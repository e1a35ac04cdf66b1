"""Organization, whole journey: post an opening with pay, terms and a skill found by name → see recommended
talent → invite one → the invited person accepts → move the applicant through stages with a note."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

TITLE = "제조 비전 MLOps 엔지니어 (파이프라인 테스트)"


def test_organization_posts_invites_and_moves_an_applicant(page, live_db) -> None:
    sign_in(page, "org_member")
    page.click("nav >> text=공고")
    page.fill("#title", TITLE)
    page.select_option("#kind", "job")
    page.select_option("#contract_type", "permanent")
    page.fill("#description", "PyTorch 비전 검사 모델을 Kubernetes로 배포하고 운영합니다.")
    # a skill found by its Korean name (HTMX autocomplete), kept as a must-have at level 3
    page.fill("#skill-query", "파이토치")
    row = page.locator("#skill-search-results li[data-skill=pytorch]")
    expect(row).to_be_visible()
    row.locator("select[name^=importance]").select_option("must")
    page.select_option("#region", "gyeonggi")
    page.fill("#salary_min", "6,500")
    page.fill("#salary_max", "9천만원")
    page.fill("#min_years_experience", "2")
    page.select_option("#min_degree", "bachelor")
    page.fill("#deadline", (date.today() + timedelta(days=21)).isoformat())
    page.fill("#seats", "2")
    # a salary the form cannot read is refused with its reason, and nothing typed is lost
    page.fill("#salary_max", "구천쯤")
    page.click("#opening-form button[type=submit].primary")
    expect(page.locator("#form-errors")).to_contain_text("연봉 상한")
    expect(page.locator("#title")).to_have_value(TITLE)
    expect(page.locator("#salary_max")).to_have_value("구천쯤")
    expect(page.locator("#chosen-skills")).to_contain_text("파이토치")
    page.fill("#salary_max", "9천만원")
    page.click("#opening-form button[type=submit].primary")

    page.wait_for_url(re.compile(r"/org/openings/\d+$"))
    opening_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#salary")).to_have_text("6,500만원 – 9,000만원")
    expect(page.locator("#opening-details")).to_contain_text("정규직")
    expect(page.locator("text=파이토치 ≥3 · 필수")).to_be_visible()

    # invite the first recommended person
    invite = page.locator("form.invite").first
    expect(invite).to_be_visible()
    talent_id = int(invite.get_attribute("data-talent"))
    invite.locator("button").click()
    expect(page.locator("[role=status]")).to_have_text("초대를 보냈습니다.")
    expect(page.locator("#invitations tbody tr")).to_have_count(1)

    # the invited person accepts (their side of it is covered by tests/web/test_opening_pages.py)
    from sqlalchemy import select

    from talentbridge.services.accounts import Role, User
    from talentbridge.services.invitations import InvitationService
    from talentbridge.storage.application_tables import InvitationRow

    with live_db.session() as session:
        inv = session.scalar(select(InvitationRow.id).where(InvitationRow.opening_id == opening_id))
        who = User(id=0, email="invited@talent.kr", name="invited", role=Role.TALENT, talent_id=talent_id)
        InvitationService(session).accept(inv, talent_id, who)
    page.reload()
    applicant = page.locator(f"tr.applicant[data-talent='{talent_id}']")
    expect(applicant.locator(".stage")).to_have_text("지원")

    # move through the pipeline with a note; the history says who moved whom and when
    for stage, note in (("screening", ""), ("interview", "1차 면접: 12월 10일 14시")):
        applicant.locator("select[name=status]").select_option(stage)
        applicant.locator("textarea[name=note]").fill(note)
        applicant.locator("form.move button").click()
        expect(page.locator("[role=status]")).to_have_text("지원자의 단계를 저장했습니다.")
        applicant = page.locator(f"tr.applicant[data-talent='{talent_id}']")
    expect(applicant.locator(".stage")).to_have_text("면접")
    applicant.locator("details.history summary").click()
    history = applicant.locator("details.history li")
    expect(history).to_have_count(3)
    expect(history.nth(2)).to_contain_text("서류 검토 → 면접")
    expect(history.nth(2)).to_contain_text("1차 면접: 12월 10일 14시")
    expect(history.nth(2)).to_contain_text("org@demo.talentbridge.kr")
    screenshot(page, "org-applicant-pipeline", full_page=False)
