"""Operator search (talent by name, skill and résumé; openings by title, text and skills; organizations), read-only
record pages the results link to, and the audit log page (who, when, what; filtered). Operators and auditors.

Registered before ``pages.operator`` so these routes answer /operator/search and /operator/audit-log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from talentbridge.web.deps import ReposDep, SessionDep
from talentbridge.web.pages.downloads import download, download_links
from talentbridge.web.pages.error_pages import ENTITY_LABELS, translator
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import render
from talentbridge.web.policy import policy_of

__all__ = ["router", "ACTION_LABELS"]

router = APIRouter(
    prefix="/operator", include_in_schema=False, dependencies=[Depends(require_roles("operator", "auditor"))]
)
AUDIT_PAGE = 50


def _(message: str) -> str:
    """Marks a message id for the catalogs; translated at render time."""
    return message


#: Audit actions as people read them (unknown actions are shown as recorded).
ACTION_LABELS: dict[str, str] = {
    "view": _("viewed personal data"),
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "activate": _("activated the account"),
    "deactivate": _("deactivated the account"),
    "change_role": _("changed the role"),
    "send_reset_link": _("sent a password-reset link"),
    "import": _("imported a file"),
    "export": _("exported"),
    "open": _("opened"),
    "close": _("closed"),
    "run": _("ran"),
    "approve": _("approved"),
    "publish": _("published"),
    "move": _("moved an application"),
    "rankings_edited": _("edited rankings"),
}
WHY_LABELS = {
    "name": _("name"),
    "resume": _("résumé text"),
    "title": _("title"),
    "description": _("description"),
    "required_skill": _("required skill"),
}
RECORD_LINKS = {
    "talent": "/operator/records/talents/{id}",
    "talents": "/operator/records/talents/{id}",
    "opening": "/operator/records/openings/{id}",
    "openings": "/operator/records/openings/{id}",
    "organization": "/operator/records/organizations/{id}",
    "organizations": "/operator/records/organizations/{id}",
    "round": "/operator/rounds/{id}",
}


def _action_label(action: str, tr: Any) -> str:
    """An audit action in words: ours, else the catalog's (round actions such as ``open_submission`` are
    translated by the round pages' catalog), else the code itself."""
    if action in ACTION_LABELS:
        return str(tr(ACTION_LABELS[action]))
    return str(tr(action))


def _staff(request: Request) -> None:
    policy_of(request).check(request, "audit", "read")  # operators and auditors only


def _skill_labels(request: Request, ids: list[str]) -> dict[str, str]:
    from talentbridge.web.i18n import request_language
    from talentbridge.web.pages.skills_ui import skill_label, taxonomy_for

    taxonomy = taxonomy_for(request)
    lang = request_language(request)
    return {sid: skill_label(taxonomy, sid, lang) for sid in ids}


def _role_labels(request: Request, roles: list[str]) -> list[str]:
    from talentbridge.web.i18n import request_language
    from talentbridge.web.pages.skills_ui import role_label, taxonomy_for

    taxonomy, lang = taxonomy_for(request), request_language(request)
    return [role_label(taxonomy, role, lang) for role in roles]


# -- search ----------------------------------------------------------------------------------------------------
@router.get("/search")
def search(
    request: Request, session: SessionDep, repos: ReposDep, q: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    _staff(request)
    from talentbridge.services.operator_search import search as run_search
    from talentbridge.web.pages.data_ui import export_url

    tr = translator(request)
    hits = run_search(session, q)
    policy = policy_of(request)
    talents = repos.talents.get_many([h["id"] for h in hits.talents])
    openings = repos.openings.get_many([h["id"] for h in hits.openings])
    orgs = repos.organizations.get_many(
        {h["id"] for h in hits.organizations} | {o.organization_id for o in openings.values()}
    )
    labels = _skill_labels(request, [w["skill_id"] for h in hits.talents for w in h["why"] if "skill_id" in w])

    def why(items: list[dict[str, str]]) -> str:
        parts = []
        for w in items:
            if w["kind"] == "skill":
                parts.append(str(tr(_("skill {skill}"), skill=labels.get(w["skill_id"], w["skill_id"]))))
            else:
                parts.append(str(tr(WHY_LABELS.get(w["kind"], w["kind"]))))
        return ", ".join(parts)

    results: dict[str, list[dict[str, Any]]] = {"talents": [], "openings": [], "organizations": []}
    for h in hits.talents:
        t = talents.get(h["id"])
        if t is None:
            continue
        shown = policy.present(request, "talent", t.model_dump(mode="json"))
        results["talents"].append({**shown, "why": why(h["why"])})
    for h in hits.openings:
        o = openings.get(h["id"])
        if o is not None:
            org = orgs.get(o.organization_id)
            results["openings"].append({"item": o, "org": org.name if org else "", "why": why(h["why"])})
    for h in hits.organizations:
        org = orgs.get(h["id"])
        if org is not None:
            results["organizations"].append({"item": org, "why": why(h["why"])})
    return render(
        request,
        "operator/search.html",
        q=q,
        hits=hits,
        results=results,
        skill_names=[labels.get(s[0]) or s[2] or s[1] for s in hits.skills[:8]] if hits.skills else [],
        exports={e: export_url(e, "csv", search=q) for e in ("talents", "organizations", "openings")},
    )


# -- record pages ----------------------------------------------------------------------------------------------
@router.get("/records/talents/{talent_id}")
def talent_record(request: Request, repos: ReposDep, talent_id: int) -> Response:
    _staff(request)
    talent = repos.talents.get(talent_id)
    shown = policy_of(request).present(request, "talent", talent.model_dump(mode="json"))
    labels = _skill_labels(request, [s["skill_id"] for s in shown.get("skills", [])])
    employer = repos.organizations.get_many([talent.current_employer_id]).get(talent.current_employer_id or -1)
    roles = _role_labels(request, [str(r) for r in shown.get("desired_roles") or []])
    return render(request, "operator/record_talent.html", t=shown, skill_labels=labels, role_names=roles,
                  employer=employer)  # fmt: skip


@router.get("/records/openings/{opening_id}")
def opening_record(request: Request, repos: ReposDep, opening_id: int) -> Response:
    _staff(request)
    opening = repos.openings.get(opening_id)
    org = repos.organizations.get(opening.organization_id)
    labels = _skill_labels(request, [s.skill_id for s in opening.required_skills])
    occupation = _role_labels(request, [opening.occupation_id])[0] if opening.occupation_id else None
    return render(request, "operator/record_opening.html", o=opening, org=org, skill_labels=labels,
                  occupation=occupation)  # fmt: skip


@router.get("/records/organizations/{organization_id}")
def organization_record(request: Request, repos: ReposDep, organization_id: int) -> Response:
    _staff(request)
    org = repos.organizations.get(organization_id)
    openings = repos.openings.list({"organization_id": organization_id}, size=100).items
    return render(request, "operator/record_organization.html", org=org, openings=openings)


# -- audit log -------------------------------------------------------------------------------------------------
def _detail_text(detail: dict[str, Any]) -> list[str]:
    out = []
    for key, value in detail.items():
        if key == "path":
            continue
        if isinstance(value, list) and len(value) == 2 and key not in ("fields",):
            out.append(f"{key}: {value[0]} → {value[1]}")
        elif isinstance(value, list):
            out.append(f"{key}: {', '.join(str(v) for v in value)}")
        elif isinstance(value, dict):
            out.append(f"{key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
        else:
            out.append(f"{key}: {value}")
    return out


@router.get("/audit-log")
def audit_log(
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    entity: Annotated[str, Query(max_length=40)] = "",
    action: Annotated[str, Query(max_length=40)] = "",
    actor: Annotated[str, Query(max_length=320)] = "",
    entity_id: Annotated[int | None, Query(ge=1)] = None,
    since: date | None = None,
    until: date | None = None,
    changes: bool = False,
    format: Annotated[str, Query(max_length=10)] = "",  # noqa: A002 - csv or xlsx: download the list as filtered
) -> Response:
    _staff(request)
    from urllib.parse import urlencode

    from talentbridge.services.audit_search import known_values, search_entries

    tr = translator(request)
    wanted = {"actor": actor or None, "entity": entity or None, "action": action or None, "entity_id": entity_id,
              "since": since, "until": until, "changes_only": changes}  # fmt: skip
    if format:
        return download(
            request, name="audit-log", fmt=format, columns=list(AUDIT_COLUMNS), entity="audit", filters=wanted,
            rows=_all_entries(session, tr, wanted),
        )  # fmt: skip
    items, total = search_entries(
        session, actor=actor or None, entity=entity or None, action=action or None, entity_id=entity_id,
        since=since, until=until, changes_only=changes, page=page, size=AUDIT_PAGE,
    )  # fmt: skip
    known = known_values(session)
    rows = []
    for e in items:
        link = RECORD_LINKS.get(e["entity"])
        if e["entity"] == "user" and e["detail"].get("email"):
            link_to = "/operator/accounts?" + urlencode({"q": e["detail"]["email"]})
        else:
            link_to = link.format(id=e["entity_id"]) if link and e["entity_id"] else None
        entity_label = ENTITY_LABELS.get(e["entity"].rstrip("s")) or ENTITY_LABELS.get(e["entity"])
        rows.append(
            {
                **e,
                "action_label": _action_label(e["action"], tr),
                "entity_label": str(tr(entity_label)) if entity_label else e["entity"],
                "link": link_to,
                "details": _detail_text(e["detail"]),
            }
        )
    filters = {"entity": entity, "action": action, "actor": actor, "entity_id": entity_id or "",
               "since": since or "", "until": until or "", "changes": "true" if changes else ""}  # fmt: skip
    query = urlencode({k: v for k, v in filters.items() if v not in ("", None)})
    return render(
        request,
        "operator/audit_log.html",
        items=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // AUDIT_PAGE)),
        filters=filters,
        query=query,
        downloads=download_links("/operator/audit-log", filters),
        actions=[(a, _action_label(a, tr)) for a in known["actions"]],
        entities=[
            (n, str(tr(ENTITY_LABELS[n.rstrip("s")])) if n.rstrip("s") in ENTITY_LABELS else n)
            for n in known["entities"]
        ],
    )


AUDIT_COLUMNS = ("id", "at", "actor_id", "actor_name", "actor_email", "actor_role", "action", "entity", "entity_id",
                 "details", "ip")  # fmt: skip


def _all_entries(session: Any, tr: Any, wanted: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every entry the filters select (newest first), page by page, with the details as the page words them."""
    from talentbridge.services.audit_search import search_entries

    page = 1
    while True:
        items, total = search_entries(session, **wanted, page=page, size=1000)
        for e in items:
            yield {**e, "action": _action_label(e["action"], tr), "details": "; ".join(_detail_text(e["detail"]))}
        if page * 1000 >= total or not items:
            return
        page += 1

