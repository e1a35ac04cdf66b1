"""Ranked lists of a round: participants rank openings, organizations rank applicants — submitted by people
(several at once from a file, all-or-nothing, every problem reported) or generated from fit scores and edited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.domain import Round
from talentbridge.domain.errors import ImportRejected, InvalidState, Problem, ValidationFailed
from talentbridge.domain.round_records import RankedList, aware_utc
from talentbridge.services.round_lists import _check_owner, _check_ranking, _flatten, _normalise, _tiers
from talentbridge.services.round_scoring import PairScorer
from talentbridge.services.round_workflow import (
    ROUND_CONSTRAINTS,
    SIDES,
    PreferenceInput,
    RoundWorkflow,
    S,
    checked_actor,
)

__all__ = ["RoundSubmissionService"]


class RoundSubmissionService(RoundWorkflow):
    """Submitting, generating and editing the ranked lists of a round."""

    # -- ranked lists ----------------------------------------------------------------------------------------
    def preferences(self, round_id: int, side: str | None = None) -> list[RankedList]:
        self.get(round_id)
        return self.store.preferences(round_id, side)

    def _check_submission_open(self, round_id: int) -> Round:
        rnd = self._require(round_id, (S.COLLECTING,), "submit preferences", shared=True)
        deadline = aware_utc(rnd.preference_deadline)
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
        actor = checked_actor(actor, "submitted_by")
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
                    previous.scores if previous is not None and generated else None,
                    previous.scorer if previous is not None and generated else None,
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
        actor = checked_actor(actor, "submitted_by")
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
