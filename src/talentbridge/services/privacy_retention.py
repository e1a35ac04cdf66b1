"""Retention limits (PIPA art. 21): what ``talentbridge privacy retention`` anonymises, run daily by a scheduler.

    inactive talents   no sign-in and no profile change for ``privacy_inactive_days``, and no planned or active
                       placement: erased as on request (``privacy_erase``), reason ``retention``
    closed rounds      published more than ``privacy_round_days`` ago: who submitted the talents' rankings, notes on
                       the round's applications and their history, placements' end reasons and follow-up notes are
                       blanked; the round's results (ids, assignments, counts) stay; the round is marked so the next
                       run skips it
    audit addresses    client addresses (IP) of audit entries older than ``privacy_audit_address_days`` are removed

``plan`` says what would happen (``--dry-run``); ``apply`` does it and says what it did. A period of 0 turns
that limit off. Nothing here names a person: the output gives ids and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.storage.account_tables import AuditLogRow, UserRow
from talentbridge.storage.application_tables import ApplicationEventRow
from talentbridge.storage.privacy_tables import TalentErasureRow
from talentbridge.storage.round_tables import PlacementFollowUpRow, RoundOpeningRow, RoundPreferenceRow
from talentbridge.storage.tables import ApplicationRow, PlacementRow, RoundRow, TalentRow

__all__ = ["RetentionPlan", "plan", "apply", "ROUND_MARK"]

#: Key in ``rounds.settings`` set when a round's personal details were blanked.
ROUND_MARK = "personal_data_anonymised_at"
ONGOING_PLACEMENTS = ("planned", "active")


@dataclass
class RetentionPlan:
    now: datetime
    inactive_before: datetime | None
    rounds_before: datetime | None
    addresses_before: datetime | None
    talents: list[int] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)
    addresses: int = 0
    done: bool = False
    erased: list[dict[str, Any]] = field(default_factory=list)
    round_rows: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "inactive_before": self.inactive_before.isoformat() if self.inactive_before else None,
            "rounds_before": self.rounds_before.isoformat() if self.rounds_before else None,
            "addresses_before": self.addresses_before.isoformat() if self.addresses_before else None,
            "talents": self.talents,
            "rounds": self.rounds,
            "addresses": self.addresses,
            "done": self.done,
            "erased": self.erased,
            "round_rows": self.round_rows,
        }


def _before(now: datetime, days: int) -> datetime | None:
    return now - timedelta(days=days) if days > 0 else None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _inactive_talents(session: Session, before: datetime) -> list[int]:
    last_login = (
        select(UserRow.talent_id, func.max(UserRow.last_login_at).label("at"))
        .where(UserRow.talent_id.is_not(None))
        .group_by(UserRow.talent_id)
        .subquery()
    )
    ongoing = select(PlacementRow.talent_id).where(PlacementRow.status.in_(ONGOING_PLACEMENTS))
    erased = select(TalentErasureRow.talent_id)
    stmt = (
        select(TalentRow.id)
        .outerjoin(last_login, last_login.c.talent_id == TalentRow.id)
        .where(
            TalentRow.updated_at < before,
            or_(last_login.c.at.is_(None), last_login.c.at < before),
            TalentRow.id.not_in(ongoing),
            TalentRow.id.not_in(erased),
        )
        .order_by(TalentRow.id)
    )
    return [int(i) for i in session.scalars(stmt)]


def _closed_rounds(session: Session, before: datetime) -> list[int]:
    rows = session.execute(
        select(RoundRow.id, RoundRow.settings).where(RoundRow.status == "published", RoundRow.published_at < before)
    ).all()
    return sorted(int(r.id) for r in rows if not (r.settings or {}).get(ROUND_MARK))


def plan(settings: Settings, session: Session, now: datetime | None = None) -> RetentionPlan:
    """What ``apply`` would do at ``now`` (default: the current time)."""
    now = now or datetime.now(UTC)
    p = RetentionPlan(
        now,
        _before(now, settings.privacy_inactive_days),
        _before(now, settings.privacy_round_days),
        _before(now, settings.privacy_audit_address_days),
    )
    if p.inactive_before:
        p.talents = _inactive_talents(session, p.inactive_before)
    if p.rounds_before:
        p.rounds = _closed_rounds(session, p.rounds_before)
    if p.addresses_before:
        p.addresses = int(
            session.scalar(
                select(func.count())
                .select_from(AuditLogRow)
                .where(AuditLogRow.at < p.addresses_before, AuditLogRow.ip.is_not(None))
            )
            or 0
        )
    return p


def _blank_round(session: Session, round_id: int, now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}

    def run(name: str, stmt: Any) -> None:
        n = int(session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0)  # type: ignore[attr-defined]
        if n:
            counts[name] = counts.get(name, 0) + n

    run(
        "round_preferences",
        update(RoundPreferenceRow)
        .where(RoundPreferenceRow.round_id == round_id, RoundPreferenceRow.submitted_by.is_not(None))
        .values(submitted_by=None),
    )
    openings = select(RoundOpeningRow.opening_id).where(RoundOpeningRow.round_id == round_id)
    apps = select(ApplicationRow.id).where(ApplicationRow.opening_id.in_(openings))
    run("applications", update(ApplicationRow).where(ApplicationRow.id.in_(apps), ApplicationRow.note.is_not(None))
        .values(note=None))  # fmt: skip
    run(
        "application_events",
        update(ApplicationEventRow)
        .where(ApplicationEventRow.application_id.in_(apps), ApplicationEventRow.note.is_not(None))
        .values(note=None),
    )
    placements = select(PlacementRow.id).where(PlacementRow.round_id == round_id)
    run("placements", update(PlacementRow).where(PlacementRow.id.in_(placements), PlacementRow.end_reason.is_not(None))
        .values(end_reason=None))  # fmt: skip
    run(
        "placement_followups",
        update(PlacementFollowUpRow)
        .where(
            PlacementFollowUpRow.placement_id.in_(placements),
            or_(PlacementFollowUpRow.note.is_not(None), PlacementFollowUpRow.recorded_by.is_not(None)),
        )
        .values(note=None, recorded_by=None),
    )
    row = session.get(RoundRow, round_id)
    assert row is not None
    row.settings = {**(row.settings or {}), ROUND_MARK: now.isoformat()}
    return counts


def apply(settings: Settings, db: Any, *, dry_run: bool = False, now: datetime | None = None) -> RetentionPlan:
    """Apply the retention limits (or only plan them with ``dry_run``). ``db`` is a ``storage.Database``."""
    from talentbridge.services.privacy_erase import compact_database, erase_talent, forget_outside_database
    from talentbridge.storage.repositories import Repositories

    with db.session() as session:
        p = plan(settings, session, now)
    if dry_run:
        return p
    erasures = []
    for talent_id in p.talents:  # one transaction each: a failure leaves the others done
        with db.session(write=True) as session:
            if session.get(TalentErasureRow, talent_id) is not None:
                continue
            talent = Repositories(session).talents.get(talent_id)
            result = erase_talent(session, talent, reason="retention", actor_role="system")
            erasures.append(result)
            p.erased.append({"talent_id": talent_id, "anonymous_id": result.anonymous_id})
    with db.session(write=True) as session:
        for round_id in p.rounds:
            for name, n in _blank_round(session, round_id, p.now).items():
                p.round_rows[name] = p.round_rows.get(name, 0) + n
        if p.addresses_before and p.addresses:
            session.execute(
                update(AuditLogRow)
                .where(and_(AuditLogRow.at < p.addresses_before, AuditLogRow.ip.is_not(None)))
                .values(ip=None)
            )
        write_entries(
            session,
            [
                AuditEntry(None, "system", "privacy.retention", "system", None,
                           {"talents": len(p.erased), "rounds": p.rounds, "addresses": p.addresses})
            ],
        )  # fmt: skip
    if erasures:
        with db.session() as session:
            forget_outside_database(settings, session, erasures)
    if erasures or p.rounds or p.addresses:
        compact_database(db.engine)
    p.done = True
    return p
