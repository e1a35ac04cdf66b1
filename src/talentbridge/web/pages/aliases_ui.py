"""Operator page for skill aliases: other names people write for a skill (텐서플로우, k8s, 독커).

Operators add one (the skill chosen by searching its Korean or English name), remove one (with an undo), and
check a text: which skills the skill finder reads in it as named outright, and which of them it found through an
operator's alias. Auditors see the list and may check texts. Adding and removing are audited
(services/skill_aliases.py) and change this process's skill finder at once; other processes through the change bus.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import Msg, NotFound, Problem, ValidationFailed, WarmingUp
from talentbridge.services import skill_aliases
from talentbridge.services.accounts import Role
from talentbridge.skills.text import label_key
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.pages.skills_ui import skill_label, skill_services, taxonomy_for
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(
    prefix="/operator/aliases",
    include_in_schema=False,
    dependencies=[Depends(require_roles("operator", "auditor"))],
)
PAGE_SIZE = 25
MAX_TRY_CHARS = 5_000
DONE = ("added", "removed")
#: A check while the skill finder loads: after a restart, or for a few seconds after an alias changed.
WARMING_UP = (
    "The skill finder is loading (after a restart, or for a few seconds after an alias was added or removed). "
    "Try again in a moment: your text is kept."
)


@router.get("")
def aliases_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=20)] = "",
    alias_id: Annotated[int | None, Query(alias="id")] = None,
) -> Response:
    policy_of(request).check(request, "taxonomy", "list")
    params = request.query_params
    undo = None
    if done == "removed" and params.get("undo_skill") and params.get("undo_alias"):
        undo = {"skill_id": params["undo_skill"], "alias": params["undo_alias"], "lang": params.get("undo_lang", "")}
    return _page(request, session, q=q, page=page, done=done if done in DONE else "", alias_id=alias_id, undo=undo)


@router.get("/pick")
def pick_skill(
    request: Request,
    session: SessionDep,
    skill_q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The skills whose name contains what the operator typed, as choices for the add form (HTMX)."""
    policy_of(request).check(request, "taxonomy", "list")
    choices = _choices(request, session, skill_q)
    return render(request, "operator/_alias_skill_choices.html", choices=choices, query=skill_q.strip(), chosen="")


@router.post("", dependencies=[Depends(require_roles("operator"))])
def add_alias(
    request: Request,
    session: SessionDep,
    skill_id: Annotated[str, Form(max_length=300)] = "",
    skill_q: Annotated[str, Form(max_length=100)] = "",
    alias: Annotated[str, Form(max_length=500)] = "",
    lang: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    policy_of(request).check(request, "taxonomy", "update")
    form = {"skill_id": skill_id, "skill_q": skill_q, "alias": alias, "lang": lang}
    chosen = skill_id.strip() or _exact_skill(request, session, skill_q)
    try:
        if not chosen:
            message = "choose the skill from the list" if skill_q.strip() else "is required"
            problem = Problem(("skill_id",), message, type="missing")
            problems = [problem] + ([] if alias.strip() else [Problem(("alias",), "is required", type="missing")])
            raise ValidationFailed("the alias cannot be added", problems=problems)
        from talentbridge.services.skill_extraction import taxonomy_and_label_index

        taxonomy, index = taxonomy_and_label_index(request.app.state.settings)  # never waits for a model
        user = request.state.user
        added = skill_aliases.add_alias(
            session,
            taxonomy,
            chosen,
            alias,
            lang or None,
            actor=user.email,
            actor_id=user.id,
            actor_role=user.role.value,
            index=index,
        )
    except (ValidationFailed, NotFound) as exc:
        from talentbridge.web.pages.error_pages import form_errors

        if isinstance(exc, NotFound):  # an id no list offered (an old page, a typed URL): said on the form
            exc = ValidationFailed(
                "the alias cannot be added", [Problem(("skill_id",), "choose the skill from the list")]
            )
            form["skill_id"] = ""
        return _page(request, session, errors=form_errors(request, exc), form=form, status=422)
    return redirect(f"/operator/aliases?done=added&id={added.id}" + _also("also", added.also_label_of))


@router.post("/{alias_id}/remove", dependencies=[Depends(require_roles("operator"))])
def remove_alias(request: Request, session: SessionDep, alias_id: int) -> Response:
    policy_of(request).check(request, "taxonomy", "update")
    user = request.state.user
    removed = skill_aliases.remove_alias(session, alias_id, actor_id=user.id, actor_role=user.role.value)
    undo = {"undo_skill": removed.skill_id, "undo_alias": removed.alias, "undo_lang": removed.lang}
    return redirect("/operator/aliases?done=removed&" + urlencode(undo))


@router.post("/try")
def try_text(
    request: Request,
    session: SessionDep,
    text: Annotated[str, Form(max_length=MAX_TRY_CHARS * 2)] = "",
) -> Response:
    """Which skills the text names outright (the skill finder's explicit mentions), and through which words."""
    policy_of(request).check(request, "taxonomy", "list")
    if not text.strip() or len(text) > MAX_TRY_CHARS:
        from talentbridge.web.pages.error_pages import form_errors

        message = "is required" if not text.strip() else Msg("at most {n} characters", n=MAX_TRY_CHARS)
        problem = Problem(("text",), message, type="missing" if not text.strip() else "too_long")
        errors = form_errors(request, [problem])
        return _page(request, session, try_errors=errors, tried_text=text, status=422)
    from talentbridge.services.skill_suggestions import suggest_skills

    try:
        services = skill_services(request)
    except WarmingUp as exc:  # the page again with the text kept, and why there is no answer yet
        from talentbridge.web.pages.error_pages import translator

        notice = str(translator(request)(WARMING_UP))
        return _page(request, session, try_errors=[notice], tried_text=text, status=exc.status)
    lang = request_language(request)
    operator_keys = {
        sid: {label_key(a) for a in aliases} for sid, aliases in services.taxonomy.operator_aliases.items()
    }
    found = []
    for s in suggest_skills(services, text):
        if s.via != "explicit":
            continue
        by_alias = [e for e in s.evidence if label_key(e) in operator_keys.get(s.skill_id, set())]
        found.append(
            {
                "skill_id": s.skill_id,
                "label": skill_label(services.taxonomy, s.skill_id, lang),
                "evidence": s.evidence,
                "by_alias": by_alias,
            }
        )
    return _page(request, session, tried=found, tried_text=text)


def _page(
    request: Request,
    session: Any,
    *,
    q: str = "",
    page: int = 1,
    done: str = "",
    alias_id: int | None = None,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    undo: dict[str, str] | None = None,
    tried: list[dict[str, Any]] | None = None,
    tried_text: str = "",
    try_errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    taxonomy = taxonomy_for(request)
    lang = request_language(request)
    items, total = skill_aliases.list_aliases(session, page=page, size=PAGE_SIZE, q=q or None)
    rows = [{"alias": a, "skill": skill_label(taxonomy, a.skill_id, lang)} for a in items]
    form = form or {"skill_id": "", "skill_q": "", "alias": "", "lang": ""}
    # the add form shown again after an error keeps the skill the operator chose or the choices they had
    choices = _choices(request, session, form["skill_q"]) if form["skill_q"] and not form["skill_id"] else []
    if form["skill_id"] and form["skill_id"] in taxonomy.skills:
        choices = [_choice(taxonomy.skills[form["skill_id"]], lang)]
    also = [skill_label(taxonomy, sid, lang) for sid in request.query_params.getlist("also") if sid in taxonomy.skills]
    return render(
        request,
        "operator/aliases.html",
        status_code=status,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        q=q,
        done=done,
        added_id=alias_id,
        also=also,
        undo=undo,
        errors=errors or [],
        form=form,
        choices=choices,
        tried=tried,
        tried_text=tried_text,
        try_errors=try_errors or [],
        max_try_chars=MAX_TRY_CHARS,
        can_act=request.state.user.role == Role.OPERATOR,
    )


def _choice(skill: Any, lang: str) -> dict[str, str]:
    ko, en = skill.label_ko or skill.label_en, skill.label_en
    return {"id": skill.id, "label": ko if lang == "ko" else en, "other": en if lang == "ko" else ko}


def _choices(request: Request, session: Any, query: str) -> list[dict[str, str]]:
    from talentbridge.services.skill_picker import find_skills

    query = query.strip()
    if not query:
        return []
    lang = request_language(request)
    return [_choice(skill, lang) for skill in find_skills(session, query, 12)]


def _exact_skill(request: Request, session: Any, query: str) -> str:
    """The one skill whose id or a label is exactly ``query`` (so a form sent without choosing still works)."""
    from talentbridge.services.skill_picker import find_skills

    key = label_key(query)
    if not key:
        return ""
    taxonomy = taxonomy_for(request)
    exact = [
        s.id
        for s in find_skills(session, query.strip(), 12)
        if s.id == query.strip() or key in {label_key(x) for x in taxonomy.skills[s.id].labels()}
        if s.id in taxonomy.skills
    ]
    return exact[0] if len(exact) == 1 else ""


def _also(name: str, values: tuple[str, ...]) -> str:
    return "".join("&" + urlencode({name: v}) for v in values)
