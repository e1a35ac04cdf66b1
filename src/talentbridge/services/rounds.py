"""The round workflow: an operator opens seats, participants rank openings, organizations rank applicants (or
accept a ranking by fit score and edit it), the operator runs the match, reviews the diagnostics and a person
publishes it.

States of a round (``RoundStatus``) and the actions each allows::

    draft ──open──▶ collecting ──close──▶ closed ──run──▶ matched ──publish──▶ published
      │                 │                    │              │ ▲
      │ attach/detach   │ attach/detach      │ generate     │ │ run again (another mechanism/seed)
      │ openings, add/  │ openings, add/     │ rankings     └─┘
      │ remove          │ remove participants│
      │ participants    │ submit lists (until│
      │                 │ the deadline),     │
      │                 │ generate rankings  │

Every run stores the exact instance given to :func:`talentbridge.programs.solve`, the mechanism, proposing
side and seed, the whole result with its diagnostics, a SHA-256 of input and of result, the software version,
who ran it and when; publishing records who approved which run and when and creates one planned ``Placement``
per matched pair. :meth:`RoundService.reproduce` re-solves a stored instance and compares the results.

Ids inside an instance are strings: ``t<talent id>`` for applicants, ``o<opening id>`` for programs,
``org<organization id>`` for employers and organizations, and the cap keys of ``Round.regional_caps`` for
regions (``capital`` = Seoul + Incheon + Gyeonggi, or a region code such as ``busan``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

import talentbridge
from talentbridge.domain import Opening, PlacementData, Program, ProgramData, Round, RoundData
from talentbridge.domain.base import validate_record
from talentbridge.domain.enums import CAPITAL_AREA, OPENING_EMPLOYMENT_TYPE, OpeningKind, Region, RoundStatus
from talentbridge.domain.errors import (
    Alternatives,
    ImportRejected,
    InvalidState,
    Msg,
    NotFound,
    Problem,
    ValidationFailed,
)
from talentbridge.services.round_lists import (
    _check_owner,
    _check_ranking,
    _flatten,
    _is_id,
    _normalise,
    _tiers,
)
from talentbridge.services.round_runs import (
    _aware,
    _differences,
    _few,
    _input_hash,
    _plain_json,
    _summary,
    canonical_json,
    digest,
    run_summary,
)
from talentbridge.services.round_scoring import PairScorer, skill_overlap_score
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.round_repository import (
    RankedList,
    RoundOpening,
    RoundParticipant,
    RoundStore,
    RunRecord,
)

__all__ = [
    "RoundService",
    "PreferenceInput",
    "CAPITAL",
    "SIDES",
    "SOURCES",
    "canonical_json",
    "digest",
    "area_of",
    "skill_overlap_score",
]

#: The regional-cap key for the capital area (수도권: Seoul, Incheon, Gyeonggi).
CAPITAL = "capital"
SIDES = ("talent", "opening")
SOURCES = ("submitted", "generated", "edited")
#: Hard constraints that leave a participant out of a ranking generated for every participant.
ROUND_CONSTRAINTS = ("employment_type", "work_permit", "own_employer")
_CAPITAL_REGIONS = frozenset(r.value for r in CAPITAL_AREA)
_REGIONS = frozenset(r.value for r in Region)

S = RoundStatus


@dataclass(frozen=True)
class PreferenceInput:
    """One ranked list to submit: ``side`` talent (ranking = opening ids) or opening (ranking = talent ids; an
    inner list is a tie). ``line`` is where it came from in a file, for error messages."""

    side: str
    owner_id: int
    ranking: list[Any]
    line: int | None = None


# -- helpers that need no database ---------------------------------------------------------------------------


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


def check_caps(caps: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a ``regional_caps`` mapping (unknown keys, bad numbers, overlapping areas)."""
    problems = []
    for key, value in caps.items():
        if key != CAPITAL and key not in _REGIONS:
            problems.append(
                Problem(
                    ("regional_caps", key),
                    f"unknown region; use {CAPITAL} or a region code such as seoul, busan, gyeonggi",
                    key,
                    "unknown_id",
                )
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(Problem(("regional_caps", key), "a cap is a non-negative whole number", value))
        if key in _CAPITAL_REGIONS and CAPITAL in caps:
            problems.append(
                Problem(
                    ("regional_caps", key),
                    f"{key} is part of the capital area, which is capped as a whole: give one or the other",
                    key,
                    "overlap",
                )
            )
    return problems


def _tid(talent_id: int) -> str:
    return f"t{talent_id}"


def _oid(opening_id: int) -> str:
    return f"o{opening_id}"


def _org(organization_id: int) -> str:
    return f"org{organization_id}"


def _num(instance_id: str) -> int:
    return int(instance_id.lstrip("tor"))


class RoundService:
    """Use cases of the round workflow over one session (one transaction: the caller commits).

    ``clock`` gives the current time (UTC); tests pass a fixed one to check deadlines.
    """

    def __init__(self, session: Session, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
        self.repos = Repositories(session)
        self.store = RoundStore(session)
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- programmes and rounds -------------------------------------------------------------------------------
    def create_program(self, data: Mapping[str, Any]) -> Program:
        return self.repos.programs.add(validate_record(ProgramData, dict(data), "program"))

    def create_round(self, data: Mapping[str, Any]) -> Round:
        record = validate_record(RoundData, dict(data), "round")
        problems = check_caps(record.regional_caps)
        if record.status != S.DRAFT:
            problems.append(
                Problem(("status",), "a new round starts as draft; open it with `open`", record.status.value)
            )
        if problems:
            raise ValidationFailed("invalid round", problems)
        return self.repos.rounds.add(record)

    def get(self, round_id: int) -> Round:
        return self.store.round_of(round_id)

    def _require(self, round_id: int, allowed: Iterable[RoundStatus], doing: str, shared: bool = False) -> Round:
        """Lock the round and check its status allows ``doing``; InvalidState says what would."""
        self.store.lock(round_id, shared=shared)
        rnd = self.store.round_of(round_id)
        allowed = tuple(allowed)
        if rnd.status not in allowed:
            raise InvalidState(
                Msg("cannot {doing}: round {round} is {status}{hint}; this is possible only while it is {allowed}",
                    doing=doing, round=round_id, status=rnd.status.value, hint=_hint(rnd),
                    allowed=Alternatives(s.value for s in allowed)),
                round_id=round_id,
                round_status=rnd.status.value,
                allowed=[s.value for s in allowed],
            )
        return rnd

    # -- openings and participants ---------------------------------------------------------------------------
    def openings(self, round_id: int) -> list[RoundOpening]:
        self.get(round_id)
        return self.store.openings(round_id)

    def participants(self, round_id: int) -> list[RoundParticipant]:
        self.get(round_id)
        return self.store.participants(round_id)

    def attach_opening(self, round_id: int, opening_id: int, seats: int | None = None) -> RoundOpening:
        """Attach an opening with ``seats`` (default: the opening's own); attaching again changes seats."""
        self._require(round_id, (S.DRAFT, S.COLLECTING), "attach an opening")
        opening = self.repos.openings.get(opening_id)
        if opening.status.value in {"closed", "filled"}:
            raise InvalidState(
                Msg("opening {opening} is {status}: reopen it before attaching it", opening=opening_id,
                    status=opening.status.value),
                opening_id=opening_id,
                opening_status=opening.status.value,
            )
        seats = opening.seats if seats is None else seats
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise ValidationFailed("invalid seats", [Problem(("seats",), "at least 1 seat", seats)])
        region = None if opening.region is None else opening.region.value
        return self.store.attach_opening(round_id, opening_id, seats, region)

    def detach_opening(self, round_id: int, opening_id: int) -> None:
        """Detach an opening and drop its own ranked list; refused while talents' lists name it."""
        self._require(round_id, (S.DRAFT, S.COLLECTING), "detach an opening")
        if self.store.opening(round_id, opening_id) is None:
            raise NotFound("round opening", opening_id, f"opening {opening_id} is not attached to round {round_id}")
        naming = [p.owner_id for p in self.store.preferences(round_id, "talent") if opening_id in p.ranking]
        if naming:
            raise InvalidState(
                Msg("opening {opening} is ranked by {n} talent(s) ({few}): they must drop it from their lists first",
                    opening=opening_id, n=len(naming), few=_few(naming)),
                opening_id=opening_id,
                talent_ids=naming[:100],
            )
        self.store.delete_preferences(round_id, "opening", opening_id)
        self.store.detach_opening(round_id, opening_id)

    def add_participant(self, round_id: int, talent_id: int, employer_id: int | None = None) -> RoundParticipant:
        """Add a talent; ``employer_id`` defaults to the talent's current employer (for secondment rules)."""
        self._require(round_id, (S.DRAFT, S.COLLECTING), "add a participant")
        talent = self.repos.talents.get(talent_id)
        employer = talent.current_employer_id if employer_id is None else employer_id
        if employer is not None and not self.repos.organizations.exists(employer):
            raise ValidationFailed(
                "invalid participant",
                [Problem(("employer_id",), "no organization with this id", employer, "unknown_id")],
            )
        return self.store.add_participant(round_id, talent_id, employer)

    def remove_participant(self, round_id: int, talent_id: int) -> None:
        self._require(round_id, (S.DRAFT, S.COLLECTING), "remove a participant")
        if self.store.participant(round_id, talent_id) is None:
            raise NotFound("participant", talent_id, f"talent {talent_id} is not a participant of round {round_id}")
        naming = [p.owner_id for p in self.store.preferences(round_id, "opening") if talent_id in _flatten(p.ranking)]
        if naming:
            raise InvalidState(
                Msg("talent {talent} is ranked by {n} opening(s) ({few}): drop them from those lists first",
                    talent=talent_id, n=len(naming), few=_few(naming)),
                talent_id=talent_id,
                opening_ids=naming[:100],
            )
        self.store.delete_preferences(round_id, "talent", talent_id)
        self.store.remove_participant(round_id, talent_id)

    # -- opening and closing submission ----------------------------------------------------------------------
    def open(self, round_id: int, deadline: datetime | None = None) -> Round:
        """Open preference submission (draft → collecting), optionally setting the deadline."""
        rnd = self._require(round_id, (S.DRAFT,), "open preference submission")
        problems = check_caps(rnd.regional_caps)
        deadline = _aware(deadline) if deadline is not None else _aware(rnd.preference_deadline)
        deadline = deadline.astimezone(UTC) if deadline is not None else None
        if deadline is not None and deadline <= self.clock():
            problems.append(Problem(("preference_deadline",), "the deadline has already passed", deadline.isoformat()))
        if problems:
            raise ValidationFailed(Msg("round {round} cannot be opened", round=round_id), problems)
        no_openings, no_participants = not self.store.openings(round_id), not self.store.participants(round_id)
        if no_openings or no_participants:
            template = (
                "round {round} cannot be opened yet: attach at least one opening and add at least one participant"
                if no_openings and no_participants
                else "round {round} cannot be opened yet: attach at least one opening"
                if no_openings
                else "round {round} cannot be opened yet: add at least one participant"
            )
            raise InvalidState(Msg(template, round=round_id), round_id=round_id)
        self.store.set_status(round_id, S.COLLECTING.value, preference_deadline=deadline)
        return self.get(round_id)

    def close(self, round_id: int) -> Round:
        """Close preference submission (collecting → closed); allowed before the deadline too."""
        self._require(round_id, (S.COLLECTING,), "close preference submission")
        self.store.set_status(round_id, S.CLOSED.value)
        return self.get(round_id)

    # -- ranked lists ----------------------------------------------------------------------------------------
    def preferences(self, round_id: int, side: str | None = None) -> list[RankedList]:
        self.get(round_id)
        return self.store.preferences(round_id, side)

    def _check_submission_open(self, round_id: int) -> Round:
        rnd = self._require(round_id, (S.COLLECTING,), "submit preferences", shared=True)
        deadline = _aware(rnd.preference_deadline)
        if deadline is not None and self.clock() > deadline:
            raise InvalidState(
                f"cannot submit preferences: the deadline of round {round_id} passed at {deadline.isoformat()}",
                round_id=round_id,
                deadline=deadline.isoformat(),
            )
        return rnd

    def submit_talent_preferences(
        self, round_id: int, talent_id: int, ranking: Sequence[Any], actor: str | None = None
    ) -> RankedList:
        """A talent's ranked opening ids, best first (an empty list ranks nothing)."""
        return self.submit_many(round_id, [PreferenceInput("talent", talent_id, list(ranking))], actor)[0]

    def submit_opening_preferences(
        self, round_id: int, opening_id: int, ranking: Sequence[Any], actor: str | None = None
    ) -> RankedList:
        """An opening's ranked talent ids, best first; an inner list is a tie (broken by the round's lottery).

        Replacing a generated list keeps its fit scores and marks it ``edited``."""
        return self.submit_many(round_id, [PreferenceInput("opening", opening_id, list(ranking))], actor)[0]

    def submit_many(
        self,
        round_id: int,
        lists: Sequence[PreferenceInput],
        actor: str | None = None,
        what: str | None = None,
    ) -> list[RankedList]:
        """Validate and save several lists at once: every problem of every list is reported, and nothing
        is saved unless all are valid (``ImportRejected`` when ``what`` names a file, else
        ``ValidationFailed``)."""
        actor = _checked_actor(actor, "submitted_by")
        self._check_submission_open(round_id)
        single = len(lists) == 1 and what is None
        problems: list[Problem] = []
        owners: dict[tuple[str, int], int] = {}
        openings = {o.opening_id for o in self.store.openings(round_id)}
        talents = {p.talent_id for p in self.store.participants(round_id)}
        for index, item in enumerate(lists):
            prefix: tuple[str | int, ...] = () if single else (f"{item.side}s", item.owner_id)
            if item.side not in SIDES:
                problems.append(Problem((*prefix, "side"), "side is talent or opening", item.side, line=item.line))
                continue
            key = (item.side, item.owner_id)
            if key in owners:
                problems.append(
                    Problem(
                        prefix or ("owner_id",),
                        f"a second list for this {item.side} (first at entry {owners[key] + 1})",
                        item.owner_id,
                        "duplicate",
                        item.line,
                    )
                )
                continue
            owners[key] = index
            problems += _check_owner(round_id, item, openings, talents, prefix)
            problems += _check_ranking(round_id, item, openings, talents, prefix)
        if problems:
            cls = ImportRejected if what else ValidationFailed
            count = len(problems)
            where = f" in {what}" if what else ""
            raise cls(
                f"{count} problem{'s' if count != 1 else ''} with the ranked list{'s' if not single else ''}"
                f"{where}; nothing was saved",
                problems,
                round_id=round_id,
            )
        now = self.clock()
        saved = []
        stored = self.store.preferences_of(round_id, [(i.side, i.owner_id) for i in lists])
        for item in lists:
            previous = stored.get((item.side, item.owner_id))
            generated = previous is not None and previous.source in ("generated", "edited")
            saved.append(
                RankedList(
                    item.side,
                    item.owner_id,
                    _normalise(item.ranking),
                    "edited" if generated else "submitted",
                    now,
                    actor,
                    previous.scores if generated else None,
                    previous.scorer if generated else None,
                )
            )
        self.store.save_preferences(round_id, saved)
        return saved

    # -- organization rankings from fit scores ---------------------------------------------------------------
    def generate_organization_rankings(
        self,
        round_id: int,
        *,
        opening_ids: Sequence[int] | None = None,
        scope: str = "applicants",
        overwrite: bool = False,
        min_score: float | None = None,
        edit: Mapping[int, Sequence[Any]] | None = None,
        actor: str | None = None,
    ) -> dict[str, Any]:
        """Rank talents for openings by fit score, best first; equal scores form a tie.

        ``scope``: ``applicants`` ranks the talents who listed the opening, ``all`` every participant.
        Openings with a list submitted or edited by a person are kept unless ``overwrite``; lists generated
        before are regenerated. ``min_score`` leaves out talents below it (they become unacceptable to the
        opening). ``edit`` maps opening id → an edited ranking saved over the generated one (source
        ``edited``, the fit scores kept). Allowed while the round is collecting or closed.
        Returns what was generated, kept and edited, and which scorer was used.
        """
        actor = _checked_actor(actor, "submitted_by")
        rnd = self._require(round_id, (S.COLLECTING, S.CLOSED), "generate organization rankings")
        problems: list[Problem] = []
        if scope not in ("applicants", "all"):
            problems.append(Problem(("scope",), "scope is applicants or all", scope))
        attached = {o.opening_id: o for o in self.store.openings(round_id)}
        targets = list(attached) if opening_ids is None else list(dict.fromkeys(opening_ids))
        for oid in targets:
            if oid not in attached:
                problems.append(
                    Problem(
                        ("opening_ids",),
                        f"opening {oid} is not attached to round {round_id}",
                        oid,
                        "unknown_id",
                    )
                )
        for oid in edit or {}:
            if oid not in attached:
                problems.append(
                    Problem(("edit", oid), f"opening {oid} is not attached to round {round_id}", oid, "unknown_id")
                )
        talents_in = {p.talent_id for p in self.store.participants(round_id)}
        for oid, ranking in (edit or {}).items():
            if oid in attached:
                item = PreferenceInput("opening", oid, list(ranking))
                problems += _check_ranking(round_id, item, set(attached), talents_in, ("edit", oid))
        if problems:
            raise ValidationFailed("invalid ranking generation request", problems, round_id=round_id)

        existing = {p.owner_id: p for p in self.store.preferences(round_id, "opening")}
        applicants: dict[int, list[int]] = {}
        for p in self.store.preferences(round_id, "talent"):
            for oid in p.ranking:
                applicants.setdefault(oid, []).append(p.owner_id)
        kept = [
            oid
            for oid in targets
            if oid in existing and existing[oid].source in ("submitted", "edited") and not overwrite
        ]
        todo = [oid for oid in targets if oid not in kept]
        scorer = PairScorer(self.session, self.repos.programs.get(rnd.program_id), self.clock().date())
        openings = self.repos.openings.get_many(todo)
        wanted = set(talents_in) if scope == "all" else {t for oid in todo for t in applicants.get(oid, [])}
        talents = self.repos.talents.get_many(sorted(wanted))
        now = self.clock()
        lists: list[RankedList] = []
        excluded: dict[int, dict[str, int]] = {}
        if scope == "all" and todo:
            from talentbridge.matching.constraints import Affiliates, OpeningContext, failing

            orgs = {o.id: o for o in self.repos.organizations.iter_all()}
            affiliates = Affiliates(orgs)
        for oid in todo:
            candidates = sorted(talents_in) if scope == "all" else sorted(set(applicants.get(oid, [])))
            if scope == "all":
                # every *eligible* participant: the hard constraints of the pair (employment type, work permit,
                # own employer for secondments); consent, status and deadline are the round's business
                ctx = OpeningContext(openings[oid], affiliates.of(openings[oid].organization_id), self.clock().date())
                kept_ids = []
                for t in candidates:
                    why = [c for c in failing(talents[t], ctx, check_consent=False) if c in ROUND_CONSTRAINTS]
                    if why:
                        excluded.setdefault(oid, {}).setdefault(why[0], 0)
                        excluded[oid][why[0]] += 1
                    else:
                        kept_ids.append(t)
                candidates = kept_ids
            scores = {t: scorer(talents[t], openings[oid]) for t in candidates}
            if min_score is not None:
                scores = {t: s for t, s in scores.items() if s >= min_score}
            lists.append(
                RankedList(
                    "opening",
                    oid,
                    _tiers(scores),
                    "generated",
                    now,
                    actor,
                    {str(t): s for t, s in scores.items()},
                    scorer.name,
                )
            )
        self.store.save_preferences(round_id, lists)
        _record_generated(self.session, round_id, rnd.program_id, scorer, lists, scope, min_score, actor)
        edited = []
        for oid, ranking in (edit or {}).items():
            base = self.store.preference(round_id, "opening", oid)
            edited.append(
                RankedList(
                    "opening",
                    oid,
                    _normalise(list(ranking)),
                    "edited",
                    now,
                    actor,
                    base.scores if base else None,
                    base.scorer if base else None,
                )
            )
        self.store.save_preferences(round_id, edited)
        return {
            "round_id": round_id,
            "scorer": scorer.name,
            "scope": scope,
            "generated": {str(r.owner_id): len(_flatten(r.ranking)) for r in lists},
            "kept": kept,
            "edited": [r.owner_id for r in edited],
            "excluded": {str(oid): counts for oid, counts in excluded.items()},
        }

    # -- instance, run, review, publish ----------------------------------------------------------------------
    def build_instance(self, round_id: int) -> dict[str, Any]:
        """The matching instance of the round (schema in docs/programs.md), from the stored lists.

        Capacities are the attached seats; each opening's region is its cap key (:func:`area_of`); secondment
        rules (own employer, affiliates, competitors) are included when the round's ``settings`` say
        ``secondment_rules`` (default: for talent-exchange programmes).
        """
        rnd = self.get(round_id)
        problems = check_caps(rnd.regional_caps)
        if problems:
            raise ValidationFailed(Msg("round {round} has invalid regional caps", round=round_id), problems)
        program = self.repos.programs.get(rnd.program_id)
        attached = self.store.openings(round_id)
        participants = self.store.participants(round_id)
        opening_set = {o.opening_id for o in attached}
        talent_set = {p.talent_id for p in participants}
        prefs = {(p.side, p.owner_id): p for p in self.store.preferences(round_id)}
        rules = rnd.settings.get("secondment_rules", program.kind.value == "talent_exchange")
        openings = self.repos.openings.get_many(opening_set) if rules else {}
        employer_of = {p.talent_id: p.employer_id for p in participants}
        affiliates = self._affiliates(openings.values(), employer_of.values()) if rules else {}
        competitors = _competitors(rnd.settings.get("competitors", {})) if rules else {}

        applicants = []
        for p in participants:
            listed = prefs.get(("talent", p.talent_id))
            item: dict[str, Any] = {
                "id": _tid(p.talent_id),
                "preferences": [_oid(o) for o in (listed.ranking if listed else []) if o in opening_set],
            }
            if rules and p.employer_id is not None:
                item["employer"] = _org(p.employer_id)
                others = sorted(affiliates.get(p.employer_id, set()) - {p.employer_id})
                if others:
                    item["affiliates"] = [_org(o) for o in others]
                if competitors.get(p.employer_id):
                    item["competitors"] = [_org(o) for o in sorted(competitors[p.employer_id])]
            applicants.append(item)
        programs = []
        for o in attached:
            ranked = prefs.get(("opening", o.opening_id))
            item = {"id": _oid(o.opening_id), "capacity": o.seats, "preferences": []}
            if ranked is not None:
                for entry in ranked.ranking:
                    if isinstance(entry, list):
                        tier = [_tid(t) for t in entry if t in talent_set]
                        if len(tier) > 1:
                            item["preferences"].append(tier)
                        elif tier:
                            item["preferences"].append(tier[0])
                    elif entry in talent_set:
                        item["preferences"].append(_tid(entry))
                if ranked.scores:
                    item["scores"] = {
                        _tid(int(t)): s
                        for t, s in sorted(ranked.scores.items(), key=lambda kv: int(kv[0]))
                        if int(t) in talent_set
                    }
            area = area_of(o.region, rnd.regional_caps)
            if area is not None:
                item["region"] = area
            if rules:
                org_id = openings[o.opening_id].organization_id
                item["organization"] = _org(org_id)
                if competitors.get(org_id):
                    item["competitors"] = [_org(x) for x in sorted(competitors[org_id])]
            programs.append(item)
        regions = [{"id": key, "cap": cap} for key, cap in sorted(rnd.regional_caps.items())]
        return {"applicants": applicants, "programs": programs, "regions": regions, "seed": rnd.seed}

    def _affiliates(self, openings: Iterable[Opening], employers: Iterable[int | None]) -> dict[int, set[int]]:
        """Employer id → the opening organizations it is affiliated with (itself included if it has any).

        Affiliation (parent/subsidiary, same business group) is looked up among the employers, the opening
        organizations and their parents."""
        try:
            from talentbridge.matching.constraints import Affiliates
        except ImportError:  # pragma: no cover - the matching core is part of the package
            return {}
        org_ids = {o.organization_id for o in openings}
        wanted = org_ids | {e for e in employers if e is not None}
        orgs = self.repos.organizations.get_many(sorted(wanted))
        parents = {o.parent_id for o in orgs.values() if o.parent_id is not None} - set(orgs)
        orgs.update(self.repos.organizations.get_many(sorted(parents)))
        lookup = Affiliates(orgs)
        return {e: set(lookup.of(e)) & org_ids for e in wanted}

    def run(
        self,
        round_id: int,
        mechanism: str | None = None,
        proposing: str | None = None,
        seed: int | None = None,
        actor: str | None = None,
    ) -> RunRecord:
        """Solve the round (closed or matched; the round's own mechanism/proposing/seed unless given) and
        store the run with its instance, result, diagnostics and hashes. The round becomes ``matched``."""
        from talentbridge.programs import solve

        actor = _checked_actor(actor, "created_by")
        rnd = self._require(round_id, (S.CLOSED, S.MATCHED), "run the match")
        mechanism = mechanism or rnd.mechanism
        proposing = proposing or rnd.proposing
        seed = rnd.seed if seed is None else seed
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValidationFailed("invalid run options", [Problem(("seed",), "a non-negative whole number", seed)])
        ranked = {p.owner_id for p in self.store.preferences(round_id, "opening")}
        unranked = [o.opening_id for o in self.store.openings(round_id) if o.opening_id not in ranked]
        if unranked:
            raise InvalidState(
                f"{len(unranked)} opening(s) of round {round_id} have no ranking of talents "
                f"({_few(unranked)}): "
                "have the organizations submit one, or generate them from fit scores "
                f"(`talentbridge rounds generate-rankings {round_id}`)",
                round_id=round_id,
                opening_ids=unranked,
            )
        instance = self.build_instance(round_id)
        instance["seed"] = seed
        result = _plain_json(solve(instance, mechanism=mechanism, proposing=proposing))
        diagnostics = result.pop("diagnostics")
        full = {**result, "diagnostics": diagnostics}
        summary = _summary(instance, diagnostics)
        run = self.store.add_run(
            round_id,
            mechanism=mechanism,
            proposing=proposing,
            seed=seed,
            instance=instance,
            result=result,
            diagnostics=diagnostics,
            summary=summary,
            input_hash=_input_hash(instance, mechanism, proposing),
            result_hash=digest(full),
            software_version=talentbridge.__version__,
            created_at=self.clock(),
            created_by=actor,
        )
        self.store.set_status(round_id, S.MATCHED.value)
        from talentbridge.services.ai_records import record_round_run

        record_round_run(self.session, run, instance, actor)
        return run

    def runs(self, round_id: int) -> list[RunRecord]:
        self.get(round_id)
        return self.store.runs(round_id)

    def get_run(self, round_id: int, run_id: int) -> RunRecord:
        self.get(round_id)
        run = self.store.run(run_id)
        if run.round_id != round_id:
            raise NotFound("run", run_id, f"run {run_id} does not belong to round {round_id}")
        return run

    def run_detail(self, run: RunRecord) -> dict[str, Any]:
        """A run as an operator reviews it: summary, diagnostics, each pair with both sides' ranks, the
        unmatched with reasons (ids as numbers)."""
        assert run.instance is not None and run.result is not None
        talent_rank = {a["id"]: {o: i + 1 for i, o in enumerate(a["preferences"])} for a in run.instance["applicants"]}
        opening_rank: dict[str, dict[str, int]] = {}
        for p in run.instance["programs"]:
            ranks: dict[str, int] = {}
            for i, entry in enumerate(p["preferences"]):
                for t in entry if isinstance(entry, list) else [entry]:
                    ranks[t] = i + 1
            opening_rank[p["id"]] = ranks
        reasons = run.diagnostics.get("unmatched_reasons", {})
        assignments, unmatched = [], []
        for tid, oid in run.result["assignments"].items():
            if oid is None:
                unmatched.append({"talent_id": _num(tid), "reason": reasons.get(tid, {}).get("reason")})
            else:
                assignments.append(
                    {
                        "talent_id": _num(tid),
                        "opening_id": _num(oid),
                        "talent_rank": talent_rank[tid].get(oid),
                        "opening_rank": opening_rank[oid].get(tid),
                    }
                )
        assignments.sort(key=lambda a: (a["opening_id"], a["opening_rank"] or 0, a["talent_id"]))
        unmatched.sort(key=lambda u: u["talent_id"])
        return {
            **run_summary(run),
            "diagnostics": run.diagnostics,
            "assignments": assignments,
            "unmatched": unmatched,
            "tie_breaking": run.result.get("tie_breaking"),
        }

    def review(self, round_id: int, run_id: int | None = None) -> dict[str, Any]:
        """The round, its lists and every run (summaries), with the chosen (default: latest) run in full."""
        rnd = self.get(round_id)
        runs = self.store.runs(round_id)
        chosen = None
        if run_id is not None:
            chosen = self.get_run(round_id, run_id)
        elif runs:
            chosen = self.store.run(runs[-1].id)
        prefs = self.store.preferences(round_id)
        by_source: dict[str, dict[str, int]] = {side: {} for side in SIDES}
        for p in prefs:
            by_source[p.side][p.source] = by_source[p.side].get(p.source, 0) + 1
        return {
            "round": rnd.model_dump(mode="json"),
            "openings": len(self.store.openings(round_id)),
            "participants": len(self.store.participants(round_id)),
            "lists": by_source,
            "runs": [run_summary(r) for r in runs],
            "run": self.run_detail(chosen) if chosen else None,
        }

    def publish(self, round_id: int, run_id: int, actor: str) -> dict[str, Any]:
        """A person approves ``run_id``: records who and when, creates a planned Placement per matched pair
        and marks the round published. Refused unless the round is matched (so never twice)."""
        if not isinstance(actor, str) or not actor.strip():
            raise ValidationFailed(
                "name the person who approves the result",
                [Problem(("published_by",), "required: who approves this result", actor, "missing")],
            )
        actor = _checked_actor(actor.strip(), "published_by")
        rnd = self._require(round_id, (S.MATCHED,), "publish")
        run = self.get_run(round_id, run_id)
        assert run.result is not None
        pairs = [(_num(t), _num(o)) for t, o in run.result["assignments"].items() if o is not None]
        openings = self.repos.openings.get_many({o for _, o in pairs})
        program = self.repos.programs.get(rnd.program_id)
        now = self.clock()
        rows = []
        for talent_id, opening_id in pairs:
            opening = openings[opening_id]
            record = PlacementData(
                talent_id=talent_id,
                organization_id=opening.organization_id,
                opening_id=opening_id,
                round_id=round_id,
                kind=OPENING_EMPLOYMENT_TYPE[OpeningKind(opening.kind)],
                start_date=opening.start_date or program.start_date or now.date(),
            )
            rows.append({**record.model_dump(mode="json"), "start_date": record.start_date})
        placement_ids = self.store.add_placements(rows)
        self.store.mark_published(run_id, now, actor)
        self.store.set_status(round_id, S.PUBLISHED.value, published_at=now, published_by=actor)
        from talentbridge.services.ai_records import record_approval

        record_approval(self.session, run, actor, placements=len(placement_ids))
        return {
            "round_id": round_id,
            "run_id": run_id,
            "published_at": now.isoformat(),
            "published_by": actor,
            "placements": len(placement_ids),
            "placement_ids": placement_ids,
        }

    def result(self, round_id: int) -> dict[str, Any]:
        """The published result: who approved which run when, the pairs, the unmatched and the placements."""
        rnd = self.get(round_id)
        run = self.store.published_run(round_id)
        if rnd.status != S.PUBLISHED or run is None:
            raise InvalidState(
                f"round {round_id} has no published result: it is {rnd.status.value}{_hint(rnd)}",
                round_id=round_id,
                round_status=rnd.status.value,
            )
        detail = self.run_detail(self.store.run(run.id))
        return {
            "round_id": round_id,
            "published_at": _aware(rnd.published_at).isoformat() if rnd.published_at else None,
            "published_by": rnd.published_by,
            **{
                k: detail[k]
                for k in (
                    "run_id",
                    "mechanism",
                    "proposing",
                    "seed",
                    "input_hash",
                    "result_hash",
                    "summary",
                    "assignments",
                    "unmatched",
                )
            },
            "placement_ids": self.store.placement_ids(round_id),
        }

    def reproduce(self, run_id: int) -> dict[str, Any]:
        """Re-solve the stored instance of ``run_id`` and compare with the stored result.

        ``identical`` is true when the stored instance still has its recorded hash and the new result equals
        the stored one (canonical JSON); ``differences`` names what differs otherwise."""
        from talentbridge.programs import solve

        run = self.store.run(run_id)
        assert run.instance is not None and run.result is not None
        input_ok = _input_hash(run.instance, run.mechanism, run.proposing) == run.input_hash
        stored = {**run.result, "diagnostics": run.diagnostics}
        stored_ok = digest(stored) == run.result_hash
        fresh = _plain_json(solve(run.instance, mechanism=run.mechanism, proposing=run.proposing))
        differences = _differences(stored, fresh)
        return {
            "run_id": run.id,
            "round_id": run.round_id,
            "mechanism": run.mechanism,
            "proposing": run.proposing,
            "seed": run.seed,
            "input_hash": run.input_hash,
            "input_hash_matches": input_ok,
            "result_hash": run.result_hash,
            "stored_result_hash_matches": stored_ok,
            "reproduced_result_hash": digest(fresh),
            "identical": input_ok and stored_ok and not differences,
            "differences": differences,
        }


# -- private helpers -----------------------------------------------------------------------------------------


def _hint(rnd: Round) -> str:
    return {
        S.DRAFT: " (open it first)",
        S.COLLECTING: " (preference submission is still open: close it first)",
        S.CLOSED: " (it has no run yet: run it first)",
        S.MATCHED: " (awaiting review and publication)",
        S.PUBLISHED: Msg(
            " (published by {by} at {at})",
            by=rnd.published_by or "?",
            at=_aware(rnd.published_at).isoformat() if rnd.published_at else "?",
        ),
    }.get(rnd.status, "")


def _checked_actor(actor: str | None, field: str) -> str | None:
    """Who did something, as stored for the audit (at most 200 characters, never silently cut)."""
    if actor is not None and len(actor) > 200:
        raise ValidationFailed(f"{field} is too long", [Problem((field,), "at most 200 characters", actor[:40])])
    return actor


def _competitors(setting: Any) -> dict[int, set[int]]:
    """``settings.competitors``: organization id → ids of organizations it competes with (made symmetric)."""
    problems = []
    out: dict[int, set[int]] = {}
    if not isinstance(setting, Mapping):
        raise ValidationFailed(
            "invalid round settings",
            [
                Problem(
                    ("settings", "competitors"),
                    "an object of organization id to a list of organization ids",
                    setting,
                )
            ],
        )
    for key, others in setting.items():
        try:
            org = int(key)
        except (TypeError, ValueError):
            problems.append(Problem(("settings", "competitors", key), "an organization id", key))
            continue
        if not isinstance(others, list) or not all(_is_id(o) for o in others):
            problems.append(Problem(("settings", "competitors", key), "a list of organization ids", others))
            continue
        for other in others:
            out.setdefault(org, set()).add(other)
            out.setdefault(other, set()).add(org)
    if problems:
        raise ValidationFailed("invalid round settings", problems)
    return out


def _record_generated(
    session: Session,
    round_id: int,
    program_id: int,
    scorer: PairScorer,
    lists: Sequence[RankedList],
    scope: str,
    min_score: float | None,
    actor: str | None,
) -> None:
    """One AI Basic Act record per generated list (``services/ai_records.py``)."""
    from talentbridge.services.ai_records import record_generated_ranking

    for item in lists:
        record_generated_ranking(session, round_id, program_id, scorer, item, scope, min_score, actor)
