"""``talentbridge skills extract`` and ``talentbridge skills normalize-titles``.

The taxonomy is the database's when it is migrated and holds one, else the built-in AI taxonomy. The input is
read and validated completely before anything is computed; the output is written to a temporary file and moved
into place at the end, so a failed run leaves no partial output.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Extract skills from text and normalize job titles.")

ENCODER_HELP = "Sentence encoder: minilm (default), use, hashing, or none (lexical matching only)."


def _services(encoder: str):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from talentbridge.config import get_settings
    from talentbridge.services.skill_extraction import get_skill_services

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task("embedding taxonomy labels (first run only)", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        services = get_skill_services(get_settings(), encoder=encoder, progress=update)
    if encoder in ("minilm", "auto"):
        from talentbridge.cli.doctor import warn_missing_models

        warn_missing_models(console)
    console.print(
        f"taxonomy: {services.source} ({len(services.taxonomy.skills):,} skills, "
        f"{len(services.taxonomy.occupations):,} occupations); encoder: {services.encoder_id or 'none'}",
        highlight=False,
    )
    return services, console


def _workers_option(items: str):  # type: ignore[no-untyped-def]
    """The ``--workers`` option of the commands that rank batches of ``items`` in threads."""
    return typer.Option(
        1,
        "--workers",
        "-w",
        min=1,
        max=64,
        help=f"Threads sharing each batch of {items}. 2 on a 2-core machine with OPENBLAS_NUM_THREADS=1 is fastest.",
    )


def _batches(items: list, size: int = 64):  # type: ignore[no-untyped-def,type-arg]
    for i in range(0, len(items), size):
        yield items[i : i + size]


@app.command("extract")
def extract(
    input: Path = typer.Option(..., "--input", "-i", help=".txt (one text per line), .csv or .jsonl file."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON Lines output: one {row, skills} per text."),
    column: str = typer.Option("text", "--column", "-c", help="CSV column or JSON key holding the text."),
    top: int = typer.Option(
        10,
        "--top",
        "-k",
        min=1,
        max=1000,
        help="Skills per text. Every skill the text names outright (via explicit) is listed first, even beyond "
        "this number; it bounds only the inferred ones.",
    ),
    encoder: str = typer.Option("minilm", "--encoder", help=ENCODER_HELP),
    workers: int = _workers_option("texts"),
) -> None:
    """Extract ranked skills from each text: {"row", "skills": [{uri, label, score, spans, via}]}; explicit
    mentions first (via "explicit"), then inferred ones (via "semantic")."""
    from rich.progress import track

    from talentbridge.skills.inputs import read_texts

    texts = read_texts(input, column)
    services, console = _services(encoder)
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            for batch in track(list(_batches(texts)), description="extracting", console=console, transient=True):
                results = services.extractor.extract_many([t.text for t in batch], top=top, workers=workers)
                for item, skills in zip(batch, results, strict=True):
                    record = {"row": item.row, "skills": [s.as_dict() for s in skills]}
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    console.print(f"{len(texts):,} texts → {output}", highlight=False)


@app.command("normalize-titles")
def normalize_titles(
    input: Path = typer.Option(..., "--input", "-i", help=".txt (one title per line), .csv or .jsonl file."),
    output: Path = typer.Option(..., "--output", "-o", help="CSV output: row, rank, occupation_uri, label, score."),
    column: str = typer.Option("title", "--column", "-c", help="CSV column or JSON key holding the title."),
    top: int = typer.Option(5, "--top", "-k", min=1, max=100, help="Occupations per title."),
    encoder: str = typer.Option("minilm", "--encoder", help=ENCODER_HELP),
    workers: int = _workers_option("titles"),
) -> None:
    """Map job titles (Korean or English) to ranked occupations."""
    from rich.progress import track

    from talentbridge.skills.inputs import read_texts

    titles = read_texts(input, column)
    services, console = _services(encoder)
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row", "rank", "occupation_uri", "label", "score"])
            for batch in track(
                list(_batches(titles, 1024)), description="normalizing", console=console, transient=True
            ):
                results = services.normalizer.normalize([t.text for t in batch], top=top, workers=workers)
                for item, matches in zip(batch, results, strict=True):
                    for rank, m in enumerate(matches, start=1):
                        writer.writerow([item.row, rank, m.uri, m.label, f"{m.score:.4f}"])
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    console.print(f"{len(titles):,} titles → {output}", highlight=False)
