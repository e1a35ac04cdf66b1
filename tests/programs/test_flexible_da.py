"""Flexible deferred acceptance (Kamada & Kojima 2015): caps, constrained stability, strategy-proofness."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.programs import solve
from talentbridge.programs.flexible_da import region_choice

from ._helpers import Market, instances, large_instances

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances(max_applicants=40, max_programs=8, regions=True, ties=True, secondment=True))
def test_caps_respected_and_stable_in_the_constrained_sense(instance):  # type: ignore[no-untyped-def]
    result = solve(instance, "flexible-da")
    market = Market(instance, result["tie_breaking"].get("lottery"))
    market.check_feasible(result["assignments"], caps=True)
    targets = result["diagnostics"]["targets"]
    assert market.blocking_pairs(result["assignments"], caps=True, targets=targets) == []
    diagnostics = result["diagnostics"]
    assert diagnostics["blocking_pairs"] == 0
    assert diagnostics["blocking_pairs_ignoring_caps"] == len(market.blocking_pairs(result["assignments"]))
    for region in diagnostics["regions"].values():
        assert region["cap"] is None or region["placed"] <= region["cap"]
        assert region["over_cap"] == 0
        assert region["cap"] is None or region["target"] <= region["cap"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(large_instances(regions=True))
def test_caps_and_constrained_stability_with_hundreds(instance):  # type: ignore[no-untyped-def]
    result = solve(instance, "flexible-da")
    market = Market(instance)
    market.check_feasible(result["assignments"], caps=True)
    targets = result["diagnostics"]["targets"]
    assert market.blocking_pairs(result["assignments"], caps=True, targets=targets) == []


@SETTINGS
@given(instances(max_applicants=30, max_programs=6, ties=True))
def test_without_caps_it_is_deferred_acceptance(instance):  # type: ignore[no-untyped-def]
    assert solve(instance, "flexible-da")["assignments"] == solve(instance, "da")["assignments"]


@SETTINGS
@given(instances(max_applicants=12, max_programs=5, regions=True), st.randoms(use_true_random=False))
def test_truthful_reporting_cannot_help_an_applicant(instance, rnd):  # type: ignore[no-untyped-def]
    if not instance["applicants"]:
        return
    truthful = solve(instance, "flexible-da")
    market = Market(instance)
    programs = [p["id"] for p in instance["programs"]]
    for _ in range(5):
        liar = rnd.choice(instance["applicants"])["id"]
        lie = copy.deepcopy(instance)
        next(a for a in lie["applicants"] if a["id"] == liar)["preferences"] = rnd.sample(
            programs, rnd.randint(0, len(programs))
        )
        got = solve(lie, "flexible-da")["assignments"][liar]
        true_rank = market.app_rank(liar, got) if got in market.app_list[liar] else float("inf")
        assert true_rank >= market.app_rank(liar, truthful["assignments"][liar])


def test_region_choice_fills_targets_then_round_robin():
    cands = [[(r, r, r) for r in range(5)], [(r, r, r) for r in range(5)], [(0, 0, 0)]]
    # targets 1,1,0; cap 5 -> 2 spare seats handed out one at a time in program order,
    # then the third takes one
    assert region_choice(cands, [5, 5, 5], [1, 1, 0], 5) == [2, 2, 1]
    assert region_choice(cands, [5, 5, 5], [1, 1, 0], 2) == [1, 1, 0]
    assert region_choice(cands, [1, 5, 5], [1, 1, 0], 10) == [1, 5, 1]


def test_capital_cap_steers_secondees_to_regional_programs():
    # Everyone prefers the capital; the cap lets only two in and the rest go to the regional manufacturer.
    instance = {
        "applicants": [{"id": f"a{i}", "preferences": ["seoul", "ulsan"]} for i in range(5)],
        "programs": [
            {"id": "seoul", "capacity": 5, "region": "capital", "preferences": [f"a{i}" for i in range(5)]},
            {"id": "ulsan", "capacity": 5, "region": "south", "preferences": [f"a{i}" for i in range(5)]},
        ],
        "regions": [{"id": "capital", "cap": 2}, {"id": "south", "cap": None}],
    }
    da = solve(instance, "da")
    assert da["diagnostics"]["regions"]["capital"]["over_cap"] == 3
    flex = solve(instance, "flexible-da")
    assert flex["programs"] == {"seoul": ["a0", "a1"], "ulsan": ["a2", "a3", "a4"]}
    assert flex["diagnostics"]["blocking_pairs"] == 0
    assert flex["diagnostics"]["blocking_pairs_ignoring_caps"] == 3
    assert flex["diagnostics"]["regions"]["capital"] == {
        "cap": 2,
        "placed": 2,
        "seats": 5,
        "target": 2,
        "over_cap": 0,
    }
