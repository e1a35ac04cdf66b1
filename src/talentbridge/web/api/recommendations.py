"""Recommendations and their fairness audit:

* ``GET /api/openings/{id}/recommendations?top=20&region=seoul&nationality=foreign&min_score=50&method=ann``
* ``GET /api/talents/{id}/recommendations?top=20&kind=job&region=busan&remote=true&organization_id=3``
* ``GET /api/audit/recommendations?top=20&limit=1000``

Each item has the score (0-100), its breakdown per criterion and an explanation (matched, partial and missing
skills with the taxonomy relation, reasons in English and Korean); the opening endpoint also says how many
people each hard constraint excluded. ``text`` says whether profile and opening texts were compared (the
``text`` criterion: encoder model, or why not), and each explanation's ``breakdown.text.detail.status`` says it per
item (``compared``, ``no_talent_text``, ``pending`` ...). Access: ``recommendation``/``read`` on the opening's organization or the
talent themself; the audit needs ``audit``/``read``. Every talent in a list is one the caller may read, and every
list writes an audit row per talent shown to someone other than that talent (``SHOWN_FIELDS`` and, with
explanations, ``EXPLAINED_FIELDS``), as the pages do. Every list carries ``ai_notice`` (the AI notice in Korean
and English, the AI Basic Act record it is kept under, where to ask for a human review: ``web/ai_notice.py``).

``install(app)`` (listed in ``web/app.py`` ``APP_HOOKS``) adds the registry save hooks: skills inferred from text
for talents and openings that arrive without any, and the talent index updated after a talent is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from talentbridge.config import Settings
from talentbridge.domain import Talent
from talentbridge.domain.enums import OpeningKind, Region
from talentbridge.domain.errors import PermissionDenied
from talentbridge.services import recommend_cache
from talentbridge.services.recommend_batch import BatchRecommendService
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.recommendations import OpeningFilters, RecommendationService, TalentFilters
from talentbridge.services.talent_index import API_SYNC_INTERVAL, TalentIndexService
from talentbridge.services.transactions import SessionSource
from talentbridge.web import ai_notice
from talentbridge.web.auth import resolve_user
from talentbridge.web.deps import DatabaseDep, SessionDep, SettingsDep, request_transaction
from talentbridge.web.json_body import list_response
from talentbridge.web.policy import policy_of

__all__ = ["router", "install"]

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["recommendations"])

_TOP = Query(20, ge=1, le=200, description="How many recommendations.")


async def _one_hand_off(
    request: Request, database: SessionSource, work: Callable[[Session], dict[str, Any]]
) -> Response:
    """Run ``work`` in the request's transaction (``deps.request_transaction``: committed, audit rows and AI
    records written, before the response) in one worker thread, and answer its result as JSON
    (``json_body.list_response``: the items' encodings are kept). The bearer token is looked up here too. A sync
    endpoint with a session dependency and a ``dict`` return value handed off to a thread four times per request
    (token, session, endpoint, response check) and encoded every list anew; these two are the API's most called."""

    def run() -> dict[str, Any]:
        with request_transaction(request, database) as session:
            resolve_user(request, session)  # the bearer token, in this thread and transaction (DEFERRED_TOKEN_PATHS)
            return work(session)

    return list_response(await run_in_threadpool(run))


def _index(settings: Settings, session: Session) -> tuple[MatchingContext, TalentIndexService]:
    """The request's matching context and talent index (compared with the database at most every few seconds)."""
    ctx = MatchingContext(settings, session)
    index = TalentIndexService(ctx)
    index.sync_interval = API_SYNC_INTERVAL
    return ctx, index


@router.get("/openings/{opening_id}/recommendations", summary="Talents recommended for an opening",
            response_class=JSONResponse)  # fmt: skip
async def talents_for_opening(
    opening_id: int,
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    top: int = _TOP,
    region: list[Region] = Query([], description="Only talents living in these regions (repeat for several)."),
    nationality: Literal["korean", "foreign"] | None = Query(None, description="Only Korean or foreign talents."),
    min_score: float = Query(0.0, ge=0, le=100, description="Only scores at least this."),
    method: Literal["ann", "exact"] = Query("ann", description="ann (index + exact re-scoring) or exact."),
    explain: bool = Query(True, description="Include explanations."),
    program_id: int | None = Query(None, description="Use this programme's fit weights (settings.fit_weights)."),
) -> Response:
    filters = TalentFilters(regions=tuple(region), nationality=nationality, min_score=min_score)

    def work(session: Session) -> dict[str, Any]:
        return _talents_for_opening(request, session, settings, opening_id, top, filters, method, explain, program_id)

    return await _one_hand_off(request, database, work)


def _talents_for_opening(
    request: Request,
    session: Session,
    settings: Settings,
    opening_id: int,
    top: int,
    filters: TalentFilters,
    method: str,
    explain: bool,
    program_id: int | None,
) -> dict[str, Any]:
    ctx, index = _index(settings, session)
    service = RecommendationService(ctx, index)
    version = service.opening_list_version(opening_id)
    opening = service.opening_record(opening_id, version)  # NotFound first; kept under the openings' counter
    policy_of(request).check(request, "opening", "read", opening)  # a draft the caller may not see is a 404
    policy_of(request).check(request, "recommendation", "read", {"organization_id": opening.organization_id})
    result, talents = service.talents_for_opening_cached(
        opening_id,
        top,
        filters,
        version=version,
        method=method,
        explain=explain,
        program_settings=ctx.program_settings(program_id),
    )
    shown = _shown_talents(request, result, talents, explain)
    key = ai_notice.shown(
        request, session, shown, f"api:/api/openings/{opening_id}/recommendations", taxonomy_version=_taxonomy(version)
    )
    return {**shown, "ai_notice": ai_notice.api_notice(key)}


@router.get("/talents/{talent_id}/recommendations", summary="Openings recommended for a talent",
            response_class=JSONResponse)  # fmt: skip
async def openings_for_talent(
    talent_id: int,
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    top: int = _TOP,
    kind: list[OpeningKind] = Query([], description="Only these opening kinds (repeat for several)."),
    region: list[Region] = Query([], description="Only openings in these regions (remote ones always pass)."),
    remote: bool | None = Query(None, description="Only remote (true) or on-site (false) openings."),
    organization_id: int | None = Query(None, description="Only openings of this organization."),
    min_score: float = Query(0.0, ge=0, le=100),
    explain: bool = Query(True),
    program_id: int | None = Query(None, description="Use this programme's fit weights (settings.fit_weights)."),
) -> Response:
    filters = OpeningFilters(
        kinds=tuple(kind),
        regions=tuple(region),
        remote=remote,
        organization_id=organization_id,
        min_score=min_score,
    )

    def work(session: Session) -> dict[str, Any]:
        return _openings_for_talent(request, session, settings, talent_id, top, filters, explain, program_id)

    return await _one_hand_off(request, database, work)


def _openings_for_talent(
    request: Request,
    session: Session,
    settings: Settings,
    talent_id: int,
    top: int,
    filters: OpeningFilters,
    explain: bool,
    program_id: int | None,
) -> dict[str, Any]:
    ctx, index = _index(settings, session)
    service = RecommendationService(ctx, index)
    version = service.talent_list_version(talent_id)
    if version is None or not version.subject_found:
        ctx.repos.talents.get(talent_id)  # 404 before the access check says anything
    policy_of(request).check(request, "recommendation", "read", {"talent_id": talent_id})
    result = service.openings_for_talent_cached(
        talent_id, top, filters, version=version, explain=explain, program_settings=ctx.program_settings(program_id)
    )
    # Scores and explanations are drawn from the talent's profile: a view of it by anyone else is logged.
    policy_of(request).record_view(request, "talent", talent_id, _fields_behind(explain))
    key = ai_notice.shown(
        request, session, result, f"api:/api/talents/{talent_id}/recommendations", taxonomy_version=_taxonomy(version)
    )
    return {**result, "ai_notice": ai_notice.api_notice(key)}


@router.get("/audit/recommendations", summary="Fairness audit of top-K shortlists (impact ratios)")
def audit_recommendations(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    top: int = _TOP,
    limit: int = Query(1000, ge=1, le=100_000, description="Open openings audited (oldest first)."),
) -> dict[str, Any]:
    policy_of(request).check(request, "audit", "read")
    ctx, index = _index(settings, session)
    return BatchRecommendService(ctx, index).audit(top, limit)


# -- personal data shown ---------------------------------------------------------------------------------------

#: Fields of a talent a recommendation item shows or is computed from (its breakdown and explanation).
SHOWN_FIELDS = ["category", "region"]
EXPLAINED_FIELDS = ["available_from", "education", "salary_expectation", "skills", "work_history"]


def _fields_behind(explain: bool) -> list[str]:
    return SHOWN_FIELDS + (EXPLAINED_FIELDS if explain else [])


def _taxonomy(version: recommend_cache.DataVersion | None) -> Any:
    """The taxonomy version for the AI record: read with the data version (no query of its own)."""
    return ... if version is None else version.taxonomy_version


def _shown_talents(
    request: Request, result: dict[str, Any], talents: dict[int, Talent], explain: bool
) -> dict[str, Any]:
    """Only talents the caller may see (``talents``: the records of the list's items), each view written to the
    audit log like the pages do. ``result`` may be shared (cached): it is copied, never changed."""
    policy = policy_of(request)
    shown = []
    for item in result["items"]:
        talent = talents.get(item["talent_id"])
        if talent is None:
            continue
        try:
            policy.check(request, "talent", "read", talent)
        except PermissionDenied:
            continue
        policy.record_view(request, "talent", talent.id, _fields_behind(explain))
        shown.append(item if item.get("rank") == len(shown) + 1 else {**item, "rank": len(shown) + 1})
    return {**result, "items": shown}


# -- save hooks ---------------------------------------------------------------------------------------------------


def _after_save(request: Request, entity: str, item: Any) -> None:
    if entity != "talent":
        return
    try:
        from talentbridge.services.talent_index import on_talent_changed

        with request.app.state.database.session() as session:
            on_talent_changed(request.app.state.settings, session, item)
    except Exception:  # noqa: BLE001 - the index catches up on the next recommendation anyway
        log.exception("could not update the talent index after saving talent %s", getattr(item, "id", "?"))


def install(app: FastAPI) -> None:
    """Register the registry save hooks (idempotent)."""
    from talentbridge.services.inference import before_save_hook

    before = getattr(app.state, "before_save_hooks", None)
    if before is None:
        before = app.state.before_save_hooks = []
    if before_save_hook not in before:
        before.append(before_save_hook)
    after = getattr(app.state, "after_save_hooks", None)
    if after is None:
        after = app.state.after_save_hooks = []
    if _after_save not in after:
        after.append(_after_save)
