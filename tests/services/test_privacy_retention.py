"""Retention limits and consent withdrawal, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, RequiredSkill, SkillClaim, TalentData
from talentbridge.services import accounts
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.privacy_consent import consent_state, history, set_consent
from talentbridge.services.privacy_purposes import PURPOSES, purposes_for
from talentbridge.services.privacy_retention import ROUND_MARK, apply
from talentbridge.services.recommend import RecommendService, reset_indexes
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.round_tables import RoundPreferenceRow
from talentbridge.storage.tables import PlacementRow, ProgramRow, RoundRow

NOW = datetime(2030, 1, 1, tzinfo=UTC)
TYPES = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]


@pytest.fixture
def settings(tmp_path: Path, database: Database):
    reset_indexes()
    s = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                       model_cache_dir=tmp_path / "data" / "cache", privacy_inactive_days=365,
                       privacy_round_days=730, privacy_audit_address_days=90)  # fmt: skip
    yield s
    reset_indexes()


def _talent(name: str) -> TalentData:
    return TalentData(name=name, external_id=name, email=f"{name}@example.org", region="seoul", consent_visible=True,
                      consent_statistics=True, employment_types=TYPES,
                      skills=[SkillClaim(skill_id="python", level=4)])  # fmt: skip


def _age(database: Database, table: str, column: str, when: datetime, ids: list[int]) -> None:
    with database.engine.begin() as conn:
        for i in ids:
            conn.execute(text(f"UPDATE {table} SET {column} = :w WHERE id = :i"), {"w": when, "i": i})


def test_retention_plans_then_anonymises_what_is_past_its_period(settings, database):
    old = NOW - timedelta(days=400)
    with database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="기관", kind="ai_startup")).id
        ids = {n: repos.talents.add(_talent(n)).id for n in ("idle", "recent", "placed", "logs_in")}
        user = accounts.create_user(session, email="logs_in@example.org", password="test-password-123",
                                    role="talent", name="logs_in", talent_id=ids["logs_in"])  # fmt: skip
        session.add(PlacementRow(talent_id=ids["placed"], organization_id=org, kind="job",
                                 start_date=date(2028, 1, 1), status="active"))  # fmt: skip
        program = ProgramRow(name="p", kind="exchange", status="active")
        session.add(program)
        session.flush()
        rounds = {}
        for name, published in (("old", NOW - timedelta(days=800)), ("new", NOW - timedelta(days=100))):
            r = RoundRow(program_id=program.id, name=name, status="published", mechanism="da", proposing="talent",
                         published_at=published)  # fmt: skip
            session.add(r)
            session.flush()
            rounds[name] = r.id
            session.add(RoundPreferenceRow(round_id=r.id, side="talent", owner_id=ids["recent"], ranking=[],
                                           source="web", submitted_at=published, submitted_by="recent@example.org"))  # fmt: skip
        write_entries(session, [AuditEntry(None, "operator", "talent.view", "talent", ids["recent"], {}, "10.1.1.1"),
                                AuditEntry(None, "operator", "talent.view", "talent", ids["recent"], {}, "10.2.2.2")])  # fmt: skip
    _age(database, "talents", "updated_at", old, [ids["idle"], ids["placed"], ids["logs_in"]])
    _age(database, "talents", "updated_at", NOW - timedelta(days=10), [ids["recent"]])
    _age(database, "users", "last_login_at", NOW - timedelta(days=5), [user.id])
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET at = :w WHERE ip = '10.1.1.1'"), {"w": NOW - timedelta(days=100)})
        conn.execute(text("UPDATE audit_log SET at = :w WHERE ip = '10.2.2.2'"), {"w": NOW - timedelta(days=10)})

    dry = apply(settings, database, dry_run=True, now=NOW)
    assert dry.talents == [ids["idle"]]  # the placed one works, the other signs in, the last changed recently
    assert dry.rounds == [rounds["old"]]
    assert dry.addresses == 1
    assert not dry.done
    with database.engine.connect() as conn:  # a dry run changes nothing
        assert conn.execute(text("SELECT name FROM talents WHERE id = :i"), {"i": ids["idle"]}).scalar() == "idle"

    done = apply(settings, database, now=NOW)
    assert done.done and [e["talent_id"] for e in done.erased] == [ids["idle"]]
    assert done.round_rows == {"round_preferences": 1}
    with database.engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM talents WHERE id = :i"), {"i": ids["idle"]}).scalar()
        assert name.startswith("anon-")
        assert conn.execute(text("SELECT reason FROM talent_erasures")).scalars().all() == ["retention"]
        subs = dict(conn.execute(text("SELECT round_id, submitted_by FROM round_preferences")).all())
        assert subs == {rounds["old"]: None, rounds["new"]: "recent@example.org"}
        ips = sorted(conn.execute(text("SELECT coalesce(ip, '-') FROM audit_log WHERE action = 'talent.view'"))
                     .scalars())  # fmt: skip
        assert ips == ["-", "10.2.2.2"]
    with database.session() as session:
        assert ROUND_MARK in session.get(RoundRow, rounds["old"]).settings
    again = apply(settings, database, dry_run=True, now=NOW)
    assert again.talents == [] and again.rounds == [] and again.addresses == 0


def test_withdrawing_consent_stops_recommendation_at_once_and_is_recorded(settings, database):
    with database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="기관", kind="ai_startup")).id
        opening = repos.openings.add(OpeningData(title="ML", organization_id=org, kind="job", status="open",
                                                 region="seoul", required_skills=[
                                                     RequiredSkill(skill_id="python", min_level=3, importance="must")]))  # fmt: skip
        a = repos.talents.add(_talent("a")).id
        b = repos.talents.add(_talent("b")).id
    with database.session() as session:
        found = RecommendService(settings, session).talents_for_opening(opening.id, 10)
        assert {i["talent_id"] for i in found["items"]} == {a, b}
    with database.session() as session:
        state = set_consent(settings, session, a, "consent_visible", False, by_role="talent")
        assert not state.recommended and state.in_statistics
        state = set_consent(settings, session, a, "consent_statistics", False, by_role="talent")
        assert not state.in_statistics
    with database.session() as session:  # the index followed the change at once (no waiting for a resync)
        found = RecommendService(settings, session).talents_for_opening(opening.id, 10)
        assert {i["talent_id"] for i in found["items"]} == {b}
        assert [(h["purpose"], h["granted"]) for h in history(session, a)] == [
            ("recommendation", False), ("statistics", False)]  # fmt: skip
        assert consent_state(session, a).consent_visible is False
        set_consent(settings, session, a, "consent_visible", False)  # no change: no new record
        assert len(history(session, a)) == 2
    with database.engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all()
    assert actions == ["privacy.consent", "privacy.consent"]


def test_every_purpose_is_listed_in_both_languages_with_its_period_from_the_settings(settings):
    ko, en = purposes_for(settings, "ko"), purposes_for(settings, "en")
    assert [p["key"] for p in ko] == [p.key for p in PURPOSES] == [p["key"] for p in en]
    for k, e in zip(ko, en, strict=True):
        assert k["title"] != e["title"] and k["what"] and e["what"] and k["basis"] and e["basis"]
    days = {p["key"]: p["retention_days"] for p in en}
    assert days["account"] == 365 and days["rounds"] == 730 and days["audit"] == 90
    assert {p["consent"] for p in en} >= {"consent_visible", "consent_statistics"}
