"""Maximum-welfare assignment: optimal by brute force, feasible, at least as good as the stable matching."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from talentbridge.programs import solve

from ._helpers import Market, instances

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def welfare(market: Market, assignments):  # type: ignore[no-untyped-def]
    return sum(market.score.get((a, p), 0.0) for a, p in assignments.items() if p is not None)


@SETTINGS
@given(instances(max_applicants=5, max_programs=3, regions=True, scores=True, max_capacity=2))
def test_optimal_by_brute_force(instance):  # type: ignore[no-untyped-def]
    result = solve(instance, "max-welfare")
    market = Market(instance)
    market.check_feasible(result["assignments"], caps=True)
    best = max(welfare(market, mt) for mt in market.all_matchings() if _within_caps(market, mt))
    assert abs(welfare(market, result["assignments"]) - best) < 1e-9
    assert abs(result["diagnostics"]["total_score"] - best) < 1e-6


def _within_caps(market: Market, mt) -> bool:  # type: ignore[no-untyped-def]
    try:
        market.check_feasible(mt, caps=True)
    except AssertionError:
        return False
    return True


@SETTINGS
@given(instances(max_applicants=40, max_programs=8, regions=True, scores=True, secondment=True))
def test_feasible_and_no_worse_than_the_stable_reference(instance):  # type: ignore[no-untyped-def]
    result = solve(instance, "max-welfare")
    market = Market(instance)
    market.check_feasible(result["assignments"], caps=True)
    diagnostics = result["diagnostics"]
    reference = diagnostics["stable_reference"]
    assert reference["mechanism"] == (
        "flexible-da" if any(r["cap"] is not None for r in instance["regions"]) else "da"
    )
    assert diagnostics["total_score"] >= reference["total_score"] - 1e-9
    targets = diagnostics["targets"]
    assert diagnostics["blocking_pairs"] == len(market.blocking_pairs(result["assignments"], True, targets))


def test_welfare_beats_stability_and_reports_the_blocking_pair():
    instance = {
        "applicants": [{"id": "a", "preferences": ["x", "y"]}, {"id": "b", "preferences": ["x"]}],
        "programs": [
            {"id": "x", "capacity": 1, "preferences": ["a", "b"], "scores": {"a": 10, "b": 60}},
            {"id": "y", "capacity": 1, "preferences": ["a"], "scores": {"a": 50}},
        ],
    }
    stable = solve(instance, "da")
    assert stable["assignments"] == {"a": "x", "b": None}
    best = solve(instance, "max-welfare")
    assert best["assignments"] == {"a": "y", "b": "x"}
    assert best["diagnostics"]["total_score"] == 110
    assert best["diagnostics"]["blocking_pairs"] == 1  # (a, x): a prefers x, x prefers a to b
    assert best["diagnostics"]["stable_reference"]["total_score"] == 10
