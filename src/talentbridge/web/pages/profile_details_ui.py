"""The rest of a talent's profile, so every field can be corrected (PIPA art. 36): contact (Latin name, e-mail,
phone), personal details (gender, birth year, nationality, stay status and its expiry), education and work
history. The profile editor (``talent.py``) holds the others; the current employer is set by the organization
or the operator (shown here, with how to have it changed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from talentbridge.domain import TalentData
from talentbridge.domain.enums import Degree, Gender, VisaType
from talentbridge.domain.errors import ValidationFailed
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.pages.after_save import saved_redirect
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.policy import check_update, policy_of

__all__ = ["router"]

router = APIRouter(prefix="/me", include_in_schema=False, dependencies=[Depends(require_roles("talent"))])
BLANK_ROWS = 2


def _talent(request: Request, repos: Any) -> Any:
    user = request.state.user
    if user.talent_id is None:
        return None
    talent = repos.talents.get(user.talent_id)
    policy_of(request).check(request, "talent", "read", talent)
    return talent


def _values(talent: Any) -> dict[str, Any]:
    education = [e.model_dump(mode="json") for e in talent.education]
    work = [w.model_dump(mode="json") for w in talent.work_history]
    return {
        "name_latin": talent.name_latin or "",
        "email": talent.email or "",
        "phone": talent.phone or "",
        "gender": talent.gender.value if talent.gender else "",
        "birth_year": talent.birth_year or "",
        "nationality": talent.nationality,
        "visa_type": talent.visa_type.value if talent.visa_type else "",
        "visa_expires": talent.visa_expires.isoformat() if talent.visa_expires else "",
        "education": education + [{} for _ in range(BLANK_ROWS)],
        "work_history": work + [{} for _ in range(BLANK_ROWS)],
    }


def _context(
    request: Request, repos: Any, talent: Any, values: dict[str, Any], errors: list[str] | None = None
) -> dict[str, Any]:
    employer = None
    if talent is not None and talent.current_employer_id:
        employer = repos.organizations.get(talent.current_employer_id).name
    return {
        "talent": talent,
        "values": values,
        "errors": errors or [],
        "genders": list(Gender),
        "degrees": list(Degree),
        "visas": list(VisaType),
        "employer": employer,
        "saved": request.query_params.get("saved"),
    }


@router.get("/details")
def details(request: Request, repos: ReposDep) -> Response:
    talent = _talent(request, repos)
    if talent is None:
        return redirect("/me")
    return render(request, "talent/details.html", **_context(request, repos, talent, _values(talent)))


def _rows(form: Any, prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = []
    for i in range(200):
        if f"{prefix}-{i}-{fields[0]}" not in form:
            break
        row = {f: str(form.get(f"{prefix}-{i}-{f}") or "").strip() for f in fields}
        if not any(row.values()):
            continue  # a blank row: nothing typed
        rows.append({k: (v or None) for k, v in row.items()})
    return rows


@router.post("/details")
async def save_details(request: Request, repos: ReposDep, session: SessionDep) -> Response:
    from talentbridge.web.i18n import gettext_for, request_language
    from talentbridge.web.pages.talent import _problem_text

    talent = _talent(request, repos)
    if talent is None:
        return redirect("/me")
    form = await request.form()
    text = {k: str(form.get(k) or "").strip() for k in ("name_latin", "email", "phone", "gender", "birth_year",
                                                          "nationality", "visa_type", "visa_expires")}  # fmt: skip
    education = _rows(form, "edu", ("degree", "field", "institution", "year"))
    work = _rows(form, "work", ("organization", "title", "start", "end", "organization_id"))
    changes: dict[str, Any] = {k: (v or None) for k, v in text.items()}
    changes["nationality"] = text["nationality"] or "KR"
    changes["education"] = education
    changes["work_history"] = work
    tr = gettext_for(request_language(request))
    try:
        check_update(request, "talent", TalentData, talent, changes)
        repos.talents.update(talent.id, changes)
    except ValidationFailed as exc:
        session.rollback()
        errors = [_problem_text(p.loc, p.msg, tr, p.type) for p in exc.problems]
        typed = {**text, "education": education + [{}], "work_history": work + [{}]}
        return render(
            request, "talent/details.html", status_code=422, **_context(request, repos, talent, typed, errors)
        )
    return saved_redirect(request, session, "/me/details?saved=1")
