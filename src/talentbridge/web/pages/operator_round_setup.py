"""Operator pages that set a round up: the openings attached and the participants, searches for more (name,
skill, organization, region) with who is eligible and why not, and files of participants or openings with a
row-by-row report. A refused change shows the set-up page again with the reasons, translated."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from talentbridge.domain.enums import OpeningKind, Region
from talentbridge.domain.errors import TalentBridgeError
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.operator_rounds import (
    _NOTICES,
    _actor,
    _audit_names,
    _messages,
    _staff,
    operator_only,
    staff,
)
from talentbridge.web.pages.rendering import is_htmx, redirect, render
from talentbridge.web.policy import policy_of

router = APIRouter(include_in_schema=False)

_MAX_UPLOAD = 5 * 1024 * 1024
_MEMBERS_PER_PAGE = 100  # a cohort round has thousands of participants: the list is paged


def _setup_page(
    request: Request,
    session: Any,
    round_id: int,
    errors: list[str] | None = None,
    status: int = 200,
    report: Any = None,
) -> Response:
    from talentbridge.services.round_setup import RoundSetupService

    setup = RoundSetupService(session)
    rnd = setup.rounds.get(round_id)
    qp = request.query_params

    def page_of(name: str) -> int:
        raw = qp.get(name, "1")
        return max(1, int(raw)) if raw.isdigit() else 1

    region = qp.get("tregion", "")
    oregion = qp.get("oregion", "")
    okind = qp.get("okind", "")
    talents = setup.find_talents(
        round_id,
        q=qp.get("tq", "")[:100],
        skill=qp.get("tskill", "")[:100],
        organization=qp.get("torg", "")[:100],
        region=region if region in {r.value for r in Region} else "",
        page=page_of("tpage"),
    )
    openings = setup.find_openings(
        round_id,
        q=qp.get("oq", "")[:100],
        skill=qp.get("oskill", "")[:100],
        organization=qp.get("oorg", "")[:100],
        region=oregion if oregion in {r.value for r in Region} else "",
        kind=okind if okind in {k.value for k in OpeningKind} else "",
        page=page_of("opage"),
    )
    attached = setup.rounds.store.openings(round_id)
    members = setup.participant_ids(round_id)
    attached_cards = {c["id"]: c for c in setup.opening_eligibility(rnd, [o.opening_id for o in attached])}
    member_pages = max(1, -(-len(members) // _MEMBERS_PER_PAGE))
    mpage = min(page_of("mpage"), member_pages)
    shown_members = members[(mpage - 1) * _MEMBERS_PER_PAGE : mpage * _MEMBERS_PER_PAGE]
    member_cards = setup.talent_eligibility(rnd, shown_members)
    shown = {s for group in (talents["items"], openings["items"]) for card in group for s in card["skills"][:4]}
    _audit_names(request, [c["id"] for c in talents["items"]] + [c["id"] for c in member_cards], ("name", "region"))
    return render(
        request,
        "operator/round_setup.html",
        status_code=status,
        rnd=rnd,
        talents=talents,
        openings=openings,
        attached=[
            {"seats": o.seats, **attached_cards.get(o.opening_id, {"id": o.opening_id, "title": o.opening_id})}
            for o in attached
        ],
        members=sorted(member_cards, key=lambda c: c["name"]),
        member_total=len(members),
        member_page=mpage,
        member_pages=member_pages,
        errors=errors or [],
        report=report,
        qp=qp,
        regions=[r.value for r in Region],
        opening_kinds=[k.value for k in OpeningKind],
        missing=setup.readiness(round_id) if rnd.status.value == "draft" else [],
        skill_labels=_skill_labels(session, shown, request_language(request)),
        notices=_NOTICES,
        notice="",
        editable=rnd.status.value in ("draft", "collecting") and request.state.user.role == Role.OPERATOR,
    )


def _skill_labels(session: Any, ids: set[str], lang: str) -> dict[str, str]:
    from talentbridge.services.taxonomy import load_taxonomy

    if not ids:
        return {}
    skills = load_taxonomy(session).skills
    out = {}
    for sid in ids:
        skill = skills.get(sid)
        if skill is not None:
            out[sid] = (skill.label_ko if lang == "ko" and skill.label_ko else skill.label_en) or sid
    return out


@router.get("/operator/rounds/{round_id}/setup", dependencies=staff)
def round_setup(request: Request, round_id: int, session: SessionDep) -> Response:
    _staff(request)
    return _setup_page(request, session, round_id)


async def _setup_change(request: Request, session: Any, round_id: int, change: Any) -> Response:
    from talentbridge.services.round_setup import RoundSetupService

    setup = RoundSetupService(session)
    rnd = setup.rounds.get(round_id)
    policy_of(request).check(request, "round", "update", rnd)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        change(setup, form, _actor(request))
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _setup_page(request, session, round_id, _messages(request, exc), exc.status)
    query = _search_query(str(form.get("back_query") or ""))
    return redirect(f"/operator/rounds/{round_id}/setup" + (f"?{query}" if query else ""))


_SEARCH_KEYS = {
    "tq",
    "tskill",
    "torg",
    "tregion",
    "tpage",
    "oq",
    "oskill",
    "oorg",
    "oregion",
    "okind",
    "opage",
    "mpage",
}


def _search_query(query: str) -> str:
    """The set-up page's own search parameters from a form's ``back_query`` (anything else is dropped)."""
    from urllib.parse import parse_qsl, urlencode

    return urlencode([(k, v[:100]) for k, v in parse_qsl(query) if k in _SEARCH_KEYS])


def _ids(form: Any, name: str) -> list[int]:
    out = []
    for raw in form.getlist(name):
        try:
            out.append(int(str(raw)))
        except ValueError:
            continue
    return out


@router.post("/operator/rounds/{round_id}/openings", dependencies=operator_only)
async def attach_openings(request: Request, round_id: int, session: SessionDep) -> Response:
    def change(setup: Any, form: Any, actor: Any) -> None:
        ids = _ids(form, "opening_id")
        setup.attach_openings(round_id, ids, {i: form.get(f"seats:{i}") for i in ids}, actor)

    return await _setup_change(request, session, round_id, change)


@router.post("/operator/rounds/{round_id}/openings/{opening_id}/seats", dependencies=operator_only)
async def set_seats(request: Request, round_id: int, opening_id: int, session: SessionDep) -> Response:
    return await _setup_change(
        request,
        session,
        round_id,
        lambda setup, form, actor: setup.set_seats(round_id, opening_id, form.get("seats", ""), actor),
    )


@router.post("/operator/rounds/{round_id}/openings/{opening_id}/detach", dependencies=operator_only)
async def detach_opening(request: Request, round_id: int, opening_id: int, session: SessionDep) -> Response:
    return await _setup_change(
        request, session, round_id, lambda setup, form, actor: setup.detach_opening(round_id, opening_id, actor)
    )


@router.post("/operator/rounds/{round_id}/participants", dependencies=operator_only)
async def add_participants(request: Request, round_id: int, session: SessionDep) -> Response:
    return await _setup_change(
        request,
        session,
        round_id,
        lambda setup, form, actor: setup.add_participants(round_id, _ids(form, "talent_id"), actor),
    )


@router.post("/operator/rounds/{round_id}/participants/{talent_id}/remove", dependencies=operator_only)
async def remove_participant(request: Request, round_id: int, talent_id: int, session: SessionDep) -> Response:
    return await _setup_change(
        request, session, round_id, lambda setup, form, actor: setup.remove_participant(round_id, talent_id, actor)
    )


@router.post("/operator/rounds/{round_id}/upload/{what}", dependencies=operator_only)
async def upload(request: Request, round_id: int, what: str, session: SessionDep) -> Response:
    """A CSV or XLSX file of participants (external_id or email) or openings (external_id, seats): the rows
    that can be added are added, and a row-by-row report says what was added, unchanged or refused and why."""
    from talentbridge.services.round_setup import RoundSetupService

    setup = RoundSetupService(session)
    rnd = setup.rounds.get(round_id)
    policy_of(request).check(request, "round", "update", rnd)
    _ = gettext_for(request_language(request))
    form = await request.form()
    upload_file = form.get("file")
    fragment = is_htmx(request)
    errors: list[str] = []
    report = None
    if what not in ("participants", "openings"):
        errors.append(_("Choose what the file holds."))
    elif upload_file is None or not getattr(upload_file, "filename", ""):
        errors.append(_("Choose a file to upload."))
    else:
        name = Path(str(upload_file.filename)).name
        suffix = Path(name).suffix.lower()
        try:
            data = await upload_file.read(_MAX_UPLOAD + 1)  # type: ignore[union-attr]
        finally:
            await upload_file.close()  # type: ignore[union-attr]
        if suffix not in (".csv", ".xlsx", ".txt"):
            errors.append(_("Upload a CSV or XLSX file."))
        elif len(data) > _MAX_UPLOAD:
            errors.append(_("The file is larger than 5 MB."))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / (name or f"upload{suffix}")
                path.write_bytes(data)
                savepoint = session.begin_nested()
                try:
                    report = setup.upload(round_id, path, what, _actor(request)).as_dict()
                    savepoint.commit()
                except TalentBridgeError as exc:
                    savepoint.rollback()
                    errors = _messages(request, exc)
            if report is not None:
                report["file"] = name
                report["what"] = what
    if fragment:
        return render(request, "operator/_upload_report.html", report=report, errors=errors)
    return _setup_page(request, session, round_id, errors, 422 if errors else 200, report)
