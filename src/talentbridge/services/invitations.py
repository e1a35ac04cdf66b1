"""Invitations: an organization asks a recommended talent who consented to be shown to apply to an opening.

The talent sees the invitation on their applications page and accepts (which creates the application, its
history saying it came from an invitation) or declines. One pending invitation per talent and opening; none for
someone who already applied. Every step is written to the audit log; the talent is told through
:func:`talentbridge.services.talent_notices.notify`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from talentbridge.domain.enums import ApplicationStatus
from talentbridge.domain.errors import (
    Conflict,
    InvalidState,
    Msg,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from talentbridge.domain.opening import is_accepting
from talentbridge.services.accounts import User
from talentbridge.services.applications import ApplicationService
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.talent_notices import notify
from talentbridge.storage.application_tables import InvitationRow
from talentbridge.storage.repositories import Repositories

__all__ = ["Invitation", "InvitationService", "MESSAGE_MAX"]

MESSAGE_MAX = 2000


@dataclass(frozen=True)
class Invitation:
    id: int
    opening_id: int
    talent_id: int
    invited_by: str
    message: str | None
    status: str
    created_at: datetime | None
    responded_at: datetime | None
    application_id: int | None


def _public(row: InvitationRow) -> Invitation:
    return Invitation(
        row.id, row.opening_id, row.talent_id, row.invited_by, row.message, row.status, row.created_at,
        row.responded_at, row.application_id,
    )  # fmt: skip


class InvitationService:
    def __init__(self, session: Session, today: Callable[[], date] | None = None) -> None:
        self.session = session
        self.repos = Repositories(session)
        self.today = today or (lambda: datetime.now(UTC).date())

    def _audit(self, actor: User, action: str, invitation_id: int, **detail: Any) -> None:
        write_entries(
            self.session,
            [AuditEntry(actor.id, actor.role.value, f"invitation.{action}", "invitation", invitation_id, detail)],
        )

    def invite(
        self, opening_id: int, talent_id: int, actor: User, *, organization_id: int, message: str | None = None
    ) -> Invitation:
        """Invite a consenting talent to apply to an opening of ``organization_id`` that takes applications."""
        opening = self.repos.openings.get(opening_id)
        if opening.organization_id != organization_id:
            raise PermissionDenied("this opening belongs to another organization")
        if not is_accepting(opening, self.today()):
            raise InvalidState("this opening is not taking applications (closed or past its deadline)")
        talent = self.repos.talents.get(talent_id)
        if not talent.consent_visible:
            raise PermissionDenied("this person has not agreed to be shown to organizations")
        text = (message or "").strip() or None
        if text and len(text) > MESSAGE_MAX:
            raise ValidationFailed(
                "message too long",
                [Problem(("message",), Msg("a message has at most {n} characters", n=MESSAGE_MAX), len(text), "too_long")],
            )
        applied = self.repos.applications.list({"talent_id": talent_id, "opening_id": opening_id}, size=1).items
        if applied and applied[0].status != ApplicationStatus.WITHDRAWN:
            raise Conflict("this person already applied to the opening", field="talent_id", value=talent_id)
        pending = self.session.scalar(
            select(InvitationRow.id).where(
                InvitationRow.opening_id == opening_id,
                InvitationRow.talent_id == talent_id,
                InvitationRow.status == "pending",
            )
        )
        if pending is not None:
            raise Conflict("this person already has an invitation to the opening", field="talent_id", value=talent_id)
        new_id = self.session.execute(
            insert(InvitationRow)
            .values(
                opening_id=opening_id,
                talent_id=talent_id,
                invited_by=actor.email,
                message=text,
                status="pending",
                created_at=datetime.now(UTC),
            )
            .returning(InvitationRow.id)
        ).scalar_one()
        self._audit(actor, "sent", new_id, opening_id=opening_id, talent_id=talent_id)
        notify(
            self.session,
            talent_id=talent_id,
            kind="invited",
            invitation_id=new_id,
            opening_id=opening_id,
            opening_title=opening.title,
        )
        return self.get(new_id)

    def get(self, invitation_id: int) -> Invitation:
        row = self.session.get(InvitationRow, invitation_id, populate_existing=True)
        if row is None:
            raise NotFound("invitation", invitation_id)
        return _public(row)

    def for_talent(self, talent_id: int) -> list[Invitation]:
        rows = self.session.scalars(
            select(InvitationRow).where(InvitationRow.talent_id == talent_id).order_by(InvitationRow.id.desc())
        )
        return [_public(r) for r in rows]

    def for_opening(self, opening_id: int) -> list[Invitation]:
        rows = self.session.scalars(
            select(InvitationRow).where(InvitationRow.opening_id == opening_id).order_by(InvitationRow.id.desc())
        )
        return [_public(r) for r in rows]

    def _pending_of(self, invitation_id: int, talent_id: int) -> Invitation:
        invitation = self.get(invitation_id)
        if invitation.talent_id != talent_id:
            raise PermissionDenied("this invitation is for someone else")
        if invitation.status != "pending":
            raise InvalidState(Msg("this invitation was already {status}", status=str(invitation.status)))
        return invitation

    def accept(self, invitation_id: int, talent_id: int, actor: User) -> Invitation:
        """Accept: the talent applies to the opening (its history says it came from the invitation)."""
        invitation = self._pending_of(invitation_id, talent_id)
        application = ApplicationService(self.session, self.today).apply(
            talent_id, invitation.opening_id, actor, via="invited"
        )
        self._respond(invitation, "accepted", application.id)
        self._audit(actor, "accepted", invitation.id, application_id=application.id)
        return self.get(invitation.id)

    def decline(self, invitation_id: int, talent_id: int, actor: User) -> Invitation:
        invitation = self._pending_of(invitation_id, talent_id)
        self._respond(invitation, "declined", None)
        self._audit(actor, "declined", invitation.id)
        return self.get(invitation.id)

    def _respond(self, invitation: Invitation, status: str, application_id: int | None) -> None:
        self.session.execute(
            update(InvitationRow)
            .where(InvitationRow.id == invitation.id)
            .values(status=status, responded_at=datetime.now(UTC), application_id=application_id)
        )
