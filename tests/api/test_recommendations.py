"""Recommendation endpoints on SQLite and PostgreSQL: both directions, filters, explanations, constraint counts,
the audit, problem+json errors, and the index following talents saved through the API."""

from __future__ import annotations

from typing import Any

import pytest

from talentbridge.services.recommend import reset_indexes

ALL = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]


def _post(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def world(client: Any) -> dict[str, Any]:
    reset_indexes()
    org = _post(client, "/api/organizations", {"name": "비전랩", "kind": "ai_startup", "region": "seoul"})
    people = {}
    for name, skills, extra in [
        ("best", {"pytorch": 5, "computer-vision": 4, "python": 4}, {}),
        ("good", {"pytorch": 4, "python": 3}, {}),
        ("weak", {"python": 2}, {}),
        ("hidden", {"pytorch": 5, "computer-vision": 5, "python": 5}, {"consent_visible": False}),
        (
            "visa",
            {"pytorch": 5, "computer-vision": 5, "python": 5},
            {"nationality": "IN", "visa_type": "D-2"},
        ),
        ("far", {"pytorch": 5, "computer-vision": 4, "python": 4}, {"region": "jeju"}),
    ]:
        body = {
            "name": name,
            "external_id": name,
            "region": "seoul",
            "consent_visible": True,
            "employment_types": ALL,
            "skills": [{"skill_id": s, "level": lv} for s, lv in skills.items()],
            **extra,
        }
        people[name] = _post(client, "/api/talents", body)
    job = _post(
        client,
        "/api/openings",
        {
            "organization_id": org["id"],
            "kind": "job",
            "title": "비전 AI 엔지니어",
            "region": "seoul",
            "status": "open",
            "external_id": "job-1",
            "required_skills": [
                {"skill_id": "pytorch", "min_level": 4, "importance": "must"},
                {"skill_id": "computer-vision", "min_level": 3, "importance": "must"},
                {"skill_id": "python", "min_level": 3, "importance": "should"},
            ],
        },
    )
    intern = _post(
        client,
        "/api/openings",
        {
            "organization_id": org["id"],
            "kind": "internship",
            "title": "AI 인턴",
            "region": "seoul",
            "status": "open",
            "required_skills": [{"skill_id": "python", "min_level": 2, "importance": "must"}],
        },
    )
    return {"org": org, "people": people, "job": job, "intern": intern}


def test_talents_for_opening(client: Any, world: dict[str, Any]) -> None:
    r = client.get(f"/api/openings/{world['job']['id']}/recommendations", params={"top": 10})
    assert r.status_code == 200, r.text
    body = r.json()
    names = [i["external_id"] for i in body["items"]]
    assert names[0] == "best" and names.index("good") < names.index("weak")
    assert "hidden" not in names and "visa" not in names
    assert body["constraints"]["excluded"]["consent"] == 1
    assert body["constraints"]["excluded"]["work_permit"] == 1
    best = body["items"][0]
    assert {m["skill_id"] for m in best["explanation"]["matched"]} == {"pytorch", "computer-vision", "python"}
    weak = next(i for i in body["items"] if i["external_id"] == "weak")
    assert [m["skill_id"] for m in weak["explanation"]["missing_must"]] == ["computer-vision"]
    # the taxonomy lists Python as related to PyTorch: partial credit, with the relation named
    assert {(p["skill_id"], p["via_skill_id"], p["relation"]) for p in weak["explanation"]["partial"]} >= {
        ("pytorch", "python", "related")
    }
    exact = client.get(
        f"/api/openings/{world['job']['id']}/recommendations", params={"top": 10, "method": "exact"}
    ).json()
    assert [i["external_id"] for i in exact["items"]] == names
    jeju = client.get(
        f"/api/openings/{world['job']['id']}/recommendations",
        params=[("region", "jeju"), ("explain", "false")],
    ).json()
    assert [i["external_id"] for i in jeju["items"]] == ["far"] and "explanation" not in jeju["items"][0]


def test_student_visa_is_fine_for_internships(client: Any, world: dict[str, Any]) -> None:
    body = client.get(f"/api/openings/{world['intern']['id']}/recommendations").json()
    assert "visa" in [i["external_id"] for i in body["items"]]


def test_openings_for_talent(client: Any, world: dict[str, Any]) -> None:
    r = client.get(f"/api/talents/{world['people']['best']['id']}/recommendations")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items[0]["opening_id"] == world["job"]["id"]
    only_interns = client.get(
        f"/api/talents/{world['people']['best']['id']}/recommendations", params={"kind": "internship"}
    ).json()["items"]
    assert [i["opening_id"] for i in only_interns] == [world["intern"]["id"]]


def test_new_talent_saved_through_the_api_is_recommended(client: Any, world: dict[str, Any]) -> None:
    url = f"/api/openings/{world['job']['id']}/recommendations"
    assert client.get(url).status_code == 200  # builds the index
    star = _post(
        client,
        "/api/talents",
        {
            "name": "star",
            "external_id": "star",
            "region": "seoul",
            "consent_visible": True,
            "employment_types": ALL,
            "skills": [{"skill_id": s, "level": 5} for s in ("pytorch", "computer-vision", "python")],
            "salary_expectation": 100,
        },
    )
    assert client.get(url).json()["items"][0]["talent_id"] in (star["id"], world["people"]["best"]["id"])
    assert star["id"] in [i["talent_id"] for i in client.get(url).json()["items"]]
    assert client.patch(f"/api/talents/{star['id']}", json={"consent_visible": False}).status_code == 200
    assert star["id"] not in [i["talent_id"] for i in client.get(url).json()["items"]]


def test_audit_and_errors(client: Any, world: dict[str, Any]) -> None:
    r = client.get("/api/audit/recommendations", params={"top": 2})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["openings"] == 2 and set(report["dimensions"]) == {
        "gender",
        "age_band",
        "nationality",
        "region",
    }
    missing = client.get("/api/openings/99999/recommendations")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    bad = client.get(f"/api/openings/{world['job']['id']}/recommendations", params={"top": 0})
    assert bad.status_code == 422


def test_programme_weights(client: Any, world: dict[str, Any]) -> None:
    program = _post(client, "/api/programs", {"name": "지역 우선", "kind": "talent_exchange",
                                               "settings": {"fit_weights": {"location": 5.0}}})
    url = f"/api/openings/{world['job']['id']}/recommendations"
    default = client.get(url, params={"top": 10}).json()
    local = client.get(url, params={"top": 10, "program_id": program["id"]}).json()
    assert local["weights"]["location"] == 5.0
    rank = {i["external_id"]: i["rank"] for i in local["items"]}
    assert rank["far"] > {i["external_id"]: i["rank"] for i in default["items"]}["far"]
    assert client.get(url, params={"program_id": 999}).status_code == 404
