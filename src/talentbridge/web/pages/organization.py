"""Organization pages: the organization's profile, its openings (skills suggested from the job text),
recommended talent with explanations, the applicant pipeline, and rankings for rounds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain import OpeningData
from talentbridge.domain.enums import ApplicationStatus, Importance, OpeningKind, OpeningStatus, Region, SizeBand
from talentbridge.domain.errors import PermissionDenied, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for
from talentbridge.web.policy import policy_of

router = APIRouter(prefix="/org", include_in_schema=False, dependencies=[Depends(require_roles("org_member"))])


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
    policy_of(request).check(request, "organization", "update", org)
    form = await request.form()
    changes = {
        k: (str(form.get(k, "")).strip() or None) for k in ("name_en", "website", "description", "region", "size_band")
    }
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
            errors=[str(p) for p in exc.problems],
            saved=None,
        )
    return redirect("/org?saved=1")


@router.get("/openings")
def openings(request: Request, repos: ReposDep) -> Response:
    user = _member(request)
    items = repos.openings.list({"organization_id": user.organization_id}, size=200, sort="-created_at").items
    return render(
        request,
        "org/openings.html",
        items=items,
        kinds=list(OpeningKind),
        regions=list(Region),
        statuses=list(OpeningStatus),
        errors=[],
        form={},
    )


@router.post("/openings/suggest")
def suggest(
    request: Request,
    title: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=100_000)] = "",
) -> Response:
    """Skills suggested from the job text (an HTMX fragment): accept, set importance and minimum level."""
    _member(request)
    from talentbridge.services.skill_extraction import ready_skill_services

    services = ready_skill_services(request.app.state.settings)
    if services is None:  # serve's warm-up is still loading the models: say so instead of waiting
        return render(request, "_warming_up.html")
    text = f"{title}\n{description}".strip()
    found = services.extractor.extract(text, top=15) if text else []
    by_uri = services.taxonomy.skill_by_uri()
    suggestions = []
    for item in found:
        skill = by_uri.get(item.uri)
        if skill is not None:
            suggestions.append(
                {
                    "id": skill.id,
                    "label": labels_for(request, [skill.id])[skill.id],
                    "score": item.score,
                    "via": item.via,
                    "evidence": [text[a:b] for a, b in item.spans][:2],
                }
            )
    if not suggestions and title.strip():
        for occ in services.normalizer.normalize([title], top=1)[0]:
            occ_obj = services.taxonomy.occupation_by_uri().get(getattr(occ, "uri", ""))
            for sid in (occ_obj.essential_skills if occ_obj else [])[:8]:
                suggestions.append(
                    {
                        "id": sid,
                        "label": labels_for(request, [sid])[sid],
                        "score": occ.score,
                        "via": "occupation",
                        # the occupation, and the label of it that the title matched when that is another one
                        "evidence": [
                            e for e in dict.fromkeys([occ_obj.label_ko or occ_obj.label_en, occ.matched_label]) if e
                        ],
                    }
                )
    return render(request, "org/_skill_suggestions.html", suggestions=suggestions, importances=list(Importance))


@router.post("/openings")
async def create_opening(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    user = _member(request)
    form = await request.form()
    skills = []
    for sid in form.getlist("accept"):
        sid = str(sid)
        skills.append(
            {
                "skill_id": sid,
                "importance": str(form.get(f"importance:{sid}") or "should"),
                "min_level": int(str(form.get(f"level:{sid}") or 3)),
            }
        )
    data: dict[str, Any] = {
        "organization_id": user.organization_id,
        "kind": form.get("kind") or "job",
        "title": str(form.get("title", "")).strip(),
        "description": str(form.get("description", "")) or None,
        "region": form.get("region") or None,
        "remote": form.get("remote") == "on",
        "seats": int(str(form.get("seats") or 1)) if str(form.get("seats") or "1").isdigit() else 0,
        "status": form.get("status") or "open",
        "deadline": form.get("deadline") or None,
        "visa_sponsorship": form.get("visa_sponsorship") == "on",
        "required_skills": skills,
    }
    from pydantic import ValidationError

    try:
        record = OpeningData.model_validate(data)
        policy_of(request).check(request, "opening", "create", record)
        opening = repos.openings.add(record)
    except (ValidationError, ValidationFailed) as exc:
        session.rollback()
        errors = (
            [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            if isinstance(exc, ValidationError)
            else [str(p) for p in exc.problems]
        )
        items = repos.openings.list({"organization_id": user.organization_id}, size=200).items
        return render(
            request,
            "org/openings.html",
            status_code=422,
            items=items,
            kinds=list(OpeningKind),
            regions=list(Region),
            statuses=list(OpeningStatus),
            errors=errors,
            form=data,
        )
    return redirect(f"/org/openings/{opening.id}")


@router.get("/openings/{opening_id}")
def opening_detail(request: Request, opening_id: int, repos: ReposDep, session: SessionDep) -> Response:
    opening = _own_opening(request, repos, opening_id)
    from talentbridge.web.pages.recommend_ui import talents_for_opening

    items, error = talents_for_opening(request, session, opening.id)
    apps = repos.applications.list({"opening_id": opening.id}, size=200, sort="-created_at").items
    policy = policy_of(request)
    talents = {
        t.id: policy.present(request, "talent", t.model_dump(mode="json"))
        for t in repos.talents.get_many([a.talent_id for a in apps]).values()
    }
    return render(
        request,
        "org/opening.html",
        opening=opening,
        items=items,
        error=error,
        applications=apps,
        talents=talents,
        statuses=list(ApplicationStatus),
        skill_labels=labels_for(request, [s.skill_id for s in opening.required_skills]),
    )


@router.post("/applications/{application_id}")
def update_application(
    request: Request, application_id: int, repos: ReposDep, status: Annotated[str, Form()] = ""
) -> Response:
    _member(request)
    application = repos.applications.get(application_id)
    policy_of(request).check(request, "application", "update", application)  # before reading the form
    repos.applications.update(application_id, {"status": status})
    return redirect(f"/org/openings/{application.opening_id}")


@router.get("/rounds")
def rounds(request: Request, session: SessionDep) -> Response:
    user = _member(request)
    from talentbridge.web.pages.rounds_ui import organization_rounds

    rounds_ = organization_rounds(session, user.organization_id)
    from talentbridge.web.auth import audit

    for r in rounds_:  # participants' names are personal data: every view is logged
        for o in r["openings"]:
            for person in o["ranking"] + o["unranked"]:
                audit(request, "view", "talent", person["talent_id"], fields=["name"], path=request.url.path)
    return render(request, "org/rounds.html", rounds=rounds_, saved=request.query_params.get("saved"))


@router.post("/rounds/{round_id}/openings/{opening_id}/ranking")
async def submit_ranking(
    request: Request, round_id: int, opening_id: int, repos: ReposDep, session: SessionDep
) -> Response:
    opening = _own_opening(request, repos, opening_id)
    policy_of(request).check(request, "round", "submit_preferences", {"organization_id": opening.organization_id})
    form = await request.form()
    ranked = sorted(
        (int(str(v)), int(k.split(":", 1)[1])) for k, v in form.items() if k.startswith("rank:") and str(v).isdigit()
    )
    from talentbridge.services.rounds import RoundService

    RoundService(session).submit_opening_preferences(
        round_id, opening_id, [tid for _, tid in ranked], actor=request.state.user.email
    )
    return redirect("/org/rounds?saved=1")


@router.post("/rounds/{round_id}/openings/{opening_id}/generate")
def generate_ranking(
    request: Request, round_id: int, opening_id: int, repos: ReposDep, session: SessionDep
) -> Response:
    opening = _own_opening(request, repos, opening_id)
    policy_of(request).check(request, "round", "submit_preferences", {"organization_id": opening.organization_id})
    from talentbridge.services.rounds import RoundService

    RoundService(session).generate_organization_rankings(round_id, opening_ids=[opening_id])
    return redirect("/org/rounds?saved=1")
