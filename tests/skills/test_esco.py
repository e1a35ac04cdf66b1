"""ESCO import: the real v1.1.1 download end to end (SQLite and PostgreSQL), and malformed input.

The real zips are read from ``TALENTBRIDGE_ESCO_DIR`` (default ``<repo>/../shared/data/esco``); without them
the tests that need them are skipped with that reason. Malformed-input tests build small files in tmp_path.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from talentbridge.domain.errors import ImportRejected, ValidationFailed
from talentbridge.skills.builtin import load_builtin_lenient
from talentbridge.skills.esco import EscoData
from talentbridge.skills.esco_merge import esco_layer, merge_with_builtin, update_layer
from talentbridge.skills.esco_read import read_esco
from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy
from talentbridge.storage import Database

ROOT = Path(__file__).resolve().parents[2]
ESCO_DIR = Path(os.environ.get("TALENTBRIDGE_ESCO_DIR") or ROOT.parent / "shared" / "data" / "esco")
CLASSIFICATION = ESCO_DIR / "esco_v1.1.1_classification_en_csv.zip"
RELATIONS = ESCO_DIR / "esco_v1.1.1_relations_csv.zip"
needs_esco = pytest.mark.skipif(
    not (CLASSIFICATION.is_file() and RELATIONS.is_file()),
    reason=f"the ESCO v1.1.1 CSV zips are not in {ESCO_DIR} (set TALENTBRIDGE_ESCO_DIR to their folder)",
)
PG_ADMIN_URL = os.environ.get(
    "TALENTBRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

ESCO = "http://data.europa.eu/esco/"
MUSICAL_STAFF = ESCO + "skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"  # manage musical staff
TECHNICAL_DIRECTOR = ESCO + "occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
DATA_SCIENTIST = ESCO + "occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
MISSING_OCCUPATION = ESCO + "occupation/a9e54177-a185-404d-b6e6-15663d31137e"  # listed in relations only

# Published sizes of ESCO v1.1.1 (rows in the CSV files).
SKILLS, OCCUPATIONS = 13_896, 3_007
OCCUPATION_SKILL_ROWS, ESSENTIAL_ROWS, OPTIONAL_ROWS = 123_855, 64_946, 58_909
SKILL_SKILL_ROWS = 5_899
# One occupation in the relations file is missing from occupations_en.csv: its 67 relations are skipped.
OCCUPATION_SKILL_STORED, ESSENTIAL_STORED, OPTIONAL_STORED = 123_788, 64_891, 58_897


def _missing_esco() -> None:
    """Without the ESCO download these tests cannot run: CI (TALENTBRIDGE_REQUIRE_ESCO=1) fails, a developer's
    machine without ../shared skips with the reason."""
    message = f"the ESCO v1.1.1 CSV zips are not in {ESCO_DIR} (set TALENTBRIDGE_ESCO_DIR)"
    if os.environ.get("TALENTBRIDGE_REQUIRE_ESCO") == "1":
        pytest.fail(message)
    pytest.skip(message)


# -- reading the real download -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def esco() -> EscoData:
    if not (CLASSIFICATION.is_file() and RELATIONS.is_file()):
        _missing_esco()
    return read_esco([CLASSIFICATION, RELATIONS])


@needs_esco
def test_read_counts_match_the_published_release(esco: EscoData) -> None:
    assert len(esco.taxonomy.skills) == SKILLS
    assert len(esco.taxonomy.occupations) == OCCUPATIONS
    assert esco.rows["occupation_skills"] == OCCUPATION_SKILL_ROWS
    assert esco.rows["skill_skills"] == SKILL_SKILL_ROWS
    assert esco.occupation_skill_count == OCCUPATION_SKILL_STORED
    essential = sum(len(o.essential_skills) for o in esco.taxonomy.occupations.values())
    assert (essential, esco.occupation_skill_count - essential) == (ESSENTIAL_STORED, OPTIONAL_STORED)
    skipped_occupation_rows = [
        s for s in esco.skipped if s[2] == MISSING_OCCUPATION and "occupationSkill" in s[0]
    ]
    assert len(skipped_occupation_rows) == OCCUPATION_SKILL_ROWS - OCCUPATION_SKILL_STORED
    assert esco.skill_skill_count == SKILL_SKILL_ROWS - 1  # one relation of a skill to itself
    assert len(esco.related_type) == esco.skill_skill_count
    assert len(esco.skill_groups) == 640
    assert sum(len(g) for g in esco.group_links.values()) == 13_448
    assert sum(len(s.broader) for s in esco.taxonomy.skills.values()) == 6_565
    assert len(esco.isco_groups) == 619


@needs_esco
def test_read_spot_checks_concepts_labels_and_types(esco: EscoData) -> None:
    skill = esco.taxonomy.skills[MUSICAL_STAFF]
    assert skill.label_en == "manage musical staff"
    assert skill.alt_en == [
        "manage staff of music",
        "coordinate duties of musical staff",
        "manage music staff",
        "direct musical staff",
    ]  # newline-separated in the file; the preferred label is not repeated
    assert skill.type == "skill" and not skill.builtin and skill.esco_uri == MUSICAL_STAFF
    assert skill.description_en.startswith("Assign and manage staff tasks")
    assert MUSICAL_STAFF in esco.group_links or skill.broader

    by_label = {s.label_en: s for s in esco.taxonomy.skills.values()}
    assert by_label["machine learning"].type == "knowledge"
    assert by_label["Python (computer programming)"].type == "knowledge"
    assert by_label["ICT safety"].type == "skill"  # empty skillType in the file

    director = esco.taxonomy.occupations[TECHNICAL_DIRECTOR]
    assert (director.label_en, director.isco_code) == ("technical director", "2654")
    assert "head of technical" in director.alt_en
    assert len(director.essential_skills) == 8 and director.broader

    scientist = esco.taxonomy.occupations[DATA_SCIENTIST]
    assert scientist.isco_code == "2511"
    essential_labels = {esco.taxonomy.skills[s].label_en for s in scientist.essential_skills}
    assert "data mining" in essential_labels or "perform data mining" in essential_labels

    assert esco.isco_major_groups()["2"] == "Professionals"
    assert esco.isco_groups["2511"].label_en == "Systems analysts"


@needs_esco
def test_unpacked_folders_read_like_the_zips(esco: EscoData, tmp_path: Path) -> None:
    for archive in (CLASSIFICATION, RELATIONS):
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp_path / archive.stem)
    unpacked = read_esco([tmp_path])
    assert unpacked.taxonomy == esco.taxonomy
    assert unpacked.related_type == esco.related_type
    assert unpacked.group_links == esco.group_links


@needs_esco
def test_builtin_esco_uris_exist_in_esco(esco: EscoData) -> None:
    builtin, _ = load_builtin_lenient()
    missing = [s.id for s in builtin.skills.values() if s.esco_uri and s.esco_uri not in esco.taxonomy.skills]
    missing += [
        o.id
        for o in builtin.occupations.values()
        if o.esco_uri and o.esco_uri not in esco.taxonomy.occupations
    ]
    assert missing == []


@needs_esco
def test_merge_links_builtin_concepts_through_their_uri(esco: EscoData) -> None:
    builtin, _ = load_builtin_lenient()
    linked = [s for s in builtin.skills.values() if s.esco_uri]
    assert linked, "the built-in taxonomy links no skill to ESCO"
    merged = merge_with_builtin(builtin, esco)
    tax = merged.taxonomy
    assert len(tax.skills) == len(builtin.skills) + SKILLS - len(linked)
    for skill in linked:
        got, original = tax.skills[skill.id], esco.taxonomy.skills[skill.esco_uri or ""]
        assert skill.esco_uri not in tax.skills  # no duplicate under the URI
        assert (got.label_en, got.label_ko, got.type, got.builtin) == (
            skill.label_en,
            skill.label_ko,
            skill.type,
            True,
        )
        assert set(skill.alt_ko) <= set(got.alt_ko)
        labels = {a.casefold() for a in got.alt_en} | {got.label_en.casefold()}
        assert {original.label_en.casefold(), *(a.casefold() for a in original.alt_en)} <= labels
    # ESCO occupations now point at the built-in id instead of the URI
    ids = {s.esco_uri: s.id for s in linked}
    occupation_ids = {o.esco_uri: o.id for o in tax.occupations.values()}
    for occ in esco.taxonomy.occupations.values():
        merged_occupation = tax.occupations[occupation_ids[occ.id]]
        for uri in occ.essential_skills:
            if uri in ids:
                assert ids[uri] in merged_occupation.essential_skills
                assert uri not in merged_occupation.essential_skills
    # Every reference in the merged taxonomy resolves
    for s in tax.skills.values():
        assert set(s.broader) <= tax.skills.keys() and set(s.related) <= tax.skills.keys()
    for o in tax.occupations.values():
        assert set(o.essential_skills) | set(o.optional_skills) <= tax.skills.keys()
    # ... and the ESCO data can be recovered exactly
    assert _normal(esco_layer(merged).taxonomy) == _normal(esco.taxonomy)


# -- merge rules on small data (no download needed) ----------------------------------------------------------


def _small_esco(label: str = "use Python", extra_skill: bool = True) -> EscoData:
    data = EscoData()
    data.taxonomy.add_skills(
        [
            Skill(
                ESCO + "skill/py",
                label,
                alt_en=["Python programming"],
                type="knowledge",
                esco_uri=ESCO + "skill/py",
                builtin=False,
                related=[ESCO + "skill/sql"],
            ),
            Skill(ESCO + "skill/sql", "SQL", esco_uri=ESCO + "skill/sql", builtin=False),
        ]
        + (
            [Skill(ESCO + "skill/old", "old skill", esco_uri=ESCO + "skill/old", builtin=False)]
            if extra_skill
            else []
        )
    )
    data.related_type[(ESCO + "skill/py", ESCO + "skill/sql")] = "optional"
    data.taxonomy.add_occupations(
        [
            Occupation(
                ESCO + "occupation/dev",
                "software developer",
                isco_code="2512",
                esco_uri=ESCO + "occupation/dev",
                essential_skills=[ESCO + "skill/py"],
                optional_skills=[ESCO + "skill/sql"],
                builtin=False,
            )
        ]
    )
    return data


def _small_builtin() -> Taxonomy:
    tax = Taxonomy()
    tax.add_skills(
        [
            Skill("python", "Python", "파이썬", alt_ko=["파이선"], type="tool", esco_uri=ESCO + "skill/py"),
            Skill("pytorch", "PyTorch", "파이토치", type="tool", related=["python"]),
        ]
    )
    tax.add_occupations(
        [Occupation("ml-engineer", "ML engineer", "머신러닝 엔지니어", essential_skills=["python"])]
    )
    return tax


def test_merge_keeps_builtin_ids_and_korean_labels_and_adds_esco_labels_and_relations() -> None:
    merged = merge_with_builtin(_small_builtin(), _small_esco())
    python = merged.taxonomy.skills["python"]
    assert (python.label_en, python.label_ko, python.alt_ko, python.type) == (
        "Python",
        "파이썬",
        ["파이선"],
        "tool",
    )
    assert python.alt_en == ["use Python", "Python programming"]
    assert python.related == [ESCO + "skill/sql"]
    assert merged.related_type == {("python", ESCO + "skill/sql"): "optional"}
    assert merged.taxonomy.occupations[ESCO + "occupation/dev"].essential_skills == ["python"]
    assert set(merged.taxonomy.skills) == {"python", "pytorch", ESCO + "skill/sql", ESCO + "skill/old"}
    assert _normal(esco_layer(merged).taxonomy) == _normal(_small_esco().taxonomy)


def test_a_newer_release_updates_in_place_and_keeps_what_it_no_longer_lists() -> None:
    old = _small_esco()
    new = _small_esco(label="program in Python", extra_skill=False)
    layer = update_layer(old, new)
    assert layer.taxonomy.skills[ESCO + "skill/py"].label_en == "program in Python"
    assert ESCO + "skill/old" in layer.taxonomy.skills  # talents may still refer to it
    merged = merge_with_builtin(_small_builtin(), layer)
    assert "program in Python" in merged.taxonomy.skills["python"].alt_en
    assert "use Python" not in merged.taxonomy.skills["python"].alt_en


# -- malformed input -----------------------------------------------------------------------------------------

SMALL_FILES: dict[str, list[list[str]]] = {
    "skills_en.csv": [
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
        ],
        [
            "KnowledgeSkillCompetence",
            ESCO + "skill/a",
            "skill/competence",
            "cross-sector",
            "manage staff",
            "lead staff\nsupervise staff\nmanage staff",
            "",
            "released",
            "",
            "",
            "",
            "",
            "Lead people,\nwell.",
        ],
        [
            "KnowledgeSkillCompetence",
            ESCO + "skill/b",
            "knowledge",
            "sector-specific",
            "statistics",
            "statistical analysis",
            "",
            "released",
            "",
            "",
            "",
            "",
            "Numbers.",
        ],
        [
            "KnowledgeSkillCompetence",
            ESCO + "skill/c",
            "skill/competence",
            "",
            "use Python",
            "program in Python\nwrite Python code\nPython scripting",
            "",
            "released",
            "",
            "",
            "",
            "",
            "",
        ],
    ],
    "occupations_en.csv": [
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "regulatedProfessionNote",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
            "code",
        ],
        [
            "Occupation",
            ESCO + "occupation/x",
            "2511",
            "data scientist",
            "data science expert",
            "",
            "released",
            "",
            "",
            "",
            "",
            "",
            "Analyses data.",
            "2511.4",
        ],
    ],
    "occupationSkillRelations.csv": [
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [ESCO + "occupation/x", "essential", "knowledge", ESCO + "skill/b"],
        [ESCO + "occupation/x", "essential", "skill/competence", ESCO + "skill/c"],
        [ESCO + "occupation/x", "optional", "skill/competence", ESCO + "skill/a"],
    ],
    "skillSkillRelations.csv": [
        ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
        [ESCO + "skill/c", "skill/competence", "optional", "knowledge", ESCO + "skill/b"],
    ],
    "broaderRelationsSkillPillar.csv": [
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        ["KnowledgeSkillCompetence", ESCO + "skill/c", "SkillGroup", ESCO + "isced-f/0613"],
    ],
    "broaderRelationsOccPillar.csv": [
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        ["Occupation", ESCO + "occupation/x", "ISCOGroup", ESCO + "isco/C2511"],
    ],
}


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _write_small(folder: Path, changes: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in SMALL_FILES.items():
        (folder / name).write_text((changes or {}).get(name, _csv_text(rows)), encoding="utf-8")
    return folder


def _rejected(paths: list[Path]) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        read_esco(paths)
    assert isinstance(caught.value, ValidationFailed)
    return caught.value


def test_small_files_read_with_multiline_fields(tmp_path: Path) -> None:
    data = read_esco([_write_small(tmp_path / "esco")])
    a = data.taxonomy.skills[ESCO + "skill/a"]
    assert a.alt_en == ["lead staff", "supervise staff"] and a.description_en == "Lead people,\nwell."
    x = data.taxonomy.occupations[ESCO + "occupation/x"]
    assert x.essential_skills == [ESCO + "skill/b", ESCO + "skill/c"] and x.optional_skills == [
        ESCO + "skill/a"
    ]
    assert data.group_links == {ESCO + "skill/c": [ESCO + "isced-f/0613"]}


def test_a_truncated_csv_names_the_file_and_line(tmp_path: Path) -> None:
    full = _csv_text(SMALL_FILES["skills_en.csv"])
    cut = full[: full.index("program in Python") + 5]  # inside a quoted multi-line field, as a cut download
    error = _rejected([_write_small(tmp_path / "esco", {"skills_en.csv": cut})])
    problem = error.problems[0]
    assert problem.loc[0] == "skills_en.csv"
    start_of_cut_record = full[: full.index(ESCO + "skill/c")].count("\n") + 1
    assert problem.line is not None and problem.line >= start_of_cut_record
    assert "skills_en.csv" in str(error) and f"line {problem.line}" in str(error)


def test_a_missing_column_names_the_file_column_and_header_line(tmp_path: Path) -> None:
    rows = [list(r) for r in SMALL_FILES["occupations_en.csv"]]
    drop = rows[0].index("iscoGroup")
    text_ = _csv_text([[v for i, v in enumerate(r) if i != drop] for r in rows])
    error = _rejected([_write_small(tmp_path / "esco", {"occupations_en.csv": text_})])
    assert [(p.loc, p.line) for p in error.problems] == [(("occupations_en.csv", "iscoGroup"), 1)]


def test_bad_rows_are_all_reported_with_their_physical_line(tmp_path: Path) -> None:
    skills = [list(r) for r in SMALL_FILES["skills_en.csv"]]
    skills[3][1] = "not-a-uri"  # record 3 starts after two multi-line records
    relations = [list(r) for r in SMALL_FILES["occupationSkillRelations.csv"]]
    relations[2][1] = "sometimes"
    relations.append(relations[1] + ["extra field"])
    error = _rejected(
        [
            _write_small(
                tmp_path / "esco",
                {"skills_en.csv": _csv_text(skills), "occupationSkillRelations.csv": _csv_text(relations)},
            )
        ]
    )
    found = {(p.loc, p.line) for p in error.problems}
    skills_text = _csv_text(skills)
    line_of_c = skills_text[: skills_text.index("not-a-uri")].count("\n") + 1
    assert line_of_c == 7
    assert (("skills_en.csv", "conceptUri"), line_of_c) in found
    assert (("occupationSkillRelations.csv", "relationType"), 3) in found
    assert (("occupationSkillRelations.csv",), 5) in found
    assert len(error.problems) == 3


def test_a_bad_zip_is_named(tmp_path: Path) -> None:
    folder = _write_small(tmp_path / "esco")
    archive = tmp_path / "esco_relations_csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name in SMALL_FILES:
            z.write(folder / name, name)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])  # an interrupted download
    error = _rejected([archive])
    assert error.problems[0].loc == ("esco_relations_csv.zip",)
    assert "zip" in error.problems[0].msg


def test_missing_relation_files_are_named(tmp_path: Path) -> None:
    folder = _write_small(tmp_path / "esco")
    (folder / "occupationSkillRelations.csv").unlink()
    error = _rejected([folder])
    assert [p.loc for p in error.problems] == [("occupationSkillRelations.csv",)]
    assert "relations zip" in error.problems[0].msg


def test_a_malformed_import_leaves_the_database_unchanged(database: Database, tmp_path: Path) -> None:
    from talentbridge.services.taxonomy import import_esco
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    try:
        with database.session() as session:
            import_esco(session, [_write_small(tmp_path / "good")])
        with database.session() as session:
            repo = TaxonomyRepository(session)
            before = (repo.counts(), repo.version(), _normal(repo.load_taxonomy()))
        assert before[0].skills - before[0].builtin_skills == 3  # the three ESCO-only skills
        bad = _csv_text(SMALL_FILES["occupationSkillRelations.csv"]) + "x,y\n"
        with pytest.raises(ImportRejected), database.session() as session:
            import_esco(session, [_write_small(tmp_path / "bad", {"occupationSkillRelations.csv": bad})])
        with database.session() as session:
            repo = TaxonomyRepository(session)
            assert (repo.counts(), repo.version(), _normal(repo.load_taxonomy())) == before
    finally:
        _reset_to_builtin(database)


def test_a_changed_builtin_taxonomy_is_merged_again_with_the_stored_esco_data(
    database: Database, tmp_path: Path
) -> None:
    """After a package upgrade the built-in data is reloaded, keeping what ESCO added (no re-download)."""
    from talentbridge.services.taxonomy import BUILTIN_HASH_KEY, ensure_builtin_taxonomy, import_esco
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    builtin, _ = load_builtin_lenient()
    linked = next(s for s in builtin.skills.values() if s.esco_uri)
    skills = [list(r) for r in SMALL_FILES["skills_en.csv"]]
    skills[1][1] = linked.esco_uri or ""  # ESCO's "manage staff" is now the built-in skill's ESCO concept
    relations = [list(r) for r in SMALL_FILES["occupationSkillRelations.csv"]]
    relations[3][3] = linked.esco_uri or ""
    folder = _write_small(
        tmp_path / "esco",
        {"skills_en.csv": _csv_text(skills), "occupationSkillRelations.csv": _csv_text(relations)},
    )
    try:
        with database.session() as session:
            import_esco(session, [folder])
        with database.session() as session:
            repo = TaxonomyRepository(session)
            before = _normal(repo.load_taxonomy())
            TaxonomyRepository(session).set_meta(BUILTIN_HASH_KEY, "from an older package")
        got = before[("skill", linked.id)]
        assert "lead staff" in got[2] and got[1] == linked.label_ko  # ESCO alt labels, Korean label kept
        assert (
            linked.id in before[("occupation", ESCO + "occupation/x")][8]
        )  # optional skills, by built-in id
        with database.session() as session:
            assert ensure_builtin_taxonomy(session) is True
        with database.session() as session:
            assert _normal(TaxonomyRepository(session).load_taxonomy()) == before
    finally:
        _reset_to_builtin(database)


# -- the real import in a database, SQLite and PostgreSQL ----------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def esco_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Any]]:
    """A fresh database of its own (never the shared test database) with ESCO v1.1.1 imported once."""
    if not (CLASSIFICATION.is_file() and RELATIONS.is_file()):
        _missing_esco()
    from talentbridge.services.taxonomy import import_esco

    drop: str | None = None
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('esco') / 'esco.sqlite3'}")
    else:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        try:
            with admin.connect() as conn:
                drop = f"tb_esco_{uuid.uuid4().hex[:10]}"
                conn.execute(text(f'CREATE DATABASE "{drop}"'))
        except Exception as exc:  # noqa: BLE001
            admin.dispose()
            if os.environ.get("TALENTBRIDGE_REQUIRE_POSTGRES") == "1":
                pytest.fail(f"PostgreSQL is required but unreachable: {exc}")
            pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
        db = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{drop}")
    try:
        db.upgrade()
        with db.session() as session:
            stats = import_esco(session, [CLASSIFICATION, RELATIONS])
        yield db, stats
    finally:
        db.dispose()
        if drop:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))
            admin.dispose()


def test_import_stores_the_whole_release(esco_database: tuple[Database, Any], esco: EscoData) -> None:
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    db, stats = esco_database
    builtin, _ = load_builtin_lenient()
    linked = sum(1 for s in builtin.skills.values() if s.esco_uri)
    assert (stats.esco_skills, stats.esco_occupations) == (SKILLS, OCCUPATIONS)
    assert stats.rows["occupation_skills"] == OCCUPATION_SKILL_ROWS
    assert stats.occupation_skill_relations == OCCUPATION_SKILL_STORED
    assert stats.skipped_references >= OCCUPATION_SKILL_ROWS - OCCUPATION_SKILL_STORED
    assert stats.linked_builtin_skills == linked and stats.unmatched_builtin_uris == []
    with db.session() as session:
        c = TaxonomyRepository(session).counts()
    assert c.esco_skills == SKILLS and c.skills == len(builtin.skills) + SKILLS - linked
    assert c.builtin_skills == len(builtin.skills)
    assert c.occupations == OCCUPATIONS + len(builtin.occupations) - stats.linked_builtin_occupations
    merged = merge_with_builtin(builtin, esco).taxonomy.occupations.values()
    essential = sum(len(o.essential_skills) for o in merged)
    optional = sum(len(o.optional_skills) for o in merged)
    assert (c.essential_relations, c.optional_relations) == (essential, optional)
    assert essential >= ESSENTIAL_STORED  # the built-in occupations add their own
    assert c.related_relations >= SKILL_SKILL_ROWS - 1 and c.group_links == 13_448
    assert (c.skill_groups, c.isco_groups) == (640, 619)


def test_import_round_trips_through_the_database(esco_database: tuple[Database, Any], esco: EscoData) -> None:
    from talentbridge.services.taxonomy import load_taxonomy
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    db, _ = esco_database
    builtin, _ = load_builtin_lenient()
    expected = merge_with_builtin(builtin, esco)
    with db.session() as session:
        stored = TaxonomyRepository(session).load()
        cached = load_taxonomy(session)
        assert load_taxonomy(session) is cached  # cached per database and version
    assert _normal(stored.taxonomy) == _normal(expected.taxonomy)
    assert stored.related_type == expected.related_type
    assert {k: sorted(v) for k, v in stored.group_links.items()} == {
        k: sorted(v) for k, v in expected.group_links.items()
    }
    assert _normal(esco_layer(stored).taxonomy) == _normal(esco.taxonomy)


def test_search_and_lookup_after_import(esco_database: tuple[Database, Any]) -> None:
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    db, _ = esco_database
    with db.session() as session:
        repo = TaxonomyRepository(session)
        hits = repo.search_skills("manage music staff")  # an alternative label
        assert hits.items[0].id == MUSICAL_STAFF
        page2 = repo.search_skills("manage", page=2, size=20)
        assert page2.total > 40 and len(page2.items) == 20
        assert repo.search_occupations("data scientist").items[0].uri == DATA_SCIENTIST  # built-in or ESCO
        assert repo.search_occupations("", isco="2511").total >= 1
        occupation = repo.get_occupation(TECHNICAL_DIRECTOR)
        assert (
            occupation is not None
            and occupation.isco_code == "2654"
            and len(occupation.essential_skills) >= 8
        )
        skill = repo.get_skill(MUSICAL_STAFF)
        assert skill is not None and (repo.skill_groups_of(MUSICAL_STAFF) or skill.broader)


def test_reimport_is_idempotent_and_updates_a_changed_label_in_place(
    esco_database: tuple[Database, Any], tmp_path: Path
) -> None:
    from talentbridge.services.taxonomy import import_esco
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    db, _ = esco_database
    with db.session() as session:
        before = _normal(TaxonomyRepository(session).load_taxonomy())
    with db.session() as session:
        again = import_esco(session, [CLASSIFICATION, RELATIONS])
    assert (again.added_skills, again.updated_skills, again.kept_skills) == (0, SKILLS, 0)
    with db.session() as session:
        assert _normal(TaxonomyRepository(session).load_taxonomy()) == before

    newer = tmp_path / "esco_newer_classification_en_csv.zip"
    _rewrite_zip(
        CLASSIFICATION,
        newer,
        "skills_en.csv",
        lambda t: t.replace(",manage musical staff,", ",manage the musical staff,", 1),
    )
    try:
        with db.session() as session:
            stats = import_esco(session, [newer, RELATIONS])
        assert stats.added_skills == 0
        with db.session() as session:
            repo = TaxonomyRepository(session)
            skill = repo.get_skill(MUSICAL_STAFF)
            assert skill is not None and skill.label_en == "manage the musical staff"
            assert repo.search_skills("manage the musical staff").items[0].id == MUSICAL_STAFF
            after = _normal(repo.load_taxonomy())
        assert after.keys() == before.keys()  # same ids: updated in place
        changed = [k for k in before if before[k] != after[k]]
        assert changed == [("skill", MUSICAL_STAFF)]
    finally:
        with db.session() as session:
            import_esco(session, [CLASSIFICATION, RELATIONS])


# -- helpers -------------------------------------------------------------------------------------------------


def _normal(tax: Taxonomy) -> dict[tuple[str, str], tuple[Any, ...]]:
    """A comparable form of a taxonomy: relation lists as sorted tuples (their order is not stored)."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for s in tax.skills.values():
        out[("skill", s.id)] = (
            s.label_en,
            s.label_ko,
            tuple(s.alt_en),
            tuple(s.alt_ko),
            s.type,
            s.description_en,
            s.description_ko,
            s.family,
            tuple(sorted(s.broader)),
            tuple(sorted(s.related)),
            s.esco_uri,
            s.builtin,
        )
    for o in tax.occupations.values():
        out[("occupation", o.id)] = (
            o.label_en,
            o.label_ko,
            tuple(o.alt_en),
            tuple(o.alt_ko),
            o.isco_code,
            o.description_en,
            o.description_ko,
            tuple(sorted(o.essential_skills)),
            tuple(sorted(o.optional_skills)),
            tuple(sorted(o.broader)),
            o.esco_uri,
            o.builtin,
        )
    return out


def _rewrite_zip(source: Path, target: Path, member: str, change: Any) -> None:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.rsplit("/", 1)[-1] == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)


def _reset_to_builtin(database: Database) -> None:
    """Put the shared test database back to the built-in taxonomy only (other tests expect that)."""
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    builtin, _ = load_builtin_lenient()
    with database.session() as session:
        TaxonomyRepository(session).replace_all(merge_with_builtin(builtin, EscoData()))


# -- the command line ----------------------------------------------------------------------------------------


def test_cli_imports_counts_searches_and_reports_bad_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge import config
    from talentbridge.cli import main

    db_path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", f"sqlite:///{db_path}")
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    config.get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as not_ready:
            main(["taxonomy", "stats"])
        assert not_ready.value.code == 1 and "db upgrade" in capsys.readouterr().err

        main(["db", "upgrade"])
        main(["taxonomy", "import-esco", "--no-encode-labels", str(_write_small(tmp_path / "esco"))])
        out = capsys.readouterr().out
        assert "3 skills, 1 occupations, 3 occupation–skill relations" in out

        main(["taxonomy", "stats"])
        assert "Last ESCO import" in capsys.readouterr().out
        main(["taxonomy", "search", "python"])
        assert ESCO + "skill/c" in capsys.readouterr().out
        main(["taxonomy", "search", "data science", "--occupations"])
        assert "data scientist" in capsys.readouterr().out

        bad = _csv_text(SMALL_FILES["skillSkillRelations.csv"]) + "x\n"
        with pytest.raises(SystemExit) as failed:
            main(
                [
                    "taxonomy",
                    "import-esco",
                    "--no-encode-labels",
                    str(_write_small(tmp_path / "bad", {"skillSkillRelations.csv": bad})),
                ]
            )
        err = capsys.readouterr().err
        assert failed.value.code == 1
        assert "skillSkillRelations.csv" in err and "line 3" in err
    finally:
        config.get_settings.cache_clear()
