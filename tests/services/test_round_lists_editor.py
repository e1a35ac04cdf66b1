"""The organization's ranking editor helpers: positions typed in the form become a ranked list with ties, and
an unchanged list is recognised whatever the order inside its ties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from talentbridge.services.round_lists import _flatten, same_ranking, tiers_from_positions


def test_equal_positions_are_a_tie_and_gaps_close() -> None:
    assert tiers_from_positions({7: 1, 3: 2, 5: 2, 9: 10}) == [7, [3, 5], 9]
    assert tiers_from_positions({}) == []


positions = st.dictionaries(st.integers(1, 500), st.integers(1, 8), max_size=30)


@given(positions)
def test_every_person_is_kept_once_in_position_order(pos: dict[int, int]) -> None:
    ranking = tiers_from_positions(pos)
    flat = _flatten(ranking)
    assert sorted(flat) == sorted(pos)  # nobody dropped, nobody twice
    assert [pos[t] for t in flat] == sorted(pos[t] for t in flat)
    for entry in ranking:  # a tie holds exactly the people with one position
        if isinstance(entry, list):
            assert len({pos[t] for t in entry}) == 1 and len(entry) > 1


@given(positions, st.randoms(use_true_random=False))
def test_a_list_is_the_same_whatever_the_order_inside_its_ties(pos: dict[int, int], rnd) -> None:  # noqa: ANN001
    ranking = tiers_from_positions(pos)
    shuffled = [rnd.sample(e, len(e)) if isinstance(e, list) else e for e in ranking]
    assert same_ranking(ranking, shuffled)
    if len(_flatten(ranking)) >= 2 and len(ranking) >= 2:
        swapped = [ranking[1], ranking[0], *ranking[2:]]
        assert not same_ranking(ranking, swapped)


def test_a_talent_cannot_tie_openings_or_type_a_non_number() -> None:
    from talentbridge.services.round_lists import talent_order_from_positions

    assert talent_order_from_positions({5: "2", 7: "1", 9: ""}) == ([7, 5], [])
    order, problems = talent_order_from_positions({5: "1", 7: "1", 9: "둘", 11: "0"})
    assert order == [5]
    assert sorted((p.loc[1], p.type) for p in problems) == [(7, "tie"), (9, "invalid"), (11, "invalid")]


@given(st.dictionaries(st.integers(1, 99), st.integers(1, 5), max_size=12))
def test_talent_positions_are_kept_in_order_or_each_clash_is_reported(pos: dict[int, int]) -> None:
    from talentbridge.services.round_lists import talent_order_from_positions

    order, problems = talent_order_from_positions({k: str(v) for k, v in pos.items()})
    assert len(order) + len(problems) == len(pos)  # every typed rank is either used or reported
    assert len(set(pos.values())) == len(order)
    assert [pos[o] for o in order] == sorted(pos[o] for o in order)
