"""``talentbridge doctor``: which models, indexes and caches are active, and what is missing.

Also ``warn_missing_models(console)``: the loud warning other commands print on stderr when a model of the
default configuration is not installed (the product then runs on a weaker fallback).
"""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["app", "command", "SINGLE_COMMAND", "warn_missing_models", "encode_labels_with_progress"]

app = typer.Typer()
SINGLE_COMMAND = True

_STYLE = {
    "active": "green",
    "built": "green",
    "off": "dim",
    "missing": "bold red",
    "corrupt": "bold red",
    "not_built": "yellow",
    "empty": "yellow",
}


def warn_missing_models(console: Console | None = None) -> list[str]:
    """Print one warning line on stderr per configured model that is not installed; returns the lines."""
    from talentbridge.config import get_settings
    from talentbridge.services.readiness import missing_models

    lines = missing_models(get_settings())
    if lines:
        err = console if console is not None and console.stderr else Console(stderr=True)
        for line in lines:
            err.print(f"[bold yellow]warning: model missing[/] — {line}", highlight=False)
        err.print("[bold yellow]warning:[/] run `talentbridge doctor` for details", highlight=False)
    return lines


def encode_labels_with_progress(console: Console) -> None:
    """Encode the active taxonomy's labels for the default model with a progress bar (``db upgrade``,
    ``taxonomy import-esco``), after warning about a missing model."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from talentbridge.config import get_settings
    from talentbridge.services.label_encodings import precompute_label_encodings

    if warn_missing_models():
        return  # nothing to encode with: the warning says what to install
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("encoding taxonomy labels", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        entry = precompute_label_encodings(get_settings(), progress=progress)
    console.print(
        f"Taxonomy labels encoded for {entry['encoder']} ({entry['source']} taxonomy, "
        f"{len(entry['files'])} cached file(s), {entry['seconds']:.1f} s).",
        highlight=False,
    )


def command(
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
    verify: bool = typer.Option(True, "--verify/--no-verify", help="Check the model files' SHA-256 (about 1 s)."),
) -> None:
    """List which models, indexes and caches are active and what is missing (exit 1 when a model is missing)."""
    from talentbridge.config import get_settings
    from talentbridge.services.readiness import model_checks, store_checks
    from talentbridge.skills.encoder import available_encoders

    settings = get_settings()
    checks = model_checks(settings, verify=verify) + store_checks(settings)
    encoders = available_encoders()
    default = "minilm" if "minilm" in encoders else "none (lexical only)"
    broken = [c for c in checks if c.kind == "model" and c.status in ("missing", "corrupt")]
    if as_json:
        data = {
            "default_encoder": default,
            "data_dir": str(settings.data_dir),
            "database": settings.sqlalchemy_url.split("@")[-1],
            "checks": [c.as_dict() for c in checks],
            "ok": not broken,
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        console = Console()
        table = Table(title="TalentBridge doctor", show_header=True, expand=False)
        for column in ("kind", "name", "status", "used for", "source / details"):
            table.add_column(column, overflow="fold")
        for c in checks:
            style = _STYLE.get(c.status, "")
            status = f"[{style}]{c.status}[/]" if style else c.status
            details = " — ".join(p for p in (c.source, c.detail) if p)
            table.add_row(c.kind, c.name, status, c.used_for, details)
        console.print(table)
        console.print(f"Default encoder: [bold]{default}[/]; data in {settings.data_dir}", highlight=False)
        if broken:
            console.print(
                f"[bold red]{len(broken)} model(s) missing or corrupt[/]: the product runs on weaker fallbacks.",
                highlight=False,
            )
    if broken:
        raise SystemExit(1)  # typer.Exit would be swallowed by main()'s standalone_mode=False
