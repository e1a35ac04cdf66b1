"""AI Basic Act pages: a person asks for a human review of an AI result and reads the answer (``/ai/reviews``);
operators answer the requests (``/operator/ai/reviews``), browse the AI run records and generate and keep the
documentation packs (``/operator/ai``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, Response

from talentbridge.domain.errors import ValidationFailed
from talentbridge.services import ai_records, ai_reviews
from talentbridge.web.deps import DatabaseDep, SessionDep, SettingsDep
from talentbridge.web.pages.after_save import saved_redirect
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render

__all__ = ["router", "requester_of"]

router = APIRouter(include_in_schema=False)
_askers = [Depends(require_roles("talent", "org_member"))]
_staff = [Depends(require_roles("operator", "auditor"))]
_operator = [Depends(require_roles("operator"))]
PAGE_SIZE = 50


def requester_of(request: Request) -> ai_reviews.Requester:
    user = request.state.user
    return ai_reviews.Requester(
        user_id=user.id,
        role=user.role.value,
        label=f"{user.name} <{user.email}>",
        talent_id=user.talent_id,
        organization_id=user.organization_id,
    )


def _errors(request: Request, exc: Exception) -> list[str]:
    from talentbridge.web.pages.error_pages import form_errors

    return form_errors(request, exc)


# -- asking ------------------------------------------------------------------------------------------------------
@router.get("/ai/reviews/new", dependencies=_askers)
def new_review(
    request: Request,
    session: SessionDep,
    record: Annotated[str, Query(max_length=32)] = "",
    subject: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    about = None
    if record:
        try:
            about = ai_records.get_run(session, record)
        except Exception:  # noqa: BLE001 - an unknown reference is reported when the form is sent
            about = None
    return render(request, "ai/review_new.html", record=record, subject=subject, about=about, errors=[], reason="")


@router.post("/ai/reviews", dependencies=_askers)
def send_review(
    request: Request,
    session: SessionDep,
    reason: Annotated[str, Form(max_length=4000)] = "",
    record: Annotated[str, Form(max_length=32)] = "",
    subject: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    try:
        ai_reviews.request_review(session, requester_of(request), reason=reason, record=record or None,
                                  subject=subject or None)  # fmt: skip
    except ValidationFailed as exc:
        return render(request, "ai/review_new.html", status_code=422, record=record, subject=subject, about=None,
                      errors=_errors(request, exc), reason=reason)  # fmt: skip
    return saved_redirect(request, session, "/ai/reviews?sent=1")


@router.get("/ai/reviews", dependencies=_askers)
def my_reviews(request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    items, total = ai_reviews.list_reviews(session, requester_of(request), page=page, size=PAGE_SIZE)
    return render(request, "ai/reviews.html", items=items, total=total, page=page, size=PAGE_SIZE,
                  sent=request.query_params.get("sent"))  # fmt: skip


# -- operators ---------------------------------------------------------------------------------------------------
@router.get("/operator/ai/reviews", dependencies=_staff)
def operator_reviews(
    request: Request,
    session: SessionDep,
    status: Annotated[str, Query(pattern="^(|open|answered)$")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    items, total = ai_reviews.list_reviews(session, requester_of(request), status=status or None, page=page,
                                           size=PAGE_SIZE)  # fmt: skip
    return render(request, "operator/ai_reviews.html", items=items, total=total, page=page, size=PAGE_SIZE,
                  status=status, errors=[], answered=request.query_params.get("answered"))  # fmt: skip


@router.post("/operator/ai/reviews/{review_id}/answer", dependencies=_operator)
def answer(
    request: Request, session: SessionDep, review_id: int, answer: Annotated[str, Form(max_length=4000)] = ""
) -> Response:
    try:
        ai_reviews.answer_review(session, review_id, answer, requester_of(request))
    except ValidationFailed as exc:
        items, total = ai_reviews.list_reviews(session, requester_of(request), page=1, size=PAGE_SIZE)
        return render(request, "operator/ai_reviews.html", status_code=422, items=items, total=total, page=1,
                      size=PAGE_SIZE, status="", errors=_errors(request, exc), answered=None)  # fmt: skip
    from talentbridge.web.auth import audit

    audit(request, "ai_review.answered", "ai_review", review_id)
    return saved_redirect(request, session, "/operator/ai/reviews?answered=1")


@router.get("/operator/ai", dependencies=_staff)
def records_page(
    request: Request,
    session: SessionDep,
    kind: Annotated[str, Query(max_length=30)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    from talentbridge.services import ai_pack

    kind = kind if kind in ai_records.KINDS else ""
    items, total = ai_records.list_runs(session, kind=kind or None, page=page, size=PAGE_SIZE)
    return render(
        request,
        "operator/ai_records.html",
        items=items,
        total=total,
        page=page,
        size=PAGE_SIZE,
        kind=kind,
        kinds=ai_records.KINDS,
        counts=ai_records.counts_by_kind(session),
        packs=ai_pack.list_packs(session),
        open_reviews=ai_reviews.list_reviews(session, requester_of(request), status="open", size=1)[1],
        errors=[],
        made=request.query_params.get("made"),
    )


@router.get("/operator/ai/records/{key}", dependencies=_staff)
def record_page(request: Request, session: SessionDep, key: str) -> Response:
    return render(request, "operator/ai_record.html", record=ai_records.get_run(session, key))


@router.post("/operator/ai/packs", dependencies=_operator)
def make_pack(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    round_id: Annotated[str, Form(max_length=12)] = "",
    period: Annotated[str, Form(max_length=20)] = "",
    nonce: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start the pack as a background job (``ai-pack``) and show its page: a progress bar, then the files. The
    form's nonce makes the job's key: a double-clicked button is one job, a new visit of the page a new pack.
    (No request session: the job is recorded in its own transaction, which a request's open write would block.)"""
    import secrets

    from talentbridge.services import ai_pack
    from talentbridge.services.job_queue import submit_job
    from talentbridge.services.jobs import params_key
    from talentbridge.services.rounds import RoundService

    params: dict[str, Any] = {}
    if round_id.strip().isdigit():
        params["round_id"] = int(round_id)
    if period.strip():
        params["period"] = period.strip()
    try:
        if period.strip():
            ai_pack.period_bounds(period)  # a bad period is answered on the page, not by a failed job
        if "round_id" in params:
            with database.session() as session:
                RoundService(session).get(params["round_id"])
        user = requester_of(request)
        key = params_key("ai-pack", {**params, "nonce": nonce.strip() or secrets.token_hex(8)})
        job, _ = submit_job(database, settings, "ai-pack", params, key=key, started_by=user.user_id,
                            started_by_label=user.label)  # fmt: skip
    except ValidationFailed as exc:
        with database.session() as session:
            items, total = ai_records.list_runs(session, page=1, size=PAGE_SIZE)
            return render(request, "operator/ai_records.html", status_code=422, items=items, total=total, page=1,
                          size=PAGE_SIZE, kind="", kinds=ai_records.KINDS, counts=ai_records.counts_by_kind(session),
                          packs=ai_pack.list_packs(session), open_reviews=0, errors=_errors(request, exc),
                          made=None)  # fmt: skip
    from talentbridge.web.auth import audit

    audit(request, "start", "job", job.id, kind="ai-pack", round_id=params.get("round_id"),
          period=params.get("period"))  # fmt: skip
    return redirect(f"/jobs/{job.id}")


@router.get("/operator/ai/packs/{pack_id}/{name}", dependencies=_staff)
def pack_file(request: Request, session: SessionDep, pack_id: int, name: str) -> Response:
    from talentbridge.services import ai_pack

    path, media = ai_pack.pack_file(session, pack_id, name)
    return FileResponse(path, media_type=media, filename=path.name)
