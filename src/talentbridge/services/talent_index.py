"""The talent index: built from the database on first use, kept in step incrementally, rebuilt on demand.

The index (``matching.retrieval.TalentIndex``) is published as versions under ``<data_dir>/indexes/talents``
(``services.index_versions``: ``v000012/``, a ``current`` pointer swapped atomically, old versions removed after
a grace period). A version is written whole and never changed: by the ``reindex`` job (``rebuild_index``), by the
first process that finds none, and by an erasure. Every process (web or job worker) loads the current version
into memory and picks up a newer one without a restart: it re-reads the pointer at most every
``POINTER_CHECK_SECONDS``, and at once when the change bus says ``index.talents`` (published with each version).

Changes after a version was built are applied in memory by each process: before each use the service compares a
cheap signature of the talents table (count, newest ``updated_at``, largest id; through ``TalentSnapshot``) with
the one it last synced at (the version's own at first) and re-indexes only talents changed since (and drops
deleted ones). That signature scans the table, so it is taken only when the talents' change counters
(``storage.change_tables``: raised in the transaction of every insert, update or delete) moved since the last
comparison that left the index in step; otherwise there is nothing to compare. ``on_talent_changed`` does the same
for one talent right away (the API calls it after a save).
A request never does unbounded work: in a web process (``route_reindex`` registered a submitter), a backlog of more
than ``REQUEST_BACKLOG`` changed talents is left to ONE ``reindex`` job (key ``reindex:after:<version>``) and the
request answers from the loaded version; jobs and the CLI (``index(complete=True)``, or no submitter) sync all.

A new version is read and built OUTSIDE the process-wide lock (by a background thread when an index is loaded,
so requests go on answering from the old one meanwhile); only the swap of references happens under it.

Talent text embeddings sit in the index columns, refilled from the on-disk store by text hash
(``text_keys.npy`` beside the index); texts not encoded yet are encoded within a time budget per request (all of
them in ``rebuild_index`` and batch runs).

``TalentIndexService`` is spread over four modules: this one keeps it in step with the table (``index``), brings
one talent in right away, erases talents and rebuilds; ``talent_index_versions`` publishes, reads and loads versions
and follows the pointer (``POINTER_CHECK_SECONDS``); ``talent_index_build`` builds the index and fills its text
embeddings; ``talent_index_state`` holds the process-wide state and what the rest of the process asks of it
(``reset_indexes``, ``loaded_index_versions``, ``set_reindex_submitter``, the change-bus ``TOPIC``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain import Talent
from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.compared_texts import talent_text
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.talent_index_build import Progress
from talentbridge.services.talent_index_state import (
    _asked,
    _asked_at,
    _checked,
    _edits,
    _gates,
    _indexes,
    _lag,
    _lock,
    _submitters,
    _synced,
    _texts,
    _versions,
    _watch,
    reset_indexes,
)
from talentbridge.services.talent_index_versions import TalentIndexVersions
from talentbridge.services.text_embeddings import REQUEST_BUDGET_SECONDS

__all__ = [
    "API_SYNC_INTERVAL",
    "TalentIndexService",
    "TalentSnapshot",
    "REQUEST_BACKLOG",
    "on_talent_changed",
    "reset_indexes",
]

log = logging.getLogger(__name__)

#: Changed talents a request brings into the loaded index itself; a larger backlog goes to a ``reindex`` job.
REQUEST_BACKLOG = 200
#: Seconds during which the API uses the index without comparing it with the database again.
API_SYNC_INTERVAL = 5.0
#: Seconds between two ``reindex`` jobs a process asks for by itself (a long import makes a backlog again as soon as
#: a version is out: without a pause the job workers would reindex without end, and every web worker would load
#: each version, dropping its kept lists). Meanwhile lists say how far they are behind (``index_behind``).
AUTO_REINDEX_INTERVAL = 30.0


class TalentSnapshot(Protocol):
    """What keeping the index in step needs of the talents table."""

    def signature(self) -> tuple[int, datetime | None, int]:
        """(count, newest ``updated_at``, largest id)."""
        ...

    def changes(self) -> Hashable | None:
        """Counters that move with every committed insert, update or delete of a talent (None: not available)."""
        ...

    def ids_changed_since(self, since: datetime | None) -> set[int]: ...
    def count_changed_since(self, since: datetime | None, limit: int) -> int:
        """How many talents changed at or after ``since`` (all without it), counted up to ``limit``."""
        ...

    def all_ids(self) -> set[int]: ...
    def texts_after(self, after: int, limit: int) -> list[tuple[int, str | None, list[str], list[str], str]]:
        """(id, résumé, job titles, desired roles, name) of at most ``limit`` talents with an id above ``after``, in id
        order (``lexical_pool`` reads the pool's texts so)."""
        ...

    def external_ids(self, ids: Sequence[int]) -> dict[int, str | None]: ...


def talent_snapshot(session: Session) -> TalentSnapshot:
    from talentbridge.storage.talent_snapshot import SqlTalentSnapshot

    return SqlTalentSnapshot(session)


def largest_id(idx: TalentIndex) -> int:
    """The largest talent id ``idx`` holds, alive or not (0: none)."""
    ids = idx.columns.ids
    return int(ids.max()) if ids.shape[0] else 0


class TalentIndexService(TalentIndexVersions):
    """The talent index of the configured database, for one ``MatchingContext``.

    ``sync_interval``: seconds during which the index is used without comparing it with the database again
    (0: compare on every call; the API uses ``API_SYNC_INTERVAL``, since the signature query scans the table).
    """

    sync_interval: float = 0.0

    def __init__(self, ctx: MatchingContext, snapshot: Callable[[Session], TalentSnapshot] = talent_snapshot) -> None:
        self.ctx = ctx
        self.snapshot = snapshot(ctx.session)

    def index(self, *, complete: bool = False) -> TalentIndex:
        """The talent index, built or brought up to date with the database (text embeddings included).

        ``complete``: bring in every change however many (jobs, batch runs). Else, in a process that registered a
        reindex submitter (web workers), a backlog above ``REQUEST_BACKLOG`` is left to one ``reindex`` job and the
        loaded version answers meanwhile (``behind`` says how many talents it lacks at most)."""
        key = self.key
        _watch(self.ctx.settings)
        self._follow_pointer()
        now = time.monotonic()
        with _lock:
            idx = _indexes.get(key)
            if idx is not None and now - _checked.get(key, -1e9) < self.sync_interval:
                return idx  # checked a moment ago; saves through the API update the index right away anyway
            _checked[key] = now
            if idx is None:
                signature = self._signature()  # nothing published yet: the first use builds (under the lock)
                idx, texts = self._build(budget=REQUEST_BUDGET_SECONDS)
                self._publish(idx, texts, signature)
                return idx
        # neither talents counter moved since the last comparison left the index in step: nothing to compare (the
        # comparison scans the table: tens of milliseconds of the database per worker and check at 100,000 rows)
        changes = None if complete else self.snapshot.changes()
        if changes is not None and _gates.get(key) == changes:
            with _lock:
                idx = _indexes.get(key, idx)
                self._fill_texts(idx, REQUEST_BUDGET_SECONDS)
                return idx
        # the comparison with the table runs outside the lock: other requests go on with the loaded index
        signature = self._signature()
        saved = self._saved_signature() or {}
        stale = {k: saved.get(k) for k in signature} != signature
        if stale and not complete and key in _submitters:
            behind = self._backlog(idx, saved, signature)
            if behind > REQUEST_BACKLOG:
                _lag[key] = behind
                self._ask_reindex()
                return idx
        with _lock:
            idx = _indexes.get(key, idx)
            if stale:
                self._sync(idx)
                self._mark(signature)
                _lag.pop(key, None)
            # updated_at has whole seconds on SQLite: a change may hide in the same one
            elif (_recent(signature) or _unsettled(saved)) and self._sync(idx, deletions=False):
                self._mark(signature)
            self._fill_texts(idx, None if complete else REQUEST_BUDGET_SECONDS)
            _indexes[key] = idx
            if changes is not None:
                _gates[key] = changes  # read before the comparison: a change since opens the gate again
            return idx

    def content_key(self) -> tuple[Any, ...] | None:
        """What the index this process answers from holds, in terms every process means the same by: its version,
        the table's signature it was last brought in step with, and the talents changed in memory since (their
        ids and stamps, in order). Two processes with the same key answer from the same rows (lists drawn from it
        may be shared: ``shared_lists``); None before the first use."""
        key = self.key
        with _lock:
            name, synced = _versions.get(key), _synced.get(key)
            if name is None or synced is None:
                return None
            plain = tuple(sorted((k, v) for k, v in synced.items() if k != "synced_at"))
            return (name, plain, _edits.get(key, ""))

    def largest_id(self) -> int:
        """The largest talent id the index this process answers from holds (0: none); brings the index up to
        date first, as ``index()`` does. Lists drawn from it key their talents' stamp on it
        (``recommend_cache.data_version(talents_upto=...)``)."""
        return largest_id(self.index())

    @property
    def behind(self) -> int:
        """Talents this process's loaded version lacks or has stale, at least, while a reindex job brings them in
        (0 when in step or not known). Lists drawn from the index say so (``index_behind``)."""
        return _lag.get(self.key, 0)

    def _backlog(self, idx: TalentIndex, saved: dict[str, Any], signature: dict[str, Any]) -> int:
        """How many talents the loaded index lacks or has stale, at least (cheap: one bounded query)."""
        newest = saved.get("newest")
        since = datetime.fromisoformat(newest) if newest else None
        missing = max(0, int(signature["count"]) - int(idx.columns.alive.sum()))
        if missing > REQUEST_BACKLOG:
            return missing
        return max(missing, self.snapshot.count_changed_since(since, REQUEST_BACKLOG + 1))

    def _ask_reindex(self) -> None:
        """Submit the one ``reindex`` job for the loaded version (once per version in this process, and at most
        every ``AUTO_REINDEX_INTERVAL``; the job key makes it one across processes too). A queue that is down leaves
        the request answering all the same."""
        key = self.key
        version = _versions.get(key) or "none"
        now = time.monotonic()
        with _lock:
            if _asked.get(key) == version or now - _asked_at.get(key, -1e9) < AUTO_REINDEX_INTERVAL:
                return
            _asked[key] = version
            _asked_at[key] = now
            submit = _submitters.get(key)
        if submit is None:
            return
        try:
            submit(version)
        except Exception:  # noqa: BLE001 - the job table or broker is busy: the next check asks again
            log.warning("could not submit a reindex job", exc_info=True)
            with _lock:
                _asked.pop(key, None)
                _asked_at.pop(key, None)

    def rebuild_index(self, progress: Progress | None = None) -> dict[str, Any]:
        """Build the index from scratch, every profile text encoded, and publish it as the new current version
        (``talentbridge recommend reindex``, the ``reindex`` job); every worker picks it up. The build runs outside
        the process-wide lock: requests in this process go on answering from the loaded index meanwhile."""
        signature = self._signature()  # before reading: changes during the build are synced after it
        idx, texts = self._build(progress, budget=None)
        version = self._publish(idx, texts, signature)
        return {
            "talents": len(idx),
            "indexed": sum(len(a) for a in idx.ann.values()),
            "version": version,
            "folder": str(self.versions.path(version)),
            "memory_mb": round(idx.memory_bytes() / 2**20, 1),
            "text": {
                **self.ctx.text.summary(),
                "with_text": int(((texts.keys != 0) & idx.columns.alive).sum()),
                "encoded": int((texts.have & idx.columns.alive).sum()),
            },
        }

    def external_ids(self, ids: Sequence[int]) -> dict[int, str | None]:
        return self.snapshot.external_ids(ids)

    def talent_changed(self, talent: Talent | int, *, deleted: bool = False) -> None:
        """Bring the index up to date for one talent right away; nothing happens without an index on disk."""
        key = self.key
        with _lock:
            idx = _indexes.get(key)
            if idx is None:
                idx = self._load_current()
                if idx is None:
                    return
            tid = talent if isinstance(talent, int) else talent.id
            stamp: object = "deleted"
            if deleted:
                idx.delete([tid])
            else:
                record = talent if not isinstance(talent, int) else self.ctx.repos.talents.get(talent)
                self._upsert(idx, [record])
                self._fill_texts(idx, REQUEST_BUDGET_SECONDS)
                stamp = record.updated_at
            _edits[key] = hashlib.sha256(f"{_edits.get(key, '')}|{tid}:{stamp}".encode()).hexdigest()[:32]
            # the synced signature stays: other changes since it are picked up by the next use
            _indexes[key] = idx

    def forget_talents(self, talents: Sequence[Talent]) -> dict[str, int]:
        """Erase talents (``privacy_erase``): every index row of theirs, earlier versions too, is wiped and their
        regions' ANN rebuilt, in memory and in a new index version that replaces every older one on disk at once
        (no grace period for erased data; other workers reload when told); the vectors of their profile texts
        (current and earlier) leave the text store. Returns how many rows and vectors went."""
        from talentbridge.services.compared_texts import text_key
        from talentbridge.services.text_embeddings import forget_texts

        ids = [t.id for t in talents]
        keys = {text_key(talent_text(t)) for t in talents}
        rows = np.zeros(0, dtype=np.int64)
        key = self.key
        with _lock:
            idx = _indexes.get(key)
            if idx is None:
                idx = self._load_current()
            if idx is not None:
                rows = idx.columns.rows_with_ids(ids)
                tt = _texts.get(key)
                if tt is not None:
                    tt.grow(len(idx.columns))
                    keys |= {int(k) for k in tt.keys[rows]}
                    tt.keys[rows] = 0
                    tt.have[rows] = False
                idx.forget(ids)
                self._publish(idx, _texts[key], self._saved_signature() or self._signature())
                self.versions.collect_garbage(keep_older=False)
                _indexes[key] = idx
        vectors = forget_texts(self.ctx.settings, "talents", keys - {0})
        return {"rows": int(rows.size), "vectors": vectors}

    # -- keeping in step ------------------------------------------------------------------------------------------
    def _signature(self) -> dict[str, Any]:
        count, newest, largest = self.snapshot.signature()
        return {"count": count, "newest": newest.isoformat() if newest else None, "largest": largest}

    def _saved_signature(self) -> dict[str, Any] | None:
        return _synced.get(self.key)

    def _mark(self, signature: dict[str, Any]) -> dict[str, Any]:
        """The in-memory index is in step with the table as of ``signature``."""
        synced = _synced[self.key] = {**signature, "synced_at": datetime.now(UTC).isoformat()}
        _edits.pop(self.key, None)
        return synced

    def _sync(self, idx: TalentIndex, deletions: bool = True) -> int:
        """Re-index talents changed since the saved signature (and drop deleted ones); returns how many."""
        saved = self._saved_signature() or {}
        newest = saved.get("newest")
        changed = self.snapshot.ids_changed_since(datetime.fromisoformat(newest) if newest else None)
        added: set[int] = set()
        if deletions:
            known = np.fromiter(self.snapshot.all_ids(), dtype=np.int64)
            live = np.asarray(idx.columns.ids[idx.columns.alive], dtype=np.int64)
            gone = live[~np.isin(live, known)]
            if gone.size:
                idx.delete([int(i) for i in gone])
            added = {int(i) for i in known[~np.isin(known, live)]}
        ids = sorted(changed | added)
        for start in range(0, len(ids), 5000):
            talents = self.ctx.repos.talents.get_many(ids[start : start + 5000])
            self._upsert(idx, list(talents.values()))
        return len(ids)


def _recent(signature: dict[str, Any], seconds: float = 5.0) -> bool:
    newest = signature.get("newest")
    if not newest:
        return False
    stamp = datetime.fromisoformat(newest)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)  # SQLite stores UTC without an offset
    return abs((datetime.now(UTC) - stamp).total_seconds()) < seconds


def _unsettled(saved: dict[str, Any], margin: float = 2.0) -> bool:
    """The last sync ran within the second of the newest change it saw (or just after): a change later in that
    same second has the same whole-second ``updated_at`` and would not show in the signature, however long
    after it the next check comes."""
    newest, synced = saved.get("newest"), saved.get("synced_at")
    if not newest or not synced:
        return False
    stamp = datetime.fromisoformat(newest)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return (datetime.fromisoformat(synced) - stamp).total_seconds() < 1.0 + margin


def on_talent_changed(settings: Settings, session: Session, talent: Talent | int, *, deleted: bool = False) -> None:
    """Bring the talent index up to date for one talent right away (after a create, update or delete).

    Without an index on disk nothing happens: the next recommendation builds it.
    """
    TalentIndexService(MatchingContext(settings, session)).talent_changed(talent, deleted=deleted)
