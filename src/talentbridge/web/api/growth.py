"""A talent's skill gap and growth path over the API:

* ``GET /api/talents/{id}/gap?kind=occupation&target=데이터 분석가&lang=ko``
* ``GET /api/talents/{id}/growth-path?kind=skills&target=python:3, pytorch:2``

``kind`` is ``opening`` (its id), ``occupation`` (its id, or its Korean or English name) or ``skills``
(``skill:level`` separated by commas). The gap lists every requirement met, partly met (through related skills)
or missing with its explanation in ``lang``; the path adds the catalogue's courses that close it (the planner,
fewest hours) with totals and what no course teaches. Access: ``recommendation``/``read`` on the talent (the talent
themself, operators, auditors), like the talent's recommendations.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from talentbridge.services.growth_paths import growth_report
from talentbridge.web.deps import SessionDep
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["upskilling"])

_KIND = Query(description="opening (id), occupation (id or KO/EN name) or skills ('python:3, sql').")
_TARGET = Query(min_length=1, max_length=500, description="The target: opening id, occupation, or skills.")
_LANG = Query("ko", description="Language of labels and explanations.")


class Target(BaseModel):
    kind: str
    ref: str
    label: str


class GapItem(BaseModel):
    skill_id: str
    label: str
    importance: str
    weight: float
    level: int
    status: Literal["met", "partly_met", "missing"]
    credit: float
    explanation: str
    model_config = {"extra": "allow"}


class Gap(BaseModel):
    coverage: float
    counts: dict[str, int]
    items: list[GapItem]


class PathCourse(BaseModel):
    order: int
    course_id: int
    title: str
    provider: str
    hours: float
    fee: int
    teaches: list[dict[str, Any]]
    progress: str | None = None


class Path(BaseModel):
    status: str
    courses: list[PathCourse]
    total: dict[str, float]
    unreachable: list[str]


class GapOut(BaseModel):
    talent_id: int
    target: Target
    gap: Gap


class GrowthPathOut(GapOut):
    path: Path


def _report(request: Request, session: Any, talent_id: int, kind: str, target: str, lang: str, path: bool) -> Any:
    from talentbridge.services.registry import registry

    registry(session).talents.get(talent_id)  # 404 for an unknown talent
    policy_of(request).check(request, "recommendation", "read", {"talent_id": talent_id})
    return growth_report(session, talent_id, kind, target.strip(), lang, with_path=path)


@router.get("/talents/{talent_id}/gap", summary="A talent's skill gap against a target", response_model=GapOut)
def talent_gap(
    talent_id: int, request: Request, session: SessionDep,
    kind: Literal["opening", "occupation", "skills"] = _KIND, target: str = _TARGET,
    lang: Literal["ko", "en"] = _LANG,
) -> Any:  # fmt: skip
    return _report(request, session, talent_id, kind, target, lang, path=False)


@router.get(
    "/talents/{talent_id}/growth-path", summary="A talent's gap and the courses that close it",
    response_model=GrowthPathOut,
)  # fmt: skip
def talent_growth_path(
    talent_id: int, request: Request, session: SessionDep,
    kind: Literal["opening", "occupation", "skills"] = _KIND, target: str = _TARGET,
    lang: Literal["ko", "en"] = _LANG,
) -> Any:  # fmt: skip
    return _report(request, session, talent_id, kind, target, lang, path=True)
