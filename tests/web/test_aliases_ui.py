"""The operator's skill-aliases page (issue 14: "make it easy for an operator to add an alias"): find the skill by
its Korean or English name, add the alias, see the skill finder read it in a pasted text, remove it and undo;
every mistake shown on the form in the reader's language with what was typed kept; auditors read only; the API
and the audit log agree. Sentences written for these tests."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talentbridge.config import build_settings
from talentbridge.storage import Database
from tests.conftest import make_account

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture
def web(
    sqlite_database: Database, tmp_path: Path, embedding_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    from fastapi.testclient import TestClient

    from talentbridge.services import skill_extraction
    from talentbridge.services.job_queue import reset_job_queues
    from talentbridge.services.skill_extraction import reset_skill_services
    from talentbridge.skills.encoder import HashingEncoder
    from talentbridge.web.app import create_app

    monkeypatch.setattr(skill_extraction, "_encoder", lambda name: HashingEncoder())  # explicit mentions: lexical
    reset_skill_services()
    reset_job_queues()
    settings = build_settings(
        environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url,
        model_cache_dir=embedding_cache,
    )  # fmt: skip
    app = create_app(settings, sqlite_database)
    clients: dict[str, Any] = {"db": sqlite_database}
    for role in ("operator", "auditor", "talent"):
        _, token = make_account(sqlite_database, role)
        clients[role] = TestClient(app, headers={**HTML, "Authorization": f"Bearer {token}"})
    yield clients
    reset_job_queues()
    reset_skill_services()


def _csrf(client: Any) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/operator/aliases").text)
    assert match
    return match.group(1)


def _post(client: Any, path: str, **data: str) -> Any:
    return client.post(path, data={"csrf_token": _csrf(client), **data}, follow_redirects=False)


def _try(client: Any, text: str) -> str:
    res = _post(client, "/operator/aliases/try", text=text)
    waited = 0.0
    while res.status_code == 503 and waited < 180:  # the finder re-warms in the background after an alias
        time.sleep(0.5)
        waited += 0.5
        res = _post(client, "/operator/aliases/try", text=text)
    assert res.status_code == 200, res.text
    return res.text[res.text.index('id="try-result"') :]


def _row_of(page: str, alias: str) -> str:
    rows = re.findall(r'<tr id="alias-\d+".*?</tr>', page, re.S)
    return next(r for r in rows if f"<td>{alias}</td>" in r)


def test_an_operator_finds_the_skill_adds_the_alias_and_the_finder_reads_it(web: dict[str, Any]) -> None:
    op = web["operator"]
    page = op.get("/operator/aliases")
    assert page.status_code == 200 and "기술 별칭" in page.text and 'href="/operator/aliases"' in page.text
    assert "운영자가 추가한 별칭이 아직 없습니다" in page.text
    before = _try(op, "배포는 독커로 합니다")
    assert "docker" not in before and "기술 이름이 이 글에 없습니다" in before

    # the skill is found by its Korean name and chosen from the list
    choices = op.get("/operator/aliases/pick", params={"skill_q": "도커"}).text
    assert 'value="docker"' in choices and 'type="radio"' in choices
    added = _post(op, "/operator/aliases", skill_id="docker", skill_q="도커", alias="독커", lang="")
    assert added.status_code == 303 and "done=added" in added.headers["location"]
    page = op.get(added.headers["location"]).text
    assert "별칭을 추가했습니다" in page
    row = _row_of(page, "독커")
    assert "한국어" in row and "docker" in row and 'class="highlight"' in row

    found = _try(op, "배포는 독커로 합니다")
    assert "docker" in found and "<q>독커</q>" in found and "운영자 별칭" in found
    # a skill the text names by its own label is listed without the alias badge
    python = _try(op, "Python 필수")
    assert "python" in python and "운영자 별칭" not in python

    from talentbridge.services.audit_log import list_entries

    with web["db"].session() as session:
        entries, _ = list_entries(session, action="add_alias")
    assert [(e["actor_role"], e["detail"]["skill_id"], e["detail"]["alias"]) for e in entries] == [
        ("operator", "docker", "독커")
    ]


def test_a_skill_typed_exactly_needs_no_choice_and_mistakes_stay_on_the_form(web: dict[str, Any]) -> None:
    op = web["operator"]
    # the exact English name without choosing from the list: taken as that skill
    res = _post(op, "/operator/aliases", skill_id="", skill_q="Kubernetes", alias="쿠버네티즈", lang="ko")
    assert res.status_code == 303, res.text

    # nothing chosen, a name that matches several skills, nothing typed: every problem at once, in Korean
    res = _post(op, "/operator/aliases", skill_id="", skill_q="", alias="", lang="")
    assert res.status_code == 422
    text = html.unescape(res.text)
    assert "기술: 필수 항목입니다" in text and "별칭: 필수 항목입니다" in text
    res = _post(op, "/operator/aliases", skill_id="", skill_q="learning", alias="러닝 계열", lang="")
    assert res.status_code == 422
    text = html.unescape(res.text)
    assert "목록에서 기술을 고르세요" in text
    assert 'value="러닝 계열"' in text and 'value="learning"' in text  # what was typed is kept
    assert text.count('type="radio"') > 1  # the candidates are offered to choose from

    # the skill's own name, an alias it has already: said in the reader's language, the choice kept
    res = _post(op, "/operator/aliases", skill_id="docker", skill_q="도커", alias="Docker", lang="")
    assert res.status_code == 422
    text = html.unescape(res.text)
    assert "이미 “Docker and containers”의 이름입니다" in text and 'value="docker" checked' in text
    res = _post(op, "/operator/aliases", skill_id="kubernetes", skill_q="", alias="쿠버네티즈", lang="ko")
    assert res.status_code == 422 and "이미 “Kubernetes”의 별칭입니다" in html.unescape(res.text)

    # a skill id no list offered: said on the form, the alias kept
    res = _post(op, "/operator/aliases", skill_id="no-such-skill", skill_q="", alias="독커", lang="")
    assert res.status_code == 422
    text = html.unescape(res.text)
    assert "기술: 목록에서 기술을 고르세요" in text and 'value="독커"' in text

    # a text to check: required, and bounded
    assert _post(op, "/operator/aliases/try", text=" ").status_code == 422
    long = _post(op, "/operator/aliases/try", text="파이썬 " * 2000)
    assert long.status_code == 422 and "5000자 이하여야 합니다" in html.unescape(long.text)
    # and in English for an English reader (the choice of language is remembered from here on)
    english = op.post(
        "/operator/aliases?lang=en",
        data={"csrf_token": _csrf(op), "skill_id": "docker", "alias": "Docker"},
        follow_redirects=False,
    )
    assert english.status_code == 422
    assert "Alias: is already a label of Docker and containers" in html.unescape(english.text)


def test_remove_then_undo_and_the_shared_name_warning(web: dict[str, Any]) -> None:
    op = web["operator"]
    added = _post(op, "/operator/aliases", skill_id="docker", alias="독커")
    alias_id = re.search(r"id=(\d+)", added.headers["location"]).group(1)  # type: ignore[union-attr]
    removed = _post(op, f"/operator/aliases/{alias_id}/remove")
    assert removed.status_code == 303
    page = html.unescape(op.get(removed.headers["location"]).text)
    assert "별칭을 삭제했습니다" in page and "되돌리기: “독커” 다시 추가" in page
    assert '<tr id="alias-' not in page
    assert "docker" not in _try(op, "배포는 독커로 합니다")
    # undo: the same form the page shows
    undo = _post(op, "/operator/aliases", skill_id="docker", alias="독커", lang="ko")
    assert undo.status_code == 303
    assert "docker" in _try(op, "배포는 독커로 합니다")
    assert _post(op, "/operator/aliases/999999/remove").status_code == 404

    # a name another skill carries already: accepted, and the page says which skill will be suggested too
    shared = _post(op, "/operator/aliases", skill_id="helm", alias="k8s")
    assert shared.status_code == 303 and "also=kubernetes" in shared.headers["location"]
    page = html.unescape(op.get(shared.headers["location"]).text)
    assert "이미 다른 기술의 이름이기도 합니다" in page and "쿠버네티스" in page

    # the list is filtered by alias or skill id
    assert "독커" in op.get("/operator/aliases", params={"q": "독"}).text
    filtered = op.get("/operator/aliases", params={"q": "helm"}).text
    assert "k8s" in filtered and "<td>독커</td>" not in filtered


def test_auditors_read_and_check_but_do_not_change_and_talent_is_refused(web: dict[str, Any]) -> None:
    _post(web["operator"], "/operator/aliases", skill_id="docker", alias="독커")
    auditor = web["auditor"]
    page = auditor.get("/operator/aliases")
    assert page.status_code == 200 and "<td>독커</td>" in page.text
    assert 'action="/operator/aliases/' not in page.text.replace("/operator/aliases/try", "")  # no remove buttons
    assert 'id="alias-form"' not in page.text
    assert "docker" in _try(auditor, "배포는 독커로 합니다")
    assert _post(auditor, "/operator/aliases", skill_id="docker", alias="도커엔진").status_code == 403
    assert web["talent"].get("/operator/aliases").status_code == 403


def test_the_api_removes_an_alias_for_operators_only(web: dict[str, Any]) -> None:
    op = web["operator"]
    added = op.post("/api/taxonomy/aliases", json={"skill_id": "pytorch", "alias": "파이토오치"})
    assert added.status_code == 201, added.text
    alias_id = added.json()["id"]
    assert web["talent"].delete(f"/api/taxonomy/aliases/{alias_id}").status_code == 403
    assert web["auditor"].delete(f"/api/taxonomy/aliases/{alias_id}").status_code == 403
    gone = op.delete(f"/api/taxonomy/aliases/{alias_id}")
    assert gone.status_code == 200 and gone.json()["alias"] == "파이토오치"
    assert op.delete(f"/api/taxonomy/aliases/{alias_id}").status_code == 404
    assert op.get("/api/taxonomy/aliases").json()["total"] == 0


def test_after_an_alias_the_saved_records_are_read_again_by_a_background_job(web: dict[str, Any]) -> None:
    from talentbridge.domain import TalentData
    from talentbridge.services.job_queue import job_queue
    from talentbridge.storage.repositories import Repositories

    db = web["db"]
    stale = {"level": 3, "source": "inferred", "confidence": 0.4}  # read before the alias existed
    with db.session() as session:
        talent = Repositories(session).talents.add(
            TalentData(name="한지민", resume_text="배포는 독커로, 학습은 파이토치로 합니다",
                       skills=[{"skill_id": "pytorch", **stale}])
        )  # fmt: skip
    op = web["operator"]
    added = _post(op, "/operator/aliases", skill_id="docker", alias="독커")
    page = op.get(added.headers["location"]).text
    assert 'id="refresh-job"' in page and "저장된 인재·공고 다시 읽기" in page
    started = op.post(
        "/jobs",
        data={"csrf_token": _csrf(op), "kind": "infer-skills", "refresh": "1"},
        follow_redirects=False,
    )
    assert started.status_code == 303 and re.fullmatch(r"/jobs/\d+", started.headers["location"])
    settings = op.app.state.settings
    assert job_queue(db, settings).wait(120)
    job_page = op.get(started.headers["location"]).text
    assert "저장된 인재·공고의 AI 기술 추론" in job_page and "완료" in job_page
    assert "글에서 기술을 다시 읽었습니다: 인재 1명, 공고 0건" in job_page
    with db.session() as session:
        skills = {s.skill_id for s in Repositories(session).talents.get(talent.id).skills}
    assert {"docker", "pytorch"} <= skills
    assert web["auditor"].post("/jobs", data={"kind": "infer-skills"}, follow_redirects=False).status_code == 403


def test_while_the_models_warm_up_aliases_are_added_and_a_check_says_to_wait(
    web: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from talentbridge.domain.errors import WarmingUp
    from talentbridge.web.pages import aliases_ui

    def loading(request: Any) -> Any:
        raise WarmingUp("the skill finder is still loading its model; try again in a minute")

    monkeypatch.setattr(aliases_ui, "skill_services", loading)
    op = web["operator"]
    added = _post(op, "/operator/aliases", skill_id="helm", alias="k8s")
    assert added.status_code == 303 and "also=kubernetes" in added.headers["location"]  # found without the index
    res = _post(op, "/operator/aliases/try", text="배포는 독커로 합니다")
    assert res.status_code == 503
    assert "기술 추출기를 불러오는 중입니다" in res.text
    assert "배포는 독커로 합니다</textarea>" in res.text  # the text is kept
