"""``talentbridge taxonomy``: ESCO import, counts and label search over the skill taxonomy."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from talentbridge.cli._common import open_database

app = typer.Typer(no_args_is_help=True)


def _console() -> Console:
    """A console per command: its width is read from the terminal (``COLUMNS``) when the command runs, not when
    this module was first imported."""
    return Console()


@app.command("import-esco")
def import_esco_command(
    paths: list[Path] = typer.Argument(
        ...,
        help="The ESCO CSV download: the classification zip and the relations zip (or unpacked folders).",
    ),
    encode_labels: bool = typer.Option(
        True,
        "--encode-labels/--no-encode-labels",
        help="Encode the new taxonomy's labels for the default model now (minutes for ESCO, with a progress bar; "
        "cached on disk by model and taxonomy version), so that no request pays for it.",
    ),
) -> None:
    """Import ESCO (skills, occupations, labels, relations) and merge it with the built-in AI taxonomy.

    Download ESCO from https://esco.ec.europa.eu/en/use-esco/download (format CSV, language English,
    "classification" and "relations"). Re-importing a newer release updates concepts in place.
    """
    from talentbridge.services.taxonomy import import_esco

    console = _console()
    db = open_database()
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=max(total, done) or None)

        with db.session() as session:
            stats = import_esco(session, [str(p) for p in paths], progress=progress)
    elapsed = time.perf_counter() - started

    c = stats.counts
    console.print(
        f"[green]Imported ESCO in {elapsed:.1f} s[/]: {stats.esco_skills:,} skills, "
        f"{stats.esco_occupations:,} occupations, {stats.occupation_skill_relations:,} occupation–skill "
        f"relations, {stats.skill_skill_relations:,} skill–skill relations."
    )
    kept = ""
    if stats.kept_skills or stats.kept_occupations:
        kept = f", kept from earlier releases {stats.kept_skills:,} / {stats.kept_occupations:,}"
    console.print(
        f"Linked to the built-in taxonomy: {stats.linked_builtin_skills} skills, "
        f"{stats.linked_builtin_occupations} occupations. New {stats.added_skills:,} skills / "
        f"{stats.added_occupations:,} occupations, updated {stats.updated_skills:,} / "
        f"{stats.updated_occupations:,}{kept}."
    )
    console.print(f"The taxonomy now has {c.skills:,} skills and {c.occupations:,} occupations.")
    if stats.skipped_references:
        console.print(
            f"[yellow]Skipped {stats.skipped_references} relation(s) to concepts not in the download[/] "
            f"(e.g. {stats.skipped_examples[0]})."
        )
    if stats.unmatched_builtin_uris:
        console.print(
            f"[yellow]{len(stats.unmatched_builtin_uris)} ESCO URI(s) of built-in concepts are not in this "
            f"release[/] (e.g. {stats.unmatched_builtin_uris[0]})."
        )
    if encode_labels:
        from talentbridge.cli.doctor import encode_labels_with_progress

        encode_labels_with_progress(console)


@app.command()
def stats() -> None:
    """Count skills, occupations, labels and relations; show the last ESCO import."""
    console = _console()
    from talentbridge.services.taxonomy_browser import taxonomy_overview

    db = open_database()
    with db.session() as session:
        counts, last = taxonomy_overview(session)
    table = Table(title="Skill taxonomy", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in counts.items():
        table.add_row(name.replace("_", " "), f"{value:,}")
    console.print(table)
    if last:
        console.print(f"Last ESCO import: {last.get('imported_at')} ({last.get('seconds')} s).")
    else:
        console.print("ESCO not imported: only the built-in AI taxonomy (see `talentbridge taxonomy import-esco`).")


@app.command()
def search(
    query: str = typer.Argument(..., help="Text to find in English or Korean labels (preferred or alternative)."),
    occupations: bool = typer.Option(False, "--occupations", "-o", help="Search occupations instead of skills."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500, help="Rows to show."),
    page: int = typer.Option(1, "--page", min=1, help="Page of results (1-based)."),
) -> None:
    """Find skills (or occupations) by label."""
    console = _console()
    from talentbridge.services.taxonomy_browser import occupation_page, skill_page

    db = open_database()
    with db.session() as session:
        result = (occupation_page if occupations else skill_page)(session, query, page=page, size=limit)
    kind = "occupations" if occupations else "skills"
    table = Table(title=f"{result['total']:,} {kind} matching {query!r} (page {result['page']}/{result['pages']})")
    table.add_column("id", overflow="fold")
    table.add_column("English")
    table.add_column("한국어")
    table.add_column("ISCO" if occupations else "type")
    table.add_column("source")
    for item in result["items"]:
        extra = item["isco_code"] if occupations else item["type"]
        source = "built-in" + (" + ESCO" if item["esco_uri"] else "") if item["builtin"] else "ESCO"
        table.add_row(item["id"], item["label_en"], item["label_ko"], extra, source)
    console.print(table)


@app.command("add-alias")
def add_alias_command(
    skill: str = typer.Argument(..., help="Skill id or URI (see `taxonomy search`)."),
    alias: str = typer.Argument(..., help="The new label as people write it, e.g. 텐서플로우 or k8s."),
    lang: str = typer.Option("", "--lang", help="en or ko (default: guessed from the script)."),
) -> None:
    """Add an alias to a skill: skill extraction finds it as an explicit mention from then on.

    Stored apart from the taxonomy tables, so ESCO re-imports keep it. Servers sharing Redis or PostgreSQL with
    this command drop their cached taxonomy when it commits (the change bus); a server on the SQLite quick start
    picks it up after a restart (the operator's aliases page changes the server's own copy at once).
    """
    from talentbridge.services.skill_aliases import add_alias
    from talentbridge.services.taxonomy import load_taxonomy

    console = _console()
    db = open_database()
    with db.session() as session:
        taxonomy = load_taxonomy(session)
        added = add_alias(session, taxonomy, skill, alias, lang or None, actor="cli")
    skill_row = taxonomy.skills.get(added.skill_id)
    label = skill_row.label_en if skill_row else added.skill_id
    console.print(f"[green]Added[/] {added.alias!r} ({added.lang}) to {label} [{added.skill_id}].")
    if added.also_label_of:
        console.print(f"[yellow]Also a label of[/] {', '.join(added.also_label_of)}: both will be suggested.")


@app.command("remove-alias")
def remove_alias_command(
    alias_id: int = typer.Argument(..., help="The alias's id (the first column of `taxonomy aliases`)."),
) -> None:
    """Remove an alias an operator added: skill extraction stops finding it. Skills already stored stay."""
    from talentbridge.services.skill_aliases import remove_alias

    console = _console()
    db = open_database()
    with db.session() as session:
        removed = remove_alias(session, alias_id)
    console.print(f"[green]Removed[/] {removed.alias!r} ({removed.lang}) from [{removed.skill_id}].")


@app.command("aliases")
def aliases_command(
    skill: str = typer.Option("", "--skill", help="Only the aliases of this skill id."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=500, help="Rows to show."),
    page: int = typer.Option(1, "--page", min=1, help="Page (1-based)."),
) -> None:
    """List the aliases operators added, newest first."""
    from talentbridge.services.skill_aliases import list_aliases

    console = _console()
    db = open_database()
    with db.session() as session:
        items, total = list_aliases(session, skill or None, page, limit)
    table = Table(title=f"{total:,} operator aliases")
    for column in ("id", "skill", "alias", "lang", "added by", "added"):
        table.add_column(column, overflow="fold")
    for a in items:
        added = a.created_at.isoformat(timespec="seconds") if a.created_at else ""
        table.add_row(str(a.id), a.skill_id, a.alias, a.lang, a.created_by, added)
    console.print(table)
