"""Talent pages: the profile editor (paste a résumé, accept or reject suggested skills), recommended openings
with their explanations, applications, and preference ranking for open rounds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import update

from talentbridge.domain import TalentData
from talentbridge.domain.enums import EmploymentType, Region, TalentCategory
from talentbridge.domain.errors import PermissionDenied, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.storage.account_tables import UserRow
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for, taxonomy_for
from talentbridge.web.policy import policy_of

router = APIRouter(prefix="/me", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])


def _talent_user(request: Request) -> Any:
    user = getattr(request.state, "user", None)
    policy_of(request).check(request, "talent", "list")
    if user.role != Role.TALENT:
        raise PermissionDenied("these pages are for talent accounts")
    return user


def _profile(request: Request, repos: Any) -> Any:
    user = _talent_user(request)
    if user.talent_id is None:
        return None
    talent = repos.talents.get(user.talent_id)
    policy_of(request).check(request, "talent", "read", talent)
    return talent


def _form_context(request: Request, talent: Any, errors: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    skills = talent.skills if talent else []
    return {
        "talent": talent,
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
    user = _talent_user(request)
    form = await request.form()
    changes: dict[str, Any] = {
        "name": str(form.get("name", "")).strip(),
        "region": form.get("region") or None,
        "category": form.get("category") or "engineer",
        "resume_text": str(form.get("resume_text", "")) or None,
        "desired_roles": [r.strip() for r in str(form.get("desired_roles", "")).split(",") if r.strip()],
        "employment_types": form.getlist("employment_types") or ["full_time"],
        "salary_expectation": int(str(form["salary_expectation"]))
        if str(form.get("salary_expectation", "")).isdigit()
        else None,
        "available_from": form.get("available_from") or None,
        "consent_visible": form.get("consent_visible") == "on",
        "consent_statistics": form.get("consent_statistics") == "on",
    }
    try:
        if user.talent_id is None:
            talent = repos.talents.add(TalentData.model_validate({**changes, "email": user.email}))
            session.execute(update(UserRow).where(UserRow.id == user.id).values(talent_id=talent.id))
        else:
            talent = repos.talents.get(user.talent_id)
            policy_of(request).check(request, "talent", "update", talent)
            repos.talents.update(user.talent_id, changes)
    except ValidationFailed as exc:
        session.rollback()
        current = repos.talents.get(user.talent_id) if user.talent_id else None
        return render(
            request,
            "talent/profile.html",
            status_code=422,
            **_form_context(request, current, [str(p) for p in exc.problems]),
        )
    except Exception as exc:  # pydantic errors from a brand-new profile
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        session.rollback()
        errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return render(request, "talent/profile.html", status_code=422, **_form_context(request, None, errors))
    return redirect("/me?saved=1")


@router.post("/skills/suggest")
def suggest_skills(
    request: Request, repos: ReposDep, resume_text: Annotated[str, Form(max_length=100_000)] = ""
) -> Response:
    """Skills found in the pasted résumé, for the talent to accept or reject (an HTMX fragment)."""
    talent = _profile(request, repos)
    from talentbridge.services.skill_extraction import ready_skill_services

    services = ready_skill_services(request.app.state.settings)
    if services is None:  # serve's warm-up is still loading the models: say so instead of waiting
        return render(request, "_warming_up.html")
    found = services.extractor.extract(resume_text, top=20) if resume_text.strip() else []
    by_uri = services.taxonomy.skill_by_uri()
    have = {s.skill_id for s in talent.skills} if talent else set()
    suggestions = []
    for item in found:
        skill = by_uri.get(item.uri)
        if skill is None or skill.id in have:
            continue
        evidence = [resume_text[a:b] for a, b in item.spans][:3]
        suggestions.append(
            {
                "id": skill.id,
                "label": labels_for(request, [skill.id])[skill.id],
                "score": item.score,
                "via": item.via,
                "evidence": evidence,
            }
        )
    return render(request, "talent/_suggestions.html", suggestions=suggestions, resume_text=resume_text)


@router.post("/skills")
async def save_skills(request: Request, repos: ReposDep) -> Response:
    """Add the accepted suggestions and apply level changes and removals to existing skills."""
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    talent = repos.talents.get(user.talent_id)
    policy_of(request).check(request, "talent", "update", talent)
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
    repos.talents.update(user.talent_id, changes)
    return redirect("/me?saved=1")


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
def apply(request: Request, repos: ReposDep, opening_id: Annotated[int, Form()]) -> Response:
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    from talentbridge.domain import ApplicationData

    record = ApplicationData(talent_id=user.talent_id, opening_id=opening_id)
    policy_of(request).check(request, "application", "create", record)
    repos.openings.get(opening_id)
    existing = repos.applications.list({"talent_id": user.talent_id, "opening_id": opening_id}, size=1)
    if existing.total == 0:
        repos.applications.add(record)
    return redirect("/me/applications")


@router.get("/applications")
def applications(request: Request, repos: ReposDep) -> Response:
    talent = _profile(request, repos)
    items = repos.applications.list({"talent_id": talent.id}, size=200, sort="-created_at").items if talent else []
    openings = repos.openings.get_many([a.opening_id for a in items])
    orgs = repos.organizations.get_many({o.organization_id for o in openings.values()})
    return render(request, "talent/applications.html", items=items, openings=openings, orgs=orgs)


@router.get("/rounds")
def rounds(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    talent = _profile(request, repos)
    from talentbridge.web.pages.rounds_ui import talent_rounds

    return render(request, "talent/rounds.html", rounds=talent_rounds(session, talent.id) if talent else [])


@router.post("/rounds/{round_id}/preferences")
async def submit_preferences(request: Request, round_id: int, session: SessionDep, repos: ReposDep) -> Response:
    talent = _profile(request, repos)
    if talent is None:
        return redirect("/me")
    policy_of(request).check(request, "round", "submit_preferences", {"talent_id": talent.id})
    form = await request.form()
    ranked = sorted(
        ((int(str(v)), int(k.split(":", 1)[1])) for k, v in form.items() if k.startswith("rank:") and str(v).isdigit()),
    )
    from talentbridge.services.rounds import RoundService

    RoundService(session).submit_talent_preferences(
        round_id, talent.id, [oid for _, oid in ranked], actor=request.state.user.email
    )
    return redirect("/me/rounds?saved=1")
