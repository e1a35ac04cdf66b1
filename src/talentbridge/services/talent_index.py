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
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain import Talent
from talentbridge.matching.columns import SkillVocab, TalentColumns
from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.index_versions import IndexVersions
from talentbridge.services.recommend_context import MatchingContext, reset_graphs
from talentbridge.services.text_embeddings import REQUEST_BUDGET_SECONDS, TalentTexts, talent_text

__all__ = [
    "API_SYNC_INTERVAL",
    "POINTER_CHECK_SECONDS",
    "TalentIndexService",
    "TalentSnapshot",
    "REQUEST_BACKLOG",
    "loaded_index_versions",
    "on_talent_changed",
    "reset_indexes",
    "set_reindex_submitter",
]

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)

_lock = threading.RLock()
_indexes: dict[str, TalentIndex] = {}
_checked: dict[str, float] = {}
_texts: dict[str, TalentTexts] = {}
_versions: dict[str, str] = {}  # key -> version loaded in this process
_loaded_at: dict[str, float] = {}  # key -> when it was loaded or published here (epoch seconds)
_synced: dict[str, dict[str, Any]] = {}  # key -> signature (and synced_at) the in-memory index is in step with
_pointer_checked: dict[str, float] = {}
_loading: dict[str, threading.Lock] = {}  # key -> held while a version is read from disk (outside ``_lock``)
#: key -> submits the ``reindex`` job for a backlog, given the loaded version (web processes; ``route_reindex``)
_submitters: dict[str, Callable[[str], None]] = {}
_asked: dict[str, str] = {}  # key -> loaded version a reindex job was already asked for by this process
_asked_at: dict[str, float] = {}  # key -> when this process last asked for one (monotonic seconds)
# key -> talents the loaded version lacks or has stale, at least, as the last comparison with the table found while
# a reindex job brings them in (absent: in step, or not known since a version loaded)
_lag: dict[str, int] = {}
_gates: dict[str, Any] = {}  # key -> the talents' change counters as of the last comparison that left the index in step
_edits: dict[str, str] = {}  # key -> digest of the talents changed in memory since the synced signature (in order)
#: key -> starts reading the current version in the background (registered by a use that had the skill graph;
#: the change-bus listener calls it, so a new version is read as soon as it is announced)
_loaders: dict[str, Callable[[], None]] = {}
#: Changed talents a request brings into the loaded index itself; a larger backlog goes to a ``reindex`` job.
REQUEST_BACKLOG = 200
#: Seconds during which the API uses the index without comparing it with the database again.
API_SYNC_INTERVAL = 5.0
#: Seconds between two ``reindex`` jobs a process asks for by itself (a long import makes a backlog again as soon as
#: a version is out: without a pause the job workers would reindex without end, and every web worker would load
#: each version, dropping its kept lists). Meanwhile lists say how far they are behind (``index_behind``).
AUTO_REINDEX_INTERVAL = 30.0
#: Seconds between two reads of the ``current`` pointer (a change-bus message makes the next use read it at once).
POINTER_CHECK_SECONDS = 1.0
#: The change-bus topic of a new index version (payload ``{"version": name}``).
TOPIC = "index.talents"


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


def reset_indexes() -> None:
    """Forget in-process indexes (tests; after a taxonomy change)."""
    from talentbridge.services.lexical_pool import reset_pools
    from talentbridge.services.recommend_openings import reset_openings

    with _lock:
        _indexes.clear()
        _checked.clear()
        _texts.clear()
        _versions.clear()
        _loaded_at.clear()
        _synced.clear()
        _edits.clear()
        _gates.clear()
        _pointer_checked.clear()
        _asked.clear()
        _asked_at.clear()
        _lag.clear()
        _loaders.clear()
    reset_graphs()
    reset_openings()
    reset_pools()


def loaded_index_versions() -> dict[str, str]:
    """The index versions this process answers from, by index folder (``/api/health``)."""
    with _lock:
        return {key.split("|", 1)[0]: name for key, name in _versions.items()}


def index_loaded_at() -> dict[str, float]:
    """When this process started answering from its version (epoch seconds), by index folder."""
    with _lock:
        return {key.split("|", 1)[0]: at for key, at in _loaded_at.items()}


def _key(settings: Settings) -> str:
    return f"{settings.index_dir / 'talents'}|{settings.sqlalchemy_url}"


def set_reindex_submitter(settings: Settings, submit: Callable[[str], None] | None) -> None:
    """Register how this process asks for a ``reindex`` job (``submit(loaded_version)``; None: forget it). With
    one registered, requests leave backlogs above ``REQUEST_BACKLOG`` to that job (``job_queue.route_reindex``)."""
    with _lock:
        if submit is None:
            _submitters.pop(_key(settings), None)
        else:
            _submitters[_key(settings)] = submit


def _on_new_version(topic: str, payload: dict[str, Any]) -> None:
    """Change-bus callback (listener thread): the next use of any index reads the pointer again, and the
    talents-for-opening lists kept by ``recommend_cache`` (drawn from the old version) no longer answer as they
    are (``supersede``: each answers only while one request recomputes it, for a few seconds at most)."""
    from talentbridge.services import recommend_cache

    _pointer_checked.clear()
    recommend_cache.supersede("talents_for_opening")
    for load in list(_loaders.values()):  # start reading the new version now, not at the next request
        try:
            load()
        except Exception:  # noqa: BLE001 - the next use reads the pointer again
            log.warning("could not start loading a new index version", exc_info=True)


def _watch(settings: Settings) -> None:
    from talentbridge.services.change_bus import change_bus_for

    change_bus_for(settings).ensure_subscribed(TOPIC, _on_new_version)


def largest_id(idx: TalentIndex) -> int:
    """The largest talent id ``idx`` holds, alive or not (0: none)."""
    ids = idx.columns.ids
    return int(ids.max()) if ids.shape[0] else 0


class TalentIndexService:
    """The talent index of the configured database, for one ``MatchingContext``.

    ``sync_interval``: seconds during which the index is used without comparing it with the database again
    (0: compare on every call; the API uses ``API_SYNC_INTERVAL``, since the signature query scans the table).
    """

    sync_interval: float = 0.0

    def __init__(self, ctx: MatchingContext, snapshot: Callable[[Session], TalentSnapshot] = talent_snapshot) -> None:
        self.ctx = ctx
        self.snapshot = snapshot(ctx.session)

    @property
    def index_dir(self) -> Path:
        return self.ctx.settings.index_dir / "talents"

    @property
    def key(self) -> str:
        return _key(self.ctx.settings)

    @property
    def versions(self) -> IndexVersions:
        return IndexVersions(self.index_dir)

    @property
    def version(self) -> str | None:
        """The version this process has loaded (None before the first use)."""
        return _versions.get(self.key)

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

    def _follow_pointer(self) -> None:
        """Load a newer published version when the pointer says so (read at most every ``POINTER_CHECK_SECONDS``,
        at once after a change-bus message). Reading and building happen outside ``_lock``, in a background
        thread when an index is loaded (requests answer from it meanwhile); the swap is O(1) under the lock."""
        key = self.key
        if key not in _loaders:  # how the change-bus listener starts a load (the graph: a request has a session)
            graph = self.ctx.graph
            _loaders[key] = lambda: self._start_load(graph)
        now = time.monotonic()
        loaded = _indexes.get(key)
        if loaded is not None and now - _pointer_checked.get(key, -1e9) < POINTER_CHECK_SECONDS:
            return
        _pointer_checked[key] = now
        name = self.versions.current()
        if name is None or name == _versions.get(key):
            return
        with _lock:
            gate = _loading.setdefault(key, threading.Lock())
        if loaded is None:
            with gate:  # nothing to answer from: wait for whoever loads
                if _versions.get(key) != name or key not in _indexes:
                    self._load_version(name)
            return
        self._start_load(self.ctx.graph, name)

    def _start_load(self, graph: Any, name: str | None = None) -> None:
        """Read version ``name`` (the current one when None) in a background thread, unless one is being read or
        it is loaded already; ``graph`` is the skill graph (from a request's session: the thread has none)."""
        key = self.key
        name = name or self.versions.current()
        if name is None or name == _versions.get(key):
            return
        with _lock:
            gate = _loading.setdefault(key, threading.Lock())
        if not gate.acquire(blocking=False):
            return

        def load() -> None:
            try:
                self._load_version(name, graph)
            except Exception:  # noqa: BLE001 - the next pointer check tries again
                log.warning("loading index version %s failed", name, exc_info=True)
            finally:
                gate.release()

        threading.Thread(target=load, name="talentbridge-index-load", daemon=True).start()

    def _load_version(self, name: str, graph: Any = None) -> TalentIndex | None:
        """Read version ``name`` (outside ``_lock``) and make it this process's index (under it)."""
        loaded = self._read_version(name, graph)
        if loaded is None:
            return None
        idx, tt, synced = loaded
        with _lock:
            key = self.key
            _indexes[key] = idx
            _texts[key] = tt
            _synced[key] = synced
            _edits.pop(key, None)
            _gates.pop(key, None)
            _versions[key] = name
            _loaded_at[key] = time.time()
            _checked.pop(key, None)  # compare with the table at the next use
            _asked.pop(key, None)
            _lag.pop(key, None)
        return idx

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

    def encode_all(self, idx: TalentIndex) -> None:
        """Encode every profile text not encoded yet (batch runs): encoded into the store outside the lock, then
        put into the columns under it."""
        with _lock:
            tt = _texts[self.key]
            tt.grow(len(idx.columns))
            keys = tt.keys[tt.pending(idx.columns.alive)].copy()
            ids = idx.columns.ids[tt.pending(idx.columns.alive)].copy()
        if self.ctx.text.active and keys.size:

            def texts_of(positions: np.ndarray) -> list[str]:
                wanted = [int(i) for i in ids[positions]]
                found = self.ctx.repos.talents.get_many(wanted)
                return [talent_text(found[i]) if i in found else "" for i in wanted]

            self.ctx.text.lookup("talents", keys, texts_of, budget=None)
        with _lock:
            self._fill_texts(idx, None)

    def text_states(self, rows: np.ndarray) -> list[str]:
        """Per index row: whether its profile text was compared, is pending, or there is none."""
        return _texts[self.key].state(rows)

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
        from talentbridge.services.text_embeddings import forget_texts, text_key

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

    def _publish(self, idx: TalentIndex, texts: TalentTexts, signature: dict[str, Any]) -> str:
        """Write ``idx`` as a new version (outside ``_lock`` unless the caller holds it), make it current, make it
        this process's index and tell the other processes."""
        from talentbridge.services.change_bus import change_bus_for

        synced = {**signature, "synced_at": datetime.now(UTC).isoformat()}
        # embeddings are kept in the text store (by hash), not written with the columns
        lean = copy.copy(idx)
        lean.columns = copy.copy(idx.columns)
        lean.columns.embeddings = None

        def write(folder: Path) -> None:
            lean.save(folder)
            texts.save(folder)
            (folder / "sync.json").write_text(json.dumps(synced))

        name = self.versions.publish(write, meta={"talents": len(idx)})
        key = self.key
        with _lock:
            _indexes[key] = idx
            _texts[key] = texts
            _synced[key] = synced
            _edits.pop(key, None)
            _gates.pop(key, None)
            _versions[key] = name
            _loaded_at[key] = time.time()
            _pointer_checked[key] = time.monotonic()
            _asked.pop(key, None)
            _lag.pop(key, None)
        change_bus_for(self.ctx.settings).publish(TOPIC, {"version": name})
        return name

    def _load_current(self) -> TalentIndex | None:
        """The current version from disk made this process's index (None: none usable, build one)."""
        name = self.versions.current()
        return None if name is None else self._load_version(name)

    def _read_version(self, name: str, graph: Any = None) -> tuple[TalentIndex, TalentTexts, dict[str, Any]] | None:
        """Version ``name`` from disk with its text hashes (embeddings from the store) and signature, touching no
        state of this process (None: none usable — an index format of another release, or removed meanwhile)."""
        folder = self.versions.path(name)
        try:
            idx = TalentIndex.load(folder, graph if graph is not None else self.ctx.graph)
            tt = None if idx is None else TalentTexts.load(folder, len(idx.columns))
            if idx is None or tt is None:
                return None
            synced = json.loads((folder / "sync.json").read_text())
        except (OSError, ValueError):
            return None  # removed meanwhile (erasure): the next use reads the pointer again
        idx.columns.embeddings = None
        self._fill_texts(idx, 0.0, encode=False, tt=tt)
        return idx, tt, synced

    def _talent_columns(self, talents: Iterable[Talent], vocab: SkillVocab) -> TalentColumns:
        return TalentColumns.from_talents(list(talents), vocab=vocab, today=self.ctx.today)

    def _build(self, progress: Progress | None = None, *, budget: float | None) -> tuple[TalentIndex, TalentTexts]:
        taxonomy, graph = self.ctx.taxonomy_and_graph
        vocab = SkillVocab()
        parts = []
        texts: list[str] = []
        batch: list[Talent] = []
        for t in self.ctx.repos.talents.iter_all(batch_size=5000):
            batch.append(t)
            texts.append(talent_text(t))
            if len(batch) >= 5000:
                parts.append(self._talent_columns(batch, vocab))
                batch = []
        if batch:
            parts.append(self._talent_columns(batch, vocab))
        for sid in taxonomy.skills:  # skills in use first: they get their own vector dimensions
            vocab.add(sid)
        cols = TalentColumns.empty(vocab)
        for p in parts:
            cols.append(p)
        idx = TalentIndex.build(cols, graph, threads=0, progress=progress)
        tt = TalentTexts.empty(self.ctx.text.model_id)
        tt.set(np.arange(len(texts), dtype=np.int64), texts)
        self._fill_texts(idx, budget, texts=texts, progress=progress, tt=tt)
        return idx, tt

    def _fill_texts(
        self,
        idx: TalentIndex,
        budget: float | None,
        *,
        texts: list[str] | None = None,
        encode: bool = True,
        progress: Progress | None = None,
        tt: TalentTexts | None = None,
    ) -> None:
        """Put the embeddings of live rows that lack theirs into the columns: from the store, then (``encode``)
        encoded within ``budget`` seconds (None: all). ``texts``: the text of every row, when at hand."""
        tt = _texts[self.key] if tt is None else tt
        cols = idx.columns
        tt.grow(len(cols))
        text = self.ctx.text
        if not text.active:
            return
        dim = text.dim
        if cols.embeddings is None or cols.embeddings.shape != (len(cols), dim):
            cols.embeddings = np.zeros((len(cols), dim), dtype=np.float16)
            tt.have[:] = False
        pending = tt.pending(cols.alive)
        if pending.size == 0:
            return
        if not encode:
            vectors, found = text.store("talents").get(tt.keys[pending])
        else:

            def texts_of(positions: np.ndarray) -> list[str]:
                rows = pending[positions]
                if texts is not None:
                    return [texts[int(r)] for r in rows]
                ids = [int(i) for i in cols.ids[rows]]
                found = self.ctx.repos.talents.get_many(ids)
                return [talent_text(found[i]) if i in found else "" for i in ids]

            vectors, found = text.lookup("talents", tt.keys[pending], texts_of, budget=budget, progress=progress)
        cols.embeddings[pending[found]] = vectors[found]
        tt.have[pending[found]] = True

    def _upsert(self, idx: TalentIndex, talents: list[Talent]) -> None:
        rows = idx.upsert(talents, today=self.ctx.today)
        _texts[self.key].set(rows, [talent_text(t) for t in talents])

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
