"""The suggestion fragments of the talent profile and the opening form, and the suggestion/alias API: every tool
the text names is shown, marked as named in the text, before anything inferred; an opening's requirement is
must-have only where the text says so; a bare title gets the occupation's skills; an alias an operator adds is
found from then on. Sentences written for these tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talentbridge.config import build_settings
from talentbridge.domain import OrganizationData
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from tests.conftest import make_account

RESUME = (
    "SKILLS\nPython, C++, PyTorch, TensorFlow, OpenCV, CUDA, Docker, Kubernetes, MLflow, Kubeflow, SQL, AWS\n"
    "EXPERIENCE\nTrained inspection models and shipped them with Docker."
)
TOOLS = ["Python", "C++", "PyTorch", "TensorFlow", "OpenCV", "CUDA", "Docker", "Kubernetes", "MLflow", "Kubeflow",
         "SQL", "AWS"]  # fmt: skip


@pytest.fixture(scope="module")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")  # label embeddings shared by this module's apps


@pytest.fixture
def web(
    sqlite_database: Database, tmp_path: Path, embedding_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    from fastapi.testclient import TestClient

    from talentbridge.services import skill_extraction
    from talentbridge.services.skill_extraction import reset_skill_services
    from talentbridge.skills.encoder import HashingEncoder
    from talentbridge.web.app import create_app

    # the product's path with a cheap encoder: explicit mentions are lexical, inferred rows still appear
    monkeypatch.setattr(skill_extraction, "_encoder", lambda name: HashingEncoder())
    reset_skill_services()
    settings = build_settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=sqlite_database.url,
        model_cache_dir=embedding_cache,
    )
    app = create_app(settings, sqlite_database)
    with sqlite_database.session() as s:
        org = Repositories(s).organizations.add(OrganizationData(name="비전AI", kind="ai_startup", region="seoul"))
    clients = {}
    for role, fields in (("talent", {}), ("org_member", {"organization_id": org.id}), ("operator", {})):
        _, token = make_account(sqlite_database, role, **fields)
        clients[role] = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        clients[role].__enter__()
    yield clients
    for c in clients.values():
        c.__exit__(None, None, None)
    reset_skill_services()


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)[1:]  # without the header row


def test_talent_suggestions_show_every_named_tool_first(web):
    res = web["talent"].post("/me/skills/suggest", data={"resume_text": RESUME}, headers={"Accept-Language": "en"})
    assert res.status_code == 200
    rows = _rows(res.text)
    explicit_rows = [i for i, row in enumerate(rows) if "본문에 명시" in row or "named in the text" in row]
    assert explicit_rows, res.text[:500]
    # nothing named in the text comes after an inferred suggestion
    assert explicit_rows == list(range(len(explicit_rows)))
    shown = " ".join(rows[i] for i in explicit_rows)
    for tool in TOOLS:
        assert f"<q>{tool}</q>" in shown, tool
    # named skills are pre-accepted
    assert all("checked" in rows[i] for i in explicit_rows)
    # a score is shown for what the AI inferred; a named skill's reason is the text itself, not a percentage (an
    # extractor score of 59% beside "도커", named outright, read as doubt)
    assert not any(re.search(r"\d%", rows[i]) for i in explicit_rows)
    inferred = [row for i, row in enumerate(rows) if i not in explicit_rows]
    assert inferred and all(re.search(r"\d+%", row) for row in inferred)


def test_opening_suggestions_must_only_where_the_text_says_so(web):
    res = web["org_member"].post(
        "/org/openings/suggest",
        data={
            "title": "비전 AI 엔지니어",
            "description": "[자격요건]\nPython, PyTorch, OpenCV 능숙자\n\n[우대사항]\nDocker 경험",
        },
    )
    assert res.status_code == 200
    rows = {m: row for row in _rows(res.text) for m in re.findall(r"<q>([^<]+)</q>", row)}
    for tool in ("Python", "PyTorch", "OpenCV"):
        assert re.search(r'<option value="must" selected', rows[tool]), tool
        assert "능숙" in rows[tool]  # the reason is shown
    assert re.search(r'<option value="should" selected', rows["Docker"])


def test_bare_title_gets_requirements_from_the_occupation(web):
    res = web["org_member"].post("/org/openings/suggest", data={"title": "Data Engineer", "description": ""})
    assert res.status_code == 200
    assert "직업 기준" in res.text or "from the occupation" in res.text
    assert 'value="must" selected' not in res.text  # a bare title never says "must"
    # each such row names the occupation once, in the reader's language (Korean here), beside its badge
    occupation_rows = [row for row in _rows(res.text) if "직업 기준" in row]
    assert occupation_rows
    for row in occupation_rows:
        assert re.findall(r"<q>([^<]+)</q>", row) == ["데이터 엔지니어"]
    english = web["org_member"].post(
        "/org/openings/suggest?lang=en", data={"title": "Data Engineer", "description": ""}
    )
    rows = [row for row in _rows(english.text) if "from the occupation" in row]
    assert rows and all(re.findall(r"<q>([^<]+)</q>", row) == ["Data engineer"] for row in rows)


def test_a_bare_title_lists_the_occupation_skills_before_the_inferred_ones(web):
    # two words give the encoder little to go on; the occupation the title clearly names comes first
    res = web["org_member"].post("/api/skills/suggest", json={"text": "Data Engineer", "for_opening": True})
    assert res.status_code == 200
    vias = [s["via"] for s in res.json()["suggestions"]]
    assert "occupation" in vias and "semantic" in vias
    rank = {"explicit": 0, "occupation": 1, "semantic": 2}
    assert [rank[v] for v in vias] == sorted(rank[v] for v in vias), vias
    # and the list still holds 20 in all (the occupation's skills take places of inferred ones, never all of them)
    from talentbridge.services.skill_suggestions import MIN_INFERRED, SUGGESTED_TOTAL

    assert len(vias) <= max(SUGGESTED_TOTAL, vias.count("explicit") + vias.count("occupation") + MIN_INFERRED)
    assert vias.count("semantic") >= min(MIN_INFERRED, 1)


def test_suggest_api_and_operator_alias(web):
    body = {"text": "배포는 독커로 합니다. Python 필수", "for_opening": True}
    res = web["talent"].post("/api/skills/suggest", json=body)
    assert res.status_code == 200
    items = res.json()["suggestions"]
    python = next(s for s in items if s["skill_id"] == "python")
    assert python["via"] == "explicit" and python["importance"] == "must" and python["reason"] == "필수"
    assert not any(s["skill_id"] == "docker" and s["via"] == "explicit" for s in items)

    # only operators add aliases; the alias is used at once
    denied = web["talent"].post("/api/taxonomy/aliases", json={"skill_id": "docker", "alias": "독커"})
    assert denied.status_code == 403
    added = web["operator"].post("/api/taxonomy/aliases", json={"skill_id": "docker", "alias": "독커"})
    assert added.status_code == 201, added.text
    assert added.json()["lang"] == "ko"
    again = web["operator"].post("/api/taxonomy/aliases", json={"skill_id": "docker", "alias": "독커"})
    assert again.status_code == 422
    unknown = web["operator"].post("/api/taxonomy/aliases", json={"skill_id": "no-such-skill", "alias": "x y"})
    assert unknown.status_code == 404
    items = web["talent"].post("/api/skills/suggest", json=body).json()["suggestions"]
    docker = next(s for s in items if s["skill_id"] == "docker")
    assert docker["via"] == "explicit" and docker["evidence"] == ["독커"]
    listed = web["operator"].get("/api/taxonomy/aliases", params={"skill_id": "docker"}).json()
    assert [a["alias"] for a in listed["items"]] == ["독커"]
    # an alias another skill already carries is accepted with a warning naming that skill
    shared = web["operator"].post("/api/taxonomy/aliases", json={"skill_id": "helm", "alias": "k8s"})
    assert shared.status_code == 201 and "kubernetes" in shared.json()["also_label_of"]


def test_an_ad_that_names_its_skills_gets_no_inferred_ones_ticked(web):
    # inferred suggestions are offered, not pre-ticked, once the text names three or more skills itself: posting
    # the form as it comes must not add guesses to the requirements
    res = web["org_member"].post(
        "/org/openings/suggest",
        data={"title": "비전 검사 AI 엔지니어", "description": "PyTorch, OpenCV 능숙자\n도커 기반 배포 경험 필수"},
    )
    rows = _rows(res.text)
    inferred = [row for row in rows if "본문에 명시" not in row and "named in the text" not in row]
    named = [row for row in rows if row not in inferred]
    assert len(named) >= 3 and inferred
    for tool in ("PyTorch", "OpenCV", "도커"):
        assert any(f"<q>{tool}</q>" in row and "checked" in row for row in named), tool
    assert not any("checked" in row for row in inferred)
