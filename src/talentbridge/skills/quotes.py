"""The quote shown for an inferred skill: the line of the text it was read from.

An inferred skill's span is the unit the encoder read: a sentence-like chunk, or a short window of tokens, and
windows run across line breaks, so the text at the span reads oddly ("요건] - PyTorch", "능숙자 - 도커",
"pipelines\\n2. Cloud"). People read a line better: the quote is the one line that holds most of the span, without
its list bullet, numbering, heading brackets and the whitespace and punctuation around it. The spans themselves
are left as they are (other code and the benchmarks read them).
"""

from __future__ import annotations

import re

from talentbridge.skills.requirement_cues import is_heading

__all__ = ["line_quote", "QUOTE_CHARS"]

#: A longer line (a paragraph pasted without line breaks) is not quoted whole: only the span's part of it.
QUOTE_CHARS = 200

# list bullets, numbering ("1.", "2)", "(3)", "①"), stray punctuation (not the dot of ".NET") and the whitespace
# between them, at the start of a line
_LEAD = re.compile(r"(?:\s|[-–—•·∙◦▪▫●○■□◆◇▶▷►*※>#:,;!?…]|\.(?!\w)|\(?\d{1,2}[.)](?!\d)|[①-⑳])+")
# a bracketed group opening a line: "[자격요건] PyTorch 경험" drops it when it is a section heading
_BRACKETED = re.compile(r"[\[【〔<「『(]([^\]】〕>」』)\n]{1,40})[\]】〕>」』)]")
_PAIRS = {"[": "]", "【": "】", "〔": "〕", "<": ">", "「": "」", "『": "』", "(": ")", "{": "}"}
_OPENERS = {close: open_ for open_, close in _PAIRS.items()}
_TRAIL = " \t\r\f\v\u3000.,;:!?…·•-–—*"


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` (one line or part of one) narrowed to what it says: without a leading bullet or
    number, a leading bracketed heading, unmatched or enclosing brackets, and outer whitespace and punctuation."""
    while True:
        before = (start, end)
        lead = _LEAD.match(text, start, end)
        if lead:
            start = lead.end()
        bracketed = _BRACKETED.match(text, start, end)
        if bracketed and is_heading(bracketed.group(1)):
            start = bracketed.end()
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        close = _PAIRS.get(text[start]) if start < end else None
        if close is not None and text.find(close, start + 1, end) == end - 1:
            start, end = start + 1, end - 1  # "[Python]", "(PyTorch 기반 모델 개발 경험)": the brackets enclose it
        if start < end and text[start] in _PAIRS and _PAIRS[text[start]] not in text[start + 1 : end]:
            start += 1  # "[자격" of a heading cut short, "(3년 이상" of a line cut short
        if start < end and text[end - 1] in _OPENERS and _OPENERS[text[end - 1]] not in text[start : end - 1]:
            end -= 1
        if (start, end) == before:
            return start, end


def line_quote(text: str, span: tuple[int, int], limit: int = QUOTE_CHARS) -> str:
    """The quote of ``text`` for an inferred skill read at ``span`` (character offsets, end exclusive).

    Of the lines the span touches, the one whose content (the line without its bullet, numbering, heading brackets
    and outer whitespace and punctuation) holds the most of the span is quoted, as that content; ties go to the
    first, and when the span reaches no line's content, to the line holding most of it. Lines that are only a
    section heading ("[자격요건]", "Requirements:") or have no letters (a date) are not quoted. A line longer than
    ``limit`` characters gives only the span's part of it, cleaned the same way. When no line is left, the text at
    the span as it is. Never holds a line break unless it is that last resort; pure, O(length of the lines touched).
    """
    a, b = span
    best: tuple[int, int] | None = None
    best_key = (-1, -1)
    start = text.rfind("\n", 0, a) + 1
    while start < b:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        c_start, c_end = _content(text, start, end)
        said = text[c_start:c_end]
        said_overlap, line_overlap = _overlap(span, c_start, c_end), _overlap(span, start, end)
        # the line's bullet decides only between lines whose words the span does not reach
        key = (said_overlap, 0 if said_overlap else line_overlap)
        if line_overlap > 0 and key > best_key and any(ch.isalpha() for ch in said) and not is_heading(said):
            best, best_key = (c_start, c_end), key
        start = end + 1
    if best is None:
        return text[a:b]
    c_start, c_end = best
    if c_end - c_start > limit:
        # a paragraph on one line: the span's part of it (or, when the span held only its bullet, its opening)
        part = (max(a, c_start), min(b, c_end)) if best_key[0] > 0 else (c_start, c_start + limit)
        c_start, c_end = _content(text, *part)
    return text[c_start:c_end] or text[a:b]


def _overlap(span: tuple[int, int], start: int, end: int) -> int:
    return max(0, min(span[1], end) - max(span[0], start))
