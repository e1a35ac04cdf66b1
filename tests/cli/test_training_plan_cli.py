"""``talentbridge training-plan create|list|show|export``: a plan for chosen employees saved, listed, shown and
exported (CSV with neutralised formula cells, XLSX); a stranger in the group is one red line and exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.cli_runner import run_cli as _run

from talentbridge.domain import OrganizationData, TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.storage import Database


def test_training_plan_cli(cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with cli_db.session() as session:
        reg = registry(session)
        org = reg.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer"))
        a, b = (reg.talents.add(TalentData(name=n, current_employer_id=org.id)) for n in ("=SUM(1)", "나"))
        stranger = reg.talents.add(TalentData(name="외부인"))
        course_store(session).upsert_many([
            (CourseData(external_id="c1", provider="p", title="Python 입문", hours=40, fee=300_000,
                        teaches=[CourseSkill(skill_id="python", level=2)]), False),
        ])  # fmt: skip
    assert _run(["training-plan", "create", "--org", str(org.id), "--talents", f"{a.id},{b.id}", "--kind", "skills",
                 "--target", "python:2", "--budget", "100000", "--json"]) == 0  # fmt: skip
    plan = json.loads(capsys.readouterr().out)
    assert plan["summary"]["hours"] == 80 and plan["summary"]["over_budget"] is True
    assert _run(["training-plan", "list", "--org", str(org.id), "--json"]) == 0
    assert [p["id"] for p in json.loads(capsys.readouterr().out)["items"]] == [plan["id"]]
    assert _run(["training-plan", "show", str(plan["id"])]) == 0
    assert "Python 입문" in capsys.readouterr().out
    out = tmp_path / "plan.csv"
    assert _run(["training-plan", "export", str(plan["id"]), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "'=SUM(1)" in text and "\n=SUM" not in text and text.count("Python 입문") == 2
    assert _run(["training-plan", "export", str(plan["id"]), "-o", str(tmp_path / "plan.xlsx")]) == 0
    assert (tmp_path / "plan.xlsx").read_bytes()[:2] == b"PK"
    capsys.readouterr()
    assert _run(["training-plan", "create", "--org", str(org.id), "--talents", str(stranger.id), "--kind", "skills",
                 "--target", "python:2"]) == 1  # fmt: skip
