"""AI Basic Act records: one row per AI run — a recommendation list shown to a person, a generated round
ranking, a round run, its approval and publication, a batch run — with the model and taxonomy versions, the
weights, the inputs' identifiers, the output (ids and scores, as JSON) and who saw or approved it.

Writes are cheap: one row per list, never one per item. Services that already write (round runs, generated
rankings, approvals, batch runs) call :func:`record` in their own transaction. A list shown in a read-only
request is built here (:func:`recommendation_run`) and written right after that request's read transaction by
the web's session dependency (``write_runs``), the way views of personal data reach the audit log; its ``key``
is known before the write, so the response already links the notice and the human-review request to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

import talentbridge
from talentbridge.domain.errors import NotFound
from talentbridge.storage.ai_record_tables import AiRunRecordRow

__all__ = [
    "KINDS",
    "AiRun",
    "Viewer",
    "NOTICE",
    "notice",
    "new_key",
    "recommendation_run",
    "record",
    "write_runs",
    "list_runs",
    "get_run",
    "taxonomy_version",
]

#: What was run. ``recommendation_list``: a list shown to a person (page, API, CLI); ``generated_ranking``: an
#: organization's round ranking generated from fit scores; ``round_run``: a round solved; ``round_approval``: a
#: person approved (and published) a run; ``batch``: ``talentbridge recommend batch``.
KINDS = ("recommendation_list", "generated_ranking", "round_run", "round_approval", "batch")

#: The notice every ranking carries, in both languages (the pages show the reader's; the API gives both).
NOTICE = {
    "ko": "이 결과는 AI가 순위를 매겼습니다(인공지능기본법상 고영향 AI). 점수마다 근거가 된 기준이 표시되며, 결과에 "
    "대해 사람의 검토를 요청할 수 있습니다.",
    "en": "AI ranked this result (high-impact AI under Korea's AI Basic Act). Each score shows the criteria behind "
    "it, and you can ask a person to review the result.",
}

#: Largest output kept per record (a list shown is at most 1,000 long; a round ranking can be longer).
MAX_OUTPUT = 50_000


@dataclass(frozen=True)
class Viewer:
    """Who saw or approved a run: an account (``user_id``, ``role``) and/or a label ("name <email>", "cli")."""

    user_id: int | None = None
    role: str | None = None
    label: str | None = None


@dataclass
class AiRun:
    kind: str
    surface: str
    subject_type: str | None = None
    subject_id: int | None = None
    round_id: int | None = None
    models: dict[str, Any] = field(default_factory=dict)
    taxonomy_version: str | None = None
    weights: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    output: list[Any] = field(default_factory=list)
    seen_by_user_id: int | None = None
    seen_by_role: str | None = None
    actor: str | None = None
    key: str = field(default_factory=lambda: new_key())

    def row(self) -> dict[str, Any]:
        # shallow: the row is inserted at once (``asdict``'s deep copy of the output was a third of writing it)
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["output"] = self.output[:MAX_OUTPUT]
        values["items"] = len(self.output)
        return values


def new_key() -> str:
    return uuid.uuid4().hex


def notice(key: str | None, subject: str | None = None) -> dict[str, Any]:
    """The ``ai_notice`` object of an API response that ranks people: the notice in both languages, the record
    it is kept under (or the ``subject`` a review request names, e.g. ``round:3``) and where to ask for a human
    review of it."""
    from urllib.parse import quote

    query = f"?record={key}" if key else (f"?subject={quote(subject, safe='')}" if subject else "")
    return {
        "text": dict(NOTICE),
        "record": key,
        "subject": subject,
        "human_review": {"page": "/ai/reviews/new" + query, "api": "POST /api/ai/reviews"},
    }


def _models(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"software_version": talentbridge.__version__, **(extra or {})}


def taxonomy_version(session: Session) -> str | None:
    """The stored taxonomy's version (None: the built-in one, never imported)."""
    try:
        from talentbridge.storage.taxonomy_repository import TaxonomyRepository
    except ImportError:  # pragma: no cover - part of the package
        return None
    version = TaxonomyRepository(session).version()
    return None if version is None else str(version)[:200]


_taxonomy_version = taxonomy_version  # the name inside functions with a parameter of that name


def recommendation_run(
    session: Session,
    result: dict[str, Any],
    *,
    surface: str,
    viewer: Viewer | None,
    scorer: str = "matching.fit_score",
    taxonomy_version: Any = ...,
) -> AiRun:
    """The record of one recommendation list as shown (``result`` of ``RecommendService.talents_for_opening``
    or ``openings_for_talent``, after the caller dropped what it may not show). ``taxonomy_version``: the stored
    taxonomy's version when the caller read it already (``...``: read it here)."""
    viewer = viewer or Viewer()
    if "opening" in result:
        subject_type, subject_id = "opening", result["opening"]["id"]
        output = [[i["talent_id"], i["score"]] for i in result.get("items", [])]
        output_of = "talent"
    else:
        subject_type, subject_id = "talent", result.get("talent", {}).get("id")
        output = [[i["opening_id"], i["score"]] for i in result.get("items", [])]
        output_of = "opening"
    text = result.get("text") or {}
    return AiRun(
        kind="recommendation_list",
        surface=surface[:80],
        subject_type=subject_type,
        subject_id=subject_id,
        models=_models(
            {
                "scorer": scorer,
                "text_encoder": text.get("model"),
                "text_status": text.get("status"),
                "retrieval": result.get("method"),
            }
        ),  # fmt: skip
        taxonomy_version=_taxonomy_version(session) if taxonomy_version is ... else taxonomy_version,
        weights=dict(result.get("weights") or {}),
        inputs={"top": result.get("top"), "filters": result.get("filters") or {}, "output_of": output_of},
        output=output,
        seen_by_user_id=viewer.user_id,
        seen_by_role=viewer.role,
        actor=viewer.label,
    )


def record(
    session: Session,
    kind: str,
    *,
    surface: str,
    subject_type: str | None = None,
    subject_id: int | None = None,
    round_id: int | None = None,
    models: dict[str, Any] | None = None,
    weights: dict[str, Any] | None = None,
    inputs: dict[str, Any] | None = None,
    output: Sequence[Any] = (),
    viewer: Viewer | None = None,
) -> AiRun:
    """Write one record in the caller's transaction (services that write anyway); returns it (with its key)."""
    if kind not in KINDS:
        raise ValueError(f"unknown AI run kind {kind!r}")
    viewer = viewer or Viewer()
    run = AiRun(
        kind=kind,
        surface=surface[:80],
        subject_type=subject_type,
        subject_id=subject_id,
        round_id=round_id,
        models=_models(models),
        taxonomy_version=taxonomy_version(session),
        weights=dict(weights or {}),
        inputs=dict(inputs or {}),
        output=list(output),
        seen_by_user_id=viewer.user_id,
        seen_by_role=viewer.role,
        actor=viewer.label,
    )
    write_runs(session, [run])
    return run


def write_runs(session: Session, runs: Iterable[AiRun]) -> None:
    rows = [r.row() for r in runs]
    if rows:
        session.execute(insert(cast(Table, AiRunRecordRow.__table__)), rows)  # Core: no ORM bulk path per request


def _public(row: AiRunRecordRow, *, full: bool = False) -> dict[str, Any]:
    out = {
        "id": row.id,
        "key": row.key,
        "kind": row.kind,
        "surface": row.surface,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "round_id": row.round_id,
        "models": row.models,
        "taxonomy_version": row.taxonomy_version,
        "items": row.items,
        "seen_by_user_id": row.seen_by_user_id,
        "seen_by_role": row.seen_by_role,
        "actor": row.actor,
        "created_at": row.created_at,
    }
    if full:
        out.update(weights=row.weights, inputs=row.inputs, output=row.output)
    return out


def list_runs(
    session: Session,
    *,
    kind: str | None = None,
    round_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Records, newest first (without their outputs), and how many match."""
    conditions = []
    if kind:
        conditions.append(AiRunRecordRow.kind == kind)
    if round_id is not None:
        conditions.append(AiRunRecordRow.round_id == round_id)
    if since is not None:
        conditions.append(AiRunRecordRow.created_at >= since)
    if until is not None:
        conditions.append(AiRunRecordRow.created_at < until)
    total = int(session.scalar(select(func.count()).select_from(AiRunRecordRow).where(*conditions)) or 0)
    rows = session.scalars(
        select(AiRunRecordRow)
        .where(*conditions)
        .order_by(AiRunRecordRow.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [_public(r) for r in rows], total


def counts_by_kind(
    session: Session, *, round_id: int | None = None, since: datetime | None = None, until: datetime | None = None
) -> dict[str, int]:
    conditions = []
    if round_id is not None:
        conditions.append(AiRunRecordRow.round_id == round_id)
    if since is not None:
        conditions.append(AiRunRecordRow.created_at >= since)
    if until is not None:
        conditions.append(AiRunRecordRow.created_at < until)
    rows = session.execute(select(AiRunRecordRow.kind, func.count()).where(*conditions).group_by(AiRunRecordRow.kind))
    return {str(k): int(n) for k, n in rows}


def get_run(session: Session, key_or_id: str | int) -> dict[str, Any]:
    """One record in full (weights, inputs, output), by its key or its id."""
    if isinstance(key_or_id, int) or str(key_or_id).isdigit():
        row = session.get(AiRunRecordRow, int(key_or_id))
    else:
        row = session.scalar(select(AiRunRecordRow).where(AiRunRecordRow.key == str(key_or_id)))
    if row is None:
        raise NotFound("AI record", key_or_id)
    return _public(row, full=True)


# -- the records services write in their own transaction ----------------------------------------------------------
def record_generated_ranking(
    session: Session,
    round_id: int,
    program_id: int,
    scorer: Any,
    ranked: Any,
    scope: str,
    min_score: float | None,
    actor: str | None,
) -> AiRun:
    """A round ranking generated from fit scores for one opening (``RoundService.generate_organization_rankings``):
    the scorer, its weights per opening kind, the candidates' ids and the ranked output with scores."""
    scores = ranked.scores or {}
    order = [t for entry in ranked.ranking for t in (entry if isinstance(entry, list) else [entry])]
    used = scorer.description()
    return record(
        session,
        "generated_ranking",
        surface="round:generate_rankings",
        subject_type="opening",
        subject_id=ranked.owner_id,
        round_id=round_id,
        models={"scorer": used["scorer"], "text_encoder": used["text_encoder"]},
        weights={"by_kind": used["weights_by_kind"], "program_overrides": used["program_overrides"]},
        inputs={
            "program_id": program_id,
            "scope": scope,
            "min_score": min_score,
            "candidates": sorted(map(int, scores)),
        },
        output=[[t, scores.get(str(t))] for t in order],
        viewer=Viewer(label=actor),
    )


def record_round_run(session: Session, run: Any, instance: dict[str, Any], actor: str | None) -> AiRun:
    """A round solved (``RoundService.run``): mechanism, seed, the input and result hashes, the assignments."""
    assignments = (run.result or {}).get("assignments", {})
    output = [[int(t.lstrip("t")), None if o is None else int(str(o).lstrip("o"))] for t, o in assignments.items()]
    return record(
        session,
        "round_run",
        surface="round:run",
        subject_type="run",
        subject_id=run.id,
        round_id=run.round_id,
        models={
            "mechanism": run.mechanism,
            "proposing": run.proposing,
            "seed": run.seed,
            "software_version": run.software_version,
        },  # fmt: skip
        inputs={
            "input_hash": run.input_hash,
            "result_hash": run.result_hash,
            "participants": len(instance.get("applicants", [])),
            "openings": len(instance.get("programs", [])),
        },  # fmt: skip
        output=output,
        viewer=Viewer(label=actor),
    )


def record_approval(session: Session, run: Any, actor: str, *, placements: int) -> AiRun:
    """A person approved and published a run (``RoundService.publish``)."""
    return record(
        session,
        "round_approval",
        surface="round:publish",
        subject_type="run",
        subject_id=run.id,
        round_id=run.round_id,
        models={"mechanism": run.mechanism, "proposing": run.proposing, "seed": run.seed},
        inputs={"result_hash": run.result_hash, "placements": placements},
        output=[],
        viewer=Viewer(label=actor),
    )


def record_batch(session: Session, summary: dict[str, Any], output: Any, text: dict[str, Any]) -> AiRun:
    """A batch run (``talentbridge recommend batch``): every list is in the output file; the record keeps its
    path and SHA-256 (one row per run)."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    with Path(output).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return record(
        session,
        "batch",
        surface="cli:recommend batch",
        subject_type=None,
        models={"scorer": "matching.fit_score", "text_encoder": text.get("model"), "text_status": text.get("status")},
        inputs={"direction": summary["direction"], "top": summary["top"], "sources": summary["sources"]},
        output=[{"file": str(output), "sha256": digest.hexdigest()}],
        viewer=Viewer(label="cli"),
    )


def record_shown(session: Session, result: dict[str, Any], *, surface: str, viewer: Viewer | None) -> AiRun:
    """Write the record of a list shown where the caller's transaction may write (the CLI)."""
    run = recommendation_run(session, result, surface=surface, viewer=viewer)
    write_runs(session, [run])
    return run
