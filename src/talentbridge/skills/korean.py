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

__all__ = ["translate_title", "glossary", "head_major_groups"]

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


#: The head (last word) of a Korean occupation title names its kind of work, and so its ISCO-08 major group
#: (general Korean naming conventions, as in KSCO group names): 관리자 managers, 연구원 professionals,
#: 사무원 clerks, 판매원 sales, 재배원 farming, 공 crafts, 조작원 machine operators, 노무원 labourers.
#: Longest suffix first; a bare 원 (worker) leans to crafts and machine operation.
HEAD_MAJOR_GROUPS: dict[str, str] = {
    "관리자": "1", "책임자": "1", "경영자": "1", "임원": "1", "이사": "1", "국장": "1", "본부장": "1",
    "지점장": "1", "공장장": "1", "원장": "1",
    "연구원": "2", "연구자": "2", "과학자": "2", "전문가": "23", "개발자": "2", "설계자": "2", "엔지니어": "2",
    "기술자": "23", "의사": "2", "교사": "2", "교수": "2", "강사": "2", "변호사": "2", "회계사": "2",
    "디자이너": "23", "컨설턴트": "2", "분석가": "2", "기획자": "2", "프로그래머": "2", "기자": "2", "작가": "2",
    "치료사": "2", "간호사": "2", "약사": "2", "상담사": "2", "기술원": "3", "시험원": "3", "검사원": "3",
    "사무원": "4", "비서": "4", "안내원": "4", "접수원": "4", "출납원": "4", "수납원": "4", "상담원": "4",
    "계원": "4", "사무보조원": "4",
    "판매원": "5", "영업원": "5", "판촉원": "5", "조리사": "5", "미용사": "5", "경비원": "5", "요양보호사": "5",
    "승무원": "5", "간병인": "5",
    "재배원": "6", "재배자": "6", "사육사": "6", "어부": "6", "양식원": "6", "벌목원": "6", "어업인": "6",
    "공": "7", "용접원": "7", "정비원": "7", "수리원": "7", "설치원": "7", "재단사": "7", "목수": "7", "배관공": "7",
    "조작원": "8", "기조작원": "8", "운전원": "8", "조립원": "8", "운전기사": "8", "기관사": "8",
    "노무원": "9", "단순노무원": "9", "청소원": "9", "미화원": "9", "하역원": "9", "배달원": "9", "잡역부": "9",
    "원": "78",
}  # fmt: skip


def head_major_groups(title: str) -> str:
    """ISCO major groups (digits) that the head word of a Korean ``title`` points to ('' when none)."""
    runs = re.findall(r"[\uac00-\ud7a3]+", unicodedata.normalize("NFC", title))
    if not runs:
        return ""
    last = runs[-1]
    for n in range(min(len(last), 6), 0, -1):
        groups = HEAD_MAJOR_GROUPS.get(last[-n:])
        if groups is not None:
            return groups
    return ""


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
