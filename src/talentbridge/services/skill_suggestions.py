"""Skill suggestions for a person to accept: the one path behind the talent profile page, the organisation's
opening form, ``POST /api/skills/suggest`` and the evaluation harness (``benchmarks/eval_explicit.py``).

Order: every skill the text names outright (``via="explicit"``, never cut), then — when the text is thin (a bare
title, a title and a line) — the essential skills of the occupation the title clearly names (``via="occupation"``,
labelled "from the occupation"), so that matching has something to compare, then the best inferred ones
(``via="semantic"``). The occupation's skills come before the inferred ones, and take places of them (the list
still holds ``total``, at least ``min_inferred`` inferred), because two or three words give an encoder little to
go on ("머신러닝 엔지니어" reads close to *Mechanical engineering* and *Mechatronics*), while the occupation is
taken only when the title clearly names it. For an opening each suggestion carries a default importance: ``must``
only when the text says so (``skills/requirement_cues.py``), with the cue as the reason.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from talentbridge.skills.quotes import line_quote
from talentbridge.skills.requirement_cues import importance_at
from talentbridge.skills.text import tokens

__all__ = [
    "SkillSuggestion",
    "suggest_skills",
    "occupation_skills",
    "title_occupation",
    "is_thin",
    "SUGGESTED_TOTAL",
    "MIN_INFERRED",
    "THIN_TOKENS",
    "OCCUPATION_SKILLS",
    "PRESELECT_SCORE",
    "PRESELECT_NAMED",
]

#: Suggestions shown when the text names few skills (explicit mentions are never cut by it).
SUGGESTED_TOTAL = 20
#: Inferred suggestions shown even when the explicit mentions alone fill the list.
MIN_INFERRED = 5
#: A text with at most this many matching tokens is "thin": occupation skills are added.
THIN_TOKENS = 25
#: Occupation skills added to a thin text.
OCCUPATION_SKILLS = 10
#: Inferred suggestions of at least this score are ticked in the forms only when the text names fewer than
#: ``PRESELECT_NAMED`` skills itself: a text that names its skills has said what it asks for, and inferred ones
#: scored 0.50-0.60 there include noise ("Medical image analysis", "AI alignment" for a vision-inspection ad)
PRESELECT_SCORE = 0.5
PRESELECT_NAMED = 3
#: Occupations compared when a bare title is to name one (``skills.title_choice``: clearly the best, or none).
TITLE_CANDIDATES = 10


@dataclass
class SkillSuggestion:
    skill_id: str
    uri: str
    label: str  # English label (pages translate through the taxonomy)
    score: float
    via: str  # "explicit", "semantic" or "occupation"
    spans: list[tuple[int, int]] = field(default_factory=list)
    # the text at the spans (an inferred skill: the line it was read from, ``skills.quotes``), or the occupation's label
    evidence: list[str] = field(default_factory=list)
    importance: str = "should"  # default for an opening requirement
    reason: str = ""  # the cue that made it a must-have ("필수", "required"), or the section heading
    occupation: str = ""  # for via="occupation": the occupation's label
    occupation_ko: str = ""  # and its Korean label, where it has one (pages show the reader's language)
    weak: bool = False  # named only by one common word or inside another named skill (``ExtractedSkill.weak``)
    preselected: bool = False  # ticked in the forms: what the text names, then (thin texts) the best guesses

    def as_dict(self) -> dict[str, Any]:
        return {
            "skill_id": self.skill_id,
            "uri": self.uri,
            "label": self.label,
            "score": round(self.score, 4),
            "via": self.via,
            "spans": [list(s) for s in self.spans],
            "evidence": self.evidence,
            "importance": self.importance,
            "reason": self.reason,
            "occupation": self.occupation,
            "weak": self.weak,
            "preselected": self.preselected,
        }


def is_thin(text: str) -> bool:
    """A bare title or a title and a line: too little text to infer requirements from."""
    if not text.strip():
        return True
    return len(text) <= 40 * THIN_TOKENS and len(tokens(text)) <= THIN_TOKENS


_by_uri_cache: dict[int, tuple[Any, dict[str, Any], dict[str, Any]]] = {}


def _by_uri(taxonomy: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """``taxonomy.skill_by_uri()`` and ``taxonomy.occupation_by_uri()``, built once per taxonomy object (taxonomies
    are shared and read-only; with ESCO each map has thousands of entries, too many to rebuild per title)."""
    hit = _by_uri_cache.get(id(taxonomy))
    if hit is None or hit[0] is not taxonomy:
        if len(_by_uri_cache) > 8:
            _by_uri_cache.clear()
        hit = _by_uri_cache[id(taxonomy)] = (taxonomy, taxonomy.skill_by_uri(), taxonomy.occupation_by_uri())
    return hit[1], hit[2]


def suggest_skills(
    services: Any,
    text: str,
    *,
    title: str = "",
    exclude: Collection[str] = (),
    total: int = SUGGESTED_TOTAL,
    min_inferred: int = MIN_INFERRED,
    for_opening: bool = False,
) -> list[SkillSuggestion]:
    """Suggestions for ``text`` (a résumé or a job ad; ``title`` is the opening's title or the talent's desired
    role, used for the occupation's skills when the text is thin). Skills in ``exclude`` (ids) are left out.

    ``services`` is a ``SkillServices`` (extractor, normalizer, taxonomy). Raises ``InputTooLarge`` for a text
    over the configured limit.
    """
    taxonomy = services.taxonomy
    by_uri = _by_uri(taxonomy)[0]
    out: list[SkillSuggestion] = []
    seen: set[str] = set(exclude)
    found = services.extractor.extract(text, top=total, min_inferred=min_inferred) if text.strip() else []
    # skills the text names are never displaced by the occupation's: they are taken first either way
    named = {by_uri[item.uri].id for item in found if item.via == "explicit" and item.uri in by_uri}
    from_occupation: list[SkillSuggestion] = []
    thin_text = text if not title or title in text else f"{title}\n{text}"
    if (title or text).strip() and is_thin(thin_text):
        from_occupation = occupation_skills(services, title or text, exclude=seen | named)
    # with the occupation's skills the list still holds ``total`` (at least ``min_inferred`` inferred ones)
    inferred_left = max(total - len(named) - len(from_occupation), min_inferred) if from_occupation else len(found)
    for item in found:
        if item.via != "explicit" and from_occupation:
            # the occupation's skills go between what the text names and what is inferred from it
            out.extend(from_occupation)
            seen.update(s.skill_id for s in from_occupation)
            from_occupation = []
        skill = by_uri.get(item.uri)
        if skill is None or skill.id in seen:
            continue
        if item.via != "explicit":
            if inferred_left <= 0:
                break
            inferred_left -= 1
        seen.add(skill.id)
        suggestion = SkillSuggestion(
            skill_id=skill.id,
            uri=item.uri,
            label=item.label,
            score=item.score,
            via=item.via,
            spans=list(item.spans),
            evidence=_evidence(text, item.spans, item.via),
            weak=item.weak,
        )
        if for_opening:
            cue = importance_at(text, item.spans) if item.via == "explicit" else None
            if cue is not None and cue.importance == "must":
                suggestion.importance, suggestion.reason = "must", cue.cue
        out.append(suggestion)
    out.extend(from_occupation)
    _preselect(out, for_opening)
    return out


def _evidence(text: str, spans: list[tuple[int, int]], via: str) -> list[str]:
    """What a suggestion quotes of ``text`` (at most three, distinct): a named skill's mentions as written; an
    inferred skill's span is the window the encoder read, which runs across line breaks ("요건] - PyTorch"), so it
    is quoted as the line it was read from (``skills.quotes.line_quote``)."""
    quotes = (line_quote(text, span) if via == "semantic" else text[span[0] : span[1]] for span in spans)
    return list(dict.fromkeys(quotes))[:3]


def _preselect(suggestions: list[SkillSuggestion], for_opening: bool) -> None:
    """Tick what the text names outright (not weakly). When it names fewer than ``PRESELECT_NAMED`` skills, tick
    also an opening's occupation skills (a bare title) and inferred skills scored at least ``PRESELECT_SCORE``."""
    few = sum(1 for s in suggestions if s.via == "explicit" and not s.weak) < PRESELECT_NAMED
    for s in suggestions:
        if s.via == "explicit":
            s.preselected = not s.weak
        elif s.via == "occupation":
            s.preselected = for_opening and few
        else:
            s.preselected = few and s.score >= PRESELECT_SCORE


def title_occupation(services: Any, title: str) -> tuple[Any, Any] | None:
    """(occupation, title match) for the occupation ``title`` clearly names (``skills.title_choice``: its preferred
    label in English or Korean, or the best with no close rival of another ISCO unit group), else None. The one
    rule behind the suggestions "from the occupation" and import inference (``services/inference.py``)."""
    from talentbridge.skills.title_choice import confident_match

    query = title.strip()[:200]
    if not query:
        return None
    taxonomy = services.taxonomy
    by_uri = _by_uri(taxonomy)[1]

    def occupation_of(uri: str) -> Any:
        return by_uri.get(uri) or taxonomy.occupations.get(uri)

    def preferred(match: Any) -> tuple[str, ...]:
        occ = occupation_of(match.uri)
        return (match.label,) if occ is None else (occ.label_en or "", occ.label_ko or "")

    match = confident_match(services.normalizer.normalize([query], top=TITLE_CANDIDATES)[0], query, preferred)
    occupation = occupation_of(match.uri) if match is not None else None
    return None if match is None or occupation is None else (occupation, match)


def occupation_skills(
    services: Any, title: str, *, exclude: Collection[str] = (), limit: int = OCCUPATION_SKILLS
) -> list[SkillSuggestion]:
    """Essential skills (then optional ones) of the occupation ``title`` normalizes to, as suggestions with
    ``via="occupation"``; empty when the title names no occupation clearly (``skills.title_choice``)."""
    if not title.strip():
        return []
    hit = title_occupation(services, title)
    if hit is None:
        return []
    occupation, match = hit
    taxonomy = services.taxonomy
    label = occupation.label_en or occupation.label_ko
    out: list[SkillSuggestion] = []
    # the occupation's skills are a starting point, not the employer's words: "should", never "must"
    for skill_id, importance in [
        *((s, "should") for s in occupation.essential_skills),
        *((s, "nice") for s in occupation.optional_skills),
    ]:
        skill = taxonomy.skills.get(skill_id)
        if skill is None or skill_id in exclude or any(s.skill_id == skill_id for s in out):
            continue
        out.append(
            SkillSuggestion(
                skill_id=skill_id,
                uri=skill.uri,
                label=skill.label_en or skill.label_ko,
                score=float(min(1.0, match.score)),
                via="occupation",
                evidence=[e for e in dict.fromkeys([label, match.matched_label]) if e],
                importance=importance,
                reason=label,
                occupation=label,
                occupation_ko=occupation.label_ko,
            )
        )
        if len(out) >= limit:
            break
    return out
