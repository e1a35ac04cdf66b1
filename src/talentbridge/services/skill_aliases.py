"""Operator-added skill aliases: add one, remove one (the operator's aliases page, the API, CLI ``taxonomy
add-alias`` / ``remove-alias``), list them, and apply them to a loaded taxonomy.

Aliases live in their own table (``storage/alias_tables.py``) so that ``taxonomy import-esco`` and built-in
reloads keep them. ``add_alias`` validates (known skill, language en/ko, 1–200 characters, not already a label
of that skill), writes an audit row, and clears this process's taxonomy and extractor caches so the next
extraction uses the alias; other processes drop theirs through the change bus (``taxonomy``) once the transaction
commits. ``remove_alias`` undoes one the same way (skills already stored from it stay: they are a person's or an
earlier inference's record).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentbridge.domain.errors import Msg, NotFound, Problem, ValidationFailed
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.skills.text import has_hangul, label_key

__all__ = [
    "SkillAlias", "add_alias", "remove_alias", "list_aliases", "apply_aliases", "alias_stamp", "MAX_ALIAS_CHARS"
]  # fmt: skip

MAX_ALIAS_CHARS = 200


@dataclass(frozen=True)
class SkillAlias:
    id: int
    skill_id: str
    lang: str
    alias: str
    created_by: str
    created_at: datetime | None
    also_label_of: tuple[str, ...] = ()  # other skills that carry the same label (shown as a warning)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "skill_id": self.skill_id,
            "lang": self.lang,
            "alias": self.alias,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "also_label_of": list(self.also_label_of),
        }


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


def add_alias(
    session: Session,
    taxonomy: Taxonomy,
    skill_id: str,
    alias: str,
    lang: str | None = None,
    *,
    actor: str = "",
    actor_id: int | None = None,
    actor_role: str = "operator",
    index: Any = None,
) -> SkillAlias:
    """Store ``alias`` for ``skill_id`` (``lang`` en or ko; guessed from the script when None).

    ``index`` (the extractor's ``ConceptIndex`` over ``taxonomy``'s skills) makes finding other skills with the
    same label one look-up. Raises ``NotFound`` for an unknown skill and ``ValidationFailed`` listing every
    problem of the input.
    Writes within ``session``'s transaction (the caller commits).
    """
    from talentbridge.storage.alias_tables import SkillAliasRow

    skill = taxonomy.skills.get(skill_id) or taxonomy.skill_by_uri().get(skill_id)
    if skill is None:
        raise NotFound("skill", skill_id)
    text = " ".join(unicodedata.normalize("NFKC", alias or "").split())
    lang = (lang or ("ko" if has_hangul(text) else "en")).lower()
    problems: list[Problem] = []
    if not text:
        problems.append(Problem(("alias",), "is required", type="missing"))
    elif len(text) > MAX_ALIAS_CHARS:
        problems.append(Problem(("alias",), Msg("at most {n} characters", n=MAX_ALIAS_CHARS), value=len(text)))
    elif not label_key(text):
        problems.append(Problem(("alias",), "has no letters or digits to match", value=text))
    if lang not in ("en", "ko"):
        problems.append(Problem(("lang",), "must be en or ko", value=lang))
    if text and label_key(text) in {label_key(a) for a in taxonomy.operator_aliases.get(skill.id, ())}:
        message = Msg("is already an alias of {skill}", skill=skill.label_en)
        problems.append(Problem(("alias",), message, value=text, type="duplicate"))
    elif text and label_key(text) in {label_key(label) for label in skill.labels()}:
        message = Msg("is already a label of {skill}", skill=skill.label_en)
        problems.append(Problem(("alias",), message, value=text, type="duplicate"))
    if problems:
        raise ValidationFailed("the alias cannot be added", problems=problems)
    key = label_key(text)
    if index is not None:  # the extractor's label index: one look-up
        owners = {index.concepts[c].id for c, _ in index.lexicon.lookup(key)}
    else:
        owners = {s.id for s in taxonomy.skills.values() if key in {label_key(x) for x in s.labels()}}
    others = tuple(sorted(owners - {skill.id}))[:5]
    row = SkillAliasRow(skill_id=skill.id, lang=lang, alias=text, norm=_norm(text), created_by=actor)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        message = Msg("is already an alias of {skill}", skill=skill.label_en)
        problem = Problem(("alias",), message, value=text, type="duplicate")
        raise ValidationFailed("the alias cannot be added", problems=[problem]) from exc
    _audit(session, actor_id, actor_role, "add_alias", skill.id, text, lang)
    _changed(session)
    return SkillAlias(row.id, row.skill_id, row.lang, row.alias, row.created_by, row.created_at, others)


def remove_alias(
    session: Session, alias_id: int, *, actor_id: int | None = None, actor_role: str = "operator"
) -> SkillAlias:
    """Delete the operator alias ``alias_id``: extraction stops finding it (this process at once, others through
    the change bus). Raises ``NotFound``. Writes within ``session``'s transaction (the caller commits)."""
    from talentbridge.storage.alias_tables import SkillAliasRow

    row = session.get(SkillAliasRow, alias_id)
    if row is None:
        raise NotFound("alias", alias_id)
    removed = SkillAlias(row.id, row.skill_id, row.lang, row.alias, row.created_by, row.created_at)
    session.delete(row)
    session.flush()
    _audit(session, actor_id, actor_role, "remove_alias", removed.skill_id, removed.alias, removed.lang)
    _changed(session)
    return removed


def _changed(session: Session) -> None:
    """This process's caches go now; other processes drop theirs when the change commits."""
    from talentbridge.services.change_bus import publish_after_commit

    _clear_caches()
    publish_after_commit(session, "taxonomy", {"reason": "alias"})


def list_aliases(
    session: Session, skill_id: str | None = None, page: int = 1, size: int = 50, q: str | None = None
) -> tuple[list[SkillAlias], int]:
    """Operator aliases, newest first (optionally of one skill; ``q``: the alias contains it or the skill id is
    it), one page, and the total."""
    from talentbridge.storage.alias_tables import SkillAliasRow

    stmt = select(SkillAliasRow)
    count = select(func.count()).select_from(SkillAliasRow)
    if skill_id:
        stmt = stmt.where(SkillAliasRow.skill_id == skill_id)
        count = count.where(SkillAliasRow.skill_id == skill_id)
    if q and _norm(q):
        pattern = "%" + _norm(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = SkillAliasRow.norm.like(pattern, escape="\\") | (SkillAliasRow.skill_id == q.strip())
        stmt = stmt.where(matches)
        count = count.where(matches)
    total = int(session.scalar(count) or 0)
    rows = session.scalars(stmt.order_by(SkillAliasRow.id.desc()).offset((page - 1) * size).limit(size))
    return [SkillAlias(r.id, r.skill_id, r.lang, r.alias, r.created_by, r.created_at) for r in rows], total


def alias_stamp(session: Session) -> str:
    """Changes whenever an alias is added or removed (for caches of the loaded taxonomy)."""
    from talentbridge.storage.alias_tables import SkillAliasRow

    try:
        n, last = session.execute(select(func.count(), func.max(SkillAliasRow.id))).one()
    except Exception:  # table not there yet (database not upgraded)
        session.rollback()
        return ""
    return format_alias_stamp(n, last)


def format_alias_stamp(count: int | None, last: int | None) -> str:
    """``alias_stamp`` from the aliases' count and largest id read elsewhere (``recommend_cache.data_version``)."""
    return f"{count}:{last}"


def apply_aliases(session: Session, taxonomy: Taxonomy) -> int:
    """Add the stored aliases to ``taxonomy``'s skills (in place); returns how many were applied."""
    from talentbridge.storage.alias_tables import SkillAliasRow

    try:
        rows = session.execute(select(SkillAliasRow.skill_id, SkillAliasRow.lang, SkillAliasRow.alias)).all()
    except Exception:
        session.rollback()
        return 0
    applied = 0
    for skill_id, lang, alias in rows:
        skill = taxonomy.skills.get(skill_id)
        if skill is None:
            continue
        target = skill.alt_ko if lang == "ko" else skill.alt_en
        if alias not in target:
            target.append(alias)
        taxonomy.operator_aliases.setdefault(skill_id, []).append(alias)
        applied += 1
    return applied


def _audit(
    session: Session, actor_id: int | None, role: str, action: str, skill_id: str, alias: str, lang: str
) -> None:
    try:
        from talentbridge.services.audit_log import AuditEntry, write_entries

        with session.begin_nested():
            write_entries(
                session,
                [
                    AuditEntry(
                        actor_id, role, action, "skill", None, {"skill_id": skill_id, "alias": alias, "lang": lang}
                    )
                ],
            )
    except Exception:  # no audit table (accounts not migrated): the alias itself is still stored
        pass


def clear_taxonomy_caches(topic: str = "taxonomy", payload: dict[str, Any] | None = None) -> None:
    """Drop this process's caches built from the taxonomy (the change bus's ``taxonomy`` subscriber, through
    ``skill_extraction._watch_taxonomy``, which then has a serving process build its skill services again)."""
    from talentbridge.services.recommend_context import reset_graphs

    _clear_caches()
    reset_graphs()


def _clear_caches() -> None:
    from talentbridge.services.skill_extraction import reset_skill_services
    from talentbridge.services.taxonomy import clear_cache

    clear_cache()
    reset_skill_services()
    try:
        from talentbridge.services import inference

        with inference._cache_lock:
            inference._cache.clear()
    except Exception:
        pass
