"""Setting up a round and who is in it: programmes and rounds, attached openings with their seats, participants
with their employers, and opening and closing preference submission (states in ``round_workflow``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from talentbridge.domain import Program, ProgramData, Round, RoundData
from talentbridge.domain.base import validate_record
from talentbridge.domain.errors import InvalidState, Msg, NotFound, Problem, ValidationFailed
from talentbridge.domain.round_records import RoundOpening, RoundParticipant, aware_utc
from talentbridge.services.round_lists import _flatten
from talentbridge.services.round_runs import _few
from talentbridge.services.round_workflow import RoundWorkflow, S, check_caps

__all__ = ["RoundMembershipService"]


class RoundMembershipService(RoundWorkflow):
    """Programmes, rounds, their openings and participants, and the submission window."""

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
        deadline = aware_utc(deadline) if deadline is not None else aware_utc(rnd.preference_deadline)
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
