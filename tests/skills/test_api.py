"""The /api/skills router on a bare FastAPI app with the project's error handlers."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


@pytest.fixture
def client(settings_env):
    from talentbridge.web.api.skills import router
    from talentbridge.web.errors import install_error_handlers

    app = FastAPI()
    app.state.settings = settings_env
    install_error_handlers(app)
    app.include_router(router)
    with TestClient(app) as c:
        yield c


def test_extract(client):
    resp = client.post("/api/skills/extract", json={"texts": ["머신러닝과 파이토치를 다룹니다", ""], "top": 5})
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    assert [r["row"] for r in results] == [0, 1]
    assert results[1]["skills"] == []
    labels = {s["label"] for s in results[0]["skills"]}
    assert {"machine learning", "PyTorch"} <= labels
    ml = next(s for s in results[0]["skills"] if s["label"] == "machine learning")
    assert ml["uri"] == "http://data.europa.eu/esco/skill/ml-0001"
    assert ml["spans"] == [[0, 4]]
    assert ml["via"] == "explicit"


def test_normalize_titles(client):
    resp = client.post("/api/skills/normalize-titles", json={"titles": ["welder", "간호사"], "top": 2})
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    assert results[0]["occupations"][0]["label"] == "welder"
    assert results[0]["occupations"][0]["rank"] == 1
    assert results[1]["occupations"][0]["occupation_uri"] == "http://data.europa.eu/esco/occupation/nurse"
    # the explanation: the label the title matched on (간호사 is translated to "nurse", an alternative label)
    assert results[1]["occupations"][0]["matched_label"] == "nurse"
    assert results[0]["occupations"][0]["matched_label"] == "welder"


def test_too_long_text_is_413_problem(client):
    resp = client.post("/api/skills/extract", json={"texts": ["x" * 100_001]})
    assert resp.status_code == 413
    assert resp.headers["content-type"].startswith("application/problem+json")


def test_bad_body_is_422(client):
    assert client.post("/api/skills/extract", json={"texts": "not a list"}).status_code == 422
    assert client.post("/api/skills/normalize-titles", json={"titles": ["a"], "top": 0}).status_code == 422
