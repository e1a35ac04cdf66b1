"""What the round services share: the states of a round and the actions each allows, the round lock with its
status check, and the checks of regional caps and of who did something.

States of a round (``RoundStatus``) and the actions each allows::

    draft ──open──▶ collecting ──close──▶ closed ──run──▶ matched ──publish──▶ published
      │                 │                    │              │ ▲
      │ attach/detach   │ attach/detach      │ generate     │ │ run again (another mechanism/seed)
      │ openings, add/  │ openings, add/     │ rankings     └─┘
      │ remove          │ remove participants│
      │ participants    │ submit lists (until│
      │                 │ the deadline),     │
      │                 │ generate rankings  │

The use cases live in three services over this base: ``round_membership.RoundMembershipService`` (set-up and
membership: programmes, rounds, openings, participants, open, close), ``round_submissions.RoundSubmissionService``
(ranked lists: submit, generate from fit scores) and ``round_runs.RoundRunService`` (run, review, publish,
reproduce). ``rounds.RoundService`` is all three at once, for callers written before the split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.domain import Round
from talentbridge.domain.enums import Region, RoundStatus
from talentbridge.domain.errors import Alternatives, InvalidState, Msg, Problem, ValidationFailed
from talentbridge.domain.round_records import aware_utc
from talentbridge.programs.round_instance import _CAPITAL_REGIONS, CAPITAL, area_of
from talentbridge.services.registry import Registry, registry
from talentbridge.storage.round_repository import RoundStore

__all__ = [
    "CAPITAL",
    "PreferenceInput",
    "ROUND_CONSTRAINTS",
    "RoundWorkflow",
    "SIDES",
    "SOURCES",
    "area_of",
    "check_caps",
]

SIDES = ("talent", "opening")
SOURCES = ("submitted", "generated", "edited")
#: Hard constraints that leave a participant out of a ranking generated for every participant.
ROUND_CONSTRAINTS = ("employment_type", "work_permit", "own_employer")
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


class RoundWorkflow:
    """The base of the round services: one session (one transaction: the caller commits), the registry, the
    round store and a clock (UTC; tests pass a fixed one to check deadlines)."""

    def __init__(self, session: Session, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
        self.repos: Registry = registry(session)
        self.store = RoundStore(session)
        self.clock = clock or (lambda: datetime.now(UTC))

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
                    doing=doing, round=round_id, status=rnd.status.value, hint=hint(rnd),
                    allowed=Alternatives(s.value for s in allowed)),
                round_id=round_id,
                round_status=rnd.status.value,
                allowed=[s.value for s in allowed],
            )
        return rnd


def hint(rnd: Round) -> str:
    """What to do next with a round in its state (appended to refusals)."""
    return {
        S.DRAFT: " (open it first)",
        S.COLLECTING: " (preference submission is still open: close it first)",
        S.CLOSED: " (it has no run yet: run it first)",
        S.MATCHED: " (awaiting review and publication)",
        S.PUBLISHED: Msg(
            " (published by {by} at {at})",
            by=rnd.published_by or "?",
            at=aware_utc(rnd.published_at).isoformat() if rnd.published_at else "?",
        ),
    }.get(rnd.status, "")


def checked_actor(actor: str | None, field: str) -> str | None:
    """Who did something, as stored for the audit (at most 200 characters, never silently cut)."""
    if actor is not None and len(actor) > 200:
        raise ValidationFailed(f"{field} is too long", [Problem((field,), "at most 200 characters", actor[:40])])
    return actor
