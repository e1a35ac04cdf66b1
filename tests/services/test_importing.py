"""Imports: atomic by default, every bad row reported, --skip-invalid side file, idempotent upserts, round trips."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from talentbridge.demo import generate
from talentbridge.domain.errors import ImportRejected
from talentbridge.services.demo_store import store_demo
from talentbridge.services.exporting import (
    export_entities,
    format_education,
    format_required_skills,
    format_skills,
    format_work_history,
)
from talentbridge.services.file_reading import SourceRow, read_rows
from talentbridge.services.file_writing import write_csv, write_jsonl
from talentbridge.services.import_parsing import parse_rows
from talentbridge.services.importing import (
    SPECS,
    import_file,
)
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

ORGS = [
    {
        "external_id": "o1",
        "name": "딥센스랩스",
        "kind": "ai_startup",
        "region": "seoul",
        "business_number": "220-81-62517",
    },
    {"external_id": "o2", "name": "한일정밀", "kind": "manufacturer", "region": "gyeongnam"},
]
REGIONS = ["seoul", "gyeonggi", "daejeon", "ulsan", "busan"]


def _talent_rows(n: int, bad_at: int | None = None) -> list[dict[str, Any]]:
    rows = []
    for i in range(1, n + 1):
        rows.append(
            {
                "external_id": f"t{i:05d}",
                "name": f"김민준{i}",
                "email": f"minjun{i}@example.com",
                "region": "mars" if i == bad_at else REGIONS[i % len(REGIONS)],
                "skills": "pytorch:4:3;python:5",
                "employment_types": "full_time;secondment",
                "education": "master|Computer Science|KAIST|2020",
                "current_employer_external_id": "o1" if i % 3 == 0 else "",
            }
        )
    return rows


def _write_talents_csv(path: Path, n: int = 1000, bad_at: int | None = None) -> Path:
    rows = _talent_rows(n, bad_at)
    write_csv(path, list(rows[0]), rows)
    return path


def _orgs(db: Database) -> None:
    with db.session() as session:
        from talentbridge.domain import OrganizationData

        Repositories(session).organizations.upsert_many([OrganizationData.model_validate(o) for o in ORGS])


def _count(db: Database, entity: str) -> int:
    with db.session() as session:
        return Repositories(session).by_entity(entity).count()


def _snapshot(db: Database, entity: str) -> list[dict[str, Any]]:
    with db.session() as session:
        return [r.model_dump(mode="json") for r in Repositories(session).by_entity(entity).iter_all()]


def test_one_bad_row_in_1000_rejects_the_file_and_reports_exactly_that_row(
    database: Database, tmp_path: Path
) -> None:
    _orgs(database)
    # some talents already stored: the failed import must leave them exactly as they were
    first = _write_talents_csv(tmp_path / "first.csv", n=5)
    import_file(database, "talents", first)
    before = _snapshot(database, "talents")

    path = _write_talents_csv(tmp_path / "talents.csv", n=1000, bad_at=501)  # data row 501 is file line 502
    with pytest.raises(ImportRejected) as info:
        import_file(database, "talents", path)
    problems = info.value.problems
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == 502
    assert problem.loc == ("row", 502, "region")
    assert problem.value == "mars"
    assert "seoul" in problem.msg  # the reason names the valid values
    assert "--skip-invalid" in info.value.message and "nothing was imported" in info.value.message
    assert _snapshot(database, "talents") == before
    assert not (tmp_path / "talents.csv.rejected.csv").exists()


def test_skip_invalid_stores_999_and_writes_the_bad_row_to_the_side_file(
    database: Database, tmp_path: Path
) -> None:
    _orgs(database)
    path = _write_talents_csv(tmp_path / "talents.csv", n=1000, bad_at=501)
    result = import_file(database, "talents", path, skip_invalid=True)
    assert (result.rows, result.created, result.updated, result.rejected) == (1000, 999, 0, 1)
    assert _count(database, "talents") == 999
    side = tmp_path / "talents.csv.rejected.csv"
    assert result.rejects_path == side
    with side.open(encoding="utf-8-sig", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    assert len(rejected) == 1
    assert rejected[0]["_line"] == "502" and rejected[0]["external_id"] == "t00501"
    assert rejected[0]["region"] == "mars" and "region:" in rejected[0]["_errors"]
    with database.session() as session:
        assert Repositories(session).talents.get_by_external_id("t00501") is None


def test_reimporting_the_same_file_is_idempotent(database: Database, tmp_path: Path) -> None:
    _orgs(database)
    path = _write_talents_csv(tmp_path / "talents.csv", n=300)
    first = import_file(database, "talents", path)
    snapshot = [{k: v for k, v in r.items() if k != "updated_at"} for r in _snapshot(database, "talents")]
    second = import_file(database, "talents", path)
    assert (first.created, first.updated) == (300, 0)
    assert (second.created, second.updated) == (0, 300)
    again = [{k: v for k, v in r.items() if k != "updated_at"} for r in _snapshot(database, "talents")]
    assert again == snapshot
    with database.session() as session:
        talent = Repositories(session).talents.get_by_external_id("t00003")
        o1 = Repositories(session).organizations.get_by_external_id("o1")
    assert talent is not None and o1 is not None
    assert [(s.skill_id, s.level, s.years) for s in talent.skills] == [
        ("pytorch", 4, 3.0),
        ("python", 5, None),
    ]
    assert [e.value for e in talent.employment_types] == ["full_time", "secondment"]
    assert talent.education[0].institution == "KAIST" and talent.education[0].year == 2020
    assert talent.current_employer_id == o1.id


def test_every_bad_row_and_field_is_reported_at_once(sqlite_database: Database, tmp_path: Path) -> None:
    _orgs(sqlite_database)
    rows = _talent_rows(7)
    rows[0]["email"] = "not-an-email"
    rows[1]["skills"] = "pytorch:9;python:high"
    rows[2]["current_employer_external_id"] = "nope"
    rows[3]["external_id"] = "t00001"  # duplicate of row 1
    rows[4]["name"] = ""
    rows[5]["email"] = rows[6]["email"]  # line 7 keeps it, line 8 is the duplicate
    rows[5]["region"] = "서울특별시"  # valid (Korean name)
    path = tmp_path / "bad.csv"
    write_csv(path, list(rows[0]), rows)
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "talents", path)
    found = {(p.line, p.loc[2]) for p in info.value.problems}
    assert (2, "email") in found
    assert (3, "skills") in found
    assert (4, "current_employer_external_id") in found
    assert (5, "external_id") in found
    assert (6, "name") in found
    assert (8, "email") in found
    assert all(p.line != 7 for p in info.value.problems)
    messages = " ".join(p.msg for p in info.value.problems)
    assert "already on line 2" in messages and "already on line 7" in messages
    assert "import organizations first" in messages
    assert _count(sqlite_database, "talents") == 0


def test_unknown_and_missing_columns_are_reported_with_a_hint(
    sqlite_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("external_id,name,kindd,regoin\no1,A,ai_startup,seoul\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "organizations", path)
    text = " ".join(f"{p.loc} {p.msg}" for p in info.value.problems)
    assert "did you mean 'region'" in text and "'kind'" in text and "required column is missing" in text


def test_email_already_used_by_another_stored_talent_is_a_row_problem(
    sqlite_database: Database, tmp_path: Path
) -> None:
    _orgs(sqlite_database)
    import_file(sqlite_database, "talents", _write_talents_csv(tmp_path / "a.csv", n=2))
    rows = [{"external_id": "other", "name": "이서연", "email": "minjun1@example.com"}]
    path = tmp_path / "b.csv"
    write_csv(path, list(rows[0]), rows)
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "talents", path)
    assert info.value.problems[0].loc == ("row", 2, "email")
    assert "t00001" in info.value.problems[0].msg


def test_organizations_with_parents_in_the_same_file(sqlite_database: Database, tmp_path: Path) -> None:
    rows = [
        {
            "external_id": "child",
            "name": "한빛정밀",
            "kind": "large_enterprise",
            "parent_external_id": "parent",
            "group": "한빛그룹",
            "founded": "2001.03.02",
            "venture_certified": "아니오",
        },
        {
            "external_id": "parent",
            "name": "한빛전자",
            "kind": "large_enterprise",
            "parent_external_id": "",
            "group": "한빛그룹",
            "founded": "1970-01-01",
            "venture_certified": "",
        },
    ]
    path = tmp_path / "orgs.csv"
    write_csv(path, list(rows[0]), rows)
    result = import_file(sqlite_database, "organizations", path)
    assert result.created == 2
    with sqlite_database.session() as session:
        repo = Repositories(session).organizations
        child, parent = repo.get_by_external_id("child"), repo.get_by_external_id("parent")
    assert child is not None and parent is not None and child.parent_id == parent.id
    assert str(child.founded) == "2001-03-02" and child.venture_certified is False
    assert import_file(sqlite_database, "organizations", path).updated == 2


def test_openings_resolve_their_organization_and_parse_required_skills(
    sqlite_database: Database, tmp_path: Path
) -> None:
    _orgs(sqlite_database)
    rows = [
        {
            "external_id": "j1",
            "organization_external_id": "o2",
            "kind": "job",
            "title": "비전 검사 엔지니어",
            "required_skills": "pytorch:3:must;python:4:should;http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97:2:nice",
            "region": "경남",
            "salary_min": "5,000",
            "salary_max": "7000",
            "deadline": "2026-12-31",
            "status": "open",
        },
        {
            "external_id": "j2",
            "organization_external_id": "zzz",
            "kind": "internship",
            "title": "인턴",
            "required_skills": "",
            "region": "",
            "salary_min": "",
            "salary_max": "",
            "deadline": "",
            "status": "",
        },
    ]
    path = tmp_path / "openings.jsonl"
    write_jsonl(path, rows)
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "openings", path)
    locs = sorted(p.loc for p in info.value.problems)
    assert locs == [
        ("row", 2),
        ("row", 2, "organization_external_id"),
    ]  # unknown org; no region and not remote
    result = import_file(sqlite_database, "openings", path, skip_invalid=True)
    assert result.created == 1 and result.rejected == 1
    with sqlite_database.session() as session:
        repos = Repositories(session)
        job = repos.openings.get_by_external_id("j1")
        o2 = repos.organizations.get_by_external_id("o2")
    assert job is not None and o2 is not None and job.organization_id == o2.id
    assert [(r.skill_id, r.min_level, r.importance.value) for r in job.required_skills] == [
        ("pytorch", 3, "must"),
        ("python", 4, "should"),
        ("http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97", 2, "nice"),
    ]
    assert job.salary_min == 5000 and job.region.value == "gyeongnam"


def test_xlsx_import(sqlite_database: Database, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    path = tmp_path / "orgs.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["external_id", "name", "kind", "region", "founded", "venture_certified", "business_number"])
    ws.append(["x1", "뉴로팩토리", "AI_STARTUP", "Seoul", datetime(2019, 5, 1), True, 2208162517])
    ws.append([1002, "울산정밀", "manufacturer", "울산", None, False, None])
    ws.append(["x3", "화성", "spaceship", "mars", "yesterday", "maybe", None])
    wb.save(path)
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "organizations", path)
    bad = {p.loc for p in info.value.problems}
    assert bad == {
        ("row", 4, "kind"),
        ("row", 4, "region"),
        ("row", 4, "founded"),
        ("row", 4, "venture_certified"),
    }
    result = import_file(sqlite_database, "organizations", path, skip_invalid=True)
    assert result.created == 2
    with sqlite_database.session() as session:
        repo = Repositories(session).organizations
        x1, numeric = repo.get_by_external_id("x1"), repo.get_by_external_id("1002")
    assert x1 is not None and x1.business_number == "2208162517" and x1.region.value == "seoul"
    assert numeric is not None and numeric.region.value == "ulsan"


def test_bad_json_lines_are_reported_with_their_line(sqlite_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"external_id": "a", "name": "김하늘"}\n{"external_id": "b", "name": \n', encoding="utf-8"
    )
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "talents", path)
    assert [(p.line, p.loc) for p in info.value.problems] == [(2, ("row", 2))]
    assert "not valid JSON" in info.value.problems[0].msg


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_export_then_import_round_trips(sqlite_database: Database, tmp_path: Path, fmt: str) -> None:
    dataset = generate(talents=150, orgs=30, seed=21)
    store_demo(sqlite_database, dataset)
    source = {e: _snapshot(sqlite_database, e) for e in ("organizations", "talents", "openings")}
    target = Database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    target.upgrade()
    try:
        for entity in ("organizations", "talents", "openings"):
            out = tmp_path / f"{entity}.{fmt}"
            assert export_entities(sqlite_database, entity, fmt, out) == len(source[entity])
            result = import_file(target, entity, out)
            assert result.created == len(source[entity]) and result.rejected == 0
        for entity in ("organizations", "talents", "openings"):
            assert _comparable(target, entity) == _comparable(sqlite_database, entity)
    finally:
        target.dispose()


def _comparable(db: Database, entity: str) -> list[dict[str, Any]]:
    """Records keyed by external id, with database ids replaced by the external ids they point to."""
    orgs = {r["id"]: r["external_id"] for r in _snapshot(db, "organizations")}
    out = []
    for record in _snapshot(db, entity):
        record = {k: v for k, v in record.items() if k not in ("id", "created_at", "updated_at")}
        for key in ("parent_id", "current_employer_id", "organization_id"):
            if record.get(key) is not None:
                record[key] = orgs[record[key]]
        out.append(record)
    return sorted(out, key=lambda r: r["external_id"])


def test_parquet_export_has_every_column(sqlite_database: Database, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    store_demo(sqlite_database, generate(talents=40, orgs=10, seed=2))
    out = tmp_path / "talents.parquet"
    assert export_entities(sqlite_database, "talents", "parquet", out) == 40
    table = pq.read_table(out)
    assert table.num_rows == 40
    assert set(c.name for c in SPECS["talents"].columns) <= set(table.column_names)
    assert ":" in table.column("skills").to_pylist()[0]


def test_columns_cover_every_field_of_the_domain_records() -> None:
    for spec in SPECS.values():
        assert {c.field for c in spec.columns} == set(spec.record.model_fields)


def test_compact_list_forms_and_their_json_fallback() -> None:
    from talentbridge.domain import Education, RequiredSkill, SkillClaim, WorkExperience

    skills = [SkillClaim(skill_id="pytorch", level=4, years=3), SkillClaim(skill_id="python", level=5)]
    assert format_skills(skills) == "pytorch:4:3;python:5"
    inferred = [SkillClaim(skill_id="nlp", level=3, source="inferred", confidence=0.8)]
    assert json.loads(format_skills(inferred))[0]["confidence"] == 0.8
    reqs = [RequiredSkill(skill_id="pytorch", min_level=3, importance="must")]
    assert format_required_skills(reqs) == "pytorch:3:must"
    assert format_education([Education(degree="master", field="CS", institution="KAIST", year=2020)]) == (
        "master|CS|KAIST|2020"
    )
    odd = [Education(degree="bachelor", field="A|B", institution="X")]
    assert json.loads(format_education(odd))[0]["field"] == "A|B"
    work = [WorkExperience(organization="한빛전자", title="ML Engineer", start="2021-03-01")]
    assert format_work_history(work) == "한빛전자|ML Engineer|2021-03-01"

    rows = [
        SourceRow(
            2,
            {
                "external_id": "t",
                "name": "n",
                "skills": format_skills(inferred),
                "work_history": format_work_history(work),
                "education": format_education(odd),
            },
        )
    ]
    parsed = parse_rows("talents", rows)
    assert parsed[0].record is not None, parsed[0].problems
    assert parsed[0].record.skills == inferred
    assert parsed[0].record.work_history == work and parsed[0].record.education == odd


def test_parsing_without_a_database_reports_cell_problems() -> None:
    rows = [
        SourceRow(
            2,
            {
                "external_id": "a",
                "name": "김",
                "birth_year": "nineteen",
                "consent_visible": "maybe",
                "visa_type": "e7",
                "nationality": "VN",
                "skills": "pytorch:4:3:extra",
            },
        ),
        SourceRow(
            3,
            {
                "external_id": "b",
                "name": "이",
                "visa_type": "E7",
                "nationality": "vn",
                "available_from": "2026/12/01",
            },
        ),
    ]
    first, second = parse_rows("talents", rows)
    assert {p.loc[2] for p in first.problems} == {"birth_year", "consent_visible", "skills"}
    assert second.record is not None
    assert second.record.visa_type.value == "E-7" and second.record.nationality == "VN"
    assert str(second.record.available_from) == "2026-12-01"


def test_read_rows_of_an_export_keep_korean(sqlite_database: Database, tmp_path: Path) -> None:
    store_demo(sqlite_database, generate(talents=10, orgs=5, seed=4))
    out = tmp_path / "orgs.csv"
    export_entities(sqlite_database, "organizations", "csv", out)
    _cols, rows = read_rows(out)
    assert any(any("\uac00" <= ch <= "\ud7a3" for ch in r.values["name"]) for r in rows)


def test_an_unknown_skill_id_is_a_rejected_row(sqlite_database: Database, tmp_path: Path) -> None:
    """Issue 12: a talent or opening naming a skill the taxonomy lacks is refused, never stored dangling."""
    _orgs(sqlite_database)
    path = tmp_path / "openings.jsonl"
    base = {"organization_external_id": "o2", "kind": "job", "title": "엔지니어", "region": "seoul", "status": "open"}
    write_jsonl(
        path,
        [
            {**base, "external_id": "ok", "required_skills": "pytorch:3:must"},
            {**base, "external_id": "bad", "required_skills": "pytorch:3;pytorhc:2;no-such-skill:1"},
        ],
    )
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "openings", path)
    problems = info.value.problems
    assert sorted(p.loc for p in problems) == [("row", 2, "required_skills", 1), ("row", 2, "required_skills", 2)]
    assert {p.value for p in problems} == {"pytorhc", "no-such-skill"} and {p.type for p in problems} == {
        "unknown_skill"
    }
    result = import_file(sqlite_database, "openings", path, skip_invalid=True)
    assert (result.created, result.rejected) == (1, 1)
    talents = tmp_path / "talents.csv"
    talents.write_text(
        "external_id,name,category,nationality,skills\nt1,김하나,engineer,KR,python:4;quantum-yoga:3\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "talents", talents)
    assert [p.value for p in info.value.problems] == ["quantum-yoga"]


def test_salaries_in_imports_are_read_like_the_forms(sqlite_database: Database, tmp_path: Path) -> None:
    """Issue 12: "7500만원", "칠천만원" or "75,000,000" in a salary cell are understood or refused with a reason."""
    _orgs(sqlite_database)
    path = tmp_path / "openings.jsonl"
    base = {"organization_external_id": "o2", "kind": "job", "title": "엔지니어", "region": "seoul"}
    write_jsonl(
        path,
        [
            {**base, "external_id": "a", "salary_min": "칠천만원", "salary_max": "75,000,000"},
            {**base, "external_id": "b", "salary_min": 6500, "salary_max": "8,000만원"},
            {**base, "external_id": "c", "salary_min": "협의", "salary_max": "$90,000"},
        ],
    )
    with pytest.raises(ImportRejected) as info:
        import_file(sqlite_database, "openings", path)
    assert sorted((p.loc, p.msg) for p in info.value.problems) == [
        (("row", 3, "salary_max"), "give the amount in Korean won (만원)"),
        (("row", 3, "salary_min"), "could not read this amount"),
    ]
    import_file(sqlite_database, "openings", path, skip_invalid=True)
    with sqlite_database.session() as session:
        repos = Repositories(session)
        a, b = repos.openings.get_by_external_id("a"), repos.openings.get_by_external_id("b")
    assert (a.salary_min, a.salary_max, b.salary_min, b.salary_max) == (7000, 7500, 6500, 8000)
