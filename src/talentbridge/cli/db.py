"""``talentbridge db``: create and migrate the database."""

from __future__ import annotations

import typer
from rich.console import Console

from talentbridge.cli._common import open_database

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command()
def upgrade(
    revision: str = typer.Argument("heads", help="Target revision (default: newest of every branch)."),
    encode_labels: bool = typer.Option(
        True,
        "--encode-labels/--no-encode-labels",
        help="Encode the taxonomy's labels for the default model now (cached on disk by model and taxonomy "
        "version; seconds when nothing changed), so that the first title or text is answered without it.",
    ),
) -> None:
    """Create or migrate the schema to the newest version, load the built-in taxonomy and encode its labels."""
    db = open_database(check=False)
    with console.status(f"Migrating {db.safe_url} ..."):
        replaced = db.upgrade(revision)
    heads = (db.current_revision() or "").replace(",", ", ")
    # One line whatever the terminal width: scripts and people grep for the revision ids.
    console.print(f"[green]Database {db.safe_url} is at revision {heads}.[/]", soft_wrap=True, highlight=False)
    if replaced:
        console.print(
            "The built-in skill taxonomy was updated. Skills the AI inferred from résumés and job ads before keep "
            "the old reading until you run `talentbridge recommend infer-skills --refresh` or start \"AI skill "
            "inference for stored records\" with its refresh box on the Background jobs page (what people stated "
            "is never touched).",
            soft_wrap=True,
            highlight=False,
        )
    if encode_labels:
        from talentbridge.cli.doctor import encode_labels_with_progress

        encode_labels_with_progress(console)


@app.command()
def status() -> None:
    """Show the current and newest schema revision."""
    db = open_database(check=False)
    current, head = db.current_revision(), db.head_revision()
    state = "[green]up to date[/]" if current == head else "[yellow]needs `talentbridge db upgrade`[/]"
    console.print(f"{db.safe_url}: revision {current or '(empty)'}, newest {head} — {state}", soft_wrap=True)
