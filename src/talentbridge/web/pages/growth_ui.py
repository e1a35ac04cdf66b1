"""The talent's 성장 경로 (growth path): choose a target (a recommended opening, an occupation, skills) → the gap,
explained → the courses that close it as cards (hours, fee, delivery/region, employment rate) → save; mark
courses as learning or completed (their skills show as such on the profile)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain.errors import PermissionDenied, TalentBridgeError
from talentbridge.services import growth_paths
from talentbridge.web.auth import audit
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for, taxonomy_for

__all__ = ["router"]

router = APIRouter(prefix="/me/growth", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])


def _talent_id(request: Request) -> int:
    user = request.state.user
    if user.talent_id is None:
        raise PermissionDenied("create your profile first")
    return int(user.talent_id)


def _occupations(request: Request) -> list[tuple[str, str]]:
    taxonomy = taxonomy_for(request)
    lang = request_language(request)
    occs = [o for o in taxonomy.occupations.values() if o.builtin]
    return sorted(
        ((o.id, (o.label_ko or o.label_en) if lang == "ko" else o.label_en) for o in occs), key=lambda x: x[1]
    )


@router.get("")
def growth_page(request: Request, session: SessionDep, kind: str = "", ref: str = "") -> Response:
    talent_id = _talent_id(request)
    view: dict[str, Any] | None = None
    error = None
    if kind and ref:
        try:
            view = growth_paths.growth_view(session, talent_id, kind, ref)
        except TalentBridgeError as exc:
            error = exc.message
    labels: dict[str, Any] = {}
    if view:
        labels = labels_for(
            request, [s.skill_id for c in view["plan"].courses for s in c.teaches] + view["plan"].unreachable
        )
    from talentbridge.services.course_catalogue import course_store

    saved = course_store(session).paths_of(talent_id)
    return render(request, "talent/growth.html", view=view, kind=kind, ref=ref, error=error,
                  occupations=_occupations(request), labels=labels, saved=saved)  # fmt: skip


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
