"""Talent pages for every open opening: search with filters (words, kind, region, remote, skill, organization
kind) and pages; an opening's detail (description, pay, requirements, deadline, and the fit score's criteria for
me, with the AI notice); apply, withdraw, and answer invitations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain.enums import OpeningKind, OrganizationKind, Region
from talentbridge.domain.errors import PermissionDenied, ValidationFailed
from talentbridge.domain.opening import is_accepting, shown_status
from talentbridge.services.accounts import Role
from talentbridge.services.skill_picker import skill_labels
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.after_save import saved_redirect
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.opening_form import today
from talentbridge.web.pages.pipeline_ui import _salary
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(prefix="/me", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])


def _talent_user(request: Request) -> Any:
    user = request.state.user
    policy_of(request).check(request, "opening", "list")
    if user.role != Role.TALENT:
        raise PermissionDenied("these pages are for talent accounts")
    return user


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


@router.get("/openings")
def search(request: Request, session: SessionDep) -> Response:
    """Every open opening, filtered and paginated (filters are query parameters, so a search can be shared)."""
    _talent_user(request)
    from talentbridge.services.openings_search import SORTS, OpeningQuery, search_openings

    params = request.query_params
    query = OpeningQuery(
        text=params.get("q", "").strip(),
        kind=params.get("kind", ""),
        region=params.get("region", ""),
        remote=params.get("remote") in ("on", "true", "1"),
        skills=[s for s in params.getlist("skill") if s],
        organization_kind=params.get("organization_kind", ""),
        sort=params.get("sort") or "new",
        page=_int(params.get("page"), 1),
        size=min(_int(params.get("size"), 20), 100),
    )
    lang = request_language(request)
    tr = gettext_for(lang)
    errors: list[str] = []
    try:
        result = search_openings(session, query, today())
    except ValidationFailed as exc:
        names = {
            "kind": tr("Kind"),
            "region": tr("Region"),
            "organization_kind": tr("Organization kind"),
            "sort": tr("Sort by"),
            "text": tr("Words in the title or description"),
        }
        errors = [
            tr("Filter “{name}”: {problem}", name=names.get(str(p.loc[-1]), str(p.loc[-1])), problem=tr(p.msg))
            for p in exc.problems
        ]
        result = {"items": [], "total": 0, "page": 1, "pages": 1, "size": query.size}
    skill_ids = list(query.skills)
    for item in result["items"]:
        skill_ids += [s.skill_id for s in item["opening"].required_skills]
    labels = skill_labels(session, skill_ids, lang)
    base = [(k, v) for k, v in params.multi_items() if k != "page"]
    return render(
        request,
        "talent/openings.html",
        query=query,
        result=result,
        errors=errors,
        labels=labels,
        salaries={i["opening"].id: _salary(i["opening"], lang, tr) for i in result["items"]},
        kinds=list(OpeningKind),
        regions=list(Region),
        organization_kinds=list(OrganizationKind),
        sorts=list(SORTS),
        page_base=base,
    )


@router.get("/openings/{opening_id}")
def detail(request: Request, opening_id: int, repos: ReposDep, session: SessionDep) -> Response:
    """One opening as a talent sees it, with the fit score's criteria for them."""
    user = _talent_user(request)
    opening = repos.openings.get(opening_id)
    day = today()
    if opening.status.value == "draft":
        raise PermissionDenied("this opening is not published")
    policy_of(request).check(request, "opening", "read", opening)
    org = repos.organizations.get(opening.organization_id)
    lang = request_language(request)
    tr = gettext_for(lang)
    fit, unmet = None, []
    application = None
    if user.talent_id is not None:
        fit, unmet = _fit_for_me(request, session, user.talent_id, opening, lang)
        found = repos.applications.list({"talent_id": user.talent_id, "opening_id": opening.id}, size=1).items
        application = found[0] if found else None
    return render(
        request,
        "talent/opening.html",
        opening=opening,
        org=org,
        shown=shown_status(opening, day),
        accepting=is_accepting(opening, day),
        salary=_salary(opening, lang, tr),
        skill_labels=skill_labels(session, [s.skill_id for s in opening.required_skills], lang),
        fit=fit,
        unmet=unmet,
        application=application,
        has_profile=user.talent_id is not None,
    )


def _fit_for_me(request: Request, session: Any, talent_id: int, opening: Any, lang: str) -> tuple[Any, list[str]]:
    """The talent's fit score for this opening with its criteria, and the hard requirements it fails."""
    from talentbridge.services.openings_search import fit_for_talent
    from talentbridge.web.pages.recommend_ui import _explained

    found = fit_for_talent(request.app.state.settings, session, talent_id, opening)
    if found is None:
        return None, []
    tr = gettext_for(lang)
    from talentbridge.web.ai_notice import shown

    # the talent's score for this opening is an AI ranking shown to them: kept as a one-item list
    item = {"opening_id": opening.id, "score": found["score"]}
    request.state.ai_record = shown(request, session, {"talent": {"id": talent_id}, "top": 1, "items": [item]},
                                    f"page:{request.url.path}")  # fmt: skip
    explained = _explained(request, found["explanation"])
    fit = {"id": opening.id, "title": tr("My fit score"), "subtitle": "", "score": found["score"], **explained}
    unmet = [found["labels"][k].get(lang, k) for k in found["failing"]]
    return fit, unmet


@router.post("/openings/{opening_id}/apply")
def apply(request: Request, opening_id: int, session: SessionDep) -> Response:
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    from talentbridge.domain import ApplicationData

    policy_of(request).check(
        request, "application", "create", ApplicationData(talent_id=user.talent_id, opening_id=opening_id)
    )
    from talentbridge.services.applications import ApplicationService

    ApplicationService(session).apply(user.talent_id, opening_id, user)
    return saved_redirect(request, session, "/me/applications?applied=1")


@router.post("/applications/{application_id}/withdraw")
def withdraw(request: Request, application_id: int, repos: ReposDep, session: SessionDep) -> Response:
    user = _talent_user(request)
    application = repos.applications.get(application_id)
    policy_of(request).check(request, "application", "update", application)
    from talentbridge.services.applications import ApplicationService

    ApplicationService(session).withdraw(application_id, user.talent_id or -1, user)
    return saved_redirect(request, session, "/me/applications?withdrawn=1")


@router.post("/invitations/{invitation_id}")
def answer_invitation(
    request: Request,
    invitation_id: int,
    session: SessionDep,
    answer: Annotated[str, Form(pattern="^(accept|decline)$")],
) -> Response:
    user = _talent_user(request)
    if user.talent_id is None:
        return redirect("/me")
    policy_of(request).check(request, "application", "create", {"talent_id": user.talent_id})
    from talentbridge.services.invitations import InvitationService

    service = InvitationService(session)
    if answer == "accept":
        service.accept(invitation_id, user.talent_id, user)
    else:
        service.decline(invitation_id, user.talent_id, user)
    return saved_redirect(request, session, f"/me/applications?answered={answer}")
