"""Whole recommendation lists kept per process, per (subject, parameters, data version).

A list is a pure function of the stored talents, openings, organizations, programmes, the taxonomy (with its
aliases), the date, the request's parameters, the talent index and the text embeddings available. The
*data version* is one cheap query (one round trip) over what the database holds:

- talents, openings, organizations, programmes: ``(count, newest updated_at, largest id)`` each — an insert or
  an update moves the newest stamp or the largest id, a delete the count;
- the stored taxonomy's version and the aliases' ``(count, largest id)``;
- the subject's own ``updated_at`` (a talent who just edited their profile sees fresh results at once).

It is correct across processes: another process's commit changes what the query returns. Two caveats, both
bounded: ``updated_at`` has whole seconds on SQLite and, on PostgreSQL, is the writing transaction's start, so a
write may hide behind a stamp already seen for a while; lists are therefore neither served nor stored while the
newest stamp is less than ``RECENT_SECONDS`` old, and every entry expires after ``MAX_AGE_SECONDS`` whatever the
version says. Lists that are not final (a text still being encoded: ``pending``) are never stored.

Talents-for-opening also keys on the talent index the list was drawn from (its object, rows and live rows), so
a list drawn from an index that was behind the database is not kept once the index has caught up.

Entries are shared between requests: callers must not mutate what ``get`` returns (copy before changing).
Cached or not, the caller still writes the audit rows and the AI record of every list it shows.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.storage.alias_tables import SkillAliasRow
from talentbridge.storage.tables import OpeningRow, OrganizationRow, ProgramRow, TalentRow
from talentbridge.storage.taxonomy_tables import TaxonomyMetaRow

__all__ = [
    "MAX_AGE_SECONDS",
    "RECENT_SECONDS",
    "CachedList",
    "DataVersion",
    "cached_list",
    "clear",
    "data_version",
    "is_final",
]

#: Lists are neither served from nor stored in the cache while the newest stamp is younger than this.
RECENT_SECONDS = 5.0
#: An entry is dropped after this many seconds, whatever the data version says.
MAX_AGE_SECONDS = 60.0
#: Entries kept per process (least recently used dropped first).
MAX_ENTRIES = 4096

_TAXONOMY_VERSION_KEY = "version"  # storage.taxonomy_repository.VERSION_KEY

T = TypeVar("T")


@dataclass(frozen=True)
class DataVersion:
    """What a list depends on in the database, and the taxonomy version its AI record names."""

    stamps: tuple[Any, ...]
    taxonomy_version: str | None
    newest: datetime | None

    def recent(self, seconds: float) -> bool:
        if self.newest is None or seconds <= 0:
            return False
        stamp = self.newest if self.newest.tzinfo is not None else self.newest.replace(tzinfo=UTC)
        return abs((datetime.now(UTC) - stamp).total_seconds()) < seconds


@dataclass
class CachedList:
    """One list as computed, with what it was computed from (e.g. the talent records of its items)."""

    value: Any
    taxonomy_version: str | None
    stored_at: float


def data_version(
    session: Session, *, talent_id: int | None = None, opening_id: int | None = None
) -> DataVersion | None:
    """The data version (one query), or None when it cannot be read (tables missing: no caching)."""
    columns: list[Any] = []
    for table in (TalentRow, OpeningRow, OrganizationRow, ProgramRow):
        columns += [
            select(func.count(table.id)).scalar_subquery(),
            select(func.max(table.updated_at)).scalar_subquery(),
            select(func.max(table.id)).scalar_subquery(),
        ]
    columns += [
        select(func.count(SkillAliasRow.id)).scalar_subquery(),
        select(func.max(SkillAliasRow.id)).scalar_subquery(),
        select(TaxonomyMetaRow.value).where(TaxonomyMetaRow.key == _TAXONOMY_VERSION_KEY).scalar_subquery(),
        select(TaxonomyMetaRow.updated_at).where(TaxonomyMetaRow.key == _TAXONOMY_VERSION_KEY).scalar_subquery(),
    ]
    if talent_id is not None:
        columns.append(select(TalentRow.updated_at).where(TalentRow.id == talent_id).scalar_subquery())
    if opening_id is not None:
        columns.append(select(OpeningRow.updated_at).where(OpeningRow.id == opening_id).scalar_subquery())
    try:
        row = tuple(session.execute(select(*columns)).one())
    except Exception:  # noqa: BLE001 - database not upgraded (a table missing): no caching
        session.rollback()
        return None
    stamps = tuple(_plain(v) for v in row)
    newest = max((v for v in row if isinstance(v, datetime)), key=_aware, default=None)
    version = row[14]
    return DataVersion(stamps, None if version is None else str(version)[:200], newest)


def _plain(value: Any) -> Hashable:
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    if isinstance(value, dict | list):
        return repr(value)
    return value  # type: ignore[no-any-return]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class _Cache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, CachedList] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, now: float) -> CachedList | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or now - entry.stored_at > MAX_AGE_SECONDS:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: CachedList) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


_cache = _Cache()


def clear() -> None:
    """Forget every list (tests; after a restore)."""
    _cache.clear()


def stats() -> dict[str, int]:
    return {"hits": _cache.hits, "misses": _cache.misses, "entries": len(_cache._entries)}


def cached_list(
    key: Hashable | None,
    version: DataVersion | None,
    compute: Callable[[], T],
    *,
    final: Callable[[T], bool] = lambda _: True,
    recent_seconds: float | None = None,
) -> tuple[T, str | None]:
    """The list under ``key`` for ``version`` — from the cache when there, else ``compute()`` (stored when
    ``final`` says the list is complete). Returns the list and the taxonomy version it was computed under.

    ``key`` or ``version`` None, or a version younger than ``recent_seconds`` (default ``RECENT_SECONDS``):
    computed and not stored."""
    recent = RECENT_SECONDS if recent_seconds is None else recent_seconds
    usable = key is not None and version is not None and not version.recent(recent)
    full_key = (key, version.stamps) if usable and version is not None else None
    if full_key is not None:
        hit = _cache.get(full_key, time.monotonic())
        if hit is not None:
            return hit.value, hit.taxonomy_version
    value = compute()
    taxonomy = version.taxonomy_version if version is not None else None
    if full_key is not None and final(value):
        _cache.put(full_key, CachedList(value, taxonomy, time.monotonic()))
    return value, taxonomy


def is_final(result: dict[str, Any]) -> bool:
    """No item of the list waits for a text to be encoded (``status: pending`` anywhere in an item: such a list
    changes once the text is encoded)."""
    return not any(_pending(item) for item in result.get("items", ()))


def _pending(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get("status") == "pending" or any(_pending(v) for v in value.values())
    if isinstance(value, list):
        return any(_pending(v) for v in value)
    return False
