"""Words of job titles: abbreviations spelled out, managerial words, and the first/head words of labels.

* ``expand_abbreviations`` spells out common job-title abbreviations (``HR``, ``QA``, ``IT`` → ``ICT`` as ESCO
  writes it) before a title is scored;
* ``MANAGERIAL`` (words that make a title managerial) and ``MANAGERIAL_LABEL`` (words that make an occupation's
  preferred label managerial) drive the penalty for managerial occupations when the title names no managerial rank;
* ``LabelWords`` holds the first and the last word of every occupation label for the first-word / head-word
  signals that ``TitleNormalizer`` adds on a title's candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from talentbridge.skills.text import tokens
from talentbridge.skills.title_weights import TitleWeights

__all__ = ["ABBREVIATIONS", "MANAGERIAL", "MANAGERIAL_LABEL", "LabelWords", "expand_abbreviations"]

#: Common job-title abbreviations and shorthand (general English usage; ESCO writes "ICT" for IT).
ABBREVIATIONS = {
    "it": "ICT", "hr": "human resources", "hrd": "human resources development", "admin": "administrative",
    "acct": "accounting", "accts": "accounting", "accounts": "accounting", "mgr": "manager", "asst": "assistant",
    "exec": "executive", "snr": "senior", "sr": "senior", "jr": "junior", "engr": "engineer", "rep": "representative",
    "reps": "representatives", "qa": "quality assurance", "qc": "quality control", "f&b": "food and beverage",
    "r&d": "research and development", "ops": "operations", "dev": "developer", "coord": "coordinator",
    "pa": "personal assistant", "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cto": "chief technology officer", "coo": "chief operating officer", "cio": "chief information officer",
    "gm": "general manager", "hod": "head of department", "csr": "customer service representative",
    "cs": "customer service", "bd": "business development", "biz": "business", "mktg": "marketing",
    "ar": "accounts receivable", "ap": "accounts payable", "m&e": "mechanical and electrical",
    "hse": "health safety environment", "ehs": "environment health safety", "dba": "database administrator",
    "qs": "quantity surveyor", "pr": "public relations", "ui": "user interface", "ux": "user experience",
    "vp": "vice president", "svp": "senior vice president", "avp": "assistant vice president", "tech": "technical",
    "dr": "doctor", "cnc": "CNC machine", "mech": "mechanical", "elec": "electrical", "govt": "government",
    "intl": "international", "mfg": "manufacturing", "prod": "production", "maint": "maintenance",
    "cum": "and", "ecommerce": "e-commerce", "fullstack": "full stack", "frontend": "front end",
    "backend": "back end", "aircon": "air conditioning",
}  # fmt: skip
_ABBREVIATION = re.compile(r"[A-Za-z]+&[A-Za-z]+|[A-Za-z]+")

#: Words that make a title managerial; occupations whose preferred label has one are penalized without them.
MANAGERIAL = frozenset(
    [
        "manager",
        "managers",
        "director",
        "head",
        "chief",
        "supervisor",
        "lead",
        "leader",
        "president",
        "superintendent",
        "foreman",
        "principal",
        "owner",
        "partner",
    ]
)
#: Words that make an occupation's preferred label managerial (the ``unasked_manager`` penalty).
MANAGERIAL_LABEL = frozenset(
    ["manager", "director", "chief", "head", "supervisor", "superintendent", "foreman", "forewoman", "president"]
)


def expand_abbreviations(title: str) -> str:
    """``title`` with common job-title abbreviations spelled out (``HR Exec`` → ``human resources executive``)."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS.get(m.group().lower(), m.group()), title)


class LabelWords:
    """The first and the last word key (``text.tokens``) of every label, as ids, for the word signals on
    candidates (-1 for a label without words)."""

    def __init__(self, labels: Sequence[str]) -> None:
        vocab: dict[str, int] = {}
        first = np.full(len(labels), -1, dtype=np.int64)
        last = np.full(len(labels), -1, dtype=np.int64)
        for j, label in enumerate(labels):
            keys = [t.key for t in tokens(label)]
            if keys:
                first[j] = vocab.setdefault(keys[0], len(vocab))
                last[j] = vocab.setdefault(keys[-1], len(vocab))
        self.vocab = vocab
        self.first, self.last = first, last

    def scores(self, query: str, labels: np.ndarray, offsets: np.ndarray, w: TitleWeights) -> np.ndarray:
        """Per concept (``labels`` grouped at ``offsets``), the weighted best-label word signals of ``query``."""
        keys = [t.key for t in tokens(query)]
        out = np.zeros(len(offsets), dtype=np.float32)
        if not keys or not len(labels):
            return out
        # an unknown word gets an id below -1: equal to no label's word, nor to a label without words (-1)
        if w.first_word:
            hit = self.first[labels] == self.vocab.get(keys[0], -2)
            out += w.first_word * np.maximum.reduceat(hit.astype(np.float32), offsets)
        if w.head_word:
            hit = self.last[labels] == self.vocab.get(keys[-1], -2)
            out += w.head_word * np.maximum.reduceat(hit.astype(np.float32), offsets)
        return out
