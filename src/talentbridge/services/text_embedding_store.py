"""``TextEmbeddingStore``: embeddings of texts on disk, keyed by ``text_key``, in append-only shard files.

One store per model and kind (``<cache_dir>/text-embeddings/<model>/<talents|openings>``, made by
``text_embeddings.TextEmbeddings``); each process writes its own shards and reads the others', and the shards are
merged when they get many. Erasure rewrites the shards that hold a forgotten text.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import numpy as np

__all__ = ["TextEmbeddingStore"]

_MAX_SHARDS = 32


class TextEmbeddingStore:
    """Vectors keyed by ``text_key`` in shard files ``<root>/<uuid>.npz`` (``keys`` sorted uint64, ``vectors``
    float16). Shards are written whole and renamed into place, so readers never see a torn file; each process
    adds its own and picks up the others' on ``refresh``. Thread-safe."""

    def __init__(self, root: Path, dim: int):
        self.root = root
        self.dim = dim
        self._lock = threading.RLock()
        self._shards: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def refresh(self) -> None:
        """Load shards written since the last look (by this or another process)."""
        with self._lock:
            if not self.root.exists():
                return
            for path in sorted(self.root.glob("*.npz")):
                if path.name in self._shards:
                    continue
                try:
                    with np.load(path) as data:
                        keys, vectors = data["keys"], data["vectors"]
                except (OSError, ValueError, KeyError):
                    continue  # merged away meanwhile, or not ours
                if vectors.ndim == 2 and vectors.shape[1] == self.dim:
                    self._shards[path.name] = (keys.astype(np.uint64), vectors)

    def __len__(self) -> int:
        return sum(k.shape[0] for k, _ in self._shards.values())

    def get(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(len(keys), dim) float16 vectors and a mask of the keys found (key 0 is never found)."""
        keys = np.asarray(keys, dtype=np.uint64)
        out = np.zeros((keys.shape[0], self.dim), dtype=np.float16)
        found = np.zeros(keys.shape[0], dtype=bool)
        with self._lock:
            for skeys, vectors in self._shards.values():
                todo = np.flatnonzero(~found & (keys != 0))
                if todo.size == 0 or skeys.size == 0:
                    break
                pos = np.minimum(np.searchsorted(skeys, keys[todo]), skeys.size - 1)
                hit = skeys[pos] == keys[todo]
                out[todo[hit]] = vectors[pos[hit]]
                found[todo[hit]] = True
        return out, found

    def put(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (one new shard); merges all shards into one when there are many."""
        keys = np.asarray(keys, dtype=np.uint64)
        if keys.size == 0:
            return
        keys, first = np.unique(keys, return_index=True)
        vectors = np.asarray(vectors, dtype=np.float16)[first]
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            self._write(keys, vectors)
            if len(self._shards) > _MAX_SHARDS:
                self._merge()

    def forget(self, keys: Iterable[int]) -> int:
        """Drop the vectors of ``keys`` (erasure): every shard holding one is rewritten without it, the old file
        deleted. Returns how many vectors went."""
        drop = np.fromiter((int(k) for k in keys if int(k)), dtype=np.uint64)
        if drop.size == 0:
            return 0
        gone = 0
        with self._lock:
            self.refresh()
            for name, (skeys, vectors) in list(self._shards.items()):
                hit = np.isin(skeys, drop)
                if not hit.any():
                    continue
                gone += int(hit.sum())
                del self._shards[name]
                if (~hit).any():
                    self._write(skeys[~hit], vectors[~hit])
                (self.root / name).unlink(missing_ok=True)
        return gone

    def _write(self, keys: np.ndarray, vectors: np.ndarray) -> str:
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.npz"
        tmp = self.root / f".{name}.tmp"
        with tmp.open("wb") as fh:
            np.savez(fh, keys=keys, vectors=vectors)
        os.replace(tmp, self.root / name)
        self._shards[name] = (keys, vectors)
        return name

    def _merge(self) -> None:
        names = list(self._shards)
        keys = np.concatenate([self._shards[n][0] for n in names])
        vectors = np.concatenate([self._shards[n][1] for n in names])
        keys, first = np.unique(keys, return_index=True)
        self._write(keys, vectors[first])
        for name in names:
            self._shards.pop(name, None)
            (self.root / name).unlink(missing_ok=True)
