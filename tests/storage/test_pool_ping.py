"""PostgreSQL connections are pinged at checkout only after sitting idle in the pool (``storage.db._ping_if_idle``,
instead of ``pool_pre_ping``'s round trip on every checkout): a connection the server dropped meanwhile is
replaced without the caller seeing an error; without the ping the caller's first statement fails."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from talentbridge.storage import Database
from talentbridge.storage import db as db_module

pytestmark = pytest.mark.postgres


def _backend_pid(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(url: str, pid: int) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    time.sleep(0.2)


def test_a_connection_dropped_while_idle_is_replaced_at_checkout(
    postgres_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 0.05)
    engine = db_module.make_engine(postgres_database.url)
    try:
        first = _backend_pid(engine)  # the pool keeps this connection
        _terminate(postgres_database.url, first)
        time.sleep(0.1)
        second = _backend_pid(engine)  # pinged (idle > 0.05 s), found dead, replaced: no error
        assert second != first
    finally:
        engine.dispose()


def test_without_the_idle_ping_the_dropped_connection_fails_the_statement(
    postgres_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 3600.0)  # never idle long enough: no ping
    engine = db_module.make_engine(postgres_database.url)
    try:
        first = _backend_pid(engine)
        _terminate(postgres_database.url, first)
        with pytest.raises(DBAPIError):
            _backend_pid(engine)
        assert _backend_pid(engine) != first  # the failure invalidated the pool: the next checkout reconnects
    finally:
        engine.dispose()
