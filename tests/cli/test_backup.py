"""``talentbridge backup`` / ``restore`` round trips on SQLite and PostgreSQL, through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from tests.cli.cli_runner import run_cli as _run

from talentbridge.services.file_writing import write_csv
from talentbridge.storage import Database


def _import_orgs(tmp_path: Path, names: list[str]) -> None:
    rows = [
        {"external_id": f"org-{i}", "name": name, "kind": "ai_startup", "region": "busan"}
        for i, name in enumerate(names)
    ]
    path = tmp_path / "orgs.csv"
    write_csv(path, list(rows[0]), rows)
    assert _run(["import", "organizations", str(path)]) == 0


def _orgs(db: Database) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, name FROM organizations ORDER BY external_id")).all()
    return [(r[0], r[1]) for r in rows]


def test_backup_then_restore_brings_back_exactly_what_was_there(
    cli_db_each_engine: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import_orgs(tmp_path, ["딥비전랩스", "Ulsan Smart Factory", "부산 AI 제조"])
    before = _orgs(cli_db_each_engine)
    target = tmp_path / "backups" / "b1"
    assert _run(["backup", "--output", str(target)]) == 0
    assert target.stat().st_size > 0
    assert "revision" in capsys.readouterr().out

    with cli_db_each_engine.engine.begin() as conn:
        conn.execute(text("DELETE FROM organizations WHERE external_id = 'org-0'"))
        conn.execute(text("UPDATE organizations SET name = 'changed' WHERE external_id = 'org-1'"))
    assert _orgs(cli_db_each_engine) != before

    # Without --yes nothing happens, and the person is told what would be replaced.
    assert _run(["restore", str(target)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert _orgs(cli_db_each_engine) != before

    assert _run(["restore", str(target), "--yes"]) == 0
    assert _orgs(cli_db_each_engine) == before
    assert "reindex" in capsys.readouterr().out
    # The restored database is usable by the application as it is (schema at the newest revision).
    cli_db_each_engine.check_ready()


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    cli_db_each_engine: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import_orgs(tmp_path, ["딥비전랩스"])
    before = _orgs(cli_db_each_engine)
    junk = tmp_path / "notes.txt"
    junk.write_text("이것은 백업이 아닙니다", encoding="utf-8")
    assert _run(["restore", str(junk), "--yes"]) == 1
    assert "neither a SQLite database nor a pg_dump" in capsys.readouterr().err
    assert _orgs(cli_db_each_engine) == before


def test_a_backup_of_the_other_engine_is_refused(
    cli_db_each_engine: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    other = tmp_path / "other.sqlite3"
    if cli_db_each_engine.engine.dialect.name == "sqlite":
        other.write_bytes(b"PGDMP" + b"\0" * 100)  # looks like a pg_dump archive
        expected = "postgresql backup"
    else:
        sqlite3.connect(other).execute("CREATE TABLE alembic_version (version_num TEXT)").connection.close()
        expected = "sqlite backup"
    _import_orgs(tmp_path, ["딥비전랩스"])
    before = _orgs(cli_db_each_engine)
    assert _run(["restore", str(other), "--yes"]) == 1
    err = capsys.readouterr().err
    assert expected in err or "pg_restore failed" in err
    assert _orgs(cli_db_each_engine) == before


def test_a_backup_from_a_newer_version_is_refused(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The revision check is engine-independent; the revision is edited inside a SQLite backup."""
    import sqlite3

    target = tmp_path / "b.bak"
    assert _run(["backup", "--output", str(target)]) == 0

    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future' WHERE rowid = 1")
    assert _run(["restore", str(target), "--yes"]) == 1
    assert "newer TalentBridge" in capsys.readouterr().err


def test_people_erased_after_a_backup_stay_erased_when_it_is_restored(
    cli_db_each_engine: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import select

    from talentbridge import config
    from talentbridge.services.privacy_ledger import LedgerEntry, ledger_path, read_ledger, record
    from talentbridge.storage.privacy_tables import TalentErasureRow
    from talentbridge.storage.tables import TalentRow

    db = cli_db_each_engine
    people = [("김복원", "restore.me@example.kr", "010-5555-0101", "tal-restore-1"),
              ("이유지", "stay.here@example.kr", "010-5555-0202", "tal-keep-2")]
    with db.session(write=True) as s:
        for name, email, phone, ext in people:
            s.add(TalentRow(name=name, email=email, phone=phone, external_id=ext, category="engineer",
                            nationality="KR", region="busan", resume_text=f"{name} 이력서"))
    target = tmp_path / "before-erasure.backup"
    assert _run(["backup", "--output", str(target)]) == 0
    assert _run(["privacy", "erase", "--talent", "tal-restore-1", "--yes"]) == 0
    with db.session() as s:
        erased_id = s.scalar(select(TalentErasureRow.talent_id))
        anon = s.scalar(select(TalentErasureRow.anonymous_id))
    ledger = ledger_path(config.get_settings()).read_text(encoding="utf-8")
    for value in people[0]:  # the ledger itself holds nothing about the person
        assert value not in ledger
    capsys.readouterr()

    assert _run(["restore", str(target), "--yes"]) == 0
    assert "1 talent(s) and 0 account(s) erased again" in capsys.readouterr().out
    with db.engine.connect() as conn:
        dump = " ".join(str(v) for table in ("talents", "talent_erasures", "audit_log")
                        for row in conn.execute(text(f"SELECT * FROM {table}")) for v in row)
    for value in people[0]:
        assert value not in dump  # the person is still gone
    for value in people[1]:
        assert value in dump  # the other person is back as the backup had them
    with db.session() as s:
        row = s.get(TalentRow, erased_id)
        assert row is not None and row.name == anon  # the same anonymous id as after the erasure
        assert s.get(TalentErasureRow, erased_id) is not None

    # restoring again is harmless; an entry for a row made at another time (another installation) is not applied
    with db.session() as s:
        kept = s.scalar(select(TalentRow.id).where(TalentRow.external_id == "tal-keep-2"))
    assert kept is not None
    record(config.get_settings(), [LedgerEntry("talent", kept, "0" * 32, None, "2026-01-01T00:00:00", "request")])
    assert len(read_ledger(config.get_settings())) == 2
    assert _run(["restore", str(target), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "1 talent(s) and 0 account(s) erased again" in out and "not applied" in out
    with db.session() as s:
        assert s.scalar(select(TalentRow.name).where(TalentRow.id == kept)) == "이유지"
