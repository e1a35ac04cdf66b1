"""Taking part in rounds, as the talent and organization pages show it: the rounds a talent takes part in (with
their ranking and result), the rounds an organization's openings are in (with each opening's ranking).

Reads the round workflow through ``RoundMembership`` (implemented by ``storage.round_repository.RoundStore``)
and the registry through ``storage.repositories.Repositories``; the pages get plain dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from talentbridge.domain.round_records import RankedList, RoundOpening, RoundParticipant
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.round_repository import RoundStore


class RoundMembership(Protocol):
    """What the participation views read of the round workflow."""

    def openings(self, round_id: int) -> list[RoundOpening]: ...
    def participants(self, round_id: int) -> list[RoundParticipant]: ...
    def preference(self, round_id: int, side: str, owner_id: int) -> RankedList | None: ...
    def round_ids_of_talent(self, talent_id: int) -> list[int]: ...
    def rounds_holding(self, opening_ids: Sequence[int]) -> list[tuple[int, int]]: ...

__all__ = ["talent_rounds", "organization_rounds", "organization_placements"]


def _membership(session: Session) -> RoundMembership:
    return RoundStore(session)


def talent_rounds(session: Session, talent_id: int) -> list[dict[str, Any]]:
    """Rounds the talent participates in, each with its openings and the talent's current ranking."""
    repos, store = Repositories(session), _membership(session)
    round_ids = store.round_ids_of_talent(talent_id)
    out = []
    for rnd in repos.rounds.get_many(round_ids).values():
        openings = store.openings(rnd.id)
        details = repos.openings.get_many([o.opening_id for o in openings])
        orgs = repos.organizations.get_many({o.organization_id for o in details.values()})
        mine = store.preference(rnd.id, "talent", talent_id)
        rank = {oid: i + 1 for i, oid in enumerate(mine.ranking)} if mine else {}
        rows = [
            {
                "id": o.opening_id,
                "title": details[o.opening_id].title,
                "seats": o.seats,
                "organization": orgs[details[o.opening_id].organization_id].name,
                "region": o.region,
                "rank": rank.get(o.opening_id),
            }
            for o in openings
        ]
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["title"]))
        from talentbridge.services.round_review import participant_result

        out.append(
            {
                "round": rnd,
                "openings": rows,
                "submitted": mine is not None,
                "open": rnd.status.value == "collecting",
                "result": participant_result(session, rnd.id, talent_id),
            }
        )
    return out


def organization_rounds(session: Session, organization_id: int) -> list[dict[str, Any]]:
    """Rounds holding the organization's openings, with each opening's ranking of the round's participants."""
    repos, store = Repositories(session), _membership(session)
    own = {o.id: o for o in repos.openings.list({"organization_id": organization_id}, size=500).items}
    if not own:
        return []
    pairs = store.rounds_holding(list(own))
    by_round: dict[int, list[int]] = {}
    for round_id, opening_id in pairs:
        by_round.setdefault(round_id, []).append(opening_id)
    out = []
    for rnd in repos.rounds.get_many(list(by_round)).values():
        participants = [p.talent_id for p in store.participants(rnd.id)]
        names = {t.id: t.name for t in repos.talents.get_many(participants).values()}
        openings = []
        for oid in by_round[rnd.id]:
            pref = store.preference(rnd.id, "opening", oid)
            ranking = []
            if pref:
                for position, entry in enumerate(pref.ranking, start=1):
                    for tid in entry if isinstance(entry, list) else [entry]:
                        ranking.append(
                            {
                                "talent_id": tid,
                                "name": names.get(tid, tid),
                                "rank": position,
                                "score": (pref.scores or {}).get(str(tid)),
                            }
                        )
            ranked = {r["talent_id"] for r in ranking}
            unranked = [{"talent_id": t, "name": names.get(t, t)} for t in participants if t not in ranked]
            openings.append(
                {"opening": own[oid], "ranking": ranking, "unranked": unranked, "source": pref.source if pref else None}
            )
        out.append({"round": rnd, "openings": openings, "open": rnd.status.value == "collecting"})
    return out


def organization_placements(session: Session, organization_id: int) -> list[dict[str, Any]]:
    """The organization's placements (from rounds and otherwise) with their 3/6/12-month follow-ups."""
    from talentbridge.services.placements import PlacementService

    return PlacementService(session).list(organization_id=organization_id)
