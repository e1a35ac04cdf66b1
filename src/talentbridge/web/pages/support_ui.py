"""Support pages: what a hire may claim (organization), visa pathways and offer comparison (talent), bulk
screening of a round's placements and the claims due (operator), and the rule list (everyone signed in).

Every result says whether its rule is verified, its sources and whom to confirm with; facts taken from the
registry can be corrected in the form before screening again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from talentbridge.domain.errors import NotFound, PermissionDenied, ValidationFailed
from talentbridge.services import support as service
from talentbridge.support import FACTS, fact_label
from talentbridge.web.deps import ReposDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import render
from talentbridge.web.policy import policy_of

router = APIRouter(include_in_schema=False)

_signed_in = Depends(require_roles("talent", "org_member", "operator", "auditor"))


def _as_of(request: Request, form: Any | None = None) -> date:
    raw = (form.get("as_of") if form is not None else None) or request.query_params.get("as_of")
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        from talentbridge.domain.errors import Problem

        raise ValidationFailed("not a date", [Problem(loc=("as_of",), msg="use YYYY-MM-DD", value=raw)]) from exc


def _form_fields(names: list[str], facts: dict[str, Any], sources: dict[str, str], lang: str) -> list[dict[str, Any]]:
    fields = []
    for name in names:
        fact = FACTS[name]
        value = facts.get(name)
        fields.append(
            {
                "name": name,
                "label": fact_label(name, lang),
                "type": fact.type,
                "choices": list(fact.choices)
                if fact.type == "choice"
                else ["high_school", "associate", "bachelor", "master", "doctorate"]
                if fact.type == "degree"
                else [],
                "value": "" if value is None else (value.isoformat() if isinstance(value, date) else value),
                "source": sources.get(name),
            }
        )
    return fields


def _overrides(form: Any) -> dict[str, Any]:
    """Facts typed into the form (``f:<fact>`` fields); an empty field means unknown, not false."""
    out: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key.startswith("f:") and str(value).strip() != "":
            out[key[2:]] = str(value).strip()
    return out


def _problems(exc: ValidationFailed, lang: str) -> list[str]:
    from talentbridge.web.i18n import gettext_for

    _ = gettext_for(lang)
    out = []
    for p in exc.problems:
        name = str(p.loc[-1]) if p.loc else ""
        out.append(f"{fact_label(name, lang)}: {_(p.msg)}" if name in FACTS else _(p.msg))
    return out or [_(exc.message)]


# -- everyone: the rules ---------------------------------------------------------------------------------------


@router.get("/support/rules", dependencies=[_signed_in])
def rules_page(request: Request) -> Response:
    policy_of(request).check(request, "support", "read")
    return render(request, "support/rules.html", schemes=service.rules_listing())


# -- organization: what a hire may claim ----------------------------------------------------------------------


def _org_member(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    if user is None or user.role.value != "org_member" or user.organization_id is None:
        raise PermissionDenied("these pages are for members of an organization")
    policy_of(request).check(request, "support", "use")
    return user


@router.get("/org/support", dependencies=[Depends(require_roles("org_member"))])
def org_support(request: Request, repos: ReposDep) -> Response:
    user = _org_member(request)
    hires = service.hires_of_organization(repos, user.organization_id)
    return render(request, "support/org_hires.html", hires=hires)


def _org_screen(request: Request, repos: Any, form: Any | None) -> Response:
    user = _org_member(request)
    params = form if form is not None else request.query_params
    try:
        talent_id = int(params["talent_id"]) if params.get("talent_id") else None
        opening_id = int(params["opening_id"]) if params.get("opening_id") else None
        placement_id = int(params["placement_id"]) if params.get("placement_id") else None
    except ValueError as exc:
        raise NotFound("hire", params.get("talent_id")) from exc
    ids = [i for i in (talent_id, opening_id, placement_id) if i is not None]
    if any(not (0 < i < 2**31) for i in ids) or (opening_id is None and placement_id is None):
        raise NotFound("hire", talent_id)
    if placement_id is not None and talent_id is None:
        raise NotFound("hire", placement_id)
    policy = policy_of(request)
    if talent_id is not None:
        policy.check(request, "talent", "read", repos.talents.get(talent_id))
    if opening_id is not None:
        opening = repos.openings.get(opening_id)
        if opening.organization_id != user.organization_id:
            raise PermissionDenied("this opening belongs to another organization")
    if placement_id is not None:
        policy.check(request, "placement", "read", repos.placements.get(placement_id))
    lang = request_language(request)
    errors: list[str] = []
    overrides = _overrides(form) if form is not None else {}
    as_of = _as_of(request, form)
    try:
        result = service.screen_hire(
            repos,
            talent_id=talent_id,
            opening_id=opening_id,
            placement_id=placement_id,
            overrides=overrides,
            as_of=as_of,
        )
    except ValidationFailed as exc:
        errors = _problems(exc, lang)
        result = service.screen_hire(
            repos, talent_id=talent_id, opening_id=opening_id, placement_id=placement_id, overrides={}, as_of=as_of
        )
    fields = _form_fields(service.facts_used(service.HIRE_KINDS), result["facts"], result["fact_sources"], lang)
    if overrides and errors:
        for field in fields:
            if field["name"] in overrides:
                field["value"] = overrides[field["name"]]  # keep what the person typed
    talent = repos.talents.get(talent_id) if talent_id is not None else None
    opening = repos.openings.get(opening_id) if opening_id is not None else None
    return render(
        request,
        "support/org_screen.html",
        opening=opening,
        status_code=422 if errors else 200,
        talent=talent,
        talent_id=talent_id,
        opening_id=opening_id,
        placement_id=placement_id,
        fields=fields,
        result=result,
        errors=errors,
        as_of=as_of.isoformat(),
    )


@router.get("/org/support/screen", dependencies=[Depends(require_roles("org_member"))])
def org_screen(request: Request, repos: ReposDep) -> Response:
    return _org_screen(request, repos, None)


@router.post("/org/support/screen", dependencies=[Depends(require_roles("org_member"))])
async def org_screen_again(request: Request, repos: ReposDep) -> Response:
    form = await request.form()
    return _org_screen(request, repos, form)


# -- talent: visa pathways and offer comparison --------------------------------------------------------------


def _me(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    if user is None or user.role.value != "talent" or user.talent_id is None:
        raise PermissionDenied("these pages are for talent with a profile")
    policy_of(request).check(request, "support", "use")
    return user


async def _visas(request: Request, repos: Any) -> Response:
    user = _me(request)
    form = await request.form() if request.method == "POST" else None
    lang = request_language(request)
    as_of = _as_of(request, form)
    facts, sources = service.facts_for_person(repos, user.talent_id, as_of)
    errors: list[str] = []
    typed = _overrides(form) if form is not None else {}
    merged = {**{k: v for k, v in facts.items()}, **typed}
    try:
        results = service.screen_facts(merged, as_of, service.VISA_KINDS)
    except ValidationFailed as exc:
        errors = _problems(exc, lang)
        results = service.screen_facts(facts, as_of, service.VISA_KINDS)
    fields = _form_fields(service.facts_used(service.VISA_KINDS), facts, sources, lang)
    for field in fields:
        if field["name"] in typed:
            field["value"] = typed[field["name"]]
    return render(
        request,
        "support/visas.html",
        status_code=422 if errors else 200,
        fields=fields,
        results=results,
        errors=errors,
        as_of=as_of.isoformat(),
        screened=form is not None,
    )


@router.get("/me/visas", dependencies=[Depends(require_roles("talent"))])
async def visas(request: Request, repos: ReposDep) -> Response:
    return await _visas(request, repos)


@router.post("/me/visas", dependencies=[Depends(require_roles("talent"))])
async def visas_screen(request: Request, repos: ReposDep) -> Response:
    return await _visas(request, repos)


OFFER_FIELDS: list[tuple[str, str, float]] = [
    # (form field, path in the comparison, default)
    ("years", "years", 5),
    ("start", "start", 0),
    ("startup_salary", "startup.salary", 60_000_000),
    ("startup_raise_pct", "startup.raise_pct", 5),
    ("exit_year", "startup.exit_year", 4),
    ("option_count", "startup.options.count", 10_000),
    ("strike", "startup.options.strike", 5_000),
    ("vesting_years", "startup.options.vesting_years", 4),
    ("cliff_months", "startup.options.cliff_months", 12),
    ("bear", "startup.scenarios.bear", 2_000),
    ("base", "startup.scenarios.base", 20_000),
    ("bull", "startup.scenarios.bull", 60_000),
    ("large_salary", "large.salary", 75_000_000),
    ("bonus_pct", "large.bonus_pct", 15),
    ("large_raise_pct", "large.raise_pct", 4),
    ("salary_tax_rate", "assumptions.salary_tax_rate", 0.2),
    ("option_tax_rate", "assumptions.option_tax_rate", 0.35),
]


def _offer_data(values: dict[str, str], venture: bool) -> tuple[dict[str, Any], list[str]]:
    data: dict[str, Any] = {
        "startup": {"options": {}, "scenarios": {}, "venture_certified": venture},
        "large": {},
        "assumptions": {},
    }
    errors = []
    for name, path, _default in OFFER_FIELDS:
        raw = values.get(name, "").replace(",", "").strip()
        if name == "start":
            data["start"] = raw or date.today().isoformat()
            continue
        if raw == "":
            continue
        try:
            number: float = float(raw)
        except ValueError:
            errors.append(name)
            continue
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = int(number) if number == int(number) and "rate" not in name else number
    data["startup"]["options"]["grant_date"] = data.get("start")
    return data, errors


async def _offers(request: Request) -> Response:
    _me(request)
    form = await request.form() if request.method == "POST" else None
    values = (
        {name: str(form.get(name, "")) for name, _p, _d in OFFER_FIELDS}
        if form is not None
        else {
            name: ("" if name == "start" else f"{int(default)}" if default == int(default) else f"{default:g}")
            for name, _p, default in OFFER_FIELDS
        }
    )
    if not values.get("start"):
        values["start"] = date.today().isoformat()
    venture = form is None or form.get("venture_certified") == "on"
    result = None
    errors: list[str] = []
    if form is not None:
        data, bad = _offer_data(values, venture)
        from talentbridge.web.i18n import gettext_for

        _ = gettext_for(request_language(request))
        errors = [_("Not a number: {field}", field=_(b)) for b in bad]
        if not errors:
            try:
                result = service.compare(data)
            except ValidationFailed as exc:
                errors = [".".join(str(x) for x in p.loc) + ": " + p.msg for p in exc.problems]
    chart = _offer_chart(result, request_language(request)) if result else None
    return render(
        request,
        "support/offers.html",
        status_code=422 if errors else 200,
        values=values,
        venture=venture,
        result=result,
        errors=errors,
        chart=chart,
    )


def _offer_chart(result: dict[str, Any], lang: str) -> dict[str, Any]:
    years = [str(r["year"]) for r in result["scenarios"]["base"]["rows"]]
    series = []
    names = {
        "bear": ("스타트업 (약세)", "Startup (bear)"),
        "base": ("스타트업 (기본)", "Startup (base)"),
        "bull": ("스타트업 (강세)", "Startup (bull)"),
    }
    for key, scenario in result["scenarios"].items():
        total = 0
        cumulative = []
        for row in scenario["rows"]:
            total += row["startup_net"]
            cumulative.append(total)
        series.append({"name": names[key][0 if lang == "ko" else 1], "type": "line", "data": cumulative})
    total = 0
    large = []
    for row in result["scenarios"]["base"]["rows"]:
        total += row["large_net"]
        large.append(total)
    series.append(
        {
            "name": "대기업" if lang == "ko" else "Large company",
            "type": "line",
            "data": large,
            "lineStyle": {"type": "dashed"},
        }
    )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 90, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": years, "name": "년" if lang == "ko" else "year"},
        "yAxis": {"type": "value"},
        "series": series,
    }


@router.get("/me/offers", dependencies=[Depends(require_roles("talent"))])
async def offers(request: Request) -> Response:
    return await _offers(request)


@router.post("/me/offers", dependencies=[Depends(require_roles("talent"))])
async def offers_compare(request: Request) -> Response:
    return await _offers(request)


# -- operator: bulk screening and claims due ------------------------------------------------------------------


@router.get("/operator/support", dependencies=[Depends(require_roles("operator", "auditor"))])
def operator_support(request: Request, repos: ReposDep) -> Response:
    policy_of(request).check(request, "placement", "list")
    as_of = _as_of(request)
    rounds = repos.rounds.list(sort="-id", size=200).items
    round_id = request.query_params.get("round_id")
    chosen = None
    rows: list[dict[str, Any]] = []
    if round_id:
        try:
            chosen = repos.rounds.get(int(round_id))
        except ValueError as exc:
            raise NotFound("round", round_id) from exc
        rows = service.screen_round(repos, chosen.id, as_of)
    try:
        within = max(1, min(int(request.query_params.get("within", "90")), 730))
    except ValueError:
        within = 90
    due = service.milestones_due(repos, as_of=as_of, within_days=within, round_id=chosen.id if chosen else None)
    return render(
        request,
        "support/operator.html",
        rounds=rounds,
        chosen=chosen,
        rows=rows,
        due=due,
        as_of=as_of.isoformat(),
        within=within,
    )


@router.get("/operator/support/milestones.csv", dependencies=[Depends(require_roles("operator", "auditor"))])
def milestones_export(request: Request, repos: ReposDep) -> Response:
    policy_of(request).check(request, "placement", "list")
    as_of = _as_of(request)
    round_id = request.query_params.get("round_id")
    try:
        rid = int(round_id) if round_id else None
        within = max(1, min(int(request.query_params.get("within", "90")), 730))
    except ValueError as exc:
        raise NotFound("round", round_id) from exc
    rows = service.milestones_due(repos, as_of=as_of, within_days=within, round_id=rid)
    text = service.milestones_csv(rows, request_language(request))
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="support-milestones-{as_of.isoformat()}.csv"'},
    )
