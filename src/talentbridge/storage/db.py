"""Engines, sessions and migrations. Nothing connects until a ``Database`` is made and used."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import Settings
from talentbridge.domain.errors import DatabaseNotReady

__all__ = ["Database", "make_engine"]

MIGRATIONS = Path(__file__).parent / "migrations"


#: Execution option that makes a SQLite transaction start with ``BEGIN IMMEDIATE`` (see ``Database.session``).
SQLITE_BEGIN = "talentbridge_sqlite_begin"

#: Default time a SQLite connection waits for another connection's write lock before giving up.
DEFAULT_BUSY_TIMEOUT = 30.0


#: A pooled connection unused for longer than this is pinged before a request gets it (a server restart or an
#: idle-connection timeout in between would otherwise fail that request's first statement).
IDLE_PING_SECONDS = 10.0


def _ping_if_idle(engine: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Ping a connection at checkout only when it sat in the pool for more than ``idle_seconds``: the
    pessimistic check of ``pool_pre_ping`` where it helps (after a quiet spell), none on a busy server. A failed
    ping makes the pool replace the connection (``DisconnectionError``) and retry."""
    import time

    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since <= idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - any failure means the connection is gone
            raise DisconnectionError(str(exc)) from exc
        if not alive:
            raise DisconnectionError("ping failed")


def make_engine(url: str, echo: bool = False, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL, a busy timeout of ``busy_timeout`` seconds and a
    parent folder.

    SQLite transactions start with a plain (deferred) ``BEGIN`` unless the connection carries the execution
    option ``SQLITE_BEGIN="IMMEDIATE"``: a write transaction then takes the write lock at its start, where the
    busy timeout applies. A deferred transaction that reads and then writes cannot wait: when another connection
    committed in between, SQLite fails it at once with "database is locked" (its snapshot is stale).
    """
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout}
        if path and path != ":memory:":
            # a request may hold up to three connections at once (sign-in lookup, its session, a policy lookup);
            # SQLite connections are cheap, so the pool never makes a request wait for one
            kwargs["pool_size"] = 20
            kwargs["max_overflow"] = 40
    else:
        # No ``pool_pre_ping``: it costs a round trip on every checkout (two per request). A connection idle
        # for a while is pinged instead (``_ping_if_idle``); one that dies while in use fails its statement, and
        # SQLAlchemy then invalidates every older connection of the pool.
        kwargs["pool_size"] = 10
        kwargs["pool_recycle"] = 1800
    engine = create_engine(url, **kwargs)
    if not url.startswith("sqlite"):
        _ping_if_idle(engine, IDLE_PING_SECONDS)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cur.close()
            # Let SQLAlchemy, not pysqlite, open transactions, so SAVEPOINTs work (SQLAlchemy's pysqlite recipe).
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get(SQLITE_BEGIN)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")

    return engine


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def _script_heads() -> str | None:
    """Heads of the migration scripts shipped with this package (read once per process)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_heads()
    return ",".join(sorted(heads)) or None


class Database:
    """One database: an engine, a session factory, and its migrations."""

    def __init__(self, url: str, echo: bool = False, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo, busy_timeout=busy_timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Same pool; its connections begin IMMEDIATE on SQLite — when the session first touches the database,
        # so a write request holds no lock while it validates or computes before its first query.
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"}), expire_on_commit=False
        )
        self._checked = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            settings.sqlalchemy_url,
            echo=settings.echo_sql,
            busy_timeout=getattr(settings, "sqlite_busy_timeout", DEFAULT_BUSY_TIMEOUT),
        )

    # -- migrations ---------------------------------------------------------------------------------------
    def upgrade(self, revision: str = "heads") -> bool:
        """Migrate the schema to ``revision`` (default: every head) and load the built-in data; True when that
        replaced an earlier built-in taxonomy (skills inferred from text before may want a refresh).

        Each capability keeps its own branch of migrations off ``0001_foundation`` (taxonomy, rounds, accounts),
        so ``heads`` — not ``head`` — is the newest state.
        """
        from alembic import command

        cfg = _alembic_config(self.url)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        self._checked = False
        return self._after_upgrade()

    def _after_upgrade(self) -> bool:
        from talentbridge.storage.taxonomy_seed import sync_builtin_taxonomy  # seed data; storage needs no services

        with self.session() as session:
            return sync_builtin_taxonomy(session) == "replaced"

    def head_revision(self) -> str | None:
        """The newest revision(s), comma-separated when there are several branches."""
        return _script_heads()

    def current_revision(self) -> str | None:
        """The revision(s) the database is at, comma-separated; None for an empty database."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
        return ",".join(sorted(heads)) or None

    def check_ready(self) -> None:
        """Raise DatabaseNotReady unless the schema is at the newest migration."""
        if self._checked:
            return
        try:
            current = self.current_revision()
        except OperationalError as exc:
            raise DatabaseNotReady(
                f"cannot reach the database {self.safe_url}: {exc.orig}", url=self.safe_url
            ) from exc
        head = self.head_revision()
        if current != head:
            state = "is empty" if current is None else f"is at revision {current}, the newest is {head}"
            raise DatabaseNotReady(
                f"the database {self.safe_url} {state}: run `talentbridge db upgrade`",
                url=self.safe_url,
                current=current,
                head=head,
            )
        self._checked = True

    def analyze(self) -> None:
        """Refresh the query planner's statistics after bulk loads (PostgreSQL: also VACUUM, which sets the
        visibility map so filtered counts become index-only scans)."""
        from sqlalchemy import text

        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            return
        with self.engine.begin() as conn:
            conn.execute(text("ANALYZE"))

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    # -- sessions -------------------------------------------------------------------------------------------
    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in a transaction: committed when the block ends, rolled back on an exception.

        ``write=True`` starts a write transaction: on SQLite ``BEGIN IMMEDIATE``, which waits up to the busy
        timeout for the write lock instead of failing half-way when another connection wrote first. Use it for
        a block that writes while other processes or requests may write too (the web's write requests do).
        The default is SQLite's deferred ``BEGIN``: readers never wait in WAL mode. Never open a write session
        while the same thread holds another one: the second waits for the first's lock.
        """
        session = (self._write_sessions if write else self._sessions)()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def autocommit_session(self) -> Iterator[Session]:
        """A session for one-statement reads outside a transaction: no ``BEGIN`` and no ``ROLLBACK`` round trips
        (the sign-in lookups every request makes before its own session). Never write through it."""
        with self.engine.connect() as conn:
            session = Session(bind=conn.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
            try:
                yield session
            finally:
                session.close()

    def begin_write(self, session: Session) -> None:
        """Start ``session``'s next transaction as a write transaction (``BEGIN IMMEDIATE`` on SQLite).

        Call it when the session has no transaction: first thing, or right after a commit.
        """
        if self.engine.dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})

    def dispose(self) -> None:
        self.engine.dispose()
