"""The organization's opening page and its applicant pipeline: the ad as posted, applicants by stage with
notes and history (who moved whom, when), invitations, and recommended talent to invite (only people who
consented to be shown), or, when nobody is recommended, why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from talentbridge.domain import ApplicationData
from talentbridge.domain.enums import ApplicationStatus
from talentbridge.domain.errors import PermissionDenied, TalentBridgeError
from talentbridge.domain.money import format_manwon
from talentbridge.domain.opening import is_accepting, shown_status
from talentbridge.services.accounts import Role
from talentbridge.services.skill_picker import skill_labels
from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.after_save import saved_redirect
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.opening_form import today
from talentbridge.web.policy import check_update, policy_of

__all__ = ["router", "opening_context", "no_recommendation_reasons"]

router = APIRouter(prefix="/org", include_in_schema=False, dependencies=[Depends(require_roles("org_member"))])


def _member(request: Request) -> Any:
    user = request.state.user
    policy_of(request).check(request, "organization", "read")
    if user.role != Role.ORG_MEMBER or user.organization_id is None:
        raise PermissionDenied("these pages are for members of an organization")
    return user


def no_recommendation_reasons(session: Any, opening: Any, constraints: dict[str, Any] | None) -> list[str]:
    """Why an opening has no recommended talent, most basic reason first (translated sentences' ids)."""
    from talentbridge.services.openings_search import recommendation_blockers

    found = recommendation_blockers(session, opening, today(), constraints)
    texts = {
        "not_open": _("The opening is not open (or its deadline has passed), so nobody is recommended for it."),
        "no_skills": _("The opening lists no required skills: add some so AI can compare people with it."),
        "no_consenting_talent": _("No talent has agreed to be shown to organizations yet."),
        "no_skill_holders": _("No talent who agreed to be shown has any of the required skills."),
        "constraints": _("Everyone who agreed to be shown was excluded by a hard requirement of the opening:"),
        "index_behind": _("Recommendations are still being prepared; try again in a minute."),
    }
    return [texts[r] for r in found]


def opening_context(request: Request, session: Any, repos: Any, opening: Any) -> dict[str, Any]:
    """Everything the organization's opening page shows."""
    from talentbridge.services.applications import ORG_STAGES, ApplicationService
    from talentbridge.services.invitations import InvitationService
    from talentbridge.services.recommend import RecommendService

    lang = request_language(request)
    tr = gettext_for(lang)
    day = today()
    policy = policy_of(request)
    apps = repos.applications.list({"opening_id": opening.id}, size=500, sort="-updated_at").items
    history = ApplicationService(session).history([a.id for a in apps])
    invitations = InvitationService(session).for_opening(opening.id)
    people = repos.talents.get_many({a.talent_id for a in apps} | {i.talent_id for i in invitations})
    talents = {tid: policy.present(request, "talent", t.model_dump(mode="json")) for tid, t in people.items()}

    items: list[dict[str, Any]] = []
    error = None
    index_behind = 0
    reasons: list[str] = []
    excluded: list[str] = []
    if is_accepting(opening, day):
        from talentbridge.web.pages.recommend_ui import talents_for_opening

        items, error, index_behind = talents_for_opening(request, session, opening.id)
        if not items and error is None:
            try:
                service = RecommendService(request.app.state.settings, session)
                constraints = service.talents_for_opening(opening.id, 1, explain=False).get("constraints")
            except TalentBridgeError:
                constraints = None
            reasons = no_recommendation_reasons(session, opening, constraints)
            if constraints:
                labels = constraints.get("labels", {})
                excluded = [
                    f"{labels.get(k, {}).get(lang, k)}: {n}"
                    for k, n in constraints.get("excluded", {}).items()
                    if n and k != "consent"
                ]
    else:
        reasons = no_recommendation_reasons(session, opening, None)
    busy = {a.talent_id for a in apps if a.status.value != "withdrawn"}
    busy |= {i.talent_id for i in invitations if i.status == "pending"}
    return {
        "when": {e.id: _local(e.at) for events in history.values() for e in events},
        "opening": opening,
        "shown": shown_status(opening, day),
        "accepting": is_accepting(opening, day),
        "salary": _salary(opening, lang, tr),
        "items": items,
        "error": error,
        "index_behind": index_behind,
        "reasons": reasons,
        "excluded": excluded,
        "invitable": {i["id"] for i in items if i["id"] not in busy},
        "applications": apps,
        "history": history,
        "invitations": invitations,
        "talents": talents,
        "stages": list(ORG_STAGES),
        "skill_labels": skill_labels(session, [s.skill_id for s in opening.required_skills], lang),
        "skill_hint": bool(items) and not opening.required_skills,
        "saved": request.query_params.get("saved"),
        "moved": request.query_params.get("moved"),
        "invited": request.query_params.get("invited"),
    }


def _local(at: Any) -> str:
    """A stored time as people in Korea read it (KST; SQLite returns naive UTC)."""
    if at is None:
        return ""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return str(aware.astimezone(ZoneInfo("Asia/Seoul")).strftime("%Y-%m-%d %H:%M"))


def _salary(opening: Any, lang: str, tr: Any) -> str:
    low, high = format_manwon(opening.salary_min, lang), format_manwon(opening.salary_max, lang)
    if low and high:
        return f"{low} – {high}"
    if low:
        return tr("from {amount}", amount=low)
    if high:
        return tr("up to {amount}", amount=high)
    return tr("not stated")


@router.post("/applications/{application_id}")
def move_application(
    request: Request,
    application_id: int,
    repos: ReposDep,
    session: SessionDep,
    status: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Move an applicant to a stage, with an optional note (both kept in the application's history)."""
    user = _member(request)
    application = repos.applications.get(application_id)
    policy_of(request).check(request, "application", "update", application)
    from talentbridge.services.applications import ApplicationService

    service = ApplicationService(session)
    if status in {s.value for s in ApplicationStatus}:  # an unknown status is refused by the service
        check_update(request, "application", ApplicationData, application, {"status": status})
    if status:
        service.move(application_id, status, user, note=note, organization_id=user.organization_id)
    else:
        service.add_note(application_id, note, user, organization_id=user.organization_id)
    return saved_redirect(request, session, f"/org/openings/{application.opening_id}?moved={application_id}#applicants")


@router.post("/openings/{opening_id}/invite")
def invite(
    request: Request,
    opening_id: int,
    repos: ReposDep,
    session: SessionDep,
    talent_id: Annotated[int | None, Form()] = None,
    message: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Invite a recommended talent (who consented to be shown) to apply."""
    user = _member(request)
    opening = repos.openings.get(opening_id)
    policy_of(request).check(request, "opening", "update", opening)  # before reading the form
    if talent_id is None:
        from talentbridge.domain.errors import Problem, ValidationFailed

        raise ValidationFailed(
            "whom to invite", [Problem(("talent_id",), "choose a person to invite", None, "missing")]
        )
    talent = repos.talents.get(talent_id)
    policy_of(request).check(request, "talent", "read", talent)
    from talentbridge.services.invitations import InvitationService

    InvitationService(session).invite(
        opening_id, talent_id, user, organization_id=user.organization_id, message=message or None
    )
    return saved_redirect(request, session, f"/org/openings/{opening_id}?invited={talent_id}#invitations")


def _(text: str) -> str:  # noqa: F811 - marks message ids for the extractor; pages translate them when shown
    return text


# Coded values these pages show through _(value): invitation states and history event kinds.
_CODED = [_("pending"), _("accepted"), _("declined"), _("moved"), _("invited")]
# Sentences built with the reader's gettext (``tr``) in these pages.
_CODED += [_("from {amount}"), _("up to {amount}"), _("not stated"), _("Filter “{name}”: {problem}")]
