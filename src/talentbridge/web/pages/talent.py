"""Talent pages: the profile editor (paste a résumé, accept or reject suggested skills), recommended openings
with their explanations, applications, and preference ranking for open rounds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain import TalentData
from talentbridge.domain.enums import EmploymentType, Region, TalentCategory
from talentbridge.domain.errors import PermissionDenied, ValidationFailed
from talentbridge.services.account_admin import link_talent_profile
from talentbridge.services.accounts import Role
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.pages.after_save import saved_redirect
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for, taxonomy_for
from talentbridge.web.policy import check_create, check_update, policy_of

router = APIRouter(prefix="/me", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])


def _talent_user(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    policy_of(request).check(request, "talent", "list")
    if user.role != Role.TALENT:
        raise PermissionDenied("these pages are for talent accounts")
    return user


def _form_errors(request: Request, exc: Exception) -> list[str]:
    from talentbridge.web.pages.error_pages import form_errors

    return form_errors(request, exc)


def _profile(request: Request, repos: Any) -> Any:
    user = _talent_user(request)
    if user.talent_id is None:
        return None
    talent = repos.talents.get(user.talent_id)
    policy_of(request).check(request, "talent", "read", talent)
    return talent


def _values(talent: Any) -> dict[str, Any]:
    """The profile form's values from a stored profile (as text, as the person would type them)."""
    if talent is None:
        return {"employment_types": ["full_time"], "desired_roles": []}
    return {
        "name": talent.name,
        "region": talent.region.value if talent.region else "",
        "category": talent.category.value,
        "desired_roles": list(talent.desired_roles),
        "employment_types": [e.value for e in talent.employment_types],
        "salary_expectation": "" if talent.salary_expectation is None else f"{talent.salary_expectation:,}",
        "available_from": talent.available_from.isoformat() if talent.available_from else "",
        "resume_text": talent.resume_text or "",
        "consent_visible": talent.consent_visible,
        "consent_statistics": talent.consent_statistics,
    }


def _form_context(
    request: Request, talent: Any, errors: list[str] | None = None, values: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    skills = talent.skills if talent else []
    values = values if values is not None else _values(talent)
    from talentbridge.web.i18n import request_language
    from talentbridge.web.pages.skill_picker import occupation_choices

    with request.app.state.database.session() as session:
        roles = occupation_choices(session, request_language(request), values.get("desired_roles", []))
        from talentbridge.services.growth_paths import course_skill_status

        course_skills = course_skill_status(session, [talent.id]).get(talent.id, {}) if talent else {}
    learning = [sid for sid, st in course_skills.items() if st == "learning"]
    return {
        "course_skills": course_skills,
        "learning_labels": labels_for(request, learning),
        "talent": talent,
        "values": values,
        "role_options": roles,
        "errors": errors or [],
        "regions": list(Region),
        "categories": list(TalentCategory),
        "employment_types": list(EmploymentType),
        "skill_labels": labels_for(request, [s.skill_id for s in skills]),
        **extra,
    }


@router.get("")
def profile(request: Request, repos: ReposDep) -> Response:
    talent = _profile(request, repos)
    return render(
        request, "talent/profile.html", **_form_context(request, talent, saved=request.query_params.get("saved"))
    )


@router.post("")
async def save_profile(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    from talentbridge.domain.money import MoneyError, parse_manwon
    from talentbridge.web.i18n import gettext_for, request_language
    from talentbridge.web.pages.opening_form import MESSAGES

    user = _talent_user(request)
    form = await request.form()
    tr = gettext_for(request_language(request))
    typed: dict[str, Any] = {
        "name": str(form.get("name", "")).strip(),
        "region": str(form.get("region") or ""),
        "category": str(form.get("category") or "engineer"),
        "desired_roles": [str(r).strip() for r in form.getlist("desired_roles") if str(r).strip()],
        "employment_types": [str(e) for e in form.getlist("employment_types")] or ["full_time"],
        "salary_expectation": str(form.get("salary_expectation", "")).strip(),
        "available_from": str(form.get("available_from") or ""),
        "resume_text": str(form.get("resume_text", "")),
        "consent_visible": form.get("consent_visible") == "on",
        "consent_statistics": form.get("consent_statistics") == "on",
    }
    changes: dict[str, Any] = {
        **typed,
        "region": typed["region"] or None,
        "resume_text": typed["resume_text"] or None,
        "available_from": typed["available_from"] or None,
    }
    errors: list[str] = []
    try:
        changes["salary_expectation"] = parse_manwon(typed["salary_expectation"])
    except MoneyError as exc:
        errors.append(f"{tr('Salary expectation (10,000 KRW a year)')}: {tr(MESSAGES.get(exc.message, exc.message))}")
    current = repos.talents.get(user.talent_id) if user.talent_id else None
    if errors:
        return render(request, "talent/profile.html", status_code=422, **_form_context(request, current, errors, typed))
    try:
        if user.talent_id is None:
            talent = repos.talents.add(TalentData.model_validate({**changes, "email": user.email}))
            link_talent_profile(session, user.id, talent.id)
        else:
            talent = repos.talents.get(user.talent_id)
            check_update(request, "talent", TalentData, talent, changes)
            repos.talents.update(user.talent_id, changes)
            from talentbridge.services.privacy_consent import record_changes

            before = {"consent_visible": talent.consent_visible, "consent_statistics": talent.consent_statistics}
            record_changes(session, talent.id, before, changes, by_role="talent", actor_id=user.id)
    except ValidationFailed as exc:
        session.rollback()
        return render(
            request,
            "talent/profile.html",
            status_code=422,
            **_form_context(request, current, [_problem_text(p.loc, p.msg, tr, p.type) for p in exc.problems], typed),
        )
    except Exception as exc:  # pydantic errors from a brand-new profile
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        session.rollback()
        errors = [_problem_text(e["loc"], e["msg"], tr, e["type"]) for e in exc.errors()]
        return render(request, "talent/profile.html", status_code=422, **_form_context(request, None, errors, typed))
    return saved_redirect(request, session, "/me?saved=1")


def _problem_text(loc: Any, msg: str, tr: Any, kind: str = "") -> str:
    """A profile problem in the reader's language, naming the field."""
    from talentbridge.web.pages.opening_form import MESSAGES

    text = MESSAGES.get(msg.removeprefix("Value error, ")) or MESSAGES.get(kind)
    msg = tr(text) if text else msg
    labels = {
        "name": tr("Name"),
        "region": tr("Region"),
        "category": tr("I am a"),
        "desired_roles": tr("Roles I want"),
        "employment_types": tr("Kinds of work I want"),
        "salary_expectation": tr("Salary expectation (10,000 KRW a year)"),
        "available_from": tr("Available from"),
        "resume_text": tr("Résumé (paste it here)"),
    }
    parts = [str(x) for x in loc if str(x) != "body"]
    field = labels.get(parts[0], parts[0]) if parts else ""
    return f"{field}: {msg}" if field else msg


@router.post("/skills/suggest")
def suggest_skills(
    request: Request, repos: ReposDep, resume_text: Annotated[str, Form(max_length=100_000)] = ""
) -> Response:
    """Skills found in the pasted résumé, for the talent to accept or reject (an HTMX fragment)."""
    talent = _profile(request, repos)
    from talentbridge.domain.errors import WarmingUp
    from talentbridge.services.skill_suggestions import suggest_skills as suggest
    from talentbridge.web.pages.skills_ui import skill_services, suggestion_evidence

    try:
        services = skill_services(request)
    except WarmingUp:  # serve's warm-up is still loading the models: say so where the suggestions go
        return render(request, "_warming_up.html")
    have = {s.skill_id for s in talent.skills} if talent else set()
    # every skill the résumé names, then the best inferred ones; a thin résumé also gets the desired role's
    # occupation skills
    role = talent.desired_roles[0] if talent and talent.desired_roles else ""
    found = suggest(services, resume_text, title=role, exclude=have) if (resume_text.strip() or role) else []
    labels = labels_for(request, [item.skill_id for item in found])
    suggestions = [
        {
            "id": item.skill_id,
            "label": labels.get(item.skill_id, item.label),
            "score": item.score,
            "via": item.via,
            "preselected": item.preselected,
            "evidence": suggestion_evidence(request, item),
        }
        for item in found
    ]
    return render(request, "talent/_suggestions.html", suggestions=suggestions, resume_text=resume_text)


@router.post("/skills")
async def save_skills(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    """Add the accepted suggestions and apply level changes and removals to existing skills."""
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    talent = repos.talents.get(user.talent_id)
    policy_of(request).check(request, "talent", "update", talent)  # before reading the form
    form = await request.form()
    known = taxonomy_for(request).skills
    remove = set(form.getlist("remove"))
    skills: list[dict[str, Any]] = []
    for s in talent.skills:
        if s.skill_id in remove:
            continue
        level = form.get(f"level:{s.skill_id}")
        skills.append({**s.model_dump(mode="json"), "level": int(str(level)) if level else s.level})
    present = {s["skill_id"] for s in skills}
    for skill_id in form.getlist("accept"):
        skill_id = str(skill_id)
        if skill_id in known and skill_id not in present:
            level = form.get(f"level:{skill_id}") or "3"
            skills.append({"skill_id": skill_id, "level": int(str(level)), "source": "explicit"})
            present.add(skill_id)
    changes: dict[str, Any] = {"skills": skills}
    if str(form.get("resume_text", "")).strip():  # accepting suggestions keeps the résumé they came from
        changes["resume_text"] = str(form["resume_text"])
    check_update(request, "talent", TalentData, talent, changes)
    repos.talents.update(user.talent_id, changes)
    return saved_redirect(request, session, "/me?saved=1")


@router.get("/recommendations")
def recommendations(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    talent = _profile(request, repos)
    items: list[dict[str, Any]] = []
    error = None
    if talent is not None:
        policy_of(request).check(request, "recommendation", "read", {"talent_id": talent.id})
        from talentbridge.web.pages.recommend_ui import openings_for_talent

        items, error = openings_for_talent(request, session, talent.id)
    applied = (
        {a.opening_id for a in repos.applications.list({"talent_id": talent.id}, size=500).items} if talent else set()
    )
    return render(request, "talent/recommendations.html", talent=talent, items=items, error=error, applied=applied)


@router.post("/apply")
def apply(request: Request, session: SessionDep, opening_id: Annotated[int, Form()]) -> Response:
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    from talentbridge.domain import ApplicationData
    from talentbridge.services.applications import ApplicationService

    record = ApplicationData(talent_id=user.talent_id, opening_id=opening_id)
    # open openings only (422 otherwise, the same answer for drafts, closed and unknown ids)
    check_create(request, "application", record, {"talent_id": user.talent_id, "opening_id": opening_id})
    ApplicationService(session).apply(user.talent_id, opening_id, user)
    return saved_redirect(request, session, "/me/applications?applied=1")


@router.post("/skills/add")
def add_skill(
    request: Request,
    repos: ReposDep,
    session: SessionDep,
    skill_id: Annotated[str, Form(min_length=1, max_length=300)],
    level: Annotated[int, Form(ge=1, le=5)] = 3,
) -> Response:
    """Add one skill found by name in the taxonomy (or change its level when the talent already has it)."""
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    talent = repos.talents.get(user.talent_id)
    from talentbridge.domain.errors import Problem
    from talentbridge.services.skill_picker import skill_exists

    if not skill_exists(session, skill_id):
        raise ValidationFailed("unknown skill", [Problem(("skill_id",), "is not a skill of the taxonomy", skill_id)])
    skills = [s.model_dump(mode="json") for s in talent.skills if s.skill_id != skill_id]
    skills.append({"skill_id": skill_id, "level": level, "source": "explicit"})
    check_update(request, "talent", TalentData, talent, {"skills": skills})
    repos.talents.update(user.talent_id, {"skills": skills})
    return saved_redirect(request, session, "/me?saved=1#skills-form")


@router.get("/applications")
def applications(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    from talentbridge.services.applications import ACTIVE, ApplicationService
    from talentbridge.services.invitations import InvitationService

    talent = _profile(request, repos)
    items = repos.applications.list({"talent_id": talent.id}, size=200, sort="-updated_at").items if talent else []
    invitations = InvitationService(session).for_talent(talent.id) if talent else []
    history = ApplicationService(session).history([a.id for a in items])
    openings = repos.openings.get_many({a.opening_id for a in items} | {i.opening_id for i in invitations})
    orgs = repos.organizations.get_many({o.organization_id for o in openings.values()})
    return render(
        request,
        "talent/applications.html",
        items=items,
        openings=openings,
        orgs=orgs,
        invitations=invitations,
        history=history,
        active={s.value for s in ACTIVE},
        flash=next((k for k in ("applied", "withdrawn", "answered") if request.query_params.get(k)), None),
        answered=request.query_params.get("answered"),
    )


@router.get("/rounds")
def rounds(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    talent = _profile(request, repos)
    from talentbridge.services.round_participation import talent_rounds

    return render(request, "talent/rounds.html", rounds=talent_rounds(session, talent.id) if talent else [])


@router.post("/rounds/{round_id}/preferences")
async def submit_preferences(request: Request, round_id: int, session: SessionDep, repos: ReposDep) -> Response:
    talent = _profile(request, repos)
    if talent is None:
        return redirect("/me")
    policy_of(request).check(request, "round", "submit_preferences", {"talent_id": talent.id})
    form = await request.form()
    from talentbridge.services.round_lists import talent_order_from_positions
    from talentbridge.services.rounds import RoundService

    typed = {int(k[5:]): str(v) for k, v in form.items() if k.startswith("rank:") and k[5:].isdigit()}
    order, problems = talent_order_from_positions(typed)
    if problems:  # ties and unreadable ranks are refused, as docs/rounds.md says, never silently reordered
        raise ValidationFailed("invalid ranking", problems)
    RoundService(session).submit_talent_preferences(round_id, talent.id, order, actor=request.state.user.email)
    return saved_redirect(request, session, "/me/rounds?saved=1")
