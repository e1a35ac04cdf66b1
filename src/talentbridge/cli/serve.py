"""``talentbridge serve``: run the web application and API with uvicorn (one process, or N behind one port)."""

from __future__ import annotations

import typer
from rich.console import Console

from talentbridge.cli._common import open_database

app = typer.Typer()
SINGLE_COMMAND = True


def command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int | None = typer.Option(
        None, min=1, max=65535, help="Port to listen on (default TALENTBRIDGE_PORT, else 8000)."
    ),
    workers: int = typer.Option(
        1,
        min=1,
        max=64,
        help="Web worker processes behind the one port. Every request may reach any of them: sessions, CSRF tokens "
        "and sign-outs live in the database, so use PostgreSQL for more than a few.",
    ),
    reload: bool = typer.Option(False, help="Reload on code changes (development; one process)."),
) -> None:
    """Serve the web application and the JSON API (OpenAPI at /docs)."""
    import uvicorn

    from talentbridge.config import get_settings, require_secret_for_host, session_secret
    from talentbridge.domain.errors import ValidationFailed

    if reload and workers > 1:
        raise ValidationFailed("--reload runs one process: leave out --workers, or --reload")
    settings = get_settings()
    require_secret_for_host(settings, host)
    # Made once here, before any worker starts, so that every worker signs cookies with the same key.
    session_secret(settings)
    db = open_database(check=True)
    port = port or settings.port
    from talentbridge.cli.doctor import warn_missing_models

    warn_missing_models()  # a missing model is said here, in /api/health and by `talentbridge doctor`
    processes = f", {workers} worker processes" if workers > 1 else ""
    Console().print(
        f"TalentBridge on [bold]http://{host}:{port}[/] (database {db.safe_url}{processes}); API docs at /docs",
        soft_wrap=True,
    )
    if reload or workers > 1:
        db.dispose()  # the parent only supervises; each worker opens its own pool
        # Each worker imports the ASGI module and builds its own app from the same settings (environment).
        # The health check waits long enough for a worker that warms its models while starting.
        uvicorn.run(
            "talentbridge.web.asgi:app",
            host=host,
            port=port,
            reload=reload,
            workers=None if reload else workers,
            timeout_worker_healthcheck=120,
        )
    else:
        from talentbridge.web.app import create_app

        uvicorn.run(create_app(settings, db), host=host, port=port)
