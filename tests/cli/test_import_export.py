"""``talentbridge import`` and ``talentbridge export`` through the real entry point (exit codes and messages)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.cli.cli_runner import run_cli as _run

from talentbridge.services.file_writing import write_csv
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


def _orgs_csv(path: Path, n: int, bad_line: int | None = None) -> Path:
    rows = []
    for i in range(1, n + 1):
        line = i + 1
        rows.append(
            {
                "external_id": f"org-{i:04d}",
                "name": f"딥센스랩스 {i}",
                "kind": "spaceship" if line == bad_line else ("ai_startup" if i % 2 else "manufacturer"),
                "region": "seoul" if i % 2 else "ulsan",
            }
        )
    write_csv(path, list(rows[0]), rows)
    return path


def _count(db: Database) -> int:
    with db.session() as session:
        return Repositories(session).organizations.count()


def test_import_with_one_bad_row_exits_1_lists_it_and_writes_nothing(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _orgs_csv(tmp_path / "orgs.csv", 1000, bad_line=502)
    code = _run(["import", "organizations", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "1 of 1000 rows are invalid, nothing was imported" in err
    problem_lines = [line for line in err.splitlines() if line.strip().startswith("line ")]
    assert len(problem_lines) == 1
    assert "line 502, column kind: value 'spaceship':" in problem_lines[0]
    assert "--skip-invalid" in err
    assert _count(cli_db) == 0


def test_skip_invalid_imports_999_and_names_the_side_file(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _orgs_csv(tmp_path / "orgs.csv", 1000, bad_line=502)
    side = tmp_path / "rejects.csv"
    code = _run(["import", "organizations", str(path), "--skip-invalid", "--rejects", str(side)])
    out = capsys.readouterr().out
    assert code == 0
    assert "999 created" in out and "1 row(s) rejected" in out
    assert _count(cli_db) == 999
    with side.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["_line"], r["external_id"], r["kind"]) for r in rows] == [("502", "org-0501", "spaceship")]
    # fix the side file and import it: the rejected row arrives, the file's extra columns are ignored
    rows[0]["kind"] = "ai_startup"
    write_csv(side, list(rows[0]), rows)
    assert _run(["import", "organizations", str(side)]) == 0
    assert _count(cli_db) == 1000
    # and importing the original again changes nothing
    assert _run(["import", "organizations", str(path), "--skip-invalid"]) == 0
    assert _count(cli_db) == 1000


def test_unreadable_file_is_one_clear_error(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orgs.pdf"
    path.write_text("x", encoding="utf-8")
    assert _run(["import", "organizations", str(path)]) == 1
    err = capsys.readouterr().err
    assert "unknown file type '.pdf'" in err


def test_export_then_import_through_the_cli(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["import", "organizations", str(_orgs_csv(tmp_path / "orgs.csv", 20))]) == 0
    for fmt in ("csv", "jsonl", "parquet", "xlsx"):
        out = tmp_path / f"export.{fmt}"
        assert _run(["export", "organizations", "--format", fmt, "--output", str(out)]) == 0
        assert out.exists()
    assert "Exported 20 organizations" in capsys.readouterr().out
    assert _run(["import", "organizations", str(tmp_path / "export.xlsx")]) == 0
    assert "0 created, 20 updated" in capsys.readouterr().out
    assert _run(["export", "organizations", "--format", "yaml", "--output", str(tmp_path / "x.yaml")]) == 1


def test_infer_skills_refresh_reads_again_what_the_ai_inferred(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge.domain import TalentData

    with cli_db.session() as session:
        talent = Repositories(session).talents.add(
            TalentData(
                name="윤서",
                resume_text="사용 기술: 파이썬, 도커",
                skills=[{"skill_id": "python", "level": 3, "source": "inferred", "confidence": 0.4}],  # stored before
            )
        ).id
    assert _run(["recommend", "infer-skills"]) == 0  # it has skills: nothing to infer
    assert "inferred skills for 0 talents" in capsys.readouterr().out
    assert _run(["recommend", "infer-skills", "--refresh"]) == 0
    assert "for 1 talents" in capsys.readouterr().out
    with cli_db.session() as session:
        got = {s.skill_id: s.confidence for s in Repositories(session).talents.get(talent).skills}
    assert got == {"python": 0.9, "docker": 0.9}  # both named outright in the résumé
