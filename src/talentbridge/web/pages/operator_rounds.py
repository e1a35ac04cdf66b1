"""Operator pages that run a programme: programmes and rounds (create, edit), a round's actions (open, close,
generate rankings, run with a chosen mechanism), the side-by-side comparison of runs, approval and publication.

A refused action never leaves the page: the page is shown again with the reasons in the reader's language.
Auditors see every page without forms (the policy refuses their writes). The set-up pages are in
``operator_round_setup``, the placements in ``placements_ui``; they share this module's helpers."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.enums import ProgramKind, ProgramStatus
from talentbridge.domain.errors import InvalidState, PermissionDenied, Problem, TalentBridgeError, ValidationFailed
from talentbridge.services.accounts import Role
from talentbridge.web.deps import DatabaseDep, SessionDep, SettingsDep
from talentbridge.web.i18n import gettext_for, request_language
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.policy import policy_of

router = APIRouter(include_in_schema=False)
staff = [Depends(require_roles("operator", "auditor"))]
operator_only = [Depends(require_roles("operator"))]


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


def _audit_names(request: Request, talent_ids: Any, fields: tuple[str, ...] = ("name",)) -> None:
    """Names (and other personal fields) shown to staff are views of personal data: one audit row each."""
    from talentbridge.web.auth import audit

    for talent_id in sorted(set(talent_ids)):
        audit(request, "view", "talent", talent_id, fields=list(fields), path=request.url.path)


def _form_errors(exc: ValidationFailed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in exc.problems:
        out.setdefault(str(p.loc[0]) if p.loc else "", []).append(p.msg)
    return out


# -- programmes and rounds -----------------------------------------------------------------------------------


@router.get("/operator/rounds", dependencies=staff)
def rounds(request: Request, session: SessionDep) -> Response:
    _staff(request)
    from talentbridge.services.registry import registry

    repos = registry(session)
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
    from talentbridge.services.registry import registry

    program = registry(session).programs.get(program_id)
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
    from talentbridge.services.registry import registry

    program = registry(session).programs.get(program_id)
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
async def quick_create_round(
    request: Request,
    session: SessionDep,
    program_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    name: Annotated[str, Form(min_length=1, max_length=200)],
) -> Response:
    """The short form on the rounds list: a programme, a name and a mechanism (the rest on the edit page). A
    missing or malformed programme or name is a translated 422 page (never a silent redirect)."""
    policy_of(request).check(request, "round", "create")
    from talentbridge.services.round_setup import RoundSetupService

    form = dict(await request.form())
    service = RoundSetupService(session)
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
        run_nonce=secrets.token_hex(8),
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
        elif action == "run":  # the page's form posts to /run (a job); kept for scripted form posts
            review.run(round_id, str(form.get("mechanism") or rnd.mechanism), str(form.get("proposing") or ""), actor)
        elif action == "publish":
            try:
                run_id = int(str(form.get("run_id", "")))
            except ValueError:
                raise ValidationFailed("invalid run", [Problem(("run_id",), "Choose a run to publish.")]) from None
            review.publish(round_id, run_id, actor)
        savepoint.commit()
    except TalentBridgeError as exc:
        savepoint.rollback()
        return _round_page(request, session, round_id, _messages(request, exc), exc.status)
    target = f"/operator/rounds/{round_id}/compare" if action == "run" else f"/operator/rounds/{round_id}"
    return redirect(f"{target}?done={action}")


@router.post("/operator/rounds/{round_id}/run", dependencies=operator_only)
async def start_run(request: Request, round_id: int, database: DatabaseDep, settings: SettingsDep) -> Response:
    """Run the match as a background job (``round-run``): what would refuse the run (mechanism, round state,
    openings without a ranking) is answered on the round page at once; else the job's page shows its progress
    and then links to the comparison. The form's nonce makes a double-clicked button one job. (No request
    session: the job is recorded in its own transaction, which a request's open write would block.)"""
    from talentbridge.services.job_queue import submit_job
    from talentbridge.services.jobs import params_key
    from talentbridge.services.round_review import RoundReviewService
    from talentbridge.web.auth import audit

    form = await request.form()
    with database.session() as session:
        review = RoundReviewService(session)
        rnd = review.rounds.get(round_id)
        policy_of(request).check(request, "round", "run", rnd)
        mechanism = str(form.get("mechanism") or rnd.mechanism)
        proposing = str(form.get("proposing") or "")
        try:
            review.check_run(round_id, mechanism, proposing)
        except TalentBridgeError as exc:
            return _round_page(request, session, round_id, _messages(request, exc), exc.status)
    params: dict[str, Any] = {"round_id": round_id, "mechanism": mechanism}
    if proposing:
        params["proposing"] = proposing
    nonce = str(form.get("nonce") or "").strip()[:40] or secrets.token_hex(8)
    user = request.state.user
    job, _created = submit_job(database, settings, "round-run", params, key=params_key("round-run", {**params, "nonce": nonce}),
                               started_by=user.id, started_by_label=f"{user.name} <{user.email}>")  # fmt: skip
    audit(request, "start", "job", job.id, kind="round-run", round_id=round_id, mechanism=mechanism)
    return redirect(f"/jobs/{job.id}")


@router.get("/operator/rounds/{round_id}/compare", dependencies=staff)
def compare(
    request: Request, round_id: int, session: SessionDep, run: Annotated[list[int] | None, Query()] = None
) -> Response:
    _staff(request)
    from talentbridge.services.round_review import RoundReviewService

    data = RoundReviewService(session).compare(round_id, run)
    shown = {p["talent_id"] for r in data["runs"] for p in r["assignments"] + r["unmatched_list"]}
    _audit_names(request, shown)
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
