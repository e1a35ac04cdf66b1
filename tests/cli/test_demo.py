"""``talentbridge demo`` stores the generated dataset, idempotently, with demo accounts when available."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentbridge import config
from talentbridge.cli import main
from talentbridge.demo import default_opening_count, generate_organizations
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        repos = Repositories(session)
        return {e: repos.by_entity(e).count() for e in ("organizations", "talents", "openings", "programs")}


def test_demo_stores_the_dataset_and_running_it_again_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", f"sqlite:///{db_path}")
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")  # the accounts table must not be cut by an earlier test's narrow terminal
    config.get_settings.cache_clear()
    try:
        main(["demo", "--talents", "120", "--orgs", "25", "--seed", "3"])  # migrates the empty database first
        # ... and encodes its taxonomy's labels, as `db upgrade` does: `serve` does not spend minutes on them
        from talentbridge.services.label_encodings import label_encoding_status

        assert [c.status for c in label_encoding_status(config.get_settings())] in (["built"], ["off"])
        db = Database(f"sqlite:///{db_path}")
        expected_openings = default_opening_count(generate_organizations(25, 3))
        assert _counts(db) == {
            "organizations": 25,
            "talents": 120,
            "openings": expected_openings,
            "programs": 4,
        }
        with db.session() as session:
            repos = Repositories(session)
            first = [t.model_dump() for t in repos.talents.iter_all()]
            employed = [t for t in repos.talents.iter_all() if t.current_employer_id]
            assert employed and all(repos.organizations.exists(t.current_employer_id) for t in employed)
        main(["demo", "--talents", "120", "--orgs", "25", "--seed", "3"])
        assert _counts(db) == {
            "organizations": 25,
            "talents": 120,
            "openings": expected_openings,
            "programs": 4,
        }
        with db.session() as session:
            again = [t.model_dump() for t in Repositories(session).talents.iter_all()]
        strip = ("updated_at", "created_at")
        assert [{k: v for k, v in t.items() if k not in strip} for t in again] == [
            {k: v for k, v in t.items() if k not in strip} for t in first
        ]
        out = capsys.readouterr().out
        assert "talents" in out and "120" in out
        try:
            import talentbridge.services.accounts  # noqa: F401
        except ImportError:
            return
        assert "operator@demo.talentbridge.kr" in out
        db.dispose()
    finally:
        config.get_settings.cache_clear()
