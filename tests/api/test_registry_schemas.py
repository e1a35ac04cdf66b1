"""The registry's XCreate / XUpdate / XPublic / XPage schemas: named in the OpenAPI document, used as bodies and
``response_model``, and answers that leave withheld fields out rather than sending them as null."""

from __future__ import annotations

from typing import Any

from talentbridge.web.api.registry_schemas import RESOURCES, SCHEMAS

ENTITIES = [stored.__name__ for _p, _e, _d, stored, _t in RESOURCES]


def test_every_entity_has_its_four_schemas_in_the_openapi_document(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    names = set(spec["components"]["schemas"])
    for entity in ENTITIES:
        assert {f"{entity}Create", f"{entity}Update", f"{entity}Public", f"{entity}Page"} <= names, entity
    ref = "#/components/schemas/{}"
    for path, _entity, _data, stored, _tag in RESOURCES:
        name = stored.__name__
        one = spec["paths"][f"/api/{path}/{{item_id}}"]
        assert one["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == ref.format(f"{name}Public")
        assert one["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"] == ref.format(f"{name}Update")
        many = spec["paths"][f"/api/{path}"]
        assert many["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == ref.format(f"{name}Page")
        assert many["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"] == ref.format(f"{name}Create")
        assert many["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"] == ref.format(f"{name}Public")
    talent = spec["components"]["schemas"]["TalentPublic"]
    assert "id" in talent["required"] and "email" not in talent.get("required", [])  # withheld from some callers


def test_public_schemas_check_types_only_and_pages_nest_them() -> None:
    public, page = SCHEMAS["openings"].public, SCHEMAS["openings"].page
    # a stored opening as an answer: the record check "give a region, or set remote" judges input, not answers
    answer = public.model_validate({"id": 3, "organization_id": 1, "kind": "job", "title": "비전", "remote": False})
    assert answer.model_dump(exclude_unset=True)["id"] == 3
    assert page.model_validate({"items": [answer.model_dump()], "total": 1, "page": 1, "size": 50, "pages": 1})


def test_withheld_talent_fields_are_left_out_not_null(client: Any, client_as: Any) -> None:
    org = client.post("/api/organizations", json={"name": "비전랩", "kind": "ai_startup", "region": "seoul"}).json()
    talent = client.post("/api/talents", json={
        "name": "김민준", "email": "minjun@example.kr", "phone": "010-1234-5678", "gender": "male",
        "birth_year": 1994, "region": "seoul", "category": "engineer", "consent_visible": True,
    }).json()  # fmt: skip
    assert talent["email"] == "minjun@example.kr" and talent["gender"] == "male"
    member = client_as("org_member", organization_id=org["id"])
    seen = member.get(f"/api/talents/{talent['id']}")
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["name"] == "김민준"
    assert not {"email", "phone", "gender", "birth_year"} & set(body)  # withheld: absent, not null
    listed = member.get("/api/talents").json()
    assert listed["total"] >= 1 and all("gender" not in item for item in listed["items"])
