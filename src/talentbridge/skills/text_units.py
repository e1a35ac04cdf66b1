"""The units a text is cut into for skill extraction (pure): sentence-like chunks, which of them are written mostly
in Hangul, the tokens inside them, and blocks of texts of about equal length for the extractor's workers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from talentbridge.skills.requirement_cues import is_heading
from talentbridge.skills.text import Token, mostly_hangul

__all__ = ["SENTENCE_END", "chunks", "by_script", "per_unit", "inside_longer", "blocks"]

SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+|(?<=다\.)|[•·▪●■◦]|\s[-*]\s")


def chunks(text: str, toks: list[Token], chunk_tokens: int) -> list[tuple[int, int]]:
    """Character ranges of the sentence-like chunks of ``text`` (``toks`` its tokens), each at most ``chunk_tokens``
    tokens."""
    bounds = [0]
    for m in SENTENCE_END.finditer(text):
        bounds.append(m.end())
    bounds.append(len(text))
    out: list[tuple[int, int]] = []
    ti = 0
    for a, b in zip(bounds, bounds[1:], strict=False):
        if b <= a or not any(c.isalpha() for c in text[a:b]) or is_heading(text[a:b]):
            continue  # a date ("2021.03") or a section heading ("[우대사항]") is no evidence of a skill
        members: list[Token] = []
        while ti < len(toks) and toks[ti].start < b:
            if toks[ti].start >= a:
                members.append(toks[ti])
            ti += 1
        if not members:
            continue
        for i in range(0, len(members), chunk_tokens):
            part = members[i : i + chunk_tokens]
            out.append((part[0].start, part[-1].end))
    return out


def by_script(text: str, units: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``units`` split into those for the main encoder and those written mostly in Hangul."""
    latin: list[tuple[int, int]] = []
    hangul: list[tuple[int, int]] = []
    for a, b in units:
        (hangul if mostly_hangul(text[a:b]) else latin).append((a, b))
    return latin, hangul


def per_unit(toks: list[Token], units: list[tuple[int, int]]) -> list[list[Token]]:
    """The tokens lying inside each of ``units`` (sorted character ranges), one list per unit."""
    starts = [a for a, _ in units]
    out: list[list[Token]] = [[] for _ in units]
    for t in toks:
        k = bisect_right(starts, t.start) - 1
        if k >= 0 and t.end <= units[k][1]:
            out[k].append(t)
    return out


def inside_longer(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """``span`` lies inside a wider one of ``spans`` (sorted by start)."""
    s, e = span
    starting_before = spans[: bisect_right(spans, (s, float("inf")))]
    return any(a <= s and e <= b and b - a > e - s for a, b in starting_before)


def blocks(texts: Sequence[str], max_texts: int, workers: int) -> list[Sequence[str]]:
    """Consecutive blocks of at most ``max_texts`` texts, a multiple of ``workers`` of them (as few as possible),
    cut so that each block holds about the same number of characters."""
    n_blocks = -(-len(texts) // max_texts)
    n_blocks = min(len(texts), -(-n_blocks // workers) * workers)
    if n_blocks <= 1:
        return [texts] if texts else []
    ends = np.cumsum([len(t) + 1 for t in texts])
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, n_blocks) / n_blocks, side="left") + 1
    bounds = [0]
    for c in cuts.tolist():  # at least one text per block, at most max_texts
        bounds.append(min(max(c, bounds[-1] + 1), len(texts) - (n_blocks - len(bounds))))
    bounds.append(len(texts))
    out: list[Sequence[str]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        out.extend(texts[i : min(i + max_texts, b)] for i in range(a, b, max_texts))
    return out
