"""Organization pages: the organization's profile, its openings (skills suggested from the job text),
recommended talent with explanations, the applicant pipeline, and rankings for rounds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain import OpeningData, OrganizationData
from talentbridge.domain.enums import Importance, Region, SizeBand
from talentbridge.domain.errors import PermissionDenied, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.pages.after_save import saved_redirect
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for
from talentbridge.web.policy import check_create, check_update, policy_of

router = APIRouter(prefix="/org", include_in_schema=False, dependencies=[Depends(require_roles("org_member"))])


def _form_errors(request: Request, exc: Exception) -> list[str]:
    from talentbridge.web.pages.error_pages import form_errors

    return form_errors(request, exc)


def _member(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    policy_of(request).check(request, "organization", "read")
    if user.role != Role.ORG_MEMBER or user.organization_id is None:
        raise PermissionDenied("these pages are for members of an organization")
    return user


def _own_opening(request: Request, repos: Any, opening_id: int, action: str = "read") -> Any:
    user = _member(request)
    opening = repos.openings.get(opening_id)
    if opening.organization_id != user.organization_id:
        raise PermissionDenied("this opening belongs to another organization")
    policy_of(request).check(request, "opening", action, opening)
    return opening


@router.get("")
def profile(request: Request, repos: ReposDep) -> Response:
    user = _member(request)
    org = repos.organizations.get(user.organization_id)
    return render(
        request,
        "org/profile.html",
        org=org,
        regions=list(Region),
        sizes=list(SizeBand),
        errors=[],
        saved=request.query_params.get("saved"),
    )


@router.post("")
async def save_profile(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    user = _member(request)
    org = repos.organizations.get(user.organization_id)
    policy_of(request).check(request, "organization", "update", org)  # before reading the form
    form = await request.form()
    changes = {
        k: (str(form.get(k, "")).strip() or None) for k in ("name_en", "website", "description", "region", "size_band")
    }
    check_update(request, "organization", OrganizationData, org, changes)
    try:
        repos.organizations.update(org.id, changes)
    except ValidationFailed as exc:
        session.rollback()
        return render(
            request,
            "org/profile.html",
            status_code=422,
            org=org,
            regions=list(Region),
            sizes=list(SizeBand),
            errors=_form_errors(request, exc),
            saved=None,
        )
    return redirect("/org?saved=1")


def _opening_page(
    request: Request,
    repos: Any,
    user: Any,
    form: dict[str, Any],
    errors: list[dict[str, str]],
    status_code: int = 200,
    opening: Any = None,
) -> Response:
    """The openings list with the form to post one (or the edit form of ``opening``)."""
    from talentbridge.domain.opening import shown_status
    from talentbridge.web.pages.opening_form import choices, today

    items = repos.openings.list({"organization_id": user.organization_id}, size=200, sort="-created_at").items
    day = today()
    return render(
        request,
        "org/openings.html" if opening is None else "org/opening_edit.html",
        status_code=status_code,
        items=items,
        shown={o.id: shown_status(o, day) for o in items},
        regions=list(Region),
        errors=errors,
        form=form,
        opening=opening,
        chosen_labels=_skill_labels(request, [s["skill_id"] for s in form.get("skills", [])]),
        **choices(),
    )


def _skill_labels(request: Request, ids: list[str]) -> dict[str, str]:
    from talentbridge.services.skill_picker import skill_labels
    from talentbridge.web.i18n import request_language

    if not ids:
        return {}
    with request.app.state.database.session() as session:
        return skill_labels(session, ids, request_language(request))


@router.get("/openings")
def openings(request: Request, repos: ReposDep) -> Response:
    from talentbridge.web.pages.opening_form import blank_form

    return _opening_page(request, repos, _member(request), blank_form(), [])


@router.post("/openings/suggest")
def suggest(
    request: Request,
    title: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=100_000)] = "",
) -> Response:
    """Skills suggested from the job text (an HTMX fragment): accept, set importance and minimum level."""
    _member(request)
    from talentbridge.domain.errors import WarmingUp
    from talentbridge.services.skill_suggestions import suggest_skills
    from talentbridge.web.pages.skills_ui import skill_services, suggestion_evidence

    try:
        services = skill_services(request)
    except WarmingUp:  # serve's warm-up is still loading the models: say so where the suggestions go
        return render(request, "_warming_up.html")
    text = f"{title}\n{description}".strip()
    # every skill the ad names (must-have only where the text says so), then inferred ones; a thin ad also gets
    # the skills of the occupation its title normalizes to ("from the occupation")
    found = suggest_skills(services, text, title=title.strip(), for_opening=True) if text else []
    labels = labels_for(request, [item.skill_id for item in found])
    suggestions = [
        {
            "id": item.skill_id,
            "label": labels.get(item.skill_id, item.label),
            "score": item.score,
            "via": item.via,
            "preselected": item.preselected,
            "evidence": suggestion_evidence(request, item)[:2],
            "importance": item.importance,
            "reason": item.reason,
        }
        for item in found
    ]
    return render(request, "org/_skill_suggestions.html", suggestions=suggestions, importances=list(Importance))


async def _save_opening(request: Request, repos: Any, session: Any, opening: Any = None) -> Response:
    """Create (``opening`` None) or update an opening from the posted form; on any problem the form comes
    back with every value as typed and every problem named."""
    from pydantic import ValidationError

    from talentbridge.services.skill_picker import skill_exists
    from talentbridge.web.i18n import gettext_for, request_language
    from talentbridge.web.pages.opening_form import field_errors, read_opening_form

    user = _member(request)
    form = await request.form()
    data, echo, reading = read_opening_form(form, user.organization_id, lambda sid: skill_exists(session, sid))
    tr = gettext_for(request_language(request))
    error: ValidationError | None = None
    if not reading:
        try:
            record = OpeningData.model_validate(data)
        except ValidationError as exc:
            error = exc
        else:
            try:
                if opening is None:
                    check_create(request, "opening", record, data)
                    saved = repos.openings.add(record)
                else:
                    changes = record.model_dump(mode="json")
                    check_update(request, "opening", OpeningData, opening, changes)
                    saved = repos.openings.update(opening.id, changes)
            except ValidationFailed as exc:
                session.rollback()
                errors = [{"field": ".".join(map(str, p.loc[-1:])), "message": str(p)} for p in exc.problems]
                return _opening_page(request, repos, user, echo, errors, 422, opening)
            from talentbridge.web.auth import audit

            audit(request, "create" if opening is None else "update", "opening", saved.id, title=saved.title)
            return saved_redirect(request, session, f"/org/openings/{saved.id}" + ("?saved=1" if opening else ""))
    else:  # report the model's problems too, in one go
        try:
            OpeningData.model_validate({k: v for k, v in data.items() if k not in {f for f, _m, _v in reading}})
        except ValidationError as exc:
            error = exc
    return _opening_page(request, repos, user, echo, field_errors(error, reading, tr), 422, opening)


@router.post("/openings")
async def create_opening(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    return await _save_opening(request, repos, session)


@router.get("/openings/{opening_id}/edit")
def edit_opening(request: Request, opening_id: int, repos: ReposDep) -> Response:
    from talentbridge.web.pages.opening_form import form_from_opening

    opening = _own_opening(request, repos, opening_id, "update")
    return _opening_page(request, repos, _member(request), form_from_opening(opening), [], opening=opening)


@router.post("/openings/{opening_id}/edit")
async def update_opening(request: Request, opening_id: int, repos: ReposDep, session: SessionDep) -> Response:
    opening = _own_opening(request, repos, opening_id, "update")
    return await _save_opening(request, repos, session, opening)


@router.get("/openings/{opening_id}")
def opening_detail(request: Request, opening_id: int, repos: ReposDep, session: SessionDep) -> Response:
    opening = _own_opening(request, repos, opening_id)
    from talentbridge.web.pages.pipeline_ui import opening_context

    return render(request, "org/opening.html", **opening_context(request, session, repos, opening))


@router.get("/rounds")
def rounds(request: Request, session: SessionDep) -> Response:
    user = _member(request)
    from talentbridge.services.round_participation import organization_rounds

    rounds_ = organization_rounds(session, user.organization_id)
    from talentbridge.web.auth import audit

    for r in rounds_:  # participants' names are personal data: every view is logged
        for o in r["openings"]:
            for person in o["ranking"] + o["unranked"]:
                audit(request, "view", "talent", person["talent_id"], fields=["name"], path=request.url.path)
    from talentbridge.services.round_participation import organization_placements

    placements = organization_placements(session, user.organization_id)
    for p in placements:  # placed people's names are personal data too
        audit(request, "view", "talent", p["talent_id"], fields=["name"], path=request.url.path)
    return render(
        request, "org/rounds.html", rounds=rounds_, saved=request.query_params.get("saved"), placements=placements
    )


@router.post("/rounds/{round_id}/openings/{opening_id}/ranking")
async def submit_ranking(
    request: Request, round_id: int, opening_id: int, repos: ReposDep, session: SessionDep
) -> Response:
    """Save the edited ranking; equal numbers are a tie. A list left as it was generated stays "generated"."""
    opening = _own_opening(request, repos, opening_id)
    policy_of(request).check(request, "round", "submit_preferences", {"organization_id": opening.organization_id})
    form = await request.form()
    from talentbridge.domain.errors import Problem
    from talentbridge.services.round_lists import same_ranking, tiers_from_positions
    from talentbridge.services.rounds import RoundService
    from talentbridge.web.auth import audit

    positions: dict[int, int] = {}
    problems = []
    for key, value in form.items():
        if not key.startswith("rank:"):
            continue
        text = str(value).strip()
        if not text:
            continue  # left empty: not acceptable to the opening
        if not text.isdigit() or int(text) < 1 or not key[5:].isdigit():
            problems.append(Problem(("rank", key[5:]), "a rank is a whole number from 1", text))
            continue
        positions[int(key[5:])] = int(text)
    if problems:
        raise ValidationFailed("invalid ranking", problems)
    ranking = tiers_from_positions(positions)
    service = RoundService(session)
    current = next((p for p in service.preferences(round_id, "opening") if p.owner_id == opening_id), None)
    if current is not None and current.source == "generated" and same_ranking(current.ranking, ranking):
        return saved_redirect(request, session, "/org/rounds?saved=unchanged")
    service.submit_opening_preferences(round_id, opening_id, ranking, actor=request.state.user.email)
    audit(request, "ranking.edited", "round", round_id, opening_id=opening_id, ranked=len(positions))
    return saved_redirect(request, session, "/org/rounds?saved=1")


@router.post("/rounds/{round_id}/openings/{opening_id}/generate")
def generate_ranking(
    request: Request, round_id: int, opening_id: int, repos: ReposDep, session: SessionDep
) -> Response:
    """Rank every participant of the round for the opening by fit score (not only those who listed it)."""
    opening = _own_opening(request, repos, opening_id)
    policy_of(request).check(request, "round", "submit_preferences", {"organization_id": opening.organization_id})
    from talentbridge.services.rounds import RoundService
    from talentbridge.web.auth import audit

    result = RoundService(session).generate_organization_rankings(
        round_id, opening_ids=[opening_id], scope="all", overwrite=True, actor=request.state.user.email
    )
    audit(request, "ranking.generated", "round", round_id, opening_id=opening_id, scorer=result["scorer"])
    return saved_redirect(request, session, "/org/rounds?saved=1")
