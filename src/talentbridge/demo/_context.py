"""What the talent and opening generators share: the generation context (skill catalogue, employer pools, role
and organization picks, the record builder with its fast unvalidated path) and the blocks of ``BLOCK`` records
that each get their own random stream.

Determinism: talents and openings come from one stream per block of ``BLOCK`` records seeded by
``(seed, kind, block)``, so a record depends only on its index and a slice of a large set agrees with a whole run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from talentbridge.demo._common import BLOCK, M, _Pick
from talentbridge.demo._organizations import generate_organizations
from talentbridge.demo._skills import Role, SkillCatalog, load_catalog
from talentbridge.domain import OrganizationData
from talentbridge.domain.enums import OrganizationKind

__all__ = ["_Context", "_context", "_blocks", "_OPENINGS_PER_ORG"]

#: Openings per organization of each kind: the weight with which an opening picks its organization, and (summed)
#: the default number of openings (``default_opening_count``).
_OPENINGS_PER_ORG = {
    OrganizationKind.AI_STARTUP: 3.0,
    OrganizationKind.MANUFACTURER: 2.5,
    OrganizationKind.LARGE_ENTERPRISE: 6.5,
    OrganizationKind.UNIVERSITY: 2.0,
    OrganizationKind.RESEARCH_INSTITUTE: 2.5,
    OrganizationKind.PUBLIC_AGENCY: 0.5,
}


@dataclass
class _Context:
    catalog: SkillCatalog
    today: date
    employers: dict[str, list[tuple[int | None, str, str]]]  # pool → (position or None, name ko, name en)
    role_pick: _Pick[Role]
    roles_by_kind: dict[OrganizationKind, _Pick[Role]]
    org_pick: _Pick[int] | None = None
    organizations: Sequence[OrganizationData] = field(default_factory=list)
    validate: bool = True

    def make(self, model: type[M], **fields: Any) -> M:
        """A record, validated unless the caller asked for the fast path (``validate=False``)."""
        if self.validate:
            return model(**fields)
        static, factories = _defaults_of(model)
        data = {}
        for key in model.model_fields:  # in field order, as validation would store them
            if key in fields:
                data[key] = fields[key]
            elif key in static:
                data[key] = static[key]
            else:
                data[key] = factories[key]()
        # what ``model_construct`` does, without its per-field bookkeeping (4x faster; the tests compare the two)
        record = model.__new__(model)
        object.__setattr__(record, "__dict__", data)
        object.__setattr__(record, "__pydantic_fields_set__", set(fields))
        object.__setattr__(record, "__pydantic_extra__", None)
        object.__setattr__(record, "__pydantic_private__", None)
        return record


_DEFAULTS: dict[type[BaseModel], tuple[dict[str, Any], dict[str, Any]]] = {}


def _defaults_of(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Default values and default factories of ``model`` (so ``model_construct`` does not compute them per call)."""
    if model not in _DEFAULTS:
        static: dict[str, Any] = {}
        factories: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if info.default_factory is not None:
                factories[name] = info.default_factory
            elif not info.is_required():
                static[name] = info.default
        _DEFAULTS[model] = (static, factories)
    return _DEFAULTS[model]


def _context(
    organizations: Sequence[OrganizationData] | None, seed: int, today: date, validate: bool = True
) -> _Context:
    catalog = load_catalog()
    orgs = list(organizations) if organizations is not None else generate_organizations(200, seed, today)
    with_positions = organizations is not None
    employers: dict[str, list[tuple[int | None, str, str]]] = {"industry": [], "academia": []}
    for pos, org in enumerate(orgs, start=1):
        entry = (pos if with_positions else None, org.name, org.name_en or org.name)
        if org.kind in (OrganizationKind.UNIVERSITY, OrganizationKind.RESEARCH_INSTITUTE):
            employers["academia"].append(entry)
        elif org.kind is not OrganizationKind.PUBLIC_AGENCY:
            employers["industry"].append(entry)
    for pool in employers.values():
        if not pool:
            pool.append((None, "한빛전자", "Hanbit Electronics"))
    totals = {r.key: sum(r.weight_by_kind.values()) for r in catalog.roles}
    role_pick = _Pick([(r, totals[r.key]) for r in catalog.roles])
    roles_by_kind = {}
    for kind in OrganizationKind:
        pairs = [(r, r.weight_by_kind.get(kind, 0.0)) for r in catalog.roles]
        pairs = [p for p in pairs if p[1] > 0] or [(r, 1.0) for r in catalog.roles]
        roles_by_kind[kind] = _Pick(pairs)
    org_pick = (
        _Pick([(pos, _OPENINGS_PER_ORG[o.kind]) for pos, o in enumerate(orgs, start=1)]) if orgs else None
    )
    return _Context(catalog, today, employers, role_pick, roles_by_kind, org_pick, orgs, validate)


def _blocks(start: int, n: int) -> Iterator[tuple[int, int, int]]:
    """(block number, first index, last index exclusive) covering indexes [start, start + n) (1-based indexes)."""
    index = start
    end = start + n
    while index < end:
        block = (index - 1) // BLOCK
        stop = min(end, (block + 1) * BLOCK + 1)
        yield block, index, stop
        index = stop
