"""Cross-check against the reference implementation in the ``matching`` package (v1.4.3, dev dependency)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.programs import solve

from ._helpers import instances, large_instances

# The reference runs in a child process: ``tests/matching`` (a test package) shadows the PyPI ``matching``
# package once pytest puts ``tests/`` on sys.path, so it cannot be imported here reliably.
_REFERENCE = r"""
import json, sys, warnings
from matching.games import HospitalResident
for line in sys.stdin:
    job = json.loads(line)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            job["residents"], job["hospitals"], job["capacities"], clean=True
        )
        solution = game.solve(optimal=job["optimal"])
    out = {h.name: [r.name for r in rs] for h, rs in solution.items()}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
"""


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    import importlib.metadata

    importlib.metadata.version("matching")  # a dev dependency: missing means a broken test install, not a skip
    proc = subprocess.Popen(
        [sys.executable, "-c", _REFERENCE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path_factory.mktemp("reference"),
    )

    def run(instance: dict[str, Any], optimal: str) -> dict[str, str | None]:
        """``matching``'s HospitalResident needs mutually consistent lists, so keep only pairs that rank each
        other (our acceptability rule). Programs without seats and applicants with nothing left are left out:
        ``matching`` fails on them (IndexError in ``get_favourite``)."""
        prog_lists = {p["id"]: p["preferences"] for p in instance["programs"] if p["capacity"] > 0}
        residents = {
            a["id"]: [p for p in a["preferences"] if p in prog_lists and a["id"] in prog_lists[p]]
            for a in instance["applicants"]
        }
        residents = {a: lst for a, lst in residents.items() if lst}
        hospitals = {pid: [a for a in lst if pid in residents.get(a, ())] for pid, lst in prog_lists.items()}
        capacities = {p["id"]: p["capacity"] for p in instance["programs"] if p["capacity"] > 0}
        job = {"residents": residents, "hospitals": hospitals, "capacities": capacities, "optimal": optimal}
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(job) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        assert line, "reference process died"
        out: dict[str, str | None] = {a["id"]: None for a in instance["applicants"]}
        for hospital, members in json.loads(line).items():
            for resident in members:
                out[resident] = hospital
        return out

    yield run
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()


CHECK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@CHECK
@given(
    instances(max_applicants=25, max_programs=8, max_capacity=4), st.sampled_from(["applicants", "programs"])
)
def test_identical_to_matching_package(reference, instance, proposing):  # type: ignore[no-untyped-def]
    optimal = "resident" if proposing == "applicants" else "hospital"
    assert solve(instance, "da", proposing)["assignments"] == reference(instance, optimal)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(large_instances(max_applicants=300), st.sampled_from(["applicants", "programs"]))
def test_identical_to_matching_package_hundreds(reference, instance, proposing):  # type: ignore[no-untyped-def]
    optimal = "resident" if proposing == "applicants" else "hospital"
    assert solve(instance, "da", proposing)["assignments"] == reference(instance, optimal)
