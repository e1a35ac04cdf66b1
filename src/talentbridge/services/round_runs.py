"""Running a round and deciding on the result: build the instance, run the match, review runs, publish one (a
planned placement per matched pair) and reproduce a stored run — plus the canonical JSON and hashes that make a
run reproducible and auditable, run summaries, and what differs when a run is re-solved.

Every run stores the exact instance given to :func:`talentbridge.programs.solve`, the mechanism, proposing
side and seed, the whole result with its diagnostics, a SHA-256 of input and of result, the software version,
who ran it and when; publishing records who approved which run and when and creates one planned ``Placement``
per matched pair. :meth:`RoundRunService.reproduce` re-solves a stored instance and compares the results.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import talentbridge
from talentbridge.domain import Opening, PlacementData
from talentbridge.domain.enums import OPENING_EMPLOYMENT_TYPE, OpeningKind
from talentbridge.domain.errors import InvalidState, Msg, NotFound, Problem, ValidationFailed
from talentbridge.domain.round_records import RunRecord, aware_utc
from talentbridge.programs.round_instance import record_id, round_instance
from talentbridge.services.round_lists import _is_id
from talentbridge.services.round_workflow import SIDES, RoundWorkflow, S, check_caps, checked_actor, hint

__all__ = ["RoundRunService", "canonical_json", "digest", "run_summary"]


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value`` that hashes and comparisons use: sorted keys, no spaces, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_plain)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def digest(value: Any) -> str:
    """SHA-256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> Any:
    """Datetimes without a zone are taken as UTC (SQLite gives them back without one); None stays None."""
    return aware_utc(moment)


def run_summary(run: RunRecord) -> dict[str, Any]:
    return {
        "run_id": run.id,
        "round_id": run.round_id,
        "mechanism": run.mechanism,
        "proposing": run.proposing,
        "seed": run.seed,
        "input_hash": run.input_hash,
        "result_hash": run.result_hash,
        "software_version": run.software_version,
        "created_at": _aware(run.created_at).isoformat() if run.created_at else None,
        "created_by": run.created_by,
        "published_at": _aware(run.published_at).isoformat() if run.published_at else None,
        "published_by": run.published_by,
        "summary": run.summary,
    }


def _summary(instance: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    return {
        "participants": len(instance["applicants"]),
        "openings": len(instance["programs"]),
        "seats": sum(p["capacity"] for p in instance["programs"]),
        "placed": d.get("placed"),
        "unmatched": d.get("unmatched"),
        "empty_seats": d.get("empty_seats"),
        "blocking_pairs": d.get("blocking_pairs"),
        "rank_distribution": d.get("rank_distribution", {}),
        "over_cap": sum(r.get("over_cap", 0) for r in d.get("regions", {}).values()),
    }


def _input_hash(instance: dict[str, Any], mechanism: str, proposing: str) -> str:
    return digest({"instance": instance, "mechanism": mechanism, "proposing": proposing})


def _plain_json(value: Any) -> Any:
    """``value`` as plain JSON types (numpy scalars converted), exactly as it will be stored."""
    return json.loads(canonical_json(value))


def _differences(stored: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(stored) | set(fresh)):
        if canonical_json(stored.get(key)) == canonical_json(fresh.get(key)):
            continue
        if key == "assignments":
            a, b = stored.get(key) or {}, fresh.get(key) or {}
            changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            out.append(f"assignments of {len(changed)} applicant(s) differ: {_few(changed)}")
        else:
            out.append(f"{key} differs")
    return out


def _few(ids: Sequence[Any], limit: int = 10) -> str:
    shown = ", ".join(str(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class RoundRunService(RoundWorkflow):
    """Run, review, publish and reproduce the matches of a round."""

    def build_instance(self, round_id: int) -> dict[str, Any]:
        """The matching instance of the round (schema in docs/programs.md), from the stored lists, built by the
        pure :func:`talentbridge.programs.round_instance.round_instance`.

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
        rules = rnd.settings.get("secondment_rules", program.kind.value == "talent_exchange")
        organization_of = affiliates = competitors = None
        if rules:
            openings = self.repos.openings.get_many({o.opening_id for o in attached})
            organization_of = {oid: o.organization_id for oid, o in openings.items()}
            affiliates = self._affiliates(openings.values(), [p.employer_id for p in participants])
            competitors = _competitors(rnd.settings.get("competitors", {}))
        return round_instance(
            attached,
            participants,
            self.store.preferences(round_id),
            regional_caps=rnd.regional_caps,
            seed=rnd.seed,
            organization_of=organization_of,
            affiliates=affiliates,
            competitors=competitors,
        )

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

    def check_runnable(
        self, round_id: int, mechanism: str | None = None, proposing: str | None = None, seed: int | None = None
    ) -> tuple[str, str, int]:
        """Everything ``run`` checks before it solves (the round closed or matched, a valid seed, every opening
        ranked), so a page can answer at once instead of starting a job that fails. Returns the mechanism,
        proposing side and seed the run will use (the round's own unless given)."""
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
        return mechanism, proposing, seed

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

        actor = checked_actor(actor, "created_by")
        mechanism, proposing, seed = self.check_runnable(round_id, mechanism, proposing, seed)
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
                unmatched.append({"talent_id": record_id(tid), "reason": reasons.get(tid, {}).get("reason")})
            else:
                assignments.append(
                    {
                        "talent_id": record_id(tid),
                        "opening_id": record_id(oid),
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
        actor = actor.strip()
        checked_actor(actor, "published_by")
        rnd = self._require(round_id, (S.MATCHED,), "publish")
        run = self.get_run(round_id, run_id)
        assert run.result is not None
        pairs = [(record_id(t), record_id(o)) for t, o in run.result["assignments"].items() if o is not None]
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
                f"round {round_id} has no published result: it is {rnd.status.value}{hint(rnd)}",
                round_id=round_id,
                round_status=rnd.status.value,
            )
        detail = self.run_detail(self.store.run(run.id))
        return {
            "round_id": round_id,
            "published_at": aware_utc(rnd.published_at).isoformat() if rnd.published_at else None,
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
