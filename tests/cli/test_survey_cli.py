"""``talentbridge import survey FILE`` through the real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.cli.cli_runner import run_cli

from talentbridge.storage import Database
from talentbridge.storage.survey_tables import StatusSurveyRow
from talentbridge.storage.tables import OrganizationRow


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(StatusSurveyRow)) or 0)


def test_import_survey_is_atomic_then_keeps_the_valid_rows(cli_db_each_engine: Database, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = cli_db_each_engine
    with db.session(write=True) as s:
        s.add(OrganizationRow(name="한빛AI", external_id="hb", kind="ai_startup", region="busan"))
    path = tmp_path / "survey.csv"
    rows: list[dict[str, Any]] = [
        {"organization": "hb", "year": 2025, "headcount_ai_research": 4, "vacancies": 2},
        {"organization": "ghost", "year": 2025, "headcount_ai_research": 1, "vacancies": 0},
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert run_cli(["import", "survey", str(path)]) == 1
    said = capsys.readouterr()
    out = said.out + said.err
    assert "line 3" in out and "organization" in out and "Nothing was written" in out
    assert _count(db) == 0
    rejects = tmp_path / "bad.csv"
    assert run_cli(["import", "survey", str(path), "--skip-invalid", "--rejects", str(rejects)]) == 0
    assert "1 created" in capsys.readouterr().out and _count(db) == 1
    assert "ghost" in rejects.read_text(encoding="utf-8-sig")
    assert run_cli(["import", "survey", str(path), "--skip-invalid", "--rejects", str(rejects)]) == 0
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
