"""Text normalization for matching: English word tokens and Korean morphemes (kiwipiepy), with character offsets.

``tokens(text)`` turns any text (Korean, English, mixed, other scripts) into ``Token``s whose ``key`` is the
normalized form used for matching and whose ``start``/``end`` point into the original text. Korean goes through
Kiwi so that particles and endings drop out and compounds split into their nouns:

    파이토치를 → 파이토치 (+ 를 dropped)      머신러닝과 → 머신 러닝      딥러닝기반 → 딥 러닝 기반

Matching joins consecutive token keys without spaces, so ``머신 러닝``, ``머신러닝`` and ``머신러닝과`` meet on
the same key, and so do ``data base`` and ``database``.

Kiwi is loaded lazily, once per process (about a second).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Token",
    "tokens",
    "has_hangul",
    "mostly_hangul",
    "normalize",
    "english_key",
    "MAX_TEXT_CHARS",
    "check_text",
    "label_key",
]

#: Longest text accepted by extraction, in characters.
MAX_TEXT_CHARS = 100_000

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
# Latin/digit words, keeping tech spellings together: c++, c#, f#, .net, node.js, ci/cd is split on "/".
_WORD = re.compile(
    r"\.net\b|[^\W_\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+(?:[+#]+|\.js\b|\.net\b)?",
    re.IGNORECASE,
)
# Korean morpheme tags kept as content: nouns, roots, verb/adjective stems, noun suffixes, foreign/hanja.
_KEEP_KO = ("NNG", "NNP", "NNB", "NR", "XR", "VV", "VA", "XSN", "SH", "XPN")

_kiwi: Any = None
_kiwi_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Token:
    key: str  # normalized form used for matching
    start: int  # offsets into the original text
    end: int
    korean: bool = False


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


_LATIN_LETTER = re.compile(r"[A-Za-z]")
_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")


def mostly_hangul(text: str) -> bool:
    """Hangul carries at least half of ``text``'s letters, a syllable counting as three Latin letters (about what
    it spells): ``PyTorch 기반 비전 검사 모델 개발`` is, ``Python, PyTorch, OpenCV 능숙자`` is not. An English-only
    encoder reads such a text as noise (docs/skills.md, "Korean text")."""
    syllables = len(_SYLLABLE.findall(text))
    return syllables > 0 and 3 * syllables >= len(_LATIN_LETTER.findall(text))


def normalize(text: str) -> str:
    """NFKC, collapse whitespace; case is kept (the encoders lower-case themselves)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@functools.lru_cache(maxsize=1 << 17)
def english_key(word: str) -> str:
    """Lower-case, accent-free, light plural stemming (``databases`` → ``database``, ``skills`` → ``skill``).

    Memoised: the same words come back in every label and text (building the label index of the ESCO-merged
    taxonomy asks for about 800,000 keys of far fewer words)."""
    w = unicodedata.normalize("NFKC", word).lower()
    if not w.isascii() and all(ord(c) < 0x250 for c in w):  # Latin accents only (kana dakuten are marks too)
        w = "".join(c for c in unicodedata.normalize("NFD", w) if unicodedata.category(c) != "Mn")
    if len(w) > 4 and w.isalpha():
        if w.endswith("ies"):
            return w[:-3] + "y"
        if w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
            return w[:-1]
    return w


def _get_kiwi() -> Any:
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def check_text(text: str, limit: int = MAX_TEXT_CHARS) -> None:
    """Raise ``InputTooLarge`` for a text over ``limit`` characters."""
    if len(text) > limit:
        from talentbridge.domain.errors import InputTooLarge

        raise InputTooLarge(
            f"text has {len(text):,} characters; the limit is {limit:,}: split it into smaller parts",
            length=len(text),
            limit=limit,
        )


def tokens(text: str) -> list[Token]:
    """Matching tokens of ``text`` in order; Korean morphemes through Kiwi, everything else by regex."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        out.append(Token(english_key(m.group()), m.start(), m.end()))
    if has_hangul(text):
        kiwi = _get_kiwi()
        for tok in kiwi.tokenize(text):
            if not tok.tag.startswith(_KEEP_KO):
                continue
            start, end = tok.start, tok.start + tok.len
            # Kiwi also tags Latin/digits (SL/SN) which the regex already covered; keep only Hangul morphemes
            if not has_hangul(text[start:end]):
                continue
            form = tok.form
            if tok.tag in ("VV", "VA"):
                form = form  # stems stay as stems (개발 하다 → 개발 is an NNG anyway)
            # a morpheme with Latin letters in it ("파워BI" when a space follows) is folded like English words
            out.append(Token(unicodedata.normalize("NFC", form).lower(), start, end, korean=True))
        out.sort(key=lambda t: (t.start, t.end))
    return out


def label_key(label: str) -> str:
    """The lookup key of a label: its token keys joined without spaces."""
    return "".join(t.key for t in tokens(label))
