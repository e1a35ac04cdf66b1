"""How strongly a job text asks for a skill: must-have only when the text says so.

``importance_at(text, spans)`` reads the line that names the skill and the section heading above it:

* a **must** cue on the line (필수, 능숙, 필요, 반드시, required, must, proficient, mandatory, essential,
  "strong knowledge"), or a must section heading (자격요건, 필수, Requirements, Required, Must have) above it
  gives ``"must"``;
* a **preferred** cue (우대, 가산점, preferred, a plus, nice to have, bonus) on the line or as the section
  heading gives ``"should"`` (a preferred skill is still a wish, not a nice-to-have by default);
* anything else gives ``"should"``.

It returns the importance and the cue that decided it (``""`` when none), so that a page can show the reason.
A cue on the line beats the section heading. Pure: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Cue", "importance_at", "is_heading", "MUST_CUES", "PREFERRED_CUES"]

MUST_CUES: tuple[str, ...] = (
    "필수",
    "능숙",
    "필요",
    "반드시",
    "숙련",
    "required",
    "requires",
    "require",
    "must",
    "mandatory",
    "proficient",
    "proficiency",
    "essential",
    "strong knowledge",
    "strong experience",
    "expert in",
    "expertise in",
)
PREFERRED_CUES: tuple[str, ...] = (
    "우대",
    "가산점",
    "선호",
    "preferred",
    "a plus",
    "is a plus",
    "nice to have",
    "nice-to-have",
    "bonus",
    "desirable",
    "advantage",
)
_MUST_HEADINGS = (
    "자격요건",
    "자격 요건",
    "필수",
    "requirements",
    "required",
    "must have",
    "must-have",
    "qualifications",
)
_PREFERRED_HEADINGS = ("우대", "preferred", "nice to have", "nice-to-have", "bonus", "plus")
_OTHER_HEADINGS = (
    "주요업무",
    "주요 업무",
    "담당업무",
    "담당 업무",
    "업무",
    "responsibilities",
    "what you",
    "about",
    "혜택",
    "복지",
    "benefits",
    "duties",
    "role",
)
_LATIN = re.compile(r"[A-Za-z]")
#: Lines that are only a section heading of a job ad or résumé (compared without spaces, punctuation or case)
_HEADINGS_WORDS = """주요업무 담당업무 업무내용 수행업무 자격요건 지원자격 필수요건 필수조건 필수사항 우대사항 우대조건 우대요건 혜택 복지
    혜택및복지 복리후생 근무조건 근무환경 근무지 채용절차 전형절차 기술스택 사용기술 기술 경력 학력 자기소개 보유기술 보유스킬
    스킬 자격증 프로젝트 경력사항 requirements requirement responsibilities qualifications minimumqualifications
    basicqualifications preferredqualifications preferred nicetohave bonuspoints benefits perks duties aboutus
    aboutthejob aboutthecompany aboutyou whatyouwilldo whatyoulldo whatwelookfor whatweoffer jobdescription
    techstack skills requiredskills preferredskills keyskills technicalskills summary experience education
    workexperience certifications projects"""


@dataclass(frozen=True)
class Cue:
    importance: str  # "must" or "should"
    cue: str  # the word that decided it, "" for the default
    where: str  # "line", "section" or ""


def _has(line: str, cue: str) -> bool:
    low = line.lower()
    i = low.find(cue)
    while i >= 0:
        before = low[i - 1] if i else " "
        after = low[i + len(cue)] if i + len(cue) < len(low) else " "
        # Latin cues are words ("must" not in "mustard"); Hangul cues may carry particles (필수로, 능숙하신)
        if not _LATIN.match(cue[0]) or (not before.isalpha() and not (after.isalpha() and after.isascii())):
            return True
        i = low.find(cue, i + 1)
    return False


def _heading(line: str) -> str | None:
    """The kind of section a short heading line opens ("must", "should", "other"), or None."""
    if re.match(r"\s*(?:[-*•·◦]|\d+[.)])\s", line):
        return None  # a list item, not a heading
    stripped = line.strip().strip("#*-•■□▶▷[]【】<>():").strip()
    if not stripped or len(stripped) > 40:
        return None
    low = stripped.lower()
    for kind, words in (("should", _PREFERRED_HEADINGS), ("must", _MUST_HEADINGS), ("other", _OTHER_HEADINGS)):
        if any(low.startswith(w) or (len(low) <= 20 and w in low) for w in words):
            return kind
    return None


def _letters(line: str) -> str:
    return "".join(c for c in line.lower() if c.isalnum())


#: the headings ``importance_at`` reads as well, so that the two never disagree on what a heading is
_HEADING_LINES = frozenset(_HEADINGS_WORDS.split()) | {
    _letters(w) for w in (*_MUST_HEADINGS, *_PREFERRED_HEADINGS, *_OTHER_HEADINGS)
}


def is_heading(line: str) -> bool:
    """A line that is only a section heading ("[우대사항]", "■ 자격요건", "Requirements:", "What you'll do"): it
    names no skill and gives an encoder nothing to read (Korean headings read close to random skills)."""
    words = _letters(line)
    return bool(words) and words in _HEADING_LINES


def importance_at(text: str, spans: Sequence[tuple[int, int]]) -> Cue:
    """Importance of a skill mentioned at ``spans`` of ``text`` (see the module docstring); the strongest
    reading over its mentions. No spans gives the default ``should``."""
    best = Cue("should", "", "")
    for start, _end in spans:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        cue = _line_cue(line)
        if cue is None:
            cue = _section_cue(text, line_start)
        if cue is not None and (cue.importance == "must" or not best.cue):
            best = cue
        if best.importance == "must":
            break
    return best


def _line_cue(line: str) -> Cue | None:
    for cue in PREFERRED_CUES:
        if _has(line, cue):
            return Cue("should", cue, "line")
    for cue in MUST_CUES:
        if _has(line, cue):
            return Cue("must", cue, "line")
    return None


def _section_cue(text: str, line_start: int) -> Cue | None:
    """The heading of the section the line at ``line_start`` belongs to (the nearest heading line above)."""
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        kind = _heading(text[start:end])
        if kind is not None:
            if kind == "other":
                return None
            heading = text[start:end].strip()
            return Cue(kind, heading[:40], "section")
        end = start - 1
    return None
