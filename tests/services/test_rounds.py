"""The round workflow service on SQLite and PostgreSQL: states, validation, generated rankings, runs,
publication, reproduction and what is stored for audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.domain.errors import InvalidState, NotFound, ValidationFailed
from talentbridge.services.rounds import RoundService, area_of, check_caps, digest, skill_overlap_score
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.round_tables import RoundRunRow

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


def _svc(session: Any, now: datetime = NOW) -> RoundService:
    return RoundService(session, clock=lambda: now)


def _world(
    database: Database, caps: dict[str, int] | None = None, kind: str = "talent_exchange"
) -> dict[str, Any]:
    """Three organizations, four openings (Seoul, Gyeonggi, Ulsan x2), six talents, a draft round."""
    with database.session() as s:
        repos = Repositories(s)
        orgs = {
            "vision": repos.organizations.add(
                OrganizationData(name="비전랩", kind="ai_startup", region="seoul")
            ),
            "robot": repos.organizations.add(
                OrganizationData(name="경기로봇", kind="ai_startup", region="gyeonggi")
            ),
            "maker": repos.organizations.add(
                OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan")
            ),
        }
        skills = [
            {"skill_id": "pytorch", "min_level": 3, "importance": "must"},
            {"skill_id": "python", "min_level": 3, "importance": "should"},
        ]
        openings = {
            "seoul": repos.openings.add(
                OpeningData(
                    organization_id=orgs["vision"].id,
                    kind="secondment_slot",
                    title="비전 AI",
                    region="seoul",
                    required_skills=skills,
                    seats=1,
                    status="open",
                    start_date="2027-04-01",
                )
            ),
            "gyeonggi": repos.openings.add(
                OpeningData(
                    organization_id=orgs["robot"].id,
                    kind="secondment_slot",
                    title="로봇 AI",
                    region="gyeonggi",
                    required_skills=skills,
                    seats=1,
                    status="open",
                )
            ),
            "ulsan": repos.openings.add(
                OpeningData(
                    organization_id=orgs["maker"].id,
                    kind="secondment_slot",
                    title="검사 AI",
                    region="ulsan",
                    required_skills=skills[:1],
                    seats=2,
                    status="open",
                )
            ),
            "ulsan2": repos.openings.add(
                OpeningData(
                    organization_id=orgs["maker"].id,
                    kind="secondment_slot",
                    title="예지보전",
                    region="ulsan",
                    required_skills=skills[1:],
                    seats=1,
                    status="open",
                )
            ),
        }
        talents = []
        for i in range(6):
            talents.append(
                repos.talents.add(
                    TalentData(
                        name=f"인재{i}",
                        region="seoul" if i % 2 else "ulsan",
                        skills=[
                            {"skill_id": "pytorch", "level": 2 + i % 4},
                            {"skill_id": "python", "level": 5 - i % 3},
                        ],
                        employment_types=["secondment"],
                        current_employer_id=orgs["vision"].id if i == 0 else None,
                    )
                )
            )
        svc = _svc(s)
        program = svc.create_program({"name": "2027 인재교류", "kind": kind, "start_date": "2027-03-01"})
        rnd = svc.create_round(
            {"program_id": program.id, "name": "1차", "regional_caps": caps or {}, "seed": 7}
        )
    return {"orgs": orgs, "openings": openings, "talents": talents, "program": program, "round": rnd}


def _collecting(database: Database, world: dict[str, Any], deadline: datetime | None = None) -> int:
    rid = world["round"].id
    with database.session() as s:
        svc = _svc(s)
        for o in world["openings"].values():
            svc.attach_opening(rid, o.id)
        for t in world["talents"]:
            svc.add_participant(rid, t.id)
        svc.open(rid, deadline)
    return rid


def _submit_talent_lists(database: Database, world: dict[str, Any]) -> None:
    o = world["openings"]
    orders = [
        [o["seoul"].id, o["ulsan"].id],
        [o["seoul"].id, o["gyeonggi"].id, o["ulsan"].id],
        [o["gyeonggi"].id, o["seoul"].id],
        [o["ulsan"].id, o["ulsan2"].id, o["seoul"].id],
        [o["seoul"].id, o["ulsan2"].id],
        [o["gyeonggi"].id, o["ulsan"].id, o["ulsan2"].id],
    ]
    with database.session() as s:
        svc = _svc(s)
        for talent, order in zip(world["talents"], orders, strict=True):
            svc.submit_talent_preferences(world["round"].id, talent.id, order, actor=f"talent {talent.id}")


def test_whole_workflow_end_to_end(database: Database) -> None:
    world = _world(database)
    rid = _collecting(database, world, NOW + timedelta(days=7))
    _submit_talent_lists(database, world)
    with database.session() as s:
        svc = _svc(s)
        assert svc.get(rid).status.value == "collecting"
        svc.close(rid)
        generated = svc.generate_organization_rankings(rid, actor="operator")
        assert generated["scorer"] == "matching.fit_score"
        assert set(generated["generated"]) == {str(o.id) for o in world["openings"].values()}
        run = svc.run(rid, "da", "applicants", actor="operator")
    assert run.diagnostics["blocking_pairs"] == 0

    with database.session() as s:  # a fresh transaction reads back what was stored
        svc = _svc(s)
        stored = svc.get_run(rid, run.id)
        assert (stored.mechanism, stored.proposing, stored.seed, stored.created_by) == (
            "da",
            "applicants",
            7,
            "operator",
        )
        assert stored.instance["seed"] == 7
        assert {a["id"] for a in stored.instance["applicants"]} == {f"t{t.id}" for t in world["talents"]}
        assert {p["id"]: p["capacity"] for p in stored.instance["programs"]} == {
            f"o{o.id}": o.seats for o in world["openings"].values()
        }
        assert set(stored.result["assignments"]) == {f"t{t.id}" for t in world["talents"]}
        assert stored.result_hash == digest({**stored.result, "diagnostics": stored.diagnostics})
        detail = svc.run_detail(stored)
        seats = {o.id: o.seats for o in world["openings"].values()}
        taken: dict[int, int] = {}
        for pair in detail["assignments"]:
            taken[pair["opening_id"]] = taken.get(pair["opening_id"], 0) + 1
            assert pair["talent_rank"] >= 1 and pair["opening_rank"] >= 1
        assert all(taken[o] <= seats[o] for o in taken)
        assert svc.get(rid).status.value == "matched"

        out = svc.publish(rid, run.id, "김운영 (operator)")
    assert out["placements"] == len(detail["assignments"]) > 0

    with database.session() as s:
        svc = _svc(s)
        rnd = svc.get(rid)
        assert rnd.status.value == "published" and rnd.published_by == "김운영 (operator)"
        assert rnd.published_at is not None
        placements = Repositories(s).placements.list({"round_id": rid}, size=100).items
        pairs = {(p.talent_id, p.opening_id) for p in placements}
        assert pairs == {(a["talent_id"], a["opening_id"]) for a in detail["assignments"]}
        org_of = {o.id: o.organization_id for o in world["openings"].values()}
        for p in placements:
            assert p.status.value == "planned" and p.kind.value == "secondment"
            assert p.organization_id == org_of[p.opening_id]
        seoul = world["openings"]["seoul"].id
        assert {p.start_date.isoformat() for p in placements if p.opening_id == seoul} <= {"2027-04-01"}
        assert {p.start_date.isoformat() for p in placements if p.opening_id != seoul} <= {"2027-03-01"}
        result = svc.result(rid)
        assert result["run_id"] == run.id and result["published_by"] == "김운영 (operator)"
        assert sorted(result["placement_ids"]) == sorted(p.id for p in placements)
        assert svc.runs(rid)[0].published_by == "김운영 (operator)"

        again = svc.reproduce(run.id)
    assert again["identical"] is True and again["differences"] == []
    assert again["input_hash_matches"] and again["reproduced_result_hash"] == run.result_hash


def test_wrong_state_actions_are_refused_with_a_clear_message(database: Database) -> None:
    world = _world(database)
    rid = world["round"].id
    talent, opening = world["talents"][0], world["openings"]["seoul"]
    with database.session() as s:
        svc = _svc(s)
        with pytest.raises(
            InvalidState, match="attach at least one opening and add at least one participant"
        ):
            svc.open(rid)
        svc.attach_opening(rid, opening.id)
        svc.add_participant(rid, talent.id)
        with pytest.raises(
            InvalidState, match=r"cannot submit preferences: round \d+ is draft \(open it first\)"
        ):
            svc.submit_talent_preferences(rid, talent.id, [opening.id])
        with pytest.raises(InvalidState, match="cannot run the match: round .* is draft"):
            svc.run(rid)
        svc.open(rid)
        svc.submit_talent_preferences(rid, talent.id, [opening.id])
        with pytest.raises(InvalidState, match="preference submission is still open: close it first"):
            svc.run(rid)
        with pytest.raises(InvalidState, match="cannot open preference submission: round .* is collecting"):
            svc.open(rid)
        svc.close(rid)
        with pytest.raises(InvalidState, match="cannot attach an opening: round .* is closed"):
            svc.attach_opening(rid, world["openings"]["ulsan"].id)
        with pytest.raises(InvalidState, match="cannot submit preferences: round .* is closed"):
            svc.submit_talent_preferences(rid, talent.id, [])
        with pytest.raises(InvalidState, match="cannot publish: round .* is closed \\(it has no run yet"):
            svc.publish(rid, 1, "someone")
        with pytest.raises(InvalidState, match="have no ranking of talents") as info:
            svc.run(rid)
        assert info.value.details["opening_ids"] == [opening.id]
        svc.generate_organization_rankings(rid, scope="all")
        run = svc.run(rid)
        with pytest.raises(ValidationFailed, match="name the person"):
            svc.publish(rid, run.id, "  ")
        with pytest.raises(ValidationFailed, match="published_by is too long"):
            svc.publish(rid, run.id, "김" * 201)
        svc.publish(rid, run.id, "박승인")
        with pytest.raises(
            InvalidState, match="cannot publish: round .* is published \\(published by 박승인"
        ):
            svc.publish(rid, run.id, "박승인")
        with pytest.raises(InvalidState, match="cannot run the match"):
            svc.run(rid)


def test_submissions_after_the_deadline_are_refused(database: Database) -> None:
    world = _world(database)
    rid = _collecting(database, world, NOW + timedelta(hours=1))
    talent, opening = world["talents"][1], world["openings"]["seoul"]
    with database.session() as s:
        _svc(s, NOW + timedelta(minutes=59)).submit_talent_preferences(rid, talent.id, [opening.id])
        with pytest.raises(
            InvalidState, match="the deadline of round .* passed at 2027-02-01T10:00:00\\+00:00"
        ):
            _svc(s, NOW + timedelta(hours=1, seconds=1)).submit_talent_preferences(rid, talent.id, [])
    with database.session() as s, pytest.raises(ValidationFailed) as info:
        fresh = _world(database)
        svc = _svc(s)
        svc.attach_opening(fresh["round"].id, fresh["openings"]["seoul"].id)
        svc.add_participant(fresh["round"].id, fresh["talents"][0].id)
        svc.open(fresh["round"].id, NOW - timedelta(seconds=1))
    assert info.value.problems[0].loc == ("preference_deadline",)


def test_bad_lists_report_every_bad_entry_and_save_nothing(database: Database) -> None:
    world = _world(database)
    rid = _collecting(database, world)
    o, t = world["openings"], world["talents"]
    with database.session() as s:
        svc = _svc(s)
        with pytest.raises(ValidationFailed) as info:
            svc.submit_talent_preferences(
                rid, t[0].id, [o["seoul"].id, 99999, o["seoul"].id, "x", [o["ulsan"].id]]
            )
        problems = {p.loc: (p.type, p.msg) for p in info.value.problems}
        assert problems == {
            ("ranking", 1): ("unknown_id", f"opening 99999 is not attached to round {rid}"),
            ("ranking", 2): ("duplicate", f"opening {o['seoul'].id} is listed twice (first at position 1)"),
            ("ranking", 3): ("invalid", "an opening id is a whole number"),
            ("ranking", 4): ("invalid", "a talent ranks openings one by one (no ties)"),
        }
        with pytest.raises(ValidationFailed) as info:
            svc.submit_opening_preferences(rid, o["ulsan"].id, [t[0].id, [t[1].id, t[0].id], 424242])
        assert [(p.loc, p.type) for p in info.value.problems] == [
            (("ranking", 1, 1), "duplicate"),
            (("ranking", 2), "unknown_id"),
        ]
        with pytest.raises(NotFound, match="is not a participant of round"):
            svc.submit_talent_preferences(rid, 424242, [])
        with pytest.raises(NotFound, match="is not attached to round"):
            svc.submit_opening_preferences(rid, 424242, [])
        assert svc.preferences(rid) == []
        # a batch: every list's problems at once, nothing saved
        from talentbridge.services.rounds import PreferenceInput

        with pytest.raises(ValidationFailed) as info:
            svc.submit_many(
                rid,
                [
                    PreferenceInput("talent", t[0].id, [o["seoul"].id]),
                    PreferenceInput("talent", 777777, [o["seoul"].id], line=3),
                    PreferenceInput("opening", o["seoul"].id, [t[0].id, 888888], line=4),
                    PreferenceInput("talent", t[0].id, [], line=5),
                ],
                what="prefs.csv",
            )
        assert [(p.loc, p.line) for p in info.value.problems] == [
            (("talents", 777777), 3),
            (("openings", o["seoul"].id, "ranking", 1), 4),
            (("talents", t[0].id), 5),
        ]
        assert svc.preferences(rid) == []
        # ties on the opening side are kept; a one-member tie is a plain entry
        saved = svc.submit_opening_preferences(rid, o["ulsan"].id, [[t[2].id, t[1].id], [t[0].id]])
        assert saved.ranking == [[t[2].id, t[1].id], t[0].id] and saved.source == "submitted"


def test_generated_rankings_follow_fit_scores_keep_submitted_lists_and_can_be_edited(
    database: Database,
) -> None:
    world = _world(database)
    rid = _collecting(database, world)
    _submit_talent_lists(database, world)
    o, t = world["openings"], world["talents"]
    with database.session() as s:
        svc = _svc(s)
        svc.submit_opening_preferences(rid, o["gyeonggi"].id, [t[5].id, t[2].id], actor="경기로봇")
        out = svc.generate_organization_rankings(rid, actor="operator")
        assert out["kept"] == [o["gyeonggi"].id]
        lists = {p.owner_id: p for p in svc.preferences(rid, "opening")}
        assert lists[o["gyeonggi"].id].ranking == [t[5].id, t[2].id]
        seoul = lists[o["seoul"].id]
        assert (
            seoul.source == "generated" and seoul.submitted_by == "operator" and seoul.scorer == out["scorer"]
        )
        # the scores are the matching core's fit scores (taxonomy graph, default weights, the service's date)
        from talentbridge.matching import SkillGraph, fit_score, weights_for
        from talentbridge.services.taxonomy import load_taxonomy

        graph, weights = SkillGraph(load_taxonomy(s)), weights_for("secondment_slot")
        for i in (1, 3):
            expected = fit_score(t[i], o["seoul"], graph, weights, today=NOW.date()).score
            assert seoul.scores[str(t[i].id)] == pytest.approx(expected, abs=1e-4)
        # applicants scope: exactly the talents who listed the opening, ordered by score (ties grouped)
        listed_seoul = {0, 1, 2, 3, 4}
        flat = [x for e in seoul.ranking for x in (e if isinstance(e, list) else [e])]
        assert set(flat) == {t[i].id for i in listed_seoul} == {int(k) for k in seoul.scores}
        scores = [
            max(seoul.scores[str(x)] for x in (e if isinstance(e, list) else [e])) for e in seoul.ranking
        ]
        assert scores == sorted(scores, reverse=True)
        # an organization edits the generated list: source edited, scores kept
        edited = svc.submit_opening_preferences(rid, o["seoul"].id, list(reversed(flat)), actor="비전랩")
        assert edited.source == "edited" and edited.scores == seoul.scores
        # regenerating keeps edited lists; overwrite replaces them; edit= saves an edited list in one go
        svc.generate_organization_rankings(rid)
        assert svc.store.preference(rid, "opening", o["seoul"].id).source == "edited"
        svc.close(rid)
        out = svc.generate_organization_rankings(
            rid, opening_ids=[o["seoul"].id], overwrite=True, min_score=0.0, edit={o["ulsan2"].id: [t[3].id]}
        )
        assert out["edited"] == [o["ulsan2"].id]
        assert svc.store.preference(rid, "opening", o["seoul"].id).source == "generated"
        ulsan2 = svc.store.preference(rid, "opening", o["ulsan2"].id)
        assert ulsan2.ranking == [t[3].id] and ulsan2.source == "edited"
        with pytest.raises(ValidationFailed) as info:
            svc.generate_organization_rankings(
                rid, opening_ids=[55555], scope="everyone", edit={o["seoul"].id: [1, 1]}
            )
        assert {p.loc[0] for p in info.value.problems} == {"scope", "opening_ids", "edit"}


def test_skill_overlap_fallback_score() -> None:
    from talentbridge.domain import Opening, Talent

    opening = Opening(
        id=1,
        organization_id=1,
        kind="job",
        title="x",
        region="seoul",
        required_skills=[
            {"skill_id": "pytorch", "min_level": 3, "importance": "must"},
            {"skill_id": "sql", "min_level": 3, "importance": "nice"},
        ],
    )
    strong = Talent(id=1, name="a", skills=[{"skill_id": "pytorch", "level": 4}])
    weak = Talent(
        id=2, name="b", skills=[{"skill_id": "pytorch", "level": 2}, {"skill_id": "sql", "level": 3}]
    )
    assert skill_overlap_score(strong, opening) == 75.0  # 3 of 4 weight
    assert skill_overlap_score(weak, opening) == 62.5  # 1.5 + 1 of 4
    assert skill_overlap_score(strong, opening.model_copy(update={"required_skills": []})) == 0.0


def test_regional_caps_are_mapped_and_respected(database: Database) -> None:
    assert area_of("gyeonggi", {"capital": 3}) == "capital" and area_of("busan", {"capital": 3}) is None
    assert area_of("busan", {"busan": 1}) == "busan" and area_of(None, {"capital": 1}) is None
    assert {p.loc for p in check_caps({"capital": 2, "seoul": 1, "atlantis": 3, "ulsan": -1})} == {
        ("regional_caps", "seoul"),
        ("regional_caps", "atlantis"),
        ("regional_caps", "ulsan"),
    }

    world = _world(database, caps={"capital": 1})
    rid = _collecting(database, world)
    o, t = world["openings"], world["talents"]
    with database.session() as s:
        svc = _svc(s)
        capital = [o["seoul"].id, o["gyeonggi"].id]
        for talent in t:  # everyone prefers the capital area
            svc.submit_talent_preferences(rid, talent.id, [*capital, o["ulsan"].id])
        svc.close(rid)
        svc.generate_organization_rankings(rid, scope="all")
        instance = svc.build_instance(rid)
        regions = {p["id"]: p.get("region") for p in instance["programs"]}
        assert regions == {
            f"o{o['seoul'].id}": "capital",
            f"o{o['gyeonggi'].id}": "capital",
            f"o{o['ulsan'].id}": None,
            f"o{o['ulsan2'].id}": None,
        }
        assert instance["regions"] == [{"id": "capital", "cap": 1}]

        capped = svc.run(rid, "flexible-da")
        placed_capital = [a for a in svc.run_detail(capped)["assignments"] if a["opening_id"] in capital]
        assert len(placed_capital) <= 1
        assert capped.diagnostics["regions"]["capital"]["placed"] <= 1
        assert capped.diagnostics["regions"]["capital"]["over_cap"] == 0
        assert capped.diagnostics["blocking_pairs"] == 0

        plain = svc.run(rid, "da")  # DA ignores caps and reports the excess
        assert plain.diagnostics["regions"]["capital"]["placed"] == 2
        assert plain.summary["over_cap"] == 1
        assert [r.id for r in svc.runs(rid)] == [capped.id, plain.id]
        assert svc.review(rid)["run"]["run_id"] == plain.id


def test_secondment_rules_exclude_the_own_employer(database: Database) -> None:
    world = _world(database)
    rid = _collecting(database, world)
    o, t = world["openings"], world["talents"]
    with database.session() as s:
        svc = _svc(s)
        svc.submit_talent_preferences(
            rid, t[0].id, [o["seoul"].id]
        )  # talent 0 works for the Seoul opening's org
        svc.close(rid)
        # the applicants' scope keeps the pair in the lists (scope="all" already leaves the own employer out of a
        # generated ranking, tested below): the round's own secondment rule must exclude it at the run
        svc.generate_organization_rankings(rid, scope="applicants")
        instance = svc.build_instance(rid)
        applicant = next(a for a in instance["applicants"] if a["id"] == f"t{t[0].id}")
        assert applicant["employer"] == f"org{world['orgs']['vision'].id}"
        run = svc.run(rid)
        assert run.result["assignments"][f"t{t[0].id}"] is None
        assert run.diagnostics["excluded_pairs"]["own_employer"] == 1
        assert run.diagnostics["unmatched_reasons"][f"t{t[0].id}"]["reason"] == "no_acceptable_choice"


def test_reproduce_detects_an_altered_instance(database: Database) -> None:
    world = _world(database, kind="pbl")
    rid = _collecting(database, world)
    _submit_talent_lists(database, world)
    with database.session() as s:
        svc = _svc(s)
        svc.close(rid)
        svc.generate_organization_rankings(rid)
        run = svc.run(rid, "max-welfare", seed=3)
        assert "employer" not in str(run.instance)  # no secondment rules for PBL programmes
    with database.session() as s:
        assert _svc(s).reproduce(run.id)["identical"] is True
        row = s.scalar(select(RoundRunRow).where(RoundRunRow.id == run.id))
        instance = dict(row.instance)
        instance["programs"] = [{**p, "capacity": 0} for p in instance["programs"]]
        s.execute(update(RoundRunRow).where(RoundRunRow.id == run.id).values(instance=instance))
    with database.session() as s:
        out = _svc(s).reproduce(run.id)
    assert out["identical"] is False and out["input_hash_matches"] is False
    assert any(d.startswith("assignments of") for d in out["differences"])


def test_detach_and_remove_keep_lists_consistent(database: Database) -> None:
    world = _world(database)
    rid = _collecting(database, world)
    o, t = world["openings"], world["talents"]
    with database.session() as s:
        svc = _svc(s)
        svc.submit_talent_preferences(rid, t[0].id, [o["ulsan"].id])
        svc.submit_opening_preferences(rid, o["ulsan2"].id, [t[1].id])
        with pytest.raises(InvalidState, match="ranked by 1 talent"):
            svc.detach_opening(rid, o["ulsan"].id)
        with pytest.raises(InvalidState, match="ranked by 1 opening"):
            svc.remove_participant(rid, t[1].id)
        svc.detach_opening(rid, o["ulsan2"].id)  # drops its own list
        assert svc.store.preference(rid, "opening", o["ulsan2"].id) is None
        svc.remove_participant(rid, t[0].id)  # drops the talent's own list
        assert svc.store.preference(rid, "talent", t[0].id) is None
        assert {x.opening_id for x in svc.openings(rid)} == {o["seoul"].id, o["gyeonggi"].id, o["ulsan"].id}
        attached = svc.attach_opening(rid, o["ulsan"].id, seats=5)  # attaching again changes the seats
        assert attached.seats == 5 and attached.region == "ulsan"
        with pytest.raises(ValidationFailed):
            svc.attach_opening(rid, o["ulsan"].id, seats=0)
        with pytest.raises(NotFound):
            svc.attach_opening(rid, 123456)


def test_create_round_validates_caps_and_status(database: Database) -> None:
    world = _world(database)
    with database.session() as s:
        svc = _svc(s)
        with pytest.raises(ValidationFailed) as info:
            svc.create_round(
                {
                    "program_id": world["program"].id,
                    "name": "2차",
                    "status": "matched",
                    "regional_caps": {"capital": 5, "incheon": 1},
                }
            )
        assert {p.loc for p in info.value.problems} == {("status",), ("regional_caps", "incheon")}


def test_a_large_batch_of_lists_is_saved_and_replaced_in_one_go(database: Database) -> None:
    from talentbridge.services.rounds import PreferenceInput

    world = _world(database)
    rid = world["round"].id
    o = [x.id for x in world["openings"].values()]
    with database.session() as s:
        repos = Repositories(s)
        talents = [repos.talents.add(TalentData(name=f"지원자{i}")).id for i in range(60)]
        svc = _svc(s)
        svc.attach_opening(rid, o[0])
        svc.attach_opening(rid, o[1])
        for tid in talents:
            svc.add_participant(rid, tid)
        svc.open(rid)
        first = [PreferenceInput("talent", tid, [o[i % 2], o[(i + 1) % 2]]) for i, tid in enumerate(talents)]
        svc.submit_many(rid, [*first, PreferenceInput("opening", o[0], talents[::-1])], actor="import")
        svc.generate_organization_rankings(rid, opening_ids=[o[1]])
        again = [PreferenceInput("talent", tid, [o[0]]) for tid in talents]
        saved = svc.submit_many(rid, [*again, PreferenceInput("opening", o[1], talents)], actor="import 2")
    assert len(saved) == 61 and saved[-1].source == "edited" and saved[-1].scores
    with database.session() as s:
        lists = _svc(s).preferences(rid)
    assert len(lists) == 62
    assert {p.owner_id: p.ranking for p in lists if p.side == "talent"} == {tid: [o[0]] for tid in talents}
    assert {(p.side, p.owner_id, p.submitted_by) for p in lists if p.submitted_by != "import 2"} == {
        ("opening", o[0], "import")
    }
    assert {(p.owner_id, p.source) for p in lists if p.side == "opening"} == {
        (o[0], "submitted"),
        (o[1], "edited"),
    }


def test_rankings_for_every_participant_leave_out_the_ineligible(database: Database) -> None:
    """scope="all" ranks every *eligible* participant: a talent who works at the opening's organization (own
    employer, secondment) and one without a work permit are left out, and the answer says why."""
    world = _world(database)
    with database.session() as s:
        repos = Repositories(s)
        foreign = repos.talents.add(
            TalentData(name="Arjun", nationality="IN", employment_types=["secondment"],
                       skills=[{"skill_id": "pytorch", "level": 5}])  # fmt: skip
        )
    rid = _collecting(database, world)
    with database.session() as s:
        svc = _svc(s)
        svc.add_participant(rid, foreign.id)
        seoul = world["openings"]["seoul"].id
        out = svc.generate_organization_rankings(rid, opening_ids=[seoul], scope="all", actor="operator")
        ranked = {int(k) for k in svc.store.preference(rid, "opening", seoul).scores}
    own = world["talents"][0].id  # employed by the Seoul opening's organization
    assert own not in ranked and foreign.id not in ranked
    assert ranked == {t.id for t in world["talents"][1:]}
    assert out["excluded"] == {str(seoul): {"work_permit": 1, "own_employer": 1}}
