"""Hard constraints: pairs that fail one are never recommended, whatever their score.

=================  ========================================================================================
name               a (talent, opening) pair passes when
=================  ========================================================================================
consent            the talent agreed to be shown to organizations (``consent_visible``); checked only when
                   talents are shown to an opening, not when a talent looks at openings for themself
opening_status     the opening is ``open``
deadline           the opening has no deadline, or it is today or later
employment_type    the talent wants the opening's employment type (job → full_time, secondment_slot →
                   secondment, ...)
work_permit        the talent is Korean, or holds a visa that allows this work (``SUITABLE_VISAS``), or the
                   opening sponsors a visa
own_employer       for secondment slots: the talent's current employer is neither the opening's organization
                   nor one of its affiliates (parent, subsidiaries, same business group)
=================  ========================================================================================

``failing(talent, ctx)`` checks one pair; ``eligible_mask(columns, ctx)`` checks every row at once and counts how
many rows each constraint excludes (each constraint counted on its own, so a row may count under several).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from talentbridge.domain.enums import (
    OPENING_EMPLOYMENT_TYPE,
    VISAS_FREE_TO_WORK,
    EmploymentType,
    OpeningKind,
    OpeningStatus,
    VisaType,
)
from talentbridge.domain.opening import OpeningData
from talentbridge.domain.talent import TalentData
from talentbridge.matching.columns import EMPLOYMENT_BIT, VISA_CODES, TalentColumns

__all__ = [
    "CONSTRAINTS",
    "OPENING_CONSTRAINTS",
    "SUITABLE_VISAS",
    "OpeningContext",
    "failing",
    "first_failing",
    "passes",
    "eligible_mask",
    "affiliates_of",
    "Affiliates",
]

CONSTRAINTS: tuple[str, ...] = (
    "consent",
    "opening_status",
    "deadline",
    "employment_type",
    "work_permit",
    "own_employer",
)
#: Constraints decided by the opening alone (they exclude everyone or no one).
OPENING_CONSTRAINTS = frozenset({"opening_status", "deadline"})

_E3_E1 = frozenset({VisaType.E3, VisaType.E1})
_STUDENT = frozenset({VisaType.D2, VisaType.D10})
#: Visas that allow the work without sponsorship, per employment type. F-2/F-4/F-5/F-6 allow any work;
#: students (D-2) and job seekers (D-10) may take internships and PBL projects (with the part-time permission
#: the school arranges); researchers and professors (E-3, E-1) may join joint R&D.
SUITABLE_VISAS: Mapping[EmploymentType, frozenset[VisaType]] = {
    EmploymentType.FULL_TIME: VISAS_FREE_TO_WORK,
    EmploymentType.SECONDMENT: VISAS_FREE_TO_WORK,
    EmploymentType.PBL: VISAS_FREE_TO_WORK | _STUDENT,
    EmploymentType.INTERNSHIP: VISAS_FREE_TO_WORK | _STUDENT,
    EmploymentType.JOINT_RND: VISAS_FREE_TO_WORK | _E3_E1,
}


@dataclass(frozen=True)
class OpeningContext:
    """An opening plus what the constraints need beyond it.

    ``affiliate_ids``: the opening organization's own id and its affiliates' ids (``affiliates_of``); used for
    secondment slots. ``today``: the date deadlines are checked against.
    """

    opening: OpeningData
    affiliate_ids: frozenset[int] = field(default_factory=frozenset)
    today: date = field(default_factory=date.today)

    @property
    def employment_type(self) -> EmploymentType:
        return OPENING_EMPLOYMENT_TYPE[OpeningKind(self.opening.kind)]

    def excluded_employers(self) -> frozenset[int]:
        if OpeningKind(self.opening.kind) != OpeningKind.SECONDMENT_SLOT:
            return frozenset()
        return self.affiliate_ids | {self.opening.organization_id}


class Affiliates:
    """Affiliate lookups over a fixed set of organizations: built once in O(organizations), then each
    ``of(id)`` costs O(size of the answer).

    Two organizations are affiliates when linked through ``parent_id`` or a shared ``group``, transitively
    (the whole corporate tree and business group). ``organizations`` maps id → anything with ``parent_id`` and
    ``group`` attributes (``Organization`` records).
    """

    def __init__(self, organizations: Mapping[int, Any]):
        self._orgs = organizations
        self._children: dict[int, list[int]] = {}
        self._groups: dict[str, list[int]] = {}
        for oid, other in organizations.items():
            if other.parent_id is not None:
                self._children.setdefault(other.parent_id, []).append(oid)
            if other.group:
                self._groups.setdefault(other.group, []).append(oid)
        self._cache: dict[int, frozenset[int]] = {}

    def of(self, organization_id: int) -> frozenset[int]:
        """``organization_id`` and all its affiliates."""
        cached = self._cache.get(organization_id)
        if cached is not None:
            return cached
        found: set[int] = set()
        stack = [organization_id]
        while stack:
            oid = stack.pop()
            if oid in found:
                continue
            found.add(oid)
            org = self._orgs.get(oid)
            if org is None:
                continue
            if org.parent_id is not None:
                stack.append(org.parent_id)
            stack.extend(self._children.get(oid, ()))
            if org.group:
                stack.extend(self._groups[org.group])
        result = frozenset(found)
        for oid in result:  # the relation is an equivalence: one answer serves the whole component
            self._cache[oid] = result
        return result


def affiliates_of(organization_id: int, organizations: Mapping[int, Any]) -> frozenset[int]:
    """``organization_id`` and its affiliates (see ``Affiliates``); for one lookup."""
    return Affiliates(organizations).of(organization_id)


def failing(talent: TalentData, ctx: OpeningContext, *, check_consent: bool = True) -> list[str]:
    """Every hard constraint the pair fails, in ``CONSTRAINTS`` order (empty: the pair is allowed)."""
    opening = ctx.opening
    out = []
    if check_consent and not talent.consent_visible:
        out.append("consent")
    if OpeningStatus(opening.status) != OpeningStatus.OPEN:
        out.append("opening_status")
    if opening.deadline is not None and opening.deadline < ctx.today:
        out.append("deadline")
    etype = ctx.employment_type
    if etype not in {EmploymentType(e) for e in talent.employment_types}:
        out.append("employment_type")
    if talent.nationality != "KR" and not opening.visa_sponsorship:
        visa = None if talent.visa_type is None else VisaType(talent.visa_type)
        if visa not in SUITABLE_VISAS[etype]:
            out.append("work_permit")
    if talent.current_employer_id is not None and talent.current_employer_id in ctx.excluded_employers():
        out.append("own_employer")
    return out


def first_failing(talent: TalentData, ctx: OpeningContext, *, check_consent: bool = True) -> str | None:
    found = failing(talent, ctx, check_consent=check_consent)
    return found[0] if found else None


def passes(talent: TalentData, ctx: OpeningContext, *, check_consent: bool = True) -> bool:
    return not failing(talent, ctx, check_consent=check_consent)


def eligible_mask(
    cols: TalentColumns, ctx: OpeningContext, rows: np.ndarray | None = None, *, check_consent: bool = True
) -> tuple[np.ndarray, dict[str, int]]:
    """Which rows (all, or ``rows``) pass every hard constraint, and how many rows each constraint excludes.

    Dead rows are never eligible and are not counted. O(rows) vectorised.
    """
    sel = slice(None) if rows is None else np.asarray(rows, dtype=np.int64)
    alive = cols.alive[sel]
    n = int(alive.sum())
    opening = ctx.opening
    counts: dict[str, int] = {}
    ok = alive.copy()
    checks: dict[str, np.ndarray | bool] = {}
    checks["consent"] = cols.consent[sel] if check_consent else True
    checks["opening_status"] = OpeningStatus(opening.status) == OpeningStatus.OPEN
    checks["deadline"] = opening.deadline is None or opening.deadline >= ctx.today
    etype = ctx.employment_type
    checks["employment_type"] = (cols.emp_mask[sel] & EMPLOYMENT_BIT[etype]) != 0
    if opening.visa_sponsorship:
        checks["work_permit"] = True
    else:
        suitable = np.array([v in SUITABLE_VISAS[etype] for v in VISA_CODES] + [False], dtype=bool)
        checks["work_permit"] = ~cols.foreign[sel] | suitable[cols.visa[sel]]  # visa -1 → last entry (False)
    excluded = ctx.excluded_employers()
    if excluded:
        checks["own_employer"] = ~np.isin(cols.employer[sel], np.fromiter(excluded, dtype=np.int64))
    else:
        checks["own_employer"] = True
    for name in CONSTRAINTS:
        value = checks[name]
        if value is True:
            counts[name] = 0
            continue
        if value is False:
            counts[name] = n
            ok[:] = False
            continue
        counts[name] = int((alive & ~value).sum())
        ok &= value
    return ok, counts
