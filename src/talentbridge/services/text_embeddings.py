"""Embeddings of profile and opening texts for the ``text`` criterion of the fit score, encoded once per text.

    text_encoder(settings)      the product's offline encoder (``skill_extraction.DEFAULT_ENCODER``) or None,
                                with why not (a ``matching.explain.TEXT_STATUS_LABELS`` code)
    TextEmbeddings              encoder + stores: ``vectors(kind, texts, budget=...)`` looks texts up and encodes
                                the missing ones: all at once (batch runs, reindex), or on request paths within a
                                time budget, handing the rest to an ``encode-texts`` job when a job queue is
                                configured (``background``), else to one background thread per process
    text_embeddings_for         the process-wide ``TextEmbeddings`` of the settings; ``forget_texts`` erases texts'
                                vectors from every model's store

Beside it: the texts compared and their keys (``talent_text`` / ``opening_text``, ``text_key``) in
``compared_texts.py``; the vectors on disk (``TextEmbeddingStore``: keyed by a 64-bit hash of the text, one folder
per model and kind, append-only shard files) in ``text_embedding_store.py``; the per-row text hashes of the talent
index (``TalentTexts``, ``text_keys.npy`` beside it, so the index's embedding column is refilled from the store
without the model) in ``talent_texts.py``.

Nothing here is loaded at import time; the model loads on the first text that is not in the store. Texts beyond
``MAX_TEXT_CHARS`` are cut (the encoder reads at most 256 tokens anyway).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from talentbridge.config import Settings
from talentbridge.matching.explain import TEXT_STATUS_LABELS
from talentbridge.services.compared_texts import text_keys
from talentbridge.services.text_embedding_store import TextEmbeddingStore
from talentbridge.skills.encoder import Encoder

__all__ = [
    "BACKGROUND_BATCH",
    "REQUEST_BUDGET_SECONDS",
    "TextEmbeddings",
    "text_embeddings_for",
    "text_encoder",
    "reset_text_embeddings",
    "forget_texts",
]

log = logging.getLogger(__name__)

#: Seconds a request may start encoding texts that are not in the store yet (in chunks of ``_REQUEST_CHUNK``,
#: only while the background thread is idle); the rest is encoded by a background thread, and counts from the
#: next request on (``recommend reindex`` and batch runs encode everything first).
REQUEST_BUDGET_SECONDS = 0.5
#: Texts handed to the background thread per lookup at most (the next lookup hands on more).
BACKGROUND_BATCH = 1024
_CHUNK = 32
_REQUEST_CHUNK = 4

Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------------------------- encoder

#: Encoders for the text criterion, in order of preference: multilingual USE v3 (Korean and English résumés and job
#: ads; ~26 résumé-length texts/s on one core here), else the skills encoder (English MiniLM, ~5 texts/s).
#: Measured on demo profiles in docs/matching.md ("Text similarity").
TEXT_ENCODERS = ("use",)


def text_encoder(settings: Settings) -> tuple[Encoder | None, str]:
    """The encoder for texts, or None; and a status code (``TEXT_STATUS_LABELS``): ``compared`` when there is one.

    The first installed of ``TEXT_ENCODERS``, else the product's choice for skills (``DEFAULT_ENCODER``);
    ``TALENTBRIDGE_INFER_SKILLS=false`` (no model inference on text) switches it off; without any model package
    the criterion is inactive.
    """
    if not settings.infer_skills:
        return None, "off"
    from talentbridge.services.skill_extraction import DEFAULT_ENCODER, shared_encoder
    from talentbridge.skills.encoder import available_encoders

    installed = available_encoders()
    name = next((n for n in (*TEXT_ENCODERS, DEFAULT_ENCODER) if n in installed), None)
    if name is None:
        return None, "no_encoder"
    return shared_encoder(name), "compared"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


@dataclass
class TextEmbeddings:
    """An encoder and its stores; ``status`` says why there is no encoder (``TEXT_STATUS_LABELS``)."""

    encoder: Encoder | None
    root: Path
    status: str = "compared"
    _stores: dict[str, TextEmbeddingStore] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _encoding: threading.Lock = field(default_factory=threading.Lock)
    _queued: dict[int, tuple[str, str]] = field(default_factory=dict)
    _worker: threading.Thread | None = None
    _wanted: int = 0
    #: ``background(kind)``: hand the texts left over to an ``encode-texts`` job instead of this process's thread
    #: (set by ``job_queue.route_text_encoding`` when a job queue is configured; every worker then shares them).
    background: Callable[[str], None] | None = None

    @property
    def active(self) -> bool:
        return self.encoder is not None

    @property
    def model_id(self) -> str | None:
        return None if self.encoder is None else self.encoder.model_id

    @property
    def dim(self) -> int:
        return 0 if self.encoder is None else int(self.encoder.dim)

    def summary(self) -> dict[str, Any]:
        """``{"status", "model", "label": {"en", "ko"}}`` for responses."""
        status = "compared" if self.active else self.status
        return {
            "status": "active" if self.active else status,
            "model": self.model_id,
            "label": {"en": TEXT_STATUS_LABELS[status][0], "ko": TEXT_STATUS_LABELS[status][1]},
        }

    def store(self, kind: str) -> TextEmbeddingStore:
        assert self.encoder is not None
        with self._lock:
            store = self._stores.get(kind)
            if store is None:
                store = self._stores[kind] = TextEmbeddingStore(
                    self.root / _safe(self.encoder.model_id) / kind, self.encoder.dim
                )
                store.refresh()
            return store

    def lookup(
        self,
        kind: str,
        keys: np.ndarray,
        texts: Callable[[np.ndarray], Sequence[str]] | Sequence[str],
        *,
        budget: float | None = None,
        progress: Progress | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of ``keys`` (float16, zero rows where missing) and a mask of those found or encoded now.

        Keys not in the store are encoded from their texts — ``texts`` is the list aligned with ``keys``, or a
        function from positions to texts (so callers load texts only for what is missing). ``budget`` None:
        all of them, now. Else chunks are encoded here while ``budget`` seconds last (and the encoder is free),
        and the rest (at most ``BACKGROUND_BATCH`` per call) is handed to a background thread; a later lookup
        finds them in the store. Key 0 means "no text" and is never found.
        """
        keys = np.asarray(keys, dtype=np.uint64)
        store = self.store(kind)
        out, found = store.get(keys)
        missing = np.flatnonzero(~found & (keys != 0))
        if missing.size:
            store.refresh()  # another process may have encoded them
            more, hit = store.get(keys[missing])
            out[missing[hit]] = more[hit]
            found[missing[hit]] = True
            missing = missing[~hit]
        if missing.size == 0:
            return out, found
        # one encoding per distinct text
        _, first, inverse = np.unique(keys[missing], return_index=True, return_inverse=True)
        distinct = missing[first]
        started = time.monotonic()
        chunk = _CHUNK if budget is None else _REQUEST_CHUNK
        done = 0
        for lo in range(0, distinct.size, chunk):
            if budget is not None and (time.monotonic() - started >= budget or self.busy):
                break
            part = distinct[lo : lo + chunk]
            chunk_texts = list(texts(part) if callable(texts) else [texts[int(i)] for i in part])
            if not self._encode(kind, keys[part], chunk_texts):
                break
            done = lo + part.size
            if progress:
                progress(done, int(distinct.size))
        if budget is not None and done < distinct.size:
            later = distinct[done : done + BACKGROUND_BATCH]
            later = later[[int(k) not in self._queued for k in keys[later]]]
            if later.size:
                self._submit(
                    kind, keys[later], list(texts(later) if callable(texts) else [texts[int(i)] for i in later])
                )
        encoded = np.zeros(distinct.size, dtype=bool)
        encoded[:done] = True
        sel = missing[encoded[inverse]]
        got, hit = store.get(keys[sel])
        out[sel[hit]] = got[hit]
        found[sel[hit]] = True
        return out, found

    def warm_up(self) -> None:
        """Load the model now (``serve``'s warm-up), holding the encoder meanwhile: requests see ``busy`` and leave
        their texts to the background thread instead of waiting for the load."""
        if self.encoder is None:
            return
        with self._encoding:
            self.encoder.encode(["warm-up"])

    @property
    def busy(self) -> bool:
        """The background thread is encoding (a request then leaves all encoding to it)."""
        return self._encoding.locked()

    def _encode(self, kind: str, keys: np.ndarray, texts: list[str], *, background: bool = False) -> bool:
        same = text_keys(texts) == keys  # a text changed since it was hashed: never file it under the old hash
        if background:
            while self._wanted:  # a request waits for the encoder: let it go first
                time.sleep(0.005)
        else:
            with self._lock:
                self._wanted += 1
        try:
            with self._encoding:
                if not background:
                    with self._lock:
                        self._wanted -= 1
                vectors = self.encoder.encode([t for t, ok in zip(texts, same, strict=True) if ok])  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - a broken model must not break recommendations
            log.exception("encoding %d texts for the text criterion failed", len(texts))
            return False
        self.store(kind).put(keys[same], vectors)
        return True

    def _submit(self, kind: str, keys: np.ndarray, texts: list[str]) -> None:
        if self.background is not None:
            try:
                self.background(kind)
                return
            except Exception:  # noqa: BLE001 - the queue is down: encode here instead
                log.warning("could not queue an encode-texts job; encoding in this process", exc_info=True)
        with self._lock:
            for k, t in zip(keys.tolist(), texts, strict=True):
                if k not in self._queued:
                    self._queued[k] = (kind, t)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="talentbridge-text-embeddings", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queued:
                    self._worker = None
                    return
                # openings first: there are fewer, and each one serves every talent looking
                kinds = {kd for kd, _ in self._queued.values()}
                kind = "openings" if "openings" in kinds else min(kinds)
                batch = [(k, t) for k, (kd, t) in list(self._queued.items()) if kd == kind][:_REQUEST_CHUNK]
            keys = np.array([k for k, _ in batch], dtype=np.uint64)
            self._encode(kind, keys, [t for _, t in batch], background=True)  # failures are logged
            with self._lock:
                for k, _ in batch:
                    self._queued.pop(k, None)

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait until the background thread has encoded everything handed to it (tests, CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._queued:
                    return True
            time.sleep(0.01)
        return False

    def vectors(
        self, kind: str, texts: Sequence[str], *, budget: float | None = None, progress: Progress | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``lookup`` of the given texts: (len(texts), dim) float16 and the mask of those available."""
        return self.lookup(kind, text_keys(texts), texts, budget=budget, progress=progress)


_instances: dict[tuple[str, str, bool], TextEmbeddings] = {}
_instances_lock = threading.Lock()


def text_embeddings_for(settings: Settings) -> TextEmbeddings:
    """The process-wide ``TextEmbeddings`` of ``settings`` (stores under ``<cache_dir>/text-embeddings``)."""
    root = settings.cache_dir / "text-embeddings"
    key = (str(root), settings.environment, settings.infer_skills)
    with _instances_lock:
        hit = _instances.get(key)
        if hit is None:
            encoder, status = text_encoder(settings)
            hit = _instances[key] = TextEmbeddings(encoder, root, status)
        return hit


def forget_texts(settings: Settings, kind: str, keys: Iterable[int]) -> int:
    """Drop the vectors of ``keys`` from every model's ``kind`` store under ``<cache_dir>/text-embeddings`` (also
    stores of models not loaded now), and from this process's stores. Returns how many vectors went."""
    root = settings.cache_dir / "text-embeddings"
    keys = list(keys)
    gone = 0
    if root.exists():
        for folder in sorted(p for p in root.glob(f"*/{kind}") if p.is_dir()):
            dims = set()
            for path in folder.glob("*.npz"):
                try:
                    with np.load(path) as data:
                        dims.add(int(data["vectors"].shape[1]))
                except (OSError, ValueError, KeyError, IndexError):
                    continue
            for dim in dims:
                gone += TextEmbeddingStore(folder, dim).forget(keys)
    with _instances_lock:
        for inst in _instances.values():
            with inst._lock:
                inst._stores.pop(kind, None)  # reloaded from disk on next use
    return gone


def reset_text_embeddings() -> None:
    """Forget process-wide encoders and stores (tests)."""
    from talentbridge.services.skill_extraction import reset_shared_encoders

    with _instances_lock:
        _instances.clear()
    reset_shared_encoders()
