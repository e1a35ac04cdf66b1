"""``talentbridge serve``: run the web application and API with uvicorn."""

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
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the web application and the JSON API (OpenAPI at /docs)."""
    import uvicorn

    from talentbridge.config import get_settings, require_secret_for_host
    from talentbridge.web.app import create_app

    require_secret_for_host(get_settings(), host)
    db = open_database(check=True)
    port = port or get_settings().port
    from talentbridge.cli.doctor import warn_missing_models

    warn_missing_models()  # a missing model is said here, in /api/health and by `talentbridge doctor`
    Console().print(f"TalentBridge on [bold]http://{host}:{port}[/] (database {db.safe_url}); API docs at /docs")
    if reload:
        uvicorn.run("talentbridge.web.asgi:app", host=host, port=port, reload=True)
    else:
        uvicorn.run(create_app(get_settings(), db), host=host, port=port)
