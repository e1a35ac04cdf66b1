"""A learning-path instance compiled to a small delete-free planning task over (skill, level) facts.

A fact ``(s, L)`` is "skill s held at level ≥ L"; only the levels some target or requirement asks for, above the
profile, become facts. A course's preconditions are its unmet requirements; its effects are the facts it makes
true (every needed level up to the level it teaches), except the ones it requires itself (those can never be
first achieved by it). The reductions keep every optimal path:

* **reachability** — courses whose requirements can never be met are dropped, and targets that no sequence of
  courses reaches are set aside with their reason (``no_course`` / ``prerequisites_unmet``);
* **relevance** — only courses that make a needed fact true stay, needed facts being the targets and, transitively,
  the preconditions of the courses that stay;
* **dominance** — a course is dropped when another one requires no more, teaches at least as much (of what is
  needed) and costs no more in the objective and in every budgeted dimension (ties: the first in the catalogue
  stays). Replacing it by its dominator never breaks a path nor raises a cost.

Relevance and dominance are repeated until nothing changes (dropping courses makes facts unneeded, which makes
more courses comparable).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from talentbridge.upskilling._instance import Instance

__all__ = ["Task", "compile_task", "course_cost", "reach"]


def course_cost(inst: Instance, i: int, dim: str | None = None) -> float:
    c = inst.courses[i]
    dim = dim or inst.objective
    return 1.0 if dim == "courses" else c.hours if dim == "hours" else float(c.fee)


@dataclass
class Task:
    """Courses are indices into ``inst.courses``; facts are small integers (``facts[k] = (skill, level)``)."""

    inst: Instance
    courses: list[int]  # the courses that stay, ascending
    pre: dict[int, frozenset[int]]  # course -> facts it needs (unmet requirements)
    add: dict[int, frozenset[int]]  # course -> needed facts it makes true (not counting its own requirements)
    facts: list[tuple[str, int]]
    goals: dict[str, int]  # target skill -> its fact
    reasons: dict[str, str]  # unreachable target skill -> no_course / prerequisites_unmet
    providers: dict[int, list[int]] = field(default_factory=dict)  # fact -> courses adding it
    relevant: int = 0  # courses reachable and relevant, before dominance
    memo: dict[object, object] = field(default_factory=dict)  # values computed once per task

    def cost(self, i: int, dim: str | None = None) -> float:
        return course_cost(self.inst, i, dim)


def reach(inst: Instance, subset: list[int] | None = None) -> tuple[list[int], dict[str, int]]:
    """Every course of ``subset`` (default: all) that can be taken, in a valid order, and the skill levels then
    held. Linear in the total size of the requirements."""
    courses = inst.courses
    state = dict(inst.profile)
    waiting: dict[str, list[tuple[int, int]]] = defaultdict(list)
    missing: dict[int, int] = {}
    ready: list[int] = []
    for i in range(len(courses)) if subset is None else subset:
        gaps = 0
        for s, lv in courses[i].requires.items():
            if state.get(s, 0) < lv:
                gaps += 1
                waiting[s].append((i, lv))
        missing[i] = gaps
        if not gaps:
            ready.append(i)
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for s, lv in courses[i].provides.items():
            old = state.get(s, 0)
            if lv <= old:
                continue
            state[s] = lv
            for j, need in waiting.get(s, ()):
                if old < need <= lv:
                    missing[j] -= 1
                    if missing[j] == 0:
                        ready.append(j)
    return order, state


def _relevant(
    alive: set[int], pre: dict[int, frozenset[int]], makers: dict[int, list[int]], goals: Iterable[int]
) -> tuple[set[int], set[int]]:
    """The courses of ``alive`` that make a needed fact true, and the needed facts (goals, and transitively the
    preconditions of those courses)."""
    facts: set[int] = set()
    courses: set[int] = set()
    queue = list(goals)
    while queue:
        f = queue.pop()
        if f in facts:
            continue
        facts.add(f)
        for i in makers.get(f, ()):
            if i in alive and i not in courses:
                courses.add(i)
                queue.extend(pre[i])
    return courses, facts


def _dominated(
    task_courses: list[int],
    pre: dict[int, frozenset[int]],
    prestar: dict[int, frozenset[int]],
    add: dict[int, frozenset[int]],
    costs: dict[int, tuple[float, ...]],
) -> set[int]:
    providers: dict[int, set[int]] = defaultdict(set)
    for i in task_courses:
        for f in add[i]:
            providers[f].add(i)
    removed: set[int] = set()
    for d in task_courses:
        if not add[d]:
            removed.add(d)
            continue
        effects = sorted(add[d], key=lambda f: len(providers[f]))
        candidates = providers[effects[0]]
        for f in effects[1:]:
            if len(candidates) <= 1:
                break
            candidates = candidates & providers[f]
        for c in candidates:
            if c == d or c in removed:
                continue
            if not (
                all(a <= b for a, b in zip(costs[c], costs[d], strict=True))
                and pre[c] <= prestar[d]
                and add[c] >= add[d]
            ):
                continue
            mutual = (
                all(a <= b for a, b in zip(costs[d], costs[c], strict=True))
                and pre[d] <= prestar[c]
                and add[d] >= add[c]
            )
            if not mutual or c < d:
                removed.add(d)
                break
    return removed


def compile_task(inst: Instance, rounds: int = 2) -> Task:
    """Reachability, relevance and dominance (see the module docstring)."""
    profile = inst.profile
    needed = {s: lv for s, lv in inst.target.items() if profile.get(s, 0) < lv}
    order, state = reach(inst)
    reasons: dict[str, str] = {}
    for s, lv in needed.items():
        if state.get(s, 0) < lv:
            teaches = any(c.provides.get(s, 0) >= lv for c in inst.courses)
            reasons[s] = "prerequisites_unmet" if teaches else "no_course"
    targets = {s: lv for s, lv in needed.items() if s not in reasons}
    courses_of = inst.courses
    unmet = {i: [(s, lv) for s, lv in courses_of[i].requires.items() if profile.get(s, 0) < lv] for i in order}
    # Every fact that could be needed: a target, or an unmet requirement of a course that can be taken.
    asked: dict[str, set[int]] = defaultdict(set)
    for s, lv in targets.items():
        asked[s].add(lv)
    for gaps in unmet.values():
        for s, lv in gaps:
            asked[s].add(lv)
    facts = sorted((s, lv) for s, levels in asked.items() for lv in levels)
    index = {f: k for k, f in enumerate(facts)}
    levels_of: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (s, lv), k in index.items():
        levels_of[s].append((lv, k))
    upto: dict[tuple[str, int], frozenset[int]] = {}  # (skill, level) -> the facts of that skill at or below it

    def below(s: str, lv: int) -> frozenset[int]:
        key = (s, lv)
        if key not in upto:
            upto[key] = frozenset(k for level, k in levels_of.get(s, ()) if level <= lv)
        return upto[key]

    empty: frozenset[int] = frozenset()
    pre: dict[int, frozenset[int]] = {}
    prestar: dict[int, frozenset[int]] = {}
    add: dict[int, frozenset[int]] = {}
    makers: dict[int, list[int]] = defaultdict(list)
    for i in order:
        gaps = unmet[i]
        pre[i] = frozenset(index[pair] for pair in gaps)
        implied = empty.union(*(below(s, lv) for s, lv in gaps)) if gaps else empty
        prestar[i] = implied
        made = empty.union(*(below(s, lv) for s, lv in courses_of[i].provides.items() if s in levels_of))
        add[i] = made - implied if implied else made
        for f in add[i]:
            makers[f].append(i)
    goals = [index[pair] for pair in targets.items()]
    dims = [inst.objective, *sorted(set(inst.budget) - {inst.objective})]
    alive = set(order)
    relevant = 0
    for _ in range(rounds):
        courses, needed_facts = _relevant(alive, pre, makers, goals)
        relevant = relevant or len(courses)
        useful = frozenset(needed_facts)
        effects = {i: add[i] & useful for i in courses}
        ordered = sorted(courses)
        costs = {i: tuple(course_cost(inst, i, dim) for dim in dims) for i in ordered}
        removed = _dominated(ordered, pre, prestar, effects, costs)
        alive = courses - removed
        if not removed:
            break
    kept = sorted(alive)
    _, needed_facts = _relevant(alive, pre, makers, goals)
    useful = frozenset(needed_facts)
    providers: dict[int, list[int]] = defaultdict(list)
    final_add = {i: add[i] & useful for i in kept}
    for i in kept:
        for f in final_add[i]:
            providers[f].append(i)
    return Task(
        inst=inst,
        courses=kept,
        pre={i: pre[i] for i in kept},
        add=final_add,
        facts=facts,
        goals={s: index[(s, lv)] for s, lv in targets.items()},
        reasons=reasons,
        providers=dict(providers),
        relevant=relevant,
    )
