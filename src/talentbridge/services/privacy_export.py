"""Everything the platform holds about one talent, as one JSON document (PIPA art. 35, the right of access).

The document is built from the schema (``privacy_scrub.find_person_rows``): the profile, then every row of every
table that belongs to the person — skills, applications and their history, invitations, placements and
follow-ups, round participation and preferences, notifications and e-mails, consents and their history, the
account, and the audit entries about them (who looked at or changed their data). A table added later appears
without a change here. Secrets (password and token hashes) are left out. Each export writes an audit entry.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.domain import Talent
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.privacy_scrub import find_person_rows, key_filter, metadata

__all__ = ["export_talent", "export_json", "write_export", "SECRET_COLUMNS", "EXPORT_FORMAT"]

EXPORT_FORMAT = "talentbridge-personal-data/1"

#: Columns never exported: they hold no information about the person, only secrets that would let someone in.
SECRET_COLUMNS = {"password_hash", "token_hash"}

#: Section names of tables, in the order a reader meets them (others follow in table order).
SECTION_ORDER = (
    "talent_skills",
    "consent_records",
    "applications",
    "application_events",
    "invitations",
    "placements",
    "placement_followups",
    "round_participants",
    "round_preferences",
    "notifications",
    "outbox_emails",
    "users",
    "api_tokens",
    "password_resets",
    "audit_log",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def export_talent(
    session: Session,
    talent: Talent,
    *,
    actor_id: int | None = None,
    actor_role: str = "operator",
    ip: str | None = None,
) -> dict[str, Any]:
    """The export document of ``talent`` (see the module docstring); writes an audit entry ``privacy.export``."""
    md = metadata()
    found = find_person_rows(session, [talent.id])
    tables: dict[str, list[dict[str, Any]]] = {}
    names = [n for n in SECTION_ORDER if n in found.keys] + sorted(
        n for n in found.keys if n not in SECTION_ORDER and n != "talents"
    )
    for name in names:
        table = md.tables[name]
        keys = found.keys[name]
        if not keys:
            continue
        cols = [c for c in table.columns if c.name not in SECRET_COLUMNS]
        pk = list(table.primary_key.columns)
        rows = session.execute(select(*cols).where(key_filter(table, keys)).order_by(*pk)).mappings().all()
        tables[name] = [{k: _plain(v) for k, v in r.items()} for r in rows]
    consents = {
        "consent_visible": talent.consent_visible,
        "consent_statistics": talent.consent_statistics,
    }
    doc = {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "talent_id": talent.id,
        "profile": json.loads(talent.model_dump_json()),
        "consents": consents,
        "records": tables,
        "counts": {name: len(rows) for name, rows in tables.items()},
    }
    write_entries(
        session,
        [
            AuditEntry(
                actor_id=actor_id,
                actor_role=actor_role,
                action="privacy.export",
                entity="talent",
                entity_id=talent.id,
                detail={"tables": sorted(tables)},
                ip=ip,
            )
        ],
    )
    return doc


def export_json(doc: dict[str, Any]) -> str:
    """The document as UTF-8 JSON text (Korean kept readable)."""
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def write_export(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(export_json(doc) + "\n", encoding="utf-8")
