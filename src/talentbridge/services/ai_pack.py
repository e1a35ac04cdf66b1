"""The AI Basic Act documentation pack of a round or a period, generated from the AI run records and kept.

A pack holds: the method (how fit scores, retrieval, generated rankings and the match work), the data sources
and what the models were trained on, the AI run records in scope (counts by kind; for a round every run,
generated ranking and approval with versions and weights), the fairness audit — impact ratios by gender, age
band, nationality and region with every group under 0.8 flagged (a round: placed among participants, per run
approved or latest; a period: the top-K shortlists of open openings now, as ``talentbridge audit
recommendations`` computes them, and every round published in the period) — the round diagnostics, who
approved, and the human review requests. Written as ``pack.html`` (printable, Korean fonts) and ``pack.pdf``
(``ai_pack_pdf``: fpdf2 with the Nanum TTF; refused loudly when the font is missing) under
``<data_dir>/ai-packs/<id>/`` and listed in ``ai_documentation_packs``.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import talentbridge
from talentbridge.config import Settings
from talentbridge.domain.errors import NotFound, Problem, ValidationFailed
from talentbridge.matching.audit import AGE_BANDS, FOUR_FIFTHS, UNKNOWN, impact_ratios
from talentbridge.services import ai_records
from talentbridge.storage.ai_record_tables import AiDocumentationPackRow, AiHumanReviewRow, AiRunRecordRow

__all__ = ["generate", "list_packs", "pack_file", "period_bounds", "round_fairness", "build_content", "METHOD"]

_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")

#: The method, data sources and models' training data, in both languages (docs/ai-act.md says the same).
METHOD: dict[str, dict[str, Any]] = {
    "ko": {
        "method": [
            "적합도 점수(0-100)는 직무의 기준별 가중치의 합입니다: 필수·우대 스킬(분류 체계의 관계에 따른 부분 점수 포함), "
            "경력, 학력, 지역, 근무 가능 시기, 희망 급여, 그리고 텍스트 인코더가 켜져 있으면 프로필과 직무 설명의 의미 유사도. "
            "가중치는 직무 유형별 기본값이며 프로그램 설정(fit_weights)으로 바꿀 수 있고, 기록마다 적용된 가중치가 남습니다.",
            "고용 형태, 취업 자격(비자), 자사 파견 금지, 조직에 공개 동의 등 필수 조건을 통과한 사람만 점수를 받습니다. "
            "성별, 나이, 국적은 점수에 쓰지 않고 공정성 감사에만 씁니다.",
            "인재 추천은 색인(ANN)으로 후보를 찾은 뒤 정확한 점수로 다시 매기고, 직무 추천은 모든 공개 직무를 정확히 점수화합니다.",
            "라운드의 기관 순위는 같은 적합도 점수로 생성되며(같은 점수는 동순위), 기관이 편집할 수 있습니다. 매칭은 "
            "수용 유보(Deferred Acceptance) 등 안정적이고 전략적으로 안전한 알고리즘으로 하며, 운영자가 결과를 비교하고 사람이 승인해야 발표됩니다.",
        ],
        "sources": [
            "인재 프로필(본인 입력·이력서에서 추출해 본인이 수락한 스킬), 기관과 직무 정보(기관 입력), 라운드의 지원 순위.",
            "스킬 분류 체계: 내장 AI 스킬 분류(한/영)와 운영자가 가져온 ESCO(유럽 직업·스킬 분류) — 기록마다 버전이 남습니다.",
        ],
        "models": [
            "all-MiniLM-L6-v2 (sentence-transformers): 공개 영어 문장 쌍 약 10억 개(Reddit 댓글, S2ORC 인용, WikiAnswers, "
            "Stack Exchange, MS MARCO, SNLI/MultiNLI 등)로 학습된 공개 모델. 직함과 스킬 정규화에 씀. TalentBridge 데이터로 다시 학습하지 않음.",
            "Multilingual Universal Sentence Encoder v3: Google이 16개 언어(한국어 포함)의 웹 질의응답·번역 쌍·SNLI로 학습한 공개 모델. "
            "텍스트 유사도 기준에 씀. 재학습하지 않음.",
            "Kiwi: 세종 말뭉치 등 한국어 말뭉치로 만든 형태소 분석기. 한국어 텍스트의 조사·어미 제거에 씀.",
            "적합도 점수와 매칭 알고리즘은 학습된 모델이 아니라 문서화된 규칙과 가중치입니다. 플랫폼의 인재 데이터로 학습한 모델은 없습니다.",
        ],
    },
    "en": {
        "method": [
            "The fit score (0-100) is a weighted sum of criteria: must and should skills (with partial credit along the "
            "taxonomy's relations), experience, education, location, availability, salary expectation and, when a text "
            "encoder is on, the meaning similarity of profile and opening texts. Weights are defaults per opening kind, "
            "overridable per programme (fit_weights); each record keeps the weights used.",
            "Only people passing the hard constraints (employment type, work permit, no secondment to one's own employer, "
            "consent to be shown to organizations) are scored. Gender, age and nationality are never used in the score; "
            "only in the fairness audit.",
            "Talent for an opening are retrieved with an index (ANN) and re-scored exactly; openings for a talent are "
            "all scored exactly.",
            "Organizations' round rankings are generated from the same fit scores (equal scores tie) and can be edited. "
            "The match uses stable, strategy-proof mechanisms (deferred acceptance and variants); an operator compares "
            "runs and a person approves before anything is published.",
        ],
        "sources": [
            "Talent profiles (typed by the person, skills extracted from their résumé and accepted by them), "
            "organizations and openings (typed by the organizations), round preference lists.",
            "Skill taxonomy: the built-in bilingual AI taxonomy and ESCO when an operator imported it — each record "
            "keeps the version.",
        ],
        "models": [
            "all-MiniLM-L6-v2 (sentence-transformers): a public model trained on about one billion English sentence "
            "pairs (Reddit comments, S2ORC citations, WikiAnswers, Stack Exchange, MS MARCO, SNLI/MultiNLI ...). "
            "Used for titles and skills. Not retrained on TalentBridge data.",
            "Multilingual Universal Sentence Encoder v3: a public Google model trained on web question-answer pairs, "
            "translation pairs and SNLI in 16 languages including Korean. Used for the text criterion. Not retrained.",
            "Kiwi: a Korean morphological analyser built from Korean corpora (Sejong and others). Used to drop "
            "particles and endings from Korean text.",
            "The fit score and the matching mechanisms are documented rules and weights, not trained models. No model "
            "is trained on the platform's personal data.",
        ],
    },
}


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of ``2026``, ``2026-H1``, ``2026-Q3`` or ``2026-05`` (UTC)."""
    match = _PERIOD.match(period.strip())
    if match is None:
        raise ValidationFailed(
            "invalid period", [Problem(("period",), "a year, or YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM", period, "format")]
        )
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        first, months = 1, 12
    elif part.startswith("H"):
        first, months = 1 + 6 * (int(part[1]) - 1), 6
    elif part.startswith("Q"):
        first, months = 1 + 3 * (int(part[1]) - 1), 3
    else:
        first, months = int(part), 1
        if not 1 <= first <= 12:
            raise ValidationFailed("invalid period", [Problem(("period",), "a month from 01 to 12", period, "format")])
    end_month = first + months
    start = datetime(year, first, 1, tzinfo=UTC)
    end = datetime(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1, tzinfo=UTC)
    return start, end


def _labels(talents: list[Any], today: date) -> dict[str, np.ndarray]:
    """Audit groups of each talent: gender, age band, nationality (korean/foreign), region."""
    gender, band, nationality, region = [], [], [], []
    for t in talents:
        gender.append(str(t.gender.value) if t.gender is not None else UNKNOWN)
        label = UNKNOWN
        if t.birth_year:
            age = today.year - t.birth_year
            label = next((name for name, lo, hi in AGE_BANDS if lo <= age <= hi), UNKNOWN)
        band.append(label)
        nationality.append("korean" if t.nationality == "KR" else "foreign")
        region.append(str(t.region.value) if t.region is not None else UNKNOWN)
    return {
        "gender": np.array(gender, dtype=str),
        "age_band": np.array(band, dtype=str),
        "nationality": np.array(nationality, dtype=str),
        "region": np.array(region, dtype=str),
    }


def round_fairness(session: Session, round_id: int, today: date | None = None) -> dict[str, Any]:
    """Impact ratios of a round's result: each participant is eligible once; selected when placed by the
    approved run (else the latest run). Flags groups under 0.8 (four-fifths rule, as ``matching.audit``)."""
    from talentbridge.services.rounds import RoundService

    service = RoundService(session)
    service.get(round_id)
    summaries = service.store.runs(round_id)
    published = next((r for r in summaries if r.published_at is not None), None)
    chosen = published or (summaries[-1] if summaries else None)
    if chosen is None:
        return {"run_id": None, "approved": False, "dimensions": {}, "flagged": [], "participants": 0}
    run = service.store.run(chosen.id)
    assignments = (run.result or {}).get("assignments", {})
    talent_ids = [p.talent_id for p in service.store.participants(round_id)]
    talents = service.repos.talents.get_many(talent_ids)
    people = [talents[t] for t in talent_ids if t in talents]
    labels = _labels(people, today or date.today())
    eligible = np.ones(len(people), dtype=np.int64)
    selected = np.array([1 if assignments.get(f"t{t.id}") is not None else 0 for t in people], dtype=np.int64)
    dims = {d: [g.as_dict() for g in impact_ratios(d, lab, eligible, selected)] for d, lab in labels.items()}
    return {
        "run_id": chosen.id,
        "approved": published is not None,
        "participants": len(people),
        "placed": int(selected.sum()),
        "threshold": FOUR_FIFTHS,
        "method": "selection rate = placed / participants of the group; impact ratio = rate / highest rate",
        "dimensions": dims,
        "flagged": [g for rates in dims.values() for g in rates if g["flagged"]],
    }


def _records(session: Session, **where: Any) -> list[dict[str, Any]]:
    conditions = []
    if where.get("round_id") is not None:
        conditions.append(AiRunRecordRow.round_id == where["round_id"])
    if where.get("since") is not None:
        conditions.append(AiRunRecordRow.created_at >= where["since"])
    if where.get("until") is not None:
        conditions.append(AiRunRecordRow.created_at < where["until"])
    if where.get("kinds"):
        conditions.append(AiRunRecordRow.kind.in_(where["kinds"]))
    rows = session.scalars(select(AiRunRecordRow).where(*conditions).order_by(AiRunRecordRow.id).limit(500))
    return [
        {
            "key": r.key,
            "kind": r.kind,
            "surface": r.surface,
            "subject": f"{r.subject_type or ''} {r.subject_id or ''}".strip(),
            "models": r.models,
            "taxonomy_version": r.taxonomy_version,
            "weights": r.weights,
            "items": r.items,
            "actor": r.actor,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def _reviews(session: Session, record_ids: list[int] | None, since: Any = None, until: Any = None) -> dict[str, int]:
    stmt = select(AiHumanReviewRow.status)
    if record_ids is not None:
        stmt = stmt.where(AiHumanReviewRow.record_id.in_(record_ids or [-1]))
    if since is not None:
        stmt = stmt.where(AiHumanReviewRow.created_at >= since, AiHumanReviewRow.created_at < until)
    out: dict[str, int] = {"open": 0, "answered": 0}
    for status in session.scalars(stmt):
        out[status] = out.get(status, 0) + 1
    return out


def _round_section(session: Session, round_id: int) -> dict[str, Any]:
    from talentbridge.services.round_runs import run_summary
    from talentbridge.services.rounds import RoundService

    service = RoundService(session)
    rnd = service.get(round_id)
    runs = [run_summary(r) for r in service.store.runs(round_id)]
    ids = list(session.scalars(select(AiRunRecordRow.id).where(AiRunRecordRow.round_id == round_id)))
    return {
        "round": {
            "id": rnd.id,
            "name": rnd.name,
            "status": rnd.status.value,
            "mechanism": rnd.mechanism,
            "published_at": rnd.published_at,
            "published_by": rnd.published_by,
        },  # fmt: skip
        "runs": runs,
        "fairness": round_fairness(session, round_id),
        "records": _records(session, round_id=round_id),
        "reviews": _reviews(session, ids),
    }


def build_content(
    session: Session, settings: Settings, *, round_id: int | None, period: str | None, audit_top: int = 20
) -> dict[str, Any]:
    """Everything a pack shows, as plain data (the HTML and PDF render it)."""
    if (round_id is None) == (period is None):
        raise ValidationFailed(
            "choose a round or a period", [Problem(("round_id",), "give a round or a period (not both)", None)]
        )
    content: dict[str, Any] = {
        "generated_at": datetime.now(UTC),
        "software_version": talentbridge.__version__,
        "taxonomy_version": ai_records.taxonomy_version(session),
        "method": METHOD,
    }
    if round_id is not None:
        section = _round_section(session, round_id)
        content.update(scope="round", title=f"{section['round']['name']} (#{round_id})", rounds=[section])
        content["counts"] = ai_records.counts_by_kind(session, round_id=round_id)
        content["shortlists"] = None
        return content
    assert period is not None
    since, until = period_bounds(period)
    published = _published_rounds(session, since, until)
    content.update(scope="period", title=period, period={"start": since.date(), "end": until.date()})
    content["counts"] = ai_records.counts_by_kind(session, since=since, until=until)
    content["rounds"] = [_round_section(session, rid) for rid in published]
    content["records"] = _records(session, since=since, until=until, kinds=("batch", "round_approval"))
    content["reviews"] = _reviews(session, None, since, until)
    from talentbridge.services.recommend import RecommendService

    try:
        content["shortlists"] = RecommendService(settings, session).audit(audit_top, 1000)
    except Exception as exc:  # noqa: BLE001 - a pack still documents the rest; the reason is shown
        content["shortlists"] = {"error": str(exc)}
    return content


def _published_rounds(session: Session, since: datetime, until: datetime) -> list[int]:
    from talentbridge.storage.tables import RoundRow

    stmt = select(RoundRow.id).where(RoundRow.published_at >= since, RoundRow.published_at < until)
    return list(session.scalars(stmt.order_by(RoundRow.id)))


def render_html(content: dict[str, Any], lang: str = "ko") -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    folder = Path(str(resources.files("talentbridge.services") / "templates"))
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]))
    return env.get_template("ai_pack.html").render(c=content, lang=lang, m=content["method"][lang])


def generate(
    session: Session,
    settings: Settings,
    *,
    round_id: int | None = None,
    period: str | None = None,
    actor: str | None = None,
    output: Path | None = None,
    pdf: bool = True,
) -> dict[str, Any]:
    """Generate the pack, keep it under ``<data_dir>/ai-packs/<id>/`` (and copy it to ``output`` if given),
    list it; returns the pack's row as a dict. Round packs are written in the round's records' transaction."""
    if pdf:
        from talentbridge.services.ai_pack_pdf import korean_font

        korean_font()  # no Korean font: refused before anything is written
    if round_id is not None:
        from talentbridge.services.rounds import RoundService

        RoundService(session).get(round_id)  # NotFound before anything is written
    content = build_content(session, settings, round_id=round_id, period=period)
    row = AiDocumentationPackRow(
        scope=content["scope"], round_id=round_id, period=period, folder="", files=[], summary={}, created_by=actor
    )
    session.add(row)
    session.flush()
    folder = Path(settings.data_dir) / "ai-packs" / str(row.id)
    # written to a temporary folder renamed into place: a process killed half-way leaves no half pack (its row is
    # rolled back with the transaction; a folder left by a rolled-back row of the same id is replaced)
    work = folder.with_name(f"{folder.name}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = []
    for lang in ("ko", "en"):
        name = "pack.html" if lang == "ko" else "pack.en.html"
        (work / name).write_text(render_html(content, lang), encoding="utf-8")
        files.append(name)
    if pdf:
        from talentbridge.services.ai_pack_pdf import write_pdf

        write_pdf(content, work / "pack.pdf")
        files.append("pack.pdf")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(work, folder)
    row.folder = str(folder)
    row.files = files
    row.summary = {
        "counts": content["counts"],
        "flagged": sum(len(s["fairness"]["flagged"]) for s in content.get("rounds", [])),
        "rounds": [s["round"]["id"] for s in content.get("rounds", [])],
    }
    session.flush()
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copyfile(folder / name, output / name)
    return _pack_dict(row)


def _pack_dict(row: AiDocumentationPackRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "scope": row.scope,
        "round_id": row.round_id,
        "period": row.period,
        "folder": row.folder,
        "files": list(row.files or []),
        "summary": row.summary,
        "created_by": row.created_by,
        "created_at": row.created_at,
    }


def list_packs(session: Session, round_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    stmt = select(AiDocumentationPackRow)
    if round_id is not None:
        stmt = stmt.where(AiDocumentationPackRow.round_id == round_id)
    rows = session.scalars(stmt.order_by(AiDocumentationPackRow.id.desc()).limit(limit))
    return [_pack_dict(r) for r in rows]


_MEDIA = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf"}


def pack_file(session: Session, pack_id: int, name: str) -> tuple[Path, str]:
    """The path and media type of one kept file of a pack (only names the pack lists)."""
    row = session.get(AiDocumentationPackRow, pack_id)
    if row is None or name not in (row.files or []):
        raise NotFound("documentation pack file", f"{pack_id}/{name}")
    path = Path(row.folder) / name
    if not path.is_file():
        raise NotFound("documentation pack file", f"{pack_id}/{name}", "the file is no longer on disk")
    return path, _MEDIA.get(path.suffix, "application/octet-stream")
