"""Helpers shared by the title-weight fitting scripts (``fit_title_weights.py``, ``fit_korean_weights.py``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from talentbridge.skills.title_weights import TitleWeights

#: ../shared/data seen from the repository, or from a worktree a level deeper
DATA_ROOT = next((p for p in Path(__file__).resolve().parents if (p / "shared/data").is_dir()), Path("/work"))


def halves(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of half A (fitting) and half B (reported), sorted: the split of ``eval_skills.py --half``."""
    perm = np.random.default_rng(seed).permutation(n)
    return np.sort(perm[: n // 2]), np.sort(perm[n // 2 :])


class Memo:
    """An encoder that remembers its last answers (the same titles are encoded once per signal)."""

    def __init__(self, inner) -> None:
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim
        self._seen: dict[tuple[str, ...], object] = {}

    def _get(self, texts):
        key = tuple(texts)
        if key not in self._seen:
            self._seen.clear()  # one chunk at a time
            tokens = getattr(self.inner, "encode_tokens", None)
            self._seen[key] = tokens(texts) if tokens else (self.inner.encode(texts),)
        return self._seen[key]

    def encode(self, texts, progress=None):
        return self._get(list(texts))[0]

    def encode_tokens(self, texts):
        return self._get(list(texts))


def one_hot(name: str) -> TitleWeights:
    """Weights with only ``name`` at 1 (one signal on its own)."""
    zero = {f.name: 0.0 for f in dataclasses.fields(TitleWeights) if f.type in ("float", float)}
    zero.update(prior_major=(), late=0.0, late_top=0)
    zero[name] = 1.0
    return TitleWeights(**zero)  # type: ignore[arg-type]


#: The Korean weights before issue #14's constrained fit: hand-set on the whole Korean development set (the start
#: of ``fit_korean_weights.py --start hand-set`` and the "hand-set" column of its docs/skills.md table).
KOREAN_HAND_SET = TitleWeights(
    semantic=1.0, bm25=0.1, exact=0.2, cover=0.05, document=0.2, preferred=0.0, skills=0.0, second=0.0,
    second_preferred=0.0, first_word=0.0, head_word=0.0, prior_children=-0.04, prior_has_parent=-0.01,
    prior_label_words=-0.01, prior_skills=0.01, prior_alt_labels=0.0, prior_description_words=0.0,
    prior_name_frequency=0.0, prior_name_frequency_max=0.0, prior_name_frequency_mean=0.0, prior_rarest_word=0.0,
    prior_variants_group=0.0, prior_variants_unit=0.0, prior_major=(), unasked_manager=0.0, korean_head=0.1, late=0.0,
)  # fmt: skip
