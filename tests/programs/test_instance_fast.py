"""The vectorised path from an instance to arrays (``_instance_fast``) gives exactly what the careful, entry-by-entry
path gives, on every instance it takes; it takes every well-formed instance without secondment fields; and any
problem sends the instance to the careful path, which lists every problem."""

from __future__ import annotations

import copy
from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.domain.errors import InstanceInvalid
from talentbridge.programs import _instance
from talentbridge.programs._instance import Arrays, parse_instance
from talentbridge.programs._instance_careful import parse_carefully
from talentbridge.programs._instance_fast import parse_fast
from tests.programs._helpers import instances


def assert_same(fast: Arrays, careful: Arrays) -> None:
    for f in fields(Arrays):
        a, b = getattr(fast, f.name), getattr(careful, f.name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=f.name)
            assert a.dtype.kind == b.dtype.kind, f.name
        else:
            assert a == b, f.name


def _careful_or_none(instance: dict[str, Any]) -> Arrays | None:
    try:
        return parse_carefully(instance)
    except InstanceInvalid:
        return None


@settings(max_examples=150, deadline=None)
@given(instances(ties=True, regions=True, scores=True), st.booleans())
def test_the_fast_path_equals_the_careful_one(instance: dict[str, Any], sparse: bool) -> None:
    careful = _careful_or_none(instance)
    old = _instance.DENSE_CELLS
    _instance.DENSE_CELLS = 0 if sparse else old  # the sorted (sparse) lookup as well as the dense table
    try:
        fast = parse_fast(instance)
    finally:
        _instance.DENSE_CELLS = old
    if careful is None:
        assert fast is None  # a problem: the careful path reports it
    else:
        assert fast is not None, "a well-formed instance without secondment fields takes the fast path"
        assert_same(fast, careful)


@settings(max_examples=40, deadline=None)
@given(instances(secondment=True))
def test_secondment_fields_take_the_careful_path(instance: dict[str, Any]) -> None:
    assert parse_fast(instance) is None


BREAKAGES = {
    "unknown applicant in a programme's list": lambda i: i["programs"][0]["preferences"].append("nobody"),
    "unknown programme in an applicant's list": lambda i: i["applicants"][0]["preferences"].append("nowhere"),
    "applicant listed twice": lambda i: i["programs"][0]["preferences"].append(i["applicants"][0]["id"]),
    "programme listed twice": lambda i: i["applicants"][0]["preferences"].append(i["programs"][0]["id"]),
    "twice inside a tie": lambda i: i["programs"][1]["preferences"].append([i["applicants"][1]["id"]] * 2),
    "boolean capacity": lambda i: i["programs"][0].update(capacity=True),
    "negative capacity": lambda i: i["programs"][0].update(capacity=-1),
    "target above capacity": lambda i: i["programs"][0].update(target=99),
    "duplicate id": lambda i: i["applicants"].append({"id": i["applicants"][0]["id"], "preferences": []}),
    "empty id": lambda i: i["programs"].append({"id": "", "capacity": 1, "preferences": []}),
    "number as id in a list": lambda i: i["applicants"][0]["preferences"].append(7),
    "preferences not a list": lambda i: i["programs"][0].update(preferences="a0"),
    "infinite score": lambda i: i["programs"][0].update(scores={i["applicants"][0]["id"]: float("inf")}),
    "score for a stranger": lambda i: i["programs"][0].update(scores={"nobody": 1}),
    "bad seed": lambda i: i.update(seed=-3),
    "unknown region": lambda i: i["programs"][0].update(region="mars"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_every_problem_goes_to_the_careful_path_which_lists_it(breakage: str) -> None:
    instance: dict[str, Any] = {
        "applicants": [{"id": f"a{i}", "preferences": ["p0", "p1"]} for i in range(3)],
        "programs": [{"id": f"p{j}", "capacity": 2, "preferences": ["a0", "a1", "a2"]} for j in range(2)],
        "seed": 4,
    }
    assert parse_fast(copy.deepcopy(instance)) is not None
    BREAKAGES[breakage](instance)
    assert parse_fast(instance) is None
    with pytest.raises(InstanceInvalid) as raised:
        parse_instance(instance)
    assert raised.value.problems
