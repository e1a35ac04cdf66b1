"""The kinds of job and what each one runs. A handler takes a ``JobContext`` and returns the job's result (JSON),
or marks the job done itself inside the transaction of its writes (``ctx.complete``).

    import             a file kept by ``data_transfer.save_upload``: rows and "done" commit together
    recommend-batch    ``recommend batch`` to a JSON Lines file (renamed into place at the end); a checkpoint after
                       each chunk of flushed lines, so a re-run after a kill carries on from the last one
    reindex            rebuild the talent index, every profile text encoded (``recommend reindex``)
    encode-texts       encode the profile and opening texts not in the embedding store yet
    fairness-audit     impact ratios of the shortlists of open openings (``audit recommendations``)
    round-run          ``rounds run``: the run, the round's new status and "done" commit together
    privacy-retention  ``privacy retention``: one transaction per erasure, already-erased talents skipped
    analytics-refresh  rebuild the analytics cells after a change of the data (submitted by the first read
                       after the change under a key of the data's fingerprint; the read serves the last counts)
    programme-report   ``report programme``: the period's report (XLSX, HTML or PDF) written to
                       ``<data_dir>/jobs/<id>/`` through a ``.tmp`` file renamed into place: whole or absent
    followup-reminders ``rounds remind-followups``: the reminders (each recorded by an audit row the next run finds)
                       and "done" commit together, so a re-run after a kill sends each reminder once
    ai-pack            ``aiact pack``: an AI Basic Act documentation pack; its files are written to a temporary
                       folder renamed into place, its row and the job's "done" commit together
    infer-skills       ``recommend infer-skills [--refresh]``: skills inferred for stored talents and openings
                       without any (``refresh``: also again for those whose skills are all AI-inferred, after a
                       taxonomy, alias or product update); one transaction per batch of ``INFER_BATCH`` records,
                       so a re-run after a kill skips the records done (or, with ``refresh``, reads them again to
                       the same skills: inference gives the same skills for the same text)

How each survives a worker killed half-way: an import's rows and its "done" are one transaction (none or all);
a batch run resumes from its last checkpoint; the other kinds write files atomically and are idempotent, so a
re-run after the kill gives the same result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from talentbridge.domain.errors import Problem, TalentBridgeError, ValidationFailed

__all__ = ["KINDS", "JobFailed", "check_kind", "handler_for", "batch_output_path", "job_file_path", "REPORT_MEDIA"]

Handler = Callable[[Any], dict[str, Any] | None]


class JobFailed(TalentBridgeError):
    """A job that ran to the end without doing its work (an import whose rows were rejected): the reason in
    English (``message``) and Korean, and the result to show (the rejected rows)."""

    code = "job_failed"
    status = 422

    def __init__(self, message: str, message_ko: str, job_result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message_ko = message_ko
        self.job_result = job_result


# --------------------------------------------------------------------------------------------- handlers


def _import(ctx: Any) -> dict[str, Any] | None:
    from talentbridge.services import data_transfer

    p = ctx.params

    def progress(stage: str, done: int, total: int | None) -> None:
        ctx.progress(done, total, stage)

    def done(session: Any, report: Any) -> None:
        if report.ok:
            ctx.complete(session, _report_dict(report))

    report = data_transfer.import_saved(
        ctx.db, ctx.settings, entity=p["entity"], token=p["token"], filename=p["filename"],
        skip_invalid=bool(p.get("skip_invalid")), progress=progress, before_commit=done,
    )  # fmt: skip
    if not report.ok:
        if report.error:
            raise JobFailed(report.error, f"파일을 가져올 수 없습니다: {report.error}", _report_dict(report))
        raise JobFailed(
            f"{report.rejected} of {report.rows} rows are invalid; nothing was imported",
            f"{report.rows}행 중 {report.rejected}행이 올바르지 않아 아무것도 가져오지 않았습니다",
            _report_dict(report),
        )
    return _report_dict(report)


def _report_dict(report: Any) -> dict[str, Any]:
    return {
        "entity": report.entity,
        "filename": report.filename,
        "atomic": report.atomic,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "rejected": report.rejected,
        "written": report.written,
        "rejects_token": report.rejects_token,
        "error": report.error,
        "problems": [p.as_dict() for p in report.problems[:500]],
        "problem_count": len(report.problems),
    }


def batch_output_path(settings: Any, job_id: int) -> Path:
    return settings.data_dir / "jobs" / str(job_id) / "recommendations.jsonl"


def _recommend_service(ctx: Any, session: Any) -> Any:
    from talentbridge.services.recommend import RecommendService

    return RecommendService(ctx.settings, session)


def _recommend_batch(ctx: Any) -> dict[str, Any] | None:
    p = ctx.params
    output = Path(p["output"]) if p.get("output") else batch_output_path(ctx.settings, ctx.job.id)

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, "recommend")

    def checkpoint(sources: int, offset: int) -> None:
        ctx.service.save_checkpoint(ctx.job.id, ctx.job.attempts, {"sources": sources, "bytes": offset})

    saved = ctx.checkpoint or {}
    resume = (int(saved["sources"]), int(saved["bytes"])) if "sources" in saved and "bytes" in saved else None
    with ctx.db.session() as session:
        svc = _recommend_service(ctx, session)
        result: dict[str, Any] = svc.batch(
            p["direction"], int(p.get("top", 20)), output, progress=progress, limit=p.get("limit"),
            resume=resume, checkpoint=checkpoint,
        )  # fmt: skip
        result["resumed_from"] = resume[0] if resume else 0
        ctx.complete(session, result)  # with the run's AI record: both or neither
    return result


def _reindex(ctx: Any) -> dict[str, Any] | None:
    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, "index")

    with ctx.db.session() as session:
        return _recommend_service(ctx, session).rebuild_index(progress)  # type: ignore[no-any-return]


def _encode_texts(ctx: Any) -> dict[str, Any] | None:
    from talentbridge.services.compared_texts import opening_text
    from talentbridge.services.text_embeddings import text_embeddings_for

    text = text_embeddings_for(ctx.settings)
    if not text.active:
        return {"encoded": 0, **text.summary()}
    with ctx.db.session() as session:
        svc = _recommend_service(ctx, session)
        ctx.progress(0, None, "talents", force=True)
        idx = svc.talent_index.index(complete=True)
        svc.talent_index.encode_all(idx)
        openings = list(svc.open_openings())
        texts = [opening_text(o) for o in openings]

        def progress(done: int, total: int) -> None:
            ctx.progress(done, total, "openings")

        _, found = text.vectors("openings", texts, progress=progress)
        return {"talents": len(idx), "openings": len(openings), "openings_encoded": int(found.sum()),
                **text.summary()}  # fmt: skip


def _fairness_audit(ctx: Any) -> dict[str, Any] | None:
    p = ctx.params
    ctx.progress(0, None, "audit", force=True)
    with ctx.db.session() as session:
        return _recommend_service(ctx, session).audit(  # type: ignore[no-any-return]
            int(p.get("top", 20)), p.get("limit", 1000)
        )


def _round_run(ctx: Any) -> dict[str, Any] | None:
    """``rounds run``: the stored run, the round's new status and the job's "done" commit in one transaction."""
    from talentbridge.services.rounds import RoundService

    p = ctx.params
    ctx.progress(0, None, "solve", force=True)
    with ctx.db.session(write=True) as session:
        actor = _job_actor(session, ctx.job)
        if actor is not None and p.get("seed") is None:
            # started by a person (the round page): the same checks and "run" audit row as a run from the page
            from talentbridge.services.round_review import RoundReviewService

            review = RoundReviewService(session)
            mechanism = p.get("mechanism") or review.rounds.get(int(p["round_id"])).mechanism
            record = review.run(int(p["round_id"]), mechanism, p.get("proposing"), actor)
        else:
            record = RoundService(session).run(int(p["round_id"]), p.get("mechanism"), p.get("proposing"),
                                               p.get("seed"), p.get("by") or ctx.job.started_by_label or "job")  # fmt: skip
        session.flush()
        result = {"round_id": int(p["round_id"]), "run_id": record.id, "mechanism": record.mechanism}
        ctx.complete(session, result)
    return result


def _job_actor(session: Any, job: Any) -> Any:
    """The person who started the job, as the audit log names them (None for jobs started by the CLI or the
    scheduler). Taken from the job's own record, never from its parameters."""
    from talentbridge.services.accounts import get_user
    from talentbridge.services.round_setup import Actor

    if not job.started_by:
        return None
    try:
        user = get_user(session, job.started_by)
    except TalentBridgeError:
        return None
    return Actor(user.id, user.role.value, job.started_by_label or f"{user.name} <{user.email}>", None)


def _privacy_retention(ctx: Any) -> dict[str, Any] | None:
    """``privacy retention``: each erasure is its own transaction and skips talents already erased, so a re-run
    after a kill carries on where the killed run stopped."""
    from talentbridge.services.privacy_retention import apply

    ctx.progress(0, None, "retention", force=True)
    plan = apply(ctx.settings, ctx.db, dry_run=bool(ctx.params.get("dry_run")))
    return plan.as_dict()  # type: ignore[no-any-return]


def _analytics_refresh(ctx: Any) -> dict[str, Any] | None:
    """Rebuild the analytics cells if the data still differs from the last build (idempotent: a second run of
    the same job, or a job whose data another run already counted, finds the cells fresh and does nothing)."""
    from talentbridge.services.analytics_cells import ensure_fresh

    ctx.progress(0, None, "cells", force=True)
    with ctx.db.session() as session:
        return ensure_fresh(session)


def job_file_path(settings: Any, job_id: int, name: str) -> Path:
    """Where a job keeps the file it made (a report): ``<data_dir>/jobs/<id>/<name>``."""
    return Path(settings.data_dir) / "jobs" / str(job_id) / name


#: A report's format → its media type.
REPORT_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def _programme_report(ctx: Any) -> dict[str, Any] | None:
    """The report is written to ``<name>.tmp`` and renamed into place: a killed worker leaves no half file, and
    the re-run writes it again from the start."""
    from talentbridge.services.analytics_report import build_report, write_report

    p = ctx.params
    fmt = str(p.get("format") or "xlsx")
    period = str(p["period"])
    programme_id = int(p["programme_id"]) if p.get("programme_id") is not None else None
    ctx.progress(0, 2, "report", force=True)
    with ctx.db.session() as session:
        report = build_report(session, period, programme_id)
    ctx.progress(1, 2, "write", force=True)
    name = f"programme-report-{period}.{fmt}"
    output = job_file_path(ctx.settings, ctx.job.id, name)
    tmp = output.with_name(name + ".tmp")
    write_report(report, fmt, tmp)
    os.replace(tmp, output)
    return {"file": name, "format": fmt, "period": period, "programme_id": programme_id,
            "bytes": output.stat().st_size}  # fmt: skip


def _followup_reminders(ctx: Any) -> dict[str, Any] | None:
    from datetime import UTC, datetime

    from talentbridge.services.placements import remind_due_followups

    ctx.progress(0, None, "remind", force=True)
    with ctx.db.session(write=True) as session:
        result = {"reminders": remind_due_followups(session, datetime.now(UTC).date())}
        ctx.complete(session, result)
    return result


def _ai_pack(ctx: Any) -> dict[str, Any] | None:
    """The pack's files go to a temporary folder renamed into place; its row and "done" commit together."""
    from talentbridge.services import ai_pack

    p = ctx.params
    ctx.progress(0, None, "pack", force=True)
    with ctx.db.session(write=True) as session:
        period = str(p["period"]) if p.get("period") not in (None, "") else None
        round_id = int(p["round_id"]) if p.get("round_id") is not None else None
        pack = ai_pack.generate(session, ctx.settings, round_id=round_id, period=period,
                                actor=p.get("by") or ctx.job.started_by_label or "job")  # fmt: skip
        result = {"pack_id": pack["id"], "scope": pack["scope"], "round_id": pack["round_id"],
                  "period": pack["period"], "files": pack["files"], "summary": pack["summary"]}  # fmt: skip
        ctx.complete(session, result)
    return result


# --------------------------------------------------------------------------------------------- registry


INFER_BATCH = 100  # records per transaction of an infer-skills job


def _infer_skills(ctx: Any) -> dict[str, Any] | None:
    from talentbridge.services.inference import SkillInference, infer_stored

    refresh = bool(ctx.params.get("refresh"))
    ctx.progress(0, None, "model", force=True)
    inference = SkillInference.from_settings(ctx.settings)
    with ctx.db.session() as session:

        def batch_done(done: int, total: int) -> None:
            session.commit()  # one short transaction per batch: web requests never wait long for the write lock
            ctx.progress(done, total, "records")

        counts = infer_stored(session, inference, batch_size=INFER_BATCH, refresh=refresh, progress=batch_done)
    return {**counts, "refresh": refresh}


def _need(params: dict[str, Any], name: str, problems: list[Problem], choices: tuple[str, ...] | None = None) -> None:
    value = params.get(name)
    if value in (None, ""):
        problems.append(Problem(loc=("params", name), msg="required"))
    elif choices is not None and value not in choices:
        problems.append(Problem(loc=("params", name), msg=" or ".join(choices), value=value))


def _int(params: dict[str, Any], name: str, lo: int, hi: int, problems: list[Problem]) -> None:
    value = params.get(name)
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        problems.append(Problem(loc=("params", name), msg=f"a whole number from {lo} to {hi}", value=value))


def _check_import(params: dict[str, Any], problems: list[Problem]) -> None:
    from talentbridge.services.importing import ENTITIES

    _need(params, "entity", problems, ENTITIES)
    _need(params, "token", problems)
    _need(params, "filename", problems)


def _check_batch(params: dict[str, Any], problems: list[Problem]) -> None:
    from talentbridge.services.recommend_batch import DIRECTIONS

    _need(params, "direction", problems, DIRECTIONS)
    _int(params, "top", 1, 1000, problems)
    _int(params, "limit", 1, 10_000_000, problems)


def _check_audit(params: dict[str, Any], problems: list[Problem]) -> None:
    _int(params, "top", 1, 1000, problems)
    _int(params, "limit", 1, 10_000_000, problems)


def _check_round(params: dict[str, Any], problems: list[Problem]) -> None:
    _need(params, "round_id", problems)
    _int(params, "round_id", 1, 2**31 - 1, problems)
    _int(params, "seed", 0, 2**31 - 1, problems)


_PERIOD = re.compile(r"^\d{4}(-(H[12]|Q[1-4]|(0[1-9]|1[0-2])))?$")


def _is_period(value: Any) -> bool:
    """``2026-H1`` and the like; a bare year may come as a number (the CLI reads ``--param period=2026`` as JSON)."""
    return isinstance(value, (str, int)) and not isinstance(value, bool) and bool(_PERIOD.match(str(value)))


def _check_report(params: dict[str, Any], problems: list[Problem]) -> None:
    _need(params, "period", problems)
    period = params.get("period")
    if period not in (None, "") and not _is_period(period):
        problems.append(Problem(loc=("params", "period"), msg="use 2026, 2026-H1, 2026-Q2 or 2026-05", value=period))
    if params.get("format") is not None and params.get("format") not in REPORT_MEDIA:
        problems.append(Problem(loc=("params", "format"), msg="xlsx or html or pdf", value=params.get("format")))
    _int(params, "programme_id", 1, 2**31 - 1, problems)


def _check_pack(params: dict[str, Any], problems: list[Problem]) -> None:
    _int(params, "round_id", 1, 2**31 - 1, problems)
    period = params.get("period")
    if period not in (None, "") and not _is_period(period):
        problems.append(Problem(loc=("params", "period"), msg="use 2026, 2026-H1, 2026-Q2 or 2026-05", value=period))


def _check_nothing(params: dict[str, Any], problems: list[Problem]) -> None:
    return None


def _check_infer(params: dict[str, Any], problems: list[Problem]) -> None:
    if not isinstance(params.get("refresh", False), bool):
        problems.append(Problem(loc=("params", "refresh"), msg="true or false", value=params.get("refresh")))


#: kind → (handler, parameter check, Korean name, English name)
KINDS: dict[str, tuple[Handler, Callable[[dict[str, Any], list[Problem]], None], str, str]] = {
    "import": (_import, _check_import, "파일 가져오기", "File import"),
    "recommend-batch": (_recommend_batch, _check_batch, "일괄 추천", "Batch recommendations"),
    "reindex": (_reindex, _check_nothing, "인재 색인 재구축", "Talent index rebuild"),
    "encode-texts": (_encode_texts, _check_nothing, "텍스트 임베딩", "Text encoding"),
    "fairness-audit": (_fairness_audit, _check_audit, "공정성 감사", "Fairness audit"),
    "round-run": (_round_run, _check_round, "라운드 매칭 실행", "Round run"),
    "privacy-retention": (_privacy_retention, _check_nothing, "보존 기한 적용 (익명화)", "Retention limits (anonymisation)"),
    "analytics-refresh": (_analytics_refresh, _check_nothing, "현황 분석 집계 갱신", "Analytics counts rebuild"),
    "programme-report": (_programme_report, _check_report, "사업 보고서 작성", "Programme report"),
    "followup-reminders": (_followup_reminders, _check_nothing, "배치 후속 확인 알림", "Placement follow-up reminders"),
    "ai-pack": (_ai_pack, _check_pack, "AI 기본법 문서 패키지 작성", "AI Basic Act documentation pack"),
    "infer-skills": (_infer_skills, _check_infer, "저장된 인재·공고의 AI 기술 추론", "AI skill inference for stored records"),
}


def check_kind(kind: str, params: dict[str, Any]) -> None:
    """Raise ``ValidationFailed`` listing every problem with the kind and its parameters."""
    if kind not in KINDS:
        raise ValidationFailed("unknown job kind", [Problem(loc=("kind",), msg=" or ".join(KINDS), value=kind)])
    problems: list[Problem] = []
    if not isinstance(params, dict):
        problems.append(Problem(loc=("params",), msg="an object"))
    else:
        KINDS[kind][1](params, problems)
    if problems:
        raise ValidationFailed(f"invalid parameters of a {kind} job", problems)


def handler_for(kind: str) -> Handler:
    return KINDS[kind][0]
