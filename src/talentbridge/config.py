"""Settings: one pydantic-settings ``Settings`` built by ``get_settings()``, never at import time.

Every setting is read from the environment with the ``TALENTBRIDGE_`` prefix (or a ``.env`` file in the working
directory). ``docs/configuration.md`` documents each one; a test checks that it does.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from talentbridge.domain.errors import ConfigurationError

__all__ = ["Settings", "get_settings", "default_data_dir"]

DEV_SECRET = "dev-secret-change-me"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("talentbridge", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALENTBRIDGE_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production; production refuses the default secret."
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the SQLite database, indexes and model caches (default: the user's data dir).",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/talentbridge.sqlite3. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/dbname.",
    )
    secret_key: str = Field(DEV_SECRET, description="Key that signs session cookies and CSRF tokens.")
    echo_sql: bool = Field(False, description="Log every SQL statement (debugging).")
    page_size_default: int = Field(50, ge=1, le=1000, description="Default page size of list endpoints.")
    page_size_max: int = Field(500, ge=1, le=10000, description="Largest page size a client may ask for.")
    max_text_chars: int = Field(100_000, ge=1000, description="Longest résumé or job text accepted, in characters.")
    max_request_bytes: int = Field(
        10_000_000,
        ge=1024,
        description="Largest request body accepted, in bytes (default 10 MB); larger bodies get 413 before they are "
        "read in full, parsed or authenticated.",
    )
    sqlite_busy_timeout: float = Field(
        30.0,
        ge=0,
        le=600,
        description="Seconds a SQLite write waits for another writer's lock before failing (busy timeout).",
    )
    default_language: Literal["ko", "en"] = Field("ko", description="Language of pages when the user has not chosen.")
    model_cache_dir: Path | None = Field(
        None, description="Folder for cached model outputs such as taxonomy embeddings (default: <data_dir>/cache)."
    )
    infer_skills: bool = Field(
        True, description="Extract skills from text when talents or openings arrive without explicit skills."
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("TALENTBRIDGE_SECRET_KEY must be set in production")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'talentbridge.sqlite3'}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "indexes"

    @property
    def cache_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "cache"


def build_settings(**overrides: object) -> Settings:
    """Build settings from the environment plus ``overrides``; a bad value raises ConfigurationError."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigurationError(f"invalid settings: {exc.errors(include_url=False)}") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (built once, on first use)."""
    return build_settings()
