"""``/api/jobs``: background jobs — operators and auditors see every job, everyone else the jobs they started;
operators submit re-indexing, batch recommendations, text encoding, fairness audits, round runs and retention
passes, and cancel jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from talentbridge.domain.errors import NotAuthenticated, NotFound, PermissionDenied
from talentbridge.services.job_queue import submit_job
from talentbridge.services.jobs import Job, JobService
from talentbridge.web.deps import DatabaseDep, SettingsDep

__all__ = ["router", "can_see", "not_auditor", "SEE_ALL", "SUBMITTABLE"]

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

#: Roles that see every job (the others see the jobs they started).
SEE_ALL = frozenset({"operator", "auditor"})
#: Kinds an operator may submit through the API (imports come with their file from the data page).
SUBMITTABLE = ("recommend-batch", "reindex", "encode-texts", "fairness-audit", "round-run", "privacy-retention",
               "programme-report", "ai-pack")


class JobCreate(BaseModel):
    kind: str = Field(..., max_length=40, description=" or ".join(SUBMITTABLE))
    params: dict[str, Any] = Field(default_factory=dict)
    key: str | None = Field(None, max_length=200, description="Idempotency key: the same key submits the work once.")


def _user(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated("sign in first")
    return user


def _role(user: Any) -> str:
    return str(getattr(user.role, "value", user.role))


def can_see(user: Any, job: Job) -> bool:
    return _role(user) in SEE_ALL or (job.started_by is not None and job.started_by == user.id)


@router.get("")
def list_jobs(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    status: str | None = Query(None, max_length=10),
    kind: str | None = Query(None, max_length=40),
    page: int = Query(1, ge=1, le=100_000),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    user = _user(request)
    mine = None if _role(user) in SEE_ALL else user.id
    jobs, total = JobService(database, settings).list(status=status, kind=kind, started_by=mine, limit=size,
                                                      offset=(page - 1) * size)  # fmt: skip
    return {"items": [j.as_dict() for j in jobs], "total": total, "page": page, "size": size}


@router.get("/{job_id}")
def get_job(job_id: int, request: Request, database: DatabaseDep, settings: SettingsDep) -> dict[str, Any]:
    user = _user(request)
    job = JobService(database, settings).get(job_id)
    if not can_see(user, job):
        raise NotFound("job", job_id)
    return job.as_dict()


def _operator(request: Request) -> None:
    """Checked before the body is read: a refusal, not a validation error, for everyone else."""
    if _role(_user(request)) != "operator":
        raise PermissionDenied("only operators start jobs")


@router.post("", status_code=202, dependencies=[Depends(_operator)])
def create_job(body: JobCreate, request: Request, database: DatabaseDep, settings: SettingsDep) -> dict[str, Any]:
    user = _user(request)
    if body.kind not in SUBMITTABLE:
        from talentbridge.domain.errors import Problem, ValidationFailed

        raise ValidationFailed("this kind of job cannot be started here",
                               [Problem(loc=("body", "kind"), msg=" or ".join(SUBMITTABLE), value=body.kind)])  # fmt: skip
    params = dict(body.params)
    params.pop("output", None)  # a file path on the server is the CLI's to choose, not a client's
    job, _ = submit_job(database, settings, body.kind, params, key=body.key, started_by=user.id,
                        started_by_label=getattr(user, "email", None))  # fmt: skip
    return job.as_dict()


def not_auditor(request: Request) -> None:
    if _role(_user(request)) == "auditor":
        raise PermissionDenied("auditors have read-only access")


@router.post("/{job_id}/cancel", dependencies=[Depends(not_auditor)])
def cancel_job(job_id: int, request: Request, database: DatabaseDep, settings: SettingsDep) -> dict[str, Any]:
    user = _user(request)
    svc = JobService(database, settings)
    job = svc.get(job_id)
    if not can_see(user, job):
        raise NotFound("job", job_id)
    if _role(user) != "operator" and job.started_by != user.id:
        raise PermissionDenied("only operators and the person who started a job cancel it")
    return svc.cancel(job_id).as_dict()
