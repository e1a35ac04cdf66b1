"""``WordPiece``: the BERT uncased tokenizer of ``MiniLMEncoder`` (``minilm.py``), without the ``tokenizers`` package.

It also aligns its words and pieces with the characters of the text (``word_spans``, ``piece_spans``): the
character ranges of the token vectors that extraction pools into short windows (``windows.py``).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = ["WordPiece"]


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
