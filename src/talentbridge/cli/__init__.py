"""The ``talentbridge`` command: one Typer app assembled from one module per command group.

Each module ``cli/<group>.py`` defines ``app = typer.Typer(...)``; ``GROUPS`` below lists them. Commands are thin:
they parse arguments, call a service or core function, and print with Rich. Any ``TalentBridgeError`` becomes
one red line and a non-zero exit (a traceback only with ``--debug``).
"""

from __future__ import annotations

import importlib
import sys

import typer

__all__ = ["main", "build_app"]

# (module under talentbridge.cli, command group name, help). Add one line per group.
GROUPS: list[tuple[str, str, str]] = [
    ("db", "db", "Create and migrate the database."),
    ("demo", "demo", "Generate a realistic synthetic Korean dataset."),
    ("serve", "serve", "Serve the web application and API."),
    ("data", "import", "Import organizations, talents, openings or the status survey (CSV, JSON Lines, XLSX)."),
    ("export", "export", "Export organizations, talents or openings."),
    ("programs", "programs", "Cohort programs: solve matching instances, form PBL teams, run rounds."),
    ("skills", "skills", "Extract skills from text and normalize job titles."),
    ("taxonomy", "taxonomy", "Skill taxonomy: built-in AI taxonomy and ESCO import."),
    ("rounds", "rounds", "Matching rounds of a programme: openings, preferences, run, review, publish."),
    ("recommend", "recommend", "Recommend talent for openings and openings for talent."),
    ("audit", "audit", "Fairness audits of recommendations."),
    ("users", "users", "User accounts and roles."),
    ("upskill", "upskill", "Upskilling: plan learning paths over a course catalogue."),
    ("courses", "courses", "Course catalogue: import KDT, JCRec or CSV courses; skill gaps; training plans."),
    ("training_plan", "training-plan", "Saved training plans of an organization: create, list, show, export."),
    ("support", "support", "Hiring subsidies, research grants, stock-option tax rules and visas: screen and list rules."),
    ("mail", "mail", "E-mail outbox: list messages, retry failed ones."),
    ("backup", "backup", "Back up the whole database (SQLite file or pg_dump archive)."),
    ("restore", "restore", "Replace the database with a backup made by `talentbridge backup`."),
    ("privacy", "privacy", "Personal data of a talent: export, erase, retention limits (PIPA)."),
    ("doctor", "doctor", "Which models, indexes and caches are active, and what is missing."),
    ("report", "report", "Programme reports (XLSX, printable HTML, PDF) and status analytics."),
    ("worker", "worker", "Run queued jobs from the broker (TALENTBRIDGE_QUEUE_URL)."),
    ("jobs", "jobs", "Background jobs: submit, list, show, cancel."),
    ("aiact", "aiact", "AI Basic Act: run records and documentation packs per round or period."),
]

_state = {"debug": False}


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="talentbridge",
        help="TalentBridge: AI talent for AI startups and manufacturing AI companies.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback()
    def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
        _state["debug"] = debug

    for module_name, group, help_text in GROUPS:
        try:
            module = importlib.import_module(f"talentbridge.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"talentbridge.cli.{module_name}":
                continue  # group not built yet
            raise
        sub = module.app
        if getattr(module, "SINGLE_COMMAND", False):
            app.command(group, help=help_text)(module.command)
        else:
            app.add_typer(sub, name=group, help=help_text)
    return app


def main(argv: list[str] | None = None) -> None:
    """Console entry point: runs the app and turns TalentBridgeError into one red line and exit code 1."""
    from rich.console import Console

    from talentbridge.domain.errors import TalentBridgeError, ValidationFailed

    app = build_app()
    try:
        app(args=argv, standalone_mode=False)
    except TalentBridgeError as exc:
        if _state["debug"]:
            raise
        err = Console(stderr=True)
        err.print(f"[bold red]error:[/] {exc.message}", highlight=False, markup=True)
        if isinstance(exc, ValidationFailed):
            for problem in exc.problems[:200]:
                err.print(f"  - {problem}", markup=False, highlight=False)
            if len(exc.problems) > 200:
                err.print(f"  ... and {len(exc.problems) - 200} more", markup=False)
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:  # click's own usage errors etc.
        usage_errors, aborts = _click_exception_classes()
        if isinstance(exc, usage_errors):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if isinstance(exc, aborts):
            sys.exit(1)
        raise
    finally:
        from talentbridge.cli._common import close_databases

        close_databases()


def _click_exception_classes() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """Usage-error and abort classes of click and of the copy of click that newer Typer releases vendor
    (``typer._click``, whose exceptions are not click's): a bad option value must print a usage error, exit 2."""
    usage: list[type] = []
    aborts: list[type] = [c for c in (getattr(typer, "Abort", None),) if c is not None]
    for name in ("click.exceptions", "typer._click.exceptions"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        usage += [c for c in (getattr(module, "ClickException", None),) if c is not None]
        aborts += [c for c in (getattr(module, "Abort", None),) if c is not None]
    return tuple(usage), tuple(aborts)
