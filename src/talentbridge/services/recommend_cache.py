"""Whole recommendation lists kept per process, per (subject, parameters, data version).

A list is a pure function of the stored talents, openings, organizations, programmes, the taxonomy (with its
aliases), the date, the request's parameters, the talent index and the text embeddings available. The
*data version* is one cheap query (one round trip, one row and a few index lookups, whatever the number of
profiles) over what the database holds:

- openings, organizations, programmes: their change counters (``storage.change_tables``: raised by a trigger in
  the transaction of every insert, update or delete, so a reader sees the new count exactly when it sees the
  change);
- talents: their change counter (updates and deletes) and ``talents_upto``, the largest talent id of the talent
  index the list is drawn from. A list drawn from an index cannot hold a talent the index lacks, so talents
  added since (an import, a sign-up) leave the lists alone until the index takes them in (its version and
  identity are part of the list's key), while an edit, a consent withdrawal or an erasure of any talent still
  moves the stamp at once. ``talents_upto=0``: the list depends on no talent but its subject (openings for a
  talent); ``None``: the counter and the largest talent id;
- the stored taxonomy's version and the aliases' ``(count, largest id)`` (a small table);
- the subject's own ``updated_at`` (a talent who just edited their profile sees fresh results at once).

It is correct across processes: another process's commit changes what the query returns. Two caveats, both
bounded: the subject's and the taxonomy's ``updated_at`` have whole seconds on SQLite and, on PostgreSQL, are
the writing transaction's start, so such a write may hide behind a stamp already seen for a while; lists are
therefore neither served nor stored while one of those stamps is less than ``RECENT_SECONDS`` old (the counters
need no such pause), and every entry expires after ``MAX_AGE_SECONDS`` (less a random quarter at most, so
that lists computed together do not expire together) whatever the version says
(``UNSETTLED_MAX_AGE_SECONDS`` for a list computed without the text criterion's pool statistics, which appear
once enough profile texts are encoded). Lists that are not final (a text still being encoded: ``pending``) are
never stored.

Talents-for-opening also keys on the talent index the list was drawn from (its object, rows and live rows), so
a list drawn from an index that was behind the database is not kept once the index has caught up.

When only the talent index moved (a new version, talents an import added taken in: every other stamp the same, so
no talent was edited, withdrawn or erased meanwhile), its lists are recomputed by ONE request at a time per
process (``cached_list(lineage=...)``); the others are answered meanwhile with the list drawn from the previous
index (``refreshing``), for at most ``REFRESH_SECONDS`` after a request first found the index moved. Recomputing
every list of a process at once after each new version had stalled every answer for seconds
(``benchmarks/bench_scale.py --preload 0``: p95 above 1 s for 4 s after each version of a 5,000-talent pool).

Entries are shared between requests: callers must not mutate what ``get`` returns (copy before changing).
Cached or not, the caller still writes the audit rows and the AI record of every list it shows.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import DateTime, Integer, column, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from talentbridge.services import shared_lists
from talentbridge.services.skill_aliases import format_alias_stamp
from talentbridge.services.taxonomy import cache_stamp
from talentbridge.storage.base import JSONType
from talentbridge.storage.change_tables import ROW_ID

__all__ = [
    "Cached",
    "REFRESH_SECONDS",
    "MAX_AGE_SECONDS",
    "MAX_AGE_JITTER",
    "UNSETTLED_MAX_AGE_SECONDS",
    "RECENT_SECONDS",
    "CachedList",
    "DataVersion",
    "cached_list",
    "clear",
    "data_version",
    "is_final",
    "kept_record",
    "supersede",
]

#: Lists are neither served from nor stored in the cache while the newest stamp is younger than this.
RECENT_SECONDS = 5.0
#: An entry is dropped after at most this many seconds, whatever the data version says: a backstop for a change no
#: stamp shows (every tracked change already moves the version at once). It was 60 s; in
#: ``benchmarks/bench_scale.py`` the lists computed together (after a warm-up, a restart or a change that moved
#: every key) then all expired in the same second a minute later and their recomputation stalled the answers for
#: seconds, and recomputing every list every minute cost a steady share of the cores.
MAX_AGE_SECONDS = 300.0
#: Each entry's age limit is drawn between ``(1 - MAX_AGE_JITTER)`` and 1 times its limit, so that lists computed in
#: the same second expire spread over a minute or so instead of together.
MAX_AGE_JITTER = 0.25
#: ... and after this many when it was computed while something it uses was still being built in this process
#: (the text criterion's pool statistics while the profiles' texts are being encoded).
UNSETTLED_MAX_AGE_SECONDS = 5.0
#: Entries kept per process (least recently used dropped first).
MAX_ENTRIES = 4096
#: Seconds after a request first found a list's talent index replaced during which the list drawn from the previous
#: index may still answer while one request at a time recomputes (see the module).
REFRESH_SECONDS = 4.0

_TAXONOMY_VERSION_KEY = "version"  # storage.taxonomy_writes.VERSION_KEY

T = TypeVar("T")


@dataclass(frozen=True)
class DataVersion:
    """What a list depends on in the database, and the taxonomy version its AI record names."""

    stamps: tuple[Any, ...]
    taxonomy_version: str | None
    newest: datetime | None
    subject_found: bool = True
    #: The talents' part covers ids up to this one only (None: every talent).
    talents_upto: int | None = None
    #: ``services.taxonomy.load_taxonomy``'s cache stamp as of this version (taxonomy version and aliases).
    taxonomy_stamp: str | None = None

    #: The change counters as read (``storage.change_tables``), by table.
    counters: dict[str, int] = field(default_factory=dict)
    #: ``stamps`` without the talent index's part (``talents_upto``): equal for two versions that differ only in
    #: the index a list is drawn from (None: not known, so no list answers for another version's).
    beside_index: tuple[Any, ...] | None = None

    def table(self, name: str) -> int:
        """The change counter of ``name`` (one of ``_TABLES``), as ``recommend_openings`` compares them: the same
        value without another query."""
        return int(self.counters[name])

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
    max_age: float = MAX_AGE_SECONDS


def data_version(
    session: Session,
    *,
    talent_id: int | None = None,
    opening_id: int | None = None,
    talents_upto: int | None = None,
) -> DataVersion | None:
    """The data version (one query: one row and a few index lookups, whatever the tables' sizes), or None when it
    cannot be read (a table or the counters' row missing: no caching). ``talent_id``/``opening_id``: the subject,
    whose own stamp is part of it (None there: no such record; see ``DataVersion.subject_found``).
    ``talents_upto``: the largest id of the talent index the list is drawn from (0: the list depends on no
    talent but the subject; see the module's notes)."""
    if talent_id is not None and opening_id is not None:
        raise ValueError("one subject: a talent or an opening")
    statement = _statement(talent_id is not None, opening_id is not None, talents_upto is None)
    params = {k: v for k, v in (("talent_id", talent_id), ("opening_id", opening_id)) if v is not None}
    try:
        row = tuple(session.execute(statement, params).one())
    except Exception:  # noqa: BLE001 - database not upgraded (a table or the counters' row missing): no caching
        session.rollback()
        return None
    counters = dict(zip(_TABLES, row[: len(_TABLES)], strict=True))
    talents: tuple[Any, ...] = (0,) if talents_upto == 0 else (counters["talents"], talents_upto or row[_LARGEST])
    others = tuple(int(counters[t]) for t in _TABLES[1:])
    rest = tuple(_plain(v) for v in row[_LARGEST + 1 :])
    stamps = others + talents + rest
    beside_index = others + talents[:1] + rest
    newest = max((v for v in row if isinstance(v, datetime)), key=_aware, default=None)
    version = row[_TAXONOMY_COLUMN]
    subject = row[-1] if talent_id is not None or opening_id is not None else True
    taxonomy = None if version is None else str(version)[:200]
    aliases = format_alias_stamp(row[_TAXONOMY_COLUMN - 2], row[_TAXONOMY_COLUMN - 1])
    stamp = cache_stamp(None if version is None else str(version), aliases)
    return DataVersion(stamps, taxonomy, newest, subject is not None, talents_upto, stamp, counters, beside_index)


#: The counted tables (``storage.change_tables``), in the statement's order.
_TABLES = ("talents", "openings", "organizations", "programs")
_LARGEST = len(_TABLES)  # the talents' largest id (read only without ``talents_upto``)
_TAXONOMY_COLUMN = len(_TABLES) + 3
_statements: dict[tuple[bool, bool, bool], TextualSelect] = {}


def _statement(talent: bool, opening: bool, largest: bool) -> TextualSelect:
    """``SELECT`` of every stamp: the change counters' row, the aliases' count and largest id, the taxonomy's
    version, the subject's ``updated_at`` (each an index lookup, or a small table), built once."""
    hit = _statements.get((talent, opening, largest))
    if hit is not None:
        return hit
    meta = f"FROM taxonomy_meta WHERE key = '{_TAXONOMY_VERSION_KEY}'"
    selected: list[tuple[str, Any]] = [(f"d.{t}", Integer()) for t in _TABLES]
    selected += [
        ("(SELECT max(id) FROM talents)" if largest else "0", Integer()),
        ("s_aliases.n", Integer()),
        ("s_aliases.m", Integer()),
        (f"(SELECT value {meta})", JSONType),
        (f"(SELECT updated_at {meta})", DateTime(timezone=True)),
    ]
    if talent:
        selected.append(("(SELECT updated_at FROM talents WHERE id = :talent_id)", DateTime(timezone=True)))
    if opening:
        selected.append(("(SELECT updated_at FROM openings WHERE id = :opening_id)", DateTime(timezone=True)))
    sql = (
        "SELECT "
        + ", ".join(f"{expr} AS c{i}" for i, (expr, _) in enumerate(selected))
        + " FROM data_changes AS d, (SELECT count(id) AS n, max(id) AS m FROM skill_aliases) AS s_aliases"
        + f" WHERE d.id = {ROW_ID}"
    )
    statement = text(sql).columns(*(column(f"c{i}", kind) for i, (_, kind) in enumerate(selected)))
    _statements[(talent, opening, largest)] = statement
    return statement


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
        #: superseded entries (``supersede``): never a hit, only the previous list of a lineage (``peek``)
        self._previous: OrderedDict[Hashable, CachedList] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, now: float) -> CachedList | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or now - entry.stored_at > min(entry.max_age, MAX_AGE_SECONDS):
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def peek(self, key: Hashable, now: float) -> CachedList | None:
        """The entry under ``key``, current or superseded, while it is young enough; no hit or miss counted."""
        with self._lock:
            entry = self._entries.get(key) or self._previous.get(key)
            if entry is None or now - entry.stored_at > min(entry.max_age, MAX_AGE_SECONDS):
                return None
            return entry

    def drop(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._previous.pop(key, None)

    def supersede(self, kind: str) -> None:
        """The entries of ``kind`` no longer answer as they are; each may still answer as the previous list of
        its lineage while that is recomputed (``cached_list(lineage=...)``)."""
        with self._lock:
            for key in [k for k in self._entries if _kind(k) == kind]:
                self._previous[key] = self._entries.pop(key)
            while len(self._previous) > MAX_ENTRIES:
                self._previous.popitem(last=False)

    def put(self, key: Hashable, entry: CachedList) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self, kind: str | None = None) -> None:
        with self._lock:
            if kind is None:
                self._entries.clear()
                self._previous.clear()
                self.hits = self.misses = 0
                return
            for entries in (self._entries, self._previous):
                for key in [k for k in entries if _kind(k) == kind]:
                    del entries[key]


_cache = _Cache()
_records = _Cache()


class _Lineages:
    """Per list (its key apart from the talent index it is drawn from), the full key it was last stored under and
    when a request first asked for it under another one; and the one refresh slot of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: OrderedDict[Hashable, tuple[Hashable, float | None]] = OrderedDict()
        self.slot = threading.Lock()

    def stored(self, lineage: Hashable, full_key: Hashable) -> Hashable | None:
        """Record ``full_key`` as the lineage's latest list; returns the one it replaces (None: none, or itself)."""
        with self._lock:
            before = self._latest.get(lineage)
            self._latest[lineage] = (full_key, None)
            self._latest.move_to_end(lineage)
            while len(self._latest) > MAX_ENTRIES:
                self._latest.popitem(last=False)
        return before[0] if before is not None and before[0] != full_key else None

    def previous(self, lineage: Hashable, full_key: Hashable, now: float) -> Hashable | None:
        """The full key of the list drawn from the index this one replaced, while ``REFRESH_SECONDS`` have not
        passed since a request first asked for ``full_key`` (None: none, or too late)."""
        with self._lock:
            found = self._latest.get(lineage)
            if found is None or found[0] == full_key:
                return None
            since = found[1]
            if since is None:
                self._latest[lineage] = (found[0], now)
                return found[0]
            return found[0] if now - since <= REFRESH_SECONDS else None

    def clear(self) -> None:
        with self._lock:
            self._latest.clear()


_lineages = _Lineages()


class Cached(NamedTuple, Generic[T]):
    """What ``cached_list`` answers: the list, the taxonomy version it was computed under, and whether it is the
    list drawn from the previous talent index while a request recomputes it (``refreshing``)."""

    value: T
    taxonomy_version: str | None
    refreshing: bool = False


def kept_record(key: Hashable | None, load: Callable[[], T]) -> T:
    """``load()``, kept per process under ``key`` for ``MAX_AGE_SECONDS``; ``None``: read every time. The key must
    hold a change counter of the record's table (``DataVersion.table``: raised by a trigger with every insert,
    update or delete), so a kept record is never older than the version it is asked with — e.g. the opening a
    talents-for-opening request checks access on, which was an ORM read per request."""
    if key is None:
        return load()
    now = time.monotonic()
    entry = _records.get(key, now)
    if entry is not None:
        return entry.value  # type: ignore[no-any-return]
    value = load()
    _records.put(key, CachedList(value, None, now))
    return value


def clear(kind: str | None = None) -> None:
    """Forget every list (tests; after a restore), or the lists whose key starts with ``kind`` (e.g.
    ``"talents_for_opening"`` once a new talent index version is out). Without ``kind``, the kept records too."""
    _cache.clear(kind)
    if kind is None:
        _records.clear()
        _lineages.clear()


def supersede(kind: str) -> None:
    """The lists whose key starts with ``kind`` no longer answer as they are (e.g. ``"talents_for_opening"`` once a
    new talent index version is out); until each is recomputed, it may still answer as the previous list of its
    lineage, for at most ``REFRESH_SECONDS`` (``cached_list(lineage=...)``)."""
    _cache.supersede(kind)


def _kind(full_key: Hashable) -> Any:
    key = full_key[0] if isinstance(full_key, tuple) and full_key else None
    return key[0] if isinstance(key, tuple) and key else None


def stats() -> dict[str, int]:
    return {"hits": _cache.hits, "misses": _cache.misses, "entries": len(_cache._entries)}


def cached_list(
    key: Hashable | None,
    version: DataVersion | None,
    compute: Callable[[], T],
    *,
    final: Callable[[T], bool] = lambda _: True,
    recent_seconds: float | None = None,
    max_age: Callable[[T], float] | None = None,
    shared: Hashable | None = None,
    lineage: Hashable | None = None,
) -> Cached[T]:
    """The list under ``key`` for ``version`` — from the cache when there, else ``compute()`` (stored when
    ``final`` says the list is complete, for at most ``max_age(list)`` seconds, never more than
    ``MAX_AGE_SECONDS``). Returns the list and the taxonomy version it was computed under.

    ``shared``: the list's key in terms that mean the same in every process (no object identity); with a store
    configured (``shared_lists.share``), a list this process lacks is taken from the store before it is computed,
    and a list computed here is put there too.

    ``lineage``: the list's key apart from the talent index it is drawn from (talents-for-opening). When the only
    thing that moved since the list was last stored is that index (``DataVersion.beside_index`` the same), one
    request of the process at a time recomputes it and the others get the previous list, ``refreshing=True``, for
    at most ``REFRESH_SECONDS`` (see the module).

    ``key`` or ``version`` None, or a version younger than ``recent_seconds`` (default ``RECENT_SECONDS``):
    computed and not stored."""
    recent = RECENT_SECONDS if recent_seconds is None else recent_seconds
    usable = key is not None and version is not None and not version.recent(recent)
    full_key = (key, version.stamps) if usable and version is not None else None
    store = shared_lists.store() if full_key is not None and shared is not None else None
    digest = ""
    if full_key is not None:
        hit = _cache.get(full_key, time.monotonic())
        if hit is not None:
            return Cached(hit.value, hit.taxonomy_version)
        if store is not None and version is not None:
            digest = shared_lists.shared_key(shared, version.stamps)  # after the local miss: off the hit path
            entry = store.get(digest)
            if entry is not None:
                value, taxonomy, age, stored_at = entry
                elapsed = max(0.0, time.time() - stored_at)  # the entry ages from when it was computed
                if elapsed < age:
                    _cache.put(full_key, CachedList(value, taxonomy, time.monotonic() - elapsed, age))
                    if lineage is not None and version is not None and version.beside_index is not None:
                        _replaced((lineage, version.beside_index), full_key)
                    return Cached(value, taxonomy)
    line = None
    if full_key is not None and lineage is not None and version is not None and version.beside_index is not None:
        line = (lineage, version.beside_index)
    if line is not None:
        now = time.monotonic()
        before = _lineages.previous(line, full_key, now)
        stale = _cache.peek(before, now) if before is not None else None
        if stale is not None:
            if not _lineages.slot.acquire(blocking=False):  # another request recomputes one: answer with this one
                return Cached(stale.value, stale.taxonomy_version, refreshing=True)
            try:
                return _computed(full_key, version, compute, final, max_age, store, digest, line)
            finally:
                _lineages.slot.release()
    return _computed(full_key, version, compute, final, max_age, store, digest, line)


def _replaced(line: Hashable, full_key: Hashable) -> None:
    """``full_key`` is the lineage's list now: the one drawn from the previous index is no longer needed."""
    before = _lineages.stored(line, full_key)
    if before is not None:
        _cache.drop(before)


def _computed(
    full_key: Hashable | None,
    version: DataVersion | None,
    compute: Callable[[], T],
    final: Callable[[T], bool],
    max_age: Callable[[T], float] | None,
    store: Any,
    digest: str,
    line: Hashable | None,
) -> Cached[T]:
    """``compute()``, stored as ``cached_list`` says."""
    value = compute()
    taxonomy = version.taxonomy_version if version is not None else None
    if full_key is not None and final(value):
        age = min(MAX_AGE_SECONDS, MAX_AGE_SECONDS if max_age is None else max_age(value))
        if age > 0:
            age *= random.uniform(1 - MAX_AGE_JITTER, 1)  # noqa: S311 - spreads expiries, no secret
            _cache.put(full_key, CachedList(value, taxonomy, time.monotonic(), age))
            if line is not None:
                _replaced(line, full_key)
            if store is not None:
                store.put(digest, (value, taxonomy, age, time.time()), age)
    return Cached(value, taxonomy)


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
