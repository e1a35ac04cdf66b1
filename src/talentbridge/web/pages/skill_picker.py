"""Skill and role pickers for forms: search the taxonomy by a Korean or English label (HTMX autocomplete).

``GET /skills/pick?q=파이토치&for=opening`` answers rows to add to an opening's required skills (importance and
minimum level); ``for=talent`` answers rows with an "Add" button for the talent's own skills; ``for=filter`` checkboxes for the
opening search's skill filter.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from talentbridge.domain.enums import Importance
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import render
from talentbridge.web.policy import policy_of

__all__ = ["router", "search_skills", "occupation_choices"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_roles("org_member", "talent"))])


def search_skills(session: Any, query: str, lang: str, size: int = 12) -> list[dict[str, str]]:
    """Skills whose label in any language contains ``query``: ``{"id", "label", "other"}`` (the label in the
    reader's language and the other language's)."""
    from talentbridge.services.skill_picker import find_skills

    out = []
    for skill in find_skills(session, query, size):
        ko, en = skill.label_ko or skill.label_en, skill.label_en
        out.append({"id": skill.id, "label": ko if lang == "ko" else en, "other": en if lang == "ko" else ko})
    return out


def occupation_choices(session: Any, lang: str, current: list[str]) -> list[dict[str, Any]]:
    """Roles a talent may pick (the built-in occupations by name), plus any role they already hold."""
    from talentbridge.services.skill_picker import occupation_labels

    labels = occupation_labels(session)
    options = [
        {"value": oid, "label": (ko or en) if lang == "ko" else en, "selected": oid in current}
        for oid, (en, ko) in labels.items()
    ]
    options.sort(key=lambda o: o["label"])
    known = set(labels)
    for value in current:  # a role from an import or an older profile: kept, shown as written
        if value not in known:
            options.insert(0, {"value": value, "label": value, "selected": True})
    return options


@router.get("/skills/pick")
def pick(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    skill_q: Annotated[str, Query(max_length=100)] = "",
    for_: Annotated[str, Query(alias="for", pattern="^(opening|talent|filter)$")] = "opening",
) -> Response:
    policy_of(request).check(request, "taxonomy", "list")
    q = q or skill_q
    lang = request_language(request)
    found = search_skills(session, q.strip(), lang) if q.strip() else []
    return render(
        request,
        "_skill_pick.html",
        found=found,
        query=q.strip(),
        target=for_,
        importances=list(Importance),
    )
