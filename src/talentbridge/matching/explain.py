"""Explanations of recommendations as JSON-able dicts: data first, with short English and Korean reasons.

A pair explanation (``explain_fit``)::

    {"score": 74.8,
     "breakdown": {"skills": {"score": 0.77, "weight": 0.53, "points": 45.4, "applicable": true, "detail": {}},
                   ...},                          # points sum to score
     "matched":  [{"skill_id", "label", "level", "min_level", "importance",
                   "confidence"?}],   # exact skill at the level; confidence when the AI inferred the skill
     "partial":  [{"skill_id", "label", "importance", "min_level", "credit", "relation",
                   "via_skill_id", "via_label", "via_level", "confidence"?}],     # taxonomy relation or low level
     "missing_must": [{"skill_id", "label", "min_level"}],
     "missing":  [{"skill_id", "label", "min_level", "importance"}],            # should/nice not covered
     "reasons":  {"en": [...], "ko": [...]}}

An opening's exclusion summary (``explain_exclusions``)::

    {"considered": 1000, "eligible": 640, "excluded": {"consent": 200, "work_permit": 31, ...}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from talentbridge.matching.constraints import CONSTRAINTS
from talentbridge.matching.fit import FitResult, SkillMatch
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.weights import CRITERIA

__all__ = [
    "explain_fit",
    "explain_exclusions",
    "breakdown_dict",
    "CONSTRAINT_LABELS",
    "CRITERION_LABELS",
    "TEXT_STATUS_LABELS",
]

CRITERION_LABELS: dict[str, tuple[str, str]] = {
    "skills": ("skills", "기술"),
    "text": ("profile text", "프로필 내용"),
    "lexical": ("shared terms", "공통 용어"),
    "titles": ("job titles", "직함"),
    "experience": ("experience", "경력"),
    "education": ("education", "학력"),
    "location": ("location", "근무지"),
    "availability": ("availability", "가능 시기"),
    "salary": ("salary", "연봉"),
}

CONSTRAINT_LABELS: dict[str, tuple[str, str]] = {
    "consent": ("did not consent to be shown", "프로필 공개 미동의"),
    "opening_status": ("opening is not open", "모집 중이 아님"),
    "deadline": ("deadline has passed", "마감일 지남"),
    "employment_type": ("does not want this employment type", "희망 고용형태 아님"),
    "work_permit": ("no suitable visa and no sponsorship", "취업 가능한 체류자격 없음(비자 후원 없음)"),
    "own_employer": ("secondment to own employer or an affiliate", "소속 기업 또는 계열사로의 파견"),
}

#: Whether the ``text`` criterion counted for a pair, and why not (``breakdown.text.detail.status``).
TEXT_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "compared": ("profile text compared with the opening text", "프로필과 공고 텍스트 비교"),
    "off": ("text comparison is switched off", "텍스트 비교 꺼짐"),
    "no_encoder": ("no text encoder is available", "텍스트 인코더 없음"),
    "no_talent_text": ("the profile has no text to compare", "비교할 프로필 텍스트 없음"),
    "no_opening_text": ("the opening has no text to compare", "비교할 공고 텍스트 없음"),
    "pending": ("the text is not encoded yet", "텍스트 임베딩 준비 중"),
}

_RELATION_KO = {
    "exact": "동일",
    "narrower": "하위 기술",
    "broader": "상위 기술",
    "related": "관련 기술",
    "sibling": "유사 기술",
}
_IMPORTANCE_KO = {"must": "필수", "should": "우대", "nice": "가점"}


def _r(x: float, digits: int = 2) -> float:
    return round(float(x), digits)


def breakdown_dict(points: dict[str, float], scores: dict[str, float] | None = None) -> dict[str, Any]:
    """A compact breakdown (criterion → points, rounded to 0.01) for batch output."""
    return {c: _r(points.get(c, 0.0)) for c in CRITERIA}


def explain_fit(
    result: FitResult,
    graph: SkillGraph | None = None,
    *,
    text_status: str | None = None,
    job_titles: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The explanation dict of one pair (see module docstring).

    ``text_status`` (a ``TEXT_STATUS_LABELS`` key) says whether the texts were compared and why not; it lands in
    ``breakdown.text.detail`` (``status`` and ``reason``) and in the reasons. ``job_titles``: the talent's job
    titles the ``titles`` criterion read (``breakdown.titles.detail.read`` and a reason line, so the person can
    check what was read from the résumé)."""
    graph = graph or SkillGraph()
    matched, partial, missing_must, missing = [], [], [], []
    en: list[str] = []
    ko: list[str] = []
    for m in result.skills:
        label_en, label_ko = graph.label(m.skill_id, "en"), graph.label(m.skill_id, "ko")
        imp = str(m.importance)
        if m.missing:
            item = {"skill_id": m.skill_id, "label": label_en, "min_level": m.min_level}
            if imp == "must":
                missing_must.append(item)
                en.append(f"Missing must-have skill {label_en} (level {m.min_level})")
                ko.append(f"필수 기술 {label_ko} 없음 (요구 수준 {m.min_level})")
            else:
                missing.append({**item, "importance": imp})
            continue
        # a skill the AI read from the talent's text (not stated by the person) is said to be one, with how sure
        inferred = m.matched_confidence is not None and m.matched_confidence < 1
        sure_en = f"; inferred by AI from the profile's text, {m.matched_confidence:.0%} sure" if inferred else ""
        sure_ko = f", 프로필 글에서 AI가 추론, 확신도 {m.matched_confidence:.0%}" if inferred else ""
        if m.relation == "exact" and m.matched_level is not None and m.matched_level >= m.min_level:
            item = {
                "skill_id": m.skill_id,
                "label": label_en,
                "level": m.matched_level,
                "min_level": m.min_level,
                "importance": imp,
            }
            matched.append({**item, "confidence": _r(m.matched_confidence, 3)} if inferred else item)
            en.append(f"Has {label_en} at level {m.matched_level} (required {m.min_level}, {imp}{sure_en})")
            ko.append(f"{label_ko} 수준 {m.matched_level} 보유 (요구 {m.min_level}, {_IMPORTANCE_KO[imp]}{sure_ko})")
            continue
        via_en = graph.label(m.matched_skill_id or "", "en")
        via_ko = graph.label(m.matched_skill_id or "", "ko")
        partial.append(
            {
                "skill_id": m.skill_id,
                "label": label_en,
                "importance": imp,
                "min_level": m.min_level,
                "credit": _r(m.credit),
                "relation": m.relation,
                "via_skill_id": m.matched_skill_id,
                "via_label": via_en,
                "via_level": m.matched_level,
                **({"confidence": _r(m.matched_confidence, 3)} if inferred else {}),  # of the via skill's claim
            }
        )
        if m.relation == "exact":
            en.append(f"Has {label_en} at level {m.matched_level}, below the required {m.min_level}{sure_en}")
            ko.append(f"{label_ko} 수준 {m.matched_level} (요구 {m.min_level}에 못 미침{sure_ko})")
        else:
            en.append(
                f"{via_en} ({m.relation} skill of {label_en}{sure_en}) gives {m.credit:.0%} credit for {label_en}"
            )
            ko.append(
                f"{via_ko}({label_ko}의 {_RELATION_KO[m.relation or 'exact']}{sure_ko})로 {label_ko} 요건의 "
                f"{m.credit:.0%} 인정"
            )
    breakdown: dict[str, dict[str, Any]] = {}
    for c, b in result.breakdown.items():
        breakdown[c] = {
            "score": _r(b.score, 3),
            "weight": _r(b.weight, 3),
            "points": _r(b.points),
            "applicable": b.applicable,
            "detail": dict(b.detail),
        }
    if text_status is not None:
        en_label, ko_label = TEXT_STATUS_LABELS[text_status]
        breakdown["text"]["detail"].update(status=text_status, reason={"en": en_label, "ko": ko_label})
        cosine = result.breakdown["text"].detail.get("cosine")
        if text_status == "compared" and cosine is not None:
            en.append(f"Profile text similarity to the opening text: {cosine:.2f}")
            ko.append(f"프로필과 공고 텍스트 유사도 {cosine:.2f}")
        elif text_status != "compared":
            en.append(f"Text criterion not used: {en_label}")
            ko.append(f"텍스트 기준 미적용: {ko_label}")
    z = result.breakdown["lexical"].detail.get("z") if "lexical" in result.breakdown else None
    if z is not None:
        en.append(
            f"Profile uses the opening's terms {z:+.1f} standard deviations from the talent pool's mean"
            " (a bare title also counts the words the pool profiles that use it share)"
        )
        ko.append(
            f"공고 용어 사용 정도: 인재 풀 평균 대비 {z:+.1f} 표준편차 (제목만 있는 공고는 그 제목을 쓰는 프로필들의 공통 용어 포함)"
        )
    tz = result.breakdown["titles"].detail.get("z") if "titles" in result.breakdown else None
    if tz is not None:
        en.append(
            "Job titles (work history, desired roles, the résumé's headline and dated work lines) match the opening's"
            f" title {tz:+.1f} standard deviations from the talent pool's mean"
        )
        ko.append(f"직함(경력·희망 직무·이력서 첫머리와 경력 항목)과 공고 제목의 일치 정도: 인재 풀 평균 대비 {tz:+.1f} 표준편차")
        if job_titles:
            breakdown["titles"]["detail"]["read"] = list(job_titles)
            en.append("Job titles read: " + "; ".join(job_titles))
            ko.append("읽은 직함: " + "; ".join(job_titles))
    top = sorted((b for b in result.breakdown.values() if b.applicable), key=lambda b: -b.points)[:3]
    en.append("Largest contributions: " + ", ".join(f"{CRITERION_LABELS[b.criterion][0]} {b.points:.1f}" for b in top))
    ko.append("주요 기여: " + ", ".join(f"{CRITERION_LABELS[b.criterion][1]} {b.points:.1f}점" for b in top))
    return {
        "score": _r(result.score),
        "breakdown": breakdown,
        "matched": matched,
        "partial": partial,
        "missing_must": missing_must,
        "missing": missing,
        "reasons": {"en": en, "ko": ko},
    }


def explain_exclusions(considered: int, eligible: int, excluded: dict[str, int]) -> dict[str, Any]:
    """How many people each hard constraint excluded (each counted on its own), with labels."""
    return {
        "considered": considered,
        "eligible": eligible,
        "excluded": {name: int(excluded.get(name, 0)) for name in CONSTRAINTS},
        "labels": {name: {"en": CONSTRAINT_LABELS[name][0], "ko": CONSTRAINT_LABELS[name][1]} for name in CONSTRAINTS},
    }


def skill_match_dict(m: SkillMatch) -> dict[str, Any]:
    return {
        "skill_id": m.skill_id,
        "importance": str(m.importance),
        "min_level": m.min_level,
        "credit": _r(m.credit),
        "relation": m.relation,
        "via_skill_id": m.matched_skill_id,
        "via_level": m.matched_level,
    }
