"""The talent's 성장 경로 (growth path): choose a target (a recommended opening, an occupation, skills) → the gap,
explained → the courses that close it as cards (hours, fee, delivery/region, employment rate) → save; mark
courses as learning or completed (their skills show as such on the profile)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain.errors import NotFound, PermissionDenied, TalentBridgeError, ValidationFailed
from talentbridge.services import growth_paths
from talentbridge.web.auth import audit
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for, taxonomy_for
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(prefix="/me/growth", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])


def _talent_id(request: Request) -> int:
    user = request.state.user
    if user.talent_id is None:
        raise PermissionDenied("create your profile first")
    return int(user.talent_id)


def _occupations(request: Request) -> list[str]:
    """The occupation picker's choices, each ``한국어 이름 (English name)`` so either language finds it."""
    from talentbridge.services.skill_gap import occupation_label

    taxonomy = taxonomy_for(request)
    return sorted({occupation_label(o) for o in taxonomy.occupations.values()})


def _recommended(request: Request, session: Any, talent_id: int) -> list[dict[str, Any]]:
    """The person's recommended openings, the first choice of target (best first); none when they cannot be
    computed (the other pickers remain)."""
    from talentbridge.web.pages.recommend_ui import openings_for_talent

    policy_of(request).check(request, "recommendation", "read", {"talent_id": talent_id})
    items, _error = openings_for_talent(request, session, talent_id, top=15)
    return items


def _target_error(request: Request, exc: TalentBridgeError, kind: str, ref: str) -> str:
    """Why the target cannot be used, in the person's language."""
    _ = gettext_for(request_language(request))
    if isinstance(exc, NotFound) and kind == "occupation":
        return _("No occupation is named “{name}”; pick one from the list.", name=ref)
    if isinstance(exc, NotFound) and kind == "opening":
        return _("That opening does not exist; pick one of your recommended openings.")
    if isinstance(exc, ValidationFailed) and kind == "skills":
        bad = ", ".join(str(p.value) for p in exc.problems if p.value is not None)
        return _("Skills are written as skill:level (level 1–5), separated by commas; not understood: {bad}",
                 bad=bad or "—")  # fmt: skip
    if isinstance(exc, ValidationFailed):
        return _("Choose a target: a recommended opening, an occupation or skills.")
    return exc.message


@router.get("")
def growth_page(request: Request, session: SessionDep, kind: str = "", ref: str = "") -> Response:
    talent_id = _talent_id(request)
    view: dict[str, Any] | None = None
    error = None
    ref = ref.strip()
    if kind and not ref:
        error = gettext_for(request_language(request))(
            "Choose a target: a recommended opening, an occupation or skills."
        )
    elif kind and ref:
        try:
            view = growth_paths.growth_view(session, talent_id, kind, ref)
        except TalentBridgeError as exc:
            error = _target_error(request, exc, kind, ref)
    labels: dict[str, Any] = {}
    if view:
        labels = labels_for(
            request, [s.skill_id for c in view["plan"].courses for s in c.teaches] + view["plan"].unreachable
        )
    from talentbridge.services.course_catalogue import course_store

    saved = course_store(session).paths_of(talent_id)
    # The recommended openings (a ranking, with its AI Basic Act record) are computed only when their picker is
    # shown: before a target is chosen, or when it could not be used; with a gap on screen a link brings it back.
    recommended = _recommended(request, session, talent_id) if view is None else None
    return render(request, "talent/growth.html", view=view, kind=kind, ref=ref, error=error,
                  occupations=_occupations(request), recommended=recommended, labels=labels,
                  saved=saved)  # fmt: skip


@router.post("/save")
def save_path(
    request: Request, session: SessionDep, kind: Annotated[str, Form(max_length=20)],
    ref: Annotated[str, Form(max_length=300)],
) -> Response:  # fmt: skip
    talent_id = _talent_id(request)
    path_id = growth_paths.save_growth_path(session, talent_id, kind, ref)
    audit(request, "create", "growth_path", path_id)
    return redirect(f"/me/growth?kind={kind}&ref={ref}&saved=1")


@router.post("/progress")
def course_progress(
    request: Request, session: SessionDep, course_id: Annotated[int, Form()],
    status: Annotated[str, Form(max_length=20)], kind: Annotated[str, Form(max_length=20)] = "",
    ref: Annotated[str, Form(max_length=300)] = "",
) -> Response:  # fmt: skip
    talent_id = _talent_id(request)
    growth_paths.set_course_progress(session, talent_id, course_id, status)
    audit(request, "update", "course_progress", course_id, status=status)
    return redirect(f"/me/growth?kind={kind}&ref={ref}" if kind else "/me/growth")
