"""``talentbridge rounds ...`` through the real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talentbridge import config
from talentbridge.cli import main
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


@pytest.fixture
def cli_db(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The CLI's settings point at the test database."""
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    config.get_settings.cache_clear()
    yield database
    config.get_settings.cache_clear()


def _registry(database: Database) -> dict[str, Any]:
    with database.session() as s:
        repos = Repositories(s)
        org = repos.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        lab = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        openings = [
            repos.openings.add(
                OpeningData(
                    organization_id=org.id,
                    kind="pbl_project",
                    title="검사 AI",
                    region="ulsan",
                    required_skills=[{"skill_id": "pytorch"}],
                    seats=1,
                    status="open",
                )
            ),
            repos.openings.add(
                OpeningData(
                    organization_id=lab.id,
                    kind="pbl_project",
                    title="비전",
                    region="seoul",
                    required_skills=[{"skill_id": "python"}],
                    seats=1,
                    status="open",
                )
            ),
        ]
        talents = [
            repos.talents.add(TalentData(name=f"학생{i}", skills=[{"skill_id": "pytorch", "level": 1 + i}]))
            for i in range(3)
        ]
    return {"openings": [o.id for o in openings], "talents": [t.id for t in talents]}


def _ok(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(argv)
    return capsys.readouterr().out


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 1
    return " ".join(capsys.readouterr().err.split())  # Rich wraps long lines


def test_whole_workflow_from_the_command_line(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _registry(cli_db)
    (o1, o2), (t1, t2, t3) = ids["openings"], ids["talents"]
    out = _ok(
        [
            "rounds",
            "create",
            "--new-program",
            "2027 PBL",
            "--kind",
            "pbl",
            "--name",
            "1차",
            "--cap",
            "capital=1",
            "--seed",
            "5",
        ],
        capsys,
    )
    assert "Created round 1" in out
    _ok(["rounds", "attach-opening", "1", str(o1), str(o2)], capsys)
    _ok(["rounds", "add-participant", "1", str(t1), str(t2), str(t3)], capsys)
    assert "collecting preferences until 2099" in _ok(
        ["rounds", "open", "1", "--deadline", "2099-01-31T18:00:00+09:00"], capsys
    )

    prefs = tmp_path / "prefs.csv"
    prefs.write_text(
        "side,owner_id,rank,choice_id\n"
        f"talent,{t1},1,{o1}\ntalent,{t1},2,{o2}\n"
        f"talent,{t2},1,{o1}\n"
        f"talent,{t3},2,{o2}\ntalent,{t3},1,{o1}\n"
        f"opening,{o1},1,{t3}\nopening,{o1},2,{t1}\nopening,{o1},2,{t2}\n",
        encoding="utf-8",
    )
    assert "Saved 3 talent list(s) and 1 opening list(s)" in _ok(
        ["rounds", "submit-preferences", "1", "--file", str(prefs), "--by", "운영자"], capsys
    )
    _ok(["rounds", "close", "1"], capsys)
    out = _ok(["rounds", "generate-rankings", "1"], capsys)
    assert "Generated 1 ranking(s)" in out and f"Kept 1 list(s) submitted by organizations: [{o1}]" in out

    out = _ok(["rounds", "run", "1", "--mechanism", "flexible-da", "--by", "운영자"], capsys)
    assert "blocking pairs" in out and "Rank distribution" in out and "publish 1 --run 1" in out
    review = json.loads(_ok(["rounds", "show", "1", "--json"], capsys))
    assert review["round"]["status"] == "matched"
    run = review["run"]
    assert run["diagnostics"]["blocking_pairs"] == 0 and run["created_by"] == "운영자"
    assert {(a["talent_id"], a["opening_id"]) for a in run["assignments"]} == {(t3, o1), (t1, o2)}
    assert run["diagnostics"]["regions"]["capital"]["placed"] <= 1
    shown = _ok(["rounds", "show", "1"], capsys)
    assert "Runs" in shown and "Rank distribution" in shown and "Regional caps" in shown

    assert "2 placement(s) created" in _ok(["rounds", "publish", "1", "--run", "1", "--by", "김승인"], capsys)
    assert "identical result" in _ok(["rounds", "reproduce", "1"], capsys)
    err = _fails(["rounds", "publish", "1", "--run", "1", "--by", "김승인"], capsys)
    assert "cannot publish: round 1 is published (published by 김승인" in err


def test_bad_preference_file_lists_every_bad_row_and_saves_nothing(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _registry(cli_db)
    (o1, _), (t1, t2, _) = ids["openings"], ids["talents"]
    _ok(["rounds", "create", "--new-program", "P", "--name", "R"], capsys)
    _ok(["rounds", "attach-opening", "1", str(o1)], capsys)
    _ok(["rounds", "add-participant", "1", str(t1), str(t2)], capsys)
    _ok(["rounds", "open", "1"], capsys)

    bad_rows = tmp_path / "bad.csv"
    bad_rows.write_text(
        f"side,owner_id,rank,choice_id\nemployer,{t1},1,{o1}\ntalent,x,0,{o1}\n", encoding="utf-8"
    )
    err = _fails(["rounds", "submit-preferences", "1", "--file", str(bad_rows)], capsys)
    assert "3 bad row value(s)" in err
    assert "line 2: side" in err and "line 3: owner_id" in err and "line 3: rank" in err

    bad_ids = tmp_path / "bad.json"
    bad_ids.write_text(
        json.dumps(
            {"talents": {str(t1): [o1, 99999, o1], "31337": [o1]}, "openings": {str(o1): [t2, [t1, 4242]]}}
        )
    )
    err = _fails(["rounds", "submit-preferences", "1", "--file", str(bad_ids)], capsys)
    assert "4 problems with the ranked lists in" in err and "nothing was saved" in err
    for where in (
        f"talents.{t1}.ranking.1",
        f"talents.{t1}.ranking.2",
        "talents.31337",
        f"openings.{o1}.ranking.1.1",
    ):
        assert where in err
    review = json.loads(_ok(["rounds", "show", "1", "--json"], capsys))
    assert review["lists"] == {"talent": {}, "opening": {}}

    assert "is collecting" in _fails(["rounds", "run", "1"], capsys)
    assert "reproduce" not in _fails(
        ["rounds", "reproduce", "77"], capsys
    )  # run 77 does not exist: one red line
    assert "give either --program" in _fails(["rounds", "create", "--name", "x"], capsys)
