"""Deferred acceptance: stability, capacities, optimality and strategy-proofness on random instances."""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.programs import solve
from talentbridge.programs._instance import parse_instance
from talentbridge.programs.deferred_acceptance import applicant_proposing, program_proposing

from ._helpers import Market, instances, large_instances

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _lottery(result):  # type: ignore[no-untyped-def]
    return result["tie_breaking"].get("lottery")


@SETTINGS
@given(
    instances(max_applicants=60, max_programs=12, ties=True, secondment=True),
    st.sampled_from(["applicants", "programs"]),
)
def test_da_is_stable_and_feasible(instance, proposing):  # type: ignore[no-untyped-def]
    result = solve(instance, "da", proposing)
    market = Market(instance, _lottery(result))
    market.check_feasible(result["assignments"], caps=False)
    assert market.blocking_pairs(result["assignments"]) == []
    assert result["diagnostics"]["blocking_pairs"] == 0
    placed = sum(p is not None for p in result["assignments"].values())
    assert result["diagnostics"]["placed"] == placed
    assert result["diagnostics"]["unmatched"] == len(instance["applicants"]) - placed
    seats = sum(p["capacity"] for p in instance["programs"])
    assert result["diagnostics"]["empty_seats"] == seats - placed
    assert sum(result["diagnostics"]["rank_distribution"].values()) == placed
    for pid, members in result["programs"].items():
        assert all(result["assignments"][a] == pid for a in members)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(large_instances())
def test_da_is_stable_with_hundreds_of_applicants(instance):  # type: ignore[no-untyped-def]
    result = solve(instance, "da")
    market = Market(instance)
    market.check_feasible(result["assignments"], caps=False)
    assert market.blocking_pairs(result["assignments"]) == []


@SETTINGS
@given(instances(max_applicants=5, max_programs=3, ties=True, max_capacity=2))
def test_applicant_proposing_is_applicant_optimal_by_brute_force(instance):  # type: ignore[no-untyped-def]
    a_res = solve(instance, "da", "applicants")
    p_res = solve(instance, "da", "programs")
    market = Market(instance, _lottery(a_res))
    stable = [mt for mt in market.all_matchings() if not market.blocking_pairs(mt)]
    assert stable, "every instance has a stable matching"
    best = a_res["assignments"]
    worst = p_res["assignments"]
    assert best in stable and worst in stable
    for mt in stable:
        for a in market.app_list:
            # applicant-optimal: weakly better than every stable matching;
            # program-proposing is applicant-pessimal
            assert market.app_rank(a, best[a]) <= market.app_rank(a, mt[a])
            assert market.app_rank(a, worst[a]) >= market.app_rank(a, mt[a])


@SETTINGS
@given(instances(max_applicants=14, max_programs=5, ties=True), st.randoms(use_true_random=False))
def test_truthful_reporting_cannot_help_an_applicant(instance, rnd):  # type: ignore[no-untyped-def]
    if not instance["applicants"]:
        return
    truthful = solve(instance, "da")
    market = Market(instance, _lottery(truthful))
    programs = [p["id"] for p in instance["programs"]]
    for _ in range(6):
        liar = rnd.choice(instance["applicants"])["id"]
        lie = copy.deepcopy(instance)
        fake = rnd.sample(programs, rnd.randint(0, len(programs)))
        next(a for a in lie["applicants"] if a["id"] == liar)["preferences"] = fake
        got = solve(lie, "da")["assignments"][liar]
        # judged by the true preferences; the lottery depends only on the seed, so ties break the same way
        true_rank = market.app_rank(liar, got) if got in market.app_list[liar] else float("inf")
        assert true_rank >= market.app_rank(liar, truthful["assignments"][liar])


@settings(max_examples=40, deadline=None)
@given(instances(max_applicants=40, max_programs=8, ties=True), st.sampled_from(["applicants", "programs"]))
def test_compiled_and_python_kernels_agree(instance, proposing):  # type: ignore[no-untyped-def]
    from talentbridge.programs._jit import numba_available

    # The test extras install numba: without it this would compare the Python kernel with itself.
    assert numba_available(), "numba is in the dev extra; install it (pip install -e '.[dev]')"
    x = parse_instance(instance)
    run = applicant_proposing if proposing == "applicants" else program_proposing
    fast = run(x.app_ptr, x.app_prog, x.app_prank, x.capacity)
    from talentbridge.programs import deferred_acceptance as da

    inner = da._applicant_proposing if proposing == "applicants" else da._program_proposing
    assert inner._compiled is not None  # the compiled kernel ran
    slow = run(x.app_ptr, x.app_prog, x.app_prank, x.capacity, jit=False)
    np.testing.assert_array_equal(fast, slow)


def test_textbook_example_gale_shapley():
    # Roth & Sotomayor (1990), Example 2.15-style: three residents, two hospitals.
    instance = {
        "applicants": [
            {"id": "r1", "preferences": ["h1", "h2"]},
            {"id": "r2", "preferences": ["h1", "h2"]},
            {"id": "r3", "preferences": ["h1"]},
        ],
        "programs": [
            {"id": "h1", "capacity": 1, "preferences": ["r3", "r2", "r1"]},
            {"id": "h2", "capacity": 2, "preferences": ["r1", "r2"]},
        ],
    }
    result = solve(instance)
    assert result["assignments"] == {"r1": "h2", "r2": "h2", "r3": "h1"}
    assert result["programs"] == {"h1": ["r3"], "h2": ["r1", "r2"]}
    assert result["diagnostics"]["rank_distribution"] == {"1": 1, "2": 2}


def test_applicant_and_program_optimal_differ_on_the_classic_cycle():
    # Two applicants, two programs with crossed preferences: two stable matchings.
    instance = {
        "applicants": [{"id": "a", "preferences": ["x", "y"]}, {"id": "b", "preferences": ["y", "x"]}],
        "programs": [
            {"id": "x", "capacity": 1, "preferences": ["b", "a"]},
            {"id": "y", "capacity": 1, "preferences": ["a", "b"]},
        ],
    }
    assert solve(instance, proposing="applicants")["assignments"] == {"a": "x", "b": "y"}
    assert solve(instance, proposing="programs")["assignments"] == {"a": "y", "b": "x"}


def test_ties_are_broken_by_the_recorded_seeded_lottery():
    instance = {
        "applicants": [{"id": f"a{i}", "preferences": ["p"]} for i in range(6)],
        "programs": [{"id": "p", "capacity": 2, "preferences": [[f"a{i}" for i in range(6)]]}],
        "seed": 7,
    }
    first = solve(instance)
    again = solve(instance)
    assert first == again
    lottery = first["tie_breaking"]["lottery"]
    assert first["tie_breaking"]["seed"] == 7 and first["tie_breaking"]["tied_groups"] == 1
    assert first["programs"]["p"] == lottery[:2]
    seeds = {tuple(solve({**instance, "seed": s})["programs"]["p"]) for s in range(20)}
    assert len(seeds) > 1


def test_large_random_market_compiled_matches_python():
    rnd = random.Random(3)
    n, m = 500, 40
    instance = {
        "applicants": [
            {"id": f"a{i}", "preferences": rnd.sample([f"p{j}" for j in range(m)], 10)} for i in range(n)
        ],
        "programs": [
            {
                "id": f"p{j}",
                "capacity": rnd.randint(0, 15),
                "preferences": rnd.sample([f"a{i}" for i in range(n)], 300),
            }
            for j in range(m)
        ],
    }
    x = parse_instance(instance)
    for run in (applicant_proposing, program_proposing):
        np.testing.assert_array_equal(
            run(x.app_ptr, x.app_prog, x.app_prank, x.capacity),
            run(x.app_ptr, x.app_prog, x.app_prank, x.capacity, jit=False),
        )
    assert Market(instance).blocking_pairs(solve(instance)["assignments"]) == []


@pytest.mark.parametrize("proposing", ["applicants", "programs"])
def test_empty_market(proposing):
    result = solve({"applicants": [], "programs": []}, proposing=proposing)
    assert result["assignments"] == {} and result["diagnostics"]["unmatched"] == 0
