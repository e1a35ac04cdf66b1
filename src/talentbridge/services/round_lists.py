"""Ranked lists of a round: flattening ties, normalising submissions, tiers from scores, and checking that a
list belongs to its owner and names only the round's openings or participants (every bad entry reported)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from talentbridge.domain.errors import Msg, NotFound, Problem

if TYPE_CHECKING:
    from talentbridge.services.round_workflow import PreferenceInput

__all__: list[str] = []


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- the use cases -------------------------------------------------------------------------------------------


def _flatten(ranking: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for entry in ranking:
        out.extend(entry if isinstance(entry, list) else [entry])
    return out


def _normalise(ranking: Sequence[Any]) -> list[Any]:
    """One-element ties become plain entries; empty ties disappear."""
    out: list[Any] = []
    for entry in ranking:
        if isinstance(entry, list):
            if len(entry) == 1:
                out.append(entry[0])
            elif entry:
                out.append(list(entry))
        else:
            out.append(entry)
    return out


def _tiers(scores: Mapping[int, float]) -> list[Any]:
    """Talent ids by score, best first; equal scores (to 4 decimals) form a tie, ordered by id inside."""
    groups: dict[float, list[int]] = {}
    for tid, score in scores.items():
        groups.setdefault(round(score, 4), []).append(tid)
    return _normalise([sorted(groups[s]) for s in sorted(groups, reverse=True)])


def _check_owner(
    round_id: int, item: PreferenceInput, openings: set[int], talents: set[int], prefix: tuple[str | int, ...]
) -> list[Problem]:
    if not _is_id(item.owner_id):
        return [Problem(prefix or ("owner_id",), "an id is a whole number", item.owner_id, line=item.line)]
    if item.side == "talent" and item.owner_id not in talents:
        message = f"talent {item.owner_id} is not a participant of round {round_id}"
    elif item.side == "opening" and item.owner_id not in openings:
        message = f"opening {item.owner_id} is not attached to round {round_id}"
    else:
        return []
    if not prefix:  # a single list: the owner in the path does not exist here
        raise NotFound(f"round {item.side}", item.owner_id, message)
    return [Problem(prefix, message, item.owner_id, "unknown_id", item.line)]


def _check_ranking(
    round_id: int, item: PreferenceInput, openings: set[int], talents: set[int], prefix: tuple[str | int, ...]
) -> list[Problem]:
    """Every bad entry of one ranked list: wrong type, not in the round, listed twice, talent-side ties."""
    problems: list[Problem] = []
    if not isinstance(item.ranking, list):
        return [Problem((*prefix, "ranking"), "a ranking is a list of ids, best first", item.ranking, line=item.line)]
    known = openings if item.side == "talent" else talents
    # One sentence per side (a translation cannot be assembled from English pieces)
    if item.side == "talent":
        not_an_id, unknown, twice = (
            "an opening id is a whole number",
            "opening {value} is not attached to round {round}",
            "opening {value} is listed twice (first at position {first})",
        )
    else:
        not_an_id, unknown, twice = (
            "a talent id is a whole number",
            "talent {value} is not a participant of round {round}",
            "talent {value} is listed twice (first at position {first})",
        )
    seen: dict[int, int] = {}
    for i, entry in enumerate(item.ranking):
        group = entry if isinstance(entry, list) else [entry]
        if isinstance(entry, list) and item.side == "talent":
            problems.append(
                Problem(
                    (*prefix, "ranking", i),
                    "a talent ranks openings one by one (no ties)",
                    entry,
                    line=item.line,
                )
            )
            continue
        for j, value in enumerate(group):
            loc = (*prefix, "ranking", i, j) if isinstance(entry, list) else (*prefix, "ranking", i)
            if not _is_id(value):
                problems.append(Problem(loc, not_an_id, value, line=item.line))
            elif value not in known:
                problems.append(Problem(loc, Msg(unknown, value=value, round=round_id), value, "unknown_id", item.line))
            elif value in seen:
                problems.append(
                    Problem(
                        loc,
                        Msg(twice, value=value, first=seen[value] + 1),
                        value,
                        "duplicate",
                        item.line,
                    )
                )
            else:
                seen[value] = i
    return problems


# -- the organization's ranking editor ----------------------------------------------------------------------


def tiers_from_positions(positions: Mapping[int, int]) -> list[Any]:
    """A ranked list from the positions typed in the editor (talent id → 1 = best): equal positions form a tie
    (an organization may tie people, as ``docs/rounds.md`` allows), gaps are closed, ids ordered inside a tie."""
    groups: dict[int, list[int]] = {}
    for tid, position in positions.items():
        groups.setdefault(position, []).append(tid)
    return _normalise([sorted(groups[p]) for p in sorted(groups)])


def same_ranking(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """Whether two ranked lists say the same thing (the order inside a tie does not matter)."""

    def canonical(ranking: Sequence[Any]) -> list[Any]:
        return [tuple(sorted(e)) if isinstance(e, list) else e for e in _normalise(list(ranking))]

    return canonical(a) == canonical(b)


def talent_order_from_positions(positions: Mapping[int, str]) -> tuple[list[int], list[Problem]]:
    """A talent's ranked openings from the positions typed in their form (opening id → text; empty = not
    ranked). A talent ranks openings one by one (``docs/rounds.md``): two openings at one position, or a
    position that is not a whole number from 1, is a problem, reported with every other one; nothing is
    dropped silently."""
    problems: list[Problem] = []
    taken: dict[int, int] = {}
    for oid, raw in positions.items():
        text = str(raw).strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            problems.append(Problem(("rank", oid), "a rank is a whole number from 1", text))
            continue
        position = int(text)
        if position in taken:
            problems.append(
                Problem(
                    ("rank", oid),
                    Msg("rank {position} is given to two openings: a talent ranks openings one by one (no ties)",
                        position=position),
                    text,
                    "tie",
                )
            )
            continue
        taken[position] = oid
    return [taken[p] for p in sorted(taken)], problems
