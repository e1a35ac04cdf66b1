"""Erasure and export of a talent's personal data, on SQLite and PostgreSQL.

After an erasure the person's name, e-mail, phone, résumé and skills are in no column of any table — the scan
reflects the database itself (every table, every column, whatever module added it) — and in no file under the
data directory: the talent index, the text-embedding store, uploads, SQLite's database file and write-ahead log.
Placements and round participation stay, under an anonymous id, so counts still add up; the audit trail keeps the
erasure without personal data.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import MetaData, String, Text, cast, func, or_, select, text

from talentbridge.config import Settings, build_settings
from talentbridge.domain import OpeningData, OrganizationData, RequiredSkill, SkillClaim, TalentData
from talentbridge.services import accounts
from talentbridge.services.audit_log import AuditEntry, write_entries
from talentbridge.services.compared_texts import talent_text, text_key
from talentbridge.services.privacy_erase import erase, find_talent
from talentbridge.services.privacy_export import export_talent
from talentbridge.services.recommend import RecommendService, reset_indexes
from talentbridge.services.text_embedding_store import TextEmbeddingStore
from talentbridge.services.text_embeddings import TextEmbeddings
from talentbridge.skills.encoder import HashingEncoder
from talentbridge.storage import Database
from talentbridge.storage.ai_record_tables import AiHumanReviewRow, AiRunRecordRow
from talentbridge.storage.application_tables import ApplicationEventRow, InvitationRow
from talentbridge.storage.notification_tables import NotificationRow, OutboxEmailRow
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.round_tables import PlacementFollowUpRow, RoundParticipantRow, RoundPreferenceRow
from talentbridge.storage.tables import ApplicationRow, PlacementRow, ProgramRow, RoundRow

NAME = "Zorvexa Quillbright"
NAME_LATIN = "Zorvexa Q"
EMAIL = "zorvexa.quill@example.org"
PHONE = "010-7319-4462"
RESUME = "Qwyntrel résumé: built Zorblex pipelines for 키메라 vision at scale"
RESUME_MARK = "Zorblex"
EXTERNAL = "zorvexa-ext-77"
#: strings the person is known by; none may survive anywhere
MARKERS = [NAME, "Zorvexa", NAME_LATIN, EMAIL, PHONE, RESUME_MARK, "Qwyntrel", EXTERNAL]
SKILLS = ["python", "computer_vision"]
ALL_TYPES = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]


@pytest.fixture
def data_db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, database: Database):
    """(settings, database) with the SQLite file inside the data directory, so the file scan sees it too."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if database.engine.dialect.name == "sqlite":
        path = data_dir / "talentbridge.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
    else:
        db = database
    settings = build_settings(
        environment="test", data_dir=data_dir, database_url=db.url, model_cache_dir=data_dir / "cache"
    )
    reset_indexes()
    yield settings, db
    reset_indexes()
    if db is not database:
        db.dispose()


def _talent(name: str, external_id: str, **kw: Any) -> TalentData:
    data: dict[str, Any] = {
        "name": name,
        "external_id": external_id,
        "region": "busan",
        "consent_visible": True,
        "consent_statistics": True,
        "employment_types": ALL_TYPES,
        "skills": [SkillClaim(skill_id=s, level=4) for s in SKILLS],
    }
    data.update(kw)
    return TalentData(**data)


def _world(settings: Settings, db: Database) -> dict[str, int]:
    """The person with records in every table that can hold them, and another person who must stay intact."""
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with db.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="키메라랩", kind="ai_startup", region="busan")).id
        opening = repos.openings.add(
            OpeningData(
                title="Vision engineer", organization_id=org, kind="job", region="busan", status="open",
                required_skills=[RequiredSkill(skill_id="python", min_level=3, importance="must")],
            )
        ).id  # fmt: skip
        target = repos.talents.add(
            _talent(NAME, EXTERNAL, name_latin=NAME_LATIN, email=EMAIL, phone=PHONE, resume_text=RESUME,
                    gender="female", birth_year=1994,
                    work_history=[{"organization": "Zorvexa Labs", "title": "vision engineer"}])
        ).id  # fmt: skip
        other = repos.talents.add(_talent("김다른", "other-1", email="other@example.org", resume_text="다른 사람")).id
        user = accounts.create_user(
            session, email=EMAIL, password="test-password-123", role="talent", name=NAME, talent_id=target
        )
        accounts.create_api_token(session, user.id, "phone app")
        app = ApplicationRow(talent_id=target, opening_id=opening, status="applied", note=f"{NAME} wrote: hire me")
        session.add(app)
        session.flush()
        session.add(ApplicationEventRow(application_id=app.id, actor=EMAIL, actor_role="talent", kind="applied",
                                        note=f"call {PHONE}"))  # fmt: skip
        session.add(InvitationRow(opening_id=opening, talent_id=target, invited_by="hr@kimera.kr",
                                  message=f"Dear {NAME}", status="pending"))  # fmt: skip
        program = ProgramRow(name="교류", kind="exchange", status="active")
        session.add(program)
        session.flush()
        rnd = RoundRow(program_id=program.id, name="1차", status="published", mechanism="da", proposing="talent")
        session.add(rnd)
        session.flush()
        session.add(RoundParticipantRow(round_id=rnd.id, talent_id=target))
        session.add(RoundPreferenceRow(round_id=rnd.id, side="talent", owner_id=target, ranking=[opening],
                                       source="web", submitted_at=now, submitted_by=EMAIL))  # fmt: skip
        placement = PlacementRow(talent_id=target, organization_id=org, opening_id=opening, round_id=rnd.id,
                                 kind="job", start_date=date(2026, 3, 1), status="active",
                                 end_reason=f"{NAME} moved")  # fmt: skip
        other_placement = PlacementRow(talent_id=other, organization_id=org, kind="job", start_date=date(2026, 3, 1),
                                       status="active")  # fmt: skip
        session.add_all([placement, other_placement])
        session.flush()
        session.add(PlacementFollowUpRow(placement_id=placement.id, months=3, retained=True, note=f"{NAME} is happy",
                                         recorded_at=now, recorded_by=EMAIL, recorder_role="talent"))  # fmt: skip
        note = NotificationRow(talent_id=target, kind="invited", params={"name": NAME, "opening": "Vision"})
        session.add(note)
        session.flush()
        session.add(OutboxEmailRow(notification_id=note.id, kind="invited", to_address=EMAIL,
                                   subject=f"{NAME}, an invitation", body=f"Hello {NAME}, call {PHONE}",
                                   status="outbox"))  # fmt: skip
        write_entries(session, [
            AuditEntry(None, "operator", "talent.view", "talent", target, {"email": EMAIL, "name": NAME}, "10.0.0.1"),
            AuditEntry(user.id, "talent", "talent.update", "talent", target, {"fields": ["phone"]}, "10.9.9.9"),
            AuditEntry(None, "operator", "talent.view", "talent", other, {"name": "김다른"}, "10.0.0.1"),
        ])  # fmt: skip
        session.add(AiHumanReviewRow(requester_user_id=user.id, requester_role="talent", talent_id=target,
                                     status="open", reason=f"{NAME} asks: why was I ranked low?"))  # fmt: skip
        session.add(AiRunRecordRow(key="run-0001", kind="recommendation_list", surface="talent/recommendations",
                                   subject_type="talent", subject_id=target, output=[[opening, 91.0]],
                                   seen_by_user_id=user.id, seen_by_role="talent", actor=f"{NAME} <{EMAIL}>"))  # fmt: skip
        ids = {"target": target, "other": other, "user": user.id, "org": org, "opening": opening,
               "round": rnd.id, "placement": placement.id}  # fmt: skip
    # an uploaded import file that names the person, and one that does not
    transfers = settings.data_dir / "transfers" / "tok123"
    transfers.mkdir(parents=True)
    (transfers / "talents.csv").write_text(f"external_id,name,email\n{EXTERNAL},{NAME},{EMAIL}\n", encoding="utf-8")
    (transfers / "orgs.csv").write_text("external_id,name\norg-1,키메라랩\n", encoding="utf-8")
    return ids


def _build_index(settings: Settings, db: Database) -> TextEmbeddings:
    text = TextEmbeddings(HashingEncoder(), settings.cache_dir / "text-embeddings")
    with db.session() as session:
        svc = RecommendService(settings, session, today=date(2026, 6, 1), text=text)
        svc.rebuild_index()
    return text


def _scan_database(db: Database, needles: list[str]) -> list[str]:
    """Every (table.column) of the live schema whose text holds one of ``needles`` (every column cast to text)."""
    md = MetaData()
    md.reflect(db.engine)
    hits = []
    variants = {v for n in needles for v in (n, json.dumps(n)[1:-1])}
    with db.engine.connect() as conn:
        for table in md.sorted_tables:
            for col in table.columns:
                expr = col if isinstance(col.type, String | Text) else cast(col, Text)
                cond = or_(*(func.lower(expr).contains(v.lower(), autoescape=True) for v in variants))
                n = conn.execute(select(func.count()).select_from(table).where(cond)).scalar()
                if n:
                    hits.append(f"{table.name}.{col.name}")
    return hits


def _scan_files(folder: Path, needles: list[str]) -> list[str]:
    raw = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le")]
    raw += [json.dumps(n)[1:-1].encode() for n in needles]
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and any(r in p.read_bytes() for r in raw)
    )


def test_erasure_leaves_no_trace_in_any_table_or_file(data_db):
    settings, db = data_db
    ids = _world(settings, db)
    text_store = _build_index(settings, db)
    with db.session() as session:
        target = find_talent(session, external_id=EXTERNAL)
        key = text_key(talent_text(target))
    assert key and text_store.store("talents").get(np.array([key], dtype=np.uint64))[1][0]
    # before: the person is everywhere
    assert len(_scan_database(db, MARKERS)) >= 10
    files_before = _scan_files(settings.data_dir, MARKERS)
    assert "transfers/tok123/talents.csv" in files_before
    if db.engine.dialect.name == "sqlite":
        assert any(f.startswith("talentbridge.sqlite3") for f in files_before), files_before
    placements_before = _count(db, "placements")
    participants_before = _count(db, "round_participants")

    result = erase(settings, db, external_id=EXTERNAL, actor_role="operator")

    assert result.residue == []
    assert result.deleted["talent_skills"] == 2 and result.deleted["users"] == 1
    assert result.files == ["transfers/tok123/talents.csv"]
    assert _scan_database(db, MARKERS) == []
    assert _scan_files(settings.data_dir, MARKERS) == []
    # the other person is intact
    with db.session() as session:
        other = Repositories(session).talents.get(ids["other"])
        assert other.name == "김다른" and other.email == "other@example.org"
        assert [s.skill_id for s in other.skills] == SKILLS
        tomb = Repositories(session).talents.get(ids["target"])
        assert tomb.name == result.anonymous_id == tomb.external_id
        assert tomb.skills == [] and tomb.resume_text is None and not tomb.consent_visible
        assert tomb.region == "busan"  # counts by region still add up
        rows = session.execute(text("SELECT count(*) FROM talent_skills WHERE talent_id = :t"), {"t": ids["target"]})
        assert rows.scalar() == 0
    assert (settings.data_dir / "transfers" / "tok123" / "orgs.csv").exists()
    # anonymised records the law allows to keep: placements and round participation, under the anonymous id
    assert _count(db, "placements") == placements_before
    assert _count(db, "round_participants") == participants_before
    # the audit trail keeps every action, the erasure too, without personal data or the person's address
    with db.engine.connect() as conn:
        audit = conn.execute(text("SELECT action, actor_id, ip, detail FROM audit_log ORDER BY id")).all()
    assert [a[0] for a in audit] == ["talent.view", "talent.update", "talent.view", "privacy.erase"]
    assert audit[1][2] is None and audit[0][2] == "10.0.0.1"
    erase_detail = audit[3][3] if isinstance(audit[3][3], dict) else json.loads(audit[3][3])
    assert erase_detail["anonymous_id"] == result.anonymous_id
    # the index and the text store forgot the person
    fresh = TextEmbeddingStore(text_store.store("talents").root, text_store.dim)
    fresh.refresh()
    assert not fresh.get(np.array([key], dtype=np.uint64))[1][0]
    with db.session() as session:
        svc = RecommendService(settings, session, today=date(2026, 6, 1), text=text_store)
        idx = svc.index()
        assert idx.columns.row_of(ids["target"]) is None or not idx.columns.consent[idx.columns.row_of(ids["target"])]
        found = svc.talents_for_opening(ids["opening"], 10)
        assert ids["target"] not in [i["talent_id"] for i in found["items"]]
        assert ids["other"] in [i["talent_id"] for i in found["items"]]
    # a second erasure is refused: nothing is left to erase
    from talentbridge.domain.errors import InvalidState, NotFound

    with pytest.raises(NotFound):
        erase(settings, db, external_id=EXTERNAL)
    with pytest.raises(InvalidState):
        erase(settings, db, talent_id=ids["target"])


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() or 0)


def test_export_holds_every_record_of_the_person_and_nothing_of_others(data_db):
    settings, db = data_db
    ids = _world(settings, db)
    with db.session() as session:
        doc = export_talent(session, find_talent(session, external_id=EXTERNAL), actor_role="talent")
    blob = json.dumps(doc, ensure_ascii=False)
    assert doc["profile"]["email"] == EMAIL and doc["profile"]["resume_text"] == RESUME
    records = doc["records"]
    for table in ("talent_skills", "applications", "application_events", "invitations", "placements",
                  "placement_followups", "round_participants", "round_preferences", "notifications",
                  "outbox_emails", "users", "api_tokens", "audit_log", "ai_human_reviews", "ai_run_records"):  # fmt: skip
        assert records.get(table), (table, " ".join(sorted(records)))
    assert {r["skill_id"] for r in records["talent_skills"]} == set(SKILLS)
    assert [r["entity_id"] for r in records["audit_log"]] == [ids["target"], ids["target"]]
    assert "password_hash" not in blob and "token_hash" not in blob
    assert "김다른" not in blob and "other@example.org" not in blob
    assert all(r["talent_id"] == ids["target"] for r in records["placements"])
    with db.engine.connect() as conn:
        last = conn.execute(text("SELECT action, entity_id FROM audit_log ORDER BY id DESC")).first()
    assert tuple(last) == ("privacy.export", ids["target"])


def test_a_namesake_is_left_alone_and_is_no_residue(data_db):
    settings, db = data_db
    with db.session() as session:
        repos = Repositories(session)
        one = repos.talents.add(_talent("김민준", "kmj-1", email="kmj1@example.org")).id
        two = repos.talents.add(_talent("김민준", "kmj-2", email="kmj2@example.org")).id
    result = erase(settings, db, talent_id=one)
    assert result.residue == []
    with db.session() as session:
        other = Repositories(session).talents.get(two)
    assert (other.name, other.email) == ("김민준", "kmj2@example.org")
    assert _scan_database(db, ["kmj1@example.org", "kmj-1"]) == []
