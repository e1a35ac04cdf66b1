"""Korean occupational vocabulary → English, so Korean job titles reach English-only ESCO occupations.

``data/ko_occupation_terms.json`` is a hand-written glossary (written for this project from general knowledge of
Korean occupational terms, e.g. the names of ISCO/KSCO groups: 용접원 welder, 간호사 nurse, 회계사 accountant)
mapping Korean words and compounds to English. ``translate_title`` segments a title into Kiwi morphemes, then
covers it greedily with the longest glossary entries (keys are compared after the same tokenization, so
``자동차조립원`` and ``자동차 조립원`` are the same), and returns the English words in the Korean order — which is
also English modifier-head order (자동차 조립 원 → motor vehicle assembly worker).
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path

from talentbridge.skills.text import label_key, tokens

__all__ = ["translate_title", "glossary"]

_lock = threading.Lock()


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """Glossary keyed by the joined morpheme key of the Korean term."""
    with _lock:
        path = Path(__file__).parent / "data" / "ko_occupation_terms.json"
        raw = json.loads(path.read_text("utf-8"))
        out: dict[str, str] = {}
        for section in raw.values():
            if not isinstance(section, dict):
                continue
            for ko, en in section.items():
                key = label_key(ko)
                if key and key not in out:
                    out[key] = en
        return out


@lru_cache(maxsize=4096)
def translate_title(title: str) -> str:
    """English rendering of the Korean parts of ``title`` ('' when nothing is known). Latin words are kept."""
    toks = tokens(title)
    table = glossary()
    max_n = 6
    words: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not tok.korean:
            words.append(title[tok.start : tok.end])
            i += 1
            continue
        hit = None
        key = ""
        for n in range(1, min(max_n, len(toks) - i) + 1):
            if not toks[i + n - 1].korean:
                break
            key += toks[i + n - 1].key
            if key in table:
                hit = (n, table[key])
        if hit is None:
            # Kiwi leaves unknown compounds whole (드릴링기조작원): cover its characters with glossary entries
            words.extend(_segment(tok.key, table))
            i += 1
            continue
        n, english = hit
        if english:
            words.append(english)
        i += n
    return " ".join(words)


def _segment(word: str, table: dict[str, str], longest: int = 8) -> list[str]:
    """Cover ``word`` with glossary keys: most characters covered, then fewest pieces (dynamic programming)."""
    n = len(word)
    # best[i] = (covered, -pieces, english words) for word[:i]
    best: list[tuple[int, int, list[str]]] = [(0, 0, [])] + [(-1, 0, [])] * n
    for i in range(n):
        covered, pieces, words = best[i]
        if covered < 0:
            continue
        if (covered, pieces) > best[i + 1][:2]:
            best[i + 1] = (covered, pieces, words)
        for j in range(i + 2 if i + 1 < n else i + 1, min(n, i + longest) + 1):
            english = table.get(word[i:j])
            if english is None:
                continue
            candidate = (covered + (j - i), pieces - 1, [*words, english] if english else words)
            if candidate[:2] > best[j][:2]:
                best[j] = candidate
        # single characters only as the last piece (the head suffix: 원, 사, 공 ...)
        if i == n - 1 and word[i] in table and (covered + 1, pieces - 1) > best[n][:2]:
            best[n] = (covered + 1, pieces - 1, [*words, table[word[i]]])
    return best[n][2]
