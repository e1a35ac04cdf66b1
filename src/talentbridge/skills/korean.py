"""Korean occupational vocabulary → English, so Korean job titles reach English-only ESCO occupations.

``data/ko_occupation_terms.json`` is a hand-written glossary (written for this project from general knowledge of
Korean occupational terms, e.g. the names of ISCO/KSCO groups: 용접원 welder, 간호사 nurse, 회계사 accountant)
mapping Korean words and compounds to English. ``translate_title`` covers each Hangul run of a title with the
longest glossary entries (dynamic programming over characters, so ``자동차조립원`` and ``자동차 조립원`` give the
same words) and returns the English words in the Korean order — which is also English modifier-head order
(자동차 조립 원 → motor vehicle assembler).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from talentbridge.skills.text import has_hangul

__all__ = ["translate_title", "glossary"]

_lock = threading.Lock()


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """Glossary keyed by the Korean term without spaces (surface form, NFC)."""
    with _lock:
        path = Path(__file__).parent / "data" / "ko_occupation_terms.json"
        raw = json.loads(path.read_text("utf-8"))
        out: dict[str, str] = {}
        for section in raw.values():
            if not isinstance(section, dict):
                continue
            for ko, en in section.items():
                key = unicodedata.normalize("NFC", "".join(ko.split()))
                if key and key not in out:
                    out[key] = en
        return out


_RUN = re.compile(r"[\uac00-\ud7a3]+|[^\W_\uac00-\ud7a3]+(?:[+#]+)?")


@lru_cache(maxsize=4096)
def translate_title(title: str) -> str:
    """English rendering of ``title`` ('' when nothing is known); Latin words are kept as they are.

    Each run of Hangul is covered with glossary entries by dynamic programming (most characters covered, then
    fewest pieces), on the surface form: job titles are noun compounds without particles, and Kiwi would leave
    unknown compounds (드릴링기조작원) whole or read short nouns as verbs (사서 → 사 + 서).
    """
    table = glossary()
    words: list[str] = []
    for m in _RUN.finditer(unicodedata.normalize("NFC", title)):
        run = m.group()
        if has_hangul(run):
            words.extend(_segment(run, table))
        else:
            words.append(run)
    return " ".join(w for w in words if w)


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
