"""Human review of AI results (AI Basic Act): a person ranked or shown a ranking asks that a person review it;
every active operator is notified; an operator answers; the requester is notified and sees the answer. Both the
request and the answer are kept (``ai_human_reviews``), linked to the AI run record they are about.

What a request is about: ``record`` (the key an AI notice links to: unguessable, so holding it means the list
was shown to you) and/or ``subject`` — ``talent:ID``, ``opening:ID``, ``round:ID`` or ``round:ID:opening:ID`` —
for which the latest matching record is attached. ``reason`` and ``answer`` are free text about a person: they
are blanked when that person's data is erased (:func:`erase_talent`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from talentbridge.domain.errors import InvalidState, NotFound, PermissionDenied, Problem, ValidationFailed
from talentbridge.storage.ai_record_tables import AiHumanReviewRow, AiRunRecordRow

__all__ = [
    "Requester",
    "request_review",
    "answer_review",
    "list_reviews",
    "get_review",
    "erase_talent",
    "PERSONAL_TEXT_COLUMNS",
    "MAX_TEXT",
]

MAX_TEXT = 2000
_SUBJECT = re.compile(r"^(talent|opening|round):(\d{1,12})(?::opening:(\d{1,12}))?$")
#: Free-text columns about a person that erasure blanks (for the privacy service's column registry).
PERSONAL_TEXT_COLUMNS = (("ai_human_reviews", "reason"), ("ai_human_reviews", "answer"))


@dataclass(frozen=True)
class Requester:
    """Who asks or answers: the account and what it belongs to."""

    user_id: int
    role: str
    label: str
    talent_id: int | None = None
    organization_id: int | None = None


def _text(value: Any, field: str, problems: list[Problem]) -> str:
    text = str(value or "").strip()
    if not text:
        problems.append(Problem((field,), "required: say what should be looked at again", value, "missing"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem((field,), f"at most {MAX_TEXT} characters", len(text), "too_long"))
    return text


def _record_for(session: Session, record: str | None, subject: str | None, problems: list[Problem]) -> int | None:
    if record:
        found = session.scalar(select(AiRunRecordRow.id).where(AiRunRecordRow.key == str(record).strip()))
        if found is None:
            problems.append(Problem(("record",), "no AI record with this reference", record, "unknown_id"))
        return found
    if not subject:
        problems.append(Problem(("subject",), "name the AI result to review (a record or a subject)", None, "missing"))
        return None
    match = _SUBJECT.match(subject)
    if match is None:
        problems.append(
            Problem(("subject",), "talent:ID, opening:ID, round:ID or round:ID:opening:ID", subject, "format")
        )
        return None
    what, num, opening = match.group(1), int(match.group(2)), match.group(3)
    stmt = select(AiRunRecordRow.id)
    if what == "round" and opening:
        stmt = stmt.where(
            AiRunRecordRow.round_id == num,
            AiRunRecordRow.kind == "generated_ranking",
            AiRunRecordRow.subject_id == int(opening),
        )
    elif what == "round":
        stmt = stmt.where(AiRunRecordRow.round_id == num, AiRunRecordRow.kind.in_(("round_approval", "round_run")))
    else:
        stmt = stmt.where(AiRunRecordRow.subject_type == what, AiRunRecordRow.subject_id == num)
    return session.scalar(stmt.order_by(AiRunRecordRow.id.desc()).limit(1))  # None: kept without a record


def request_review(
    session: Session, requester: Requester, *, reason: str, record: str | None = None, subject: str | None = None
) -> dict[str, Any]:
    """Store the request and notify every active operator; returns the request. Every bad field at once."""
    if requester.role not in ("talent", "org_member"):
        raise PermissionDenied("a human review is asked for by the talent or organization the AI result is about")
    problems: list[Problem] = []
    text = _text(reason, "reason", problems)
    subject = (subject or "").strip() or None
    record_id = _record_for(session, record, subject, problems)
    if problems:
        raise ValidationFailed("invalid review request", problems)
    row = AiHumanReviewRow(
        record_id=record_id,
        subject=subject,
        requester_user_id=requester.user_id,
        requester_role=requester.role,
        talent_id=requester.talent_id,
        organization_id=requester.organization_id,
        status="open",
        reason=text,
    )
    session.add(row)
    session.flush()
    from talentbridge.services.notifications import notify_operators

    notify_operators(session, "ai_review_requested", {"review_id": row.id, "role": requester.role})
    return _public(session, row)


def answer_review(session: Session, review_id: int, answer: str, operator: Requester) -> dict[str, Any]:
    """An operator's answer: kept with who and when; the requester is notified. Answered once."""
    if operator.role != "operator":
        raise PermissionDenied("an operator answers review requests")
    row = session.get(AiHumanReviewRow, review_id)
    if row is None:
        raise NotFound("review request", review_id)
    if row.status != "open":
        raise InvalidState(f"review request {review_id} is already answered", review_id=review_id)
    problems: list[Problem] = []
    text = _text(answer, "answer", problems)
    if problems:
        raise ValidationFailed("invalid answer", problems)
    row.answer = text
    row.status = "answered"
    row.answered_by_user_id = operator.user_id
    row.answered_by = operator.label[:400]
    row.answered_at = datetime.now(UTC)
    session.flush()
    if row.requester_user_id is not None:
        from talentbridge.services.notifications import notify

        notify(session, account_id=row.requester_user_id, kind="ai_review_answered", params={"review_id": row.id})
    return _public(session, row)


def _public(session: Session, row: AiHumanReviewRow) -> dict[str, Any]:
    key = None
    if row.record_id is not None:
        key = session.scalar(select(AiRunRecordRow.key).where(AiRunRecordRow.id == row.record_id))
    return {
        "id": row.id,
        "record": key,
        "record_id": row.record_id,
        "subject": row.subject,
        "requester_user_id": row.requester_user_id,
        "requester_role": row.requester_role,
        "talent_id": row.talent_id,
        "organization_id": row.organization_id,
        "status": row.status,
        "reason": row.reason,
        "answer": row.answer,
        "answered_by": row.answered_by,
        "created_at": row.created_at,
        "answered_at": row.answered_at,
    }


def get_review(session: Session, review_id: int, reader: Requester) -> dict[str, Any]:
    row = session.get(AiHumanReviewRow, review_id)
    if row is None or (reader.role not in ("operator", "auditor") and row.requester_user_id != reader.user_id):
        raise NotFound("review request", review_id)
    return _public(session, row)


def list_reviews(
    session: Session, reader: Requester, *, status: str | None = None, page: int = 1, size: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """Staff see every request; anyone else their own. Open ones first, then newest first."""
    conditions = []
    if reader.role not in ("operator", "auditor"):
        conditions.append(AiHumanReviewRow.requester_user_id == reader.user_id)
    if status:
        conditions.append(AiHumanReviewRow.status == status)
    total = int(session.scalar(select(func.count()).select_from(AiHumanReviewRow).where(*conditions)) or 0)
    rows = session.scalars(
        select(AiHumanReviewRow)
        .where(*conditions)
        .order_by((AiHumanReviewRow.status == "open").desc(), AiHumanReviewRow.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [_public(session, r) for r in rows], total


def erase_talent(session: Session, talent_id: int, user_ids: list[int] | None = None) -> int:
    """Blank the free text of review requests by this talent (or their accounts ``user_ids``); the requests
    themselves stay (the record that a review was asked and answered). Returns how many were blanked."""
    who = [AiHumanReviewRow.talent_id == talent_id]
    if user_ids:
        who.append(AiHumanReviewRow.requester_user_id.in_(user_ids))
    result = session.execute(
        update(AiHumanReviewRow)
        .where(or_(*who))
        .values(reason="", answer=None, requester_user_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
