"""PBL team formation: hard constraints hold, coverage when possible, honest bounds, complete validation."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.cli import main
from talentbridge.domain.errors import InstanceInvalid
from talentbridge.programs import form_teams


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
