"""Cohort programmes: matching markets (deferred acceptance and variants) and PBL team formation.

Pure functions over plain arrays and dicts; no web, SQL or CLI imports and no work at import time.

    solve(instance, mechanism="da", proposing="applicants") -> result    # docs/programs.md
    form_teams(instance, time_limit=60.0) -> result
"""

from __future__ import annotations

from typing import Any

__all__ = ["solve", "form_teams"]


def solve(instance: dict[str, Any], mechanism: str = "da", proposing: str = "applicants") -> dict[str, Any]:
    from talentbridge.programs._solve import solve as _solve

    return _solve(instance, mechanism=mechanism, proposing=proposing)


solve.__doc__ = "Solve a cohort matching instance; see :func:`talentbridge.programs._solve.solve`."


def form_teams(instance: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Form PBL teams; see :func:`talentbridge.programs.teams.form_teams`."""
    from talentbridge.programs.teams import form_teams as _form_teams

    return _form_teams(instance, **options)
