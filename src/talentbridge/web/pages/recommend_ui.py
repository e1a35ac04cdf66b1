"""Recommendations shaped for pages: each with a score, matched/partial/missing skills and criteria.

Items follow ``templates/_recommendation.html``::

    {"id", "title", "subtitle", "score" (0-100), "matched": [str], "partial": [str], "missing": [str],
     "criteria": [{"name", "weight", "score", "points"}], "criteria_total": {...}}  (pages/score_table.py)

Skill labels are in the reader's language. Talent shown to an organization pass the role policy twice: the
service only returns people who consented to be shown, and each one is checked and presented through
``policy_of(request)`` (which redacts fields and writes the personal-data view to the audit log). Each list shown
is kept as an AI Basic Act record; its key is left in ``request.state.ai_record`` for the page's AI notice.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from talentbridge.domain.errors import PermissionDenied, TalentBridgeError
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.rendering import region_name
from talentbridge.web.pages.skills_ui import skill_label, taxonomy_for
from talentbridge.web.policy import policy_of

__all__ = ["openings_for_talent", "talents_for_opening"]

Items = list[dict[str, Any]]


def _service(request: Request, session: Session) -> Any:
    from talentbridge.services.recommend import RecommendService

    return RecommendService(request.app.state.settings, session)


def _explained(request: Request, explanation: dict[str, Any]) -> dict[str, Any]:
    """matched/partial/missing/criteria of one explanation, in the reader's language."""
    lang = request_language(request)
    _ = gettext_for(lang)
    taxonomy = taxonomy_for(request)

    def label(skill_id: str | None, fallback: str = "") -> str:
        return skill_label(taxonomy, skill_id, lang) if skill_id else fallback

    matched = []
    for m in explanation.get("matched", []):
        skill, level = label(m["skill_id"], m.get("label", "")), m["level"]
        if m.get("confidence") is None:  # stated by the person
            matched.append(_("{skill} (level {level})", skill=skill, level=level))
        else:  # read from the profile's text by the AI
            pct = round(100 * float(m["confidence"]))
            matched.append(_("{skill} (level {level}, inferred by AI {pct}%)", skill=skill, level=level, pct=pct))
    partial = []
    for p in explanation.get("partial", []):
        skill = label(p["skill_id"], p.get("label", ""))
        if p.get("relation") in (None, "exact"):
            line = _(
                "{skill}: level {level} of {required}", skill=skill, level=p.get("via_level"), required=p.get("min_level")
            )
        else:
            line = _(
                "{skill}: {via} ({relation}, {credit}% credit)",
                skill=skill,
                via=label(p.get("via_skill_id"), p.get("via_label", "")),
                relation=_(str(p["relation"])),
                credit=round(100 * float(p.get("credit", 0))),
            )
        if p.get("confidence") is not None:  # the skill behind the credit was read from the text by the AI
            line += " · " + _("inferred by AI {pct}%", pct=round(100 * float(p["confidence"])))
        partial.append(line)
    missing = [label(m["skill_id"], m.get("label", "")) for m in explanation.get("missing_must", [])]
    from talentbridge.web.pages.score_table import criteria_rows

    table = criteria_rows(explanation.get("breakdown", {}))
    return {"matched": matched, "partial": partial, "missing": missing, "criteria": table["rows"],
            "criteria_total": table}  # fmt: skip


def _titles_read(explanation: dict[str, Any]) -> list[str]:
    """The job titles the ``titles`` criterion read of the person's own profile (shown to them to check)."""
    return list(explanation.get("breakdown", {}).get("titles", {}).get("detail", {}).get("read", []))


def openings_for_talent(request: Request, session: Session, talent_id: int, top: int = 20) -> tuple[Items, str | None]:
    """Open openings recommended for a talent (the caller already checked ``recommendation``/``read``)."""
    _ = gettext_for(request_language(request))
    try:
        result = _service(request, session).openings_for_talent(talent_id, top)
    except TalentBridgeError as exc:
        return [], exc.message
    from talentbridge.services.registry import registry

    repos = registry(session)
    orgs = repos.organizations.get_many({i["organization_id"] for i in result["items"]})
    items = []
    for it in result["items"]:
        org = orgs.get(it["organization_id"])
        place = region_name(it.get("region"), request_language(request)) or _("Remote")
        subtitle = " · ".join(x for x in (org.name if org else "", _(it["kind"]), place) if x)
        items.append(
            {
                "id": it["opening_id"],
                "title": it["title"],
                "subtitle": subtitle,
                "score": it["score"],
                **_explained(request, it.get("explanation") or {}),
                "job_titles": _titles_read(it.get("explanation") or {}),
            }
        )
    _record(request, session, result)
    return items, None


def _record(request: Request, session: Session, result: dict[str, Any]) -> None:
    """The AI Basic Act record of the list as shown; its key goes to the page's AI notice (``ai_record``)."""
    from talentbridge.web.ai_notice import shown

    request.state.ai_record = shown(request, session, result, f"page:{request.url.path}")


def talents_for_opening(
    request: Request, session: Session, opening_id: int, top: int = 20
) -> tuple[Items, str | None, int]:
    """Talent recommended for an opening, only people the caller may see, presented through the policy; then the
    error to show instead, and how many talents the index answering lacks while a reindex job runs (the page says
    the list is not complete)."""
    lang = request_language(request)
    _ = gettext_for(lang)
    try:
        result = _service(request, session).talents_for_opening(opening_id, top)
    except TalentBridgeError as exc:
        return [], exc.message, 0
    from talentbridge.services.registry import registry

    policy = policy_of(request)
    talents = registry(session).talents.get_many([i["talent_id"] for i in result["items"]])
    items = []
    shown_items = []
    for it in result["items"]:
        talent = talents.get(it["talent_id"])
        if talent is None:
            continue
        try:
            policy.check(request, "talent", "read", talent)
        except PermissionDenied:
            continue  # never show someone the policy hides, whatever the index says
        shown = policy.present(
            request,
            "talent",
            {
                "id": talent.id,
                "name": talent.name,
                "region": talent.region and str(talent.region),
                "category": str(talent.category),
            },
        )
        subtitle = " · ".join(x for x in (_(shown["category"]), region_name(shown.get("region"), lang)) if x)
        items.append(
            {
                "id": talent.id,
                "title": shown["name"],
                "subtitle": subtitle,
                "score": it["score"],
                **_explained(request, it.get("explanation") or {}),
            }
        )
        shown_items.append(it)
    _record(request, session, {**result, "items": shown_items})
    _add_learnable(session, opening_id, items, talents)
    return items, None, int(result.get("index_behind") or 0)


def _add_learnable(session: Session, opening_id: int, items: Items, talents: dict[int, Any]) -> None:
    """"2 must-haves missing, learnable in 120 h": each item's missing must-have skills and the fewest course hours
    of the catalogue that teach them (services/skill_gap.py); nothing when the catalogue is empty."""
    from talentbridge.services.growth_paths import course_skill_status
    from talentbridge.services.skill_gap import learnable_for_opening

    statuses = course_skill_status(session, [i["id"] for i in items])
    for item in items:
        per = statuses.get(item["id"], {})
        if per:
            item["course_skills"] = {
                st: [v or k for k, v in labels_for_ids(session, [s for s, x in per.items() if x == st]).items()]
                for st in ("learning", "completed")
            }
    for item, learn in zip(items, learnable_for_opening(session, opening_id, [talents[i["id"]] for i in items]),
                           strict=True):  # fmt: skip
        if learn is not None:
            item["learn"] = learn


def labels_for_ids(session: Session, skill_ids: list[str]) -> dict[str, str]:
    from talentbridge.services.skill_gap import taxonomy_and_graph

    graph = taxonomy_and_graph(session)[1]
    return {sid: (graph.labels.get(sid, (sid, ""))[1] or graph.labels.get(sid, (sid, ""))[0]) for sid in skill_ids}
