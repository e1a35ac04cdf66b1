"""Training plans: an organization's plan for a group of its employees (/org/training) and, for operators, the
demanded skills no course teaches (/operator/courses/uncovered)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import PermissionDenied, TalentBridgeError
from talentbridge.services import training_plans
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import render
from talentbridge.web.pages.skills_ui import labels_for

__all__ = ["router", "form_context"]

router = APIRouter(include_in_schema=False)


@router.get("/org/training", dependencies=[Depends(require_roles("org_member"))])
def org_training(
    request: Request, session: SessionDep, kind: str = "", ref: str = "",
    opening: int | None = Query(None, ge=1, le=2_147_483_647),
) -> Response:  # fmt: skip
    """The plan for a target: one of the organization's openings (picked by title), an occupation (by its Korean or
    English name) or a skill list; never an id typed by hand."""
    org_id = getattr(request.state.user, "organization_id", None)
    if org_id is None:
        raise PermissionDenied("this page is for organization accounts")
    context = form_context(request, session, int(org_id))
    openings = context["openings"]
    if opening is not None:
        kind, ref = "opening", str(opening)
    result: dict[str, Any] | None = None
    error = None
    if kind == "opening" and ref not in {str(o.id) for o in openings}:
        _ = gettext_for(request_language(request))
        error, kind, ref = _("Choose one of your organization's openings."), "", ""
    if kind and ref:
        try:
            result = training_plans.team_plan(session, int(org_id), kind, ref)
        except TalentBridgeError as exc:
            error = exc.message
    return render(request, "org/training.html", result=result, kind=kind, ref=ref, error=error, **context)


def form_context(request: Request, session: Any, org_id: int) -> dict[str, Any]:
    """What the plan forms offer: the organization's openings (by title), its employees (``q`` searches them),
    the occupations (Korean and English names), and whether any course is loaded at all."""
    from talentbridge.services.course_catalogue import course_store
    from talentbridge.services.registry import registry
    from talentbridge.services.skill_gap import occupation_label
    from talentbridge.web.pages.skills_ui import role_label as occupation_name
    from talentbridge.web.pages.skills_ui import taxonomy_for
    from talentbridge.web.pages.training_plans_ui import employees_of

    q = request.query_params.get("q", "")[:100]
    taxonomy = taxonomy_for(request)
    lang = request_language(request)

    def role_label(role_id: str) -> str:
        return occupation_name(taxonomy, role_id, lang)

    openings = registry(session).openings.list({"organization_id": org_id}, size=200, sort="-created_at").items
    return {
        "openings": openings,
        "employees": employees_of(session, org_id, q, role_label),
        "role_label": role_label,
        "q": q,
        "occupations": sorted({occupation_label(o) for o in taxonomy.occupations.values()}),
        "catalogue_empty": course_store(session).count() == 0,
    }


@router.get("/operator/courses/uncovered", dependencies=[Depends(require_roles("operator"))])
def uncovered(request: Request, session: SessionDep) -> Response:
    from talentbridge.services.course_catalogue import course_store

    rows = training_plans.uncovered_demand(session)
    return render(request, "courses/uncovered.html", rows=rows, labels=labels_for(request, [s for s, _ in rows]),
                  catalogue_empty=course_store(session).count() == 0)  # fmt: skip
