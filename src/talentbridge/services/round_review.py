"""Reviewing a round's runs and deciding: run with a chosen mechanism, compare runs side by side, approve one
and publish it, and each participant's published result (what their rounds page shows).

The comparison puts, for each run: the rank distribution (how many got their 1st, 2nd, ... choice), the
unmatched and why, empty seats by opening, blocking pairs, and each capped region's placements against its cap
and its target — plus how many talents a run places differently from the first run compared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.domain.enums import RoundStatus
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.domain.round_records import RunRecord
from talentbridge.services.round_runs import RoundRunService
from talentbridge.services.round_setup import MECHANISMS, PROPOSING, Actor, RoundSetupService
from talentbridge.storage import round_candidates as cand

__all__ = ["RoundReviewService", "participant_result"]

_MAX_COMPARED = 4
#: People listed by name per run on the comparison (the counts are always complete).
LIST_LIMIT = 200


def _num(instance_id: str) -> int:
    return int(instance_id.lstrip("tor"))


class RoundReviewService:
    def __init__(self, session: Session, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
        self.setup = RoundSetupService(session, clock)
        self.rounds = self.setup.rounds  # runs, review, publish (``review.rounds`` is public for one release)
        self.repos = self.rounds.repos

    # -- deciding ------------------------------------------------------------------------------------------
    def check_run(self, round_id: int, mechanism: str, proposing: str | None) -> None:
        """What ``run`` refuses, checked without solving: the page answers at once, then runs it as a job."""
        problems = []
        if mechanism not in MECHANISMS:
            problems.append(Problem(("mechanism",), "Choose a mechanism from the list.", mechanism))
        if proposing and proposing not in PROPOSING:
            problems.append(Problem(("proposing",), "Choose who proposes from the list.", proposing))
        if problems:
            raise ValidationFailed("invalid run", problems)
        self.rounds.check_runnable(round_id, mechanism, proposing or None)

    def run(self, round_id: int, mechanism: str, proposing: str | None, actor: Actor | None) -> RunRecord:
        self.check_run(round_id, mechanism, proposing)
        run = self.rounds.run(
            round_id, mechanism=mechanism, proposing=proposing or None, actor=actor.label if actor else None
        )
        self.setup.audit(
            actor,
            "run",
            "round",
            round_id,
            run_id=run.id,
            mechanism=run.mechanism,
            proposing=run.proposing,
            seed=run.seed,
            result_hash=run.result_hash,
            placed=run.summary.get("placed"),
        )
        return run

    def publish(self, round_id: int, run_id: int, actor: Actor) -> dict[str, Any]:
        """Approve ``run_id`` and publish it: placements are created and every participant's rounds page
        shows their result from then on. Audited as ``approve`` then ``publish``."""
        self.setup.audit(actor, "approve", "round", round_id, run_id=run_id)
        result = self.rounds.publish(round_id, run_id, actor=actor.label)
        participants = len(cand.participant_ids(self.session, round_id))
        notices = self._notify_participants(round_id, run_id)
        self.setup.audit(
            actor,
            "publish",
            "round",
            round_id,
            run_id=run_id,
            placements=result["placements"],
            participants_notified=participants,
            notifications=notices,
        )
        return {**result, "participants_notified": participants, "notifications": notices}

    def _notify_participants(self, round_id: int, run_id: int) -> int:
        """A ``round_published`` notice per participant (matched or not, with the opening) through the in-app
        notifications service when it is installed; returns how many notices were created. Without it, each
        participant's rounds page still shows the result (:func:`participant_result`)."""
        try:
            from talentbridge.services.notifications import notify
        except ModuleNotFoundError as exc:
            if exc.name != "talentbridge.services.notifications":
                raise
            return 0
        rnd = self.rounds.get(round_id)
        run = self.rounds.get_run(round_id, run_id)
        assert run.result is not None
        assignments = run.result["assignments"]
        opening_ids = {_num(o) for o in assignments.values() if o is not None}
        titles = {o.id: o.title for o in self.repos.openings.get_many(opening_ids).values()}
        created = 0
        for p in self.rounds.store.participants(round_id):
            opening = assignments.get(f"t{p.talent_id}")
            params: dict[str, Any] = {"round_name": rnd.name, "round_id": round_id, "outcome": "unmatched"}
            if opening is not None:
                params.update(outcome="matched", opening_title=titles.get(_num(opening), ""))
            created += len(notify(self.session, talent_id=p.talent_id, kind="round_published", params=params))
        return created

    # -- comparing -----------------------------------------------------------------------------------------
    def compare(self, round_id: int, run_ids: Sequence[int] | None = None) -> dict[str, Any]:
        """Runs side by side (default: the latest ``_MAX_COMPARED``), in the order given."""
        rnd = self.rounds.get(round_id)
        summaries = self.rounds.store.runs(round_id)
        chosen = list(dict.fromkeys(run_ids)) if run_ids else [r.id for r in summaries][-_MAX_COMPARED:]
        runs = [self.rounds.get_run(round_id, rid) for rid in chosen[:_MAX_COMPARED]]
        opening_ids = {o.opening_id for o in self.rounds.store.openings(round_id)}
        titles = cand.opening_titles(self.session, sorted(opening_ids))
        names = cand.talent_names(self.session, cand.participant_ids(self.session, round_id))
        first = runs[0].result["assignments"] if runs and runs[0].result else {}
        columns = [self._column(run, first, titles, names) for run in runs]
        longest = max((len(c["ranks"]) for c in columns), default=0)
        for c in columns:
            c["ranks"] = c["ranks"] + [0] * (longest - len(c["ranks"]))
        regions = sorted({key for c in columns for key in c["regions"]})
        reasons = sorted({key for c in columns for key in c["unmatched_by_reason"]})
        return {
            "round": rnd,
            "runs": columns,
            "rank_rows": list(range(1, longest + 1)),
            "regions": regions,
            "reasons": reasons,
            "all_runs": [
                {"run_id": r.id, "mechanism": r.mechanism, "created_at": r.created_at, "published": r.published_at}
                for r in summaries
            ],
        }

    def _column(
        self, run: RunRecord, first: dict[str, Any], titles: dict[int, str], names: dict[int, str]
    ) -> dict[str, Any]:
        assert run.result is not None and run.instance is not None
        d = run.diagnostics
        distribution = {int(k): v for k, v in (d.get("rank_distribution") or {}).items()}
        ranks = [distribution.get(i, 0) for i in range(1, max(distribution, default=0) + 1)]
        placed = d.get("placed", 0)
        mean = sum(i * n for i, n in enumerate(ranks, start=1)) / placed if placed else None
        unmatched = []
        for tid, item in sorted(d.get("unmatched_reasons", {}).items(), key=lambda kv: _num(kv[0])):
            unmatched.append(
                {"talent_id": _num(tid), "name": names.get(_num(tid), tid), "reason": item.get("reason", "unknown")}
            )
        empty = [
            {"title": titles.get(_num(oid), oid), "seats": n}
            for oid, n in sorted(d.get("empty_seats_by_program", {}).items(), key=lambda kv: _num(kv[0]))
        ]
        regions = {}
        for key, r in (d.get("regions") or {}).items():
            cap = r.get("cap")
            regions[key] = {
                "placed": r.get("placed", 0),
                "cap": cap,
                "target": r.get("target", 0),
                "seats": r.get("seats", 0),
                "cap_ok": cap is None or r.get("placed", 0) <= cap,
                "target_ok": r.get("placed", 0) >= r.get("target", 0),
            }
        assignments = run.result["assignments"]
        changed = sum(1 for t in set(first) | set(assignments) if first.get(t) != assignments.get(t))
        choice = {a["id"]: a["preferences"] for a in run.instance["applicants"]}
        pairs = sorted(
            (
                {
                    "talent_id": _num(tid),
                    "name": names.get(_num(tid), tid),
                    "title": titles.get(_num(oid), oid),
                    "rank": choice.get(tid, []).index(oid) + 1 if oid in choice.get(tid, []) else None,
                }
                for tid, oid in assignments.items()
                if oid is not None
            ),
            key=lambda p: (str(p["title"]), str(p["name"])),
        )
        return {
            "run_id": run.id,
            "mechanism": run.mechanism,
            "proposing": run.proposing,
            "seed": run.seed,
            "created_at": run.created_at,
            "created_by": run.created_by,
            "published": run.published_at is not None,
            "placed": placed,
            "participants": run.summary.get("participants", len(assignments)),
            "seats": run.summary.get("seats"),
            "unmatched": d.get("unmatched", 0),
            "unmatched_by_reason": d.get("unmatched_by_reason", {}),
            "unmatched_list": unmatched[:LIST_LIMIT],
            "empty_seats": d.get("empty_seats", 0),
            "empty_list": empty,
            "blocking_pairs": d.get("blocking_pairs", 0),
            "blocking_pairs_ignoring_caps": d.get("blocking_pairs_ignoring_caps", d.get("blocking_pairs", 0)),
            "ranks": ranks,
            "mean_rank": mean,
            "first_choice_share": (ranks[0] / placed) if placed and ranks else None,
            "total_score": d.get("total_score"),
            "regions": regions,
            "changed_vs_first": changed,
            "assignments": pairs[:LIST_LIMIT],
        }


def participant_result(session: Session, round_id: int, talent_id: int) -> dict[str, Any] | None:
    """A talent's published result of a round: the opening and organization they were placed with and at which
    of their choices, or why they were not placed; None until the round is published."""
    service = RoundRunService(session)
    rnd = service.get(round_id)
    if rnd.status != RoundStatus.PUBLISHED:
        return None
    run = service.store.published_run(round_id)
    if run is None:
        return None
    run = service.store.run(run.id)
    assert run.result is not None and run.instance is not None
    key = f"t{talent_id}"
    opening = run.result["assignments"].get(key)
    if opening is None:
        reason = run.diagnostics.get("unmatched_reasons", {}).get(key, {}).get("reason", "unknown")
        return {"placed": False, "reason": reason, "published_at": rnd.published_at}
    listed: list[str] = next((a["preferences"] for a in run.instance["applicants"] if a["id"] == key), [])
    rank = listed.index(opening) + 1 if opening in listed else None
    record = service.repos.openings.get(_num(opening))
    org = service.repos.organizations.get(record.organization_id)
    return {
        "placed": True,
        "opening_id": record.id,
        "title": record.title,
        "organization": org.name,
        "rank": rank,
        "start_date": record.start_date,
        "published_at": rnd.published_at,
    }
