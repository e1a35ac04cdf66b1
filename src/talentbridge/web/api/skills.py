"""``POST /api/skills/extract`` and ``POST /api/skills/normalize-titles``.

The extractor and normalizer come from ``services.skill_extraction`` (built once per settings, taxonomy label
embeddings cached on disk). Texts over ``max_text_chars`` give 413 problem+json; empty texts give empty results.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from talentbridge.config import Settings
from talentbridge.domain.errors import InputTooLarge
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(prefix="/api/skills", tags=["skills"])

MAX_ITEMS = 1000


def _settings(request: Request) -> Settings:
    settings = getattr(request.app.state, "settings", None)
    if settings is None:
        from talentbridge.config import get_settings

        settings = get_settings()
    return settings


SettingsDep = Annotated[Settings, Depends(_settings)]


class ExtractRequest(BaseModel):
    texts: list[str] = Field(..., description="Texts (résumés, job ads, sentences), Korean or English.")
    top: int = Field(
        10,
        ge=1,
        le=200,
        description="Skills per text. Every skill the text names outright (via explicit) is returned even "
        "beyond this number; it bounds only the inferred ones that follow.",
    )


class SkillOut(BaseModel):
    uri: str = Field(..., description="ESCO URI when the skill is (linked to) an ESCO concept, else our own URN.")
    label: str
    score: float = Field(..., ge=0, le=1)
    spans: list[list[int]] = Field(..., description="[start, end) character offsets in the text.")
    via: str = Field(
        ...,
        description="explicit (a label or alias of the skill occurs in the text; ranked first) or semantic "
        "(inferred by embedding similarity).",
    )


class ExtractResult(BaseModel):
    row: int
    skills: list[SkillOut]


class ExtractResponse(BaseModel):
    results: list[ExtractResult]


class TitlesRequest(BaseModel):
    titles: list[str] = Field(..., description="Free-text job titles, Korean or English.")
    top: int = Field(5, ge=1, le=100, description="Occupations per title.")


class OccupationOut(BaseModel):
    rank: int
    occupation_uri: str
    label: str
    score: float = Field(..., ge=0, le=1)
    matched_label: str = Field(
        "", description="The occupation's label (preferred or alternative) closest to the title: what it matched on."
    )


class TitleResult(BaseModel):
    row: int
    occupations: list[OccupationOut]


class TitlesResponse(BaseModel):
    results: list[TitleResult]


def _check_count(n: int) -> None:
    if n > MAX_ITEMS:
        raise InputTooLarge(
            f"{n} items in one request; the limit is {MAX_ITEMS}: send smaller batches", limit=MAX_ITEMS
        )


def _ready_services(settings):  # type: ignore[no-untyped-def]
    """The skill services, or 503 ``warming_up`` while the server's warm-up is still loading them."""
    from talentbridge.domain.errors import WarmingUp
    from talentbridge.services.skill_extraction import ready_skill_services

    services = ready_skill_services(settings)
    if services is None:
        raise WarmingUp("the skill models are still loading after a restart; retry in a moment", retry_after=5)
    return services


@router.post("/extract", response_model=ExtractResponse, summary="Extract ranked skills from texts")
def extract(body: ExtractRequest, settings: SettingsDep, request: Request) -> ExtractResponse:
    policy_of(request).check(request, "skills", "read")
    _check_count(len(body.texts))
    services = _ready_services(settings)
    ranked = services.extractor.extract_many(body.texts, top=body.top)
    return ExtractResponse(
        results=[
            ExtractResult(row=i, skills=[SkillOut(**s.as_dict()) for s in skills])  # type: ignore[arg-type]
            for i, skills in enumerate(ranked)
        ]
    )


class SuggestRequest(BaseModel):
    text: str = Field("", description="A résumé or a job ad, Korean, English or mixed.")
    title: str = Field(
        "",
        max_length=200,
        description="The opening's title or the talent's desired role: its occupation's skills are added when "
        "the text is thin (a bare title, a title and a line).",
    )
    for_opening: bool = Field(False, description="Suggest opening requirements: each gets a default importance.")


class SuggestionOut(BaseModel):
    skill_id: str
    uri: str
    label: str
    score: float = Field(..., ge=0, le=1)
    via: str = Field(..., description="explicit (named in the text), semantic (inferred) or occupation.")
    spans: list[list[int]] = Field(..., description="[start, end) character offsets of the mentions in the text.")
    evidence: list[str] = Field(
        ...,
        description="The text at the spans (an inferred skill's: the line it was read from), or the occupation's label.",
    )
    importance: str = Field(..., description="Default importance for an opening: must only when the text says so.")
    reason: str = Field(..., description="The cue that made it must-have (필수, required, ...), or the occupation.")
    occupation: str = Field("", description="For via occupation: the occupation's label.")


class SuggestResponse(BaseModel):
    suggestions: list[SuggestionOut]


@router.post(
    "/suggest",
    response_model=SuggestResponse,
    summary="Skill suggestions for a text: every explicit mention, then the best inferred ones",
)
def suggest(body: SuggestRequest, settings: SettingsDep, request: Request) -> SuggestResponse:
    from talentbridge.services.skill_suggestions import suggest_skills

    policy_of(request).check(request, "skills", "read")
    services = _ready_services(settings)  # 503 "warming up" while the server builds them, never a wait
    found = suggest_skills(services, body.text, title=body.title, for_opening=body.for_opening)
    return SuggestResponse(suggestions=[SuggestionOut(**s.as_dict()) for s in found])


@router.post("/normalize-titles", response_model=TitlesResponse, summary="Map job titles to occupations")
def normalize_titles(body: TitlesRequest, settings: SettingsDep, request: Request) -> TitlesResponse:
    policy_of(request).check(request, "skills", "read")
    _check_count(len(body.titles))
    services = _ready_services(settings)
    ranked = services.normalizer.normalize(body.titles, top=body.top)
    return TitlesResponse(
        results=[
            TitleResult(
                row=i,
                occupations=[
                    OccupationOut(
                        rank=r,
                        occupation_uri=m.uri,
                        label=m.label,
                        score=round(m.score, 4),
                        matched_label=m.matched_label,
                    )
                    for r, m in enumerate(matches, start=1)
                ],
            )
            for i, matches in enumerate(ranked)
        ]
    )
