"""Organization and talent pages of issue 12: the opening form keeps every value and reads Korean salaries,
closed openings show as closed, the applicant pipeline (stages, notes, history, invitations, withdrawal), the
talent's search over every open opening, the taxonomy pickers and desired roles by name."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.application_tables import ApplicationEventRow
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app
from tests.conftest import make_account

TODAY = date.today()


@pytest.fixture
def world(tmp_path: Path, sqlite_database: Database) -> Iterator[dict[str, Any]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)
    with sqlite_database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        other = repos.organizations.add(OrganizationData(name="스마트제조", kind="manufacturer", region="busan"))
        shown = repos.talents.add(
            TalentData(
                name="김비전", email="kim@test.kr", phone="010-1234-5678", category="engineer", region="seoul",
                nationality="KR", consent_visible=True,
                skills=[{"skill_id": "pytorch", "level": 4}, {"skill_id": "computer-vision", "level": 4}],
            )
        )  # fmt: skip
        hidden = repos.talents.add(
            TalentData(name="이비공개", category="engineer", region="seoul", nationality="KR", consent_visible=False)
        )
        vision = repos.openings.add(
            OpeningData(
                organization_id=org.id, kind="job", title="비전 엔지니어", region="seoul", status="open",
                required_skills=[{"skill_id": "pytorch", "min_level": 3, "importance": "must"}],
                salary_min=6000, salary_max=8000,
            )
        )  # fmt: skip
        remote = repos.openings.add(
            OpeningData(
                organization_id=other.id, kind="internship", title="스마트팩토리 인턴", remote=True, status="open",
                required_skills=[{"skill_id": "python", "min_level": 2}],
            )
        )  # fmt: skip
        expired = repos.openings.add(
            OpeningData(
                organization_id=org.id, kind="job", title="지난 공고", region="seoul", status="open",
                deadline=TODAY - timedelta(days=1),
            )
        )  # fmt: skip
        ids = {"org": org.id, "other": other.id, "shown": shown.id, "hidden": hidden.id, "vision": vision.id}
        ids |= {"remote": remote.id, "expired": expired.id}
    org_client = _client(app, sqlite_database, "org_member", organization_id=ids["org"])
    talent_client = _client(app, sqlite_database, "talent", talent_id=ids["shown"])
    yield {**ids, "app": app, "db": sqlite_database, "org": org_client, "talent": talent_client}
    org_client.__exit__(None, None, None)
    talent_client.__exit__(None, None, None)


def _client(app: Any, database: Database, role: str, **fields: Any) -> TestClient:
    _, token = make_account(database, role, **fields)
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    client.__enter__()
    return client


def _errors(html: str) -> list[str]:
    block = re.search(r'<ul class="error"[^>]*>(.*?)</ul>', html, re.S)
    return (
        [re.sub(r"<[^>]+>", "", x).strip() for x in re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S)]
        if block
        else []
    )


FORM = {
    "title": "MLOps 엔지니어",
    "kind": "job",
    "contract_type": "permanent",
    "description": "쿠버네티스로 모델을 배포합니다.",
    "region": "seoul",
    "seats": "2명",
    "salary_min": "7,500",
    "salary_max": "칠천오백만원",
    "min_years_experience": "3",
    "min_degree": "bachelor",
    "deadline": (TODAY + timedelta(days=30)).isoformat(),
    "status": "open",
    "accept": ["pytorch"],
    "importance:pytorch": "must",
    "level:pytorch": "4",
}


def test_an_opening_with_everything_a_job_ad_needs_is_saved_and_shown(world: dict[str, Any]) -> None:
    r = world["org"].post("/org/openings", data=FORM, follow_redirects=False)
    assert r.status_code == 303, _errors(r.text)
    opening_id = int(r.headers["location"].rsplit("/", 1)[1])
    with world["db"].session() as session:
        o = Repositories(session).openings.get(opening_id)
    assert (o.salary_min, o.salary_max, o.contract_type.value, o.min_degree.value) == (
        7500,
        7500,
        "permanent",
        "bachelor",
    )
    assert o.min_years_experience == 3 and o.seats == 2 and o.deadline == TODAY + timedelta(days=30)
    assert [(s.skill_id, s.importance.value, s.min_level) for s in o.required_skills] == [("pytorch", "must", 4)]
    page = world["org"].get(f"/org/openings/{opening_id}")
    assert "7,500만원 – 7,500만원" in page.text and "정규직" in page.text and "학사" in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("salary_min", "협의 후 결정", "연봉 하한: 금액을 읽을 수 없습니다"),
        ("salary_max", "$70,000", "연봉 상한: 금액은 원화(만원)로 쓰세요"),
        ("salary_max", "5000", "연봉 상한: 연봉 상한이 하한보다 낮습니다"),
        ("seats", "두 명", "모집 인원: 정수가 아닙니다"),
        ("deadline", "다음주", "지원 마감일: 날짜가 아닙니다"),
    ],
)
def test_a_refused_value_is_named_and_every_typed_value_comes_back(
    world: dict[str, Any], field: str, value: str, message: str
) -> None:
    r = world["org"].post("/org/openings", data={**FORM, field: value})
    assert r.status_code == 422
    errors = _errors(r.text)
    assert any(e.startswith(message) for e in errors), errors
    assert all("body." not in e and "Value error" not in e for e in errors)
    # nothing typed is lost: the refused value, the other values and the chosen skill are all in the form again
    assert f'value="{value}"' in r.text or f">{value}<" in r.text
    assert 'value="MLOps 엔지니어"' in r.text and "쿠버네티스로 모델을 배포합니다." in r.text
    assert re.search(r'name="accept" value="pytorch" checked', r.text)
    assert re.search(r'name="importance:pytorch".*?<option value="must" selected', r.text, re.S)


def test_an_unknown_skill_in_the_form_is_refused_not_dropped(world: dict[str, Any]) -> None:
    r = world["org"].post("/org/openings", data={**FORM, "accept": ["pytorch", "no-such-skill"]})
    assert r.status_code == 422
    assert any("no-such-skill" in e for e in _errors(r.text))


def test_an_open_opening_past_its_deadline_shows_as_closed(world: dict[str, Any]) -> None:
    listing = world["org"].get("/org/openings").text
    row = re.search(r"지난 공고</a></td><td>[^<]*</td><td>([^<]*)</td>", listing)
    assert row and row.group(1) == "마감"
    detail = world["org"].get(f"/org/openings/{world['expired']}").text
    assert re.search(r'<h1>지난 공고 <span class="badge">마감</span>', detail)
    assert "마감일이 지나 추천하지 않습니다" in detail  # and it says why nobody is recommended
    found = world["talent"].get("/me/openings").text
    assert "지난 공고" not in found and "비전 엔지니어" in found


def test_an_opening_without_required_skills_says_why_it_has_no_recommendations(world: dict[str, Any]) -> None:
    r = world["org"].post("/org/openings", data={**FORM, "accept": []}, follow_redirects=True)
    assert r.status_code == 200
    assert "공고에 요구 기술이 없습니다" in r.text


def test_the_pipeline_moves_with_notes_and_history_and_invitations_end_in_applications(world: dict[str, Any]) -> None:
    org, talent, vision = world["org"], world["talent"], world["vision"]
    page = org.get(f"/org/openings/{vision}").text
    assert f'data-talent="{world["shown"]}"' in page  # the consenting talent is recommended and invitable
    r = org.post(f"/org/openings/{vision}/invite", data={"talent_id": world["shown"]}, follow_redirects=False)
    assert r.status_code == 303
    assert org.post(f"/org/openings/{vision}/invite", data={"talent_id": world["shown"]}).status_code == 409
    hidden = org.post(f"/org/openings/{vision}/invite", data={"talent_id": world["hidden"]})
    assert hidden.status_code == 403  # never someone who did not consent

    mine = talent.get("/me/applications").text
    invitation = re.search(r'action="/me/invitations/(\d+)"', mine)
    assert invitation and "비전 엔지니어" in mine
    r = talent.post(f"/me/invitations/{invitation.group(1)}", data={"answer": "accept"}, follow_redirects=False)
    assert r.status_code == 303
    with world["db"].session() as session:
        (application,) = Repositories(session).applications.list({"opening_id": vision}).items
    assert application.status.value == "applied"

    page = org.get(f"/org/openings/{vision}").text
    assert "kim@test.kr" in page  # an applicant's contact details are shown to the organization
    r = org.post(
        f"/org/applications/{application.id}", data={"status": "interview", "note": "포트폴리오 좋음"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    # only the talent withdraws: the access policy refuses the field value (403) before the service sees it
    assert org.post(f"/org/applications/{application.id}", data={"status": "withdrawn"}).status_code == 403
    page = org.get(f"/org/openings/{vision}").text
    assert "포트폴리오 좋음" in page and "이력 (2)" in page
    with world["db"].session() as session:
        events = session.scalars(
            select(ApplicationEventRow).where(ApplicationEventRow.application_id == application.id)
        ).all()
        audit = session.scalars(select(AuditLogRow.action).where(AuditLogRow.entity.in_(["application", "invitation"])))
        actions = set(audit)
    assert [(e.kind, e.from_status, e.to_status) for e in events] == [
        ("invited", None, "applied"),
        ("moved", "applied", "interview"),
    ]
    assert events[1].note == "포트폴리오 좋음" and events[1].actor.startswith("org_member-")
    assert {"invitation.sent", "invitation.accepted", "application.invited", "application.moved"} <= actions

    # the talent sees the stage (never the organization's note) and withdraws
    mine = talent.get("/me/applications").text
    assert "면접" in mine and "포트폴리오 좋음" not in mine
    r = talent.post(f"/me/applications/{application.id}/withdraw", follow_redirects=False)
    assert r.status_code == 303
    assert talent.post(f"/me/applications/{application.id}/withdraw").status_code == 409
    assert org.post(f"/org/applications/{application.id}", data={"status": "offer"}).status_code == 409
    assert "지원 철회" in talent.get("/me/applications").text


def test_a_talent_cannot_withdraw_someone_elses_application(world: dict[str, Any]) -> None:
    world["talent"].post(f"/me/openings/{world['vision']}/apply")
    with world["db"].session() as session:
        (application,) = Repositories(session).applications.list({"opening_id": world["vision"]}).items
    other = _client(world["app"], world["db"], "talent", talent_id=world["hidden"])
    assert other.post(f"/me/applications/{application.id}/withdraw").status_code == 403
    other.__exit__(None, None, None)


def test_talent_searches_every_open_opening_with_filters(world: dict[str, Any]) -> None:
    t = world["talent"]

    def titles(query: str) -> list[str]:
        r = t.get(f"/me/openings?{query}")
        assert r.status_code == 200
        return re.findall(r'<h2><a href="/me/openings/\d+">([^<]+)</a></h2>', r.text)

    assert sorted(titles("")) == ["비전 엔지니어", "스마트팩토리 인턴"]
    assert titles("kind=internship") == ["스마트팩토리 인턴"]
    assert titles("region=seoul") == ["비전 엔지니어"]
    assert titles("remote=on") == ["스마트팩토리 인턴"]
    assert titles("skill=pytorch") == ["비전 엔지니어"]
    assert titles("organization_kind=manufacturer") == ["스마트팩토리 인턴"]
    assert titles("q=팩토리") == ["스마트팩토리 인턴"]
    assert titles("size=1&sort=title") == ["비전 엔지니어"]
    assert titles("size=1&sort=title&page=2") == ["스마트팩토리 인턴"]
    bad = t.get("/me/openings?region=atlantis")
    assert bad.status_code == 200 and "검색 조건" in bad.text


def test_the_opening_detail_shows_pay_requirements_and_my_criteria(world: dict[str, Any]) -> None:
    r = world["talent"].get(f"/me/openings/{world['vision']}")
    assert r.status_code == 200
    assert "6,000만원 – 8,000만원" in r.text and "파이토치" in r.text and "필수" in r.text
    assert 'class="ai-notice"' in r.text and "How the score was made" not in r.text
    assert re.search(r'<span class="score">.*?\d+</span>', r.text, re.S)  # my fit score with its criteria
    assert "점수 산정 방법" in r.text or "<details>" in r.text
    r = world["talent"].post(f"/me/openings/{world['vision']}/apply", follow_redirects=False)
    assert r.status_code == 303
    assert "지원했습니다" in world["talent"].get(f"/me/openings/{world['vision']}").text
    assert world["talent"].post(f"/me/openings/{world['expired']}/apply").status_code == 409


def test_skills_are_found_by_korean_or_english_name_and_added_by_hand(world: dict[str, Any]) -> None:
    t = world["talent"]
    for q in ("파이토치", "PyTorch", "pytorch"):
        r = t.get("/skills/pick", params={"q": q, "for": "talent"})
        assert 'name="skill_id" value="pytorch"' in r.text, q
    assert "다른 단어" in t.get("/skills/pick", params={"q": "zzzz-없음", "for": "talent"}).text
    r = t.post("/me/skills/add", data={"skill_id": "kubernetes", "level": "4"}, follow_redirects=False)
    assert r.status_code == 303
    assert t.post("/me/skills/add", data={"skill_id": "no-such-skill", "level": "3"}).status_code == 422
    with world["db"].session() as session:
        skills = {s.skill_id: s.level for s in Repositories(session).talents.get(world["shown"]).skills}
    assert skills["kubernetes"] == 4 and skills["pytorch"] == 4
    org_pick = world["org"].get("/skills/pick", params={"q": "쿠버네티스", "for": "opening"})
    assert 'name="importance:kubernetes"' in org_pick.text


def test_desired_roles_are_chosen_by_name_and_salaries_read_in_korean(world: dict[str, Any]) -> None:
    t = world["talent"]
    page = t.get("/me").text
    assert re.search(r'<option value="ml-engineer"[^>]*>머신러닝 엔지니어</option>', page)
    data = {
        "name": "김비전", "region": "seoul", "category": "engineer", "desired_roles": ["ml-engineer"],
        "employment_types": ["full_time"], "salary_expectation": "7천5백만원", "consent_visible": "on",
    }  # fmt: skip
    assert t.post("/me", data=data, follow_redirects=False).status_code == 303
    with world["db"].session() as session:
        me = Repositories(session).talents.get(world["shown"])
    assert me.desired_roles == ["ml-engineer"] and me.salary_expectation == 7500
    r = t.post("/me", data={**data, "salary_expectation": "많이"})
    assert r.status_code == 422
    assert 'value="많이"' in r.text and "금액을 읽을 수 없습니다" in r.text
    with world["db"].session() as session:
        assert Repositories(session).talents.get(world["shown"]).salary_expectation == 7500


def test_english_pages(world: dict[str, Any]) -> None:
    r = world["talent"].get("/me/openings?lang=en")
    assert "Find openings" in r.text and "open openings" in r.text
    r = world["org"].get(f"/org/openings/{world['vision']}?lang=en")
    assert "KRW 60,000,000 – KRW 80,000,000" in r.text


def test_an_opening_is_edited_with_the_same_form(world: dict[str, Any]) -> None:
    org, vision = world["org"], world["vision"]
    form = org.get(f"/org/openings/{vision}/edit").text
    assert 'value="비전 엔지니어"' in form and 'value="6000"' in form
    assert re.search(r'name="accept" value="pytorch" checked', form)
    data = {
        "title": "비전 엔지니어", "kind": "job", "region": "seoul", "status": "closed", "seats": "3",
        "salary_min": "6천만원", "salary_max": "1억", "accept": ["pytorch"], "importance:pytorch": "should",
        "level:pytorch": "2",
    }  # fmt: skip
    r = org.post(f"/org/openings/{vision}/edit", data=data, follow_redirects=False)
    assert r.status_code == 303, _errors(r.text)
    with world["db"].session() as session:
        o = Repositories(session).openings.get(vision)
        actions = set(session.scalars(select(AuditLogRow.action).where(AuditLogRow.entity == "opening")))
    assert (o.status.value, o.seats, o.salary_min, o.salary_max) == ("closed", 3, 6000, 10000)
    assert [(s.importance.value, s.min_level) for s in o.required_skills] == [("should", 2)]
    assert "update" in actions
    assert "1억원" in org.get(f"/org/openings/{vision}").text
    # another organization's opening cannot be edited
    other = _client(world["app"], world["db"], "org_member", organization_id=world["other"])
    assert other.get(f"/org/openings/{vision}/edit").status_code == 403
    assert other.post(f"/org/openings/{vision}/edit", data=data).status_code == 403
    other.__exit__(None, None, None)


def test_profile_problems_are_korean_sentences_naming_the_field(world: dict[str, Any]) -> None:
    data = {"name": "", "category": "engineer", "employment_types": ["full_time"], "available_from": "언젠가"}
    r = world["talent"].post("/me", data=data)
    assert r.status_code == 422
    errors = _errors(r.text)
    assert any(e.startswith("이름: 필수 항목입니다") for e in errors), errors
    assert any(e.startswith("가능 시작일") or "날짜가 아닙니다" in e for e in errors), errors
    assert 'value="언젠가"' in r.text  # the refused value is shown back


def test_the_recommendations_say_when_the_index_answering_lacks_the_newest_talents(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a reindex job brings in a large backlog, the list comes from the loaded version: the page says so."""
    from talentbridge.services import talent_index

    org, vision = world["org"], world["vision"]
    assert 'id="index-behind"' not in org.get(f"/org/openings/{vision}").text
    monkeypatch.setattr(talent_index.TalentIndexService, "behind", property(lambda self: 1234))
    page = org.get(f"/org/openings/{vision}").text
    assert 'id="index-behind"' in page and "최소 1,234명이 아직 색인 중" in page
    assert f'data-talent="{world["shown"]}"' in page  # the list itself is still shown
    org.cookies.set("tb_lang", "en")
    english = org.get(f"/org/openings/{vision}?lang=en").text
    assert "at least 1,234 talents are still being indexed" in english


def _vision_page_with_inferred(world: dict[str, Any], name: str, text: str, skill: str, level: int, sure: float) -> str:
    """The vision opening's page after a visible talent whose one skill the AI read from ``text`` is added."""
    with world["db"].session() as session:
        Repositories(session).talents.add(
            TalentData(
                name=name, category="engineer", region="seoul", nationality="KR", consent_visible=True,
                resume_text=text,
                skills=[{"skill_id": skill, "level": level, "source": "inferred", "confidence": sure}],
            )
        )  # fmt: skip
    return html.unescape(world["org"].get(f"/org/openings/{world['vision']}").text)


def test_a_recommendation_says_which_matched_skills_the_ai_inferred(world: dict[str, Any]) -> None:
    page = _vision_page_with_inferred(world, "박추론", "PyTorch 기반 비전 검사 모델 개발", "pytorch", 3, 0.9)
    assert "파이토치 (수준 3, AI 추론 90%)" in page  # read from the résumé by the AI, and how sure
    assert "파이토치 (수준 4)" in page  # 김비전 stated it: no such note


def test_a_partial_credit_says_when_the_skill_behind_it_was_inferred(world: dict[str, Any]) -> None:
    page = _vision_page_with_inferred(world, "최텐서", "TensorFlow 기반 비전 검사 모델 개발", "tensorflow", 4, 0.7)
    line = next(x for x in re.findall(r'<span class="badge partial">([^<]*)</span>', page) if "텐서플로" in x)
    assert "파이토치" in line and "AI 추론 70%" in line  # credit for PyTorch through a skill the AI read


def test_an_ai_record_links_what_it_ranked_to_the_records(world: dict[str, Any]) -> None:
    world["org"].get(f"/org/openings/{world['vision']}")  # the recommendations shown are recorded
    auditor = _client(world["app"], world["db"], "auditor")
    try:
        listing = auditor.get("/operator/ai").text
        key = re.search(r'href="(/operator/ai/records/[^"]+)"', listing)
        assert key, listing[:500]
        page = auditor.get(key.group(1)).text
        assert f'href="/operator/records/openings/{world["vision"]}"' in page  # what was ranked for
        assert f'href="/operator/records/talents/{world["shown"]}"' in page  # and whom
    finally:
        auditor.__exit__(None, None, None)
