"""What the privacy pages need: finding the talent a request is about, and the export as readable sections."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentbridge.storage.privacy_tables import TalentErasureRow
from talentbridge.storage.tables import TalentRow

__all__ = ["find_talents", "readable_sections", "SECTION_TITLES", "is_erased", "erasure_of"]

#: Section titles (English message ids; the pages translate them) of the export's tables.
SECTION_TITLES = {
    "talent_skills": "Skills",
    "consent_records": "Consent history",
    "applications": "Applications",
    "application_events": "Application history",
    "invitations": "Invitations",
    "placements": "Placements",
    "placement_followups": "Placement follow-ups",
    "round_participants": "Rounds you take part in",
    "round_preferences": "Your rankings in rounds",
    "notifications": "Notifications",
    "outbox_emails": "E-mails sent to you",
    "users": "Your account",
    "api_tokens": "API tokens",
    "password_resets": "Password resets",
    "audit_log": "Who viewed or changed your data",
    "ai_human_reviews": "Your requests for a human review",
    "ai_run_records": "AI recommendation lists about you",
}


def find_talents(session: Session, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Talents whose external id or e-mail is ``query``, or whose name contains it (erased ones excluded)."""
    q = query.strip()
    if not q:
        return []
    erased = select(TalentErasureRow.talent_id)
    stmt = (
        select(TalentRow.id, TalentRow.external_id, TalentRow.name, TalentRow.email, TalentRow.region)
        .where(
            or_(
                TalentRow.external_id == q,
                func.lower(TalentRow.email) == q.lower(),
                TalentRow.name.contains(q, autoescape=True),
            ),
            TalentRow.id.not_in(erased),
        )
        .order_by(TalentRow.id)
        .limit(limit)
    )
    return [dict(r._mapping) for r in session.execute(stmt)]


def is_erased(session: Session, talent_id: int) -> bool:
    return session.get(TalentErasureRow, talent_id) is not None


def erasure_of(session: Session, anonymous_id: str) -> dict[str, Any] | None:
    row = session.scalar(select(TalentErasureRow).where(TalentErasureRow.anonymous_id == anonymous_id))
    return None if row is None else {"anonymous_id": row.anonymous_id, "erased_at": row.erased_at, "reason": row.reason}


def readable_sections(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The export's records as sections: title (message id), column names, rows (values as text)."""
    out = []
    for name, rows in doc.get("records", {}).items():
        if not rows:
            continue
        columns = list(rows[0])
        out.append(
            {
                "table": name,
                "title": SECTION_TITLES.get(name, name),
                "columns": columns,
                "rows": [[_text(r.get(c)) for c in columns] for r in rows],
            }
        )
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)
