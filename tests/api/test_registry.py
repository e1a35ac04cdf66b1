"""Every registry entity round-trips through the API on SQLite and PostgreSQL; errors are problem+json."""

from __future__ import annotations

from typing import Any

import pytest


def _org(client: Any, **over: Any) -> dict[str, Any]:
    body = {"name": "비전랩", "kind": "ai_startup", "region": "seoul", "business_number": "220-81-62517", **over}
    r = client.post("/api/organizations", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _world(client: Any) -> dict[str, dict[str, Any]]:
    org = _org(client)
    maker = _org(client, name="울산정밀", kind="manufacturer", region="ulsan", business_number="124-81-00998",
                 industry="c", founded="1998-03-01", size_band="50-299", venture_certified=False)
    talent = client.post("/api/talents", json={
        "name": "김민준", "name_latin": "Kim Minjun", "email": "minjun@example.kr", "phone": "010-1234-5678",
        "gender": "male", "birth_year": 1994, "region": "seoul", "category": "engineer",
        "education": [{"degree": "master", "field": "전산학", "institution": "KAIST", "year": 2020}],
        "work_history": [{"organization": "비전랩", "organization_id": org["id"], "title": "ML 엔지니어",
                          "start": "2020-03-01"}],
        "skills": [{"skill_id": "pytorch", "level": 4, "years": 3.5}, {"skill_id": "python", "level": 5}],
        "resume_text": "PyTorch 기반 비전 검사 모델 개발 3년", "desired_roles": ["ML engineer"],
        "employment_types": ["full_time", "secondment"], "salary_expectation": 7000,
        "available_from": "2027-01-01", "current_employer_id": org["id"], "consent_visible": True,
    }).json()
    opening = client.post("/api/openings", json={
        "organization_id": maker["id"], "kind": "job", "title": "비전 검사 AI 엔지니어",
        "description": "PyTorch 기반 불량 검출", "region": "ulsan", "salary_min": 5000, "salary_max": 8000,
        "required_skills": [{"skill_id": "pytorch", "min_level": 3, "importance": "must"}],
        "seats": 2, "deadline": "2027-02-01", "status": "open", "min_degree": "bachelor",
    }).json()
    program = client.post("/api/programs", json={"name": "2027 인재교류", "kind": "talent_exchange",
                                                 "start_date": "2027-03-01", "end_date": "2027-12-31"}).json()
    round_ = client.post("/api/rounds", json={"program_id": program["id"], "name": "1차",
                                              "regional_caps": {"capital": 10}, "seed": 7}).json()
    application = client.post("/api/applications", json={"talent_id": talent["id"],
                                                         "opening_id": opening["id"]}).json()
    placement = client.post("/api/placements", json={
        "talent_id": talent["id"], "organization_id": maker["id"], "opening_id": opening["id"],
        "round_id": round_["id"], "kind": "secondment", "start_date": "2027-03-01", "status": "active"}).json()
    return {"organizations": maker, "talents": talent, "openings": opening, "programs": program,
            "rounds": round_, "applications": application, "placements": placement}


def test_every_entity_round_trips(client: Any) -> None:
    world = _world(client)
    for path, created in world.items():
        assert "id" in created, (path, created)
        fetched = client.get(f"/api/{path}/{created['id']}")
        assert fetched.status_code == 200
        assert {k: v for k, v in fetched.json().items() if k != "updated_at"} == {
            k: v for k, v in created.items() if k != "updated_at"
        }
    talent = world["talents"]
    assert talent["skills"][0] == {"skill_id": "pytorch", "level": 4, "years": 3.5, "source": "explicit",
                                   "confidence": None}
    assert talent["education"][0]["institution"] == "KAIST"


@pytest.mark.parametrize(
    ("path", "change", "field", "expected"),
    [
        ("talents", {"region": "daejeon"}, "region", "daejeon"),
        ("openings", {"status": "closed"}, "status", "closed"),
        ("organizations", {"venture_certified": True}, "venture_certified", True),
        ("placements", {"status": "ended_early", "end_date": "2027-06-01", "end_reason": "이직"}, "status",
         "ended_early"),
        ("applications", {"status": "interview"}, "status", "interview"),
        ("rounds", {"name": "1차 (수정)"}, "name", "1차 (수정)"),
        ("programs", {"status": "active"}, "status", "active"),
    ],
)
def test_update_then_delete(client: Any, path: str, change: dict[str, Any], field: str, expected: Any) -> None:
    world = _world(client)
    item = world[path]
    r = client.patch(f"/api/{path}/{item['id']}", json=change)
    assert r.status_code == 200, r.text
    assert r.json()[field] == expected
    if path in {"applications", "placements"}:
        assert client.delete(f"/api/{path}/{item['id']}").status_code == 204
        assert client.get(f"/api/{path}/{item['id']}").status_code == 404


def test_invalid_input_lists_every_bad_field(client: Any) -> None:
    r = client.post("/api/talents", json={"name": "", "email": "x", "birth_year": 1800, "region": "mars",
                                          "skills": [{"skill_id": "pytorch", "level": 9}]})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    locs = {tuple(e["loc"]) for e in r.json()["errors"]}
    assert locs == {("body", "name"), ("body", "email"), ("body", "birth_year"), ("body", "region"),
                    ("body", "skills", 0, "level")}


def test_bad_patch_is_422_and_changes_nothing(client: Any) -> None:
    org = _org(client)
    r = client.patch(f"/api/organizations/{org['id']}", json={"business_number": "1234567890", "region": "x"})
    assert r.status_code == 422
    assert len(r.json()["errors"]) == 2
    assert client.get(f"/api/organizations/{org['id']}").json()["business_number"] == "2208162517"


def test_unknown_id_is_404_and_duplicates_are_409(client: Any) -> None:
    assert client.get("/api/talents/999").status_code == 404
    assert client.patch("/api/openings/999", json={"title": "x"}).status_code == 404
    _org(client)
    dup = client.post("/api/organizations", json={"name": "다른회사", "kind": "ai_startup",
                                                  "business_number": "2208162517"})
    assert dup.status_code == 409 and dup.json()["field"] == "business_number"
    assert client.post("/api/talents", json={"name": "a", "email": "same@example.kr"}).status_code == 201
    dup = client.post("/api/talents", json={"name": "b", "email": "same@example.kr"})
    assert dup.status_code == 409 and dup.json()["field"] == "email"


def test_referenced_organization_cannot_be_deleted(client: Any) -> None:
    world = _world(client)
    r = client.delete(f"/api/organizations/{world['organizations']['id']}")
    assert r.status_code == 409
    assert client.get(f"/api/organizations/{world['organizations']['id']}").status_code == 200


def test_client_mistakes_never_give_500(client: Any) -> None:
    cases = [
        client.post("/api/talents", content=b"{not json", headers={"content-type": "application/json"}),
        client.get("/api/talents?page=0"),
        client.get("/api/talents?size=100000"),
        client.get("/api/talents?sort=password"),
        client.get("/api/talents?unknown=1"),
        client.get("/api/talents?birth_year=abc"),
        client.get("/api/talents/abc"),
        client.post("/api/openings", json={"organization_id": 12345, "kind": "job", "title": "x", "region": "seoul"}),
        client.post("/api/placements", json={"talent_id": 1, "organization_id": 1, "start_date": "not a date"}),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, (r.request.url, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


def test_filters_sorting_and_pagination(client: Any) -> None:
    regions = ["seoul", "busan", "seoul", "ulsan", "seoul", "daejeon", "seoul"]
    for i, region in enumerate(regions):
        skills = [{"skill_id": "pytorch", "level": 3}] if i % 2 == 0 else []
        r = client.post("/api/talents", json={"name": f"인재{i}", "region": region, "birth_year": 1990 + i,
                                              "skills": skills, "nationality": "KR" if i < 5 else "VN"})
        assert r.status_code == 201
    page1 = client.get("/api/talents?region=seoul&size=3&sort=-birth_year").json()
    assert page1["total"] == 4 and page1["pages"] == 2
    assert [t["birth_year"] for t in page1["items"]] == [1996, 1994, 1992]
    page2 = client.get("/api/talents?region=seoul&size=3&page=2&sort=-birth_year").json()
    assert [t["birth_year"] for t in page2["items"]] == [1990]
    assert client.get("/api/talents?region=seoul&region=busan").json()["total"] == 5
    assert client.get("/api/talents?skill=pytorch").json()["total"] == 4
    assert client.get("/api/talents?nationality=vn").json()["total"] == 2
    assert client.get("/api/talents?q=인재1").json()["total"] == 1
    assert client.get("/api/talents?page=9").json()["items"] == []


def test_health(client: Any) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["database"] in {"sqlite", "postgresql"}


def test_round_status_changes_only_through_the_workflow(client: Any) -> None:
    world = _world(client)
    round_id = world["rounds"]["id"]
    r = client.patch(f"/api/rounds/{round_id}", json={"status": "published"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "status"]
    r = client.post("/api/rounds", json={"program_id": world["programs"]["id"], "name": "x", "status": "matched"})
    assert r.status_code == 422
    assert client.get(f"/api/rounds/{round_id}").json()["status"] == "draft"


def test_skill_filter_counts_each_talent_once(client: Any) -> None:
    for i, skills in enumerate([["pytorch", "python"], ["pytorch"], ["python"], ["sql"]]):
        body = {"name": f"t{i}", "skills": [{"skill_id": s, "level": 3} for s in skills]}
        assert client.post("/api/talents", json=body).status_code == 201
    both = client.get("/api/talents?skill=pytorch&skill=python").json()
    assert both["total"] == 3 and len(both["items"]) == 3
    with_region = client.get("/api/talents?skill=pytorch&skill=python&q=t0").json()
    assert with_region["total"] == 1
