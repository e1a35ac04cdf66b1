"""Job pages: ``/jobs`` (operators and auditors: every job; others: the jobs they started) and ``/jobs/{id}`` with
a progress bar that refreshes itself while the job runs (a meta refresh: no script, no CDN); operators start
re-indexing, text encoding, batch recommendations, fairness audits, retention and AI skill inference for stored
records from the list, and cancel jobs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import NotAuthenticated, NotFound, PermissionDenied
from talentbridge.services.job_kinds import KINDS
from talentbridge.services.job_queue import submit_job
from talentbridge.services.jobs import STATUSES, JobService
from talentbridge.web.api.jobs import SEE_ALL, can_see, not_auditor
from talentbridge.web.auth import audit
from talentbridge.web.deps import DatabaseDep, SettingsDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render

__all__ = ["router", "kind_label"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 30
#: Jobs an operator starts from the list page (with the form's few parameters).
PAGE_KINDS = ("reindex", "encode-texts", "recommend-batch", "fairness-audit", "privacy-retention", "infer-skills")


def _user(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated("sign in first")
    return user


def _role(user: Any) -> str:
    return str(getattr(user.role, "value", user.role))


def kind_label(kind: str, lang: str) -> str:
    entry = KINDS.get(kind)
    if entry is None:
        return kind
    return entry[2] if lang == "ko" else entry[3]


@router.get("/jobs")
def jobs_page(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    status: Annotated[str | None, Query(max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    user = _user(request)
    status = status if status in STATUSES else None
    mine = None if _role(user) in SEE_ALL else user.id
    jobs, total = JobService(database, settings).list(status=status, started_by=mine, limit=PAGE_SIZE,
                                                      offset=(page - 1) * PAGE_SIZE)  # fmt: skip
    lang = request_language(request)
    running = any(not j.finished for j in jobs)
    return render(
        request, "jobs/list.html", jobs=jobs, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
        status=status, statuses=STATUSES, label=lambda k: kind_label(k, lang), refresh=running,
        can_start=_role(user) == "operator", page_kinds=[(k, kind_label(k, lang)) for k in PAGE_KINDS],
        broker=bool(settings.queue_url),
    )  # fmt: skip


@router.get("/jobs/{job_id}")
def job_page(job_id: int, request: Request, database: DatabaseDep, settings: SettingsDep) -> Response:
    user = _user(request)
    job = JobService(database, settings).get(job_id)
    if not can_see(user, job):
        raise NotFound("job", job_id)
    lang = request_language(request)
    return render(
        request, "jobs/detail.html", job=job, label=kind_label(job.kind, lang), error=job.error(lang),
        refresh=not job.finished, can_cancel=not job.finished and (_role(user) == "operator" or job.started_by == user.id),
    )  # fmt: skip


@router.post("/jobs", dependencies=[Depends(require_roles("operator"))])
def start_job(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    kind: Annotated[str, Form(max_length=40)],
    direction: Annotated[str, Form(max_length=40)] = "talents-for-opening",
    top: Annotated[int, Form(ge=1, le=1000)] = 20,
    refresh: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    user = _user(request)
    if kind not in PAGE_KINDS:
        raise NotFound("job kind", kind)
    params: dict[str, Any] = {}
    if kind == "recommend-batch":
        params = {"direction": direction, "top": top}
    elif kind == "fairness-audit":
        params = {"top": top}
    elif kind == "infer-skills":
        params = {"refresh": refresh in ("1", "on", "true")}
    job, _ = submit_job(database, settings, kind, params, started_by=user.id, started_by_label=user.email)
    audit(request, "start", "job", job.id, kind=kind)
    return redirect(f"/jobs/{job.id}")


@router.post("/jobs/{job_id}/cancel", dependencies=[Depends(not_auditor)])
def cancel_job(job_id: int, request: Request, database: DatabaseDep, settings: SettingsDep) -> Response:
    user = _user(request)
    svc = JobService(database, settings)
    job = svc.get(job_id)
    if not can_see(user, job):
        raise NotFound("job", job_id)
    if _role(user) != "operator" and job.started_by != user.id:
        raise PermissionDenied("only operators and the person who started a job cancel it")
    svc.cancel(job_id)
    audit(request, "cancel", "job", job_id, kind=job.kind)
    return redirect(f"/jobs/{job_id}")


@router.get("/jobs/{job_id}/output")
def job_output(job_id: int, request: Request, database: DatabaseDep, settings: SettingsDep) -> Response:
    """The file a job made, for operators and auditors: a batch run's recommendations (JSON Lines) or a
    programme report (XLSX, HTML, PDF)."""
    from fastapi.responses import FileResponse

    from talentbridge.services.job_kinds import REPORT_MEDIA, batch_output_path, job_file_path

    user = _user(request)
    job = JobService(database, settings).get(job_id)
    if _role(user) not in SEE_ALL or job.status != "done":
        raise NotFound("job output", job_id)
    if job.kind == "recommend-batch" and not job.params.get("output"):
        path, media, name = batch_output_path(settings, job_id), "application/x-ndjson", f"recommendations-{job_id}.jsonl"
    elif job.kind == "programme-report" and job.result and job.result.get("format") in REPORT_MEDIA:
        name = str(job.result["file"])
        path, media = job_file_path(settings, job_id, name), REPORT_MEDIA[job.result["format"]]
    else:
        raise NotFound("job output", job_id)
    if not path.is_file():
        raise NotFound("job output", job_id)
    audit(request, "export", "job", job_id, kind=job.kind)
    return FileResponse(path, media_type=media, filename=name)
