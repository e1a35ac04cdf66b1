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

``headline_titles(text)`` reads the other place a résumé names its owner's job: its headline, the short line or two
at the top before the first section heading ("Senior Accountant", "HR PAYROLL/ACCOUNTING REPRESENTATIVE", "비전 AI
엔지니어 홍길동", "희망 직무: 데이터 분석가"). Lines with contact details, dates or schooling, form fields that name no job
("성명: …"), and sentences are not headlines; a résumé that opens with a heading ("Summary", "경력 요약") has none.
"""

from __future__ import annotations

import re
from itertools import islice

__all__ = ["titles_from_resume", "headline_titles", "DATE_RANGE", "MAX_TITLES", "MAX_WORDS", "HEADLINE_WORDS"]

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
#: A headline line has at most this many words (more is a sentence: "Dedicated accountant with ten years of ...").
HEADLINE_WORDS = 8
#: The first lines of a résumé looked at for its headline (a document title such as "이력서" not counted).
_HEADLINE_LINES = 4
#: Words of section headings; a line made of them only opens the résumé's body (no headline after it).
_HEADING_WORDS = frozenset(
    (
        "summary", "professional", "career", "executive", "profile", "overview", "objective", "objectives", "focus",
        "highlights", "experience", "experiences", "work", "employment", "history", "education", "training",
        "accomplishments", "achievements", "qualifications", "qualification", "skill", "skills", "core",
        "competencies", "strengths", "interests", "background", "contact", "information", "personal", "details",
        "about", "me", "of", "and", "key", "areas", "expertise", "additional", "certifications", "자기소개서", "자기소개",
        "소개", "경력", "경력사항", "경력요약", "요약", "기술", "보유기술", "보유", "학력", "인적사항", "기본정보", "연락처", "프로필", "주요", "핵심", "역량",
        "업무", "경험", "사항", "및", "자격증", "자격",
    )
)  # fmt: skip
#: A document's own title at its top ("Resume", "이력서"): passed over.
_DOCUMENT = re.compile(r"^\W*(?:resume|résumé|curriculum\s+vitae|cv|이력서|입사\s*지원서)\W*$", re.I)
#: A form field at the top ("성명: 홍길동", "Position: Data Analyst"): its value is a headline only when the field
#: names a job (the labels below, spaces taken out); the other fields (name, birth date, address) are passed over.
_FIELD = re.compile(r"^\s*([^:：]{1,15}?)\s*[:：]\s*(.*)$")
_JOB_FIELDS = frozenset(
    ("title", "jobtitle", "position", "currentposition", "desiredposition", "role", "직무", "직책", "직위", "포지션",
     "희망직무", "지원분야", "지원직무", "현직책")
)  # fmt: skip
_CONTACT = re.compile(r"@|https?:|www\.|\d[\d\s().-]{6,}\d|\b(?:tel|phone|mobile|e-?mail|주소|전화|휴대폰|이메일)\b", re.I)
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_LINE = re.compile(r"[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")  # what str.splitlines splits on


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


def _is_heading(line: str) -> bool:
    words = [w.lower() for w in _WORDS.findall(line) if not w.isdigit()]
    return bool(words) and all(w in _HEADING_WORDS for w in words)


def headline_titles(text: str | None, limit: int = 2, name: str = "") -> list[str]:
    """The job title(s) a résumé's headline names: of its first few non-empty lines before the first section
    heading or dated line, those of 1–``HEADLINE_WORDS`` words without contact details or schooling, and the values
    of form fields that name a job ("직무: …", "Position: …"), at most ``limit`` (module docstring). The words of
    the person's ``name`` are taken out (a line of the name alone is none); another name on a line of its own may
    come along, and matches no opening title."""
    if not text:
        return []
    own = {w.lower() for w in _WORDS.findall(name)}
    out: list[str] = []
    lines = (m.group() for m in _LINE.finditer(text))  # lazily: a résumé of pages is read only at its top
    for line in islice((x for x in lines if x.strip() and not _DOCUMENT.match(x)), _HEADLINE_LINES):
        if _is_heading(line) or DATE_RANGE.search(line):
            break
        field = _FIELD.match(line)
        if field is not None and len(field.group(1).split()) <= 3:
            if "".join(field.group(1).lower().split()) not in _JOB_FIELDS:
                continue  # 성명, 생년월일, Name, Address: not a headline
            line = field.group(2)
        title = _clean(line)
        if own:  # a word made only of the name's words goes ("홍길동", "Park,")
            kept = (w for w in title.split() if not own.issuperset(x.lower() for x in _WORDS.findall(w)))
            title = _clean(" ".join(kept))
        words = title.split()
        if not words or len(words) > HEADLINE_WORDS or len(title) > 80 or not _WORDS.search(title):
            continue
        if _CONTACT.search(line) or _SCHOOL.search(title) or title.endswith((".", "다.")):
            continue
        if title.lower() not in {t.lower() for t in out}:
            out.append(title)
            if len(out) >= limit:
                break
    return out
