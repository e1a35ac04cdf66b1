"""The facts the access policy asks about (``services.access_facts.AccessFactsRepository``), in SQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.storage.tables import ApplicationRow, OpeningRow

__all__ = ["SqlAccessFacts"]


class SqlAccessFacts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def opening_gate(self, opening_id: int) -> tuple[str, object, int] | None:
        row = self.session.execute(
            select(OpeningRow.status, OpeningRow.deadline, OpeningRow.organization_id).where(OpeningRow.id == opening_id)
        ).first()
        return None if row is None else (str(row.status), row.deadline, int(row.organization_id))

    def has_applied(self, talent_id: int, opening_id: int) -> bool:
        found = self.session.scalar(
            select(ApplicationRow.id).where(ApplicationRow.talent_id == talent_id, ApplicationRow.opening_id == opening_id)
        )
        return found is not None

    def talents_applied_to(self, organization_id: int) -> set[int]:
        stmt = (
            select(ApplicationRow.talent_id)
            .join(OpeningRow, OpeningRow.id == ApplicationRow.opening_id)
            .where(OpeningRow.organization_id == organization_id)
        )
        return set(self.session.scalars(stmt))

    def opening_organization(self, opening_id: int) -> int | None:
        return self.session.scalar(select(OpeningRow.organization_id).where(OpeningRow.id == opening_id))
