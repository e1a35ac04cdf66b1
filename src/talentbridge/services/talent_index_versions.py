"""The talent index's versions as this process sees them: publish one, read one, follow the ``current`` pointer (a
part of ``talent_index.TalentIndexService``).

Versions live under ``<data_dir>/indexes/talents`` (``index_versions.IndexVersions``), each written whole and never
changed. A version is read OUTSIDE the process-wide lock (by a background thread when an index is loaded, so
requests go on answering from the old one meanwhile); only the swap of references happens under it. The ``current``
pointer is re-read at most every ``POINTER_CHECK_SECONDS``, and at once when the change bus says ``index.talents``
(published with each version).
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.index_versions import IndexVersions
from talentbridge.services.talent_index_build import TalentIndexBuild
from talentbridge.services.talent_index_state import (
    TOPIC,
    _asked,
    _checked,
    _edits,
    _gates,
    _indexes,
    _lag,
    _loaded_at,
    _loaders,
    _loading,
    _lock,
    _pointer_checked,
    _synced,
    _texts,
    _versions,
)
from talentbridge.services.talent_texts import TalentTexts

__all__ = ["POINTER_CHECK_SECONDS", "TalentIndexVersions"]

log = logging.getLogger("talentbridge.services.talent_index")  # the talent index's one logger, as before the split

#: Seconds between two reads of the ``current`` pointer (a change-bus message makes the next use read it at once).
POINTER_CHECK_SECONDS = 1.0


class TalentIndexVersions(TalentIndexBuild):
    """Publishing, reading and loading versions of the talent index, and following the ``current`` pointer."""

    @property
    def index_dir(self) -> Path:
        return self.ctx.settings.index_dir / "talents"

    @property
    def versions(self) -> IndexVersions:
        return IndexVersions(self.index_dir)

    @property
    def version(self) -> str | None:
        """The version this process has loaded (None before the first use)."""
        return _versions.get(self.key)

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
