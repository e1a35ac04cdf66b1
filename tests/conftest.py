"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, settings in a temp dir, an API client.

PostgreSQL: ``TALENTBRIDGE_TEST_POSTGRES_URL`` names a server URL with rights to create databases (default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres). Each test session creates its own database and drops it
at the end, so parallel runs never collide. Without a reachable server the PostgreSQL variants are skipped,
unless ``TALENTBRIDGE_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), in which case they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from talentbridge.config import Settings, build_settings
from talentbridge.storage import Database

PG_ADMIN_URL = os.environ.get(
    "TALENTBRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("TALENTBRIDGE_REQUIRE_POSTGRES") == "1"

# Taxonomy embeddings are keyed by model and content, so every test can share one cache: computed once per
# machine (kept between runs in .cache/ beside the tests), not once per temporary data dir.
os.environ.setdefault(
    "TALENTBRIDGE_MODEL_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".cache" / "models")
)


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def _keep_tables(db: Database) -> set[str]:
    """Tables filled by the migration itself (built-in taxonomy, version): kept between tests."""
    keep = {"alembic_version"}
    with db.engine.connect() as conn:
        for name in inspect(db.engine).get_table_names():
            if conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None:
                keep.add(name)
    return keep


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    problem = _pg_reachable()
    if problem:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (TALENTBRIDGE_REQUIRE_POSTGRES=1) but unreachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {problem}")
    name = f"tb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    db.upgrade()
    db.keep_tables = _keep_tables(db)  # type: ignore[attr-defined]
    try:
        yield db
    finally:
        from talentbridge.services.change_bus import close_change_buses

        close_change_buses()  # listeners on this database (LISTEN/NOTIFY) stop before it is dropped
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A migrated, empty database (built-in data loaded) — once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "talentbridge.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    db = request.getfixturevalue("postgres_database")
    yield db
    names = [n for n in inspect(db.engine).get_table_names() if n not in db.keep_tables]  # type: ignore[attr-defined]
    if names:
        _truncate(db, names)


def _truncate(db: Database, names: list[str]) -> None:
    """Empty the tables for the next test. Work the test left running (an in-process job, an after-response
    write) may still hold a lock; TRUNCATE's exclusive lock can then deadlock with it: wait and try again."""
    import time

    from sqlalchemy.exc import OperationalError

    from talentbridge.storage.change_tables import move_past

    statement = text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE")
    for attempt in range(6):
        try:
            with db.engine.begin() as conn:
                conn.execute(statement)
                move_past(conn, None)  # as a restore does: no cache keyed on a counter value comes back
            return
        except OperationalError as exc:
            if "deadlock" not in str(exc).lower() or attempt == 5:
                raise
            time.sleep(0.5 * (attempt + 1))


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A migrated SQLite database only (for tests whose subject is not the storage engine)."""
    path = tmp_path / "talentbridge.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)


@pytest.fixture
def app(settings: Settings, database: Database) -> object:
    from talentbridge.web.app import create_app

    return create_app(settings, database)


@pytest.fixture
def anon_client(app: object) -> Iterator[object]:
    """A client that is not signed in."""
    from fastapi.testclient import TestClient

    with TestClient(app) as c:  # type: ignore[arg-type]
        yield c


def make_account(database: Database, role: str, **fields: object) -> tuple[int, str]:
    """Create an account of ``role`` and a personal API token for it; returns (user id, token)."""
    from talentbridge.services import accounts

    with database.session() as session:
        n = uuid.uuid4().hex[:8]
        user = accounts.create_user(session, email=f"{role}-{n}@test.kr", password="test-password-123",
                                    role=role, name=f"{role} {n}", **fields)  # type: ignore[arg-type]
        _, token = accounts.create_api_token(session, user.id, "tests")
    return user.id, token


@pytest.fixture
def client_as(app: object, database: Database) -> Iterator[object]:
    """``client_as(role, organization_id=..., talent_id=...)``: a client signed in with an API token."""
    from fastapi.testclient import TestClient

    opened: list[TestClient] = []

    def factory(role: str, **fields: object) -> TestClient:
        _, token = make_account(database, role, **fields)
        c = TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]
        c.__enter__()
        opened.append(c)
        return c

    yield factory
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def client(client_as: object) -> object:
    """An API client signed in as an operator (who may do everything)."""
    return client_as("operator")  # type: ignore[operator]


@pytest.fixture(autouse=True)
def _no_warm_up_state_from_other_tests() -> Iterator[None]:
    """The warm-up state is one per process (``services.readiness``): a test whose server warmed up, or re-warmed
    after a taxonomy change, must not leave "warming up" behind for the next test's pages and API."""
    from talentbridge.services.readiness import warm_up_state

    warm_up_state().reset()
    yield
