"""``TalentTexts``: which text each row of the talent index has (its ``text_key``), saved beside the index, so that
the index's embedding column is refilled from the text embedding store without reading texts or loading the model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from talentbridge.services.compared_texts import text_keys

__all__ = ["TalentTexts"]


@dataclass
class TalentTexts:
    """Text hashes of the rows of a talent index (0: no text) and which rows hold their embedding already.

    Saved as ``text_keys.npy`` and ``text.json`` (model id) beside the index; the embeddings themselves live in
    the store (``TextEmbeddings``), so saving the index never rewrites them.
    """

    keys: np.ndarray
    have: np.ndarray
    model_id: str | None

    @classmethod
    def empty(cls, model_id: str | None) -> TalentTexts:
        return cls(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool), model_id)

    @classmethod
    def load(cls, folder: Path, rows: int) -> TalentTexts | None:
        """The saved keys when they match an index of ``rows`` rows, else None (an older index: re-read texts)."""
        try:
            meta = json.loads((folder / "text.json").read_text())
            keys = np.load(folder / "text_keys.npy")
        except (OSError, ValueError):
            return None
        if keys.shape != (rows,):
            return None
        return cls(keys.astype(np.uint64), np.zeros(rows, dtype=bool), meta.get("model"))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "text_keys.tmp.npy"
        np.save(tmp, self.keys)
        tmp.replace(folder / "text_keys.npy")
        (folder / "text.json").write_text(json.dumps({"model": self.model_id, "rows": int(self.keys.shape[0])}))

    def grow(self, rows: int) -> None:
        """Room for rows appended to the index (unknown text until ``set``)."""
        extra = rows - self.keys.shape[0]
        if extra > 0:
            self.keys = np.concatenate([self.keys, np.zeros(extra, dtype=np.uint64)])
            self.have = np.concatenate([self.have, np.zeros(extra, dtype=bool)])

    def set(self, rows: np.ndarray, texts: Sequence[str]) -> None:
        self.grow(int(rows.max()) + 1 if rows.size else 0)
        self.keys[rows] = text_keys(texts)
        self.have[rows] = False

    def pending(self, alive: np.ndarray) -> np.ndarray:
        """Live rows with text whose embedding is not in the index yet."""
        n = min(alive.shape[0], self.keys.shape[0])
        return np.flatnonzero(alive[:n] & (self.keys[:n] != 0) & ~self.have[:n])

    def state(self, rows: np.ndarray) -> list[str]:
        """``compared`` / ``no_talent_text`` / ``pending`` for each row."""
        return [
            "no_talent_text" if self.keys[r] == 0 else ("compared" if self.have[r] else "pending")
            for r in np.asarray(rows, dtype=np.int64).tolist()
        ]
