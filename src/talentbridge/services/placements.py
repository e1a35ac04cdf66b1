"""Placements after a round: start, end and end reason, and follow-ups at 3, 6 and 12 months (is the person
still there: retention), recorded by the operator or by the placing organization and visible to both.

A follow-up can be recorded once it is due (start date + months) and recorded again to correct it; every change
writes an audit row (entity ``placement``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.domain.enums import PlacementStatus
from talentbridge.domain.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from talentbridge.services.round_setup import KST, Actor, RoundSetupService
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.round_tables import PlacementFollowUpRow
from talentbridge.storage.tables import OpeningRow, OrganizationRow, PlacementRow, RoundRow, TalentRow

__all__ = ["PlacementService", "FOLLOW_UP_MONTHS", "due_date", "remind_due_followups"]

FOLLOW_UP_MONTHS = (3, 6, 12)


def due_date(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months (the last day of a shorter month when the day is missing)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Scope:
    round_id: int | None = None
    organization_id: int | None = None


class PlacementService:
    def __init__(self, session: Session, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
        self.repos = Repositories(session)
        self.setup = RoundSetupService(session, clock)
        self.clock = self.setup.clock

    def today(self) -> date:
        return self.clock().astimezone(KST).date()

    def list(self, *, round_id: int | None = None, organization_id: int | None = None) -> list[dict[str, Any]]:
        """Placements of a round or of an organization, with names, titles and their follow-ups by month."""
        stmt = (
            select(PlacementRow, TalentRow.name, OrganizationRow.name, OpeningRow.title, RoundRow.name)
            .join(TalentRow, TalentRow.id == PlacementRow.talent_id)
            .join(OrganizationRow, OrganizationRow.id == PlacementRow.organization_id)
            .outerjoin(OpeningRow, OpeningRow.id == PlacementRow.opening_id)
            .outerjoin(RoundRow, RoundRow.id == PlacementRow.round_id)
        )
        if round_id is not None:
            stmt = stmt.where(PlacementRow.round_id == round_id)
        if organization_id is not None:
            stmt = stmt.where(PlacementRow.organization_id == organization_id)
        rows = list(self.session.execute(stmt.order_by(PlacementRow.start_date.desc(), PlacementRow.id)))
        ids = [r[0].id for r in rows]
        follow: dict[int, dict[int, PlacementFollowUpRow]] = {}
        if ids:
            for f in self.session.scalars(
                select(PlacementFollowUpRow).where(PlacementFollowUpRow.placement_id.in_(ids))
            ):
                follow.setdefault(f.placement_id, {})[f.months] = f
        today = self.today()
        out = []
        for placement, talent, org, title, round_name in rows:
            followups = []
            for months in FOLLOW_UP_MONTHS:
                due = due_date(placement.start_date, months)
                f = follow.get(placement.id, {}).get(months)
                followups.append(
                    {
                        "months": months,
                        "due": due,
                        "is_due": due <= today,
                        "recorded": f is not None,
                        "retained": f.retained if f else None,
                        "note": f.note if f else None,
                        "recorded_by": f.recorded_by if f else None,
                        "recorded_at": f.recorded_at if f else None,
                    }
                )
            out.append(
                {
                    "id": placement.id,
                    "talent_id": placement.talent_id,
                    "talent": talent,
                    "organization_id": placement.organization_id,
                    "organization": org,
                    "opening": title,
                    "round_id": placement.round_id,
                    "round": round_name,
                    "kind": placement.kind,
                    "start_date": placement.start_date,
                    "end_date": placement.end_date,
                    "status": placement.status,
                    "end_reason": placement.end_reason,
                    "followups": followups,
                }
            )
        return out

    def _placement(self, placement_id: int, organization_id: int | None) -> PlacementRow:
        row = self.session.get(PlacementRow, placement_id)
        if row is None:
            raise NotFound("placement", placement_id, "No such placement.")
        if organization_id is not None and row.organization_id != organization_id:
            raise PermissionDenied("This placement belongs to another organization.")
        return row

    def update(self, placement_id: int, form: Mapping[str, Any], actor: Actor) -> dict[str, Any]:
        """Set start, end, status and end reason (operator). Every bad field is reported at once."""
        row = self._placement(placement_id, None)
        problems: list[Problem] = []
        text = {
            k: ("" if form.get(k) is None else str(form.get(k)).strip())
            for k in ("start_date", "end_date", "status", "end_reason")
        }
        start = _date(text["start_date"], "start_date", problems, required=True)
        end = _date(text["end_date"], "end_date", problems)
        status = text["status"] or row.status
        if status not in {s.value for s in PlacementStatus}:
            problems.append(Problem(("status",), "Choose a status from the list.", status))
        reason = text["end_reason"] or None
        if reason and len(reason) > 500:
            problems.append(Problem(("end_reason",), "At most 500 characters.", reason[:40]))
        if start and end and end < start:
            problems.append(Problem(("end_date",), "The end date is before the start date.", text["end_date"]))
        if status == PlacementStatus.ENDED_EARLY.value:
            if not reason:
                problems.append(Problem(("end_reason",), "Say why the placement ended early.", None, "missing"))
            if not end:
                problems.append(Problem(("end_date",), "Give the date it ended.", None, "missing"))
        if status == PlacementStatus.COMPLETED.value and not end:
            problems.append(Problem(("end_date",), "Give the date it ended.", None, "missing"))
        if end and status in (PlacementStatus.PLANNED.value, PlacementStatus.ACTIVE.value) and end < self.today():
            problems.append(
                Problem(("status",), "An end date in the past needs the status completed or ended early.", status)
            )
        if problems:
            raise ValidationFailed("invalid placement", problems, placement_id=placement_id)
        before = {
            "start_date": row.start_date,
            "end_date": row.end_date,
            "status": row.status,
            "end_reason": row.end_reason,
        }
        assert start is not None
        row.start_date, row.end_date, row.status, row.end_reason = start, end, status, reason
        self.session.flush()
        after = {"start_date": start, "end_date": end, "status": status, "end_reason": reason}
        changes = {k: [_iso(before[k]), _iso(after[k])] for k in after if before[k] != after[k]}
        self.setup.audit(actor, "update", "placement", placement_id, round_id=row.round_id, changes=changes)
        return after

    def record_followup(
        self, placement_id: int, months: Any, form: Mapping[str, Any], actor: Actor, organization_id: int | None = None
    ) -> None:
        """Record (or correct) the follow-up at ``months``: ``retained`` yes/no and a note. ``organization_id``
        limits an organization member to its own placements."""
        row = self._placement(placement_id, organization_id)
        problems: list[Problem] = []
        try:
            months = int(months)
        except (TypeError, ValueError):
            months = None
        if months not in FOLLOW_UP_MONTHS:
            problems.append(Problem(("months",), "A follow-up is at 3, 6 or 12 months.", months))
        retained = str(form.get("retained") or "").strip()
        if retained not in ("yes", "no"):
            problems.append(
                Problem(("retained",), "Say whether the person is still there.", retained or None, "missing")
            )
        note = str(form.get("note") or "").strip()
        if len(note) > 1000:
            problems.append(Problem(("note",), "At most 1,000 characters.", note[:40]))
        if months in FOLLOW_UP_MONTHS:
            due = due_date(row.start_date, months)
            if due > self.today():
                problems.append(Problem(("months",), "This follow-up is not due yet.", due.isoformat()))
        if problems:
            raise ValidationFailed("invalid follow-up", problems, placement_id=placement_id)
        existing = self.session.scalar(
            select(PlacementFollowUpRow).where(
                PlacementFollowUpRow.placement_id == placement_id, PlacementFollowUpRow.months == months
            )
        )
        now = self.clock().astimezone(UTC)
        if existing is None:
            existing = PlacementFollowUpRow(placement_id=placement_id, months=months)
            self.session.add(existing)
        existing.retained = retained == "yes"
        existing.note = note or None
        existing.recorded_at = now
        existing.recorded_by = actor.label
        existing.recorder_role = actor.role
        self.session.flush()
        self.setup.audit(
            actor,
            "followup",
            "placement",
            placement_id,
            months=months,
            retained=retained == "yes",
            round_id=row.round_id,
        )

    def retention(
        self, *, round_id: int | None = None, organization_id: int | None = None
    ) -> dict[int, dict[str, int]]:
        """Months → counts of recorded follow-ups: retained, left, due but not recorded."""
        out = {m: {"retained": 0, "left": 0, "missing": 0} for m in FOLLOW_UP_MONTHS}
        for p in self.list(round_id=round_id, organization_id=organization_id):
            for f in p["followups"]:
                if f["recorded"]:
                    out[f["months"]]["retained" if f["retained"] else "left"] += 1
                elif f["is_due"]:
                    out[f["months"]]["missing"] += 1
        return out


def remind_due_followups(session: Session, today: date) -> int:
    """Notify the placing organization's active members and every operator of each follow-up (3, 6, 12 months)
    that is due and not yet recorded, once per placement and month (a reminder writes an audit row that the next
    run finds). Placements that ended early are skipped. Returns the number of reminders sent. Run daily:
    ``talentbridge rounds remind-followups``."""
    from talentbridge.services.audit_log import AuditEntry, write_entries
    from talentbridge.services.notifications import notify, notify_operators
    from talentbridge.storage.account_tables import AuditLogRow, UserRow

    rows = list(
        session.execute(
            select(PlacementRow, TalentRow.name, OrganizationRow.name)
            .join(TalentRow, TalentRow.id == PlacementRow.talent_id)
            .join(OrganizationRow, OrganizationRow.id == PlacementRow.organization_id)
            .where(PlacementRow.status != PlacementStatus.ENDED_EARLY.value, PlacementRow.start_date <= today)
        )
    )
    if not rows:
        return 0
    ids = [r[0].id for r in rows]
    recorded = set(
        session.execute(
            select(PlacementFollowUpRow.placement_id, PlacementFollowUpRow.months).where(
                PlacementFollowUpRow.placement_id.in_(ids)
            )
        ).all()
    )
    reminded = {
        (entity_id, (detail or {}).get("months"))
        for entity_id, detail in session.execute(
            select(AuditLogRow.entity_id, AuditLogRow.detail).where(
                AuditLogRow.entity == "placement", AuditLogRow.action == "followup_reminder"
            )
        )
    }
    sent = 0
    for placement, talent_name, org_name in rows:
        for months in FOLLOW_UP_MONTHS:
            due = due_date(placement.start_date, months)
            if due > today or (placement.id, months) in recorded or (placement.id, months) in reminded:
                continue
            if placement.end_date is not None and placement.end_date < due:
                continue  # the placement ended before this follow-up
            params = {"talent_name": talent_name, "organization_name": org_name, "months": months,
                      "due_date": due.isoformat(), "placement_id": placement.id}  # fmt: skip
            members = session.scalars(
                select(UserRow.id).where(
                    UserRow.role == "org_member",
                    UserRow.organization_id == placement.organization_id,
                    UserRow.active.is_(True),
                )
            )
            for member in list(members):
                notify(session, account_id=member, kind="placement_follow_up_due", params=params)
            notify_operators(session, "placement_follow_up_due", params)
            write_entries(
                session,
                [AuditEntry(None, "system", "followup_reminder", "placement", placement.id, {"months": months})],
            )
            sent += 1
    return sent


def _date(raw: str, loc: str, problems: list[Problem], required: bool = False) -> date | None:
    if not raw:
        if required:
            problems.append(Problem((loc,), "Enter a date such as 2027-03-01.", None, "missing"))
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(Problem((loc,), "Enter a date such as 2027-03-01.", raw))
        return None


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
