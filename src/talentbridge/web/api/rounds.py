"""The round workflow API under /api/rounds/{id}/...: openings and participants, opening and closing
submission, ranked lists of both sides, generated organization rankings, runs, review, publication and
reproduction.

The round itself (create, read, update, delete, list) is the registry's generic CRUD at /api/rounds and
/api/rounds/{id}. Every route asks the access policy (``round`` with read, update, submit_preferences, run or
publish); state and input errors are TalentBridgeErrors, so clients get problem+json (409 for a wrong state,
422 listing every bad entry, 404 for unknown ids).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from talentbridge.domain.round_records import RankedList, RoundOpening, RoundParticipant
from talentbridge.services.rounds import RoundService, run_summary
from talentbridge.web.deps import SessionDep
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(prefix="/api/rounds", tags=["rounds"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpeningAttach(_Body):
    opening_id: int
    seats: int | None = Field(None, ge=1, le=10_000, description="Seats in this round (default: the opening's).")


class ParticipantAdd(_Body):
    talent_id: int
    employer_id: int | None = Field(None, description="For secondment rules (default: the current employer).")


class RoundOpen(_Body):
    preference_deadline: datetime | None = Field(
        None,
        description="Last moment to submit lists (ISO 8601 with offset, e.g. 2027-03-01T18:00:00+09:00).",
    )


class TalentRanking(_Body):
    ranking: list[int] = Field(description="Opening ids, best first.")


class OpeningRanking(_Body):
    ranking: list[int | list[int]] = Field(description="Talent ids, best first; an inner list is a tie.")


class RankingGeneration(_Body):
    opening_ids: list[int] | None = Field(None, description="Openings to rank (default: all of the round's).")
    scope: Literal["applicants", "all"] = Field(
        "applicants", description="Rank the talents who listed the opening, or every participant."
    )
    overwrite: bool = Field(False, description="Also replace lists that organizations submitted or edited.")
    min_score: float | None = Field(None, ge=0, le=100, description="Leave out talents below this fit score.")
    edit: dict[int, list[int | list[int]]] | None = Field(
        None, description="Opening id → edited ranking saved over the generated one."
    )


class RunRequest(_Body):
    mechanism: Literal["da", "flexible-da", "max-welfare"] | None = Field(None, description="Default: the round's.")
    proposing: Literal["applicants", "programs"] | None = Field(None, description="Default: the round's.")
    seed: int | None = Field(None, ge=0, description="Lottery seed for ties (default: the round's).")


class PublishRequest(_Body):
    run_id: int
    published_by: str | None = Field(
        None, max_length=200, description="Who approves (default: the signed-in user; required without one)."
    )


def _actor(request: Request) -> str | None:
    user = getattr(request.state, "user", None)
    if user is None:
        return None
    name, email = getattr(user, "name", None), getattr(user, "email", None)
    text = f"{name} <{email}>" if name and email else (name or email)
    return None if text is None else str(text)[:200]


def _service(session: Any) -> RoundService:
    return RoundService(session)


def _check(request: Request, svc: RoundService, round_id: int, action: str, **extra: Any) -> None:
    """Ask the policy about ``action`` on the round; ``extra`` (talent_id, opening_id, organization_id) tells
    it whose list is submitted."""
    rnd = svc.get(round_id)
    item: Any = {**rnd.model_dump(mode="json"), **extra} if extra else rnd
    policy_of(request).check(request, "round", action, item)


def _opening(o: RoundOpening) -> dict[str, Any]:
    return {
        "opening_id": o.opening_id,
        "seats": o.seats,
        "region": o.region,
        "added_at": o.added_at.isoformat() if o.added_at else None,
    }


def _participant(p: RoundParticipant) -> dict[str, Any]:
    return {
        "talent_id": p.talent_id,
        "employer_id": p.employer_id,
        "added_at": p.added_at.isoformat() if p.added_at else None,
    }


def _ranked(r: RankedList) -> dict[str, Any]:
    return {
        "side": r.side,
        "owner_id": r.owner_id,
        "ranking": r.ranking,
        "source": r.source,
        "submitted_at": r.submitted_at.isoformat(),
        "submitted_by": r.submitted_by,
        "scores": r.scores,
        "scorer": r.scorer,
    }


# -- openings and participants -------------------------------------------------------------------------------


@router.get("/{round_id}/openings", summary="Openings attached to a round")
def list_openings(round_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "read")
    return {"items": [_opening(o) for o in svc.openings(round_id)]}


@router.post("/{round_id}/openings", status_code=201, summary="Attach an opening with its seats")
def attach_opening(round_id: int, body: OpeningAttach, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    return _opening(svc.attach_opening(round_id, body.opening_id, body.seats))


@router.delete("/{round_id}/openings/{opening_id}", status_code=204, summary="Detach an opening")
def detach_opening(round_id: int, opening_id: int, request: Request, session: SessionDep) -> Response:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    svc.detach_opening(round_id, opening_id)
    return Response(status_code=204)


@router.get("/{round_id}/participants", summary="Participants of a round")
def list_participants(round_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "review")
    return {"items": [_participant(p) for p in svc.participants(round_id)]}


@router.post("/{round_id}/participants", status_code=201, summary="Add a participant")
def add_participant(round_id: int, body: ParticipantAdd, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    return _participant(svc.add_participant(round_id, body.talent_id, body.employer_id))


@router.delete("/{round_id}/participants/{talent_id}", status_code=204, summary="Remove a participant")
def remove_participant(round_id: int, talent_id: int, request: Request, session: SessionDep) -> Response:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    svc.remove_participant(round_id, talent_id)
    return Response(status_code=204)


# -- submission ----------------------------------------------------------------------------------------------


@router.post("/{round_id}/open", summary="Open preference submission (draft → collecting)")
def open_round(round_id: int, request: Request, session: SessionDep, body: RoundOpen | None = None) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    return svc.open(round_id, body.preference_deadline if body else None).model_dump(mode="json")


@router.post("/{round_id}/close", summary="Close preference submission (collecting → closed)")
def close_round(round_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    return svc.close(round_id).model_dump(mode="json")


@router.get("/{round_id}/preferences", summary="Ranked lists of a round")
def list_preferences(
    round_id: int, request: Request, session: SessionDep, side: Literal["talent", "opening"] | None = None
) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "review")
    return {"items": [_ranked(r) for r in svc.preferences(round_id, side)], "ai_notice": _notice(round_id)}


@router.put("/{round_id}/preferences/talents/{talent_id}", summary="A talent's ranked openings")
def put_talent_preferences(
    round_id: int, talent_id: int, body: TalentRanking, request: Request, session: SessionDep
) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "submit_preferences", talent_id=talent_id)
    return _ranked(svc.submit_talent_preferences(round_id, talent_id, body.ranking, _actor(request)))


@router.put("/{round_id}/preferences/openings/{opening_id}", summary="An opening's ranked talents")
def put_opening_preferences(
    round_id: int, opening_id: int, body: OpeningRanking, request: Request, session: SessionDep
) -> dict[str, Any]:
    svc = _service(session)
    organization_id = svc.repos.openings.get(opening_id).organization_id
    _check(request, svc, round_id, "submit_preferences", opening_id=opening_id, organization_id=organization_id)
    return _ranked(svc.submit_opening_preferences(round_id, opening_id, body.ranking, _actor(request)))


@router.post("/{round_id}/rankings/generate", summary="Rank talents for openings by fit score")
def generate_rankings(
    round_id: int, request: Request, session: SessionDep, body: RankingGeneration | None = None
) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "update")
    body = body or RankingGeneration()
    result = svc.generate_organization_rankings(
        round_id,
        opening_ids=body.opening_ids,
        scope=body.scope,
        overwrite=body.overwrite,
        min_score=body.min_score,
        edit=body.edit,
        actor=_actor(request),
    )
    return {**result, "ai_notice": _notice(round_id)}


# -- runs ----------------------------------------------------------------------------------------------------


@router.post("/{round_id}/run", status_code=201, summary="Run the match and store the run")
def run_round(round_id: int, request: Request, session: SessionDep, body: RunRequest | None = None) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "run")
    body = body or RunRequest()
    run = svc.run(round_id, body.mechanism, body.proposing, body.seed, _actor(request) or "api")
    return {**svc.run_detail(run), "ai_notice": _notice(round_id)}


@router.get("/{round_id}/runs", summary="Runs of a round (summaries)")
def list_runs(round_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "review")
    return {"items": [run_summary(r) for r in svc.runs(round_id)]}


@router.get("/{round_id}/runs/{run_id}", summary="One run: diagnostics and assignments")
def get_run(
    round_id: int, run_id: int, request: Request, session: SessionDep, include_instance: bool = False
) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "review")
    run = svc.get_run(round_id, run_id)
    detail = svc.run_detail(run)
    if include_instance:
        detail["instance"] = run.instance
    return {**detail, "ai_notice": _notice(round_id)}


@router.post("/{round_id}/runs/{run_id}/reproduce", summary="Re-solve a stored run and compare the results")
def reproduce_run(round_id: int, run_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "run")
    svc.get_run(round_id, run_id)
    return svc.reproduce(run_id)


@router.get("/{round_id}/review", summary="Everything an operator reviews before publishing")
def review_round(round_id: int, request: Request, session: SessionDep, run_id: int | None = None) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "review")
    return svc.review(round_id, run_id)


@router.post("/{round_id}/publish", summary="Approve a run: placements are created, the round is published")
def publish_round(round_id: int, body: PublishRequest, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "publish")
    actor = _actor(request) or body.published_by
    return {**svc.publish(round_id, body.run_id, actor or ""), "ai_notice": _notice(round_id)}


@router.get("/{round_id}/result", summary="The published result")
def get_result(round_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    svc = _service(session)
    _check(request, svc, round_id, "review")
    return {**svc.result(round_id), "ai_notice": _notice(round_id)}


def _notice(round_id: int) -> dict[str, Any]:
    """The AI notice of a response that holds AI rankings of people (generated lists, runs, results)."""
    from talentbridge.services.ai_records import notice

    return notice(None, f"round:{round_id}")
