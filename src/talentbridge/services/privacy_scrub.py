"""Finding and removing one person's data in every table, from the schema itself (used by erasure and retention).

The rows that belong to a person are found by following the metadata, not a hand-kept list, so tables added later
are covered without a change here:

    roots           the talent row and the accounts (``users``) linked to it
    children        every row of any table whose foreign key points at a row already found (transitively:
                    applications → application_events, notifications → outbox_emails, placements → follow-ups)
    marked columns  a column without a foreign key that still names a person says so in its ``info``:
                    ``mapped_column(..., info={"person": "talent"})`` (a talent id) or ``{"person": "user"}``
                    (an account id); ``{"pii": True}`` marks a column to blank in the rows found
    PERSON_LINKS    the few links that need a condition (audit entries about the person, round preferences of
                    the talent side): a tuple other modules may extend

What happens to the rows found is ``TABLE_ACTIONS[table]`` — ``delete`` or ``keep`` — and for kept rows the
columns are scrubbed: free text (``Text``, long ``String``, columns marked ``pii``) becomes empty, every other
text or JSON value has the person's strings (name, e-mail, phone, external id) replaced by the anonymous id.
Tables not named in ``TABLE_ACTIONS`` are kept and scrubbed: the safe default for a record another module keeps
(e.g. an AI-run record whose review reason a person wrote).

``residue`` looks for the person's strings in every text and JSON column of every table (the check after an
erasure, and the test's scan).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, Table, Text, and_, cast, delete, false, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.storage.base import Base

__all__ = [
    "PersonLink",
    "PERSON_LINKS",
    "TABLE_ACTIONS",
    "PersonRows",
    "find_person_rows",
    "scrub_rows",
    "replace_strings",
    "residue",
    "residue_in_rows",
    "metadata",
    "key_filter",
    "delete_rows",
]

#: Tables whose rows found for a person are deleted (the rest are kept and scrubbed).
TABLE_ACTIONS: dict[str, str] = {
    "talent_skills": "delete",
    "users": "delete",
    "api_tokens": "delete",
    "password_resets": "delete",
    "notifications": "delete",
    "outbox_emails": "delete",
    "invitations": "delete",
    "consent_records": "keep",
    "talent_erasures": "keep",
    "talents": "tombstone",  # handled by privacy_erase
}

#: String columns at least this long are free text, blanked in the person's rows.
FREE_TEXT_LENGTH = 500


@dataclass(frozen=True)
class PersonLink:
    """Rows of ``table`` whose ``column`` holds an id of the person's ``kind`` rows (``talents``, ``users``,
    ``applications``...), when ``where`` (column name → value) also holds."""

    table: str
    column: str
    kind: str
    where: tuple[tuple[str, Any], ...] = ()


#: Links without a foreign key. Other modules add theirs here (or mark the column with ``info={"person": ...}``).
PERSON_LINKS: tuple[PersonLink, ...] = (
    PersonLink("audit_log", "entity_id", "talents", (("entity", "talent"),)),
    PersonLink("audit_log", "entity_id", "users", (("entity", "user"),)),
    PersonLink("audit_log", "entity_id", "applications", (("entity", "application"),)),
    PersonLink("audit_log", "entity_id", "placements", (("entity", "placement"),)),
    PersonLink("audit_log", "entity_id", "invitations", (("entity", "invitation"),)),
    PersonLink("audit_log", "actor_id", "users"),
    PersonLink("round_preferences", "owner_id", "talents", (("side", "talent"),)),
    PersonLink("ai_human_reviews", "talent_id", "talents"),
    PersonLink("ai_run_records", "subject_id", "talents", (("subject_type", "talent"),)),
    PersonLink("ai_run_records", "seen_by_user_id", "users"),
)


def metadata() -> Any:
    """Every table the product knows (``storage.models`` imports them all)."""
    import talentbridge.storage.models  # noqa: F401 - registers every table module

    return Base.metadata


@dataclass
class PersonRows:
    """Primary keys of the rows found per table (each key a tuple)."""

    keys: dict[str, set[tuple[Any, ...]]]

    def ids(self, table: str) -> set[Any]:
        """Single-column keys of ``table``."""
        return {k[0] for k in self.keys.get(table, set()) if len(k) == 1}

    def count(self) -> dict[str, int]:
        return {t: len(k) for t, k in sorted(self.keys.items()) if k}


def _pk(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


def key_filter(table: Table, keys: Iterable[tuple[Any, ...]]) -> ColumnElement[bool]:
    cols = _pk(table)
    keys = list(keys)
    if not keys:
        return false()
    if len(cols) == 1:
        return cols[0].in_([k[0] for k in keys])
    return or_(*(and_(*(c == v for c, v in zip(cols, k, strict=True))) for k in keys))


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _select_keys(session: Session, table: Table, condition: ColumnElement[bool]) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in session.execute(select(*_pk(table)).where(condition))}


def find_person_rows(session: Session, talent_ids: Iterable[int]) -> PersonRows:
    """Every row that belongs to these talents (see the module docstring), the talent rows included."""
    md = metadata()
    tables: dict[str, Table] = dict(md.tables)
    found: dict[str, set[tuple[Any, ...]]] = {"talents": {(int(t),) for t in talent_ids}}
    if "users" in tables:
        users = tables["users"]
        tids = [k[0] for k in found["talents"]]
        found["users"] = set()
        for part in _chunks(tids):
            found["users"] |= _select_keys(session, users, users.c.talent_id.in_(part))
    links = list(PERSON_LINKS)
    for table in md.sorted_tables:
        for col in table.columns:
            kind = col.info.get("person")
            if kind in ("talent", "user"):
                links.append(PersonLink(table.name, col.name, "talents" if kind == "talent" else "users"))
    changed = True
    while changed:
        changed = False
        for table in md.sorted_tables:
            if table.name in ("talents",):
                continue
            conditions: list[ColumnElement[bool]] = []
            for fk in table.foreign_keys:
                target = fk.column.table.name
                ids = [k[0] for k in found.get(target, set()) if len(k) == 1]
                if ids and fk.parent.table is table and target != table.name:
                    conditions += [fk.parent.in_(part) for part in _chunks(ids)]
            for link in links:
                if link.table != table.name or link.column not in table.c:
                    continue
                ids = [k[0] for k in found.get(link.kind, set()) if len(k) == 1]
                if not ids:
                    continue
                extra = [table.c[c] == v for c, v in link.where if c in table.c]
                conditions += [and_(table.c[link.column].in_(part), *extra) for part in _chunks(ids)]
            if not conditions:
                continue
            keys = _select_keys(session, table, or_(*conditions))
            before = found.get(table.name, set())
            if not keys <= before:
                found[table.name] = before | keys
                changed = True
    return PersonRows(found)


# --------------------------------------------------------------------------------------------- scrubbing


def replace_strings(value: Any, strings: list[str], replacement: str) -> Any:
    """``value`` (text, or JSON of lists and dicts) with each of ``strings`` replaced by ``replacement``."""
    if isinstance(value, str):
        for s in strings:
            if s and s in value:
                value = value.replace(s, replacement)
        return value
    if isinstance(value, list):
        return [replace_strings(v, strings, replacement) for v in value]
    if isinstance(value, dict):
        return {
            replace_strings(k, strings, replacement): replace_strings(v, strings, replacement) for k, v in value.items()
        }
    return value


def _is_json(col: Any) -> bool:
    t = col.type
    return isinstance(t, JSON) or isinstance(getattr(t, "impl", None), JSON) or type(t).__name__ in ("JSONB",)


def _is_free_text(col: Any) -> bool:
    if col.info.get("pii"):
        return True
    if col.primary_key or col.foreign_keys:
        return False
    if isinstance(col.type, Text):
        return True
    return isinstance(col.type, String) and (col.type.length or FREE_TEXT_LENGTH) >= FREE_TEXT_LENGTH


def _is_text(col: Any) -> bool:
    return isinstance(col.type, String) and not col.primary_key and not col.foreign_keys


def scrub_rows(
    session: Session, table: Table, keys: set[tuple[Any, ...]], strings: list[str], anonymous_id: str
) -> int:
    """Blank free text and replace the person's strings in the rows ``keys`` of ``table``; returns rows changed."""
    free = [c for c in table.columns if _is_free_text(c)]
    texts = [c for c in table.columns if _is_text(c) and c not in free]
    jsons = [c for c in table.columns if _is_json(c) and c not in free]
    if not (free or texts or jsons) or not keys:
        return 0
    pk = _pk(table)
    changed = 0
    for part in _chunks(sorted(keys, key=repr)):
        rows = session.execute(select(*pk, *texts, *jsons).where(key_filter(table, part))).all()
        for row in rows:
            key = tuple(row[: len(pk)])
            values: dict[str, Any] = {}
            for c in free:
                values[c.key] = None if c.nullable else ""
            for i, c in enumerate(texts + jsons):
                old = row[len(pk) + i]
                new = replace_strings(old, strings, anonymous_id)
                if new != old:
                    values[c.key] = new
            if values:
                session.execute(update(table).where(key_filter(table, [key])).values(**values))
                changed += 1
    return changed


def delete_rows(session: Session, table: Table, keys: set[tuple[Any, ...]]) -> int:
    n = 0
    for part in _chunks(sorted(keys, key=repr)):
        n += session.execute(delete(table).where(key_filter(table, part))).rowcount or 0
    return n


def residue(session: Session, strings: Iterable[str]) -> list[tuple[str, str, int]]:
    """(table, column, rows) for every text or JSON column of every table that still holds one of ``strings``."""
    md = metadata()
    wanted = [s for s in strings if s]
    out: list[tuple[str, str, int]] = []
    if not wanted:
        return out
    for table in md.sorted_tables:
        for col in table.columns:
            if not (isinstance(col.type, String) or _is_json(col)):
                continue
            expr = cast(col, Text) if _is_json(col) else col
            # JSON text escapes non-ASCII on SQLite (\uXXXX): look for the escaped form too
            variants = {v for s in wanted for v in (s, json.dumps(s)[1:-1])}
            cond = or_(*(expr.contains(v, autoescape=True) for v in variants))
            hits = session.scalar(select(_count()).select_from(table).where(cond)) or 0
            if hits:
                out.append((table.name, col.name, int(hits)))
    return out


def residue_in_rows(session: Session, rows: PersonRows, strings: Iterable[str]) -> list[tuple[str, str, int]]:
    """Like ``residue``, but only in the rows ``rows`` (rows deleted meanwhile are simply not found)."""
    md = metadata()
    wanted = [s for s in strings if s]
    out: list[tuple[str, str, int]] = []
    for name, keys in sorted(rows.keys.items()):
        table = md.tables.get(name)
        if table is None or not keys or not wanted:
            continue
        cols = [c for c in table.columns if isinstance(c.type, String) or _is_json(c)]
        if not cols:
            continue
        hits: dict[str, int] = {}
        for part in _chunks(sorted(keys, key=repr)):
            for row in session.execute(select(*cols).where(key_filter(table, part))):
                for col, value in zip(cols, row, strict=True):
                    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    if value is not None and any(s in text for s in wanted):
                        hits[col.name] = hits.get(col.name, 0) + 1
        out += [(name, c, n) for c, n in sorted(hits.items())]
    return out


def _count() -> Any:
    from sqlalchemy import func

    return func.count()
