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
