"""PBL team formation: hard constraints hold, coverage when possible, honest bounds, complete validation."""

from __future__ import annotations

import itertools
import json
import math
import random
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from talentbridge.cli import main
from talentbridge.domain.errors import InstanceInvalid
from talentbridge.programs import form_teams
from talentbridge.programs import teams as teams_module
from talentbridge.programs._teams_instance import parse_teams
from talentbridge.programs._teams_scoring import TeamState
from talentbridge.programs._teams_search import flow_start


def cohort(n: int, m: int, size: int, seed: int, cap: int | None = 2) -> dict:
    rnd = random.Random(seed)
    skills = ["python", "ml", "vision", "plc", "data", "cloud"]
    projects = [
        {"id": f"pr{j}", "must_have": {s: rnd.randint(1, 3) for s in rnd.sample(skills, 2)}} for j in range(m)
    ]
    learners = [
        {
            "id": f"l{i}",
            "institution": f"u{rnd.randint(0, 3)}",
            "skills": {s: rnd.randint(1, 4) for s in rnd.sample(skills, rnd.randint(1, 3))},
            "preferences": rnd.sample([p["id"] for p in projects], min(m, 3)),
        }
        for i in range(n)
    ]
    return {
        "team_size": size,
        "max_per_institution": cap,
        "learners": learners,
        "projects": projects,
        "seed": seed,
    }


def check_hard_constraints(instance: dict, result: dict) -> None:
    learners = {x["id"]: x for x in instance["learners"]}
    assert sorted(result["assignments"]) == sorted(learners)
    seen = set()
    size = instance["team_size"]
    lo, hi = (size, size) if isinstance(size, int) else (size["min"], size["max"])
    for team in result["teams"]:
        assert lo <= len(team["members"]) <= hi
        assert not seen & set(team["members"])
        seen |= set(team["members"])
        for member in team["members"]:
            assert result["assignments"][member] == team["team"]
        if instance.get("max_per_institution"):
            counts = {}
            for member in team["members"]:
                inst = learners[member]["institution"]
                counts[inst] = counts.get(inst, 0) + 1
            assert max(counts.values()) <= instance["max_per_institution"]
        project = next(p for p in instance["projects"] if p["id"] == team["project"])
        uncovered = [
            s
            for s, lvl in project["must_have"].items()
            if not any(learners[m]["skills"].get(s, 0) >= lvl for m in team["members"])
        ]
        assert uncovered == team["uncovered"]
    d = result["diagnostics"]
    assert d["uncovered_skills"] == sum(len(t["uncovered"]) for t in result["teams"])
    assert d["bound"] >= d["objective"] - 1e-6
    if d["bound"] > 0:
        assert d["gap"] == pytest.approx((d["bound"] - d["objective"]) / d["bound"], abs=1e-4)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4), st.sampled_from([2, 3]), st.integers(0, 10_000))
def test_hard_constraints_hold_on_random_cohorts(m, size, seed):  # type: ignore[no-untyped-def]
    instance = cohort(m * size, m, size, seed)
    counts = {}
    for x in instance["learners"]:
        counts[x["institution"]] = counts.get(x["institution"], 0) + 1
    if max(counts.values()) > 2 * m:
        with pytest.raises(InstanceInvalid):
            form_teams(instance, time_limit=2)
        return
    check_hard_constraints(instance, form_teams(instance, time_limit=2))


def _points(instance: dict, assignment: dict[str, str]) -> int:
    longest = max(len(x["preferences"]) for x in instance["learners"])
    return sum(
        longest - x["preferences"].index(assignment[x["id"]])
        for x in instance["learners"]
        if assignment[x["id"]] in x["preferences"]
    )


def test_optimal_on_a_tiny_cohort_by_brute_force():
    instance = cohort(6, 3, 2, seed=5, cap=None)
    instance["balance_penalty"] = 0
    instance["coverage_penalty"] = 100  # coverage first, then preferences
    result = form_teams(instance, time_limit=3)
    best = None
    ids = [x["id"] for x in instance["learners"]]
    learners = {x["id"]: x for x in instance["learners"]}
    for perm in itertools.permutations(ids):
        teams = {f"pr{j}": perm[2 * j : 2 * j + 2] for j in range(3)}
        uncovered = sum(
            1
            for p in instance["projects"]
            for s, lvl in p["must_have"].items()
            if not any(learners[m]["skills"].get(s, 0) >= lvl for m in teams[p["id"]])
        )
        coverable = sum(
            1
            for p in instance["projects"]
            for s, lvl in p["must_have"].items()
            if any(x["skills"].get(s, 0) >= lvl for x in instance["learners"])
        )
        total = sum(len(p["must_have"]) for p in instance["projects"])
        value = _points(instance, {m: p for p, ms in teams.items() for m in ms}) - 100 * (
            uncovered - (total - coverable)
        )
        best = value if best is None else max(best, value)
    assert result["diagnostics"]["objective"] == pytest.approx(best)
    check_hard_constraints(instance, result)


def test_must_have_skills_are_covered_when_possible():
    instance = {
        "team_size": 2,
        "learners": [
            {"id": "kim", "skills": {"plc": 3}, "preferences": ["vision"]},
            {"id": "lee", "skills": {"python": 4}, "preferences": ["vision"]},
            {"id": "park", "skills": {"vision": 4}, "preferences": ["vision"]},
            {"id": "choi", "skills": {"python": 2}, "preferences": ["vision"]},
        ],
        "projects": [
            {"id": "vision", "must_have": {"vision": 3, "python": 3}},
            {"id": "factory", "must_have": {"plc": 2}},
        ],
    }
    result = form_teams(instance, time_limit=2)
    assert result["assignments"] == {"kim": "factory", "lee": "vision", "park": "vision", "choi": "factory"}
    assert result["diagnostics"]["uncovered_skills"] == 0


def test_several_teams_per_project_and_flexible_sizes():
    instance = cohort(11, 2, 3, seed=1, cap=None)
    instance["projects"][0]["teams"] = 2
    instance["team_size"] = {"min": 3, "max": 4}
    result = form_teams(instance, time_limit=2)
    assert sorted(t["team"] for t in result["teams"]) == ["pr0#1", "pr0#2", "pr1"]
    check_hard_constraints(instance, result)


def test_every_problem_is_listed():
    bad = {
        "team_size": 0,
        "max_per_institution": -1,
        "learners": [{"id": "a", "skills": {"python": -1}, "preferences": ["nope"]}, {"id": "a"}],
        "projects": [{"id": "p", "must_have": {"python": 0}, "teams": 0}],
    }
    with pytest.raises(InstanceInvalid) as info:
        form_teams(bad)
    locs = {p.loc for p in info.value.problems}
    assert {
        ("team_size",),
        ("max_per_institution",),
        ("learners", 0, "skills"),
        ("learners", 0, "preferences", 0),
        ("learners", 1, "id"),
        ("projects", 0, "must_have"),
        ("projects", 0, "teams"),
    } <= locs


def test_sizes_that_cannot_be_met_are_reported():
    with pytest.raises(InstanceInvalid) as info:
        form_teams(cohort(7, 2, 3, seed=0))
    assert [p.loc for p in info.value.problems] == [("team_size",)]


def test_form_teams_cli(tmp_path):
    src, out = tmp_path / "teams.json", tmp_path / "result.json"
    src.write_text(json.dumps(cohort(6, 2, 3, seed=2, cap=None)))
    main(["programs", "form-teams", "--input", str(src), "--output", str(out), "--time-limit", "2"])
    result = json.loads(out.read_text())
    assert len(result["teams"]) == 2 and len(result["assignments"]) == 6


# --- bounds: the LP relaxation (large instances) and the full MIP (small ones) never cut off the optimum ---


def _objective(instance: dict, assignment: dict[str, str]) -> float:
    """The documented objective, computed independently of the solver (balance rounded up to 1/100)."""
    learners = instance["learners"]
    longest = max(len(x["preferences"]) for x in learners)
    cov = instance.get("coverage_penalty", 10)
    bal = instance.get("balance_penalty", 1)
    tol = instance.get("balance_tolerance", 0.2)
    strength = {x["id"]: x.get("strength", sum(x["skills"].values())) for x in learners}
    mean = sum(strength.values()) / len(learners)
    total = 100 * sum(
        longest - x["preferences"].index(assignment[x["id"]])
        for x in learners
        if assignment[x["id"]] in x["preferences"]
    )
    for p in instance["projects"]:
        members = [x for x in learners if assignment[x["id"]] == p["id"]]
        for s, lvl in p["must_have"].items():
            coverable = any(x["skills"].get(s, 0) >= lvl for x in learners)
            if coverable and not any(x["skills"].get(s, 0) >= lvl for x in members):
                total -= round(cov * 100)
        team_strength = sum(strength[x["id"]] for x in members)
        lo, hi = mean * len(members) * (1 - tol), mean * len(members) * (1 + tol)
        outside = max(0.0, lo - team_strength, team_strength - hi)
        total -= math.ceil(outside * round(bal * 100) - 1e-9)
    return total / 100


def _brute_force(instance: dict) -> float | None:
    """Best objective over every assignment that respects sizes and the institution cap (None: none)."""
    ids = [x["id"] for x in instance["learners"]]
    inst = {x["id"]: x.get("institution") for x in instance["learners"]}
    size = instance["team_size"]
    cap = instance.get("max_per_institution")
    projects = [p["id"] for p in instance["projects"]]
    best = None
    seen = set()
    for perm in itertools.permutations(ids):
        teams = tuple(frozenset(perm[size * j : size * j + size]) for j in range(len(projects)))
        if teams in seen:
            continue
        seen.add(teams)
        if cap is not None and any(
            max(sum(1 for m in team if inst[m] == u) for u in {inst[m] for m in team}) > cap for team in teams
        ):
            continue
        value = _objective(instance, {m: projects[j] for j, team in enumerate(teams) for m in team})
        best = value if best is None else max(best, value)
    return best


def tiny(m: int, size: int, seed: int, cap: int | None) -> dict:
    instance = cohort(m * size, m, size, seed, cap=cap)
    rnd = random.Random(seed)
    instance["balance_tolerance"] = rnd.choice([0.0, 0.05, 0.2])
    instance["balance_penalty"] = rnd.choice([0, 0.5, 1, 3])
    instance["coverage_penalty"] = rnd.choice([1, 2.5, 10])
    for x in instance["learners"]:
        if rnd.random() < 0.5:
            x["strength"] = rnd.randint(0, 20)
        x["preferences"] = x["preferences"][: rnd.randint(0, len(x["preferences"]))]
    return instance


tiny_cases = st.tuples(
    st.sampled_from([(2, 2), (3, 2), (2, 3)]), st.integers(0, 10_000), st.sampled_from([None, 1, 2])
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_cases)
def test_lp_bound_is_at_least_the_brute_force_optimum(case):  # type: ignore[no-untyped-def]
    from talentbridge.programs._teams_bound import lp_bound, mip_improve

    (m, size), seed, cap = case
    instance = tiny(m, size, seed, cap)
    best = _brute_force(instance)
    if best is None:  # the caps cannot be met (the instance is rejected or reported infeasible)
        return
    x = parse_teams(instance)
    state = TeamState(x, flow_start(x)[0])
    bound, values = lp_bound(x, state.coverable, state.mean, 10.0)
    assert bound is not None and values is not None
    assert bound >= best - 1e-9
    assert values.sum() == pytest.approx(len(instance["learners"]))
    everything = {i: list(range(m)) for i in range(m * size)}
    assignment, mip_bound = mip_improve(x, state.coverable, state.mean, everything, 10.0)
    assert mip_bound is not None and best - 1e-9 <= mip_bound <= bound + 1e-9
    assert assignment is not None
    found = {x.learner_ids[i]: x.project_ids[x.team_project[t]] for i, t in assignment.items()}
    assert _objective(instance, found) == pytest.approx(best)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_cases, st.sampled_from(["full-mip", "lp", "relaxation"]))
@example(((2, 3), 976, None), "relaxation")  # the balance band rounded to nearest made this bound too low
def test_reported_bound_covers_the_optimum_on_every_path(case, path):  # type: ignore[no-untyped-def]
    """Whichever bound is used (full MIP, LP relaxation + restricted MIP, or the CP-SAT relaxation thread),
    bound >= brute-force optimum >= objective, and the objective is that of the returned teams."""
    (m, size), seed, cap = case
    instance = tiny(m, size, seed, cap)
    best = _brute_force(instance)
    if best is None:
        return
    limits = {"full-mip": (10**9, 10**9), "lp": (0, 10**9), "relaxation": (0, 0)}[path]
    with (
        mock.patch.object(teams_module, "_FULL_MIP_PAIRS", limits[0]),
        mock.patch.object(teams_module, "_LP_PAIRS", limits[1]),
    ):
        result = form_teams(instance, time_limit=3, stop_gap=0.0)
    check_hard_constraints(instance, result)
    d = result["diagnostics"]
    assert d["objective"] == pytest.approx(_objective(instance, {m: t for m, t in result["assignments"].items()}))
    assert d["bound"] >= best - 1e-9 >= d["objective"] - 2e-9
    if path == "full-mip":
        assert d["bounds"]["mip"] is not None and d["objective"] == pytest.approx(best)
    if path == "lp":
        assert d["bounds"]["lp"] is not None and d["bounds"]["lp"] >= best - 1e-9
