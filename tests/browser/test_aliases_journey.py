"""Skill aliases in the browser (issue 14, "make it easy for an operator to add an alias"): an operator sees that
the skill finder misses a Korean spelling in a pasted line, finds the skill by its Korean name, adds the alias,
checks the line again; an organisation member's job ad is then read with it; the operator removes it and undoes
the removal; an auditor reads the list without the forms. Sentences written for this test."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

LINE = "비전 검사 모델은 파이토치로 학습하고 독커로 배포합니다"


def _check(page: Any, text: str) -> Any:
    page.fill("#t-text", text)
    page.click("form[action^='/operator/aliases/try'] button[type=submit]")
    return page.locator("#try-result")


def test_operator_adds_an_alias_the_ad_form_uses_it_then_removes_it(new_page: Any) -> None:
    operator = new_page()
    sign_in(operator, "operator")
    operator.click("nav a[href='/operator/aliases']")
    expect(operator.locator("h1")).to_have_text("기술 별칭")

    result = _check(operator, LINE)
    expect(result).to_contain_text("파이토치")
    expect(result.locator("tr", has_text="독커")).to_have_count(0)  # not read before the alias

    # find the skill by its Korean name (HTMX list), choose it, add the alias
    operator.fill("#a-skill-q", "도커")
    choice = operator.locator("#a-skill-choices input[name=skill_id][value=docker]")
    expect(choice).to_be_visible()
    choice.check()
    operator.fill("#a-alias", "독커")
    operator.click("#alias-form button[type=submit]")
    expect(operator.locator("[role=status]")).to_contain_text("별칭을 추가했습니다")
    row = operator.locator("#aliases tr.highlight")
    expect(row).to_contain_text("독커")
    expect(row).to_contain_text("docker")

    result = _check(operator, LINE)
    docker = result.locator("tr", has_text="독커")
    expect(docker).to_contain_text("운영자 별칭")
    screenshot(operator, "operator-skill-aliases")

    # an organisation's ad written with that spelling now names the skill, ticked as named in the text
    org = new_page()
    sign_in(org, "org_member")
    org.click("nav >> text=공고")
    org.fill("#title", "비전 검사 AI 엔지니어")
    org.fill("#description", "PyTorch, OpenCV 능숙자\n독커 기반 배포 경험")
    org.click("#suggest-skills")
    # the Docker row (inferred rows may quote the same line as their evidence)
    suggested = org.locator("#skill-suggestions tbody tr", has=org.locator("input[name=accept][value=docker]"))
    expect(suggested).to_contain_text("독커")
    expect(suggested).to_contain_text("본문에 명시")
    expect(suggested.locator("input[type=checkbox]")).to_be_checked()

    # stored records are read again from the jobs page: only the chosen kind's fields show
    operator.goto("/jobs")
    refresh = operator.locator("input[name=refresh]")
    direction = operator.locator("#job-direction")
    operator.select_option("#job-kind", "recommend-batch")
    expect(direction).to_be_visible()
    expect(refresh).to_be_hidden()
    operator.select_option("#job-kind", "infer-skills")
    expect(direction).to_be_hidden()
    refresh.check()
    operator.click("form[action='/jobs'] button[type=submit]")
    expect(operator.locator("#job-inferred")).to_contain_text("다시 읽었습니다", timeout=120_000)

    # remove it: the line is no longer read; undo brings it back; then remove it for good
    operator.goto("/operator/aliases")
    operator.locator("#aliases tr", has_text="독커").locator("button.danger").click()
    expect(operator.locator("[role=status]")).to_contain_text("별칭을 삭제했습니다")
    expect(operator.locator("#aliases tr", has_text="독커")).to_have_count(0)
    operator.locator("[role=status] button", has_text="되돌리기").click()
    expect(operator.locator("#aliases tr", has_text="독커")).to_have_count(1)
    operator.locator("#aliases tr", has_text="독커").locator("button.danger").click()
    expect(_check(operator, LINE).locator("tr", has_text="독커")).to_have_count(0)


def test_mistakes_stay_on_the_form_and_auditors_only_read(new_page: Any) -> None:
    operator = new_page()
    sign_in(operator, "operator")
    operator.goto("/operator/aliases")
    operator.fill("#a-skill-q", "learning")
    operator.fill("#a-alias", "러닝 계열")
    operator.locator("#a-alias").press("Enter")  # sent without choosing from the list
    alert = operator.locator("#alias-form").locator("xpath=..").locator("[role=alert]")
    expect(alert).to_contain_text("목록에서 기술을 고르세요")
    expect(operator.locator("#a-alias")).to_have_value("러닝 계열")
    expect(operator.locator("#a-skill-choices input[name=skill_id]").first).to_be_visible()

    auditor = new_page()
    sign_in(auditor, "auditor")
    auditor.goto("/operator/aliases")
    expect(auditor.locator("h1")).to_have_text("기술 별칭")
    expect(auditor.locator("#alias-form")).to_have_count(0)
    expect(_check(auditor, "Python, PyTorch").locator("tr", has_text="PyTorch")).to_have_count(1)
