"""The round workflow through the JSON API on SQLite and PostgreSQL: the whole workflow, problem+json for
wrong states (409), bad ranked lists (422, every bad entry) and unknown ids (404)."""

from __future__ import annotations

from typing import Any

PROBLEM = "application/problem+json"


def _post(client: Any, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def _world(client: Any, caps: dict[str, int] | None = None) -> dict[str, Any]:
    orgs = [
        _post(client, "/api/organizations", {"name": "비전랩", "kind": "ai_startup", "region": "seoul"}),
        _post(client, "/api/organizations", {"name": "울산정밀", "kind": "manufacturer", "region": "ulsan"}),
    ]
    skills = [{"skill_id": "pytorch", "min_level": 3, "importance": "must"}]
    openings = [
        _post(
            client,
            "/api/openings",
            {
                "organization_id": orgs[0]["id"],
                "kind": "secondment_slot",
                "title": "비전 AI",
                "region": "seoul",
                "required_skills": skills,
                "seats": 1,
                "status": "open",
            },
        ),
        _post(
            client,
            "/api/openings",
            {
                "organization_id": orgs[1]["id"],
                "kind": "secondment_slot",
                "title": "검사 AI",
                "region": "ulsan",
                "required_skills": skills,
                "seats": 2,
                "status": "open",
                "start_date": "2027-05-01",
            },
        ),
    ]
    talents = [
        _post(
            client,
            "/api/talents",
            {
                "name": f"인재{i}",
                "region": "seoul",
                "employment_types": ["secondment"],
                "skills": [{"skill_id": "pytorch", "level": 2 + i}],
            },
        )
        for i in range(4)
    ]
    program = _post(
        client,
        "/api/programs",
        {"name": "2027 인재교류", "kind": "talent_exchange", "start_date": "2027-03-01"},
    )
    rnd = _post(
        client,
        "/api/rounds",
        {"program_id": program["id"], "name": "1차", "seed": 11, "regional_caps": caps or {}},
    )
    return {"orgs": orgs, "openings": openings, "talents": talents, "program": program, "round": rnd}


def _setup(client: Any, world: dict[str, Any]) -> str:
    base = f"/api/rounds/{world['round']['id']}"
    for o in world["openings"]:
        _post(client, f"{base}/openings", {"opening_id": o["id"]})
    for t in world["talents"]:
        _post(client, f"{base}/participants", {"talent_id": t["id"]})
    return base


def _problem(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["code"] == code
    return body


def test_whole_workflow_through_the_api(client: Any) -> None:
    world = _world(client)
    base = _setup(client, world)
    seoul, ulsan = (o["id"] for o in world["openings"])
    rid = world["round"]["id"]
    assert [o["seats"] for o in client.get(f"{base}/openings").json()["items"]] == [1, 2]
    assert len(client.get(f"{base}/participants").json()["items"]) == 4

    opened = _post(client, f"{base}/open", {"preference_deadline": "2099-03-01T18:00:00+09:00"}, 200)
    assert opened["status"] == "collecting"
    assert opened["preference_deadline"].startswith("2099-03-01T09:00:00")
    for i, t in enumerate(world["talents"]):
        r = client.put(
            f"{base}/preferences/talents/{t['id']}", json={"ranking": [seoul, ulsan] if i % 2 else [ulsan]}
        )
        assert r.status_code == 200, r.text
        assert r.json()["source"] == "submitted" and r.json()["submitted_at"].endswith("+00:00")
    r = client.put(
        f"{base}/preferences/openings/{ulsan}",
        json={"ranking": [world["talents"][3]["id"], [world["talents"][0]["id"], world["talents"][2]["id"]]]},
    )
    assert r.status_code == 200 and r.json()["ranking"][1] == [
        world["talents"][0]["id"],
        world["talents"][2]["id"],
    ]
    assert _post(client, f"{base}/close", {}, 200)["status"] == "closed"

    generated = _post(client, f"{base}/rankings/generate", {}, 200)
    assert generated["generated"].keys() == {str(seoul)} and generated["kept"] == [ulsan]
    sides = {(p["side"], p["owner_id"]): p for p in client.get(f"{base}/preferences").json()["items"]}
    assert sides[("opening", seoul)]["source"] == "generated" and sides[("opening", seoul)]["scores"]
    assert len(client.get(f"{base}/preferences", params={"side": "talent"}).json()["items"]) == 4

    run = _post(client, f"{base}/run", {"mechanism": "da", "proposing": "applicants"})
    assert run["diagnostics"]["blocking_pairs"] == 0
    assert run["seed"] == 11 and run["mechanism"] == "da" and len(run["input_hash"]) == 64
    assert len(run["assignments"]) == run["summary"]["placed"] == 3
    listed = client.get(f"{base}/runs").json()["items"]
    assert [x["run_id"] for x in listed] == [run["run_id"]]
    detail = client.get(f"{base}/runs/{run['run_id']}", params={"include_instance": True}).json()
    assert detail["assignments"] == run["assignments"] and detail["instance"]["seed"] == 11
    review = client.get(f"{base}/review").json()
    assert review["round"]["status"] == "matched" and review["run"]["run_id"] == run["run_id"]
    assert review["lists"] == {"talent": {"submitted": 4}, "opening": {"generated": 1, "submitted": 1}}

    _problem(client.get(f"{base}/result"), 409, "invalid_state")
    published = _post(client, f"{base}/publish", {"run_id": run["run_id"], "published_by": "김승인"}, 200)
    assert published["placements"] == 3 and published["published_by"]
    result = client.get(f"{base}/result").json()
    assert result["run_id"] == run["run_id"] and result["assignments"] == run["assignments"]
    placements = client.get("/api/placements", params={"round_id": rid}).json()["items"]
    assert {(p["talent_id"], p["opening_id"]) for p in placements} == {
        (a["talent_id"], a["opening_id"]) for a in run["assignments"]
    }
    assert {p["status"] for p in placements} == {"planned"}
    assert {p["start_date"] for p in placements if p["opening_id"] == ulsan} == {"2027-05-01"}
    # the registry's CRUD of the round still answers, and sees the published status
    assert client.get(f"/api/rounds/{rid}").json()["status"] == "published"

    reproduced = _post(client, f"{base}/runs/{run['run_id']}/reproduce", {}, 200)
    assert reproduced["identical"] is True and reproduced["reproduced_result_hash"] == run["result_hash"]


def test_wrong_states_are_409_problems_with_a_clear_message(client: Any) -> None:
    world = _world(client)
    base = f"/api/rounds/{world['round']['id']}"
    talent, opening = world["talents"][0]["id"], world["openings"][0]["id"]
    body = _problem(client.post(f"{base}/open"), 409, "invalid_state")
    assert "attach at least one opening" in body["detail"]
    _setup(client, world)
    body = _problem(
        client.put(f"{base}/preferences/talents/{talent}", json={"ranking": [opening]}), 409, "invalid_state"
    )
    assert "is draft (open it first)" in body["detail"] and body["allowed"] == ["collecting"]
    _post(client, f"{base}/open", {}, 200)
    body = _problem(client.post(f"{base}/run", json={}), 409, "invalid_state")
    assert "still open: close it first" in body["detail"]
    body = _problem(
        client.post(f"{base}/publish", json={"run_id": 1, "published_by": "x"}), 409, "invalid_state"
    )
    assert "cannot publish" in body["detail"]
    _post(client, f"{base}/close", {}, 200)
    body = _problem(client.post(f"{base}/run", json={}), 409, "invalid_state")
    assert "no ranking of talents" in body["detail"] and "generate-rankings" in body["detail"]
    _post(client, f"{base}/rankings/generate", {"scope": "all"}, 200)
    run = _post(client, f"{base}/run", {"mechanism": "flexible-da"})
    _post(client, f"{base}/publish", {"run_id": run["run_id"], "published_by": "김승인"}, 200)
    body = _problem(
        client.post(f"{base}/publish", json={"run_id": run["run_id"], "published_by": "x"}),
        409,
        "invalid_state",
    )
    assert "is published" in body["detail"]
    _problem(client.delete(f"{base}/openings/{opening}"), 409, "invalid_state")
    # a round with runs cannot be deleted: its runs are the audit trail
    _problem(client.delete(f"/api/rounds/{world['round']['id']}"), 409, "conflict")


def test_bad_lists_are_422_with_every_bad_entry(client: Any) -> None:
    world = _world(client)
    base = _setup(client, world)
    _post(client, f"{base}/open", {}, 200)
    seoul = world["openings"][0]["id"]
    t0 = world["talents"][0]["id"]
    body = _problem(
        client.put(f"{base}/preferences/talents/{t0}", json={"ranking": [seoul, 987654, seoul]}),
        422,
        "validation",
    )
    assert [(e["loc"], e["type"]) for e in body["errors"]] == [
        (["ranking", 1], "unknown_id"),
        (["ranking", 2], "duplicate"),
    ]
    assert "987654 is not attached" in body["errors"][0]["msg"]
    body = _problem(
        client.put(f"{base}/preferences/talents/{t0}", json={"ranking": ["a", seoul, "b"]}), 422, "validation"
    )
    assert len(body["errors"]) == 2
    body = _problem(
        client.put(f"{base}/preferences/openings/{seoul}", json={"ranking": [t0, [t0, 5555]]}),
        422,
        "validation",
    )
    assert [e["loc"] for e in body["errors"]] == [["ranking", 1, 0], ["ranking", 1, 1]]
    _problem(client.put(f"{base}/preferences/talents/424242", json={"ranking": []}), 404, "not_found")
    _problem(client.put("/api/rounds/424242/preferences/talents/1", json={"ranking": []}), 404, "not_found")
    _problem(client.post(f"{base}/run", json={"mechanism": "lottery"}), 422, "validation")
    _problem(client.post(f"{base}/openings", json={"opening_id": seoul, "seats": 0}), 422, "validation")
    _problem(client.post(f"{base}/participants", json={"talent_id": 424242}), 404, "not_found")
    assert client.get(f"{base}/preferences").json()["items"] == []


def test_regional_cap_is_respected_in_a_run(client: Any) -> None:
    world = _world(client, caps={"capital": 0})
    base = _setup(client, world)
    seoul, ulsan = (o["id"] for o in world["openings"])
    _post(client, f"{base}/open", {}, 200)
    for t in world["talents"]:
        assert (
            client.put(f"{base}/preferences/talents/{t['id']}", json={"ranking": [seoul, ulsan]}).status_code
            == 200
        )
    _post(client, f"{base}/close", {}, 200)
    _post(client, f"{base}/rankings/generate", {}, 200)
    run = _post(client, f"{base}/run", {"mechanism": "flexible-da"})
    assert {a["opening_id"] for a in run["assignments"]} == {ulsan}
    assert run["diagnostics"]["regions"]["capital"] == {
        "cap": 0,
        "placed": 0,
        "seats": 1,
        "target": 0,
        "over_cap": 0,
    }
    assert run["summary"]["over_cap"] == 0


def test_publish_needs_a_person_and_a_run_of_this_round(client: Any) -> None:
    world = _world(client)
    base = _setup(client, world)
    _post(client, f"{base}/open", {}, 200)
    _post(client, f"{base}/close", {}, 200)
    _post(client, f"{base}/rankings/generate", {"scope": "all"}, 200)
    run = _post(client, f"{base}/run", {})
    _problem(client.get(f"{base}/runs/999999"), 404, "not_found")
    _problem(client.post(f"{base}/publish", json={"run_id": 999999, "published_by": "x"}), 404, "not_found")
    r = client.post(f"{base}/publish", json={"run_id": run["run_id"]})
    if r.status_code == 422:  # no signed-in user and no name given: refused, nothing published
        assert r.json()["errors"][0]["loc"] == ["published_by"]
        assert client.get(f"/api/rounds/{world['round']['id']}").json()["status"] == "matched"
    else:  # an authenticating client: the signed-in user is the approver
        assert r.status_code == 200 and r.json()["published_by"]
