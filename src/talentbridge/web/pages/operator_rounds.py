"""Operator pages that run a programme: programmes and rounds (create, edit), a round's set-up (find and
attach openings, find and add participants, upload a file of them, who is eligible and why not), its actions
(open, close, generate rankings, run with a chosen mechanism), the side-by-side comparison of runs, approval and
publication, and the placements afterwards with their 3/6/12-month follow-ups.

A refused action never leaves the page: the page is shown again with the reasons in the reader's language.
Auditors see every page without forms (the policy refuses their writes)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from talentbridge.domain.enums import OpeningKind, ProgramKind, ProgramStatus, Region
from talentbridge.domain.errors import InvalidState, PermissionDenied, TalentBridgeError, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.policy import policy_of

router = APIRouter(include_in_schema=False)
staff = [Depends(require_roles("operator", "auditor"))]
operator_only = [Depends(require_roles("operator"))]

_MAX_UPLOAD = 5 * 1024 * 1024


def _staff(request: Request) -> Any:
    policy_of(request).check(request, "audit", "read")
    user = request.state.user
    if user.role not in (Role.OPERATOR, Role.AUDITOR):
        raise PermissionDenied("operator pages are for operators and auditors")
    return user


def _actor(request: Request) -> Any:
    from talentbridge.services.round_setup import Actor

    user = request.state.user
    return Actor(
        user.id, user.role.value, f"{user.name} <{user.email}>", request.client.host if request.client else None
    )


def _messages(request: Request, exc: TalentBridgeError) -> list[str]:
    """The reasons of a refusal, translated: each problem (with the value when it helps), the missing steps
    of a round that cannot open, or a known state refusal; else the error's title and its message."""
    _ = gettext_for(request_language(request))
    if isinstance(exc, ValidationFailed) and exc.problems:
        out = []
        for p in exc.problems:
            text = _(p.msg)
            if p.value not in (None, "") and not isinstance(p.value, dict | list):
                text = f"{text} ({p.value})"
            out.append(text)
        return out
    if exc.details.get("missing"):
        return [_(m) for m in exc.details["missing"]]
    if isinstance(exc, InvalidState):
        if exc.details.get("opening_ids") is not None and "ranking" in exc.message:
            return [_("Some openings have no ranking of talents yet: generate them from fit scores, then run again.")]
        if exc.details.get("talent_ids") is not None:
            return [_("Talents have ranked this opening: it cannot be detached while their lists name it.")]
        if exc.details.get("opening_ids") is not None:
            return [_("Openings have ranked this person: they cannot be removed while those lists name them.")]
        if exc.details.get("round_status"):
            return [_("This is not possible in the round's current state."), _(exc.details["round_status"])]
    return [f"{_(exc.title)}: {exc.message}"]


def _form_errors(exc: ValidationFailed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in exc.problems:
        out.setdefault(str(p.loc[0]) if p.loc else "", []).append(p.msg)
    return out


# -- programmes and rounds -----------------------------------------------------------------------------------


@router.get("/operator/rounds", dependencies=staff)
def rounds(request: Request, session: SessionDep) -> Response:
    _staff(request)
    from talentbridge.storage.repositories import Repositories

    repos = Repositories(session)
    programs = repos.programs.list(size=200, sort="-created_at").items
    by_program: dict[int, list[Any]] = {}
    for rnd in repos.rounds.list(size=500, sort="-created_at").items:
        by_program.setdefault(rnd.program_id, []).append(rnd)
    return render(
        request,
        "operator/rounds.html",
        programs=programs,
        rounds_by_program=by_program,
        can_act=request.state.user.role == Role.OPERATOR,
    )


def _program_form(
    request: Request, program: Any = None, values: Any = None, errors: Any = None, status: int = 200
) -> Response:
    return render(
        request,
        "operator/program_form.html",
        status_code=status,
        program=program,
        values=values or {},
        errors=errors or {},
        kinds=[k.value for k in ProgramKind],
        statuses=[s.value for s in ProgramStatus],
    )


@router.get("/operator/programs/new", dependencies=operator_only)
def new_program(request: Request) -> Response:
    return _program_form(request)


@router.post("/operator/programs/new", dependencies=operator_only)
async def create_program(request: Request, session: SessionDep) -> Response:
    policy_of(request).check(request, "program", "create")
    from talentbridge.services.round_setup import RoundSetupService

    form = dict(await request.form())
    try:
        program = RoundSetupService(session).create_program(form, _actor(request))
    except ValidationFailed as exc:
        return _program_form(request, None, form, _form_errors(exc), 422)
    return redirect(f"/operator/programs/{program.id}/rounds/new")


@router.get("/operator/programs/{program_id}/edit", dependencies=operator_only)
def edit_program(request: Request, program_id: int, session: SessionDep) -> Response:
    from talentbridge.storage.repositories import Repositories

    program = Repositories(session).programs.get(program_id)
    return _program_form(request, program, program.model_dump(mode="json"))


@router.post("/operator/programs/{program_id}/edit", dependencies=operator_only)
async def update_program(request: Request, program_id: int, session: SessionDep) -> Response:
    from talentbridge.services.round_setup import RoundSetupService

    service = RoundSetupService(session)
    program = service.repos.programs.get(program_id)
    policy_of(request).check(request, "program", "update", program)
    form = dict(await request.form())
    try:
        service.update_program(program_id, form, _actor(request))
    except ValidationFailed as exc:
        return _program_form(request, program, form, _form_errors(exc), 422)
    return redirect("/operator/rounds")


def _round_form(
    request: Request, program: Any, rnd: Any = None, values: Any = None, errors: Any = None, status: int = 200
) -> Response:
    from talentbridge.services.round_setup import CAP_KEYS, MECHANISMS, PROPOSING

    return render(
        request,
        "operator/round_form.html",
        status_code=status,
        program=program,
        rnd=rnd,
        values=values or {},
        errors=errors or {},
        mechanisms=MECHANISMS,
        proposing=PROPOSING,
        cap_keys=CAP_KEYS,
    )


def _round_values(rnd: Any) -> dict[str, Any]:
    from talentbridge.services.round_setup import KST

    values: dict[str, Any] = {
        "name": rnd.name,
        "mechanism": rnd.mechanism,
        "proposing": rnd.proposing,
        "seed": str(rnd.seed),
        "secondment_rules": "on" if rnd.settings.get("secondment_rules") else "",
    }
    if rnd.preference_deadline:
        deadline = rnd.preference_deadline
        if deadline.tzinfo is None:
            from datetime import UTC

            deadline = deadline.replace(tzinfo=UTC)
        values["preference_deadline"] = deadline.astimezone(KST).strftime("%Y-%m-%dT%H:%M")
    for key, cap in rnd.regional_caps.items():
        values[f"cap:{key}"] = str(cap)
    return values


@router.get("/operator/programs/{program_id}/rounds/new", dependencies=operator_only)
def new_round(request: Request, program_id: int, session: SessionDep) -> Response:
    from talentbridge.storage.repositories import Repositories

    program = Repositories(session).programs.get(program_id)
    defaults = {"mechanism": "da", "proposing": "applicants", "seed": "0"}
    if program.kind == ProgramKind.TALENT_EXCHANGE:
        defaults["secondment_rules"] = "on"
    return _round_form(request, program, values=defaults)


@router.post("/operator/programs/{program_id}/rounds/new", dependencies=operator_only)
async def create_round(request: Request, program_id: int, session: SessionDep) -> Response:
    policy_of(request).check(request, "round", "create")
    from talentbridge.services.round_setup import RoundSetupService

    service = RoundSetupService(session)
    program = service.repos.programs.get(program_id)
    form = dict(await request.form())
    try:
        rnd = service.create_round(program_id, form, _actor(request))
    except ValidationFailed as exc:
        return _round_form(request, program, None, form, _form_errors(exc), 422)
    return redirect(f"/operator/rounds/{rnd.id}/setup")


@router.post("/operator/rounds", dependencies=operator_only)
async def quick_create_round(request: Request, session: SessionDep) -> Response:
    """The short form on the rounds list: a programme, a name and a mechanism (the rest on the edit page)."""
    policy_of(request).check(request, "round", "create")
    from talentbridge.services.round_setup import RoundSetupService

    form = dict(await request.form())
    service = RoundSetupService(session)
    try:
        program_id = int(str(form.get("program_id", "")))
    except ValueError:
        return redirect("/operator/rounds")
    program = service.repos.programs.get(program_id)
    try:
        rnd = service.create_round(program_id, form, _actor(request))
    except ValidationFailed as exc:
        return _round_form(request, program, None, form, _form_errors(exc), 422)
    return redirect(f"/operator/rounds/{rnd.id}")


@router.get("/operator/rounds/{round_id}/edit", dependencies=operator_only)
def edit_round(request: Request, round_id: int, session: SessionDep) -> Response:
    from talentbridge.services.rounds import RoundService

    service = RoundService(session)
    rnd = service.get(round_id)
    return _round_form(request, service.repos.programs.get(rnd.program_id), rnd, _round_values(rnd))


@router.post("/operator/rounds/{round_id}/edit", dependencies=operator_only)
async def update_round(request: Request, round_id: int, session: SessionDep) -> Response:
    from talentbridge.services.round_setup import RoundSetupService

    service = RoundSetupService(session)
    rnd = service.rounds.get(round_id)
    policy_of(request).check(request, "round", "update", rnd)
    program = service.repos.programs.get(rnd.program_id)
    form = dict(await request.form())
    try:
        service.update_round(round_id, form, _actor(request))
    except ValidationFailed as exc:
        return _round_form(request, program, rnd, form, _form_errors(exc), 422)
    except InvalidState as exc:
        return _round_form(request, program, rnd, form, {"": _messages(request, exc)}, 409)
    return redirect(f"/operator/rounds/{round_id}")


# -- one round -----------------------------------------------------------------------------------------------


def _round_page(
    request: Request, session: Any, round_id: int, errors: list[str] | None = None, status: int = 200, notice: str = ""
) -> Response:
    from talentbridge.services.round_setup import MECHANISMS, RoundSetupService

    setup = RoundSetupService(session)
    service = setup.rounds
    review = service.review(round_id)
    rnd = service.get(round_id)
    program = service.repos.programs.get(rnd.program_id)
    return render(
        request,
        "operator/round.html",
        status_code=status,
        review=review,
        rnd=review["round"],
        program=program,
        missing=setup.readiness(round_id) if rnd.status.value == "draft" else [],
        mechanisms=MECHANISMS,
        errors=errors or [],
        notice=notice or request.query_params.get("done", ""),
        notices=_NOTICES,
        can_act=request.state.user.role == Role.OPERATOR,
    )


@router.get("/operator/rounds/{round_id}", dependencies=staff)
def round_detail(request: Request, round_id: int, session: SessionDep) -> Response:
    _staff(request)
    return _round_page(request, session, round_id)


_NOTICES = {
    "open": "Preference submission is open.",
    "close": "Preference submission is closed.",
    "generate": "Organization rankings were generated from fit scores.",
    "run": "The match ran; compare it with other runs before approving one.",
    "publish": "The result is published: every participant sees it on their rounds page.",
}


@router.post("/operator/rounds/{round_id}/action", dependencies=operator_only)
async def round_action(request: Request, round_id: int, session: SessionDep) -> Response:
    from talentbridge.services.round_review import RoundReviewService

    form = await request.form()
    action = str(form.get("action", ""))
    review = RoundReviewService(session)
    rnd = review.rounds.get(round_id)
    verb = {"open": "update", "close": "update", "generate": "update", "run": "run", "publish": "publish"}.get(action)
    policy_of(request).check(request, "round", verb or "update", rnd)
    if verb is None:
        _ = gettext_for(request_language(request))
        return _round_page(request, session, round_id, [_("Choose an action on the page.")], 422)
    actor = _actor(request)
    savepoint = session.begin_nested()
    try:
        if action == "open":
            review.setup.open(round_id, actor)
        elif action == "close":
            review.setup.close(round_id, actor)
        elif action == "generate":
            review.setup.generate(round_id, actor)
        elif action == "run":
            review.run(round_id, str(form.get("mechanism") or rnd.mechanism), str(form.get("proposing") or ""), actor)
        elif action == "publish":
            try:
                run_id = int(str(form.get("run_id", "")))
            except ValueError:
                raise ValidationFailed("invalid run", []) from None
            review.publish(round_id, run_id, actor)
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _round_page(request, session, round_id, _messages(request, exc), exc.status)
    target = f"/operator/rounds/{round_id}/compare" if action == "run" else f"/operator/rounds/{round_id}"
    return redirect(f"{target}?done={action}")


@router.get("/operator/rounds/{round_id}/compare", dependencies=staff)
def compare(
    request: Request, round_id: int, session: SessionDep, run: Annotated[list[int] | None, Query()] = None
) -> Response:
    _staff(request)
    from talentbridge.services.round_review import RoundReviewService

    data = RoundReviewService(session).compare(round_id, run)
    return render(
        request,
        "operator/round_compare.html",
        data=data,
        rnd=data["round"],
        notice=request.query_params.get("done", ""),
        notices=_NOTICES,
        errors=[],
        can_act=request.state.user.role == Role.OPERATOR,
    )


# -- set-up: openings and participants ---------------------------------------------------------------------


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
    members = setup.rounds.store.participants(round_id)
    attached_cards = {c["id"]: c for c in setup.opening_eligibility(rnd, [o.opening_id for o in attached])}
    member_cards = setup.talent_eligibility(rnd, [p.talent_id for p in members])
    shown = {s for group in (talents["items"], openings["items"]) for card in group for s in card["skills"][:4]}
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


_SEARCH_KEYS = {"tq", "tskill", "torg", "tregion", "tpage", "oq", "oskill", "oorg", "oregion", "okind", "opage"}


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
    fragment = request.headers.get("hx-request") == "true"
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


# -- placements ----------------------------------------------------------------------------------------------


@router.get("/operator/rounds/{round_id}/placements", dependencies=staff)
def round_placements(request: Request, round_id: int, session: SessionDep) -> Response:
    _staff(request)
    return _placements_page(request, session, round_id)


def _placements_page(
    request: Request, session: Any, round_id: int, errors: list[str] | None = None, status: int = 200
) -> Response:
    from talentbridge.services.placements import PlacementService
    from talentbridge.services.rounds import RoundService

    rnd = RoundService(session).get(round_id)
    service = PlacementService(session)
    return render(
        request,
        "operator/placements.html",
        status_code=status,
        rnd=rnd,
        placements=service.list(round_id=round_id),
        retention=service.retention(round_id=round_id),
        errors=errors or [],
        statuses=["planned", "active", "completed", "ended_early"],
        can_act=request.state.user.role == Role.OPERATOR,
        followup_action="/operator/placements",
    )


@router.post("/operator/placements/{placement_id}", dependencies=operator_only)
async def update_placement(request: Request, placement_id: int, session: SessionDep) -> Response:
    from talentbridge.services.placements import PlacementService

    service = PlacementService(session)
    row = service._placement(placement_id, None)
    policy_of(request).check(request, "placement", "update", row)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        service.update(placement_id, dict(form), _actor(request))
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _placements_page(request, session, row.round_id, _messages(request, exc), exc.status)
    return redirect(f"/operator/rounds/{row.round_id}/placements")


@router.post("/operator/placements/{placement_id}/followups/{months}", dependencies=operator_only)
async def operator_followup(request: Request, placement_id: int, months: int, session: SessionDep) -> Response:
    from talentbridge.services.placements import PlacementService

    service = PlacementService(session)
    row = service._placement(placement_id, None)
    policy_of(request).check(request, "placement", "update", row)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        service.record_followup(placement_id, months, dict(form), _actor(request))
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _placements_page(request, session, row.round_id, _messages(request, exc), exc.status)
    return redirect(f"/operator/rounds/{row.round_id}/placements")


@router.post("/org/placements/{placement_id}/followups/{months}", dependencies=[Depends(require_roles("org_member"))])
async def organization_followup(request: Request, placement_id: int, months: int, session: SessionDep) -> Response:
    """An organization records a follow-up of one of its own placements (another organization's: 403)."""
    from talentbridge.services.placements import PlacementService

    user = request.state.user
    if user.organization_id is None:
        raise PermissionDenied("your account is not linked to an organization")
    policy_of(request).check(request, "placement", "read", {"organization_id": user.organization_id})
    service = PlacementService(session)
    form = await request.form()
    savepoint = session.begin_nested()
    try:
        service.record_followup(placement_id, months, dict(form), _actor(request), organization_id=user.organization_id)
        savepoint.commit()
    except (ValidationFailed, InvalidState) as exc:
        savepoint.rollback()
        return render(
            request,
            "operator/refused.html",
            status_code=exc.status,
            messages=_messages(request, exc),
            back="/org/rounds",
        )
    return redirect("/org/rounds?saved=followup")
