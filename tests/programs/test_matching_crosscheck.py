"""Cross-check against the reference implementation in the ``matching`` package (v1.4.3, dev dependency)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.programs import solve

from ._helpers import instances, large_instances

matching_games = pytest.importorskip("matching.games")


def reference(instance: dict[str, Any], optimal: str) -> dict[str, str | None]:
    """Solve with ``matching``'s HospitalResident. It needs mutually consistent lists, so keep only pairs
    that rank each other (the same acceptability rule as ours). Programs without seats and applicants with
    nothing left are left out: ``matching`` fails on them (IndexError in ``get_favourite``)."""
    prog_lists = {p["id"]: p["preferences"] for p in instance["programs"] if p["capacity"] > 0}
    resident_prefs = {
        a["id"]: [p for p in a["preferences"] if p in prog_lists and a["id"] in prog_lists[p]]
        for a in instance["applicants"]
    }
    resident_prefs = {a: lst for a, lst in resident_prefs.items() if lst}
    hospital_prefs = {
        pid: [a for a in lst if pid in resident_prefs.get(a, ())] for pid, lst in prog_lists.items()
    }
    capacities = {p["id"]: p["capacity"] for p in instance["programs"] if p["capacity"] > 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = matching_games.HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities, clean=True
        )
        solution = game.solve(optimal=optimal)
    out: dict[str, str | None] = {a["id"]: None for a in instance["applicants"]}
    for hospital, residents in solution.items():
        for resident in residents:
            out[resident.name] = hospital.name
    return out


CHECK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECK
@given(instances(max_applicants=25, max_programs=8, max_capacity=4), st.sampled_from(["applicants", "programs"]))
def test_identical_to_matching_package(instance, proposing):  # type: ignore[no-untyped-def]
    optimal = "resident" if proposing == "applicants" else "hospital"
    assert solve(instance, "da", proposing)["assignments"] == reference(instance, optimal)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(large_instances(max_applicants=300), st.sampled_from(["applicants", "programs"]))
def test_identical_to_matching_package_hundreds(instance, proposing):  # type: ignore[no-untyped-def]
    optimal = "resident" if proposing == "applicants" else "hospital"
    assert solve(instance, "da", proposing)["assignments"] == reference(instance, optimal)
