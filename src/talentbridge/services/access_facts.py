"""Facts about the stored records that the access policy (``web/access.py``) decides on.

Whether an opening is open and past its deadline, which organization owns it, whether a talent applied to an
opening, which talents applied to an organization. Each question is one short read transaction owned here; the
policy never builds SQL. Storage answers through ``AccessFactsRepository`` (``storage/access_queries.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session

from talentbridge.services.transactions import SessionSource

__all__ = ["AccessFacts", "AccessFactsRepository", "OpeningGate"]


@dataclass(frozen=True)
class OpeningGate:
    """What an application to an opening is judged on."""

    status: str
    deadline: date | None
    organization_id: int


class AccessFactsRepository(Protocol):
    def opening_gate(self, opening_id: int) -> tuple[str, Any, int] | None: ...
    def has_applied(self, talent_id: int, opening_id: int) -> bool: ...
    def talents_applied_to(self, organization_id: int) -> set[int]: ...
    def opening_organization(self, opening_id: int) -> int | None: ...


def _sql_facts(session: Session) -> AccessFactsRepository:
    from talentbridge.storage.access_queries import SqlAccessFacts

    return SqlAccessFacts(session)


class AccessFacts:
    """Read-only questions of the access policy, each in its own read transaction of ``database``."""

    def __init__(
        self, database: SessionSource, repository: Callable[[Session], AccessFactsRepository] = _sql_facts
    ) -> None:
        self.database = database
        self.repository = repository

    def _ask(self, question: Callable[[AccessFactsRepository], Any]) -> Any:
        with self.database.session() as session:
            return question(self.repository(session))

    def opening_gate(self, opening_id: int) -> OpeningGate | None:
        """Status, deadline and organization of an opening; None when there is no such opening."""
        found = self._ask(lambda r: r.opening_gate(opening_id))
        return None if found is None else OpeningGate(*found)

    def has_applied(self, talent_id: int, opening_id: int) -> bool:
        return bool(self._ask(lambda r: r.has_applied(talent_id, opening_id)))

    def talents_applied_to(self, organization_id: int) -> set[int]:
        """Ids of the talents with an application to any opening of the organization."""
        return set(self._ask(lambda r: r.talents_applied_to(organization_id)))

    def opening_organization(self, opening_id: int) -> int | None:
        found = self._ask(lambda r: r.opening_organization(opening_id))
        return None if found is None else int(found)
