"""``talentbridge upskill gap`` / ``upskill path``: a talent's gap and the catalogue's path, JSON and table, through
the real entry point (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from talentbridge import config
from talentbridge.cli import main
from talentbridge.domain import TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.storage import Database


@pytest.fixture
def talent_id(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TALENTBRIDGE_MODEL_CACHE_DIR", str(tmp_path / "data" / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    config.get_settings.cache_clear()
    with database.session() as session:
        talent = registry(session).talents.add(
            TalentData(name="박지민", skills=[{"skill_id": "python", "level": 3}], consent_visible=True)
        )
        course_store(session).upsert_many([
            (CourseData(external_id="g1", provider="테스트학원", title="PyTorch 딥러닝 실무", hours=120, fee=500_000,
                        teaches=[CourseSkill(skill_id="pytorch", level=3)]), False),
        ])  # fmt: skip
    yield talent.id
    config.get_settings.cache_clear()


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_gap_and_path_as_json_and_table(talent_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    target = "python:2, pytorch:3, rust"
    assert _run(["upskill", "gap", "--talent", str(talent_id), "--kind", "skills", "--target", target, "--json"]) == 0
    gap = json.loads(capsys.readouterr().out)
    status = {i["skill_id"]: i["status"] for i in gap["gap"]["items"]}
    assert status["python"] == "met" and status["pytorch"] != "met" != status["rust"] and "path" not in gap
    assert all(i["explanation"] for i in gap["gap"]["items"])
    assert _run(["upskill", "path", "--talent", str(talent_id), "--kind", "skills", "--target", target,
                 "--json", "--lang", "en"]) == 0  # fmt: skip
    path = json.loads(capsys.readouterr().out)["path"]
    assert [c["title"] for c in path["courses"]] == ["PyTorch 딥러닝 실무"]
    assert path["total"]["hours"] == 120 and "rust" in path["unreachable"]
    assert _run(["upskill", "path", "--talent", str(talent_id), "--kind", "skills", "--target", target]) == 0
    table = capsys.readouterr().out
    assert "PyTorch 딥러닝 실무" in table and "partly_met" in table and "rust" in table and "120" in table


def test_bad_targets_are_one_clear_error(talent_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["upskill", "gap", "--talent", str(talent_id), "--kind", "skills", "--target", "python:9"]) == 1
    assert "python:9" in capsys.readouterr().err
    assert _run(["upskill", "gap", "--talent", str(talent_id), "--kind", "occupation", "--target", "없는 직업"]) != 0
    assert "없는 직업" in capsys.readouterr().err
    assert _run(["upskill", "gap", "--talent", "999999", "--kind", "skills", "--target", "python"]) != 0
