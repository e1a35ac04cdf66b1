"""Who may set which field: the field-by-field half of the access policy (``web/access.py`` asks it).

A write is judged on what it changes. A field counts as *set* when the body names it and its value differs from
what the record would hold without it: the stored value for an update, the default for a create. So a client
that echoes a record back unchanged is never refused, and a field the caller may not set is refused (403) instead
of silently ignored.

Operators may set every field; auditors none. For the two self-service roles:

=================  ===========================================================================================
role / entity      fields the role may set
=================  ===========================================================================================
talent / talent    their own profile, except ``external_id`` (the import key) and ``current_employer_id``
                   (secondment rules in rounds rely on it; operators confirm it)
talent /           ``talent_id`` (themselves only), ``opening_id`` (an open opening) and ``note`` when applying;
application        afterwards ``note``, and ``status`` only to ``withdrawn``
org / organization ``name_en``, ``region``, ``size_band``, ``industry``, ``founded``, ``website``, ``description``
                   (name, kind, business number, venture certification, group and parent are verified facts)
org / opening      every field but ``external_id``; ``organization_id`` only to their own organization when
                   creating, never changed afterwards
org / application  ``status`` only, never to ``withdrawn`` (the talent's own act), and not once withdrawn
=================  ===========================================================================================

Which *record* the result may be (your own talent id, your own organization's opening) is the ownership rule of
``RolePolicy._owns``, applied to the record as it will be after the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined, to_jsonable_python

from talentbridge.domain import OpeningData, TalentData
from talentbridge.domain.enums import ApplicationStatus

__all__ = ["FieldRefusal", "WRITABLE", "ALLOWED_VALUES", "FIELD_REASONS", "changed_fields", "refused_fields"]

_TALENT_OWN = frozenset(TalentData.model_fields) - {"external_id", "current_employer_id"}
_ORG_OWN = frozenset({"name_en", "region", "size_band", "industry", "founded", "website", "description"})
_OPENING_OWN = frozenset(OpeningData.model_fields) - {"external_id"}

#: (role, entity, action) -> the fields that role may set at all; anything not listed is operator-only.
WRITABLE: dict[tuple[str, str, str], frozenset[str]] = {
    ("talent", "talent", "update"): _TALENT_OWN,
    ("talent", "application", "create"): frozenset({"talent_id", "opening_id", "note"}),
    ("talent", "application", "update"): frozenset({"note", "status"}),
    ("org_member", "organization", "update"): _ORG_OWN,
    ("org_member", "opening", "create"): _OPENING_OWN,
    ("org_member", "opening", "update"): _OPENING_OWN - {"organization_id"},
    ("org_member", "application", "update"): frozenset({"status"}),
}

#: (role, entity, field) -> the only values that role may set the field to.
ALLOWED_VALUES: dict[tuple[str, str, str], frozenset[str]] = {
    ("talent", "application", "status"): frozenset({ApplicationStatus.WITHDRAWN.value}),
    ("org_member", "application", "status"): frozenset(s.value for s in ApplicationStatus)
    - {ApplicationStatus.WITHDRAWN.value},
}

#: Why a field is not the caller's to set (shown in the 403), by (entity, field); the default is generic.
FIELD_REASONS: dict[tuple[str, str], str] = {
    ("application", "status"): "an application's status is moved by the organization; "
    "the talent may only withdraw (status=withdrawn)",
    ("application", "talent_id"): "an application stays in the name of the talent who filed it",
    ("application", "opening_id"): "an application stays with its opening; apply to the other opening instead",
    ("opening", "organization_id"): "an opening stays with the organization that posted it",
    ("talent", "current_employer_id"): "the current employer is confirmed by an operator (round rules use it)",
    ("organization", "name"): "the registered name is confirmed by an operator",
    ("organization", "kind"): "the kind of organization is confirmed by an operator",
    ("organization", "business_number"): "the business number is confirmed by an operator",
    ("organization", "venture_certified"): "venture certification is confirmed by an operator",
    ("organization", "parent_id"): "group membership is confirmed by an operator",
    ("organization", "group"): "group membership is confirmed by an operator",
}


@dataclass(frozen=True)
class FieldRefusal:
    """One field the caller may not set (or not to this value), and why."""

    field: str
    reason: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "reason": self.reason, "value": self.value}


def _jsonable(value: Any) -> Any:
    return to_jsonable_python(value, fallback=str)


def changed_fields(data_cls: type[BaseModel], before: dict[str, Any] | None, values: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``values`` that change the record: differ from ``before`` (an update) or from the model's
    defaults (a create; a field without default always counts). Values are compared in their JSON form."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        new = _jsonable(value)
        if before is not None:
            if name in before and _jsonable(before[name]) == new:
                continue
        else:
            info = data_cls.model_fields.get(name)
            if info is not None:
                default = info.get_default(call_default_factory=True)
                if default is not PydanticUndefined and _jsonable(default) == new:
                    continue
        out[name] = new
    return out


def refused_fields(role: str, entity: str, action: str, changed: dict[str, Any]) -> list[FieldRefusal]:
    """Every field of ``changed`` the role may not set (or not to that value); empty when all are allowed.

    Operators may set everything; a (role, entity, action) not in ``WRITABLE`` may set nothing."""
    if role == "operator":
        return []
    writable = WRITABLE.get((role, entity, action), frozenset())
    out = []
    for name in sorted(changed):
        value = changed[name]
        who = role.replace("_", " ")
        if name not in writable:
            reason = FIELD_REASONS.get((entity, name), f"a {who} may not set this field of a {entity}")
            out.append(FieldRefusal(name, reason, value))
            continue
        allowed = ALLOWED_VALUES.get((role, entity, name))
        if allowed is not None and str(value) not in allowed:
            reason = FIELD_REASONS.get((entity, name), "value not allowed")
            out.append(FieldRefusal(name, f"a {who} may set it only to {', '.join(sorted(allowed))}: {reason}", value))
    return out
