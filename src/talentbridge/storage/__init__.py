"""Storage adapter: SQLAlchemy tables, repositories and Alembic migrations (SQLite default, PostgreSQL)."""

from talentbridge.storage.db import Database, make_engine

__all__ = ["Database", "make_engine"]
