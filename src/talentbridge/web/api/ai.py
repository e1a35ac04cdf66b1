"""AI Basic Act API: human review requests and answers, the AI run records and the documentation packs.

* ``POST /api/ai/reviews`` ``{"record": KEY | "subject": "round:3", "reason": "..."}`` — a talent or an
  organization member asks a person to review an AI result (every operator is notified);
* ``GET /api/ai/reviews[?status=open]`` — one's own requests with their answers (operators and auditors: all);
* ``POST /api/ai/reviews/{id}/answer`` ``{"answer": "..."}`` — an operator answers (the requester is notified);
* ``GET /api/ai/records[?kind=&round_id=]``, ``GET /api/ai/records/{key}`` — the records (operator, auditor);
* ``POST /api/ai/packs`` ``{"round_id": 3 | "period": "2026-H1"}``, ``GET /api/ai/packs`` — documentation packs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from talentbridge.domain.errors import PermissionDenied
from talentbridge.services import ai_records, ai_reviews
from talentbridge.web.auth import CurrentUser, audit
from talentbridge.web.deps import SessionDep, SettingsDep

__all__ = ["router"]

router = APIRouter(prefix="/api/ai", tags=["ai-act"])


class ReviewRequest(BaseModel):
    reason: str = Field(..., max_length=4000, description="What a person should look at again, and why.")
    record: str | None = Field(None, max_length=32, description="The AI record's key (``ai_notice.record``).")
    subject: str | None = Field(None, max_length=60, description="talent:ID, opening:ID, round:ID, round:ID:opening:ID")


class ReviewAnswer(BaseModel):
    answer: str = Field(..., max_length=4000)


class PackRequest(BaseModel):
    round_id: int | None = None
    period: str | None = Field(None, max_length=20, description="2026, 2026-H1, 2026-Q3 or 2026-05")


def _requester(user: Any) -> ai_reviews.Requester:
    return ai_reviews.Requester(
        user_id=user.id,
        role=user.role.value,
        label=f"{user.name} <{user.email}>",
        talent_id=user.talent_id,
        organization_id=user.organization_id,
    )


def _staff(user: Any, *, write: bool = False) -> None:
    allowed = ("operator",) if write else ("operator", "auditor")
    if user.role.value not in allowed:
        raise PermissionDenied(f"for: {', '.join(allowed)}")


@router.post("/reviews", status_code=201, summary="Ask a person to review an AI result")
def request_review(body: ReviewRequest, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return ai_reviews.request_review(session, _requester(user), reason=body.reason, record=body.record,
                                     subject=body.subject)  # fmt: skip


@router.get("/reviews", summary="Review requests (one's own; staff: all)")
def list_reviews(
    user: CurrentUser,
    session: SessionDep,
    status: str | None = Query(None, pattern="^(open|answered)$"),
    page: int = Query(1, ge=1, le=100_000),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    items, total = ai_reviews.list_reviews(session, _requester(user), status=status, page=page, size=size)
    return {"items": items, "total": total, "page": page, "size": size}


@router.get("/reviews/{review_id}", summary="One review request and its answer")
def get_review(review_id: int, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return ai_reviews.get_review(session, review_id, _requester(user))


@router.post("/reviews/{review_id}/answer", summary="Answer a review request (operator)")
def answer_review(
    review_id: int, body: ReviewAnswer, request: Request, user: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    _staff(user, write=True)
    out = ai_reviews.answer_review(session, review_id, body.answer, _requester(user))
    audit(request, "ai_review.answered", "ai_review", review_id)
    return out


@router.get("/records", summary="AI run records (newest first, without outputs)")
def list_records(
    user: CurrentUser,
    session: SessionDep,
    kind: str | None = Query(None, max_length=30),
    round_id: int | None = Query(None),
    page: int = Query(1, ge=1, le=100_000),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    _staff(user)
    items, total = ai_records.list_runs(session, kind=kind, round_id=round_id, page=page, size=size)
    return {"items": items, "total": total, "page": page, "size": size}


@router.get("/records/{key}", summary="One AI run record in full (weights, inputs, output)")
def get_record(key: str, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    _staff(user)
    return ai_records.get_run(session, key)


@router.post("/packs", status_code=201, summary="Generate and keep a documentation pack")
def make_pack(
    body: PackRequest, request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    _staff(user, write=True)
    from talentbridge.services import ai_pack

    pack = ai_pack.generate(session, settings, round_id=body.round_id, period=body.period,
                            actor=f"{user.name} <{user.email}>")  # fmt: skip
    audit(request, "ai_pack.generated", "ai_pack", pack["id"], round_id=body.round_id, period=body.period)
    return pack


@router.get("/packs", summary="Documentation packs kept")
def list_packs(user: CurrentUser, session: SessionDep, round_id: int | None = Query(None)) -> dict[str, Any]:
    _staff(user)
    from talentbridge.services import ai_pack

    return {"items": ai_pack.list_packs(session, round_id)}
