"""The applicant pipeline: apply, move between stages with a note, withdraw; every step kept as an event (who
moved whom, when, from which stage to which) and written to the audit log.

Stages (``ApplicationStatus``): applied → screening → interview → offer → hired, or rejected; the talent may
withdraw while the application is active. The organization may move an application to any stage but
``withdrawn`` (pipelines skip and go back), never one the talent withdrew. Re-applying after a withdrawal
re-opens the same application (one per talent and opening), with its history kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from talentbridge.domain import Application, ApplicationData
from talentbridge.domain.enums import ApplicationStatus
from talentbridge.domain.errors import InvalidState, Msg, PermissionDenied, Problem, ValidationFailed
from talentbridge.domain.opening import is_accepting
from talentbridge.services.accounts import User
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.talent_notices import notify
from talentbridge.storage.application_tables import ApplicationEventRow
from talentbridge.storage.repositories import Repositories

__all__ = ["ApplicationService", "ApplicationEvent", "ORG_STAGES", "ACTIVE", "NOTE_MAX"]

S = ApplicationStatus
#: Stages an organization moves applicants to, in pipeline order.
ORG_STAGES = (S.APPLIED, S.SCREENING, S.INTERVIEW, S.OFFER, S.HIRED, S.REJECTED)
#: Stages from which the talent may still withdraw.
ACTIVE = frozenset({S.APPLIED, S.SCREENING, S.INTERVIEW, S.OFFER})
NOTE_MAX = 5000


@dataclass(frozen=True)
class ApplicationEvent:
    id: int
    application_id: int
    at: datetime | None
    actor: str
    actor_role: str
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None


def _event(row: ApplicationEventRow) -> ApplicationEvent:
    return ApplicationEvent(
        row.id, row.application_id, row.at, row.actor, row.actor_role, row.kind, row.from_status, row.to_status,
        row.note,
    )  # fmt: skip


class ApplicationService:
    """Use cases of the pipeline over one session (the caller commits)."""

    def __init__(self, session: Session, today: Callable[[], date] | None = None) -> None:
        self.session = session
        self.repos = Repositories(session)
        self.today = today or (lambda: datetime.now(UTC).date())

    # -- writes -------------------------------------------------------------------------------------------
    def _record(
        self,
        application: Application,
        actor: User,
        kind: str,
        before: S | None,
        after: S | None,
        note: str | None = None,
    ) -> None:
        self.session.execute(
            insert(ApplicationEventRow).values(
                application_id=application.id,
                at=datetime.now(UTC),
                actor=actor.email,
                actor_role=actor.role.value,
                kind=kind,
                from_status=before.value if before else None,
                to_status=after.value if after else None,
                note=note,
            )
        )
        detail: dict[str, Any] = {"opening_id": application.opening_id, "talent_id": application.talent_id}
        if before is not None:
            detail["from"] = before.value
        if after is not None:
            detail["to"] = after.value
        if note:
            detail["note"] = True  # the note itself stays in the pipeline, not in the audit log
        write_entries(
            self.session,
            [AuditEntry(actor.id, actor.role.value, f"application.{kind}", "application", application.id, detail)],
        )

    def apply(self, talent_id: int, opening_id: int, actor: User, *, via: str = "applied") -> Application:
        """Apply ``talent_id`` to an opening that is taking applications; idempotent for an active application,
        re-opens a withdrawn one. ``via`` is ``applied`` or ``invited`` (kept in the history)."""
        opening = self.repos.openings.get(opening_id)
        if not is_accepting(opening, self.today()):
            raise InvalidState("this opening is not taking applications (closed or past its deadline)")
        found = self.repos.applications.list({"talent_id": talent_id, "opening_id": opening_id}, size=1).items
        if found:
            current = found[0]
            if current.status != S.WITHDRAWN:
                return current
            updated = self.repos.applications.update(current.id, {"status": S.APPLIED.value})
            self._record(updated, actor, via, S.WITHDRAWN, S.APPLIED)
            return updated
        created = self.repos.applications.add(ApplicationData(talent_id=talent_id, opening_id=opening_id))
        self._record(created, actor, via, None, S.APPLIED)
        return created

    def withdraw(self, application_id: int, talent_id: int, actor: User) -> Application:
        """The talent withdraws their own active application."""
        application = self.repos.applications.get(application_id)
        if application.talent_id != talent_id:
            raise PermissionDenied("this application belongs to someone else")
        if application.status not in ACTIVE:
            raise InvalidState(Msg("an application that is {status} cannot be withdrawn", status=application.status.value))
        updated = self.repos.applications.update(application_id, {"status": S.WITHDRAWN.value})
        self._record(updated, actor, "withdrawn", application.status, S.WITHDRAWN)
        return updated

    def move(
        self, application_id: int, to_status: str, actor: User, *, note: str | None = None, organization_id: int
    ) -> Application:
        """Move an application of ``organization_id``'s opening to ``to_status`` (with an optional note)."""
        application = self._own(application_id, organization_id)
        note = _checked_note(note)
        try:
            target = S(to_status)
        except ValueError:
            target = None
        if target is None or target not in ORG_STAGES:
            raise ValidationFailed(
                "invalid stage",
                [Problem(("status",), "choose one of the pipeline's stages", to_status, "enum")],
            )
        if application.status == S.WITHDRAWN:
            raise InvalidState("the talent withdrew this application; it cannot be moved")
        if target == application.status:
            if note:
                self._record(application, actor, "note", None, None, note)
            return application
        updated = self.repos.applications.update(application_id, {"status": target.value})
        self._record(updated, actor, "moved", application.status, target, note)
        opening = self.repos.openings.get(application.opening_id)
        notify(
            self.session,
            talent_id=application.talent_id,
            kind="application_moved",
            application_id=application.id,
            opening_id=opening.id,
            opening_title=opening.title,
            status=target.value,
        )
        return updated

    def add_note(self, application_id: int, note: str, actor: User, *, organization_id: int) -> None:
        application = self._own(application_id, organization_id)
        text = _checked_note(note)
        if not text:
            raise ValidationFailed("empty note", [Problem(("note",), "write a note first", note, "missing")])
        self._record(application, actor, "note", None, None, text)

    def _own(self, application_id: int, organization_id: int) -> Application:
        application = self.repos.applications.get(application_id)
        opening = self.repos.openings.get(application.opening_id)
        if opening.organization_id != organization_id:
            raise PermissionDenied("this application is for another organization's opening")
        return application

    # -- reads --------------------------------------------------------------------------------------------
    def history(self, application_ids: Iterable[int]) -> dict[int, list[ApplicationEvent]]:
        """Events of each application, oldest first."""
        ids = list(application_ids)
        out: dict[int, list[ApplicationEvent]] = {i: [] for i in ids}
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            rows = self.session.scalars(
                select(ApplicationEventRow)
                .where(ApplicationEventRow.application_id.in_(chunk))
                .order_by(ApplicationEventRow.id)
            )
            for row in rows:
                out[row.application_id].append(_event(row))
        return out


def _checked_note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationFailed(
            "note too long", [Problem(("note",), Msg("a note has at most {n} characters", n=NOTE_MAX), len(text), "too_long")]
        )
    return text or None
