"""The facts the access policy decides on, answered by services.access_facts on SQLite and PostgreSQL (and the
same service over a fake repository: the policy's questions do not depend on SQL)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Any

from talentbridge.domain import ApplicationData, OpeningData, OrganizationData, TalentData
from talentbridge.services.access_facts import AccessFacts, OpeningGate
from talentbridge.services.registry import registry
from talentbridge.storage import Database


def test_facts_about_openings_and_applications(database: Database) -> None:
    with database.session() as s:
        r = registry(s)
        org = r.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        other = r.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        kim = r.talents.add(TalentData(name="김", category="engineer", nationality="KR"))
        lee = r.talents.add(TalentData(name="이", category="engineer", nationality="KR"))
        job = r.openings.add(OpeningData(organization_id=org.id, kind="job", title="비전", status="open", region="seoul",
                                         deadline=date(2030, 1, 2)))  # fmt: skip
        draft = r.openings.add(OpeningData(organization_id=other.id, kind="job", title="초안", status="draft", remote=True))
        r.applications.add(ApplicationData(talent_id=kim.id, opening_id=job.id))
    facts = AccessFacts(database)
    assert facts.opening_gate(job.id) == OpeningGate("open", date(2030, 1, 2), org.id)
    assert facts.opening_gate(draft.id) == OpeningGate("draft", None, other.id)
    assert facts.opening_gate(10_000) is None
    assert facts.has_applied(kim.id, job.id) and not facts.has_applied(lee.id, job.id)
    assert facts.talents_applied_to(org.id) == {kim.id}
    assert facts.talents_applied_to(other.id) == set()
    assert facts.opening_organization(draft.id) == other.id
    assert facts.opening_organization(10_000) is None


class _FakeFacts:
    def opening_gate(self, opening_id: int) -> tuple[str, Any, int] | None:
        return ("closed", None, 7) if opening_id == 1 else None

    def has_applied(self, talent_id: int, opening_id: int) -> bool:
        return (talent_id, opening_id) == (3, 1)

    def talents_applied_to(self, organization_id: int) -> set[int]:
        return {3} if organization_id == 7 else set()

    def opening_organization(self, opening_id: int) -> int | None:
        return 7 if opening_id == 1 else None


class _FakeDatabase:
    def __init__(self) -> None:
        self.transactions = 0

    @contextmanager
    def session(self, *, write: bool = False) -> Any:
        assert not write  # the policy only reads
        self.transactions += 1
        yield object()

    def begin_write(self, session: Any) -> None:  # pragma: no cover - never asked
        raise AssertionError


def test_each_question_is_one_read_transaction_over_any_repository() -> None:
    db = _FakeDatabase()
    facts = AccessFacts(db, repository=lambda _session: _FakeFacts())
    assert facts.opening_gate(1) == OpeningGate("closed", None, 7)
    assert facts.opening_gate(2) is None
    assert facts.has_applied(3, 1) and not facts.has_applied(4, 1)
    assert facts.talents_applied_to(7) == {3}
    assert facts.opening_organization(1) == 7
    assert db.transactions == 6
