"""``round_instance``: a round's plain records in, a valid ``solve`` instance out (no database anywhere)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.domain.round_records import RankedList, RoundOpening, RoundParticipant
from talentbridge.programs import solve
from talentbridge.programs.round_instance import CAPITAL, area_of, record_id, round_instance

NOW = datetime(2027, 3, 2, tzinfo=UTC)
REGIONS = ["seoul", "busan", "gyeonggi", "daegu", None]


def test_the_pinned_example_with_secondment_rules() -> None:
    openings = [RoundOpening(7, 2, "seoul"), RoundOpening(8, 1, None)]
    participants = [RoundParticipant(1, 30), RoundParticipant(2, None)]
    lists = [
        RankedList("talent", 1, [8, 7, 99], "submitted", NOW),  # 99 is not in the round: dropped
        RankedList("opening", 7, [[1, 2], 5], "generated", NOW, scores={"2": 71.5, "1": 80.0, "5": 10.0}),
        RankedList("opening", 8, [[2], 1], "edited", NOW),  # a tie of one is a plain entry
    ]
    instance = round_instance(
        openings, participants, lists, regional_caps={CAPITAL: 3}, seed=4,
        organization_of={7: 40, 8: 41}, affiliates={30: {30, 40}}, competitors={30: {41}, 41: {30}},
    )  # fmt: skip
    assert instance == {
        "applicants": [
            {"id": "t1", "preferences": ["o8", "o7"], "employer": "org30", "affiliates": ["org40"],
             "competitors": ["org41"]},
            {"id": "t2", "preferences": []},
        ],
        "programs": [
            {"id": "o7", "capacity": 2, "preferences": [["t1", "t2"]], "scores": {"t1": 80.0, "t2": 71.5},
             "region": CAPITAL, "organization": "org40"},
            {"id": "o8", "capacity": 1, "preferences": ["t2", "t1"], "organization": "org41",
             "competitors": ["org30"]},
        ],
        "regions": [{"id": CAPITAL, "cap": 3}],
        "seed": 4,
    }  # fmt: skip
    assert solve(instance)["assignments"]["t1"] in {"o7", "o8", None}


def test_without_rules_no_organization_fields_appear() -> None:
    instance = round_instance(
        [RoundOpening(7, 1, "busan")], [RoundParticipant(1, 30)], [], regional_caps={"busan": 1}, seed=0
    )
    assert instance["applicants"] == [{"id": "t1", "preferences": []}]
    assert instance["programs"] == [{"id": "o7", "capacity": 1, "preferences": [], "region": "busan"}]


def test_area_of_caps_the_capital_area_as_a_whole_unless_a_region_is_capped_itself() -> None:
    assert area_of("gyeonggi", {CAPITAL: 5}) == CAPITAL
    assert area_of("seoul", {"seoul": 1, CAPITAL: 5}) == "seoul"
    assert area_of("busan", {CAPITAL: 5}) is None
    assert area_of(None, {CAPITAL: 5}) is None


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[RoundOpening], list[RoundParticipant], list[RankedList]]:
    opening_ids = draw(st.lists(st.integers(1, 40), min_size=1, max_size=8, unique=True))
    talent_ids = draw(st.lists(st.integers(1, 60), min_size=1, max_size=12, unique=True))
    openings = [RoundOpening(o, draw(st.integers(1, 4)), draw(st.sampled_from(REGIONS))) for o in opening_ids]
    participants = [RoundParticipant(t, draw(st.none() | st.integers(100, 103))) for t in talent_ids]
    known_o, known_t = st.sampled_from(opening_ids) | st.integers(41, 45), st.sampled_from(talent_ids) | st.integers(61, 65)
    lists = []
    for t in talent_ids:
        if draw(st.booleans()):
            lists.append(RankedList("talent", t, draw(st.lists(known_o, unique=True, max_size=6)), "submitted", NOW))
    for o in opening_ids:
        if draw(st.booleans()):
            entries = draw(st.lists(known_t | st.lists(known_t, min_size=1, max_size=3, unique=True), max_size=8))
            seen: set[int] = set()
            ranking: list[object] = []
            for entry in entries:  # a talent appears once in a list (as stored lists are)
                ids = [i for i in (entry if isinstance(entry, list) else [entry]) if i not in seen]
                seen.update(ids)
                if ids:
                    ranking.append(ids if isinstance(entry, list) else ids[0])
            lists.append(RankedList("opening", o, ranking, "generated", NOW, scores={str(t): 50.0 for t in seen}))
    return openings, participants, lists


@settings(max_examples=60, deadline=None)
@given(rounds(), st.booleans(), st.integers(0, 2**31 - 1))
def test_instances_name_only_the_rounds_records_and_solve_accepts_them(data, rules, seed) -> None:  # noqa: ANN001
    openings, participants, lists = data
    caps = {CAPITAL: 2, "busan": 1}
    organization_of = {o.opening_id: 200 + o.opening_id % 3 for o in openings} if rules else None
    instance = round_instance(openings, participants, lists, regional_caps=caps, seed=seed,
                              organization_of=organization_of)  # fmt: skip
    assert instance == round_instance(openings, participants, lists, regional_caps=caps, seed=seed,
                                      organization_of=organization_of)  # fmt: skip
    o_ids = {f"o{o.opening_id}" for o in openings}
    t_ids = {f"t{p.talent_id}" for p in participants}
    assert [a["id"] for a in instance["applicants"]] == [f"t{p.talent_id}" for p in participants]
    assert {p["id"]: p["capacity"] for p in instance["programs"]} == {f"o{o.opening_id}": o.seats for o in openings}
    for a in instance["applicants"]:
        assert set(a["preferences"]) <= o_ids
    for p in instance["programs"]:
        flat = [t for e in p["preferences"] for t in (e if isinstance(e, list) else [e])]
        assert set(flat) <= t_ids and len(flat) == len(set(flat))
        assert all(len(e) > 1 for e in p["preferences"] if isinstance(e, list))  # ties of one are unwrapped
        assert set(p.get("scores", {})) <= t_ids
        assert ("organization" in p) == rules
        region = next(o.region for o in openings if f"o{o.opening_id}" == p["id"])
        assert p.get("region") == area_of(region, caps)
        assert record_id(p["id"]) in {o.opening_id for o in openings}
    result = solve(instance)
    assert set(result["assignments"]) == t_ids
