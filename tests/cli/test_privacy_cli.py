"""``talentbridge privacy export`` and ``erase`` through the real entry point (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from talentbridge import config
from talentbridge.cli import main
from talentbridge.domain import TalentData
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


@pytest.fixture
def cli_db(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TALENTBRIDGE_MODEL_CACHE_DIR", str(tmp_path / "data" / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    config.get_settings.cache_clear()
    with database.session() as session:
        Repositories(session).talents.add(
            TalentData(name="한지우", external_id="t-cli-1", email="jiwoo@example.org", phone="010-1234-5678",
                       resume_text="딥러닝 연구원", region="daegu")
        )  # fmt: skip
    yield database
    config.get_settings.cache_clear()


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_export_writes_the_person_and_records_the_access(cli_db, tmp_path, capsys):
    out = tmp_path / "me.json"
    assert _run(["privacy", "export", "--talent", "t-cli-1", "--output", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["profile"]["name"] == "한지우" and doc["profile"]["email"] == "jiwoo@example.org"
    assert "한지우" in out.read_text(encoding="utf-8")  # readable Korean, not \\u escapes
    with cli_db.engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_log")).scalars().all() == ["privacy.export"]
    assert _run(["privacy", "export", "--talent", "nobody", "--output", str(out)]) == 1
    assert "nobody" in capsys.readouterr().err


def test_erase_needs_yes_and_then_leaves_an_anonymous_record(cli_db, capsys):
    assert _run(["privacy", "erase", "--talent", "t-cli-1"]) == 1
    assert "--yes" in capsys.readouterr().err
    with cli_db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM talents")).scalar() == "한지우"
    assert _run(["privacy", "erase", "--talent", "t-cli-1", "--yes"]) == 0
    printed = capsys.readouterr().out
    assert "anon-" in printed and "storage:" in printed
    with cli_db.engine.connect() as conn:
        name, email, phone, resume = conn.execute(text("SELECT name, email, phone, resume_text FROM talents")).one()
    assert name.startswith("anon-") and email is None and phone is None and resume is None
    assert _run(["privacy", "erase", "--talent", "t-cli-1", "--yes"]) == 1  # no such talent any more


def test_retention_dry_run_says_what_it_would_do_and_changes_nothing(cli_db, capsys, monkeypatch):
    monkeypatch.setenv("TALENTBRIDGE_PRIVACY_INACTIVE_DAYS", "1")
    monkeypatch.setenv("TALENTBRIDGE_PRIVACY_ROUND_DAYS", "0")
    config.get_settings.cache_clear()
    with cli_db.engine.begin() as conn:
        conn.execute(text("UPDATE talents SET updated_at = :w"), {"w": "2001-01-01 00:00:00"})
    assert _run(["privacy", "retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would erase 1 (ids 1)" in out and "closed rounds off (0 days)" in out
    with cli_db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM talents")).scalar() == "한지우"
    assert _run(["privacy", "retention"]) == 0
    assert "did erase 1" in capsys.readouterr().out
    with cli_db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM talents")).scalar().startswith("anon-")
