"""Setting up a programme and its rounds from forms: create and edit (validated field by field), find and attach
openings, find and add participants (by search or from a file of external ids or e-mails), see who is eligible
and why not, open preference submission once the round is ready. Every state change writes an audit row.

Messages in ``Problem.msg`` and in eligibility reasons are message ids (English sentences) that the pages
translate; the CLI shows them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from talentbridge.domain import Program, Round
from talentbridge.domain.enums import CAPITAL_AREA, OpeningKind, ProgramKind, ProgramStatus, Region, RoundStatus
from talentbridge.domain.errors import InvalidState, NotFound, Problem, TalentBridgeError, ValidationFailed
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.rounds import CAPITAL, RoundService
from talentbridge.storage import round_candidates as cand

__all__ = [
    "Actor",
    "RoundSetupService",
    "MECHANISMS",
    "PROPOSING",
    "CAP_KEYS",
    "KST",
    "UploadReport",
    "PROGRAM_OPENING_KINDS",
]

#: Dates and times in forms are Korean time; they are stored in UTC.
KST = ZoneInfo("Asia/Seoul")
MECHANISMS = ("da", "flexible-da", "max-welfare")
PROPOSING = ("applicants", "programs")
#: Regional cap keys offered in the form: the capital area as a whole, then every region outside it.
CAP_KEYS = (CAPITAL, *(r.value for r in Region if r not in CAPITAL_AREA))
#: The opening kinds that fit each kind of programme (others may be attached, with a warning).
PROGRAM_OPENING_KINDS: dict[str, set[str]] = {
    ProgramKind.TALENT_EXCHANGE.value: {OpeningKind.SECONDMENT_SLOT.value, OpeningKind.JOB.value},
    ProgramKind.PBL.value: {OpeningKind.PBL_PROJECT.value},
    ProgramKind.INTERNSHIP.value: {OpeningKind.INTERNSHIP.value},
    ProgramKind.JOINT_RND.value: {OpeningKind.JOINT_RND.value},
}
_MAX_SEATS = 10_000
_MAX_CAP = 1_000_000
_SKILL_MATCHES = 200
_SETUP = (RoundStatus.DRAFT, RoundStatus.COLLECTING)


@dataclass(frozen=True)
class Actor:
    """Who does something, for the audit log and the rounds' ``*_by`` columns."""

    user_id: int | None
    role: str
    label: str  # "name <email>"
    ip: str | None = None


@dataclass
class UploadReport:
    """Row by row: what a file added and what it refused, and why (a message id and the value)."""

    added: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "refused": self.refused, "unchanged": self.unchanged}


# -- form parsing ---------------------------------------------------------------------------------------------


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return "" if value is None else str(value).strip()


def _whole(raw: str, loc: str, problems: list[Problem], low: int, high: int, message: str) -> int | None:
    text = raw.replace(",", "").strip()
    if not re.fullmatch(r"[+]?\d+", text) or not low <= int(text) <= high:
        problems.append(Problem((loc,), message, raw))
        return None
    return int(text)


def _date(raw: str, loc: str, problems: list[Problem]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(Problem((loc,), "Enter a date such as 2027-03-01.", raw))
        return None


def _moment(raw: str, loc: str, problems: list[Problem]) -> datetime | None:
    """``YYYY-MM-DDTHH:MM`` (an HTML datetime-local value) or ``YYYY-MM-DD HH:MM``, Korean time → UTC."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "T"))
    except ValueError:
        problems.append(Problem((loc,), "Enter a date and time such as 2027-03-01 18:00.", raw))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(UTC)


def parse_program_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """A programme's fields from a form; every bad field is reported at once (ValidationFailed)."""
    problems: list[Problem] = []
    name = _text(form, "name")
    if not name:
        problems.append(Problem(("name",), "Enter a name.", name, "missing"))
    elif len(name) > 200:
        problems.append(Problem(("name",), "At most 200 characters.", name[:40]))
    kind = _text(form, "kind")
    if kind not in {k.value for k in ProgramKind}:
        problems.append(Problem(("kind",), "Choose a kind from the list.", kind))
    status = _text(form, "status") or ProgramStatus.PLANNED.value
    if status not in {s.value for s in ProgramStatus}:
        problems.append(Problem(("status",), "Choose a status from the list.", status))
    description = _text(form, "description")
    if len(description) > 20_000:
        problems.append(Problem(("description",), "At most 20,000 characters.", description[:40]))
    start = _date(_text(form, "start_date"), "start_date", problems)
    end = _date(_text(form, "end_date"), "end_date", problems)
    if start and end and end < start:
        problems.append(Problem(("end_date",), "The end date is before the start date.", end.isoformat()))
    if problems:
        raise ValidationFailed("invalid programme", problems)
    return {
        "name": name,
        "kind": kind,
        "status": status,
        "description": description or None,
        "start_date": start,
        "end_date": end,
    }


def parse_round_form(
    form: Mapping[str, Any], program: Program, now: datetime, *, deadline_editable: bool = True
) -> dict[str, Any]:
    """A round's fields from a form (name, mechanism, proposing side, seed, deadline in Korean time, regional
    caps as ``cap:<key>`` fields, secondment rules); every bad field is reported at once."""
    problems: list[Problem] = []
    name = _text(form, "name")
    if not name:
        problems.append(Problem(("name",), "Enter a name.", name, "missing"))
    elif len(name) > 200:
        problems.append(Problem(("name",), "At most 200 characters.", name[:40]))
    mechanism = _text(form, "mechanism") or "da"
    if mechanism not in MECHANISMS:
        problems.append(Problem(("mechanism",), "Choose a mechanism from the list.", mechanism))
    proposing = _text(form, "proposing") or "applicants"
    if proposing not in PROPOSING:
        problems.append(Problem(("proposing",), "Choose who proposes from the list.", proposing))
    seed_raw = _text(form, "seed") or "0"
    seed = _whole(seed_raw, "seed", problems, 0, 2**31 - 1, "The seed is a whole number of 0 or more.")
    deadline = None
    if deadline_editable:
        deadline = _moment(_text(form, "preference_deadline"), "preference_deadline", problems)
        if deadline is not None:
            if deadline <= now:
                problems.append(
                    Problem(
                        ("preference_deadline",),
                        "The deadline must be in the future.",
                        _text(form, "preference_deadline"),
                    )
                )
            end = program.end_date
            if end is not None and deadline.astimezone(KST).date() > end:
                problems.append(
                    Problem(
                        ("preference_deadline",),
                        "The deadline must be before the programme ends.",
                        _text(form, "preference_deadline"),
                    )
                )
    caps: dict[str, int] = {}
    for key in CAP_KEYS:
        raw = _text(form, f"cap:{key}")
        if raw:
            value = _whole(raw, f"cap:{key}", problems, 0, _MAX_CAP, "A cap is a whole number of 0 or more.")
            if value is not None:
                caps[key] = value
    for key in (r.value for r in CAPITAL_AREA):
        if _text(form, f"cap:{key}"):
            problems.append(
                Problem(
                    (f"cap:{key}",),
                    "Seoul, Incheon and Gyeonggi are capped together as the capital area.",
                    _text(form, f"cap:{key}"),
                )
            )
    if caps and mechanism == "da":
        problems.append(
            Problem(
                ("mechanism",),
                "Deferred acceptance ignores regional caps: choose flexible DA or maximum welfare, or remove the caps.",
                mechanism,
            )
        )
    rules = _text(form, "secondment_rules")
    if problems:
        raise ValidationFailed("invalid round", problems)
    data: dict[str, Any] = {
        "name": name,
        "mechanism": mechanism,
        "proposing": proposing,
        "seed": seed,
        "regional_caps": caps,
        "secondment_rules": rules in ("on", "1", "true", "yes"),
    }
    if deadline_editable:
        data["preference_deadline"] = deadline
    return data


# -- the service ---------------------------------------------------------------------------------------------


class RoundSetupService:
    """Programme and round set-up over one session (the caller commits); audit rows are written in it."""

    def __init__(self, session: Session, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
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
        members = {p.talent_id for p in self.rounds.store.participants(rnd.id)}
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
        attached = {o.opening_id for o in self.rounds.store.openings(rnd.id)}
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
        for tid in unique:
            self.rounds.add_participant(round_id, tid)
        self.audit(actor, "add_participants", "round", round_id, talent_ids=unique)
        return unique

    def remove_participant(self, round_id: int, talent_id: int, actor: Actor | None) -> None:
        self.rounds.remove_participant(round_id, talent_id)
        self.audit(actor, "remove_participant", "round", round_id, talent_id=talent_id)

    def upload(self, round_id: int, path: Path | str, what: str, actor: Actor | None) -> UploadReport:
        """Add participants (``what="participants"``: columns ``external_id`` and/or ``email``) or attach
        openings (``what="openings"``: ``external_id``, optional ``seats``) from a CSV or XLSX file.

        Every row is reported: added, unchanged (already in the round) or refused with the reason. Valid rows
        are kept even when others are refused (the report says which); a file that cannot be read at all, or
        without the columns, is refused as a whole (ImportRejected)."""
        from talentbridge.domain.errors import ImportRejected
        from talentbridge.services.files import read_rows

        if what not in ("participants", "openings"):
            raise ValidationFailed("invalid upload", [Problem(("what",), "participants or openings", what)])
        rnd = self.rounds._require(round_id, _SETUP, "add from a file")
        columns, rows = read_rows(path, strict=False)
        names = {c.strip().lower() for c in (columns or [])}
        keys = ("external_id", "email") if what == "participants" else ("external_id",)
        if columns is not None and not names & set(keys):
            message = (
                "The file needs a column named external_id or email."
                if what == "participants"
                else "The file needs a column named external_id."
            )
            raise ImportRejected(message, [Problem(("file", "columns"), message, ", ".join(sorted(names)))])
        report = UploadReport()
        if what == "participants":
            self._upload_participants(rnd, rows, report)
        else:
            self._upload_openings(rnd, rows, report)
        if report.added:
            self.audit(
                actor,
                "upload_" + what,
                "round",
                round_id,
                file=Path(path).name,
                added=len(report.added),
                refused=len(report.refused),
            )
        return report

    def _upload_participants(self, rnd: Round, rows: Sequence[Any], report: UploadReport) -> None:
        values = [{k.strip().lower(): v for k, v in r.values.items() if isinstance(k, str)} for r in rows]
        ext = [str(v.get("external_id") or "").strip() for v in values]
        mails = [str(v.get("email") or "").strip() for v in values]
        by_ext, by_mail = cand.talent_ids_by_key(self.session, [e for e in ext if e], [m for m in mails if m])
        seen: dict[int, int] = {}
        found: dict[int, int] = {}  # row index -> talent id
        for i, row in enumerate(rows):
            key = ext[i] or mails[i]
            base = {"line": row.line, "key": key}
            if row.error:
                report.refused.append({**base, "reason": "The line cannot be read.", "value": row.raw})
                continue
            if not key:
                report.refused.append({**base, "reason": "Give an external id or an e-mail address.", "value": ""})
                continue
            tid = by_ext.get(ext[i]) if ext[i] else by_mail.get(mails[i].lower())
            if ext[i] and mails[i] and tid is not None and by_mail.get(mails[i].lower()) not in (None, tid):
                report.refused.append(
                    {**base, "reason": "The external id and the e-mail belong to different people.", "value": key}
                )
                continue
            if tid is None:
                report.refused.append({**base, "reason": "No talent with this external id or e-mail.", "value": key})
                continue
            if tid in seen:
                report.refused.append(
                    {**base, "reason": "The same person appears twice in the file.", "value": key, "first": seen[tid]}
                )
                continue
            seen[tid] = row.line
            found[i] = tid
        cards = {c["id"]: c for c in self.talent_eligibility(rnd, list(found.values()))}
        add = []
        for i, tid in found.items():
            card = cards[tid]
            base = {"line": rows[i].line, "key": ext[i] or mails[i], "name": card["name"]}
            if card["member"]:
                report.unchanged.append({**base, "reason": "Already a participant of this round."})
            elif card["blockers"]:
                report.refused.append({**base, "reason": card["blockers"][0], "value": base["key"]})
            else:
                add.append(tid)
                report.added.append({**base, "warnings": card["warnings"]})
        for tid in add:
            self.rounds.add_participant(rnd.id, tid)

    def _upload_openings(self, rnd: Round, rows: Sequence[Any], report: UploadReport) -> None:
        values = [{k.strip().lower(): v for k, v in r.values.items() if isinstance(k, str)} for r in rows]
        ext = [str(v.get("external_id") or "").strip() for v in values]
        by_ext = cand.opening_ids_by_external_id(self.session, [e for e in ext if e])
        seen: set[int] = set()
        found: dict[int, tuple[int, int | None]] = {}
        for i, row in enumerate(rows):
            base = {"line": row.line, "key": ext[i]}
            if row.error:
                report.refused.append({**base, "reason": "The line cannot be read.", "value": row.raw})
                continue
            if not ext[i]:
                report.refused.append({**base, "reason": "Give an external id.", "value": ""})
                continue
            oid = by_ext.get(ext[i])
            if oid is None:
                report.refused.append({**base, "reason": "No opening with this external id.", "value": ext[i]})
                continue
            if oid in seen:
                report.refused.append(
                    {**base, "reason": "The same opening appears twice in the file.", "value": ext[i]}
                )
                continue
            raw = values[i].get("seats")
            seats = None
            if raw not in (None, ""):
                problems: list[Problem] = []
                seats = _whole(str(raw), "seats", problems, 1, _MAX_SEATS, "Seats are a whole number of 1 or more.")
                if problems:
                    report.refused.append({**base, "reason": problems[0].msg, "value": raw})
                    continue
            seen.add(oid)
            found[i] = (oid, seats)
        cards = {c["id"]: c for c in self.opening_eligibility(rnd, [o for o, _ in found.values()])}
        for i, (oid, seats) in found.items():
            card = cards[oid]
            base = {"line": rows[i].line, "key": ext[i], "name": card["title"]}
            if card["member"]:
                report.unchanged.append({**base, "reason": "Already attached to this round."})
            elif card["blockers"]:
                report.refused.append({**base, "reason": card["blockers"][0], "value": ext[i]})
            else:
                self.rounds.attach_opening(rnd.id, oid, seats=seats)
                report.added.append({**base, "warnings": card["warnings"]})

    # -- readiness and opening -----------------------------------------------------------------------------
    def readiness(self, round_id: int) -> list[str]:
        """What still stops the round from opening preference submission (message ids; empty when ready)."""
        rnd = self.rounds.get(round_id)
        missing = []
        if not self.rounds.store.openings(round_id):
            missing.append("Attach at least one opening.")
        if not self.rounds.store.participants(round_id):
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


def describe(exc: TalentBridgeError) -> list[str]:
    """The message ids to show for a refusal: the problems of a ValidationFailed, the missing steps of an
    InvalidState from :meth:`RoundSetupService.open`, else the error's own message."""
    if isinstance(exc, ValidationFailed) and exc.problems:
        return [p.msg for p in exc.problems]
    missing = exc.details.get("missing")
    if missing:
        return list(missing)
    return [exc.message]
