"""Consents of a talent: give or withdraw each one, with its history kept and its effect said.

    consent_visible      the profile may be shown and recommended to organizations: withdrawn, the talent leaves
                         the talent index's candidates at once (``on_talent_changed``), organizations can no longer
                         open the profile (the access policy checks the flag on every read), and no new invitation
                         can be sent
    consent_statistics   the data may be counted in programme statistics by skill, region and group: withdrawn,
                         the person is left out of those breakdowns (supply counts only consenting people) and
                         appears only in anonymous totals such as the number of placements

Every change writes a ``consent_records`` row (what, when, by which role) and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.privacy_purposes import CONSENT_PURPOSES
from talentbridge.storage.application_tables import InvitationRow
from talentbridge.storage.privacy_tables import ConsentRecordRow
from talentbridge.storage.repositories import Repositories

__all__ = ["CONSENTS", "ConsentState", "consent_state", "set_consent", "record_changes", "history"]

CONSENTS = tuple(CONSENT_PURPOSES)


@dataclass(frozen=True)
class ConsentState:
    """A talent's consents now and what follows from them."""

    consent_visible: bool
    consent_statistics: bool
    recommended: bool  # in the candidates organizations get
    pending_invitations: int  # invitations they can still answer
    in_statistics: bool  # counted in breakdowns by skill, region and group

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def consent_state(session: Session, talent_id: int) -> ConsentState:
    talent = Repositories(session).talents.get(talent_id)
    pending = session.scalar(
        select(func.count())
        .select_from(InvitationRow)
        .where(InvitationRow.talent_id == talent_id, InvitationRow.status == "pending")
    )
    return ConsentState(
        consent_visible=talent.consent_visible,
        consent_statistics=talent.consent_statistics,
        recommended=talent.consent_visible,
        pending_invitations=int(pending or 0),
        in_statistics=talent.consent_statistics,
    )


def record_changes(
    session: Session,
    talent_id: int,
    before: dict[str, bool],
    after: dict[str, bool],
    *,
    by_role: str,
    actor_id: int | None = None,
) -> list[str]:
    """Write a record and an audit entry for each consent that changed between ``before`` and ``after``;
    returns the fields that changed."""
    changed = [c for c in CONSENTS if c in after and bool(before.get(c)) != bool(after[c])]
    now = datetime.now(UTC)
    for field in changed:
        session.add(
            ConsentRecordRow(talent_id=talent_id, purpose=CONSENT_PURPOSES[field], granted=bool(after[field]), at=now,
                             by_role=by_role)
        )  # fmt: skip
    if changed:
        write_entries(
            session,
            [
                AuditEntry(actor_id, by_role, "privacy.consent", "talent", talent_id,
                           {c: bool(after[c]) for c in changed})
            ],
        )  # fmt: skip
        session.flush()
    return changed


def set_consent(
    settings: Settings,
    session: Session,
    talent_id: int,
    field: str,
    granted: bool,
    *,
    by_role: str = "talent",
    actor_id: int | None = None,
) -> ConsentState:
    """Give or withdraw one consent; the talent index follows at once. Returns the new state."""
    if field not in CONSENTS:
        raise ValidationFailed("unknown consent", [Problem(("consent",), f"one of {', '.join(CONSENTS)}", field)])
    repos = Repositories(session)
    talent = repos.talents.get(talent_id)
    before = {c: getattr(talent, c) for c in CONSENTS}
    if before[field] != granted:
        updated = repos.talents.update(talent_id, {field: granted})
        record_changes(session, talent_id, before, {field: granted}, by_role=by_role, actor_id=actor_id)
        if field == "consent_visible":
            from talentbridge.services.talent_index import on_talent_changed

            on_talent_changed(settings, session, updated)
    return consent_state(session, talent_id)


def history(session: Session, talent_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(ConsentRecordRow).where(ConsentRecordRow.talent_id == talent_id).order_by(ConsentRecordRow.id)
    )
    return [{"purpose": r.purpose, "granted": r.granted, "at": r.at, "by_role": r.by_role} for r in rows]
