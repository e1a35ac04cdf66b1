"""The learning-path planner's guarantees on random instances, checked against brute force: every path is
feasible (each course's requirements met when it starts); nothing reachable within budget is reported uncovered;
the cost equals the brute-force optimum (every subset on budgeted instances of up to 9 courses; a shortest path
over skill-level states on instances of up to 15 courses). Plus pinned examples and validation."""

from __future__ import annotations

import heapq
import random
from itertools import combinations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.domain.errors import InstanceInvalid
from talentbridge.upskilling import greedy_plan, plan

SKILLS = [f"s{i}" for i in range(6)]


def skill_list(max_size: int = 3) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.fixed_dictionaries({"skill": st.sampled_from(SKILLS), "level": st.integers(1, 3)}),
        max_size=max_size,
    )


@st.composite
def instances(draw: Any, max_courses: int = 9, budgets: bool = True) -> dict[str, Any]:
    n = draw(st.integers(0, max_courses))
    courses = [
        {
            "id": f"c{i}",
            "hours": draw(st.integers(0, 50)),
            "fee": draw(st.integers(0, 5)) * 100_000,
            "requires": draw(skill_list(2)),
            "provides": draw(skill_list(3)),
        }
        for i in range(n)
    ]
    inst: dict[str, Any] = {
        "courses": courses,
        "profile": draw(skill_list(3)),
        "target": draw(skill_list(4)),
        "objective": draw(st.sampled_from(["courses", "hours", "fee"])),
        "time_limit_s": 10,
    }
    if budgets and draw(st.booleans()):
        inst["budget"] = draw(
            st.fixed_dictionaries(
                {}, optional={"courses": st.integers(0, 4), "hours": st.integers(0, 80), "fee": st.integers(0, 800_000)}
            )
        )
    return inst


@st.composite
def dense_instances(draw: Any, max_courses: int = 15, budgets: bool = False) -> dict[str, Any]:
    """Many courses over few skills, each needing one or two and teaching two or three: prerequisite chains,
    courses that need each other (cycles) and several paths of different cost to the same targets."""
    skills = [f"k{i}" for i in range(7)]
    pairs = st.fixed_dictionaries({"skill": st.sampled_from(skills), "level": st.integers(1, 2)})
    n = draw(st.integers(8, max_courses))
    courses = [
        {
            "id": f"c{i}",
            "hours": draw(st.integers(1, 9)) * 10,
            "fee": draw(st.integers(0, 3)) * 100_000,
            "requires": draw(st.lists(pairs, min_size=0 if i < 3 else 1, max_size=2)),
            "provides": draw(st.lists(pairs, min_size=1, max_size=3)),
        }
        for i in range(n)
    ]
    inst: dict[str, Any] = {
        "courses": courses,
        "profile": [{"skill": "k0", "level": 2}],
        "target": draw(st.lists(pairs, min_size=3, max_size=5)),
        "objective": draw(st.sampled_from(["courses", "hours", "fee"])),
        "time_limit_s": 10,
    }
    if budgets:
        inst["budget"] = draw(
            st.fixed_dictionaries(
                {},
                optional={"courses": st.integers(1, 5), "hours": st.integers(0, 200), "fee": st.integers(0, 800_000)},
            )
        )
    return inst


def levels(items: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item["skill"]] = max(out.get(item["skill"], 0), item.get("level", 1))
    return out


def walk(inst: dict[str, Any], order: list[str]) -> dict[str, int] | None:
    """Take the courses in ``order``; None if one starts without its requirements."""
    by_id = {c["id"]: c for c in inst["courses"]}
    state = levels(inst["profile"])
    for cid in order:
        c = by_id[cid]
        if any(state.get(s, 0) < lv for s, lv in levels(c["requires"]).items()):
            return None
        for s, lv in levels(c["provides"]).items():
            state[s] = max(state.get(s, 0), lv)
    return state


def feasible_state(inst: dict[str, Any], subset: tuple[dict[str, Any], ...]) -> dict[str, int] | None:
    """The state after taking all of ``subset`` in some valid order, or None if no order works."""
    state = levels(inst["profile"])
    left = list(subset)
    while left:
        ready = [c for c in left if all(state.get(s, 0) >= lv for s, lv in levels(c["requires"]).items())]
        if not ready:
            return None
        for c in ready:
            for s, lv in levels(c["provides"]).items():
                state[s] = max(state.get(s, 0), lv)
            left.remove(c)
    return state


def cost_of(inst: dict[str, Any], subset: Any) -> float:
    objective = inst["objective"]
    return len(subset) if objective == "courses" else sum(c["hours" if objective == "hours" else "fee"] for c in subset)


def within(inst: dict[str, Any], subset: Any) -> bool:
    b = inst.get("budget", {})
    return (
        len(subset) <= b.get("courses", float("inf"))
        and sum(c["hours"] for c in subset) <= b.get("hours", float("inf"))
        and sum(c["fee"] for c in subset) <= b.get("fee", float("inf"))
    )


def brute_force(inst: dict[str, Any]) -> tuple[int, float, set[str]]:
    """(most targets met, least cost for that, targets reachable without a budget)."""
    target = levels(inst["target"])
    best = (-1, float("inf"))
    reachable_all: set[str] = set()
    courses = inst["courses"]
    for k in range(len(courses) + 1):
        for subset in combinations(courses, k):
            state = feasible_state(inst, subset)
            if state is None:
                continue
            met = {s for s, lv in target.items() if state.get(s, 0) >= lv}
            reachable_all |= met
            if not within(inst, subset):
                continue
            key = (len(met), -cost_of(inst, subset))
            if key > (best[0], -best[1]):
                best = (len(met), cost_of(inst, subset))
    return best[0], best[1], reachable_all


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=st.one_of(instances(), dense_instances(max_courses=10, budgets=True)))
def test_plans_are_feasible_complete_and_optimal(inst: dict[str, Any]) -> None:
    result = plan(inst)
    order = [step["course"] for step in result["path"]]
    state = walk(inst, order)
    assert state is not None, "a course starts before its requirements are met"
    assert [step["order"] for step in result["path"]] == list(range(1, len(order) + 1))
    taken = [c for c in inst["courses"] if c["id"] in set(order)]
    assert within(inst, taken)
    target = levels(inst["target"])
    met = {s for s, lv in target.items() if state.get(s, 0) >= lv}
    assert {r["skill"] for r in result["reached"]} == met
    best_met, best_cost, reachable = brute_force(inst)
    assert len(met) == best_met
    assert result["optimal"] is True
    assert cost_of(inst, taken) == pytest.approx(best_cost)
    assert result["bound"] == pytest.approx(result["total"][inst["objective"]])
    for item in result["uncovered"]:
        if item["skill"] in reachable:
            assert item["reason"] == "budget" and inst.get("budget")
        else:
            assert item["reason"] in {"no_course", "prerequisites_unmet"}


def cheapest_by_states(inst: dict[str, Any]) -> tuple[float, set[str]]:
    """Without a budget: the least cost of reaching every reachable target, by Dijkstra over skill-level states
    (a course taken twice changes nothing, so a shortest path never repeats one); and the reachable targets."""
    skills = sorted(
        {p["skill"] for c in inst["courses"] for p in c["provides"] + c["requires"]}
        | {p["skill"] for p in inst["profile"] + inst["target"]}
    )
    courses = [(levels(c["requires"]), levels(c["provides"]), cost_of(inst, [c])) for c in inst["courses"]]
    start = levels(inst["profile"])
    state0 = tuple(start.get(s, 0) for s in skills)
    target = levels(inst["target"])
    everything = walk_all(inst)
    reachable = {s for s, lv in target.items() if everything.get(s, 0) >= lv}
    goal = {skills.index(s): target[s] for s in reachable}
    best = {state0: 0.0}
    heap = [(0.0, state0)]
    while heap:
        cost, state = heapq.heappop(heap)
        if cost > best[state]:
            continue
        if all(state[k] >= lv for k, lv in goal.items()):
            return cost, reachable
        for requires, provides, price in courses:
            if any(state[skills.index(s)] < lv for s, lv in requires.items()):
                continue
            new = list(state)
            for s, lv in provides.items():
                new[skills.index(s)] = max(new[skills.index(s)], lv)
            key = tuple(new)
            if key != state and cost + price < best.get(key, float("inf")):
                best[key] = cost + price
                heapq.heappush(heap, (cost + price, key))
    raise AssertionError("the reachable targets are reachable")


def walk_all(inst: dict[str, Any]) -> dict[str, int]:
    state = feasible_state(inst, ())
    assert state is not None
    changed = True
    while changed:
        changed = False
        for c in inst["courses"]:
            if all(state.get(s, 0) >= lv for s, lv in levels(c["requires"]).items()):
                for s, lv in levels(c["provides"]).items():
                    if state.get(s, 0) < lv:
                        state[s] = lv
                        changed = True
    return state


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=st.one_of(dense_instances(), instances(max_courses=15, budgets=False)))
def test_without_a_budget_the_cost_is_the_least_of_any_sequence(inst: dict[str, Any]) -> None:
    result = plan(inst)
    order = [step["course"] for step in result["path"]]
    state = walk(inst, order)
    assert state is not None, "a course starts before its requirements are met"
    best, reachable = cheapest_by_states(inst)
    assert {r["skill"] for r in result["reached"]} == reachable
    assert all(item["reason"] in {"no_course", "prerequisites_unmet"} for item in result["uncovered"])
    assert result["optimal"] is True
    taken = [c for c in inst["courses"] if c["id"] in set(order)]
    assert cost_of(inst, taken) == pytest.approx(best)
    assert result["bound"] == pytest.approx(best)


@settings(max_examples=100, deadline=None)
@given(inst=instances())
def test_the_greedy_baseline_is_feasible_and_never_better(inst: dict[str, Any]) -> None:
    greedy, exact = greedy_plan(inst), plan(inst)
    assert walk(inst, [s["course"] for s in greedy["path"]]) is not None
    g, e = len(greedy["reached"]), len(exact["reached"])
    assert g <= e
    if g == e:
        assert exact["total"][inst["objective"]] <= greedy["total"][inst["objective"]] + 1e-9


def test_the_example_of_the_docs() -> None:
    result = plan(
        {
            "courses": [
                {
                    "id": "c1",
                    "hours": 40,
                    "fee": 0,
                    "requires": [{"skill": "s1", "level": 1}],
                    "provides": [{"skill": "s2", "level": 2}],
                }
            ],
            "profile": [{"skill": "s1", "level": 2}],
            "target": [{"skill": "s2", "level": 2}, {"skill": "s9"}],
            "objective": "courses",
            "budget": {"courses": 10, "hours": 400, "fee": 3_000_000},
            "time_limit_s": 5,
        }
    )
    assert result == {
        "path": [{"course": "c1", "order": 1, "provides": ["s2"]}],
        "reached": [{"skill": "s2", "level": 2}],
        "uncovered": [{"skill": "s9", "level": 1, "reason": "no_course"}],
        "total": {"courses": 1, "hours": 40, "fee": 0},
        "bound": 1,
        "optimal": True,
        "status": "optimal",
    }


def test_a_prerequisite_chain_is_taken_in_order_and_unreachable_targets_say_why() -> None:
    result = plan(
        {
            "courses": [
                {
                    "id": "deep",
                    "hours": 60,
                    "requires": [{"skill": "python", "level": 2}],
                    "provides": [{"skill": "pytorch", "level": 2}],
                },
                {"id": "intro", "hours": 20, "provides": [{"skill": "python", "level": 2}]},
                {"id": "locked", "requires": [{"skill": "rust"}], "provides": [{"skill": "cuda"}]},
            ],
            "target": [{"skill": "pytorch", "level": 2}, {"skill": "cuda"}],
            "objective": "hours",
        }
    )
    assert [s["course"] for s in result["path"]] == ["intro", "deep"]
    assert result["uncovered"] == [{"skill": "cuda", "level": 1, "reason": "prerequisites_unmet"}]


def test_every_problem_of_a_malformed_instance_is_listed() -> None:
    with pytest.raises(InstanceInvalid) as caught:
        plan(
            {
                "courses": [{"id": "a", "hours": -1}, {"id": "a"}, {"provides": [{"skill": "x", "level": 0}]}],
                "target": "python",
                "objective": "speed",
                "budget": {"weeks": 3},
                "time_limit_s": 0,
                "colour": "blue",
            }
        )
    locs = {tuple(p.loc) for p in caught.value.problems}
    assert {
        ("courses", 0, "hours"),
        ("courses", 1, "id"),
        ("courses", 2, "id"),
        ("target",),
        ("objective",),
        ("budget", "weeks"),
        ("time_limit_s",),
        ("colour",),
    } <= locs


# Two cheap courses that each need what the other teaches (A needs s1 from B, B needs s2 from A): the order-free
# relaxation takes both for 20 hours, but neither can start; the cheapest real path enters the cycle through E.
CYCLIC = {
    "courses": [
        {"id": "A", "hours": 10, "requires": [{"skill": "s1"}], "provides": [{"skill": "t"}, {"skill": "s2"}]},
        {"id": "B", "hours": 10, "requires": [{"skill": "s2"}], "provides": [{"skill": "s1"}, {"skill": "u"}]},
        {"id": "E", "hours": 60, "requires": [], "provides": [{"skill": "s1"}]},
        {"id": "F", "hours": 60, "requires": [], "provides": [{"skill": "s2"}]},
        {"id": "C", "hours": 100, "requires": [], "provides": [{"skill": "t"}, {"skill": "u"}]},
    ],
    "profile": [],
    "target": [{"skill": "t"}, {"skill": "u"}],
    "objective": "hours",
}


def claims_hold(inst: dict[str, Any]) -> bool:
    """The planner's claims on an instance without a budget: a feasible path, the least cost, the bound equal to
    it when it says optimal."""
    result = plan(inst)
    order = [step["course"] for step in result["path"]]
    if walk(inst, order) is None:
        return False
    best, _ = cheapest_by_states(inst)
    taken = [c for c in inst["courses"] if c["id"] in set(order)]
    return bool(
        result["optimal"] and cost_of(inst, taken) == pytest.approx(best) and result["bound"] == pytest.approx(best)
    )


def test_a_cycle_of_courses_needing_each_other_is_entered_from_outside() -> None:
    result = plan(CYCLIC)
    assert [s["course"] for s in result["path"]] == ["E", "A", "B"]
    assert result["total"]["hours"] == 80 and result["bound"] == 80 and result["optimal"] is True


def test_the_checks_fail_when_the_cycle_cuts_are_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guarantees above rest on the cycle cuts: without them the relaxation's cyclic optimum is taken for a
    proof, and both the pinned instance and random ones (found by hypothesis) break the claims."""
    from hypothesis import Phase, find

    from talentbridge.upskilling import _exact

    assert claims_hold(CYCLIC)
    monkeypatch.setattr(_exact._Model, "cut", lambda self, chosen, required: 0)
    assert not claims_hold(CYCLIC)
    found = find(
        dense_instances(max_courses=12),
        lambda inst: not claims_hold(inst),
        settings=settings(
            max_examples=300,
            deadline=None,
            database=None,
            phases=[Phase.generate],  # one counterexample is enough; shrinking it would re-plan hundreds of times
            suppress_health_check=list(HealthCheck),
        ),
        # a fixed seed: a random search of 300 instances found none once in CI (a flaky test); this one is
        # reproducible and still a search over hypothesis' instances, not a pinned answer
        random=random.Random(14),
    )
    assert not claims_hold(found)
