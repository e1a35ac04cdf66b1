"""CLI tests run the real entry point against a test database: the environment points the settings at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from talentbridge import config
from talentbridge.storage import Database


def _point(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", db.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    config.get_settings.cache_clear()
    yield db
    config.get_settings.cache_clear()


@pytest.fixture
def cli_db(sqlite_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The CLI's configured database: a migrated SQLite file."""
    yield from _point(sqlite_database, tmp_path, monkeypatch)


@pytest.fixture
def cli_db_each_engine(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The CLI's configured database, once on SQLite and once on PostgreSQL."""
    yield from _point(database, tmp_path, monkeypatch)
