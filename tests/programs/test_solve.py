"""``solve(instance)``: validation of the schema, secondment rules, unmatched reasons, the result document."""

from __future__ import annotations

import pytest

from talentbridge.domain.errors import InstanceInvalid, ValidationFailed
from talentbridge.programs import solve

README_INSTANCE = {
    "applicants": [{"id": "a1", "preferences": ["p2", "p1"], "employer": "org7"}],
    "programs": [
        {"id": "p1", "capacity": 2, "preferences": ["a3", "a1"], "region": "capital", "scores": {"a1": 71.5}}
    ],
    "regions": [{"id": "capital", "cap": 40}],
    "seed": 42,
}


def test_every_problem_is_listed_with_its_location():
    bad = {
        "applicants": [
            {"id": "a1", "preferences": ["p1", "nope", "p1"]},
            {"id": "a1", "preferences": []},
            {"preferences": "p1"},
        ],
        "programs": [
            {"id": "p1", "capacity": -2, "preferences": ["a1", ["ghost", "a1"]], "region": "mars"},
            {"id": "p1", "capacity": 1.5, "preferences": [], "scores": {"a1": "high"}},
        ],
        "regions": [{"id": "capital", "cap": -1}],
        "seed": -3,
    }
    with pytest.raises(InstanceInvalid) as info:
        solve(bad)
    found = {(p.loc, p.type) for p in info.value.problems}
    expected = {
        (("seed",), "invalid"),
        (("applicants", 1, "id"), "duplicate"),
        (("applicants", 2, "id"), "missing"),
        (("applicants", 0, "preferences", 1), "unknown_id"),
        (("applicants", 0, "preferences", 2), "duplicate"),
        (("applicants", 2, "preferences"), "invalid"),
        (("programs", 1, "id"), "duplicate"),
        (("programs", 0, "capacity"), "invalid"),
        (("programs", 1, "capacity"), "invalid"),
        (("programs", 0, "region"), "unknown_id"),
        (("programs", 0, "preferences", 1, 0), "unknown_id"),
        (("programs", 0, "preferences", 1, 1), "duplicate"),
        (("programs", 1, "scores", "a1"), "invalid"),
        (("regions", 0, "cap"), "invalid"),
    }
    assert expected <= found, expected - found
    assert info.value.code == "instance_invalid"
    assert "problems" in str(info.value)


def test_the_documented_example_instance_is_invalid_only_for_its_unknown_applicant():
    # The schema sketch names programs p2 and applicant a3 without defining them.
    with pytest.raises(InstanceInvalid) as info:
        solve(README_INSTANCE)
    assert {p.loc for p in info.value.problems} == {
        ("applicants", 0, "preferences", 0),
        ("programs", 0, "preferences", 0),
    }


def test_targets_above_the_cap_are_rejected():
    inst = {
        "applicants": [],
        "programs": [
            {"id": "p", "capacity": 5, "preferences": [], "region": "r", "target": 4},
            {"id": "q", "capacity": 5, "preferences": [], "region": "r", "target": 3},
        ],
        "regions": [{"id": "r", "cap": 6}],
    }
    with pytest.raises(InstanceInvalid) as info:
        solve(inst)
    assert [p.loc for p in info.value.problems] == [("regions", 0, "cap")]


@pytest.mark.parametrize(
    "options",
    [{"mechanism": "ttc"}, {"proposing": "both"}, {"mechanism": "flexible-da", "proposing": "programs"}],
)
def test_bad_options(options):
    with pytest.raises(ValidationFailed):
        solve({"applicants": [], "programs": []}, **options)


def _secondment_instance():  # type: ignore[no-untyped-def]
    programs = [
        {"id": "own", "organization": "hyundai", "capacity": 1},
        {"id": "sister", "organization": "kia", "group": "hmg", "capacity": 1},
        {"id": "rival", "organization": "samsung", "capacity": 1},
        {"id": "rival2", "organization": "lg", "competitors": ["hyundai"], "capacity": 1},
        {"id": "long", "organization": "posco", "term_months": 12, "capacity": 1},
        {"id": "ok", "organization": "doosan", "term_months": 6, "capacity": 1},
    ]
    for p in programs:
        p["preferences"] = ["t1", "t2"]
    return {
        "applicants": [
            {
                "id": "t1",
                "employer": "hyundai",
                "group": "hmg",
                "competitors": ["samsung"],
                "available_months": 6,
                "preferences": ["own", "sister", "rival", "rival2", "long", "ok"],
            },
            {
                "id": "t2",
                "employer": "hyundai",
                "affiliates": ["doosan"],
                "available_months": 12,
                "preferences": ["own", "ok"],
            },
        ],
        "programs": programs,
    }


def test_secondment_rules_make_pairs_unacceptable():
    result = solve(_secondment_instance())
    assert result["assignments"] == {"t1": "ok", "t2": None}
    d = result["diagnostics"]
    assert d["excluded_pairs"] == {
        "not_ranked_by_program": 0,
        "own_employer": 2,
        "affiliate": 2,
        "competitor": 2,
        "term": 1,
    }
    assert d["unmatched_reasons"] == {
        "t2": {"reason": "no_acceptable_choice", "excluded": {"own_employer": 1, "affiliate": 1}}
    }
    assert d["rank_distribution"] == {"6": 1}


def test_unmatched_reasons():
    inst = {
        "applicants": [
            {"id": "empty", "preferences": []},
            {"id": "unranked", "preferences": ["full"]},
            {"id": "outranked", "preferences": ["full"]},
            {"id": "winner", "preferences": ["full"]},
            {"id": "capped", "preferences": ["capital2"]},
            {"id": "in_capital", "preferences": ["capital1"]},
        ],
        "programs": [
            {"id": "full", "capacity": 1, "preferences": ["winner", "outranked"]},
            {
                "id": "capital1",
                "capacity": 1,
                "region": "capital",
                "preferences": ["in_capital"],
                "target": 1,
            },
            {"id": "capital2", "capacity": 1, "region": "capital", "preferences": ["capped"], "target": 0},
        ],
        "regions": [{"id": "capital", "cap": 1}],
    }
    d = solve(inst, "flexible-da")["diagnostics"]
    assert {a: r["reason"] for a, r in d["unmatched_reasons"].items()} == {
        "empty": "empty_list",
        "unranked": "no_acceptable_choice",
        "outranked": "capacity",
        "capped": "regional_cap",
    }
    assert d["unmatched_reasons"]["unranked"]["excluded"] == {"not_ranked_by_program": 1}
    assert d["unmatched_by_reason"] == {
        "capacity": 1,
        "empty_list": 1,
        "no_acceptable_choice": 1,
        "regional_cap": 1,
    }
    assert d["empty_seats"] == 1 and d["empty_seats_by_program"] == {"capital2": 1}
    assert d["regions"]["capital"] == {"cap": 1, "placed": 1, "seats": 2, "target": 1, "over_cap": 0}
    assert d["targets"] == {"capital1": 1, "capital2": 0}


def test_result_lists_program_members_in_the_programs_order():
    inst = {
        "applicants": [{"id": x, "preferences": ["p"]} for x in ("a", "b", "c")],
        "programs": [{"id": "p", "capacity": 3, "preferences": ["c", "a", "b"]}],
    }
    assert solve(inst)["programs"] == {"p": ["c", "a", "b"]}


def test_extra_fields_are_allowed():
    inst = {
        "name": "2026 spring exchange",
        "applicants": [{"id": "a", "preferences": ["p"], "name": "Kim Minji"}],
        "programs": [{"id": "p", "capacity": 1, "preferences": ["a"], "opening": 17}],
    }
    assert solve(inst)["assignments"] == {"a": "p"}


def test_the_example_in_docs_is_what_solve_returns():
    import json
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "programs.md").read_text(encoding="utf-8")
    instance, result = (json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S)[:2])
    assert solve(instance) == result
