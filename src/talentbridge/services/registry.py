"""The registry as services see it: organizations, talents, openings, programs, rounds, placements, applications.

``Registry`` is the repository interface the registry use cases and the adapters read and write through;
``storage.repositories.Repositories`` implements it over one session (``registry(session)``). Each entity store
validates, checks unique keys and references, and answers domain records (``Talent``, ``Opening``...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from talentbridge.domain import Application, Opening, Organization, Placement, Program, Round, Talent

__all__ = ["EntityStore", "RecordPage", "Registry", "registry"]

P = TypeVar("P", bound=BaseModel)


class RecordPage(Protocol[P]):
    """One page of records (``page`` is 1-based)."""

    @property
    def items(self) -> list[P]: ...
    @property
    def total(self) -> int: ...
    @property
    def page(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def pages(self) -> int: ...


class EntityStore(Protocol[P]):
    """Reads and writes of one registry entity."""

    def get(self, id: int) -> P: ...
    def get_many(self, ids: Iterable[int]) -> dict[int, P]: ...
    def exists(self, id: int) -> bool: ...
    def get_by_external_id(self, external_id: str) -> P | None: ...
    def count(self, filters: dict[str, Any] | None = None) -> int: ...
    def list(
        self, filters: dict[str, Any] | None = None, sort: str | None = None, page: int = 1, size: int = 50
    ) -> RecordPage[P]: ...
    def iter_all(self, batch_size: int = 2000, filters: dict[str, Any] | None = None) -> Iterator[P]: ...
    def add(self, record: Any) -> P: ...
    def update(self, id: int, changes: dict[str, Any]) -> P: ...
    def delete(self, id: int) -> None: ...


class Registry(Protocol):
    """All registry entity stores over one unit of work."""

    @property
    def organizations(self) -> EntityStore[Organization]: ...
    @property
    def talents(self) -> EntityStore[Talent]: ...
    @property
    def openings(self) -> EntityStore[Opening]: ...
    @property
    def programs(self) -> EntityStore[Program]: ...
    @property
    def rounds(self) -> EntityStore[Round]: ...
    @property
    def placements(self) -> EntityStore[Placement]: ...
    @property
    def applications(self) -> EntityStore[Application]: ...

    def by_entity(self, entity: str) -> EntityStore[Any]:
        """The store of a resource path: organizations, talents, openings, programs, rounds, placements,
        applications."""
        ...


def registry(session: Session) -> Registry:
    """The SQL registry over ``session`` (its transaction is the caller's)."""
    from talentbridge.storage.repositories import Repositories

    return Repositories(session)
