"""The matching instance of a round, built from its plain records (no database, no services).

``round_instance`` turns a round's attached openings, participants and ranked lists (the frozen records of
``domain/round_records.py``) into the dict that :func:`talentbridge.programs.solve` takes (schema in
docs/programs.md). Ids inside an instance are strings: ``t<talent id>`` for applicants, ``o<opening id>`` for
programs, ``org<organization id>`` for employers and organizations, and the cap keys of the round's regional caps
for regions (``capital`` = Seoul + Incheon + Gyeonggi, or a region code such as ``busan``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from talentbridge.domain.enums import CAPITAL_AREA
from talentbridge.domain.round_records import RankedList, RoundOpening, RoundParticipant

__all__ = ["CAPITAL", "area_of", "round_instance", "talent_key", "opening_key", "organization_key", "record_id"]

#: The regional-cap key for the capital area (수도권: Seoul, Incheon, Gyeonggi).
CAPITAL = "capital"
_CAPITAL_REGIONS = frozenset(r.value for r in CAPITAL_AREA)


def area_of(region: str | None, caps: Mapping[str, int]) -> str | None:
    """The cap key that governs a place of work: the region itself when capped, else ``capital`` for Seoul,
    Incheon and Gyeonggi when the capital area is capped, else None (no cap; also for remote work)."""
    if region is None:
        return None
    if region in caps:
        return region
    if CAPITAL in caps and region in _CAPITAL_REGIONS:
        return CAPITAL
    return None


def talent_key(talent_id: int) -> str:
    return f"t{talent_id}"


def opening_key(opening_id: int) -> str:
    return f"o{opening_id}"


def organization_key(organization_id: int) -> str:
    return f"org{organization_id}"


def record_id(instance_id: str) -> int:
    """The record id inside an instance id (``t12`` → 12, ``o7`` → 7)."""
    return int(instance_id.lstrip("tor"))


def round_instance(
    openings: Sequence[RoundOpening],
    participants: Sequence[RoundParticipant],
    preferences: Iterable[RankedList],
    *,
    regional_caps: Mapping[str, int],
    seed: int,
    organization_of: Mapping[int, int] | None = None,
    affiliates: Mapping[int, set[int]] | None = None,
    competitors: Mapping[int, set[int]] | None = None,
) -> dict[str, Any]:
    """The instance of a round: capacities are the attached seats, each opening's region is its cap key
    (:func:`area_of`), lists keep only the round's openings and participants (a tie of one becomes a plain
    entry), and opening lists carry their fit scores.

    Secondment rules are included when ``organization_of`` (opening id → organization id) is given: each
    applicant's employer, the employer's affiliated opening organizations other than itself (``affiliates``:
    employer id → organization ids), and competitors on both sides (``competitors``: organization id → ids).
    Deterministic: the same records give the same instance (openings and participants in the order given).
    """
    rules = organization_of is not None
    affiliates = affiliates or {}
    competitors = competitors or {}
    opening_set = {o.opening_id for o in openings}
    talent_set = {p.talent_id for p in participants}
    prefs = {(p.side, p.owner_id): p for p in preferences}

    applicants = []
    for p in participants:
        listed = prefs.get(("talent", p.talent_id))
        item: dict[str, Any] = {
            "id": talent_key(p.talent_id),
            "preferences": [opening_key(o) for o in (listed.ranking if listed else []) if o in opening_set],
        }
        if rules and p.employer_id is not None:
            item["employer"] = organization_key(p.employer_id)
            others = sorted(affiliates.get(p.employer_id, set()) - {p.employer_id})
            if others:
                item["affiliates"] = [organization_key(o) for o in others]
            if competitors.get(p.employer_id):
                item["competitors"] = [organization_key(o) for o in sorted(competitors[p.employer_id])]
        applicants.append(item)
    programs = []
    for o in openings:
        ranked = prefs.get(("opening", o.opening_id))
        item = {"id": opening_key(o.opening_id), "capacity": o.seats, "preferences": []}
        if ranked is not None:
            for entry in ranked.ranking:
                if isinstance(entry, list):
                    tier = [talent_key(t) for t in entry if t in talent_set]
                    if len(tier) > 1:
                        item["preferences"].append(tier)
                    elif tier:
                        item["preferences"].append(tier[0])
                elif entry in talent_set:
                    item["preferences"].append(talent_key(entry))
            if ranked.scores:
                item["scores"] = {
                    talent_key(int(t)): s
                    for t, s in sorted(ranked.scores.items(), key=lambda kv: int(kv[0]))
                    if int(t) in talent_set
                }
        area = area_of(o.region, regional_caps)
        if area is not None:
            item["region"] = area
        if organization_of is not None:
            org_id = organization_of[o.opening_id]
            item["organization"] = organization_key(org_id)
            if competitors.get(org_id):
                item["competitors"] = [organization_key(x) for x in sorted(competitors[org_id])]
        programs.append(item)
    regions = [{"id": key, "cap": cap} for key, cap in sorted(regional_caps.items())]
    return {"applicants": applicants, "programs": programs, "regions": regions, "seed": seed}
