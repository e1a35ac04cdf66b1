"""Support screening API: ``POST /api/support/screen``, ``POST /api/visas/screen``, ``POST /api/offers/compare``,
``GET /api/support/rules``.

A screen takes plain ``facts`` (a hypothetical hire) or the registry ids of a concrete one (``talent_id`` with
``opening_id`` or ``placement_id``), plus facts that add to or correct what the registry says. Organization
members screen hires into their own organization; talent screen themselves. Results are guidance: every scheme
says whether it is verified, its sources and whom to confirm with.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from talentbridge.domain.errors import ValidationFailed
from talentbridge.services import support as support_service
from talentbridge.web.deps import ReposDep
from talentbridge.web.policy import policy_of

__all__ = ["router", "ScreenRequest"]

router = APIRouter(tags=["support"])

_ID = Field(None, ge=1, le=2_147_483_647)


class ScreenRequest(BaseModel):
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description='Facts by dotted name ({"person.age": 29}) or nested ({"person": {"age": 29}}); '
        "see GET /api/support/rules for the fact names.",
    )
    talent_id: int | None = _ID
    opening_id: int | None = _ID
    placement_id: int | None = _ID
    as_of: date | None = Field(None, description="Date of the rules to apply (default: today).")
    kinds: list[Literal["subsidy", "grant", "secondment", "education", "tax", "corporate", "visa"]] | None = None


class ScreenResponse(BaseModel):
    as_of: str
    facts: dict[str, Any]
    fact_sources: dict[str, str] = Field(default_factory=dict)
    results: list[dict[str, Any]]
    estimated_total: dict[str, int] | None = None


def _check_hire(request: Request, repos: Any, body: ScreenRequest) -> None:
    policy = policy_of(request)
    policy.check(request, "support", "use")
    user = getattr(request.state, "user", None)
    is_org = user is not None and user.role.value == "org_member"
    if body.placement_id is not None and body.talent_id is None:
        raise ValidationFailed(
            "name the talent of the placement", [_problem("talent_id", "required with placement_id")]
        )
    if body.talent_id is not None:
        policy.check(request, "talent", "read", repos.talents.get(body.talent_id))
    if body.opening_id is not None:
        # an organization screens hires into its own openings; a talent screens an offer of any visible opening
        policy.check(request, "opening", "update" if is_org else "read", repos.openings.get(body.opening_id))
    if body.placement_id is not None:
        policy.check(request, "placement", "read", repos.placements.get(body.placement_id))
    if is_org and body.talent_id is not None and body.opening_id is None and body.placement_id is None:
        raise ValidationFailed(
            "name the opening or placement of the hire", [_problem("opening_id", "an opening or a placement is needed")]
        )


def _problem(field: str, msg: str) -> Any:
    from talentbridge.domain.errors import Problem

    return Problem(loc=("body", field), msg=msg)


def _screen(request: Request, repos: Any, body: ScreenRequest, default_kinds: tuple[str, ...] | None) -> dict:
    _check_hire(request, repos, body)
    as_of = body.as_of or date.today()
    kinds = tuple(body.kinds) if body.kinds else default_kinds
    if body.talent_id is not None or body.opening_id is not None:
        return support_service.screen_hire(
            repos,
            talent_id=body.talent_id,
            opening_id=body.opening_id,
            placement_id=body.placement_id,
            overrides=body.facts,
            as_of=as_of,
            kinds=kinds,
        )
    results = support_service.screen_facts(body.facts, as_of, kinds)
    from talentbridge.support import normalize_facts

    facts = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in normalize_facts(body.facts).items()}
    return {
        "as_of": as_of.isoformat(),
        "facts": facts,
        "fact_sources": {k: "entered" for k in facts},
        "results": results,
        "estimated_total": support_service._total(results),
    }


@router.post("/api/support/screen", response_model=ScreenResponse)
def screen_support(request: Request, repos: ReposDep, body: ScreenRequest) -> dict:
    """Which hiring subsidies, research-staff grants, secondment and training schemes a hire may claim, why, the
    estimated amount and what is missing."""
    return _screen(request, repos, body, support_service.HIRE_KINDS)


@router.post("/api/visas/screen", response_model=ScreenResponse)
def screen_visas(request: Request, repos: ReposDep, body: ScreenRequest) -> dict:
    """Visa pathways for a foreign talent and a concrete offer: conditions met or missing, what would change the
    answer, points, and a settlement checklist. Guidance only; each pathway names the authority to confirm with."""
    body = body.model_copy(update={"kinds": ["visa"]})
    return _screen(request, repos, body, support_service.VISA_KINDS)


class OfferCompareRequest(BaseModel):
    years: int = Field(5, ge=1, le=20)
    start: date | None = None
    startup: dict[str, Any]
    large: dict[str, Any]
    assumptions: dict[str, float] = Field(default_factory=dict)


@router.post("/api/offers/compare")
def compare_offers(request: Request, body: OfferCompareRequest) -> dict:
    """A startup offer (salary, stock options, exit scenarios) against a large company's (salary, bonus) over N
    years: gross and approximate net per year under the stock-option tax rules in force; every assumption shown."""
    policy_of(request).check(request, "support", "use")
    data = body.model_dump(mode="json")
    if data.get("start") is None:
        data.pop("start")
    return support_service.compare(data)


@router.get("/api/support/rules")
def list_rules(request: Request) -> dict:
    """Every scheme version with its dates, sources and verified flag; and the fact names rules use."""
    policy_of(request).check(request, "support", "read")
    from talentbridge.support import FACTS

    return {
        "schemes": support_service.rules_listing(),
        "facts": [
            {"name": f.name, "type": f.type, "ko": f.ko, "en": f.en, "choices": list(f.choices)} for f in FACTS.values()
        ],
    }
