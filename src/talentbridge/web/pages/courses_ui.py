"""Course catalogue pages for operators: search the catalogue, import a file (KDT, JCRec, generic), read a course
and correct its skills (inferred ones carry their evidence)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain.course import FundingTrack
from talentbridge.domain.errors import ValidationFailed
from talentbridge.services import course_catalogue
from talentbridge.web.auth import audit
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import labels_for, taxonomy_for

__all__ = ["router"]

router = APIRouter(prefix="/operator/courses", include_in_schema=False,
                   dependencies=[Depends(require_roles("operator"))])  # fmt: skip
PAGE = 50


@router.get("")
def catalogue_page(
    request: Request, session: SessionDep, q: str = "", ncs: str = "", track: str = "", page: int = 1
) -> Response:
    page = max(1, page)
    store = course_catalogue.course_store(session)
    courses, total = store.search(q=q.strip(), ncs=ncs.strip(), track=track, limit=PAGE, offset=(page - 1) * PAGE)
    labels = labels_for(request, sorted({s.skill_id for c in courses for s in c.teaches}))
    return render(
        request, "courses/catalogue.html", courses=courses, total=total, q=q, ncs=ncs, track=track, page=page,
        pages=max(1, -(-total // PAGE)), tracks=[t.value for t in FundingTrack], labels=labels,
    )  # fmt: skip


@router.get("/{course_id}")
def course_page(request: Request, session: SessionDep, course_id: int) -> Response:
    course = course_catalogue.course_store(session).get(course_id)
    return _course(request, course, errors=[])


def _course(request: Request, course, errors: list[str], status_code: int = 200, form: dict | None = None) -> Response:  # type: ignore[no-untyped-def]
    labels = labels_for(request, [s.skill_id for s in course.requires + course.teaches])
    values = form or {
        "requires": "\n".join(f"{s.skill_id}:{s.level}" for s in course.requires),
        "teaches": "\n".join(f"{s.skill_id}:{s.level}" for s in course.teaches),
    }
    return render(request, "courses/course.html", status_code=status_code, course=course, labels=labels,
                  errors=errors, form=values)  # fmt: skip


@router.post("/{course_id}/skills")
def save_skills(
    request: Request,
    session: SessionDep,
    course_id: int,
    requires: Annotated[str, Form(max_length=20_000)] = "",
    teaches: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    taxonomy = taxonomy_for(request)
    try:
        course_catalogue.set_course_skills(
            session, course_id, requires=requires, teaches=teaches,
            known=lambda ids: {i for i in ids if i in taxonomy.skills},
        )  # fmt: skip
    except ValidationFailed as exc:
        from talentbridge.web.pages.error_pages import form_errors

        course = course_catalogue.course_store(session).get(course_id)
        return _course(request, course, form_errors(request, exc), 422, {"requires": requires, "teaches": teaches})
    audit(request, "update", "course", course_id, fields=["requires", "teaches"])
    return redirect(f"/operator/courses/{course_id}?saved=1")
