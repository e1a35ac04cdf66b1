"""Random registry data for the analytics property tests, and the straightforward Python recounts they compare
the database's numbers with."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from talentbridge.storage.round_tables import (
    PlacementFollowUpRow,
    RoundOpeningRow,
    RoundParticipantRow,
    RoundRunRow,
)
from talentbridge.storage.tables import (
    OpeningRow,
    OpeningSkillRow,
    OrganizationRow,
    PlacementRow,
    ProgramRow,
    RoundRow,
    TalentRow,
    TalentSkillRow,
)
from talentbridge.storage.taxonomy_tables import SkillRow

REGIONS = [None, "seoul", "busan", "gyeonggi", "jeju"]
KINDS = ["ai_startup", "manufacturer", "large_enterprise", "university"]
STATUSES = ["draft", "open", "open", "closed", "filled"]
UNKNOWN_SKILL = "x-not-in-taxonomy"


def skill_pool(session: Session) -> dict[str, str]:
    """A few built-in skills of different families (skill id -> family), plus one the taxonomy does not know."""
    pool: dict[str, str] = {}
    families: Counter[str] = Counter()
    for sid, fam in session.execute(select(SkillRow.id, SkillRow.family).order_by(SkillRow.id)):
        if families[fam] < 2 and len(pool) < 8:
            pool[sid] = fam or "other"
            families[fam] += 1
    pool[UNKNOWN_SKILL] = "other"
    return pool


def _moment(month: int, day: int) -> datetime:
    return datetime(2025 + (month - 1) // 12, (month - 1) % 12 + 1, day, 12, 0)


@st.composite
def worlds(draw: Any, n_skills: int = 9) -> dict[str, Any]:
    orgs = draw(st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(REGIONS)), min_size=1, max_size=5))
    skill_ix = st.integers(0, n_skills - 1)
    talent = st.fixed_dictionaries({
        "region": st.sampled_from(REGIONS),
        "consent": st.booleans(),
        "employer": st.one_of(st.none(), st.integers(0, len(orgs) - 1)),
        "month": st.integers(1, 18),
        "skills": st.dictionaries(skill_ix, st.integers(1, 5), max_size=4),
    })
    opening = st.fixed_dictionaries({
        "org": st.integers(0, len(orgs) - 1),
        "region": st.sampled_from(REGIONS),
        "status": st.sampled_from(STATUSES),
        "seats": st.integers(1, 4),
        "month": st.integers(1, 18),
        "skills": st.dictionaries(skill_ix, st.integers(1, 5), max_size=4),
    })
    talents = draw(st.lists(talent, max_size=25))
    openings = draw(st.lists(opening, max_size=12))
    n_rounds = draw(st.integers(0, 3))
    rounds = []
    for _ in range(n_rounds):
        rounds.append({
            "programme": draw(st.integers(0, 1)),
            "month": draw(st.integers(1, 12)),
            "participants": draw(st.sets(st.integers(0, max(len(talents) - 1, 0)), max_size=len(talents))) if talents else set(),
            "openings": draw(st.dictionaries(st.integers(0, max(len(openings) - 1, 0)), st.integers(1, 5),
                                             max_size=len(openings))) if openings else {},
            "ranks": draw(st.dictionaries(st.integers(1, 4), st.integers(1, 9), max_size=4)),
            "published": draw(st.booleans()),
        })
    placement = st.fixed_dictionaries({
        "talent": st.integers(0, max(len(talents) - 1, 0)),
        "org": st.integers(0, len(orgs) - 1),
        "opening": st.one_of(st.none(), st.integers(0, max(len(openings) - 1, 0))),
        "round": st.one_of(st.none(), st.integers(0, max(n_rounds - 1, 0))),
        "start_month": st.integers(1, 18),
        "recorded_month": st.integers(1, 18),
        "followups": st.dictionaries(st.sampled_from([3, 6, 12]), st.booleans(), max_size=3),
        "kind": st.sampled_from(["secondment", "internship"]),
        "status": st.sampled_from(["active", "completed"]),
    })
    placements = draw(st.lists(placement, max_size=15)) if talents else []
    for p in placements:
        if not openings:
            p["opening"] = None
        if not rounds:
            p["round"] = None
    return {"orgs": orgs, "talents": talents, "openings": openings, "rounds": rounds, "placements": placements}


def clear(session: Session) -> None:
    for table in (PlacementFollowUpRow, PlacementRow, RoundRunRow, RoundOpeningRow, RoundParticipantRow, RoundRow,
                  ProgramRow, OpeningSkillRow, OpeningRow, TalentSkillRow, TalentRow, OrganizationRow):
        session.execute(delete(table))
    session.flush()


def round_opening_region(seats: int) -> str | None:
    """The place of work an opening is attached to a round with (varied by seats, sometimes none)."""
    return REGIONS[seats % len(REGIONS)]


def load(session: Session, world: dict[str, Any], skills: list[str]) -> dict[str, list[int]]:
    """Insert ``world``; returns the database ids of its organizations, talents, openings, rounds."""
    clear(session)
    ids: dict[str, list[int]] = {"orgs": [], "talents": [], "openings": [], "rounds": [], "programmes": []}
    for i, (kind, region) in enumerate(world["orgs"]):
        row = OrganizationRow(name=f"org {i}", kind=kind, region=region)
        session.add(row)
        session.flush()
        ids["orgs"].append(row.id)
    for i, t in enumerate(world["talents"]):
        row = TalentRow(name=f"t{i}", category="engineer", nationality="KR", region=t["region"],
                        consent_statistics=t["consent"], created_at=_moment(t["month"], 10),
                        current_employer_id=None if t["employer"] is None else ids["orgs"][t["employer"]])
        session.add(row)
        session.flush()
        ids["talents"].append(row.id)
        for s, level in t["skills"].items():
            session.add(TalentSkillRow(talent_id=row.id, skill_id=skills[s], level=level, source="declared"))
    for i, o in enumerate(world["openings"]):
        row = OpeningRow(organization_id=ids["orgs"][o["org"]], kind="job", title=f"o{i}", region=o["region"],
                         status=o["status"], seats=o["seats"], created_at=_moment(o["month"], 5))
        session.add(row)
        session.flush()
        ids["openings"].append(row.id)
        for s, level in o["skills"].items():
            session.add(OpeningSkillRow(opening_id=row.id, skill_id=skills[s], min_level=level, importance="must",
                                        source="declared"))
    for p in range(2):
        row = ProgramRow(name=f"programme {p}", kind="talent_exchange", status="active")
        session.add(row)
        session.flush()
        ids["programmes"].append(row.id)
    for i, r in enumerate(world["rounds"]):
        row = RoundRow(program_id=ids["programmes"][r["programme"]], name=f"round {i}", status="published",
                       mechanism="da", proposing="talent", created_at=_moment(r["month"], 3))
        session.add(row)
        session.flush()
        ids["rounds"].append(row.id)
        for t in r["participants"]:
            session.add(RoundParticipantRow(round_id=row.id, talent_id=ids["talents"][t]))
        for o, seats in r["openings"].items():
            session.add(RoundOpeningRow(round_id=row.id, opening_id=ids["openings"][o], seats=seats,
                                        region=round_opening_region(seats)))
        ranks = {str(k): v for k, v in r["ranks"].items()}
        for published, dist in ((r["published"], ranks), (False, {"1": 99})):  # the second never wins when published
            session.add(RoundRunRow(round_id=row.id, mechanism="da", proposing="talent", seed=0, instance={},
                                    result={}, diagnostics={}, summary={"rank_distribution": dist}, input_hash="x",
                                    result_hash="y", software_version="t", created_at=_moment(1, 1),
                                    published_at=_moment(2, 1) if published else None))
    for i, p in enumerate(world["placements"]):
        row = PlacementRow(talent_id=ids["talents"][p["talent"]], organization_id=ids["orgs"][p["org"]],
                           opening_id=None if p["opening"] is None else ids["openings"][p["opening"]],
                           round_id=None if p["round"] is None else ids["rounds"][p["round"]], kind=p["kind"],
                           start_date=_moment(p["start_month"], 1).date(), status=p["status"],
                           created_at=_moment(p["recorded_month"], 20 + i % 5))
        session.add(row)
        session.flush()
        for months, kept in p["followups"].items():
            session.add(PlacementFollowUpRow(placement_id=row.id, months=months, retained=kept,
                                             recorded_at=_moment(1, 1), recorder_role="operator"))
    session.flush()
    # Examples can share a fingerprint (same counts within the same second): recompute the cells every time.
    from talentbridge.services.analytics_cells import refresh

    refresh(session)
    return ids


# -- recounts ---------------------------------------------------------------------------------------------------


def month_key(month: int) -> str:
    return _moment(month, 1).strftime("%Y-%m")


def recount_supply_demand(world: dict[str, Any], families: list[str]) -> dict[tuple[str, str, str], dict[str, int]]:
    cube: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: {"supply": 0, "seats": 0, "openings": 0})
    for t in world["talents"]:
        if not t["consent"]:
            continue
        kind = "none" if t["employer"] is None else world["orgs"][t["employer"]][0]
        for fam in {families[s] for s in t["skills"]}:
            cube[(fam, t["region"] or "unknown", kind)]["supply"] += 1
    for o in world["openings"]:
        if o["status"] != "open":
            continue
        for fam in {families[s] for s in o["skills"]}:
            c = cube[(fam, o["region"] or "remote", world["orgs"][o["org"]][0])]
            c["seats"] += o["seats"]
            c["openings"] += 1
    return dict(cube)


def recount_by_region(world: dict[str, Any]) -> dict[str, tuple[int, int]]:
    supply: Counter[str] = Counter(t["region"] or "unknown" for t in world["talents"] if t["consent"])
    seats: Counter[str] = Counter()
    for o in world["openings"]:
        if o["status"] == "open":
            seats[o["region"] or "remote"] += o["seats"]
    return {r: (supply[r], seats[r]) for r in set(supply) | set(seats)}


def recount_monthly(world: dict[str, Any], families: list[str]) -> dict[tuple[str, str], dict[str, int]]:
    new: Counter[tuple[int, str]] = Counter()
    posted: Counter[tuple[int, str]] = Counter()
    for t in world["talents"]:
        if t["consent"]:
            for fam in {families[s] for s in t["skills"]}:
                new[(t["month"], fam)] += 1
    for o in world["openings"]:
        if o["status"] != "draft":
            for fam in {families[s] for s in o["skills"]}:
                posted[(o["month"], fam)] += o["seats"]
    out = {}
    for m, fam in set(new) | set(posted):
        total = sum(n for (mm, f), n in new.items() if f == fam and mm <= m)
        out[(month_key(m), fam)] = {"new_supply": new[(m, fam)], "supply": total, "posted_seats": posted[(m, fam)]}
    return out


def recount_gap(world: dict[str, Any], skills: list[str]) -> dict[str, tuple[int, int]]:
    """skill id -> (demanded seats, qualified consenting people)."""
    out = {}
    for s, sid in enumerate(skills):
        asking = [o for o in world["openings"] if o["status"] == "open" and s in o["skills"]]
        if not asking:
            continue
        level = min(o["skills"][s] for o in asking)
        qualified = sum(1 for t in world["talents"] if t["consent"] and t["skills"].get(s, 0) >= level)
        out[sid] = (sum(o["seats"] for o in asking), qualified)
    return out


def recount_rounds(world: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for i, r in enumerate(world["rounds"]):
        placed = [(j, p) for j, p in enumerate(world["placements"]) if p["round"] == i]
        days = [(_moment(p["recorded_month"], 20 + j % 5).date()
                 - _moment(world["openings"][p["opening"]]["month"], 5).date()).days
                for j, p in placed if p["opening"] is not None]
        out.append({"applicants": len(r["participants"]), "seats": sum(r["openings"].values()),
                    "placements": len(placed), "days": days,
                    "ranks": {int(k): v for k, v in r["ranks"].items()} if r["published"] else {1: 99}})
    return out


def recount_retention(world: dict[str, Any], period: tuple[date, date] | None = None) -> dict[tuple[int, str, str], tuple[int, int]]:
    out: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in world["placements"]:
        start = _moment(p["start_month"], 1).date()
        if period and not (period[0] <= start < period[1]):
            continue
        kind, region = world["orgs"][p["org"]]
        for months, kept in p["followups"].items():
            cell = out[(months, kind, region or "unknown")]
            cell[0] += 1
            cell[1] += int(kept)
    return {k: (v[0], v[1]) for k, v in out.items()}


def recount_circulation(world: dict[str, Any]) -> tuple[dict[tuple[str, str, str], int], dict[tuple[str, str, str], int]]:
    flows: Counter[tuple[str, str, str]] = Counter()
    returns: Counter[tuple[str, str, str]] = Counter()
    for p in world["placements"]:
        employer = world["talents"][p["talent"]]["employer"]
        src = "none" if employer is None else world["orgs"][employer][0]
        dst = world["orgs"][p["org"]][0]
        flows[(src, dst, p["kind"])] += 1
        if p["kind"] == "secondment" and p["status"] == "completed":
            returns[(dst, src, p["kind"])] += 1
    return dict(flows), dict(returns)


def recount_regions(world: dict[str, Any]) -> tuple[Counter[str], dict[int, tuple[int, int]]]:
    """Placements by place of work, and per round (capital-area placements, all placements)."""
    capital = {"seoul", "incheon", "gyeonggi"}
    by_region: Counter[str] = Counter()
    per_round: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for p in world["placements"]:
        place = None
        if p["round"] is not None and p["opening"] is not None and p["opening"] in world["rounds"][p["round"]]["openings"]:
            place = round_opening_region(world["rounds"][p["round"]]["openings"][p["opening"]])
        if place is None and p["opening"] is not None:
            place = world["openings"][p["opening"]]["region"]
        if place is None:
            place = world["orgs"][p["org"]][1]
        place = place or "unknown"
        by_region[place] += 1
        if p["round"] is not None:
            per_round[p["round"]][0] += place in capital
            per_round[p["round"]][1] += 1
    return by_region, {k: (v[0], v[1]) for k, v in per_round.items()}
