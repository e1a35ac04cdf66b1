"""``talentbridge privacy``: a talent's personal data — export it, erase it, apply the retention limits.

talentbridge privacy export --talent EXTERNAL_ID --output FILE
talentbridge privacy erase --talent EXTERNAL_ID --yes
talentbridge privacy retention [--dry-run]
talentbridge privacy reapply     (after a restore: erase again everyone the erasure ledger names)
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from talentbridge.cli._common import open_database

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command()
def export(
    talent: str = typer.Option(..., "--talent", help="External id of the talent."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON file to write (UTF-8)."),
) -> None:
    """Write everything held about one talent as JSON (profile, skills, applications, placements, notifications,
    consents, audit entries about them). The export itself is recorded in the audit log."""
    from talentbridge.services.privacy_erase import find_talent
    from talentbridge.services.privacy_export import export_talent, write_export

    db = open_database(check=True)
    with db.session(write=True) as session:
        found = find_talent(session, external_id=talent)
        doc = export_talent(session, found, actor_role="operator")
    write_export(doc, output)
    counts = ", ".join(f"{n} {t}" for t, n in doc["counts"].items()) or "no other records"
    console.print(f"[green]Wrote {output}[/]: profile and {counts}.", highlight=False)


@app.command()
def erase(
    talent: str = typer.Option(..., "--talent", help="External id of the talent."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: the erasure cannot be undone."),
) -> None:
    """Erase one talent's personal data for good; anonymised placements and round results stay (see
    docs/privacy.md). Without --yes nothing happens."""
    from talentbridge.config import get_settings
    from talentbridge.domain.errors import InvalidState
    from talentbridge.services.privacy_erase import erase as erase_talent

    if not yes:
        raise InvalidState(f"erasing talent {talent!r} cannot be undone: add --yes to confirm")
    db = open_database(check=True)
    result = erase_talent(get_settings(), db, external_id=talent, reason="request", actor_role="operator")
    console.print(f"[green]Erased[/] talent {talent} → {result.anonymous_id}", highlight=False)
    for name, n in sorted(result.deleted.items()):
        console.print(f"  deleted {n} row(s) of {name}", highlight=False)
    for name, n in sorted(result.scrubbed.items()):
        console.print(f"  anonymised {n} row(s) of {name}", highlight=False)
    for path in result.files:
        console.print(f"  removed file {path}", highlight=False)
    console.print(f"  storage: {result.storage}", highlight=False)
    if result.residue:
        for table, column, rows in result.residue:
            console.print(f"[red]  still found in {table}.{column} ({rows} rows)[/]", highlight=False)
        raise SystemExit(1)


@app.command()
def retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would be anonymised."),
) -> None:
    """Apply the retention limits (TALENTBRIDGE_PRIVACY_*_DAYS): erase inactive talents, blank personal details
    of rounds closed long ago, remove old client addresses from the audit log. Meant for a daily scheduler."""
    from talentbridge.config import get_settings
    from talentbridge.services.privacy_retention import apply

    settings = get_settings()
    db = open_database(check=True)
    p = apply(settings, db, dry_run=dry_run)
    verb = "would" if dry_run else "did"

    def limit(days: int, before: object) -> str:
        return f"older than {days} days (before {before:%Y-%m-%d})" if before else "off (0 days)"  # type: ignore[str-format]

    console.print(f"Retention limits at {p.now:%Y-%m-%d %H:%M} UTC ({'dry run' if dry_run else 'applied'}):")
    console.print(
        f"  inactive talents {limit(settings.privacy_inactive_days, p.inactive_before)}: {verb} erase "
        f"{len(p.talents)}" + (f" (ids {', '.join(map(str, p.talents[:20]))}{' …' if len(p.talents) > 20 else ''})"
                               if p.talents else ""),
        highlight=False,
    )  # fmt: skip
    console.print(
        f"  closed rounds {limit(settings.privacy_round_days, p.rounds_before)}: {verb} blank personal details of "
        f"{len(p.rounds)}" + (f" (rounds {', '.join(map(str, p.rounds))})" if p.rounds else ""),
        highlight=False,
    )
    if p.round_rows:
        console.print("    " + ", ".join(f"{n} {t}" for t, n in sorted(p.round_rows.items())), highlight=False)
    console.print(
        f"  audit addresses {limit(settings.privacy_audit_address_days, p.addresses_before)}: {verb} remove "
        f"{p.addresses}",
        highlight=False,
    )


@app.command()
def reapply() -> None:
    """Erase again everyone the erasure ledger names (``talentbridge restore`` does it; run this after a
    ``db upgrade`` that followed the restore of an older backup)."""
    from talentbridge.config import get_settings
    from talentbridge.services.privacy_ledger import reapply as reapply_ledger

    db = open_database(check=True)
    result = reapply_ledger(get_settings(), db)
    print_reapplied(result)


def print_reapplied(result: object) -> None:
    erased, accounts = getattr(result, "erased", []), getattr(result, "accounts", [])
    mismatched = getattr(result, "mismatched", [])
    console.print(f"Erasure ledger: {len(erased)} talent(s) and {len(accounts)} account(s) erased again, "
                  f"{getattr(result, 'already', 0)} already erased.", highlight=False)
    if mismatched:
        console.print(f"[yellow]{len(mismatched)} ledger entr(ies) name a row made at another time (another "
                      "installation's backup?): not applied.[/]", highlight=False)
