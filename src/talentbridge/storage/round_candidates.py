"""Queries that find candidates for a round: talents to add as participants, openings to attach.

Searches match a name or title, skills (taxonomy ids), an organization's name (the talent's current employer,
the opening's organization) and a region; each returns one page of plain dicts with what an operator needs to
pick a row (never only an id) and the total count. SQL stays here; eligibility rules live in
:mod:`talentbridge.services.round_setup`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from talentbridge.storage.account_tables import UserRow
from talentbridge.storage.round_tables import RoundOpeningRow, RoundParticipantRow
from talentbridge.storage.tables import (
    OpeningRow,
    OpeningSkillRow,
    OrganizationRow,
    RoundRow,
    TalentRow,
    TalentSkillRow,
)

__all__ = [
    "search_talents",
    "search_openings",
    "talent_ids_by_key",
    "opening_ids_by_external_id",
    "talents_with_account",
    "other_active_rounds",
    "attached_elsewhere",
    "talent_names",
    "participant_ids",
    "members_among",
    "attached_among",
    "opening_titles",
    "talent_cards",
    "opening_cards",
]


_CHUNK = 500  # ids per IN (...) list: SQLite limits the number of bound parameters


def _chunks(ids: Sequence[Any]) -> list[list[Any]]:
    items = list(ids)
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _page(session: Session, stmt: Select[Any], order: Sequence[Any], page: int, size: int) -> tuple[list[Any], int]:
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = list(session.execute(stmt.order_by(*order).offset((page - 1) * size).limit(size)))
    return rows, total


def search_talents(
    session: Session,
    *,
    q: str = "",
    skill_ids: Sequence[str] | None = None,
    organization: str = "",
    region: str = "",
    page: int = 1,
    size: int = 20,
) -> tuple[list[int], int]:
    """Ids of talents (one page, by name) whose name matches ``q``, who have any of ``skill_ids`` (when
    given), whose current employer's name matches ``organization`` and who live in ``region``; and the total."""
    stmt = select(TalentRow.id, TalentRow.name)
    if q.strip():
        pattern = _like(q.strip())
        stmt = stmt.where(
            or_(TalentRow.name.ilike(pattern, escape="\\"), TalentRow.name_latin.ilike(pattern, escape="\\"))
        )
    if skill_ids is not None:
        stmt = stmt.where(
            TalentRow.id.in_(select(TalentSkillRow.talent_id).where(TalentSkillRow.skill_id.in_(list(skill_ids))))
        )
    if organization.strip():
        orgs = select(OrganizationRow.id).where(
            or_(
                OrganizationRow.name.ilike(_like(organization.strip()), escape="\\"),
                OrganizationRow.name_en.ilike(_like(organization.strip()), escape="\\"),
            )
        )
        stmt = stmt.where(TalentRow.current_employer_id.in_(orgs))
    if region:
        stmt = stmt.where(TalentRow.region == region)
    rows, total = _page(session, stmt, [TalentRow.name, TalentRow.id], page, size)
    return [r[0] for r in rows], total


def search_openings(
    session: Session,
    *,
    q: str = "",
    skill_ids: Sequence[str] | None = None,
    organization: str = "",
    region: str = "",
    kind: str = "",
    page: int = 1,
    size: int = 20,
) -> tuple[list[int], int]:
    """Ids of openings (one page, by title) matching the title, skills, organization name, region and kind."""
    stmt = select(OpeningRow.id, OpeningRow.title).join(
        OrganizationRow, OrganizationRow.id == OpeningRow.organization_id
    )
    if q.strip():
        stmt = stmt.where(OpeningRow.title.ilike(_like(q.strip()), escape="\\"))
    if skill_ids is not None:
        stmt = stmt.where(
            OpeningRow.id.in_(select(OpeningSkillRow.opening_id).where(OpeningSkillRow.skill_id.in_(list(skill_ids))))
        )
    if organization.strip():
        pattern = _like(organization.strip())
        stmt = stmt.where(
            or_(OrganizationRow.name.ilike(pattern, escape="\\"), OrganizationRow.name_en.ilike(pattern, escape="\\"))
        )
    if region:
        stmt = stmt.where(OpeningRow.region == region)
    if kind:
        stmt = stmt.where(OpeningRow.kind == kind)
    rows, total = _page(session, stmt, [OpeningRow.title, OpeningRow.id], page, size)
    return [r[0] for r in rows], total


def _talent_cards_chunk(session: Session, talent_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What an operator needs to recognise a talent: name, region, category, employer, consent, skills."""
    if not talent_ids:
        return {}
    employer = OrganizationRow
    rows = session.execute(
        select(
            TalentRow.id,
            TalentRow.name,
            TalentRow.name_latin,
            TalentRow.region,
            TalentRow.category,
            TalentRow.email,
            TalentRow.external_id,
            TalentRow.consent_visible,
            TalentRow.current_employer_id,
            employer.name,
        )
        .outerjoin(employer, employer.id == TalentRow.current_employer_id)
        .where(TalentRow.id.in_(list(talent_ids)))
    )
    cards = {
        r[0]: {
            "id": r[0],
            "name": r[1],
            "name_latin": r[2],
            "region": r[3],
            "category": r[4],
            "email": r[5],
            "external_id": r[6],
            "consent_visible": bool(r[7]),
            "employer_id": r[8],
            "employer": r[9],
            "skills": [],
        }
        for r in rows
    }
    skills = session.execute(
        select(TalentSkillRow.talent_id, TalentSkillRow.skill_id, TalentSkillRow.level)
        .where(TalentSkillRow.talent_id.in_(list(cards)))
        .order_by(TalentSkillRow.talent_id, TalentSkillRow.level.desc(), TalentSkillRow.skill_id)
    )
    for talent_id, skill_id, _level in skills:
        cards[talent_id]["skills"].append(skill_id)
    return cards


def _opening_cards_chunk(session: Session, opening_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What an operator needs to recognise an opening: title, organization, kind, region, seats, status."""
    if not opening_ids:
        return {}
    rows = session.execute(
        select(
            OpeningRow.id,
            OpeningRow.title,
            OpeningRow.kind,
            OpeningRow.region,
            OpeningRow.remote,
            OpeningRow.seats,
            OpeningRow.status,
            OpeningRow.deadline,
            OpeningRow.external_id,
            OpeningRow.organization_id,
            OrganizationRow.name,
            OrganizationRow.kind,
        )
        .join(OrganizationRow, OrganizationRow.id == OpeningRow.organization_id)
        .where(OpeningRow.id.in_(list(opening_ids)))
    )
    cards = {
        r[0]: {
            "id": r[0],
            "title": r[1],
            "kind": r[2],
            "region": r[3],
            "remote": bool(r[4]),
            "seats": r[5],
            "status": r[6],
            "deadline": r[7],
            "external_id": r[8],
            "organization_id": r[9],
            "organization": r[10],
            "organization_kind": r[11],
            "skills": [],
        }
        for r in rows
    }
    skills = session.execute(
        select(OpeningSkillRow.opening_id, OpeningSkillRow.skill_id)
        .where(OpeningSkillRow.opening_id.in_(list(cards)))
        .order_by(OpeningSkillRow.opening_id, OpeningSkillRow.importance, OpeningSkillRow.skill_id)
    )
    for opening_id, skill_id in skills:
        cards[opening_id]["skills"].append(skill_id)
    return cards


def talent_ids_by_key(
    session: Session, external_ids: Iterable[str], emails: Iterable[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Talent ids by external id and by e-mail (lower-cased), for the ids and e-mails that exist."""
    ext, mails = sorted(set(external_ids)), sorted({e.lower() for e in emails})
    by_ext: dict[str, int] = {}
    by_mail: dict[str, int] = {}
    for start in range(0, len(ext), 500):
        for tid, key in session.execute(
            select(TalentRow.id, TalentRow.external_id).where(TalentRow.external_id.in_(ext[start : start + 500]))
        ):
            by_ext[key] = tid
    for start in range(0, len(mails), 500):
        for tid, key in session.execute(
            select(TalentRow.id, TalentRow.email).where(func.lower(TalentRow.email).in_(mails[start : start + 500]))
        ):
            by_mail[key.lower()] = tid
        # Accounts carry the e-mail a person signs in with, which may differ from the profile's.
        for tid, key in session.execute(
            select(UserRow.talent_id, UserRow.email).where(
                UserRow.talent_id.is_not(None), func.lower(UserRow.email).in_(mails[start : start + 500])
            )
        ):
            by_mail.setdefault(key.lower(), tid)
    return by_ext, by_mail


def opening_ids_by_external_id(session: Session, external_ids: Iterable[str]) -> dict[str, int]:
    keys = sorted(set(external_ids))
    out: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        for oid, key in session.execute(
            select(OpeningRow.id, OpeningRow.external_id).where(OpeningRow.external_id.in_(keys[start : start + 500]))
        ):
            out[key] = oid
    return out


def _talents_with_account_chunk(session: Session, talent_ids: Sequence[int]) -> set[int]:
    """The talents among ``talent_ids`` with an active account (who can rank openings in the browser)."""
    if not talent_ids:
        return set()
    return set(
        session.scalars(
            select(UserRow.talent_id).where(UserRow.talent_id.in_(list(talent_ids)), UserRow.active.is_(True))
        )
    )


def _other_active_rounds_chunk(session: Session, round_id: int, talent_ids: Sequence[int]) -> dict[int, list[str]]:
    """Talent id → names of other rounds, not yet published, they take part in."""
    if not talent_ids:
        return {}
    rows = session.execute(
        select(RoundParticipantRow.talent_id, RoundRow.name)
        .join(RoundRow, RoundRow.id == RoundParticipantRow.round_id)
        .where(
            RoundParticipantRow.talent_id.in_(list(talent_ids)),
            RoundParticipantRow.round_id != round_id,
            RoundRow.status != "published",
        )
    )
    out: dict[int, list[str]] = {}
    for tid, name in rows:
        out.setdefault(tid, []).append(name)
    return out


def _attached_elsewhere_chunk(session: Session, round_id: int, opening_ids: Sequence[int]) -> dict[int, list[str]]:
    """Opening id → names of other rounds, not yet published, it is attached to."""
    if not opening_ids:
        return {}
    rows = session.execute(
        select(RoundOpeningRow.opening_id, RoundRow.name)
        .join(RoundRow, RoundRow.id == RoundOpeningRow.round_id)
        .where(
            RoundOpeningRow.opening_id.in_(list(opening_ids)),
            RoundOpeningRow.round_id != round_id,
            RoundRow.status != "published",
        )
    )
    out: dict[int, list[str]] = {}
    for oid, name in rows:
        out.setdefault(oid, []).append(name)
    return out


# -- public lookups, any number of ids (chunked) -----------------------------------------------------------


def talent_cards(session: Session, talent_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What an operator needs to recognise a talent: name, region, category, employer, consent, skills."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(talent_ids):
        out.update(_talent_cards_chunk(session, chunk))
    return out


def opening_cards(session: Session, opening_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What an operator needs to recognise an opening: title, organization, kind, region, seats, status."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(opening_ids):
        out.update(_opening_cards_chunk(session, chunk))
    return out


def talents_with_account(session: Session, talent_ids: Sequence[int]) -> set[int]:
    """The talents among ``talent_ids`` with an active account (who can rank openings in the browser)."""
    out: set[int] = set()
    for chunk in _chunks(talent_ids):
        out |= _talents_with_account_chunk(session, chunk)
    return out


def other_active_rounds(session: Session, round_id: int, talent_ids: Sequence[int]) -> dict[int, list[str]]:
    """Talent id → names of other rounds, not yet published, they take part in."""
    out: dict[int, list[str]] = {}
    for chunk in _chunks(talent_ids):
        out.update(_other_active_rounds_chunk(session, round_id, chunk))
    return out


def attached_elsewhere(session: Session, round_id: int, opening_ids: Sequence[int]) -> dict[int, list[str]]:
    """Opening id → names of other rounds, not yet published, it is attached to."""
    out: dict[int, list[str]] = {}
    for chunk in _chunks(opening_ids):
        out.update(_attached_elsewhere_chunk(session, round_id, chunk))
    return out


def talent_names(session: Session, talent_ids: Sequence[int]) -> dict[int, str]:
    """Talent id → name (one column, for long lists such as a cohort round's results)."""
    out: dict[int, str] = {}
    for chunk in _chunks(talent_ids):
        out.update(
            (k, v) for k, v in session.execute(select(TalentRow.id, TalentRow.name).where(TalentRow.id.in_(chunk)))
        )
    return out


def opening_titles(session: Session, opening_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(opening_ids):
        out.update(
            (k, v) for k, v in session.execute(select(OpeningRow.id, OpeningRow.title).where(OpeningRow.id.in_(chunk)))
        )
    return out


def participant_ids(session: Session, round_id: int) -> list[int]:
    """The round's participants' talent ids (one column; cheaper than the full rows for a cohort)."""
    return list(
        session.scalars(
            select(RoundParticipantRow.talent_id)
            .where(RoundParticipantRow.round_id == round_id)
            .order_by(RoundParticipantRow.talent_id)
        )
    )


def members_among(session: Session, round_id: int, talent_ids: Sequence[int]) -> set[int]:
    """Which of ``talent_ids`` already take part in the round."""
    out: set[int] = set()
    for chunk in _chunks(talent_ids):
        out.update(
            session.scalars(
                select(RoundParticipantRow.talent_id).where(
                    RoundParticipantRow.round_id == round_id, RoundParticipantRow.talent_id.in_(chunk)
                )
            )
        )
    return out


def attached_among(session: Session, round_id: int, opening_ids: Sequence[int]) -> set[int]:
    """Which of ``opening_ids`` are already attached to the round."""
    out: set[int] = set()
    for chunk in _chunks(opening_ids):
        out.update(
            session.scalars(
                select(RoundOpeningRow.opening_id).where(
                    RoundOpeningRow.round_id == round_id, RoundOpeningRow.opening_id.in_(chunk)
                )
            )
        )
    return out
