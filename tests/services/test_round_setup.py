"""Round set-up, review and placement services on SQLite and PostgreSQL: form validation, eligibility,
uploads, comparison of runs, publication with audit rows, placements and their follow-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.domain.errors import InvalidState, PermissionDenied, ValidationFailed
from talentbridge.services.placements import PlacementService, due_date
from talentbridge.services.round_review import RoundReviewService, participant_result
from talentbridge.services.round_setup import Actor, RoundSetupService, parse_program_form, parse_round_form
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.tables import RoundRow

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
OPERATOR = Actor(1, "operator", "운영자 <op@test.kr>", "127.0.0.1")


def _clock(now: datetime = NOW) -> Any:
    return lambda: now


@pytest.fixture
def world(database: Database) -> dict[str, Any]:
    skills = [{"skill_id": "pytorch", "min_level": 2, "importance": "must"}]
    with database.session() as s:
        repos = Repositories(s)
        seoul = repos.organizations.add(OrganizationData(name="서울비전", kind="ai_startup", region="seoul"))
        busan = repos.organizations.add(OrganizationData(name="부산조선", kind="manufacturer", region="busan"))
        openings = [
            repos.openings.add(
                OpeningData(
                    organization_id=org.id,
                    kind="secondment_slot",
                    title=title,
                    region=org.region.value,
                    required_skills=skills,
                    seats=seats,
                    status=status,
                    external_id=ext,
                    start_date="2027-04-01",
                )
            )
            for org, title, seats, status, ext in (
                (seoul, "서울 비전", 2, "open", "O-1"),
                (busan, "부산 검사", 2, "open", "O-2"),
                (busan, "부산 마감", 1, "closed", "O-3"),
            )
        ]
        talents = [
            repos.talents.add(
                TalentData(
                    name=f"인재{i}",
                    external_id=f"T-{i}",
                    email=f"t{i}@test.kr",
                    region="busan",
                    skills=[{"skill_id": "pytorch", "level": 1 + i % 4}],
                    consent_visible=i < 5,
                )
            )
            for i in range(6)
        ]
        setup = RoundSetupService(s, _clock())
        program = setup.create_program(
            {"name": "인재교류", "kind": "talent_exchange", "start_date": "2027-03-01", "end_date": "2027-12-31"},
            OPERATOR,
        )
        rnd = setup.create_round(program.id, {"name": "1차", "mechanism": "flexible-da", "cap:capital": "1"}, OPERATOR)
    return {"openings": openings, "talents": talents, "program": program, "round": rnd, "orgs": (seoul, busan)}


def _audit(database: Database) -> list[tuple[str, str, int | None]]:
    with database.session() as s:
        return [(r.action, r.entity, r.entity_id) for r in s.scalars(select(AuditLogRow).order_by(AuditLogRow.id))]


# -- forms ---------------------------------------------------------------------------------------------------


def test_programme_form_reports_every_bad_field() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_program_form({"name": " ", "kind": "x", "status": "y", "start_date": "2027-13-01", "end_date": "soon"})
    assert {p.loc[0] for p in info.value.problems} == {"name", "kind", "status", "start_date", "end_date"}


def test_round_form_takes_korean_time_and_refuses_sensless_caps(world: dict[str, Any]) -> None:
    program = world["program"]
    data = parse_round_form(
        {"name": "r", "mechanism": "max-welfare", "preference_deadline": "2027-03-02T09:00", "cap:busan": "1,000"},
        program,
        NOW,
    )
    assert data["preference_deadline"] == datetime(2027, 3, 2, 0, 0, tzinfo=UTC)
    assert data["regional_caps"] == {"busan": 1000}
    with pytest.raises(ValidationFailed) as info:
        parse_round_form(
            {"name": "r", "mechanism": "da", "cap:busan": "-1", "cap:gyeonggi": "2", "seed": "1.5"}, program, NOW
        )
    locs = sorted(str(p.loc[0]) for p in info.value.problems)
    assert locs == ["cap:busan", "cap:gyeonggi", "seed"]  # no DA-with-caps complaint: no valid cap was given
    with pytest.raises(ValidationFailed) as info:
        parse_round_form({"name": "r", "mechanism": "da", "cap:busan": "2"}, program, NOW)
    assert [p.loc[0] for p in info.value.problems] == ["mechanism"]


def test_a_published_round_cannot_be_edited_and_an_open_one_keeps_its_deadline(
    database: Database, world: dict[str, Any]
) -> None:
    rid = world["round"].id
    with database.session() as s:
        setup = RoundSetupService(s, _clock())
        setup.attach_openings(rid, [world["openings"][0].id], {}, OPERATOR)
        setup.add_participants(rid, [world["talents"][0].id], OPERATOR)
        setup.update_round(
            rid, {"name": "1차", "mechanism": "flexible-da", "preference_deadline": "2027-03-01T18:00"}, OPERATOR
        )
        setup.open(rid, OPERATOR)
        updated = setup.update_round(rid, {"name": "1차 (수정)", "mechanism": "flexible-da"}, OPERATOR)
        assert updated.name == "1차 (수정)"
        assert updated.preference_deadline is not None
        s.execute(update(RoundRow).where(RoundRow.id == rid).values(status="published"))
        with pytest.raises(InvalidState):
            setup.update_round(rid, {"name": "x"}, OPERATOR)


# -- eligibility, search, uploads ----------------------------------------------------------------------------


def test_eligibility_says_why_not(database: Database, world: dict[str, Any]) -> None:
    rid = world["round"].id
    with database.session() as s:
        setup = RoundSetupService(s, _clock())
        rnd = setup.rounds.get(rid)
        cards = {c["id"]: c for c in setup.talent_eligibility(rnd, [t.id for t in world["talents"]])}
        hidden = world["talents"][5].id
        assert not cards[hidden]["eligible"] and "agreed to be shown" in cards[hidden]["blockers"][0]
        assert all(cards[t.id]["eligible"] for t in world["talents"][:5])
        assert "No current employer: secondment rules cannot apply." in cards[world["talents"][0].id]["warnings"]
        openings = {c["id"]: c for c in setup.opening_eligibility(rnd, [o.id for o in world["openings"]])}
        assert openings[world["openings"][2].id]["blockers"] == ["The opening is closed or filled."]
        with pytest.raises(ValidationFailed) as info:
            setup.add_participants(rid, [world["talents"][0].id, hidden, 99_999], OPERATOR)
        assert len(info.value.problems) == 2
        assert setup.rounds.participants(rid) == []  # all or nothing
        found = setup.find_talents(rid, skill="pytorch", region="busan")
        assert found["total"] == 6 and found["searched"]
        assert setup.find_talents(rid)["searched"] is False


def test_an_openings_file_is_reported_row_by_row(database: Database, world: dict[str, Any], tmp_path: Path) -> None:
    from talentbridge.services.file_writing import write_xlsx

    path = tmp_path / "openings.xlsx"
    write_xlsx(
        path,
        ["external_id", "seats"],
        [
            {"external_id": "O-1", "seats": 1},
            {"external_id": "O-2", "seats": "two"},
            {"external_id": "O-3", "seats": ""},
            {"external_id": "O-9", "seats": 1},
            {"external_id": "O-1", "seats": 1},
        ],
    )
    rid = world["round"].id
    with database.session() as s:
        report = RoundSetupService(s, _clock()).upload(rid, path, "openings", OPERATOR)
        seats = {o.opening_id: o.seats for o in RoundSetupService(s, _clock()).rounds.openings(rid)}
    assert [r["line"] for r in report.added] == [2]
    reasons = {r["line"]: r["reason"] for r in report.refused}
    assert reasons == {
        3: "Seats are a whole number of 1 or more.",
        4: "The opening is closed or filled.",
        5: "No opening with this external id.",
        6: "The same opening appears twice in the file.",
    }
    assert seats == {world["openings"][0].id: 1}
    assert ("upload_openings", "round", rid) in _audit(database)


# -- runs, comparison, publication ---------------------------------------------------------------------------


def _matched(database: Database, world: dict[str, Any]) -> int:
    rid = world["round"].id
    o = [x.id for x in world["openings"][:2]]
    with database.session() as s:
        review = RoundReviewService(s, _clock())
        review.setup.attach_openings(rid, o, {o[0]: "1"}, OPERATOR)
        review.setup.add_participants(rid, [t.id for t in world["talents"][:5]], OPERATOR)
        review.setup.open(rid, OPERATOR)
        for i, t in enumerate(world["talents"][:5]):
            review.rounds.submit_talent_preferences(rid, t.id, [o[0], o[1]] if i % 2 else [o[0]])
        review.setup.close(rid, OPERATOR)
        review.setup.generate(rid, OPERATOR)
        review.run(rid, "da", None, OPERATOR)
        review.run(rid, "max-welfare", None, OPERATOR)
    return rid


def test_runs_are_compared_side_by_side(database: Database, world: dict[str, Any]) -> None:
    rid = _matched(database, world)
    with database.session() as s:
        data = RoundReviewService(s, _clock()).compare(rid)
    da, welfare = data["runs"]
    assert (da["mechanism"], welfare["mechanism"]) == ("da", "max-welfare")
    for run in (da, welfare):
        assert run["placed"] + run["unmatched"] == 5
        assert run["placed"] + run["empty_seats"] == run["seats"] == 3
        assert sum(run["ranks"]) == run["placed"]
        assert len(run["unmatched_list"]) == run["unmatched"]
        assert sum(run["unmatched_by_reason"].values()) == run["unmatched"]
    assert da["changed_vs_first"] == 0
    assert da["blocking_pairs"] == 0  # deferred acceptance is stable
    assert data["rank_rows"] == list(range(1, len(da["ranks"]) + 1))
    with pytest.raises(ValidationFailed):
        RoundReviewService(s, _clock()).run(rid, "random", None, OPERATOR)


def test_publishing_records_approval_and_tells_each_participant(database: Database, world: dict[str, Any]) -> None:
    rid = _matched(database, world)
    with database.session() as s:
        review = RoundReviewService(s, _clock())
        assert participant_result(s, rid, world["talents"][0].id) is None  # not before publication
        run_id = review.rounds.runs(rid)[0].id
        out = review.publish(rid, run_id, OPERATOR)
        assert out["participants_notified"] == 5
        results = [participant_result(s, rid, t.id) for t in world["talents"][:5]]
    assert sum(1 for r in results if r and r["placed"]) == out["placements"]
    for r in results:
        assert r is not None
        if r["placed"]:
            assert r["title"] in ("서울 비전", "부산 검사") and r["rank"] in (1, 2)
        else:
            assert r["reason"] in ("capacity", "no_acceptable_choice", "empty_list", "regional_cap")
    actions = [a for a, e, i in _audit(database) if e == "round" and i == rid]
    assert actions == [
        "create",
        "attach_openings",
        "add_participants",
        "open_submission",
        "close_submission",
        "generate_rankings",
        "run",
        "run",
        "approve",
        "publish",
    ]


# -- placements ----------------------------------------------------------------------------------------------


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy machine is not a bug
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from([1, 3, 6, 12, 25]))
def test_due_date_is_the_same_day_months_later_or_the_months_last_day(start: date, months: int) -> None:
    due = due_date(start, months)
    assert (due.year - start.year) * 12 + due.month - start.month == months
    assert due.day == start.day or (due.day < start.day and (due + timedelta(days=1)).day == 1)


def test_follow_ups_are_recorded_when_due_by_the_operator_or_the_own_organization(
    database: Database, world: dict[str, Any]
) -> None:
    rid = _matched(database, world)
    with database.session() as s:
        review = RoundReviewService(s, _clock())
        pid = review.publish(rid, review.rounds.runs(rid)[0].id, OPERATOR)["placement_ids"][0]
    later = datetime(2027, 7, 2, tzinfo=UTC)  # 3 months after the 2027-04-01 start, not yet 6
    with database.session() as s:
        service = PlacementService(s, _clock(later))
        row = service._placement(pid, None)
        own, other = row.organization_id, next(o.id for o in world["orgs"] if o.id != row.organization_id)
        org_actor = Actor(2, "org_member", "담당자 <org@test.kr>")
        with pytest.raises(ValidationFailed) as info:
            service.record_followup(pid, 6, {"retained": "yes"}, org_actor, organization_id=own)
        assert info.value.problems[0].msg == "This follow-up is not due yet."
        with pytest.raises(PermissionDenied):
            service.record_followup(pid, 3, {"retained": "yes"}, org_actor, organization_id=other)
        service.record_followup(pid, 3, {"retained": "no", "note": "이직"}, org_actor, organization_id=own)
        service.record_followup(pid, 3, {"retained": "yes"}, OPERATOR)  # corrected by the operator
        with pytest.raises(ValidationFailed):
            service.update(pid, {"start_date": "2027-04-01", "status": "ended_early"}, OPERATOR)
        service.update(
            pid,
            {"start_date": "2027-04-01", "end_date": "2027-06-30", "status": "ended_early", "end_reason": "이직"},
            OPERATOR,
        )
        listed = {p["id"]: p for p in service.list(organization_id=own)}[pid]
        assert listed["status"] == "ended_early" and listed["end_reason"] == "이직"
        three = listed["followups"][0]
        assert three["recorded"] and three["retained"] is True and three["recorded_by"] == OPERATOR.label
        assert not listed["followups"][1]["is_due"]
        assert service.retention(round_id=rid)[3]["retained"] == 1
    assert [a for a, e, i in _audit(database) if e == "placement"] == ["followup", "followup", "update"]


def test_publishing_sends_a_round_published_notice_per_participant_when_notifications_exist(
    database: Database, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    sent: list[dict[str, Any]] = []

    def notify(
        session: Any, account_id: Any = None, talent_id: Any = None, kind: str = "", params: Any = None
    ) -> list[int]:
        sent.append({"talent_id": talent_id, "kind": kind, **(params or {})})
        return [len(sent)]

    module = types.ModuleType("talentbridge.services.notifications")
    module.notify = notify  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "talentbridge.services.notifications", module)
    rid = _matched(database, world)
    with database.session() as s:
        review = RoundReviewService(s, _clock())
        run = review.rounds.runs(rid)[0]
        out = review.publish(rid, run.id, OPERATOR)
        result = review.rounds.result(rid)
    assert out["notifications"] == 5 == len(sent)
    placed = {a["talent_id"]: a["opening_id"] for a in result["assignments"]}
    titles = {o.id: o.title for o in world["openings"]}
    for notice in sent:
        assert notice["kind"] == "round_published" and notice["round_id"] == rid and notice["round_name"] == "1차"
        if notice["talent_id"] in placed:
            assert notice["outcome"] == "matched" and notice["opening_title"] == titles[placed[notice["talent_id"]]]
        else:
            assert notice["outcome"] == "unmatched" and "opening_title" not in notice
