"""The Rich tables of ``talentbridge rounds run`` and ``rounds show``: a round's runs, and one run's diagnostics,
rank distribution and regional caps, from the dicts that ``RoundService.review`` and ``run_detail`` return
(:mod:`talentbridge.services.rounds`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["print_run", "print_runs"]


def print_runs(runs: list[dict[str, Any]], console: Console) -> None:
    """The table of a round's runs (``rounds show``)."""
    from rich.table import Table

    table = Table(title="Runs", header_style="bold")
    for col in (
        "run",
        "mechanism",
        "proposing",
        "seed",
        "placed",
        "unmatched",
        "blocking pairs",
        "by",
        "at",
        "published",
    ):
        table.add_column(col)
    for r in runs:
        s = r["summary"]
        table.add_row(
            str(r["run_id"]),
            r["mechanism"],
            r["proposing"],
            str(r["seed"]),
            str(s.get("placed")),
            str(s.get("unmatched")),
            str(s.get("blocking_pairs")),
            r["created_by"] or "",
            (r["created_at"] or "")[:19],
            "yes" if r["published_at"] else "",
        )
    console.print(table)


def print_run(detail: dict[str, Any], console: Console) -> None:
    """A run's diagnostics, rank distribution and regional caps (``rounds run``, ``rounds show``)."""
    from rich.table import Table

    d, s = detail["diagnostics"], detail["summary"]
    table = Table(
        title=f"Run {detail['run_id']}: {detail['mechanism']} ({detail['proposing']} proposing), "
        f"seed {detail['seed']}",
        header_style="bold",
    )
    table.add_column("diagnostic")
    table.add_column("value", justify="right")
    for label, value in (
        ("participants", s.get("participants")),
        ("seats", s.get("seats")),
        ("placed", d.get("placed")),
        ("unmatched", d.get("unmatched")),
        ("empty seats", d.get("empty_seats")),
        ("blocking pairs", d.get("blocking_pairs")),
        ("blocking pairs ignoring caps", d.get("blocking_pairs_ignoring_caps")),
        ("total fit score", d.get("total_score")),
        ("input hash", detail["input_hash"][:12]),
    ):
        table.add_row(label, str(value))
    for reason, count in (d.get("unmatched_by_reason") or {}).items():
        table.add_row(f"unmatched: {reason}", str(count))
    for reason, count in (d.get("excluded_pairs") or {}).items():
        if count:
            table.add_row(f"excluded pairs: {reason}", str(count))
    console.print(table)
    ranks = Table(title="Rank distribution (talents' choices)", header_style="bold")
    ranks.add_column("choice")
    ranks.add_column("talents", justify="right")
    placed = max(1, int(d.get("placed") or 0))
    ranks.add_column("share", justify="right")
    for rank, count in sorted((d.get("rank_distribution") or {}).items(), key=lambda kv: int(kv[0])):
        ranks.add_row(rank, str(count), f"{100 * count / placed:.0f}%")
    console.print(ranks)
    if d.get("regions"):
        regions = Table(title="Regional caps", header_style="bold")
        for col in ("region", "cap", "placed", "seats", "over cap"):
            regions.add_column(col)
        for rid, r in d["regions"].items():
            regions.add_row(
                rid, str(r.get("cap")), str(r.get("placed")), str(r.get("seats")), str(r.get("over_cap"))
            )
        console.print(regions)
