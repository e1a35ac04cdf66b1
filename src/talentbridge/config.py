"""Settings: one pydantic-settings ``Settings`` built by ``get_settings()``, never at import time.

Every setting is read from the environment with the ``TALENTBRIDGE_`` prefix (or a ``.env`` file in the working
directory). ``docs/configuration.md`` documents each one; a test checks that it does.

The secret that signs session cookies never has a default anyone could know: production refuses to start without
``TALENTBRIDGE_SECRET_KEY``, so does ``serve`` on an address other machines can reach (``require_secret_for_host``),
and development on the loopback address makes a random key once and keeps it in ``<data_dir>/secret_key``
(``session_secret``).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from talentbridge.domain.errors import ConfigurationError

__all__ = [
    "Settings",
    "get_settings",
    "default_data_dir",
    "session_secret",
    "require_secret_for_host",
    "is_loopback_host",
]

#: The key older versions used by default: published, so never accepted.
DEV_SECRET = "dev-secret-change-me"
MIN_SECRET_CHARS = 32
SECRET_FILE = "secret_key"
MAKE_SECRET_HINT = (
    "set TALENTBRIDGE_SECRET_KEY (environment or .env) to a random value of at least "
    f"{MIN_SECRET_CHARS} characters, e.g. "
    "export TALENTBRIDGE_SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')\""
)


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
    secret_key: str | None = Field(
        None,
        description="Key that signs session cookies and CSRF tokens (at least 32 characters). Required in production "
        "and to serve on a non-loopback address; in development a random key is made once and kept in "
        "<data_dir>/secret_key (mode 0600).",
        repr=False,
    )
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
    login_max_failures_per_account: int = Field(
        10, ge=1, le=10_000, description="Failed sign-ins an account may have within the window before 429."
    )
    login_max_failures_per_address: int = Field(
        50, ge=1, le=100_000, description="Failed sign-ins one client address may have within the window before 429."
    )
    login_failure_window_seconds: int = Field(
        900, ge=1, le=86_400, description="Length of the sliding window the sign-in failures are counted in."
    )
    login_max_concurrent_hashes: int = Field(
        4, ge=1, le=256, description="Password hashes (argon2, 64 MiB each) computed at once per process; more wait."
    )
    port: int = Field(8000, ge=1, le=65535, description="Port `talentbridge serve` listens on (and the demo prints).")
    public_url: str | None = Field(
        None, description="Address people reach the app at, for links in e-mails (default http://127.0.0.1:<port>)."
    )
    smtp_host: str | None = Field(None, description="SMTP server for e-mail; unset: e-mails go to the outbox only.")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP server port (587 with STARTTLS, 25 plain).")
    smtp_user: str | None = Field(None, description="SMTP user name (unset: no login).")
    smtp_password: str | None = Field(None, description="SMTP password.")
    smtp_from: str = Field("TalentBridge <no-reply@talentbridge.local>", description="From address of e-mails.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS before sending.")
    queue_url: str | None = Field(
        None,
        description="Broker of the job queue (Redis, e.g. redis://127.0.0.1:6379/0); `talentbridge worker` runs the "
        "jobs. Unset or empty: jobs run in a thread pool inside the process that submits them (`serve`, the CLI).",
    )
    web_threads: int = Field(
        40,
        ge=1,
        le=256,
        description="Worker threads of each web process for the work of sync endpoints (database, ranking): "
        "the requests one process works on at once; the others wait in its event loop.",
    )
    job_threads: int = Field(
        2, ge=1, le=64, description="Jobs one process runs at once (a `talentbridge worker`, or `serve` in-process)."
    )
    job_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="CPU priority step a `talentbridge worker` process takes at start (Unix `nice`): background jobs "
        "(imports, re-indexing, reports) yield the CPU to the web workers answering people. 0: same priority.",
    )
    job_busy_duty: float = Field(
        0.25,
        gt=0,
        le=1,
        description="Share of the time a background job works while the machine's CPUs are more than 85% busy: it "
        "pauses between its steps for the rest, and so does the database's work for it (an import's inserts), "
        "leaving the cores to the web workers. 1: never pause. An idle machine never pauses a job.",
    )
    job_heartbeat_seconds: float = Field(
        5.0, gt=0, le=600, description="How often a running job tells the jobs table its worker is alive."
    )
    job_stale_seconds: float = Field(
        60.0,
        gt=0,
        le=86_400,
        description="A running job whose worker has not sent a heartbeat for this long is taken over and run again; "
        "a queued job not started for this long is put on the queue again.",
    )
    job_max_attempts: int = Field(
        3, ge=1, le=100, description="Runs a job gets when its workers keep dying; then it is marked failed."
    )
    nightly_hour: int = Field(
        18,
        ge=0,
        le=23,
        description="Hour (UTC) from which `talentbridge worker --beat` or `talentbridge jobs "
        "schedule` submits the day's nightly jobs (retention limits, follow-up reminders); 18 UTC is 03:00 in Korea.",
    )

    privacy_inactive_days: int = Field(
        1095,
        ge=0,
        le=36_500,
        description="Days without a sign-in or a profile change after which `talentbridge privacy retention` erases a "
        "talent's personal data (anonymised records stay; 0: never).",
    )
    privacy_round_days: int = Field(
        1825,
        ge=0,
        le=36_500,
        description="Days after a round closes (is published) after which `talentbridge privacy retention` blanks the "
        "personal details in its records: who submitted rankings, notes on its applications and placements (0: never).",
    )
    privacy_audit_address_days: int = Field(
        365,
        ge=0,
        le=36_500,
        description="Days after which `talentbridge privacy retention` removes the client addresses (IP) from audit "
        "log entries; the entries themselves stay (0: never).",
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production":
            problem = _secret_problem(self.secret_key)
            if problem:
                raise ValueError(f"TALENTBRIDGE_SECRET_KEY {problem} in production: {MAKE_SECRET_HINT}")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'talentbridge.sqlite3'}"

    @property
    def base_url(self) -> str:
        """Where links in e-mails point: ``public_url`` or the local server."""
        return (self.public_url or f"http://127.0.0.1:{self.port}").rstrip("/")

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


# -- the session secret -----------------------------------------------------------------------------------------


def _secret_problem(secret: str | None) -> str | None:
    """Why ``secret`` cannot sign sessions that matter (None when it can)."""
    if not secret:
        return "must be set"
    if secret == DEV_SECRET:
        return "is the published development default"
    if len(secret) < MIN_SECRET_CHARS:
        return f"is shorter than {MIN_SECRET_CHARS} characters"
    return None


@lru_cache(maxsize=1)
def _test_secret() -> str:
    return secrets.token_urlsafe(48)


def session_secret(settings: Settings) -> str:
    """The key that signs this application's session cookies.

    ``TALENTBRIDGE_SECRET_KEY`` when set (production guarantees it is). Otherwise tests get a random key per process
    and development one random key per data dir, made on first use and kept in ``<data_dir>/secret_key`` with mode
    0600, so sessions survive a restart but nobody can forge them with a key from the source code.
    """
    if settings.secret_key and settings.secret_key != DEV_SECRET:
        return settings.secret_key
    if settings.environment == "test":
        return _test_secret()
    if settings.environment == "production":  # unreachable through build_settings; kept as a last guard
        raise ConfigurationError(f"TALENTBRIDGE_SECRET_KEY must be set in production: {MAKE_SECRET_HINT}")
    return _persisted_secret(settings.data_dir / SECRET_FILE)


def _persisted_secret(path: Path) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: when two processes start at once, one writes and the other reads what it wrote.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            os.chmod(path, 0o600)  # tighten a copy made with a looser mode
            secret = path.read_text(encoding="utf-8").strip()
            if _secret_problem(secret):
                raise ConfigurationError(
                    f"{path} does not hold a usable session key ({_secret_problem(secret)}); delete it and start "
                    "again to make a new one (everyone is signed out)"
                ) from None
            return secret
        secret = secrets.token_urlsafe(48)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secret + "\n")
        return secret
    except OSError as exc:
        raise ConfigurationError(
            f"cannot keep the development session key in {path} ({exc.strerror}); {MAKE_SECRET_HINT}"
        ) from exc


def is_loopback_host(host: str) -> bool:
    """True when ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # another host name may resolve to any interface


def require_secret_for_host(settings: Settings, host: str) -> None:
    """Refuse to serve on an address other machines can reach without a real ``TALENTBRIDGE_SECRET_KEY``."""
    if is_loopback_host(host):
        return
    problem = _secret_problem(settings.secret_key)
    if problem:
        raise ConfigurationError(
            f"refusing to serve on {host}, which other machines can reach: TALENTBRIDGE_SECRET_KEY {problem}. "
            f"{MAKE_SECRET_HINT} (or serve on 127.0.0.1)"
        )
