"""Course catalogue imports (issue 15, item 1): KDT as published, JCRec JSON, generic files; atomic, row report,
--skip-invalid, idempotent by external id; taught skills inferred with evidence when a course has none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentbridge.config import build_settings
from talentbridge.domain.errors import ImportRejected
from talentbridge.services.course_catalogue import course_store, import_course_file, set_course_skills
from talentbridge.services.course_import import parse_course_rows, read_course_file
from talentbridge.storage import Database

KDT_HEAD = (
    "\ufeff고유값,과정명,훈련과정 ID,회차,훈련기관,총 훈련일수,총 훈련시간,과정시작일,과정종료일,NCS명,NCS코드,훈련비,정원,"
    "수강신청 인원,수료인원,수료율,만족도,취업인원 (3개월),취업률 (3개월),취업인원 (6개월),취업률 (6개월),지역,주소,과정페이지 링크\n"
)


def _kdt_row(uid: str, title: str = "파이썬 머신러닝 데이터 분석가 과정", rate6: str = "64%", fee: str = '" 9,140,160 "',
             completion: str = "76%", ncs: str = "20010105") -> str:  # fmt: skip
    return (
        f"{uid},{title},{uid[:-1]},1,테스트학원,120,960,2024-01-04,2024-07-06,빅데이터분석,{ncs},{fee},25,25,19,"
        f"{completion},70.8,3,12%,5,{rate6},서울 관악구,서울특별시 관악구,https://hrd.work24.go.kr/x\n"
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _settings(tmp_path: Path, database: Database, infer: bool = True):  # type: ignore[no-untyped-def]
    return build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                          infer_skills=infer)  # fmt: skip


def test_kdt_file_as_published_imports_every_row(tmp_path: Path, database: Database) -> None:
    rows = [_kdt_row("AIG1"), _kdt_row("AIG2", completion="#DIV/0!"), _kdt_row("AIG3", rate6="213%"),
            _kdt_row("AIG4", ncs="8020112"), _kdt_row("AIG1")]  # fmt: skip
    path = _write(tmp_path, "kdt.csv", KDT_HEAD + "".join(rows))
    result = import_course_file(database, _settings(tmp_path, database), path)
    assert (result.format, result.rows, result.created, result.rejected, result.duplicates) == ("kdt", 5, 4, 0, 1)
    assert {(n.line, n.loc[2]) for n in result.notes} == {(3, "수료율"), (4, "취업률 (6개월)")}
    with database.session() as session:
        courses = {c.external_id: c for c in course_store(session).all()}
    first = courses["kdt:AIG1"]
    assert (first.fee, first.hours, first.funding_track.value, first.programme_share) == (9_140_160, 960, "kdt", 1.0)
    assert (first.completion_rate, first.employment_rate_6m, first.satisfaction) == (0.76, 0.64, 70.8)
    assert courses["kdt:AIG2"].completion_rate is None and courses["kdt:AIG3"].employment_rate_6m is None
    assert courses["kdt:AIG4"].ncs_code == "08020112"  # the zero Excel dropped
    # inferred with evidence from the title: Python and machine learning are named outright
    taught = {s.skill_id: s for s in first.teaches}
    assert first.skills_inferred and "python" in taught
    assert taught["python"].source.value == "inferred" and "파이썬" in (taught["python"].evidence or "")
    assert taught["python"].level == 2  # 960 hours


def test_import_is_idempotent_and_keeps_operator_skills(tmp_path: Path, database: Database) -> None:
    path = _write(tmp_path, "kdt.csv", KDT_HEAD + _kdt_row("AIG1") + _kdt_row("AIG2"))
    settings = _settings(tmp_path, database)
    import_course_file(database, settings, path)
    with database.session() as session:
        course_id = course_store(session).ids_by_external_id(["kdt:AIG1"])["kdt:AIG1"]
        set_course_skills(session, course_id, requires="python:1", teaches="pytorch:2\nmachine-learning:2")
    again = import_course_file(database, settings, path)
    assert (again.created, again.updated) == (0, 0)
    with database.session() as session:
        course = course_store(session).get(course_id)
    assert [(s.skill_id, s.level, s.source.value) for s in course.teaches] == [
        ("pytorch", 2, "operator"), ("machine-learning", 2, "operator")
    ]  # fmt: skip
    assert not course.skills_inferred


def test_bad_rows_are_all_reported_and_nothing_written(tmp_path: Path, database: Database) -> None:
    text = KDT_HEAD + _kdt_row("AIG1") + _kdt_row("AIG2", fee="abc") + _kdt_row("AIG3", completion="높음")
    text += _kdt_row("AIG1", title="다른 과정")  # same id, other content
    path = _write(tmp_path, "kdt.csv", text)
    with pytest.raises(ImportRejected) as caught:
        import_course_file(database, _settings(tmp_path, database, infer=False), path)
    where = sorted((p.line, p.loc[2]) for p in caught.value.problems)
    assert where == [(3, "훈련비"), (4, "수료율"), (5, "고유값")]
    with database.session() as session:
        assert course_store(session).count() == 0
    result = import_course_file(database, _settings(tmp_path, database, infer=False), path, skip_invalid=True)
    assert (result.created, result.rejected) == (1, 3)
    assert result.rejects_path is not None and "훈련비" in result.rejects_path.read_text(encoding="utf-8")


def test_jcrec_json_maps_skills_to_esco_and_levels(tmp_path: Path, database: Database) -> None:
    folder = tmp_path / "jcrec"
    folder.mkdir()
    (folder / "courses.json").write_text(json.dumps({
        "11": {"required": [[1000, "beginner"]], "to_acquire": [[1001, "expert"], [1002, "unknown"]]},
        "12": {"required": [], "to_acquire": [[1000, "intermediate"]]},
    }), encoding="utf-8")  # fmt: skip
    (folder / "taxonomy.csv").write_text(
        "Source,unique_id,name\nhttp://data.europa.eu/esco/skill/a,1000,Haskell\nhttp://data.europa.eu/esco/skill/b,1001,x\n",
        encoding="utf-8",
    )
    result = import_course_file(database, _settings(tmp_path, database), folder / "courses.json")
    assert (result.format, result.created, result.inferred) == ("jcrec", 2, 0)
    with database.session() as session:
        course = course_store(session).get(course_store(session).ids_by_external_id(["jcrec:11"])["jcrec:11"])
    assert [(s.skill_id, s.level) for s in course.requires] == [("http://data.europa.eu/esco/skill/a", 1)]
    assert [(s.skill_id, s.level) for s in course.teaches] == [
        ("http://data.europa.eu/esco/skill/b", 3), ("jcrec:1002", 1)
    ]  # fmt: skip


def test_generic_file_with_skill_lists(tmp_path: Path) -> None:
    text = (
        "external_id,provider,title,hours,fee,programme_share,delivery,funding_track,requires,teaches\n"
        "c1,사내교육팀,PyTorch 심화,40,300000,80%,online,internal,python:2,pytorch:3;deep-learning:2\n"
        "c2,사내교육팀,,40,0,0,spaceship,internal,,\n"
    )
    path = _write(tmp_path, "courses.csv", text)
    fmt, _, rows = read_course_file(path)
    parsed = parse_course_rows(fmt, rows)
    assert fmt == "generic" and parsed[0].record is not None
    record = parsed[0].record
    assert (record.programme_share, record.programme_pays) == (0.8, 240_000)
    assert [(s.skill_id, s.level) for s in record.teaches] == [("pytorch", 3), ("deep-learning", 2)]
    assert {p.loc[2] for p in parsed[1].problems} == {"title", "delivery"}
