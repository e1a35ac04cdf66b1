"""Guarantees of the evaluator on random facts: deterministic for a date; knowing more never turns a verdict
around (an unknown fact never yields "eligible" for a condition that needs it); every condition is reported."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.support import FACTS, evaluate, load_rules, normalize_facts
from talentbridge.support._facts import DEGREES

BOOK = load_rules()
SCHEMES = BOOK.all()


def _value(name: str) -> st.SearchStrategy[Any]:
    fact = FACTS[name]
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "money":
        return st.integers(0, 300_000_000)
    if fact.type == "int":
        if name == "person.points_deduction":
            return st.integers(-80, 0)
        return st.integers(0, 120)
    if fact.type == "float":
        return st.floats(0, 40, allow_nan=False).map(lambda x: round(x, 2))
    if fact.type == "date":
        return st.dates(date(2020, 1, 1), date(2030, 12, 31))
    if fact.type == "degree":
        return st.sampled_from(DEGREES)
    if fact.type == "choice":
        return st.sampled_from(fact.choices)
    return st.sampled_from(["KR", "US", "C", "J", "seoul", "busan", "ai_startup", "manufacturer"])


facts_strategy = st.fixed_dictionaries({}, optional={name: _value(name) for name in FACTS})
days = st.dates(date(2018, 1, 1), date(2029, 12, 31))
RANK = {"eligible": 2, "undetermined": 1, "not_eligible": 0}


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy, on=days, index=st.integers(0, len(SCHEMES) - 1))
def test_evaluation_is_deterministic_and_reports_every_condition(facts: dict[str, Any], on: date, index: int) -> None:
    scheme = SCHEMES[index]
    clean = normalize_facts(facts)
    first, second = evaluate(scheme, clean, on), evaluate(scheme, clean, on)
    assert first.as_dict() == second.as_dict()
    ids = [c.id for c in first.conditions]
    assert ids[: len(scheme.conditions)] == [c.id for c in scheme.conditions]
    assert (scheme.points is not None) == ("points" in ids)


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy, on=days, index=st.integers(0, len(SCHEMES) - 1), data=st.data())
def test_knowing_less_never_makes_a_hire_eligible(facts: dict[str, Any], on: date, index: int, data: Any) -> None:
    scheme = SCHEMES[index]
    full = normalize_facts(facts)
    hidden = data.draw(st.sets(st.sampled_from(sorted(full)) if full else st.nothing()))
    partial = {k: v for k, v in full.items() if k not in hidden}
    known, guessed = evaluate(scheme, full, on), evaluate(scheme, partial, on)
    if guessed.status == "eligible":
        assert known.status == "eligible"
    if guessed.status == "not_eligible":
        assert known.status == "not_eligible"
    for with_all, with_less in zip(known.conditions, guessed.conditions, strict=True):
        assert with_less.status in {with_all.status, "unknown"} or {with_less.status, with_all.status} <= {
            "met",
            "not_applicable",
        }, (with_all.id, with_all.status, with_less.status)


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(SCHEMES) - 1), on=days)
def test_no_facts_never_yields_eligible_where_a_condition_needs_a_fact(index: int, on: date) -> None:
    scheme = SCHEMES[index]
    result = evaluate(scheme, {}, on)
    needs_facts = bool(scheme.conditions) or scheme.points is not None
    if needs_facts:
        assert result.status in {"undetermined", "not_in_force"}
        assert all(c.status in {"unknown", "not_applicable"} for c in result.conditions)


@settings(max_examples=100, deadline=None)
@given(on=days)
def test_exactly_one_version_per_scheme_is_in_force_or_none(on: date) -> None:
    for sid in BOOK.ids():
        live = [s for s in BOOK.versions[sid] if s.in_force(on)]
        assert len(live) <= 1
        assert BOOK.in_force(sid, on) is (live[0] if live else None)
        if live and on > date(2018, 1, 1):
            day_before = on - timedelta(days=1)
            assert BOOK.in_force(sid, day_before) in (live[0], *BOOK.versions[sid], None)
