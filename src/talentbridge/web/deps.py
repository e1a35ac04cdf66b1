"""FastAPI dependencies: settings, database, a session per request, repositories."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

__all__ = ["SettingsDep", "DatabaseDep", "SessionDep", "ReposDep", "get_settings_dep", "get_database", "get_session"]


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


def get_session(request: Request, database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """One transaction per request: committed when the endpoint returns, rolled back on an error.

    Audit entries the request queued (views of personal data) are written in the same transaction.
    """
    with database.session() as session:
        yield session
        entries = getattr(request.state, "audit", None)
        if entries:
            from talentbridge.services.audit_log import write_entries

            write_entries(session, list(entries))
            entries.clear()


def get_repositories(session: Annotated[Session, Depends(get_session)]) -> Repositories:
    return Repositories(session)


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session)]
ReposDep = Annotated[Repositories, Depends(get_repositories)]
