"""Korean grammar for generated sentences: the particle that fits the word before it."""

from __future__ import annotations

__all__ = ["_josa"]


def _josa(word: str, after_consonant: str, after_vowel: str) -> str:
    """``word`` with the Korean particle that fits its last syllable (을/를, 으로/로, 이/가)."""
    last = word.rstrip(" )")[-1:] or "a"
    code = ord(last) - 0xAC00
    if not 0 <= code <= 11171:
        return word + after_vowel
    final = code % 28
    if final == 0 or (after_consonant == "으로" and final == 8):  # no final consonant, or ㄹ before 로
        return word + after_vowel
    return word + after_consonant
