"""The built-in AI taxonomy: the shipped files load, validate, and reach the database after ``db upgrade``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentbridge.domain.errors import ImportRejected
from talentbridge.skills.builtin import (
    OCCUPATION_FILES,
    SKILL_FILES,
    SourceFile,
    builtin_content_hash,
    builtin_sources,
    load_builtin,
    load_builtin_lenient,
    parse_taxonomy,
)
from talentbridge.storage import Database

# -- the shipped data ------------------------------------------------------------------------------------


def test_every_shipped_file_is_present() -> None:
    skills, occupations = builtin_sources()
    assert [s.name for s in skills] == list(SKILL_FILES)
    assert [s.name for s in occupations] == list(OCCUPATION_FILES)


def test_the_shipped_taxonomy_is_valid() -> None:
    """Unique ids and ESCO URIs, every reference resolves, Korean labels, known types, no broader cycles."""
    try:
        load_builtin()
    except ImportRejected as exc:  # show every problem, not just the count
        pytest.fail(str(exc))


def test_the_shipped_taxonomy_is_big_enough() -> None:
    taxonomy, _ = load_builtin_lenient()
    assert len(taxonomy.skills) >= 600
    assert len(taxonomy.occupations) >= 60


def test_every_concept_has_english_and_korean_labels() -> None:
    taxonomy, _ = load_builtin_lenient()
    for concept in [*taxonomy.skills.values(), *taxonomy.occupations.values()]:
        assert concept.label_en.strip(), concept.id
        assert concept.label_ko.strip(), concept.id
        assert concept.builtin


def test_every_reference_resolves_to_a_builtin_concept() -> None:
    taxonomy, _ = load_builtin_lenient()
    for skill in taxonomy.skills.values():
        assert set(skill.broader) <= taxonomy.skills.keys(), skill.id
        assert set(skill.related) <= taxonomy.skills.keys(), skill.id
    for occupation in taxonomy.occupations.values():
        assert set(occupation.essential_skills) <= taxonomy.skills.keys(), occupation.id
        assert set(occupation.optional_skills) <= taxonomy.skills.keys(), occupation.id
        assert not set(occupation.essential_skills) & set(occupation.optional_skills), occupation.id
        assert set(occupation.broader) <= taxonomy.occupations.keys(), occupation.id


def test_esco_uris_and_isco_codes_are_well_formed() -> None:
    taxonomy, _ = load_builtin_lenient()
    for skill in taxonomy.skills.values():
        if skill.esco_uri:
            assert skill.esco_uri.startswith("http://data.europa.eu/esco/skill/"), skill.id
    for occupation in taxonomy.occupations.values():
        if occupation.esco_uri:
            assert occupation.esco_uri.startswith("http://data.europa.eu/esco/occupation/"), occupation.id
        assert occupation.isco_code == "" or (
            occupation.isco_code.isdigit() and len(occupation.isco_code) == 4
        )


def test_content_hash_is_stable_and_hex() -> None:
    first = builtin_content_hash()
    assert first == builtin_content_hash()
    assert len(first) == 64 and int(first, 16) >= 0


def test_load_returns_a_fresh_copy_each_time() -> None:
    a, _ = load_builtin_lenient()
    b, _ = load_builtin_lenient()
    some = next(iter(a.skills))
    a.skills[some].alt_en.append("changed by a caller")
    assert "changed by a caller" not in b.skills[some].alt_en


# -- validation, on small files ---------------------------------------------------------------------------


def _jsonl(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def _skill(sid: str, **extra: object) -> dict[str, object]:
    return {"id": sid, "type": "skill", "label_en": sid.upper(), "label_ko": f"{sid} 한국어", **extra}


def test_valid_small_files_parse_and_references_by_esco_uri_become_ids() -> None:
    uri = "http://data.europa.eu/esco/skill/abc"
    skills = SourceFile(
        "s.jsonl", _jsonl(_skill("ml", esco_uri=uri), _skill("dl", broader=[uri], related=["ml"]))
    )
    occupations = SourceFile(
        "o.jsonl",
        _jsonl(
            {
                "id": "mle",
                "label_en": "ML engineer",
                "label_ko": "머신러닝 엔지니어",
                "isco_code": "2512",
                "essential_skills": ["ml"],
                "optional_skills": ["dl", "ml"],
            }
        ),
    )
    taxonomy = parse_taxonomy([skills], [occupations])
    assert taxonomy.skills["dl"].broader == ["ml"]
    assert taxonomy.occupations["mle"].essential_skills == ["ml"]
    assert taxonomy.occupations["mle"].optional_skills == ["dl"]  # essential wins over optional


def test_every_problem_is_reported_with_file_line_and_id() -> None:
    skills = SourceFile(
        "skills_core.jsonl",
        _jsonl(
            _skill("a", broader=["missing-parent"]),
            {"id": "b", "type": "gadget", "label_en": "B"},  # bad type, no Korean label
            "{not json",
            _skill("a"),  # duplicate
        ),
    )
    occupations = SourceFile(
        "occupations.jsonl",
        _jsonl(
            {"id": "o", "label_en": "O", "label_ko": "오", "isco_code": "25x", "essential_skills": ["nope"]}
        ),
    )
    with pytest.raises(ImportRejected) as caught:
        parse_taxonomy([skills], [occupations])
    found = {(p.loc, p.line) for p in caught.value.problems}
    assert (("skills_core.jsonl", "broader"), 1) in found
    assert (("skills_core.jsonl", "type"), 2) in found
    assert (("skills_core.jsonl", "label_ko"), 2) in found
    assert (("skills_core.jsonl",), 3) in found
    assert (("skills_core.jsonl", "id"), 4) in found
    assert (("occupations.jsonl", "isco_code"), 1) in found
    assert (("occupations.jsonl", "essential_skills"), 1) in found
    unresolved = [p for p in caught.value.problems if p.type == "unresolved"]
    assert {p.value for p in unresolved} == {"missing-parent", "nope"}
    assert "missing-parent" in str(caught.value) and "line 1" in str(caught.value)


def test_duplicates_across_files_and_cycles_are_rejected() -> None:
    core = SourceFile("skills_core.jsonl", _jsonl(_skill("x", broader=["y"]), _skill("y", broader=["x"])))
    industry = SourceFile("skills_industry.jsonl", _jsonl(_skill("x")))
    with pytest.raises(ImportRejected) as caught:
        parse_taxonomy([core, industry], [])
    kinds = {(p.type, p.loc[0]) for p in caught.value.problems}
    assert ("duplicate", "skills_industry.jsonl") in kinds
    assert ("cycle", "skills_core.jsonl") in kinds


# -- in the database ---------------------------------------------------------------------------------------


def test_db_upgrade_loads_the_builtin_taxonomy(database: Database) -> None:
    from talentbridge.services.taxonomy import BUILTIN_HASH_KEY, load_taxonomy
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    expected, _ = load_builtin_lenient()
    with database.session() as session:
        repo = TaxonomyRepository(session)
        assert repo.get_meta(BUILTIN_HASH_KEY) == builtin_content_hash()
        counts = repo.counts()
        stored = load_taxonomy(session)
    assert counts.builtin_skills == len(expected.skills)
    assert counts.builtin_occupations == len(expected.occupations)
    assert stored.skills.keys() >= expected.skills.keys()
    for sid, skill in expected.skills.items():
        got = stored.skills[sid]
        assert (got.label_en, got.label_ko, got.type, got.family) == (
            skill.label_en,
            skill.label_ko,
            skill.type,
            skill.family,
        )
        assert set(got.broader) >= set(skill.broader) and set(got.related) >= set(skill.related)
    for oid, occupation in expected.occupations.items():
        got_occ = stored.occupations[oid]
        assert set(got_occ.essential_skills) >= set(occupation.essential_skills)
        assert got_occ.label_ko == occupation.label_ko


def test_ensure_builtin_is_idempotent_and_reloads_when_the_data_changes(database: Database) -> None:
    from talentbridge.services.taxonomy import BUILTIN_HASH_KEY, ensure_builtin_taxonomy
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    with database.session() as session:
        assert ensure_builtin_taxonomy(session) is False  # up to date after db upgrade: nothing written
        before = TaxonomyRepository(session).counts()
    with database.session() as session:
        TaxonomyRepository(session).set_meta(BUILTIN_HASH_KEY, "stale")  # as after a package upgrade
    with database.session() as session:
        assert ensure_builtin_taxonomy(session) is True
        assert TaxonomyRepository(session).counts() == before
        assert TaxonomyRepository(session).get_meta(BUILTIN_HASH_KEY) == builtin_content_hash()


def test_search_finds_builtin_skills_in_korean_and_english(database: Database) -> None:
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    taxonomy, _ = load_builtin_lenient()
    skill = next(s for s in taxonomy.skills.values() if s.alt_ko or s.label_ko)
    with database.session() as session:
        repo = TaxonomyRepository(session)
        by_ko = repo.search_skills(skill.label_ko, size=500)
        by_en = repo.search_skills(skill.label_en.upper(), size=500)  # case-insensitive
        assert skill.id in [s.id for s in by_ko.items]
        assert by_en.items[0].label_en.casefold() == skill.label_en.casefold()
        everything = repo.search_skills("", page=2, size=10)
        assert everything.total == len(taxonomy.skills) and len(everything.items) == 10


def test_upgrade_says_whether_it_replaced_an_earlier_builtin_taxonomy(tmp_path: Path) -> None:
    from talentbridge.services.taxonomy import BUILTIN_HASH_KEY
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        assert db.upgrade() is False  # the first load is no update
        assert db.upgrade() is False  # nothing changed
        with db.session() as session:
            TaxonomyRepository(session).set_meta(BUILTIN_HASH_KEY, "stale")
        assert db.upgrade() is True  # a package upgrade brought other built-in files
    finally:
        db.dispose()
