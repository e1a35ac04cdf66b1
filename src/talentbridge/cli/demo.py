"""``talentbridge demo [--talents N] [--orgs M] [--seed S]``: fill the database with a synthetic Korean dataset.

Organizations (AI startups in Seoul, Pangyo and Daejeon; manufacturers in Ulsan, Changwon, Gumi, Pohang, Asan;
large-enterprise groups; universities, institutes, agencies), talent with Korean and foreign names, education,
careers and skills, openings of every kind and four programmes. Deterministic for a seed; records are upserted by
external id, so running it again updates instead of duplicating. See docs/demo.md.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

__all__ = ["app", "command", "SINGLE_COMMAND"]

app = typer.Typer()
SINGLE_COMMAND = True


def command(
    talents: Annotated[int, typer.Option("--talents", min=0, help="Number of talent profiles.")] = 2000,
    orgs: Annotated[int, typer.Option("--orgs", min=0, help="Number of organizations.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same data.")] = 42,
    openings: Annotated[
        int | None,
        typer.Option("--openings", min=0, help="Number of openings (default about 2.8 per organization)."),
    ] = None,
    accounts: Annotated[
        bool,
        typer.Option("--accounts/--no-accounts", help="Create one user account per role (demo passwords)."),
    ] = True,
    upgrade: Annotated[
        bool, typer.Option("--upgrade/--no-upgrade", help="Create or migrate the schema first if needed.")
    ] = True,
    encode_labels: Annotated[
        bool,
        typer.Option(
            "--encode-labels/--no-encode-labels",
            help="Encode the taxonomy's labels now if they are not yet (as `db upgrade` does), so that `serve` does "
            "not spend its first minutes on it.",
        ),
    ] = True,
) -> None:
    """Generate a realistic synthetic Korean dataset and store it (deterministic for --seed)."""
    from talentbridge.cli._common import open_database
    from talentbridge.demo import (
        default_opening_count,
        generate_organizations,
        generate_programs,
        iter_openings,
        iter_talents,
    )
    from talentbridge.services.demo_store import store_demo

    console = Console()  # made per run: it reads the terminal's width now, not when the module was imported
    started = time.perf_counter()
    db = open_database(check=not upgrade)
    if upgrade:
        from talentbridge.domain.errors import DatabaseNotReady

        try:
            db.check_ready()
        except DatabaseNotReady as exc:
            if "head" not in exc.details:  # unreachable, not merely behind: report it
                raise
            with console.status(f"Migrating {db.safe_url} ..."):
                db.upgrade("heads")
    organizations = generate_organizations(orgs, seed)
    n_openings = default_opening_count(organizations) if openings is None else openings
    if not organizations:
        n_openings = 0
    # validate=False: the generator's records are checked by its tests; skipping pydantic halves the time
    talent_batches = iter_talents(
        talents, seed, chunk=5000, organizations=organizations or None, validate=False
    )
    opening_batches = iter_openings(n_openings, seed, organizations, chunk=5000, validate=False)

    with Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks = {
            "organizations": bar.add_task("Organizations", total=len(organizations)),
            "talents": bar.add_task("Talents", total=talents),
            "openings": bar.add_task("Openings", total=n_openings),
        }

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage in tasks:
                bar.update(tasks[stage], completed=done)

        counts = store_demo(
            db,
            organizations=organizations,
            talent_batches=talent_batches,
            opening_batches=opening_batches,
            programs=generate_programs(seed),
            progress=progress,
        )
    created_accounts = _demo_accounts(db) if accounts else []
    elapsed = time.perf_counter() - started

    console.print(f"Demo data (seed {seed}) stored in {db.safe_url}", highlight=False, soft_wrap=True)
    table = Table()
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    if created_accounts:
        users = Table(title="Demo accounts", title_justify="left")
        for header in ("role", "email", "password"):
            users.add_column(header)
        for role, email, password in created_accounts:
            users.add_row(role, email, password)
        console.print(users)
    from talentbridge.config import get_settings

    if encode_labels:
        _encode_labels_if_needed(console)
    console.print(
        f"[green]Done in {elapsed:.1f} s.[/] Run `talentbridge serve` and open http://127.0.0.1:{get_settings().port}",
        highlight=False,
        soft_wrap=True,
    )


def _demo_accounts(db: object) -> list[tuple[str, str, str]]:
    """One user per role, when the accounts module is installed (``talentbridge.services.accounts``)."""
    try:
        from talentbridge.services.accounts import create_demo_accounts
    except ImportError:  # accounts not installed in this build: nothing to create
        return []
    with db.session() as session:  # type: ignore[attr-defined]
        return create_demo_accounts(session)


def _encode_labels_if_needed(console: Console) -> None:
    """A database the demo created (or migrated) has a taxonomy whose labels nobody encoded yet: without this, the
    first ``serve`` (every worker process of it) would spend minutes encoding them in the background."""
    from talentbridge.cli.doctor import encode_labels_with_progress
    from talentbridge.config import get_settings
    from talentbridge.services.label_encodings import label_encoding_status

    if any(check.status == "not_built" for check in label_encoding_status(get_settings())):
        encode_labels_with_progress(console)
