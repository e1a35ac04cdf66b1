"""Embeddings of text lists on disk, so that a taxonomy's labels are encoded once per model and content.

``EmbeddingCache(root).encode(encoder, texts)`` answers from ``<root>/<model_id>-<hash of the texts>.npy``
(float16) when that exact list was encoded before. When it was not, but a list of the same model shares most of
its texts (the same taxonomy with an operator's new alias, a built-in update that adds a few skills), the rows of
the shared texts are taken from the most similar earlier file and only the new texts are encoded: adding one alias
costs one encoding, not the whole taxonomy's (about a second with ESCO's ~108k labels instead of 145 s for MiniLM
and USE together), and the earlier file is deleted unless the label-encodings manifest names it. Each file has a
sidecar ``<key>.ids`` holding a 64-bit hash of each of its texts, written with it (or on the first read of an
older file without one).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from talentbridge.skills.encoder import Encoder, Progress

__all__ = ["EmbeddingCache", "REUSE_MIN_SHARE", "REUSE_CANDIDATES"]

#: An earlier file is reused when it holds at least this share of the texts (else everything is encoded).
REUSE_MIN_SHARE = 0.5
#: How many of the newest earlier files of the model are looked at.
REUSE_CANDIDATES = 8
_IDS = ".ids"


class EmbeddingCache:
    """Embeddings of text lists on disk: ``<root>/<model_id>-<sha256 of texts>.npy`` (float16); ``root=None``
    keeps nothing (every call encodes)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        #: File names this cache read or wrote, in order (what a taxonomy's label encodings consist of).
        self.used: list[str] = []
        #: Texts encoded by the last ``encode`` (all of them, or only those no earlier file held).
        self.last_encoded = 0

    @staticmethod
    def key(model_id: str, texts: Sequence[str]) -> str:
        digest = hashlib.sha256()
        digest.update(model_id.encode())
        for text in texts:
            digest.update(b"\x00")
            digest.update(text.encode("utf-8"))
        return f"{model_id}-{digest.hexdigest()[:24]}"

    def encode(self, encoder: Encoder, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        self.last_encoded = 0
        if self.root is None:
            self.last_encoded = len(texts)
            return encoder.encode(texts, progress)
        path = self.root / f"{self.key(encoder.model_id, texts)}.npy"
        self.used.append(path.name)
        if path.exists():
            try:
                arr: np.ndarray = np.load(path)
                if arr.shape == (len(texts), encoder.dim):
                    if not _ids_path(path).exists():  # a file from before the sidecars: later lists can reuse it
                        _save(_ids_path(path), text_ids(texts))
                    return arr.astype(np.float32)
            except (OSError, ValueError):
                pass  # a torn or foreign file: recompute
        ids = text_ids(texts)
        reused = self._from_earlier(encoder, texts, ids, progress)
        if reused is None:
            self.last_encoded = len(texts)
            arr = encoder.encode(texts, progress)
        else:
            arr, source = reused
        self.root.mkdir(parents=True, exist_ok=True)
        _save(_ids_path(path), ids)  # first: a vectors file never lacks its ids for long
        _save(path, arr.astype(np.float16))
        if reused is not None:
            self._retire(source)
        return arr

    def _retire(self, path: Path) -> None:
        """Delete ``path`` (and its ids), superseded by a file derived from it, unless the label-encodings
        manifest names it or this cache read it (another list of the same build): each alias would otherwise leave a copy of the taxonomy's vectors behind (~200 MB with
        ESCO). A process still reading it keeps its open file; one that looks later derives it again cheaply."""
        assert self.root is not None
        try:
            manifest = (self.root / "label-encodings.json").read_text(encoding="utf-8")
        except OSError:
            manifest = ""
        if path.name in manifest or path.name in self.used:  # recorded, or another list of this build reads it
            return
        for old in (path, _ids_path(path)):
            with contextlib.suppress(OSError):  # gone already, or not ours to delete: nothing lost either way
                old.unlink()

    def _from_earlier(
        self, encoder: Encoder, texts: list[str], ids: np.ndarray, progress: Progress | None
    ) -> tuple[np.ndarray, Path] | None:
        """The texts' vectors with the rows an earlier file of the same model holds reused, the rest encoded, and
        that file; None when no earlier file holds at least ``REUSE_MIN_SHARE`` of them."""
        assert self.root is not None
        name = re.compile(re.escape(encoder.model_id) + r"-[0-9a-f]{24}" + re.escape(_IDS) + "$")
        try:
            earlier = [p for p in self.root.iterdir() if name.match(p.name)]
        except OSError:
            return None
        earlier.sort(key=_mtime, reverse=True)
        best: tuple[int, Path, np.ndarray] | None = None
        for ids_path in earlier[:REUSE_CANDIDATES]:
            try:
                known = np.load(ids_path)
            except (OSError, ValueError):
                continue
            if known.ndim != 1 or not len(known):
                continue
            order = np.argsort(known, kind="stable")
            ordered = known[order]
            at = np.minimum(np.searchsorted(ordered, ids), len(known) - 1)
            rows = np.where(ordered[at] == ids, order[at], -1)  # the earlier row of each text, or -1
            hits = int((rows >= 0).sum())
            if best is None or hits > best[0]:
                best = (hits, ids_path, rows)
        if best is None or best[0] < REUSE_MIN_SHARE * len(texts):
            return None
        _, ids_path, rows = best
        source = ids_path.with_name(ids_path.name[: -len(_IDS)] + ".npy")
        try:
            vectors = np.load(source)
        except (OSError, ValueError):
            return None
        if vectors.ndim != 2 or vectors.shape[1] != encoder.dim or (len(rows) and rows.max() >= len(vectors)):
            return None
        out = np.empty((len(texts), encoder.dim), dtype=np.float32)
        hit = rows >= 0
        out[hit] = vectors[rows[hit]]
        missing = np.flatnonzero(~hit)
        if len(missing):
            out[missing] = encoder.encode([texts[i] for i in missing], progress)
        self.last_encoded = len(missing)
        return out, source


def text_ids(texts: Sequence[str]) -> np.ndarray:
    """A 64-bit hash of each text (blake2b), as int64."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little", signed=True)
         for t in texts),
        dtype=np.int64,
        count=len(texts),
    )  # fmt: skip


def _ids_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(".npy")] + _IDS)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _save(path: Path, arr: np.ndarray) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        np.save(fh, arr)
    tmp.replace(path)
