"""The schemas of the registry API, one set per entity, as full-stack-fastapi-template names them:

- ``XCreate`` — the body of ``POST /api/<things>``: the domain's ``XData`` (every check of the record), with
  workflow fields that a create may set only to their initial value (a round starts as ``draft``);
- ``XUpdate`` — the body of ``PATCH /api/<things>/{id}``: every field optional, field checks kept (the record as
  it will be is checked again after the merge);
- ``XPublic`` — what ``GET``, ``POST`` and ``PATCH`` answer (``response_model``): the stored record's fields with
  ``id``, ``created_at`` and ``updated_at``. Fields the access policy may withhold from the caller (a talent's
  personal data, for organization members) are optional and left out when withheld, never sent as null;
- ``XPage`` — a page of ``XPublic`` with ``total``, ``page``, ``size`` and ``pages``.

Answers are validated against ``XPublic`` by field type only: the whole-record checks of ``XData`` judge what
comes in, not what was stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from talentbridge.domain import (
    Application,
    ApplicationData,
    Opening,
    OpeningData,
    Organization,
    OrganizationData,
    Placement,
    PlacementData,
    Program,
    ProgramData,
    Round,
    RoundData,
    Talent,
    TalentData,
    partial_model,
)

__all__ = ["RESOURCES", "SCHEMAS", "RegistrySchemas", "public_model"]


@dataclass(frozen=True)
class RegistrySchemas:
    create: type[BaseModel]
    update: type[BaseModel]
    public: type[BaseModel]
    page: type[BaseModel]


#: (path, entity, data model, stored model, tag)
RESOURCES: list[tuple[str, str, type[BaseModel], type[BaseModel], str]] = [
    ("organizations", "organization", OrganizationData, Organization, "organizations"),
    ("talents", "talent", TalentData, Talent, "talents"),
    ("openings", "opening", OpeningData, Opening, "openings"),
    ("programs", "program", ProgramData, Program, "programs"),
    ("rounds", "round", RoundData, Round, "rounds"),
    ("placements", "placement", PlacementData, Placement, "placements"),
    ("applications", "application", ApplicationData, Application, "applications"),
]

#: Workflow fields a create may still set, to their initial value only (the schema says so: const).
CREATE_INITIAL: dict[str, dict[str, str]] = {"rounds": {"status": "draft"}}


def _withheld(entity: str) -> frozenset[str]:
    """Fields of ``entity`` the access policy may leave out of an answer (``web/access.py``)."""
    if entity != "talent":
        return frozenset()
    from talentbridge.web.access import CONTACT_FIELDS, PERSONAL_FIELDS, STATISTICS_ONLY_FIELDS

    return frozenset(PERSONAL_FIELDS | CONTACT_FIELDS | STATISTICS_ONLY_FIELDS)


def create_model_for(path: str, data_cls: type[BaseModel]) -> type[BaseModel]:
    name = data_cls.__name__.replace("Data", "Create")
    initial = CREATE_INITIAL.get(path)
    if not initial:
        return type(name, (data_cls,), {"__doc__": f"A new {data_cls.__name__.removesuffix('Data').lower()}."})
    fields: dict[str, Any] = {f: (Literal[value], value) for f, value in initial.items()}  # type: ignore[valid-type]
    return create_model(name, __base__=data_cls, **fields)  # type: ignore[no-any-return,call-overload]


def public_model(stored_cls: type[BaseModel], entity: str) -> type[BaseModel]:
    """``XPublic`` of a stored model: its fields by type (no record checks), withheld fields optional."""
    withheld = _withheld(entity)
    fields: dict[str, Any] = {}
    for name, info in stored_cls.model_fields.items():
        if name in withheld:
            fields[name] = (info.annotation | None, Field(None, description=info.description))  # type: ignore[operator]
        elif info.is_required():
            fields[name] = (info.annotation, Field(..., description=info.description))
        elif info.default_factory is not None:
            fields[name] = (info.annotation, Field(default_factory=info.default_factory, description=info.description))
        else:
            fields[name] = (info.annotation, Field(info.default, description=info.description))
    return create_model(  # type: ignore[no-any-return,call-overload]
        f"{stored_cls.__name__}Public",
        __config__=ConfigDict(extra="ignore"),
        __doc__=f"A stored {entity} as the caller may see it.",
        **fields,
    )


def page_model(public: type[BaseModel], entity: str) -> type[BaseModel]:
    return create_model(  # type: ignore[no-any-return,call-overload]
        public.__name__.replace("Public", "Page"),
        __doc__=f"One page of {entity}s.",
        items=(list[public], ...),  # type: ignore[valid-type]
        total=(int, Field(..., description="Matching records in all pages.")),
        page=(int, Field(..., description="1-based page number.")),
        size=(int, Field(..., description="Records per page.")),
        pages=(int, Field(..., description="Number of pages (at least 1).")),
    )


def _schemas() -> dict[str, RegistrySchemas]:
    out = {}
    for path, entity, data_cls, stored_cls, _tag in RESOURCES:
        public = public_model(stored_cls, entity)
        out[path] = RegistrySchemas(
            create=create_model_for(path, data_cls),
            update=partial_model(data_cls, data_cls.__name__.replace("Data", "Update")),
            public=public,
            page=page_model(public, entity),
        )
    return out


#: path → its schemas (built once, when the registry router is made).
SCHEMAS: dict[str, RegistrySchemas] = _schemas()
