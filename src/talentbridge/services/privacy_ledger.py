"""The erasure ledger: which people were erased, kept outside the database so a restored backup forgets them again.

A backup made before an erasure still holds the person. PIPA asks that erased data cannot be restored, so every
erasure appends one line to ``<data_dir>/privacy/erasure-ledger.jsonl`` — a file the database backups do not
contain and ``restore`` does not replace — and ``talentbridge restore`` re-applies every erasure in it to the
restored database (:func:`reapply`), with the same anonymous id, so the restored records match the ones made after
the erasure.

A line holds no personal data: the kind (``talent`` or ``user``), the row's internal id, the anonymous id that
replaced the person, when and why, and ``key`` — a hash of the row's id and creation time, so an entry is applied
only to the row it was written for (a backup of another installation with the same ids is left alone and
reported).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from talentbridge.config import Settings

__all__ = ["LedgerEntry", "ReapplyResult", "ledger_path", "row_key", "record", "read_ledger", "reapply"]

LEDGER_NAME = "erasure-ledger.jsonl"


@dataclass(frozen=True)
class LedgerEntry:
    kind: str  # talent | user
    id: int
    key: str
    anonymous_id: str | None
    erased_at: str
    reason: str


@dataclass
class ReapplyResult:
    """What :func:`reapply` did: erased again, already erased (or gone), and entries whose row is another one."""

    erased: list[int] = field(default_factory=list)
    accounts: list[int] = field(default_factory=list)
    already: int = 0
    mismatched: list[dict[str, Any]] = field(default_factory=list)
    storage: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ledger_path(settings: Settings) -> Path:
    return settings.data_dir / "privacy" / LEDGER_NAME


def row_key(kind: str, row_id: int, created_at: datetime | None) -> str:
    """A hash of a row's kind, id and creation time (to the second, UTC): the same on SQLite and PostgreSQL."""
    when = ""
    if created_at is not None:
        aware = created_at if created_at.tzinfo is not None else created_at.replace(tzinfo=UTC)
        when = aware.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    return hashlib.sha256(f"{kind}:{row_id}:{when}".encode()).hexdigest()[:32]


def read_ledger(settings: Settings) -> list[LedgerEntry]:
    path = ledger_path(settings)
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            out.append(LedgerEntry(**{k: data.get(k) for k in LedgerEntry.__dataclass_fields__}))
    return out


def record(settings: Settings, entries: Iterable[LedgerEntry]) -> int:
    """Append ``entries`` not in the ledger yet (by kind, id and key); flushed to disk before returning."""
    known = {(e.kind, e.id, e.key) for e in read_ledger(settings)}
    new = [e for e in entries if (e.kind, e.id, e.key) not in known]
    if not new:
        return 0
    path = ledger_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for e in new:
            handle.write(json.dumps(asdict(e), ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return len(new)


def talent_entry(talent_id: int, created_at: datetime | None, anonymous_id: str, reason: str) -> LedgerEntry:
    return LedgerEntry("talent", talent_id, row_key("talent", talent_id, created_at), anonymous_id,
                       datetime.now(UTC).isoformat(timespec="seconds"), reason)


def user_entry(user_id: int, created_at: datetime | None, reason: str = "request") -> LedgerEntry:
    return LedgerEntry("user", user_id, row_key("user", user_id, created_at), None,
                       datetime.now(UTC).isoformat(timespec="seconds"), reason)


def reapply(settings: Settings, db: Any) -> ReapplyResult:
    """Erase again, in the database ``db`` (just restored), everyone the ledger says was erased: each talent in
    its own transaction with the ledger's anonymous id, then the index, text store, uploads and database files
    as after any erasure. Rows already erased or gone are skipped; an entry whose row has another creation time
    is not applied and is reported."""
    from talentbridge.services.privacy_erase import (
        compact_database,
        erase_account,
        erase_talent,
        find_talent,
        forget_outside_database,
    )
    from talentbridge.storage.account_tables import UserRow
    from talentbridge.storage.privacy_tables import TalentErasureRow
    from talentbridge.storage.tables import TalentRow

    result = ReapplyResult()
    erasures = []
    for entry in read_ledger(settings):
        with db.session(write=True) as session:
            if entry.kind == "talent":
                row = session.get(TalentRow, entry.id)
                if row is None or session.get(TalentErasureRow, entry.id) is not None:
                    result.already += 1
                    continue
                if row_key("talent", row.id, row.created_at) != entry.key:
                    result.mismatched.append({"kind": entry.kind, "id": entry.id})
                    continue
                talent = find_talent(session, talent_id=entry.id)
                erasures.append(erase_talent(session, talent, reason=entry.reason, actor_role="system",
                                             anonymous=entry.anonymous_id))
                result.erased.append(entry.id)
            elif entry.kind == "user":
                user = session.get(UserRow, entry.id)
                if user is None:
                    result.already += 1
                    continue
                if row_key("user", user.id, user.created_at) != entry.key:
                    result.mismatched.append({"kind": entry.kind, "id": entry.id})
                    continue
                erase_account(session, entry.id)
                result.accounts.append(entry.id)
    if erasures:
        with db.session() as session:
            forget_outside_database(settings, session, erasures)
    if erasures or result.accounts:
        result.storage = compact_database(db.engine)
    return result
