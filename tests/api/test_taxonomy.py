"""The taxonomy API: search with paging, lookups by id and by ESCO URI, problem+json for unknown ids."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from talentbridge.skills.builtin import load_builtin_lenient
from talentbridge.storage import Database

ESCO = "http://data.europa.eu/esco/"
FILES: dict[str, list[list[str]]] = {
    "skills_en.csv": [
        ["conceptUri", "skillType", "preferredLabel", "altLabels", "description"],
        [
            ESCO + "skill/welding",
            "skill/competence",
            "use welding equipment",
            "operate welding equipment\nweld",
            "",
        ],
        [ESCO + "skill/metals", "knowledge", "metal types", "types of metal", "Metals."],
    ],
    "occupations_en.csv": [
        ["conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"],
        [ESCO + "occupation/welder", "7212", "welder", "welding worker", "Joins metal."],
    ],
    "occupationSkillRelations.csv": [
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [ESCO + "occupation/welder", "essential", "skill/competence", ESCO + "skill/welding"],
        [ESCO + "occupation/welder", "optional", "knowledge", ESCO + "skill/metals"],
    ],
    "skillSkillRelations.csv": [
        ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
        [ESCO + "skill/welding", "skill/competence", "essential", "knowledge", ESCO + "skill/metals"],
    ],
    "broaderRelationsSkillPillar.csv": [["conceptType", "conceptUri", "broaderType", "broaderUri"]],
    "broaderRelationsOccPillar.csv": [["conceptType", "conceptUri", "broaderType", "broaderUri"]],
    "ISCOGroups_en.csv": [
        ["conceptUri", "code", "preferredLabel", "description"],
        [ESCO + "isco/C7212", "7212", "Welders and flamecutters", ""],
    ],
}


@pytest.fixture
def with_esco(database: Database, tmp_path: Path) -> Iterator[Database]:
    """The test database with a tiny ESCO-like import; put back to the built-in taxonomy afterwards."""
    from talentbridge.services.taxonomy import import_esco

    for name, rows in FILES.items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (tmp_path / name).write_text(out.getvalue(), encoding="utf-8")
    with database.session() as session:
        import_esco(session, [tmp_path])
    try:
        yield database
    finally:
        from talentbridge.skills.esco import EscoData
        from talentbridge.skills.esco_merge import merge_with_builtin
        from talentbridge.storage.taxonomy_repository import TaxonomyRepository

        builtin, _ = load_builtin_lenient()
        with database.session() as session:
            TaxonomyRepository(session).replace_all(merge_with_builtin(builtin, EscoData()))


def test_search_pages_through_builtin_skills(client: Any) -> None:
    builtin, _ = load_builtin_lenient()
    r = client.get("/api/taxonomy/skills", params={"size": 7, "page": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(builtin.skills) and len(body["items"]) == 7 and body["page"] == 2
    assert body["pages"] == -(-len(builtin.skills) // 7)
    assert all(item["builtin"] and item["label_ko"] for item in body["items"])


def test_search_by_korean_and_english_label(client: Any) -> None:
    builtin, _ = load_builtin_lenient()
    skill = next(s for s in builtin.skills.values() if s.broader)
    for q in (skill.label_ko, skill.label_en.lower()):
        r = client.get("/api/taxonomy/skills", params={"q": q})
        assert r.status_code == 200
        assert skill.id in [i["id"] for i in r.json()["items"]], q
    r = client.get("/api/taxonomy/skills", params={"q": skill.label_en, "type": skill.type})
    assert all(i["type"] == skill.type for i in r.json()["items"])


def test_skill_detail_has_relations_and_unknown_ids_are_404(client: Any) -> None:
    builtin, _ = load_builtin_lenient()
    skill = next(s for s in builtin.skills.values() if s.broader)
    r = client.get(f"/api/taxonomy/skills/{skill.id}")
    assert r.status_code == 200
    body = r.json()
    assert body["label_ko"] == skill.label_ko
    assert {b["id"] for b in body["broader"]} >= set(skill.broader)
    parent = client.get(f"/api/taxonomy/skills/{skill.broader[0]}").json()
    assert skill.id in {n["id"] for n in parent["narrower"]}
    r = client.get("/api/taxonomy/skills/no-such-skill")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_builtin_occupations_list_and_detail(client: Any) -> None:
    builtin, _ = load_builtin_lenient()
    assert builtin.occupations, "the package ships built-in occupations"
    occupation = next(o for o in builtin.occupations.values() if o.essential_skills)
    r = client.get("/api/taxonomy/occupations", params={"q": occupation.label_ko})
    assert occupation.id in [i["id"] for i in r.json()["items"]]
    detail = client.get(f"/api/taxonomy/occupations/{occupation.id}").json()
    assert {s["id"] for s in detail["essential_skills"]} >= set(occupation.essential_skills)


def test_esco_concepts_by_uri_raw_or_encoded(client: Any, with_esco: Database) -> None:
    uri = ESCO + "skill/welding"
    for path in (f"/api/taxonomy/skills/{uri}", f"/api/taxonomy/skills/{quote(uri, safe='')}"):
        r = client.get(path)
        assert r.status_code == 200, path
        body = r.json()
        assert body["id"] == uri and body["alt_en"] == ["operate welding equipment", "weld"]
        assert body["related"] == [
            {
                "id": ESCO + "skill/metals",
                "label_en": "metal types",
                "label_ko": "",
                "relation_type": "essential",
            }
        ]
        assert body["occupations"] == [
            {"id": ESCO + "occupation/welder", "label_en": "welder", "label_ko": "", "relation": "essential"}
        ]
    r = client.get("/api/taxonomy/occupations", params={"q": "welding worker", "isco": "72"})
    assert [i["id"] for i in r.json()["items"]] == [ESCO + "occupation/welder"]
    detail = client.get(f"/api/taxonomy/occupations/{ESCO}occupation/welder").json()
    assert detail["isco_group"] == {"code": "7212", "label_en": "Welders and flamecutters"}
    assert [s["id"] for s in detail["optional_skills"]] == [ESCO + "skill/metals"]
    stats = client.get("/api/taxonomy/stats").json()
    assert stats["occupation_skill_relations"] >= 2 and stats["isco_groups"] == 1


def test_bad_parameters_are_422(client: Any) -> None:
    assert client.get("/api/taxonomy/skills", params={"size": 0}).status_code == 422
    assert client.get("/api/taxonomy/skills", params={"type": "gadget"}).status_code == 422
    assert client.get("/api/taxonomy/occupations", params={"isco": "12345"}).status_code == 422


def test_reading_the_taxonomy_needs_a_signed_in_user(anon_client: Any) -> None:
    r = anon_client.get("/api/taxonomy/skills")
    assert r.status_code == 401
