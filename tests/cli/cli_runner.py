"""Run the real ``talentbridge`` entry point in-process (CLI tests)."""

from __future__ import annotations

from talentbridge.cli import main


def run_cli(argv: list[str]) -> int:
    """Run ``talentbridge ARGV`` in-process; the exit code."""
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
