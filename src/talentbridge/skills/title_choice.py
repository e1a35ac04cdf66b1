"""Which occupation a bare title stands for, when its requirements are to be taken from one.

``TitleNormalizer`` ranks every occupation for a title; an opening titled only "Chef" or "AI Engineer" (or a
talent whose résumé is too short, by their desired role) then gets the essential skills of the best one, labelled
"from the occupation". That is only right when the best occupation is clearly the one the title names:

* it scores at least ``MIN_SCORE`` on the normalizer's fused score (0..1), and
* the title is its preferred label (English or Korean), ignoring case and spacing ("Data Engineer" names the data engineer even though
  a data scientist scores 0.95 beside it; an alternative label is not enough: ESCO gives "teacher" or "accountant"
  to several occupations), or no rival is close to it: every occupation within ``LEAD`` of its score has the same ISCO-08 unit group
  (chef and head chef are both 3434; a "Teacher" whose best candidates are a politics lecturer (2310) and a music
  teacher (2354) names neither), or it scores at least ``MARGIN`` times the runner-up (the rule for normalizers
  whose scores are small, e.g. lexical matching without an encoder).

With ESCO's 3,000 occupations the fused scores of related occupations lie close together (0.78 and 0.74 for chef and
head chef), so a bare margin of ``MARGIN`` alone was never met and no ESCO occupation was ever taken on import,
while the organisation's form offered the top one whatever its rivals. Both now use this rule. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

__all__ = ["confident_match", "MIN_SCORE", "MARGIN", "LEAD"]

#: A title match must score at least this ...
MIN_SCORE = 0.05
#: ... and either this many times the runner-up ...
MARGIN = 2.0
#: ... or lead every rival of another ISCO unit group by at least this much of the fused score.
LEAD = 0.05


class _Match(Protocol):
    label: str
    score: float
    isco_code: str


M = TypeVar("M", bound=_Match)


def _unit_group(code: str) -> str:
    """The ISCO-08 unit group (four digits) of an occupation code ("2511.1" -> "2511"); "" when unknown."""
    digits = code.strip()[:4]
    return digits if len(digits) == 4 and digits.isdigit() else ""


def _same_words(a: str, b: str) -> bool:
    return bool(a) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def confident_match(
    matches: Sequence[M], title: str = "", preferred: Callable[[M], Iterable[str]] | None = None
) -> M | None:
    """The best of ``matches`` (best first, as ``TitleNormalizer.normalize`` returns them for ``title``) when it
    clearly names one occupation (module docstring), else None. ``preferred(match)`` gives the occupation's
    preferred labels in every language (default: ``match.label``), e.g. "데이터 엔지니어" beside "Data engineer"."""
    if not matches:
        return None
    best = matches[0]
    if best.score < MIN_SCORE:
        return None
    if any(_same_words(title, label) for label in (preferred(best) if preferred else (best.label,))):
        return best
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if best.score >= MARGIN * runner_up:
        return best
    group = _unit_group(best.isco_code)
    rivals = [m for m in matches[1:] if m.score > best.score - LEAD]
    if all(group and _unit_group(m.isco_code) == group for m in rivals):
        return best
    return None
