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
    top: int = Field(10, ge=1, le=200, description="Skills per text.")


class SkillOut(BaseModel):
    uri: str = Field(..., description="ESCO URI when the skill is (linked to) an ESCO concept, else our own URN.")
    label: str
    score: float = Field(..., ge=0, le=1)
    spans: list[list[int]] = Field(..., description="[start, end) character offsets in the text.")
    via: str = Field(..., description="alias (a label occurs in the text) or semantic (embedding similarity).")


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
