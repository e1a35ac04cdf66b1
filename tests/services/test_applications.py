"""The applicant pipeline and invitations on SQLite and PostgreSQL: stages, notes, history, withdrawal,
re-applying, invitations only to consenting talent, and an audit row for every step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.domain.errors import Conflict, InvalidState, PermissionDenied, ValidationFailed
from talentbridge.services import talent_notices
from talentbridge.services.accounts import Role, User
from talentbridge.services.applications import ApplicationService
from talentbridge.services.invitations import InvitationService
from talentbridge.services.openings_search import OpeningQuery, recommendation_blockers, search_openings
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.repositories import Repositories

TODAY = date(2027, 3, 2)
ORG = User(id=11, email="hr@vision.kr", name="인사", role=Role.ORG_MEMBER, organization_id=None)
ME = User(id=12, email="kim@test.kr", name="김", role=Role.TALENT)


def _world(database: Database) -> dict[str, Any]:
    with database.session() as s:
        r = Repositories(s)
        org = r.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        other = r.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        yes = r.talents.add(TalentData(name="김", category="engineer", nationality="KR", consent_visible=True))
        no = r.talents.add(TalentData(name="이", category="engineer", nationality="KR", consent_visible=False))
        job = r.openings.add(
            OpeningData(organization_id=org.id, kind="job", title="비전", region="seoul", status="open",
                        required_skills=[{"skill_id": "pytorch"}], deadline=TODAY + timedelta(days=5))
        )  # fmt: skip
        late = r.openings.add(
            OpeningData(organization_id=org.id, kind="job", title="지난", region="seoul", status="open",
                        deadline=TODAY - timedelta(days=1))
        )  # fmt: skip
        theirs = r.openings.add(OpeningData(organization_id=other.id, kind="internship", title="인턴", remote=True,
                                             status="open"))  # fmt: skip
    return {"org": org.id, "other": other.id, "yes": yes.id, "no": no.id, "job": job.id, "late": late.id,
            "theirs": theirs.id}  # fmt: skip


def _org_user(world: dict[str, Any]) -> User:
    return User(id=ORG.id, email=ORG.email, name=ORG.name, role=ORG.role, organization_id=world["org"])


def test_pipeline_history_withdrawal_and_audit(database: Database) -> None:
    w = _world(database)
    hr = _org_user(w)
    notices: list[dict[str, Any]] = []
    talent_notices.NOTICE_HOOKS.append(lambda _s, n: notices.append(n))
    try:
        with database.session() as s:
            svc = ApplicationService(s, today=lambda: TODAY)
            a = svc.apply(w["yes"], w["job"], ME)
            assert svc.apply(w["yes"], w["job"], ME).id == a.id  # applying twice is one application
            with pytest.raises(InvalidState):
                svc.apply(w["yes"], w["late"], ME)  # past the deadline
            svc.move(a.id, "screening", hr, organization_id=w["org"])
            svc.move(a.id, "interview", hr, note="  기술 면접 10일  ", organization_id=w["org"])
            svc.add_note(a.id, "좋은 인상", hr, organization_id=w["org"])
            svc.move(a.id, "interview", hr, organization_id=w["org"])  # no change, no note: nothing recorded
            with pytest.raises(ValidationFailed):
                svc.move(a.id, "withdrawn", hr, organization_id=w["org"])  # only the talent withdraws
            with pytest.raises(ValidationFailed):
                svc.move(a.id, "sideways", hr, organization_id=w["org"])
            with pytest.raises(ValidationFailed):
                svc.add_note(a.id, "x" * 5001, hr, organization_id=w["org"])
            with pytest.raises(PermissionDenied):
                svc.move(a.id, "offer", hr, organization_id=w["other"])
            with pytest.raises(PermissionDenied):
                svc.withdraw(a.id, w["no"], ME)
            svc.withdraw(a.id, w["yes"], ME)
            with pytest.raises(InvalidState):
                svc.move(a.id, "offer", hr, organization_id=w["org"])
            again = svc.apply(w["yes"], w["job"], ME)  # re-applying re-opens the same application
            assert again.id == a.id and again.status.value == "applied"
            steps = [(e.kind, e.from_status, e.to_status, e.note, e.actor) for e in svc.history([a.id])[a.id]]
        with database.session() as s:
            audit = [(r.action, r.actor_role, r.detail.get("to")) for r in s.scalars(
                select(AuditLogRow).where(AuditLogRow.entity == "application").order_by(AuditLogRow.id))]  # fmt: skip
    finally:
        talent_notices.NOTICE_HOOKS.clear()
    assert steps == [
        ("applied", None, "applied", None, ME.email),
        ("moved", "applied", "screening", None, ORG.email),
        ("moved", "screening", "interview", "기술 면접 10일", ORG.email),
        ("note", None, None, "좋은 인상", ORG.email),
        ("withdrawn", "interview", "withdrawn", None, ME.email),
        ("applied", "withdrawn", "applied", None, ME.email),
    ]
    assert [a[0] for a in audit] == [
        "application.applied", "application.moved", "application.moved", "application.note",
        "application.withdrawn", "application.applied",
    ]  # fmt: skip
    assert [n["status"] for n in notices if n["kind"] == "application_moved"] == ["screening", "interview"]


def test_invitations_only_to_consenting_talent_and_accepting_applies(database: Database) -> None:
    w = _world(database)
    hr = _org_user(w)
    with database.session() as s:
        svc = InvitationService(s, today=lambda: TODAY)
        with pytest.raises(PermissionDenied):
            svc.invite(w["job"], w["no"], hr, organization_id=w["org"])  # did not consent
        with pytest.raises(PermissionDenied):
            svc.invite(w["theirs"], w["yes"], hr, organization_id=w["org"])  # another organization's opening
        with pytest.raises(InvalidState):
            svc.invite(w["late"], w["yes"], hr, organization_id=w["org"])
        inv = svc.invite(w["job"], w["yes"], hr, organization_id=w["org"], message="함께 일해요")
        with pytest.raises(Conflict):
            svc.invite(w["job"], w["yes"], hr, organization_id=w["org"])
        assert [i.id for i in svc.for_talent(w["yes"])] == [inv.id] and inv.status == "pending"
        with pytest.raises(PermissionDenied):
            svc.accept(inv.id, w["no"], ME)
        done = svc.accept(inv.id, w["yes"], ME)
        assert done.status == "accepted" and done.application_id is not None
        with pytest.raises(InvalidState):
            svc.decline(inv.id, w["yes"], ME)
        with pytest.raises(Conflict):
            svc.invite(w["job"], w["yes"], hr, organization_id=w["org"])  # already applied
        app = Repositories(s).applications.get(done.application_id)
        assert (app.talent_id, app.opening_id, app.status.value) == (w["yes"], w["job"], "applied")
        history = ApplicationService(s).history([app.id])[app.id]
        assert [e.kind for e in history] == ["invited"]


def test_search_sees_every_open_opening_and_blockers_say_why(database: Database) -> None:
    w = _world(database)
    with database.session() as s:
        found = search_openings(s, OpeningQuery(), TODAY)
        assert sorted(i["opening"].title for i in found["items"]) == ["비전", "인턴"]  # past its deadline: out
        assert search_openings(s, OpeningQuery(organization_kind="manufacturer"), TODAY)["total"] == 1
        assert search_openings(s, OpeningQuery(remote=True, kind="internship"), TODAY)["total"] == 1
        assert search_openings(s, OpeningQuery(skills=["pytorch"], region="seoul"), TODAY)["total"] == 1
        with pytest.raises(ValidationFailed) as info:
            search_openings(s, OpeningQuery(kind="x", size=0, sort="random"), TODAY)
        assert {p.loc[-1] for p in info.value.problems} == {"kind", "size", "sort"}
        repos = Repositories(s)
        late, job, theirs = (repos.openings.get(w[k]) for k in ("late", "job", "theirs"))
        assert recommendation_blockers(s, late, TODAY) == ["not_open"]
        assert recommendation_blockers(s, job, TODAY) == ["no_skill_holders"]  # the consenting one has no skills
        assert recommendation_blockers(s, theirs, TODAY) == ["no_skills"]
        repos.talents.update(w["yes"], {"consent_visible": False})
        assert recommendation_blockers(s, job, TODAY) == ["no_consenting_talent"]
