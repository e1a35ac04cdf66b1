"""Placement follow-up reminders: due and unrecorded follow-ups notify the organization's members and operators,
once each; recorded, not-yet-due and ended placements are left alone."""

from __future__ import annotations

from datetime import date

from tests.conftest import make_account

from talentbridge.domain import OrganizationData, TalentData
from talentbridge.domain.program import PlacementData
from talentbridge.services.notifications import unread_count
from talentbridge.services.placements import remind_due_followups
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


def test_due_follow_ups_are_reminded_once(database: Database) -> None:
    with database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        other = repos.organizations.add(OrganizationData(name="서울AI", kind="ai_startup", region="seoul"))
        kim = repos.talents.add(TalentData(name="김지원"))
        lee = repos.talents.add(TalentData(name="이하늘"))
        repos.placements.add(PlacementData(talent_id=kim.id, organization_id=org.id, start_date=date(2026, 1, 15),
                                           status="active"))  # fmt: skip
        repos.placements.add(PlacementData(talent_id=lee.id, organization_id=org.id, start_date=date(2026, 1, 15),
                                           end_date=date(2026, 2, 1), status="ended_early", end_reason="이직"))  # fmt: skip
    member, _ = make_account(database, "org_member", organization_id=org.id)
    outsider, _ = make_account(database, "org_member", organization_id=other.id)
    operator, _ = make_account(database, "operator")
    with database.session() as session:
        assert remind_due_followups(session, date(2026, 4, 14)) == 0  # the 3-month follow-up is due on 4-15
    with database.session() as session:
        assert remind_due_followups(session, date(2026, 4, 15)) == 1
    with database.session() as session:
        assert unread_count(session, member) == 1 and unread_count(session, operator) == 1
        assert unread_count(session, outsider) == 0
        assert remind_due_followups(session, date(2026, 4, 30)) == 0  # once only
        assert remind_due_followups(session, date(2026, 7, 15)) == 1  # then the 6-month one
