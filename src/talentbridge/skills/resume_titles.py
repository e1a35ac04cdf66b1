"""Job titles a résumé's experience lines name, read from its text: the ``titles`` criterion's profile side.

A work-history entry in a résumé is a line with a date range ("Quality Engineer 03/2015 to Present, Hanul
Motors, Ulsan", "Hanul Motors Head of Vision AI Jul 2018 - Current", "2019.03 ~ 현재 한빛정밀 비전 AI 엔지니어").
``titles_from_resume(text)`` returns, in the order they appear (the most recent first in nearly every résumé), what
such lines say besides the dates: the job title, with the employer's name where the line gives it. When a line
holds nothing but the dates, the line above it is taken when it is short (the title on a line of its own). Lines
about schooling (degree words; a university may be an employer) and lines longer than ``MAX_WORDS`` words
(sentences that mention years) are left out.

Dates understood: ``04/2014``, ``Apr 2014``, ``April, 2014``, ``2014``, ``2019.03``, ``2019-03``, ``2019년 3월``;
range words ``to``, ``-``, ``–``, ``~``, ``until``, ``부터``; open ends ``Current``, ``Present``, ``Now``, ``현재``,
``재직중``. Pure: no I/O.
"""

from __future__ import annotations

import re

__all__ = ["titles_from_resume", "DATE_RANGE", "MAX_TITLES", "MAX_WORDS"]

#: Titles returned at most (the first ones: the most recent in nearly every résumé).
MAX_TITLES = 8
#: A line left with more words than this once its dates are taken out is a sentence, not a work-history entry.
MAX_WORDS = 14

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:{_MONTH}\s*,?\s*(?:19|20)\d\d"
    r"|\d{1,2}\s*/\s*(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s*년(?:\s*\d{1,2}\s*월)?"
    r"|(?:19|20)\d\d\s*[./-]\s*\d{1,2}\b\.?"
    r"|(?:19|20)\d\d)"
)
#: A date range (not inside a Latin word or number: "a2019-2020b" is none).
DATE_RANGE = re.compile(
    rf"(?<![a-z0-9]){_DATE}\s*(?:부터\s*)?(?:to|until|till|-|–|—|~|∼|〜)\s*"
    rf"(?:(?:{_DATE}|current|present|now|today|date)(?![a-z0-9])|현재|재직\s*중)(?:\s*까지)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
#: Placeholders of anonymised résumé sets, dot leaders, mis-decoded spaces and dashes (as whole sequences: a real
#: "ï" or "Â" in a name stays), durations ("(2년 3개월)", "(3 yrs)") and the brackets a range leaves empty.
_NOISE = re.compile(
    r"company name|city\s*,\s*state|\.{3,}|ï¼\u200b?|â€.|Â(?=\s|$)|\u00a0"
    r"|[(\[][\s,;·]*(?:\d+\s*(?:년|개월|years?|yrs?|months?|mos?)\.?[\s,;·]*)*[)\]]",
    re.IGNORECASE,
)
_SCHOOL = re.compile(
    r"\b(?:bachelor|master of|master'?s|b\.\s?s\.|b\.\s?a\.|m\.\s?s\.|m\.?b\.?a\b|ph\.?\s?d|diploma|degree|gpa|"
    r"high school|coursework)|학사|석사|박사|졸업|학위|고등학교",
    re.IGNORECASE,
)
_EDGES = " \t,;:|/-–—•·*"


def _clean(text: str) -> str:
    return re.sub(r"\s+([,;])", r"\1", re.sub(r"\s+", " ", _NOISE.sub(" ", text))).strip(_EDGES)


def _undated(line: str) -> str:
    """The line without its placeholders and date ranges (taken out until none is left: taking one out can join
    the pieces of another)."""
    text = _NOISE.sub(" ", line)
    while (found := DATE_RANGE.sub(" ", text)) != text:
        text = found
    return _clean(text)


def titles_from_resume(text: str | None, limit: int = MAX_TITLES) -> list[str]:
    """The job titles (with employers, where the line names them) of the résumé's work-history lines, in order,
    each once, at most ``limit`` (module docstring)."""
    if not text:
        return []
    lines = text.splitlines()
    out: list[str] = []
    seen: set[str] = set()
    for k, line in enumerate(lines):
        if _YEAR.search(line) is None or DATE_RANGE.search(line) is None:  # most lines name no year: cheap test first
            continue
        title = _undated(line)
        if len(title) < 2 and k > 0:
            above = _clean(lines[k - 1])
            title = above if len(above.split()) <= MAX_WORDS // 2 and not DATE_RANGE.search(lines[k - 1]) else ""
        if len(title) < 2 or len(title.split()) > MAX_WORDS or _SCHOOL.search(title):
            continue
        if title.lower() not in seen:
            seen.add(title.lower())
            out.append(title)
            if len(out) >= limit:
                break
    return out
