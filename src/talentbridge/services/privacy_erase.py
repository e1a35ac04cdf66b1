"""Erasure of a talent's personal data (PIPA art. 36 and 21), on request or by the retention limit.

What happens, in one transaction:

    talent row      becomes a tombstone: name and external id are a new random anonymous id (``anon-…``), every
                    personal field is emptied; category, region and nationality stay, so counts by them still
                    add up; ``talent_erasures`` marks it
    linked rows     found from the schema (``privacy_scrub.find_person_rows``): skills, the account, its tokens,
                    notifications and e-mails are deleted; applications, placements, round participation and
                    follow-ups are kept with free text blanked and the person's strings replaced by the anonymous
                    id; audit entries about the person keep the action, lose the personal detail and address
    audit           one entry ``privacy.erase`` (who asked, the anonymous id, how many rows) — no personal data

Then, outside the database: the erasure is appended to the erasure ledger (``privacy_ledger``: no personal data;
``talentbridge restore`` re-applies it to a backup made before), the talent index and the text-embedding store
forget the person (a public method of ``RecommendService``), upload files under ``<data_dir>/transfers`` that name
the person are deleted, and SQLite's write-ahead log is checkpointed and the file vacuumed, so no free page keeps
the old values.
"""

from __future__ import annotations

import logging
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain import Talent
from talentbridge.domain.errors import InvalidState, NotFound
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.privacy_scrub import (
    TABLE_ACTIONS,
    delete_rows,
    find_person_rows,
    metadata,
    residue,
    residue_in_rows,
    scrub_rows,
)
from talentbridge.storage.privacy_tables import TalentErasureRow
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.tables import TalentRow

__all__ = [
    "Erasure",
    "erase",
    "erase_account",
    "erase_talent",
    "find_talent",
    "anonymous_id",
    "forget_outside_database",
    "compact_database",
]

log = logging.getLogger(__name__)

ANON_PREFIX = "anon-"


def anonymous_id() -> str:
    """A new random id that stands for an erased person (never derived from anything about them)."""
    return ANON_PREFIX + secrets.token_hex(6)


@dataclass
class Erasure:
    """What one erasure did."""

    talent_id: int
    anonymous_id: str
    deleted: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    residue: list[tuple[str, str, int]] = field(default_factory=list)
    storage: str = ""
    #: the strings searched for afterwards (kept in memory only, never stored or printed)
    strings: list[str] = field(default_factory=list, repr=False)
    identifiers: list[str] = field(default_factory=list, repr=False)
    talent: Talent | None = field(default=None, repr=False)
    reason: str = "request"
    created_at: datetime | None = field(default=None, repr=False)  # of the talent row: the ledger's key

    def as_dict(self) -> dict[str, Any]:
        return {
            "talent_id": self.talent_id,
            "anonymous_id": self.anonymous_id,
            "deleted": self.deleted,
            "scrubbed": self.scrubbed,
            "files": self.files,
            "residue": [list(r) for r in self.residue],
            "storage": self.storage,
        }


def find_talent(session: Session, *, external_id: str | None = None, talent_id: int | None = None) -> Talent:
    """The talent by external id or id; NotFound otherwise; InvalidState when already erased."""
    repos = Repositories(session)
    if external_id is not None:
        found = repos.talents.get_by_external_id(external_id)
        if found is None:
            raise NotFound("talent", external_id)
        talent = found
    elif talent_id is not None:
        talent = repos.talents.get(talent_id)
    else:
        raise NotFound("talent", None)
    if session.get(TalentErasureRow, talent.id) is not None:
        raise InvalidState(f"talent {talent.id} was erased already")
    return talent


def _strings(session: Session, talent: Talent) -> list[str]:
    """The person's identifying strings: name, Latin name, e-mail, phone, external id, the account's e-mail and
    name. Longest first, so a name inside an e-mail is replaced as part of the e-mail."""
    from talentbridge.storage.account_tables import UserRow

    values = [talent.name, talent.name_latin, talent.email, talent.phone, talent.external_id]
    for email, name in session.execute(select(UserRow.email, UserRow.name).where(UserRow.talent_id == talent.id)):
        values += [email, name]
    out = sorted({v.strip() for v in values if v and len(v.strip()) >= 2}, key=len, reverse=True)
    return out


def _account_names(session: Session, talent_id: int) -> set[str]:
    from talentbridge.storage.account_tables import UserRow

    return {n for n in session.scalars(select(UserRow.name).where(UserRow.talent_id == talent_id)) if n}


def _tombstone(session: Session, talent_id: int, anon: str) -> None:
    row = session.get(TalentRow, talent_id)
    assert row is not None
    row.external_id = anon
    row.name = anon
    row.name_latin = None
    row.email = None
    row.phone = None
    row.gender = None
    row.birth_year = None
    row.visa_type = None
    row.visa_expires = None
    row.education = []
    row.work_history = []
    row.skills = []
    row.resume_text = None
    row.desired_roles = []
    row.employment_types = []
    row.salary_expectation = None
    row.available_from = None
    row.current_employer_id = None
    row.consent_visible = False
    row.consent_statistics = False


def erase_talent(
    session: Session,
    talent: Talent,
    *,
    reason: str = "request",
    actor_id: int | None = None,
    actor_role: str = "operator",
    ip: str | None = None,
    anonymous: str | None = None,
) -> Erasure:
    """Erase ``talent`` in the database (the caller commits); see the module docstring. ``anonymous``: the
    anonymous id to use (re-applying a ledger entry after a restore), else a new one."""
    md = metadata()
    anon = anonymous or anonymous_id()
    strings = _strings(session, talent)
    found_names = _account_names(session, talent.id)
    found = find_person_rows(session, [talent.id])
    created = session.scalar(select(TalentRow.created_at).where(TalentRow.id == talent.id))
    result = Erasure(talent.id, anon, strings=strings, talent=talent, reason=reason, created_at=created)
    # children before parents, so a kept row is scrubbed before a deleted parent sets its link to NULL
    for table in reversed(md.sorted_tables):
        keys = found.keys.get(table.name)
        if not keys:
            continue
        action = TABLE_ACTIONS.get(table.name, "keep")
        if action == "tombstone":
            continue
        if action == "delete":
            result.deleted[table.name] = delete_rows(session, table, keys)
        else:
            n = scrub_rows(session, table, keys, strings, anon)
            if n:
                result.scrubbed[table.name] = n
    users = found.ids("users")
    if users:  # the address the person acted from; actions by others about them keep theirs
        from talentbridge.storage.account_tables import AuditLogRow

        session.execute(update(AuditLogRow).where(AuditLogRow.actor_id.in_(sorted(users))).values(ip=None))
    _tombstone(session, talent.id, anon)
    session.add(TalentErasureRow(talent_id=talent.id, anonymous_id=anon, reason=reason, by_role=actor_role))
    session.flush()
    erased_self = actor_role == "talent"
    write_entries(
        session,
        [
            AuditEntry(
                actor_id=None if erased_self else actor_id,
                actor_role=actor_role,
                action="privacy.erase",
                entity="talent",
                entity_id=talent.id,
                detail={"anonymous_id": anon, "reason": reason, "deleted": result.deleted, "scrubbed": result.scrubbed},
                ip=None if erased_self else ip,
            )
        ],
    )
    session.flush()
    # e-mail, phone and external id are the person's alone: searched everywhere; a name may be someone else's
    # too, so it is searched in the person's own rows only
    names = {talent.name, talent.name_latin} | set(found_names)
    identifiers = [v for v in strings if v not in names]
    result.identifiers = identifiers
    result.residue = residue(session, identifiers) + residue_in_rows(session, found, strings)
    return result


# --------------------------------------------------------------------------------------------- outside the database


def forget_outside_database(settings: Settings, session: Session, erasures: list[Erasure]) -> list[str]:
    """Record the erasures in the ledger, then make the index, the text store and uploaded files forget the
    erased people; returns files removed."""
    from talentbridge.services.privacy_ledger import record, talent_entry
    from talentbridge.services.recommend_context import MatchingContext
    from talentbridge.services.talent_index import TalentIndexService

    record(settings, [talent_entry(e.talent_id, e.created_at, e.anonymous_id, e.reason) for e in erasures])

    talents = [e.talent for e in erasures if e.talent is not None]
    if talents:
        TalentIndexService(MatchingContext(settings, session)).forget_talents(talents)
    strings = sorted({s for e in erasures for s in e.identifiers if len(s) >= 4}, key=len, reverse=True)
    return _forget_transfer_files(settings.data_dir / "transfers", strings)


def _file_mentions(path: Path, needles: list[bytes]) -> bool:
    try:
        if zipfile.is_zipfile(path):  # XLSX: look inside
            with zipfile.ZipFile(path) as zf:
                return any(any(n in zf.read(name) for n in needles) for name in zf.namelist())
        data = path.read_bytes()
    except (OSError, zipfile.BadZipFile):
        return False
    return any(n in data for n in needles)


def _forget_transfer_files(folder: Path, strings: list[str]) -> list[str]:
    """Delete uploads and rejected-row files that mention one of ``strings`` (UTF-8 or UTF-16 text, XLSX)."""
    if not folder.exists() or not strings:
        return []
    needles = [s.encode(enc) for s in strings for enc in ("utf-8", "utf-16-le")]
    removed = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if _file_mentions(path, needles):
            path.unlink(missing_ok=True)
            removed.append(str(path.relative_to(folder.parent)))
    return removed


def compact_database(engine: Any) -> str:
    """Leave no erased value in the database files: SQLite checkpoints its write-ahead log, rewrites the file
    (VACUUM: no free page keeps old rows) and truncates the log; PostgreSQL vacuums (dead row versions go)."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside SQLAlchemy's transaction: VACUUM refuses to run inside one
        try:
            cur = raw.driver_connection.cursor()
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("VACUUM")
            busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cur.close()
        finally:
            raw.close()
        if busy and busy[0]:
            log.warning("SQLite checkpoint after erasure was blocked by a reader; the log is truncated next time")
            return "sqlite: vacuumed; write-ahead log busy"
        return "sqlite: checkpointed and vacuumed"
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))
        return "postgresql: vacuumed"
    return engine.dialect.name


def erased_at(session: Session, talent_id: int) -> datetime | None:
    row = session.get(TalentErasureRow, talent_id)
    return None if row is None else row.erased_at.replace(tzinfo=row.erased_at.tzinfo or UTC)


def erase_account(session: Session, user_id: int) -> datetime | None:
    """Delete an account that has no talent profile (its tokens and notices go with it); the audit keeps the
    action under the account's id. Returns when the account was made (the erasure ledger's key)."""
    from talentbridge.storage.account_tables import AuditLogRow, UserRow

    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound("user", user_id)
    created = row.created_at
    session.execute(update(AuditLogRow).where(AuditLogRow.actor_id == user_id).values(ip=None))
    session.delete(row)
    write_entries(session, [AuditEntry(None, "system", "privacy.erase", "user", user_id, {"reason": "request"})])
    return created


def erase(
    settings: Settings,
    db: Any,
    *,
    external_id: str | None = None,
    talent_id: int | None = None,
    reason: str = "request",
    actor_id: int | None = None,
    actor_role: str = "operator",
    ip: str | None = None,
) -> Erasure:
    """The whole erasure of one talent: database (one transaction), then index, text store, uploads, and the
    database files (``compact_database``). ``db`` is a ``storage.Database``."""
    with db.session(write=True) as session:
        talent = find_talent(session, external_id=external_id, talent_id=talent_id)
        result = erase_talent(session, talent, reason=reason, actor_id=actor_id, actor_role=actor_role, ip=ip)
    with db.session() as session:
        result.files = forget_outside_database(settings, session, [result])
    result.storage = compact_database(db.engine)
    return result
