"""Setting up a programme and its rounds from forms: create and edit (validated field by field), find and attach
openings, find and add participants (by search or from a file of external ids or e-mails), see who is eligible
and why not, open preference submission once the round is ready. Every state change writes an audit row.

Messages in ``Problem.msg`` and in eligibility reasons are message ids (English sentences) that the pages
translate; the CLI shows them as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from talentbridge.domain import Program, Round
from talentbridge.domain.enums import OpeningKind, ProgramKind, RoundStatus
from talentbridge.domain.errors import InvalidState, NotFound, Problem, ValidationFailed
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.round_forms import (
    CAP_KEYS,
    KST,
    MECHANISMS,
    PROPOSING,
    _whole,
    parse_program_form,
    parse_round_form,
)
from talentbridge.services.rounds import RoundService
from talentbridge.storage import round_candidates as cand

if TYPE_CHECKING:
    from talentbridge.services.round_uploads import UploadReport

__all__ = [
    "Actor",
    "RoundSetupService",
    "MECHANISMS",
    "PROPOSING",
    "CAP_KEYS",
    "KST",
    "parse_program_form",
    "parse_round_form",
    "PROGRAM_OPENING_KINDS",
]

#: The opening kinds that fit each kind of programme (others may be attached, with a warning).
PROGRAM_OPENING_KINDS: dict[str, set[str]] = {
    ProgramKind.TALENT_EXCHANGE.value: {OpeningKind.SECONDMENT_SLOT.value, OpeningKind.JOB.value},
    ProgramKind.PBL.value: {OpeningKind.PBL_PROJECT.value},
    ProgramKind.INTERNSHIP.value: {OpeningKind.INTERNSHIP.value},
    ProgramKind.JOINT_RND.value: {OpeningKind.JOINT_RND.value},
}
_MAX_SEATS = 10_000
_SKILL_MATCHES = 200
_SETUP = (RoundStatus.DRAFT, RoundStatus.COLLECTING)


@dataclass(frozen=True)
class Actor:
    """Who does something, for the audit log and the rounds' ``*_by`` columns."""

    user_id: int | None
    role: str
    label: str  # "name <email>"
    ip: str | None = None


# -- the service ---------------------------------------------------------------------------------------------


class RoundSetupService:
    """Programme and round set-up over one session (the caller commits); audit rows are written in it."""

    def __init__(self, session: Session, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
        # every round use case (set-up uses membership and submissions); ``setup.rounds`` is public for one release
        self.rounds = RoundService(session, clock)
        self.repos = self.rounds.repos
        self.clock = self.rounds.clock

    def audit(self, actor: Actor | None, action: str, entity: str, entity_id: int | None, **detail: Any) -> None:
        if actor is None:
            return
        write_entries(
            self.session,
            [
                AuditEntry(
                    actor_id=actor.user_id,
                    actor_role=actor.role,
                    action=action,
                    entity=entity,
                    entity_id=entity_id,
                    detail=_plain(detail),
                    ip=actor.ip,
                )
            ],
        )

    # -- programmes ----------------------------------------------------------------------------------------
    def create_program(self, form: Mapping[str, Any], actor: Actor | None) -> Program:
        data = parse_program_form(form)
        program = self.rounds.create_program(data)
        self.audit(actor, "create", "program", program.id, name=program.name, kind=program.kind.value)
        return program

    def update_program(self, program_id: int, form: Mapping[str, Any], actor: Actor | None) -> Program:
        before = self.repos.programs.get(program_id)
        data = parse_program_form(form)
        program = self.repos.programs.update(program_id, data)
        self.audit(actor, "update", "program", program_id, changes=_changes(before, program, data))
        return program

    # -- rounds --------------------------------------------------------------------------------------------
    def create_round(self, program_id: int, form: Mapping[str, Any], actor: Actor | None) -> Round:
        program = self.repos.programs.get(program_id)
        data = parse_round_form(form, program, self.clock())
        rules = data.pop("secondment_rules")
        rnd = self.rounds.create_round({**data, "program_id": program_id, "settings": {"secondment_rules": rules}})
        self.audit(
            actor,
            "create",
            "round",
            rnd.id,
            name=rnd.name,
            program_id=program_id,
            mechanism=rnd.mechanism,
            regional_caps=rnd.regional_caps,
        )
        return rnd

    def update_round(self, round_id: int, form: Mapping[str, Any], actor: Actor | None) -> Round:
        """Edit a round before it is published; the deadline only while submission has not closed."""
        rnd = self.rounds._require(
            round_id, (RoundStatus.DRAFT, RoundStatus.COLLECTING, RoundStatus.CLOSED, RoundStatus.MATCHED), "edit"
        )
        program = self.repos.programs.get(rnd.program_id)
        editable = rnd.status in _SETUP
        data = parse_round_form(form, program, self.clock(), deadline_editable=editable)
        if rnd.status == RoundStatus.COLLECTING and data.get("preference_deadline") is None:
            data.pop("preference_deadline", None)  # an open round keeps its deadline unless a new one is given
        rules = data.pop("secondment_rules")
        data["settings"] = {**rnd.settings, "secondment_rules": rules}
        updated = self.repos.rounds.update(round_id, data)
        self.audit(actor, "update", "round", round_id, changes=_changes(rnd, updated, data))
        return updated

    # -- candidates ----------------------------------------------------------------------------------------
    def skill_ids(self, text: str) -> list[str]:
        """Taxonomy ids of skills whose Korean or English label contains ``text`` (exact label first)."""
        from talentbridge.services.taxonomy import load_taxonomy

        needle = text.strip().casefold()
        if not needle:
            return []
        exact, partial = [], []
        for skill in load_taxonomy(self.session).skills.values():
            labels = [label.casefold() for label in skill.labels()]
            if needle in labels or skill.id.casefold() == needle:
                exact.append(skill.id)
            elif any(needle in label for label in labels):
                partial.append(skill.id)
        return (exact + sorted(partial))[:_SKILL_MATCHES]

    def find_talents(
        self, round_id: int, *, q: str = "", skill: str = "", organization: str = "", region: str = "", page: int = 1
    ) -> dict[str, Any]:
        """A page of talents matching the search, each with whether it can be added and why not."""
        rnd = self.rounds.get(round_id)
        if not (q.strip() or skill.strip() or organization.strip() or region):
            return {"items": [], "total": 0, "page": 1, "pages": 1, "searched": False}
        skill_ids = self.skill_ids(skill) if skill.strip() else None
        ids, total = cand.search_talents(
            self.session, q=q, skill_ids=skill_ids, organization=organization, region=region, page=page, size=20
        )
        return {
            "items": self.talent_eligibility(rnd, ids),
            "total": total,
            "page": page,
            "pages": max(1, -(-total // 20)),
            "searched": True,
        }

    def find_openings(
        self,
        round_id: int,
        *,
        q: str = "",
        skill: str = "",
        organization: str = "",
        region: str = "",
        kind: str = "",
        page: int = 1,
    ) -> dict[str, Any]:
        rnd = self.rounds.get(round_id)
        if not (q.strip() or skill.strip() or organization.strip() or region or kind):
            return {"items": [], "total": 0, "page": 1, "pages": 1, "searched": False}
        skill_ids = self.skill_ids(skill) if skill.strip() else None
        ids, total = cand.search_openings(
            self.session,
            q=q,
            skill_ids=skill_ids,
            organization=organization,
            region=region,
            kind=kind,
            page=page,
            size=20,
        )
        return {
            "items": self.opening_eligibility(rnd, ids),
            "total": total,
            "page": page,
            "pages": max(1, -(-total // 20)),
            "searched": True,
        }

    def talent_eligibility(self, rnd: Round, talent_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Cards of ``talent_ids`` (in that order) with ``blockers`` (why they cannot be added) and ``warnings``
        (what to know before adding them), both lists of message ids."""
        cards = cand.talent_cards(self.session, talent_ids)
        members = cand.members_among(self.session, rnd.id, list(cards))
        accounts = cand.talents_with_account(self.session, list(cards))
        elsewhere = cand.other_active_rounds(self.session, rnd.id, list(cards))
        program = self.repos.programs.get(rnd.program_id)
        out = []
        for tid in talent_ids:
            card = cards.get(tid)
            if card is None:
                continue
            blockers, warnings = [], []
            if tid in members:
                blockers.append("Already a participant of this round.")
            if not card["consent_visible"]:
                blockers.append(
                    "Has not agreed to be shown to organizations, so organizations could not rank this person."
                )
            if tid not in accounts:
                warnings.append("Has no account: cannot rank openings in the browser.")
            if not card["skills"]:
                warnings.append("No skills on the profile: fit scores will be low.")
            if program.kind == ProgramKind.TALENT_EXCHANGE and card["employer_id"] is None:
                warnings.append("No current employer: secondment rules cannot apply.")
            if tid in elsewhere:
                warnings.append("Also in another round that is not published yet.")
            out.append(
                {
                    **card,
                    "member": tid in members,
                    "eligible": not blockers,
                    "blockers": blockers,
                    "warnings": warnings,
                    "other_rounds": elsewhere.get(tid, []),
                }
            )
        return out

    def opening_eligibility(self, rnd: Round, opening_ids: Sequence[int]) -> list[dict[str, Any]]:
        cards = cand.opening_cards(self.session, opening_ids)
        attached = cand.attached_among(self.session, rnd.id, list(cards))
        elsewhere = cand.attached_elsewhere(self.session, rnd.id, list(cards))
        program = self.repos.programs.get(rnd.program_id)
        today = self.clock().astimezone(KST).date()
        fitting = PROGRAM_OPENING_KINDS.get(program.kind.value, set())
        out = []
        for oid in opening_ids:
            card = cards.get(oid)
            if card is None:
                continue
            blockers, warnings = [], []
            if oid in attached:
                blockers.append("Already attached to this round.")
            if card["status"] in ("closed", "filled"):
                blockers.append("The opening is closed or filled.")
            elif card["deadline"] is not None and card["deadline"] < today:
                blockers.append("The opening's deadline has passed.")
            if card["kind"] not in fitting:
                warnings.append("This kind of opening does not usually belong to this kind of programme.")
            if not card["skills"]:
                warnings.append("No required skills: fit scores cannot rank talents for it.")
            if oid in elsewhere:
                warnings.append("Also attached to another round that is not published yet.")
            out.append(
                {
                    **card,
                    "member": oid in attached,
                    "eligible": not blockers,
                    "blockers": blockers,
                    "warnings": warnings,
                    "other_rounds": elsewhere.get(oid, []),
                }
            )
        return out

    # -- adding and removing -------------------------------------------------------------------------------
    def attach_openings(
        self, round_id: int, opening_ids: Sequence[int], seats: Mapping[int, Any], actor: Actor | None
    ) -> list[int]:
        """Attach eligible openings with the seats given (default: the opening's own); refuses the whole
        request, listing every opening that cannot be attached and why."""
        rnd = self.rounds._require(round_id, _SETUP, "attach an opening")
        checked = {c["id"]: c for c in self.opening_eligibility(rnd, list(dict.fromkeys(opening_ids)))}
        problems: list[Problem] = []
        wanted: dict[int, int] = {}
        for oid in dict.fromkeys(opening_ids):
            card = checked.get(oid)
            if card is None:
                problems.append(Problem(("opening", oid), "No such opening.", oid, "unknown_id"))
                continue
            for reason in card["blockers"]:
                problems.append(Problem(("opening", oid), reason, card["title"]))
            raw = seats.get(oid)
            value: int | None = card["seats"]
            if raw not in (None, ""):
                value = _whole(
                    str(raw), f"seats:{oid}", problems, 1, _MAX_SEATS, "Seats are a whole number of 1 or more."
                )
            if value is not None:
                wanted[oid] = value
        if not opening_ids:
            problems.append(Problem(("opening",), "Choose at least one opening.", None, "missing"))
        if problems:
            raise ValidationFailed("openings not attached", problems, round_id=round_id)
        for oid, value in wanted.items():
            self.rounds.attach_opening(round_id, oid, seats=value)
        self.audit(actor, "attach_openings", "round", round_id, openings={str(k): v for k, v in wanted.items()})
        return list(wanted)

    def set_seats(self, round_id: int, opening_id: int, raw: Any, actor: Actor | None) -> None:
        self.rounds._require(round_id, _SETUP, "change seats")
        if self.rounds.store.opening(round_id, opening_id) is None:
            raise NotFound("round opening", opening_id, "This opening is not attached to the round.")
        problems: list[Problem] = []
        value = _whole(str(raw), "seats", problems, 1, _MAX_SEATS, "Seats are a whole number of 1 or more.")
        if problems or value is None:
            raise ValidationFailed("invalid seats", problems)
        self.rounds.attach_opening(round_id, opening_id, seats=value)
        self.audit(actor, "set_seats", "round", round_id, opening_id=opening_id, seats=value)

    def detach_opening(self, round_id: int, opening_id: int, actor: Actor | None) -> None:
        self.rounds.detach_opening(round_id, opening_id)
        self.audit(actor, "detach_opening", "round", round_id, opening_id=opening_id)

    def add_participants(self, round_id: int, talent_ids: Sequence[int], actor: Actor | None) -> list[int]:
        """Add eligible talents; refuses the whole request, listing every talent that cannot be added and why."""
        rnd = self.rounds._require(round_id, _SETUP, "add a participant")
        unique = list(dict.fromkeys(talent_ids))
        checked = {c["id"]: c for c in self.talent_eligibility(rnd, unique)}
        problems: list[Problem] = []
        for tid in unique:
            card = checked.get(tid)
            if card is None:
                problems.append(Problem(("talent", tid), "No such talent.", tid, "unknown_id"))
                continue
            for reason in card["blockers"]:
                problems.append(Problem(("talent", tid), reason, card["name"]))
        if not unique:
            problems.append(Problem(("talent",), "Choose at least one person.", None, "missing"))
        if problems:
            raise ValidationFailed("participants not added", problems, round_id=round_id)
        # One batch insert (the round is locked above); the employer is the talent's current one.
        self.rounds.store.add_new_participants(round_id, [(tid, checked[tid]["employer_id"]) for tid in unique])
        self.audit(actor, "add_participants", "round", round_id, talent_ids=unique)
        return unique

    def remove_participant(self, round_id: int, talent_id: int, actor: Actor | None) -> None:
        self.rounds.remove_participant(round_id, talent_id)
        self.audit(actor, "remove_participant", "round", round_id, talent_id=talent_id)

    def upload(self, round_id: int, path: Path | str, what: str, actor: Actor | None) -> UploadReport:
        """Add participants or attach openings from a CSV or XLSX file; see :func:`round_uploads.upload`."""
        from talentbridge.services.round_uploads import upload

        return upload(self, round_id, path, what, actor)

    def participant_ids(self, round_id: int) -> list[int]:
        return cand.participant_ids(self.session, round_id)

    # -- readiness and opening -----------------------------------------------------------------------------
    def readiness(self, round_id: int) -> list[str]:
        """What still stops the round from opening preference submission (message ids; empty when ready)."""
        rnd = self.rounds.get(round_id)
        missing = []
        if not self.rounds.store.openings(round_id):
            missing.append("Attach at least one opening.")
        if not cand.participant_ids(self.session, round_id):
            missing.append("Add at least one participant.")
        deadline = rnd.preference_deadline
        if deadline is not None:
            deadline = deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)
            if deadline <= self.clock():
                missing.append("The deadline has passed: set a new one.")
        return missing

    def open(self, round_id: int, actor: Actor | None) -> Round:
        """Open preference submission; refused with the message ids of what is missing (InvalidState)."""
        rnd = self.rounds.get(round_id)
        if rnd.status != RoundStatus.DRAFT:
            raise InvalidState("The round is not a draft, so it cannot be opened.", round_id=round_id)
        missing = self.readiness(round_id)
        if missing:
            raise InvalidState("The round cannot be opened yet.", round_id=round_id, missing=missing)
        opened = self.rounds.open(round_id)
        self.audit(actor, "open_submission", "round", round_id, deadline=opened.preference_deadline)
        return opened

    def close(self, round_id: int, actor: Actor | None) -> Round:
        closed = self.rounds.close(round_id)
        self.audit(actor, "close_submission", "round", round_id)
        return closed

    def generate(self, round_id: int, actor: Actor | None) -> dict[str, Any]:
        result = self.rounds.generate_organization_rankings(round_id, actor=actor.label if actor else None)
        self.audit(actor, "generate_rankings", "round", round_id, generated=result["generated"], kept=result["kept"])
        return result


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _changes(before: Any, after: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Field → [before, after] for the fields the form set that changed."""
    out = {}
    for key in data:
        old, new = _plain(getattr(before, key, None)), _plain(getattr(after, key, None))
        if old != new:
            out[key] = [old, new]
    return out
