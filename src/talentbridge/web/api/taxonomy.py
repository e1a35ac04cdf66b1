"""Read-only JSON API over the skill taxonomy (built-in AI taxonomy, merged with ESCO when imported).

``GET /api/taxonomy/skills?q=&page=&size=``, ``GET /api/taxonomy/skills/{id}``,
``GET /api/taxonomy/occupations?q=``, ``GET /api/taxonomy/occupations/{id}``, ``GET /api/taxonomy/stats``.
Reading needs a signed-in user when the app has accounts (the ``taxonomy`` entity of the access policy).
Ids may be ESCO URIs: put them in the path as they are
(``/api/taxonomy/skills/http://data.europa.eu/esco/skill/...``) or percent-encoded.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from talentbridge.services import taxonomy_browser
from talentbridge.web.deps import SessionDep
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(prefix="/api/taxonomy", tags=["taxonomy"])


class ConceptRef(BaseModel):
    id: str
    label_en: str
    label_ko: str = ""


class RelatedSkill(ConceptRef):
    relation_type: str = Field("", description="ESCO: essential or optional; empty for built-in relations.")


class OccupationRef(ConceptRef):
    relation: Literal["essential", "optional"]


class SkillGroupRef(BaseModel):
    uri: str
    label_en: str


class SkillPublic(BaseModel):
    id: str
    uri: str = Field(..., description="ESCO URI, or urn:talentbridge:skill:<id> for built-in-only skills.")
    esco_uri: str | None
    label_en: str
    label_ko: str
    alt_en: list[str]
    alt_ko: list[str]
    type: str = Field(..., description="skill, knowledge or tool.")
    family: str = Field(..., description="Built-in skill family; empty for ESCO-only skills.")
    description_en: str
    description_ko: str
    builtin: bool


class SkillDetail(SkillPublic):
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    related: list[RelatedSkill]
    groups: list[SkillGroupRef] = Field(..., description="ESCO skill groups the skill belongs to.")
    occupations: list[OccupationRef] = Field(..., description="Occupations listing the skill (at most 50).")


class OccupationPublic(BaseModel):
    id: str
    uri: str
    esco_uri: str | None
    label_en: str
    label_ko: str
    alt_en: list[str]
    alt_ko: list[str]
    isco_code: str = Field(..., description="ISCO-08 unit group (4 digits) where known.")
    description_en: str
    description_ko: str
    builtin: bool


class IscoGroupRef(BaseModel):
    code: str
    label_en: str


class OccupationDetail(OccupationPublic):
    isco_group: IscoGroupRef | None
    broader: list[ConceptRef]
    essential_skills: list[ConceptRef]
    optional_skills: list[ConceptRef]


class SkillPage(BaseModel):
    items: list[SkillPublic]
    total: int
    page: int
    size: int
    pages: int


class OccupationPage(BaseModel):
    items: list[OccupationPublic]
    total: int
    page: int
    size: int
    pages: int


@router.get("/skills", response_model=SkillPage, summary="Search skills by label")
def list_skills(
    request: Request,
    session: SessionDep,
    q: str = Query("", max_length=200, description="Text in any English or Korean label; empty lists all."),
    type: Literal["skill", "knowledge", "tool"] | None = Query(None, description="Only this skill type."),
    family: str | None = Query(None, max_length=50, description="Only this built-in family."),
    builtin: bool | None = Query(None, description="Only built-in (true) or ESCO-only (false) skills."),
    page: int = Query(1, ge=1, description="1-based page number."),
    size: int = Query(50, ge=1, le=500, description="Items per page."),
) -> dict[str, Any]:
    policy_of(request).check(request, "taxonomy", "list")
    return taxonomy_browser.skill_page(session, q, page, size, type=type, family=family, builtin=builtin)


@router.get("/skills/{skill_id:path}", response_model=SkillDetail, summary="One skill with its relations")
def get_skill(skill_id: str, request: Request, session: SessionDep) -> dict[str, Any]:
    policy_of(request).check(request, "taxonomy", "read")
    return taxonomy_browser.skill_detail(session, skill_id)


@router.get("/occupations", response_model=OccupationPage, summary="Search occupations by label")
def list_occupations(
    request: Request,
    session: SessionDep,
    q: str = Query("", max_length=200, description="Text in any English or Korean label; empty lists all."),
    isco: str | None = Query(None, pattern=r"^\d{1,4}$", description="ISCO-08 code or prefix (e.g. 25, 2512)."),
    builtin: bool | None = Query(None, description="Only built-in (true) or ESCO-only (false) occupations."),
    page: int = Query(1, ge=1, description="1-based page number."),
    size: int = Query(50, ge=1, le=500, description="Items per page."),
) -> dict[str, Any]:
    policy_of(request).check(request, "taxonomy", "list")
    return taxonomy_browser.occupation_page(session, q, page, size, isco=isco, builtin=builtin)


@router.get(
    "/occupations/{occupation_id:path}",
    response_model=OccupationDetail,
    summary="One occupation with its skills",
)
def get_occupation(occupation_id: str, request: Request, session: SessionDep) -> dict[str, Any]:
    policy_of(request).check(request, "taxonomy", "read")
    return taxonomy_browser.occupation_detail(session, occupation_id)


@router.get("/stats", summary="Counts of skills, occupations, labels and relations")
def stats(request: Request, session: SessionDep) -> dict[str, int]:
    policy_of(request).check(request, "taxonomy", "read")
    return taxonomy_browser.taxonomy_overview(session)[0]


# -- operator aliases ---------------------------------------------------------------------------------------------


class AliasCreate(BaseModel):
    skill_id: str = Field(..., max_length=300, description="Skill id or URI (as in /api/taxonomy/skills).")
    alias: str = Field(..., max_length=500, description="The new label, as people write it (e.g. 텐서플로우, k8s).")
    lang: Literal["en", "ko"] | None = Field(None, description="en or ko; guessed from the script when omitted.")


class AliasPublic(BaseModel):
    id: int
    skill_id: str
    lang: str
    alias: str
    created_by: str
    created_at: str | None
    also_label_of: list[str] = Field(
        default_factory=list, description="Other skills that already carry this label (both will be suggested)."
    )


class AliasPage(BaseModel):
    items: list[AliasPublic]
    total: int
    page: int
    size: int


@router.post(
    "/aliases",
    response_model=AliasPublic,
    status_code=201,
    summary="Add an alias to a skill (operators); used by skill extraction from then on",
)
def add_alias(body: AliasCreate, request: Request, session: SessionDep) -> dict[str, Any]:
    from talentbridge.services.skill_aliases import add_alias as add
    from talentbridge.services.skill_extraction import taxonomy_and_label_index

    policy_of(request).check(request, "taxonomy", "update")
    user = getattr(request.state, "user", None)
    taxonomy, index = taxonomy_and_label_index(request.app.state.settings)
    alias = add(
        session,
        taxonomy,
        body.skill_id,
        body.alias,
        body.lang,
        actor=getattr(user, "email", "") or "",
        actor_id=getattr(user, "id", None),
        actor_role=getattr(getattr(user, "role", None), "value", "operator"),
        index=index,
    )
    return alias.as_dict()  # the request's transaction commits it


@router.delete(
    "/aliases/{alias_id}",
    response_model=AliasPublic,
    summary="Remove an alias an operator added (operators); extraction stops finding it",
)
def remove_alias(alias_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    from talentbridge.services.skill_aliases import remove_alias as remove

    policy_of(request).check(request, "taxonomy", "update")
    user = getattr(request.state, "user", None)
    removed = remove(
        session,
        alias_id,
        actor_id=getattr(user, "id", None),
        actor_role=getattr(getattr(user, "role", None), "value", "operator"),
    )
    return removed.as_dict()  # the request's transaction commits it


@router.get("/aliases", response_model=AliasPage, summary="Aliases added by operators, newest first")
def list_aliases(
    request: Request,
    session: SessionDep,
    skill_id: str | None = Query(None, max_length=300, description="Only the aliases of this skill."),
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    from talentbridge.services.skill_aliases import list_aliases as list_

    policy_of(request).check(request, "taxonomy", "list")
    items, total = list_(session, skill_id, page, size)
    return {"items": [a.as_dict() for a in items], "total": total, "page": page, "size": size}
