"""``talentbridge mail``: the e-mail outbox — list what was (or would have been) sent, retry failed messages."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from talentbridge.cli._common import open_database

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command()
def outbox(limit: int = typer.Option(20, min=1, max=1000, help="How many of the newest messages to list.")) -> None:
    """List the newest e-mails with their status (sent, failed, pending, or outbox when no SMTP is set)."""
    from talentbridge.services.mail import list_outbox

    db = open_database(check=True)
    try:
        with db.session() as session:
            rows, total = list_outbox(session, size=limit)
    finally:
        db.dispose()
    table = Table(title=f"{total} e-mail(s)", title_justify="left")
    for header in ("id", "created", "to", "subject", "status"):
        table.add_column(header)
    for r in rows:
        status = r.status + (f" ({r.error})" if r.error else "")
        table.add_row(str(r.id), f"{r.created_at:%Y-%m-%d %H:%M}" if r.created_at else "", r.to_address,
                      r.subject, status)  # fmt: skip
    console.print(table)


@app.command()
def deliver() -> None:
    """Send pending and failed e-mails through the configured SMTP server (TALENTBRIDGE_SMTP_HOST)."""
    from talentbridge.config import get_settings
    from talentbridge.domain.errors import ConfigurationError
    from talentbridge.services.mail import deliver_pending, smtp_configured

    settings = get_settings()
    if not smtp_configured(settings):
        raise ConfigurationError("no SMTP server configured: set TALENTBRIDGE_SMTP_HOST (docs/configuration.md)")
    db = open_database(check=True)
    try:
        counts = deliver_pending(db.engine, settings)
    finally:
        db.dispose()
    console.print(f"[green]{counts['sent']} sent[/], {counts['failed']} failed.", highlight=False)
