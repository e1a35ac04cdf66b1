"""The texts that the ``text`` criterion of the fit score compares, as the encoder reads them, and their keys.

* ``talent_text`` / ``opening_text``: résumé, job titles and desired roles / title and description, spaces
  collapsed and cut to ``MAX_TEXT_CHARS`` (``cut_text``; the encoder reads at most 256 tokens anyway);
* ``profile_text``: a profile's text uncut (the lexical criterion reads it too);
* ``text_key`` / ``text_keys``: the 64-bit hash of a text (0: no text) under which its embedding is stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["MAX_TEXT_CHARS", "cut_text", "talent_text", "profile_text", "opening_text", "text_key", "text_keys"]

MAX_TEXT_CHARS = 2000


def cut_text(text: str) -> str:
    """Spaces collapsed, at most ``MAX_TEXT_CHARS``: the text as the encoder reads it."""
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_TEXT_CHARS]


def talent_text(talent: Any) -> str:
    """The text of a profile: résumé, job titles and desired roles (taxonomy ids and URIs left out)."""
    return cut_text(profile_text(talent.resume_text, (w.title for w in talent.work_history), talent.desired_roles))


def profile_text(resume: str | None, titles: Iterable[str | None], roles: Iterable[str]) -> str:
    """Résumé, job titles and desired roles, a line each (taxonomy ids and URIs left out), uncut: what
    ``talent_text`` (cut for the encoder) and the lexical criterion (``lexical_pool``) read of a profile."""
    parts = [resume or "", *(t or "" for t in titles), *(r for r in roles if "://" not in r)]
    return "\n".join(p for p in parts if p)


def opening_text(opening: Any) -> str:
    """The text of an opening: title and description."""
    return cut_text("\n".join(p for p in (opening.title, opening.description or "") if p))


def text_key(text: str) -> int:
    """64-bit hash of a text (0 is kept for "no text")."""
    if not text:
        return 0
    key = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
    return key or 1


def text_keys(texts: Sequence[str]) -> np.ndarray:
    """``text_key`` of each text, as uint64."""
    return np.fromiter((text_key(t) for t in texts), dtype=np.uint64, count=len(texts))
