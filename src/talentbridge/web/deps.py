"""FastAPI dependencies: settings, database, a session per request, the registry (``services.registry``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.services.registry import Registry, registry
from talentbridge.services.transactions import ManagedDatabase, SessionSource

__all__ = [
    "SettingsDep",
    "DatabaseDep",
    "ManagedDatabaseDep",
    "SessionDep",
    "ReposDep",
    "get_settings_dep",
    "get_database",
    "get_session",
    "request_transaction",
]


# The two below are ``async`` because they only read the app's state: FastAPI runs a sync dependency in a worker
# thread, and two thread hand-offs per request were a tenth of a warm recommendation request's CPU (issue #18).


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_database(request: Request) -> SessionSource:
    return request.app.state.database  # type: ignore[no-any-return]


#: Methods whose requests only read (their transaction is a read transaction; see ``get_session``).
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request, database: Annotated[SessionSource, Depends(get_database)]) -> Iterator[Session]:
    """One transaction per request, committed when the endpoint returns — before the response is sent (the
    dependency has ``scope="function"``), so a failed commit is the request's error, never a dropped connection.
    What the transaction does is ``request_transaction``'s."""
    with request_transaction(request, database) as session:
        yield session


@contextmanager
def request_transaction(request: Request, database: SessionSource) -> Iterator[Session]:
    """The request's transaction, for ``get_session`` and for endpoints that do all their work in one worker
    thread (``run_in_threadpool``: the session, the work and its commit in one hand-off instead of three).

    A request with an unsafe method runs in a write transaction (``BEGIN IMMEDIATE`` on SQLite: it waits for the
    write lock up front). A GET runs in a read transaction; audit entries it queued (views of personal data) are
    written right after it — in a short write transaction on SQLite, in the read transaction itself elsewhere (one
    commit) — still before the response, with the AI records of the recommendation lists it showed
    (``request.state.ai_runs``). Audit entries of a write
    request are written in its own transaction, so they commit (or roll back) with the change they record.
    """
    write = request.method not in READ_METHODS
    with database.session(write=write) as session:
        yield session
        entries = getattr(request.state, "audit", None)
        runs = getattr(request.state, "ai_runs", None)  # AI Basic Act records of lists shown (web/ai_notice.py)
        # SQLite: the read transaction cannot turn into a write one, so a write transaction follows it. Elsewhere
        # the rows go into the request's own transaction (one commit, no extra round trips).
        if (entries or runs) and not write and session.get_bind().dialect.name == "sqlite":
            session.commit()
            database.begin_write(session)
        if entries:
            from talentbridge.services.audit_log import write_entries

            write_entries(session, list(entries))
            entries.clear()
        if runs:
            from talentbridge.services.ai_records import write_runs

            write_runs(session, list(runs))
            runs.clear()


def get_repositories(session: Annotated[Session, Depends(get_session, scope="function")]) -> Registry:
    return registry(session)


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DatabaseDep = Annotated[SessionSource, Depends(get_database)]
ManagedDatabaseDep = Annotated[ManagedDatabase, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ReposDep = Annotated[Registry, Depends(get_repositories)]
