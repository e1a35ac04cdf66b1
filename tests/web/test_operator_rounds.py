"""Operator round pages over HTTP (SQLite): programme and round forms refuse bad input field by field in Korean,
set-up by search shows who is eligible and why not, a round that cannot open says so on its page in Korean,
two mechanisms are compared side by side, publishing shows each participant their result, files add
participants row by row, and every state change leaves an audit row."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.services.job_queue import job_queue
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.tables import OrganizationRow
from tests.conftest import make_account

ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}


@pytest.fixture
def app(tmp_path: Path, sqlite_database: Database) -> Any:
    from talentbridge.web.app import create_app

    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    return create_app(settings, sqlite_database)


@pytest.fixture
def world(sqlite_database: Database) -> dict[str, Any]:
    """Two organizations, three openings, five talents (one without consent), a talent exchange programme."""
    skills = [{"skill_id": "pytorch", "min_level": 3, "importance": "must"}]
    with sqlite_database.session() as s:
        repos = Repositories(s)
        vision = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        maker = repos.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        openings = [
            repos.openings.add(
                OpeningData(
                    organization_id=org.id,
                    kind="secondment_slot",
                    title=title,
                    region=region,
                    required_skills=skills,
                    seats=1,
                    status="open",
                    external_id=ext,
                )
            )
            for org, title, region, ext in (
                (vision, "비전 AI 엔지니어", "seoul", "OP-1"),
                (maker, "검사 AI 엔지니어", "ulsan", "OP-2"),
                (maker, "예지보전 분석가", "ulsan", "OP-3"),
            )
        ]
        talents = [
            repos.talents.add(
                TalentData(
                    name=name,
                    external_id=f"T-{i}",
                    email=f"t{i}@example.kr",
                    region="seoul" if i % 2 else "ulsan",
                    skills=[{"skill_id": "pytorch", "level": 2 + i % 3}],
                    consent_visible=i != 4,
                    current_employer_id=maker.id if i == 0 else None,
                )
            )
            for i, name in enumerate(["김민준", "이서연", "박지호", "최유나", "정비공개"])
        ]
    return {"vision": vision, "maker": maker, "openings": openings, "talents": talents}


@pytest.fixture
def operator(app: Any, sqlite_database: Database) -> Iterator[TestClient]:
    _, token = make_account(sqlite_database, "operator")
    with TestClient(app, headers={"Authorization": f"Bearer {token}", **HTML}) as c:
        yield c


def _audit(database: Database, entity: str = "round") -> list[tuple[str, int | None, dict[str, Any]]]:
    with database.session() as s:
        rows = s.scalars(select(AuditLogRow).where(AuditLogRow.entity == entity).order_by(AuditLogRow.id))
        return [(r.action, r.entity_id, r.detail) for r in rows]


def _program(operator: TestClient, **fields: str) -> int:
    form = {"name": "2027 인재교류", "kind": "talent_exchange", "start_date": "2027-03-01", "end_date": "2027-12-31"}
    r = operator.post("/operator/programs/new", data={**form, **fields}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].split("/")[3])


def _round(operator: TestClient, program_id: int, **fields: str) -> int:
    form = {"name": "1차 라운드", "mechanism": "flexible-da", "seed": "3", "cap:capital": "1", "secondment_rules": "on"}
    r = operator.post(f"/operator/programs/{program_id}/rounds/new", data={**form, **fields}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].split("/")[3])


def test_programme_form_refuses_every_bad_field_in_korean(operator: TestClient, sqlite_database: Database) -> None:
    r = operator.post(
        "/operator/programs/new",
        data={"name": "", "kind": "exchange", "start_date": "2027-05-01", "end_date": "2027-04-01"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    for text in ("이름을 입력하세요.", "목록에서 종류를 고르세요.", "종료일이 시작일보다 앞섭니다."):
        assert text in r.text
    assert 'value="2027-05-01"' in r.text  # what was typed is kept
    program_id = _program(operator)
    assert ("create", program_id) in [(a, i) for a, i, _ in _audit(sqlite_database, "program")]


def test_round_form_refuses_bad_dates_seats_and_caps(operator: TestClient, world: dict[str, Any]) -> None:
    program_id = _program(operator)
    r = operator.post(
        f"/operator/programs/{program_id}/rounds/new",
        data={
            "name": "x",
            "mechanism": "da",
            "seed": "-1",
            "preference_deadline": "2020-01-01T10:00",
            "cap:capital": "many",
            "cap:seoul": "2",
            "cap:busan": "3",
        },
    )
    assert r.status_code == 422
    for text in (
        "시드는 0 이상의 정수입니다.",
        "마감은 현재 이후여야 합니다.",
        "상한은 0 이상의 정수입니다.",
        "서울·인천·경기는 수도권으로 묶어 상한을 정합니다.",
        "지연 수락(DA)은 지역 상한을 반영하지 않습니다.",
    ):
        assert text in r.text, text
    r = operator.post(
        f"/operator/programs/{program_id}/rounds/new",
        data={"name": "x", "mechanism": "flexible-da", "preference_deadline": "2028-02-01T10:00"},
    )
    assert r.status_code == 422 and "마감은 사업 종료일보다 앞서야 합니다." in r.text
    round_id = _round(operator, program_id, preference_deadline="2027-06-30T18:00")
    page = operator.get(f"/operator/rounds/{round_id}")
    assert "수도권 ≤ 1" in page.text and "2027-06-30 09:00 UTC" in page.text  # 18:00 Korean time


def test_opening_an_empty_round_is_refused_on_its_page_in_korean(operator: TestClient, world: dict[str, Any]) -> None:
    round_id = _round(operator, _program(operator))
    r = operator.post(f"/operator/rounds/{round_id}/action", data={"action": "open"})
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("text/html")
    assert "공고를 하나 이상 연결하세요." in r.text and "참여자를 한 명 이상 추가하세요." in r.text
    assert "attach at least one opening" not in r.text
    assert 'id="round-status">작성 중' in r.text


def test_setup_by_search_shows_eligibility_and_opens_the_round(
    operator: TestClient, world: dict[str, Any], sqlite_database: Database
) -> None:
    round_id = _round(operator, _program(operator))
    page = operator.get(f"/operator/rounds/{round_id}/setup", params={"oorg": "울산"})
    assert "검사 AI 엔지니어" in page.text and "예지보전 분석가" in page.text and "비전 AI 엔지니어" not in page.text
    page = operator.get(f"/operator/rounds/{round_id}/setup", params={"tskill": "PyTorch", "tregion": "seoul"})
    assert "이서연" in page.text and "최유나" in page.text and "김민준" not in page.text  # Ulsan
    page = operator.get(f"/operator/rounds/{round_id}/setup", params={"tq": "정비공개"})
    assert "기관 공개에 동의하지 않아" in page.text
    hidden = world["talents"][4].id
    assert f'value="{hidden}" id="t-{hidden}" disabled' in page.text

    refused = operator.post(f"/operator/rounds/{round_id}/participants", data={"talent_id": [str(hidden)]})
    assert refused.status_code == 422 and "기관 공개에 동의하지 않아" in refused.text
    ids = [str(o.id) for o in world["openings"]]
    r = operator.post(
        f"/operator/rounds/{round_id}/openings",
        data={"opening_id": ids, f"seats:{ids[0]}": "2", f"seats:{ids[1]}": "0"},
        follow_redirects=False,
    )
    assert r.status_code == 422 and "자리 수는 1 이상의 정수입니다." in r.text  # nothing attached
    r = operator.post(
        f"/operator/rounds/{round_id}/openings",
        data={"opening_id": ids, f"seats:{ids[0]}": "2", "back_query": "oorg=울산&next=//evil.example"},
        follow_redirects=False,
    )
    assert (
        r.status_code == 303 and r.headers["location"] == f"/operator/rounds/{round_id}/setup?oorg=%EC%9A%B8%EC%82%B0"
    )
    talents = [str(t.id) for t in world["talents"][:4]]
    assert operator.post(f"/operator/rounds/{round_id}/participants", data={"talent_id": talents}).status_code == 200
    page = operator.get(f"/operator/rounds/{round_id}/setup", params={"tq": "김민준"})
    assert "이미 이 라운드의 참여자입니다." in page.text
    r = operator.post(f"/operator/rounds/{round_id}/action", data={"action": "open"})
    assert r.status_code == 200 and "선호 제출 중" in r.text and "선호 제출을 시작했습니다." in r.text
    actions = [a for a, i, _ in _audit(sqlite_database) if i == round_id]
    assert actions == ["create", "attach_openings", "add_participants", "open_submission"]


def test_participants_file_is_reported_row_by_row(operator: TestClient, world: dict[str, Any], tmp_path: Path) -> None:
    round_id = _round(operator, _program(operator))
    first = world["talents"][0]
    operator.post(f"/operator/rounds/{round_id}/participants", data={"talent_id": [str(first.id)]})
    csv = "external_id,email,name\nT-1,,\n,T2@EXAMPLE.KR,\nT-9,,\nT-1,,\nT-4,,\n,,홍길동\nT-0,,\nT-3,t2@example.kr,\n"
    r = operator.post(
        f"/operator/rounds/{round_id}/upload/participants",
        files={"file": ("people.csv", csv.encode("utf-8"), "text/csv")},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200, r.text
    rows = {int(tr.split("<td>")[1].split("<")[0]): tr for tr in r.text.split('<tr class="')[1:]}
    assert "추가됨" in rows[2] and "이서연" in rows[2]
    assert "추가됨" in rows[3] and "박지호" in rows[3]  # e-mail, any case
    assert "이 external_id나 이메일을 가진 인재가 없습니다." in rows[4]
    assert "파일에 같은 사람이 두 번 나옵니다." in rows[5]
    assert "기관 공개에 동의하지 않아" in rows[6]
    assert "external_id나 이메일 주소를 적어 주세요." in rows[7]
    assert "이미 라운드에 있음" in rows[8]
    assert "서로 다른 사람의 것입니다." in rows[9]
    page = operator.get(f"/operator/rounds/{round_id}/setup")
    assert page.text.count("/remove") == 3  # 김민준 + the two added

    bad = operator.post(
        f"/operator/rounds/{round_id}/upload/participants",
        files={"file": ("people.csv", b"name\nx\n", "text/csv")},
        headers={"HX-Request": "true"},
    )
    assert "external_id" in bad.text and 'role="alert"' in bad.text
    pdf = operator.post(
        f"/operator/rounds/{round_id}/upload/participants",
        files={"file": ("people.pdf", b"%PDF", "application/pdf")},
        headers={"HX-Request": "true"},
    )
    assert "CSV 또는 XLSX 파일을 올려 주세요." in pdf.text


def _run_to_matched(operator: TestClient, world: dict[str, Any], database: Database) -> int:
    from talentbridge.services.rounds import RoundService

    round_id = _round(operator, _program(operator))
    operator.post(f"/operator/rounds/{round_id}/openings", data={"opening_id": [str(o.id) for o in world["openings"]]})
    operator.post(
        f"/operator/rounds/{round_id}/participants", data={"talent_id": [str(t.id) for t in world["talents"][:4]]}
    )
    operator.post(f"/operator/rounds/{round_id}/action", data={"action": "open"})
    o = [x.id for x in world["openings"]]
    with database.session() as s:
        service = RoundService(s)
        for i, t in enumerate(world["talents"][:4]):
            service.submit_talent_preferences(round_id, t.id, [o[i % 3], o[(i + 1) % 3]])
    operator.post(f"/operator/rounds/{round_id}/action", data={"action": "close"})
    # the page's run button starts a job; what would make it fail is answered on the round page at once, no job
    refused = operator.post(f"/operator/rounds/{round_id}/run", data={"mechanism": "da"})
    assert refused.status_code == 409 and "적합도로 순위를 생성한 뒤 다시 실행하세요." in refused.text
    bad = operator.post(f"/operator/rounds/{round_id}/run", data={"mechanism": "lottery"})
    assert bad.status_code == 422 and 'id="run-form"' in bad.text
    assert _jobs(database) == []
    operator.post(f"/operator/rounds/{round_id}/action", data={"action": "generate"})
    for mechanism in ("da", "flexible-da"):
        r = operator.post(
            f"/operator/rounds/{round_id}/run",
            data={"mechanism": mechanism, "nonce": f"n-{mechanism}"},
            follow_redirects=False,
        )
        assert r.status_code == 303 and re.fullmatch(r"/jobs/\d+", r.headers["location"])
        twice = operator.post(f"/operator/rounds/{round_id}/run", data={"mechanism": mechanism, "nonce": f"n-{mechanism}"},
                              follow_redirects=False)  # fmt: skip
        assert twice.headers["location"] == r.headers["location"]  # a double click is one job
        assert job_queue(database, operator.app.state.settings).wait(120)
        job = operator.get(r.headers["location"])
        assert (
            f'id="job-compare" class="button primary" href="/operator/rounds/{round_id}/compare?done=run"' in job.text
        )
    assert [(kind, status) for kind, status in _jobs(database)] == [("round-run", "done")] * 2
    return round_id


def _jobs(database: Database) -> list[tuple[str, str]]:
    from talentbridge.storage.job_tables import JobRow

    with database.session() as s:
        return [(j.kind, j.status) for j in s.scalars(select(JobRow).order_by(JobRow.id))]


def test_two_mechanisms_are_compared_then_one_is_published(
    app: Any, operator: TestClient, world: dict[str, Any], sqlite_database: Database
) -> None:
    round_id = _run_to_matched(operator, world, sqlite_database)
    page = operator.get(f"/operator/rounds/{round_id}/compare")
    assert page.status_code == 200
    assert page.text.count('<th scope="col" id="run-') == 2
    assert "지망 순위 분포" in page.text and "수도권" in page.text
    table = page.text.split('id="comparison"')[1].split("</table>")[0]
    assert table.count('class="m-placed"') == 2 and table.count('class="m-blocking"') == 2
    assert "상한 준수" in table or "상한 초과" in table  # the capital-area cap of the round
    for html in (page.text, operator.get(f"/operator/rounds/{round_id}").text):  # operators' own AI surfaces
        assert 'class="ai-notice"' in html or "ai-notice" in html
        assert 'data-ai-reviews href="/operator/ai/reviews?status=open"' in html
    viewed = {
        i for a, i, d in _audit(sqlite_database, "talent") if a == "view" and d.get("path", "").endswith("/compare")
    }
    assert viewed == {t.id for t in world["talents"][:4]}  # every name shown to the operator is a logged view
    runs = [int(x.split('"')[0]) for x in page.text.split('id="publish-')[1:]]
    assert len(runs) == 2

    r = operator.post(f"/operator/rounds/{round_id}/action", data={"action": "publish", "run_id": str(runs[1])})
    assert r.status_code == 200 and "결과를 공개했습니다." in r.text and "공개됨" in r.text
    again = operator.post(f"/operator/rounds/{round_id}/action", data={"action": "publish", "run_id": str(runs[0])})
    assert again.status_code == 409 and "라운드의 현재 상태에서는 할 수 없는 작업입니다." in again.text

    actions = [a for a, i, _ in _audit(sqlite_database) if i == round_id]
    assert actions[-5:] == ["generate_rankings", "run", "run", "approve", "publish"]
    published = [d for a, i, d in _audit(sqlite_database) if a == "publish" and i == round_id][0]
    assert published["run_id"] == runs[1] and published["participants_notified"] == 4

    # every participant sees their result on their rounds page
    from talentbridge.services.rounds import RoundService

    with sqlite_database.session() as s:
        result = RoundService(s).result(round_id)
    placed = {a["talent_id"]: a["opening_id"] for a in result["assignments"]}
    titles = {o.id: o.title for o in world["openings"]}
    for talent in world["talents"][:4]:
        _, token = make_account(sqlite_database, "talent", talent_id=talent.id)
        with TestClient(app, headers={"Authorization": f"Bearer {token}", **HTML}) as c:
            text = c.get("/me/rounds").text
        assert "나의 결과" in text
        if talent.id in placed:
            assert titles[placed[talent.id]] in text.split("나의 결과")[1].split("</div>")[0]
        else:
            assert "이번 라운드에서는 배치되지 않았습니다." in text


def test_placements_are_edited_by_the_operator_and_followed_up_by_the_organization(
    app: Any, operator: TestClient, world: dict[str, Any], sqlite_database: Database
) -> None:
    from talentbridge.services.rounds import RoundService
    from talentbridge.storage.tables import PlacementRow

    round_id = _run_to_matched(operator, world, sqlite_database)
    with sqlite_database.session() as s:
        run_id = RoundService(s).runs(round_id)[-1].id
    operator.post(f"/operator/rounds/{round_id}/action", data={"action": "publish", "run_id": str(run_id)})
    with sqlite_database.session() as s:
        placement = s.scalars(select(PlacementRow).where(PlacementRow.round_id == round_id)).first()
        assert placement is not None
        pid, org_id = placement.id, placement.organization_id
    page = operator.get(f"/operator/rounds/{round_id}/placements")
    assert page.status_code == 200 and "유지율" in page.text
    bad = operator.post(
        f"/operator/placements/{pid}",
        data={"start_date": "2025-03-01", "end_date": "2025-02-01", "status": "ended_early", "end_reason": ""},
    )
    assert bad.status_code == 422
    assert "종료일이 시작일보다 앞섭니다." in bad.text and "조기 종료 사유를 적어 주세요." in bad.text
    ok = operator.post(
        f"/operator/placements/{pid}", data={"start_date": "2025-03-01", "status": "active"}, follow_redirects=False
    )
    assert ok.status_code == 303

    _, token = make_account(sqlite_database, "org_member", organization_id=org_id)
    with TestClient(app, headers={"Authorization": f"Bearer {token}", **HTML}) as org:
        rounds = org.get("/org/rounds")
        assert f'id="placement-{pid}"' in rounds.text
        r = org.post(
            f"/org/placements/{pid}/followups/3", data={"retained": "yes", "note": "잘 적응함"}, follow_redirects=False
        )
        assert r.status_code == 303
        assert "잘 적응함" in org.get("/org/rounds").text
        missing = org.post(f"/org/placements/{pid}/followups/6", data={"retained": ""})
        assert missing.status_code == 422 and "계속 근무 중인지 고르세요." in missing.text
    other = world["vision"].id if org_id != world["vision"].id else world["maker"].id
    _, token = make_account(sqlite_database, "org_member", organization_id=other)
    with TestClient(app, headers={"Authorization": f"Bearer {token}", **HTML}) as stranger:
        assert stranger.post(f"/org/placements/{pid}/followups/3", data={"retained": "no"}).status_code == 403
    assert "잘 적응함" in operator.get(f"/operator/rounds/{round_id}/placements").text
    actions = [(a, d.get("months")) for a, i, d in _audit(sqlite_database, "placement") if i == pid]
    assert actions == [("update", None), ("followup", 3)]


def test_auditors_see_round_pages_without_forms(
    app: Any, operator: TestClient, world: dict[str, Any], sqlite_database: Database
) -> None:
    round_id = _round(operator, _program(operator))
    _, token = make_account(sqlite_database, "auditor")
    with TestClient(app, headers={"Authorization": f"Bearer {token}", **HTML}) as auditor:
        page = auditor.get(f"/operator/rounds/{round_id}/setup", params={"tq": "김"})
        assert page.status_code == 200 and "/participants" not in page.text
        assert auditor.post(f"/operator/rounds/{round_id}/action", data={"action": "open"}).status_code == 403
        assert auditor.get("/operator/programs/new").status_code == 403


def _service_messages() -> set[str]:
    """Sentences the round services give the pages to translate (string constants that end a sentence)."""
    found = set()
    for name in ("round_setup.py", "round_forms.py", "round_uploads.py", "placements.py", "round_review.py"):
        tree = ast.parse((ROOT / "src" / "talentbridge" / "services" / name).read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value
                if text[:1].isupper() and text.endswith(".") and " " in text and "\n" not in text:
                    found.add(text)
    return found


def test_every_service_message_is_translated() -> None:
    messages = _service_messages()
    assert len(messages) > 40
    for lang in ("ko", "en"):
        catalog = json.loads((ROOT / "src/talentbridge/web/locales" / lang / "web-operator.json").read_text("utf-8"))
        assert sorted(m for m in messages if m not in catalog) == []


def test_a_round_is_edited_until_it_is_published_and_pages_speak_english(
    operator: TestClient, world: dict[str, Any], sqlite_database: Database
) -> None:
    round_id = _run_to_matched(operator, world, sqlite_database)
    form = operator.get(f"/operator/rounds/{round_id}/edit")
    assert 'value="1차 라운드"' in form.text and 'name="preference_deadline"' in form.text and "disabled" in form.text
    r = operator.post(
        f"/operator/rounds/{round_id}/edit",
        data={"name": "1차 라운드 (수정)", "mechanism": "flexible-da", "seed": "3", "cap:capital": "2"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    changes = [d["changes"] for a, i, d in _audit(sqlite_database) if a == "update" and i == round_id][0]
    assert changes["name"] == ["1차 라운드", "1차 라운드 (수정)"] and changes["regional_caps"] == [
        {"capital": 1},
        {"capital": 2},
    ]
    english = operator.get(f"/operator/rounds/{round_id}/compare", params={"lang": "en"})
    assert "Runs side by side" in english.text and "Rank distribution: placed at their n-th choice" in english.text
    assert "Assignments" in english.text
    with sqlite_database.session() as s:
        from talentbridge.services.rounds import RoundService

        run_id = RoundService(s).runs(round_id)[0].id
    operator.post(f"/operator/rounds/{round_id}/action", data={"action": "publish", "run_id": str(run_id)})
    refused = operator.post(f"/operator/rounds/{round_id}/edit", data={"name": "다시"})
    assert refused.status_code == 409 and "This is not possible in the round" in refused.text  # English remembered


def test_file_uploads_work_without_javascript_in_a_signed_in_browser_session(
    app: Any, operator: TestClient, world: dict[str, Any], sqlite_database: Database
) -> None:
    """A plain multipart form post (no HTMX, so no X-CSRF-Token header) from a cookie session carries the CSRF
    token as a form field: the participants file and the import page work with JavaScript off; without the token
    the post is refused with a page, and nothing is added."""
    import re

    from talentbridge.services import accounts

    round_id = _round(operator, _program(operator))
    with sqlite_database.session() as s:
        accounts.create_user(s, email="nojs@test.kr", password="test-password-123", role="operator", name="운영")
    with TestClient(app, headers=HTML) as browser:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text).group(1)  # type: ignore[union-attr]
        browser.post("/login", data={"csrf_token": token, "email": "nojs@test.kr", "password": "test-password-123"})
        setup = browser.get(f"/operator/rounds/{round_id}/setup").text
        form = setup[setup.index('id="upload-participants"'):]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        people = b"external_id\nT-1\nT-2\n"
        refused = browser.post(f"/operator/rounds/{round_id}/upload/participants",
                               files={"file": ("people.csv", people, "text/csv")})  # fmt: skip
        assert refused.status_code == 403 and "양식이 만료되었습니다" in refused.text
        page = browser.post(f"/operator/rounds/{round_id}/upload/participants", data={"csrf_token": token},
                            files={"file": ("people.csv", people, "text/csv")})  # fmt: skip
        assert page.status_code == 200, page.text[:500]
        assert "이서연" in page.text and "박지호" in page.text and page.text.count("/remove") == 2
        data_page = browser.get("/operator/data").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', data_page).group(1)  # type: ignore[union-attr]
        imported = browser.post("/operator/data/import", data={"csrf_token": token, "entity": "organizations",
                                                               "mode": "atomic"},
                                files={"file": ("orgs.csv", "external_id,name,kind\nnew-1,새기관,ai_startup\n".encode(), "text/csv")})  # fmt: skip
        assert imported.status_code == 200, imported.text[:500]
    with sqlite_database.session() as s:
        assert s.scalar(select(OrganizationRow.id).where(OrganizationRow.name == "새기관")) is not None
