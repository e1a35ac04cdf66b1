"""Taxonomy helpers for pages: skill labels in the reader's language, family names."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.web.i18n import request_language

__all__ = ["taxonomy_for", "skill_services", "skill_label", "family_labels", "FAMILY_NAMES"]

FAMILY_NAMES: dict[str, tuple[str, str]] = {
    "programming": ("프로그래밍", "Programming"),
    "data_analysis": ("데이터 분석", "Data analysis"),
    "math": ("수학·통계", "Math & statistics"),
    "ml": ("머신러닝", "Machine learning"),
    "deep_learning": ("딥러닝", "Deep learning"),
    "dl_frameworks": ("딥러닝 프레임워크", "DL frameworks"),
    "llm": ("LLM·생성형 AI", "LLM & generative AI"),
    "nlp": ("자연어처리", "NLP"),
    "cv": ("컴퓨터 비전", "Computer vision"),
    "speech": ("음성", "Speech"),
    "data_engineering": ("데이터 엔지니어링", "Data engineering"),
    "mlops": ("MLOps", "MLOps"),
    "cloud": ("클라우드", "Cloud"),
    "robotics": ("로보틱스", "Robotics"),
    "edge_ai": ("엣지 AI", "Edge AI"),
    "manufacturing": ("제조 AI", "Manufacturing AI"),
    "governance": ("AI 윤리·보안", "Governance & security"),
    "business": ("비즈니스·소프트 스킬", "Business & soft skills"),
    "other": ("기타", "Other"),
}


def taxonomy_for(request: Request) -> Taxonomy:
    """The taxonomy, for names of skills: never loads a model, never waits for the warm-up."""
    from talentbridge.services.skill_extraction import skill_taxonomy

    return skill_taxonomy(request.app.state.settings)


def skill_services(request: Request) -> Any:
    """The skill extractor for answers that need it; raises ``WarmingUp`` (shown as "warming up") while serve's
    background warm-up is still building it, instead of making the page wait (services.readiness)."""
    from talentbridge.domain.errors import WarmingUp
    from talentbridge.services.skill_extraction import ready_skill_services

    services = ready_skill_services(request.app.state.settings)
    if services is None:
        raise WarmingUp("the skill finder is still loading its model; try again in a minute")
    return services


def skill_label(taxonomy: Taxonomy, skill_id: str, lang: str) -> str:
    skill = taxonomy.skills.get(skill_id)
    if skill is None:
        return skill_id
    return (skill.label_ko or skill.label_en) if lang == "ko" else skill.label_en


def role_label(taxonomy: Taxonomy, role: str, lang: str) -> str:
    """A desired role or an opening's occupation as people read it: an occupation id ("embedded-ai-engineer") by its
    name in ``lang``, anything else (a title as written) unchanged."""
    occ = taxonomy.occupations.get(role)
    if occ is None:
        return role
    return str(((occ.label_ko or occ.label_en) if lang == "ko" else (occ.label_en or occ.label_ko)) or role)


def family_labels(request: Request) -> dict[str, str]:
    lang = request_language(request)
    return {k: (ko if lang == "ko" else en) for k, (ko, en) in FAMILY_NAMES.items()}


def labels_for(request: Request, skill_ids: list[str]) -> dict[str, Any]:
    taxonomy = taxonomy_for(request)
    lang = request_language(request)
    return {sid: skill_label(taxonomy, sid, lang) for sid in skill_ids}


def suggestion_evidence(request: Request, item: Any) -> list[str]:
    """The words a suggestion (``SkillSuggestion``) came from, for a page: a skill of the occupation a thin text's
    title names shows that occupation, in the reader's language, once (its badge says "from the occupation")."""
    if item.via != "occupation":
        return list(item.evidence)
    korean = request_language(request) == "ko" and bool(item.occupation_ko)
    return [item.occupation_ko if korean else item.occupation]
