"""AI Basic Act records on SQLite and PostgreSQL: one record per recommendation list shown (API and pages), per
generated round ranking, per round run and per approval; the notice and review link on every ranking; the human
review journey (request → operators notified → answer → requester notified and sees it); erasure of the free
text; the documentation pack (HTML in Korean and English, PDF) with the fairness audit and its flags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from tests.conftest import make_account

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.domain.errors import ValidationFailed
from talentbridge.services import ai_pack, ai_records, ai_reviews
from talentbridge.services.job_queue import job_queue, reset_job_queues
from talentbridge.services.recommend import reset_indexes
from talentbridge.services.rounds import RoundService
from talentbridge.storage import Database
from talentbridge.storage.ai_record_tables import AiHumanReviewRow, AiRunRecordRow
from talentbridge.storage.notification_tables import NotificationRow
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app

ALL = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]


@pytest.fixture
def world(tmp_path: Path, database: Database) -> Iterator[dict[str, Any]]:
    """An organization with an internship, five talents (two women, three men, one foreign), a round with both
    openings, everyone a participant, the talents' lists submitted; clients for each role."""
    reset_indexes()
    reset_job_queues()
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    app = create_app(settings, database)
    with database.session() as s:
        repos = Repositories(s)
        org = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        opening = repos.openings.add(
            OpeningData(
                organization_id=org.id, kind="internship", title="비전 인턴", region="seoul", status="open",
                required_skills=[{"skill_id": "pytorch", "min_level": 3, "importance": "must"}],
            )
        )  # fmt: skip
        second = repos.openings.add(
            OpeningData(
                organization_id=org.id, kind="internship", title="데이터 인턴", region="busan", status="open",
                required_skills=[{"skill_id": "python", "min_level": 2, "importance": "must"}],
            )
        )  # fmt: skip
        people = [
            ("가나", 5, "female", 1999, "KR"),
            ("다라", 4, "male", 1990, "KR"),
            ("마바", 3, "male", 1985, "VN"),
            ("사아", 2, "female", 2001, "KR"),
            ("자차", 4, "male", 1995, "KR"),
        ]
        talents = [
            repos.talents.add(
                TalentData(
                    name=name, category="student", region="seoul", nationality=nat, gender=gender,
                    birth_year=born, consent_visible=True, employment_types=ALL,
                    visa_type="D-2" if nat != "KR" else None,
                    skills=[{"skill_id": "pytorch", "level": level}, {"skill_id": "python", "level": 3}],
                )
            )
            for name, level, gender, born, nat in people
        ]  # fmt: skip
        svc = RoundService(s)
        program = svc.create_program({"name": "2027 인턴십", "kind": "internship"})
        rnd = svc.create_round({"program_id": program.id, "name": "1차"})
        svc.attach_opening(rnd.id, opening.id, seats=1)
        svc.attach_opening(rnd.id, second.id, seats=1)
        for t in talents:
            svc.add_participant(rnd.id, t.id)
        svc.open(rnd.id)
        for t in talents:
            svc.submit_talent_preferences(rnd.id, t.id, [opening.id, second.id], actor="talent")
        ids = {"org": org.id, "opening": opening.id, "second": second.id, "round": rnd.id,
               "talents": [t.id for t in talents]}  # fmt: skip
    clients: list[TestClient] = []

    def client(role: str, **fields: Any) -> TestClient:
        user_id, token = make_account(database, role, **fields)
        c = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        c.__enter__()
        c.user_id = user_id  # type: ignore[attr-defined]
        clients.append(c)
        return c

    yield {**ids, "db": database, "settings": settings, "client": client}
    for c in clients:
        c.__exit__(None, None, None)
    job_queue(database, settings).wait(60)
    reset_job_queues()


def _records(db: Database, kind: str | None = None) -> list[AiRunRecordRow]:
    with db.session() as s:
        stmt = select(AiRunRecordRow).order_by(AiRunRecordRow.id)
        if kind:
            stmt = stmt.where(AiRunRecordRow.kind == kind)
        return list(s.scalars(stmt))


def _run_round(world: dict[str, Any]) -> tuple[int, int]:
    with world["db"].session(write=True) as s:
        svc = RoundService(s)
        svc.close(world["round"])
        svc.generate_organization_rankings(world["round"], scope="all", actor="운영자 <op@test.kr>")
        run = svc.run(world["round"], actor="운영자 <op@test.kr>")
        svc.publish(world["round"], run.id, actor="승인자 <boss@test.kr>")
        return world["round"], run.id


def test_every_api_list_is_recorded_once_with_its_output_and_carries_the_notice(world: dict[str, Any]) -> None:
    org = world["client"]("org_member", organization_id=world["org"])
    r = org.get(f"/api/openings/{world['opening']}/recommendations?top=3")
    assert r.status_code == 200, r.text
    body = r.json()
    notice = body["ai_notice"]
    assert notice["text"]["ko"] and notice["text"]["en"] and notice["human_review"]["page"].endswith(notice["record"])
    [rec] = _records(world["db"], "recommendation_list")
    assert rec.key == notice["record"] and rec.items == len(body["items"]) == 3
    assert rec.output == [[i["talent_id"], i["score"]] for i in body["items"]]
    assert rec.subject_type == "opening" and rec.subject_id == world["opening"]
    assert rec.seen_by_user_id == org.user_id and rec.seen_by_role == "org_member"  # type: ignore[attr-defined]
    assert rec.weights == body["weights"] and rec.inputs["top"] == 3
    assert rec.models["scorer"] == "matching.fit_score" and rec.models["software_version"]

    me = world["client"]("talent", talent_id=world["talents"][0])
    body = me.get(f"/api/talents/{world['talents'][0]}/recommendations").json()
    assert body["ai_notice"]["record"]
    recs = _records(world["db"], "recommendation_list")
    assert len(recs) == 2 and recs[1].output == [[i["opening_id"], i["score"]] for i in body["items"]]
    assert recs[1].subject_type == "talent"


def test_pages_that_rank_people_carry_the_notice_and_a_review_link_to_their_record(world: dict[str, Any]) -> None:
    me = world["client"]("talent", talent_id=world["talents"][0])
    for path in ("/me/recommendations", f"/me/openings/{world['opening']}"):
        html = me.get(path).text
        assert 'class="ai-notice"' in html, path
        key = html.split('href="/ai/reviews/new?record=', 1)[1].split('"', 1)[0]
        assert key in {r.key for r in _records(world["db"])}, path
    org = world["client"]("org_member", organization_id=world["org"])
    html = org.get(f"/org/openings/{world['opening']}").text
    key = html.split('href="/ai/reviews/new?record=', 1)[1].split('"', 1)[0]
    [rec] = [r for r in _records(world["db"]) if r.key == key]
    assert rec.subject_id == world["opening"] and rec.seen_by_role == "org_member"


def test_round_generation_run_and_approval_are_recorded(world: dict[str, Any]) -> None:
    round_id, run_id = _run_round(world)
    generated = _records(world["db"], "generated_ranking")
    assert sorted(r.subject_id for r in generated) == sorted([world["opening"], world["second"]])
    first = next(r for r in generated if r.subject_id == world["opening"])
    assert {t for t, _ in first.output} == set(world["talents"]) and all(s is not None for _, s in first.output)
    assert first.models["scorer"] == "matching.fit_score" and "internship" in first.weights["by_kind"]
    assert first.actor == "운영자 <op@test.kr>" and first.round_id == round_id
    [ran] = _records(world["db"], "round_run")
    assert ran.subject_id == run_id and ran.models["mechanism"] and ran.inputs["result_hash"]
    assert sum(1 for _, o in ran.output if o is not None) == 2
    [approved] = _records(world["db"], "round_approval")
    assert approved.actor == "승인자 <boss@test.kr>" and approved.inputs["placements"] == 2


def test_review_request_reaches_operators_who_answer_and_the_requester_reads_it(world: dict[str, Any]) -> None:
    talent = world["talents"][3]
    me = world["client"]("talent", talent_id=talent)
    operator = world["client"]("operator")
    key = me.get(f"/api/talents/{talent}/recommendations").json()["ai_notice"]["record"]
    r = me.post("/api/ai/reviews", json={"record": key, "reason": "제 파이썬 경력이 반영되지 않은 것 같습니다."})
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["status"] == "open" and review["record"] == key
    with world["db"].session() as s:
        kinds = [n.kind for n in s.scalars(select(NotificationRow).where(NotificationRow.user_id == operator.user_id))]  # type: ignore[attr-defined]
    assert kinds == ["ai_review_requested"]
    # another talent neither sees nor answers it
    other = world["client"]("talent", talent_id=world["talents"][4])
    assert other.get(f"/api/ai/reviews/{review['id']}").status_code == 404
    assert other.post(f"/api/ai/reviews/{review['id']}/answer", json={"answer": "x"}).status_code == 403
    r = operator.post(f"/api/ai/reviews/{review['id']}/answer", json={"answer": "다시 확인했고 점수를 설명드립니다."})
    assert r.status_code == 200, r.text
    mine = me.get("/api/ai/reviews").json()["items"]
    assert [(m["status"], m["answer"]) for m in mine] == [("answered", "다시 확인했고 점수를 설명드립니다.")]
    html = me.get("/ai/reviews").text
    assert "다시 확인했고 점수를 설명드립니다." in html
    with world["db"].session() as s:
        notes = list(s.scalars(select(NotificationRow.kind).where(NotificationRow.user_id == me.user_id)))  # type: ignore[attr-defined]
    assert notes == ["ai_review_answered"]
    assert operator.post(f"/api/ai/reviews/{review['id']}/answer", json={"answer": "again"}).status_code == 409


def test_a_bad_request_reports_every_problem_at_once(world: dict[str, Any]) -> None:
    me = world["client"]("talent", talent_id=world["talents"][0])
    r = me.post("/api/ai/reviews", json={"reason": "  ", "subject": "people:7"})
    assert r.status_code == 422
    locs = {tuple(e["loc"])[-1] for e in r.json()["errors"]}
    assert {"reason", "subject"} <= locs
    assert me.post("/api/ai/reviews", json={"reason": "왜?", "record": "0" * 32}).status_code == 422


def test_a_round_result_review_attaches_the_approval_and_erasure_blanks_the_text(world: dict[str, Any]) -> None:
    _run_round(world)
    talent = world["talents"][1]
    me = world["client"]("talent", talent_id=talent)
    html = me.get("/me/rounds").text
    assert f'href="/ai/reviews/new?subject=round%3A{world["round"]}"' in html and "data-ai-notice" in html
    r = me.post("/api/ai/reviews", json={"subject": f"round:{world['round']}", "reason": "배정 결과를 다시 봐 주세요"})
    assert r.status_code == 201, r.text
    [approval] = _records(world["db"], "round_approval")
    assert r.json()["record"] == approval.key
    with world["db"].session(write=True) as s:
        assert ai_reviews.erase_talent(s, talent, [me.user_id]) == 1  # type: ignore[attr-defined]
    with world["db"].session() as s:
        row = s.scalars(select(AiHumanReviewRow)).one()
    assert row.reason == "" and row.answer is None and row.requester_user_id is None and row.status == "open"


def test_org_ranking_editor_carries_the_notice_for_generated_lists(world: dict[str, Any]) -> None:
    with world["db"].session(write=True) as s:
        RoundService(s).generate_organization_rankings(world["round"], scope="all", actor="org")
    org = world["client"]("org_member", organization_id=world["org"])
    html = org.get("/org/rounds").text
    subject = f"round%3A{world['round']}%3Aopening%3A{world['opening']}"
    assert f'href="/ai/reviews/new?subject={subject}"' in html


def test_round_pack_has_the_audit_with_flags_the_approval_and_a_korean_pdf(world: dict[str, Any]) -> None:
    _run_round(world)
    with world["db"].session(write=True) as s:
        fairness = ai_pack.round_fairness(s, world["round"])
        pack = ai_pack.generate(s, world["settings"], round_id=world["round"], actor="cli")
    # 2 of 5 placed; by hand: each group's rate over the best rate
    placed = fairness["placed"]
    assert fairness["participants"] == 5 and placed == 2 and fairness["approved"]
    for dim, rates in fairness["dimensions"].items():
        assert sum(g["eligible"] for g in rates) == 5 and sum(g["selected"] for g in rates) == 2, dim
        best = max(g["rate"] for g in rates if not g["small"] and g["group"] != "unknown")
        for g in rates:
            expected = g["rate"] / best if best else None
            assert g["impact_ratio"] == pytest.approx(expected)
            assert g["flagged"] == (expected is not None and expected < 0.8 and g["group"] != "unknown")
    assert set(fairness["dimensions"]) == {"gender", "age_band", "nationality", "region"}
    folder = Path(pack["folder"])
    assert pack["files"] == ["pack.html", "pack.en.html", "pack.pdf"]
    html = (folder / "pack.html").read_text(encoding="utf-8")
    assert "공정성 감사" in html and "승인자 &lt;boss@test.kr&gt;" in html and "all-MiniLM-L6-v2" in html
    assert "Fairness audit" in (folder / "pack.en.html").read_text(encoding="utf-8")
    pdf = (folder / "pack.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"NanumGothic" in pdf
    with world["db"].session() as s:
        assert [p["id"] for p in ai_pack.list_packs(s)] == [pack["id"]]


def test_operator_pages_list_records_and_make_a_pack_from_the_round_page(world: dict[str, Any]) -> None:
    _run_round(world)
    operator = world["client"]("operator")
    html = operator.get(f"/operator/rounds/{world['round']}").text
    assert 'id="make-ai-pack"' in html
    form = {"round_id": str(world["round"]), "nonce": "page-1"}
    r = operator.post("/operator/ai/packs", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_url = r.headers["location"]
    assert re.fullmatch(r"/jobs/\d+", job_url)  # the pack is made by a background job
    again = operator.post("/operator/ai/packs", data=form, follow_redirects=False)
    assert again.headers["location"] == job_url  # a double click is one job
    assert job_queue(world["db"], world["settings"]).wait(120)
    done = operator.get(job_url).text
    assert "AI 기본법 문서 패키지" in done and "/operator/ai/packs/" in done and "pack.pdf" in done
    page = operator.get("/operator/ai").text
    assert "round_approval" in page or "승인" in page
    with world["db"].session() as s:
        [pack] = ai_pack.list_packs(s)
    r = operator.get(f"/operator/ai/packs/{pack['id']}/pack.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert operator.get(f"/operator/ai/packs/{pack['id']}/..%2F..%2Fsecret").status_code == 404
    talent = world["client"]("talent", talent_id=world["talents"][0])
    assert talent.get("/operator/ai").status_code == 403
    assert talent.get("/api/ai/records").status_code == 403


def test_period_pack_covers_rounds_published_in_it(world: dict[str, Any]) -> None:
    _run_round(world)
    now = datetime.now(UTC)
    period = f"{now.year}-{now.month:02d}"
    with world["db"].session(write=True) as s:
        content = ai_pack.build_content(s, world["settings"], round_id=None, period=period)
        assert [r["round"]["id"] for r in content["rounds"]] == [world["round"]]
        assert content["counts"]["round_approval"] == 1
        assert "dimensions" in content["shortlists"]
        other = ai_pack.build_content(s, world["settings"], round_id=None, period=str(now.year - 1))
        assert other["rounds"] == []


def test_bad_periods_are_refused() -> None:
    for bad in ("2026-H3", "2026-13", "26-H1", "2026-Q0", ""):
        with pytest.raises(ValidationFailed):
            ai_pack.period_bounds(bad)


@given(st.integers(2000, 2100))
def test_period_parts_tile_the_year(year: int) -> None:
    halves = [ai_pack.period_bounds(f"{year}-H{h}") for h in (1, 2)]
    quarters = [ai_pack.period_bounds(f"{year}-Q{q}") for q in (1, 2, 3, 4)]
    months = [ai_pack.period_bounds(f"{year}-{m:02d}") for m in range(1, 13)]
    whole = ai_pack.period_bounds(str(year))
    for parts in (halves, quarters, months):
        assert parts[0][0] == whole[0] and parts[-1][1] == whole[1]
        assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))


def test_records_are_one_row_per_list_and_keep_long_outputs_whole(database: Database) -> None:
    result = {"talent": {"id": 1}, "top": 1000, "items": [{"opening_id": i, "score": 50.0} for i in range(1000)]}
    with database.session(write=True) as s:
        run = ai_records.record_shown(s, result, surface="test", viewer=ai_records.Viewer(label="t"))
    with database.session() as s:
        stored = ai_records.get_run(s, run.key)
        assert s.scalar(select(AiRunRecordRow.id).where(AiRunRecordRow.key == run.key)) == stored["id"]
    assert stored["items"] == 1000 and len(stored["output"]) == 1000


def test_cli_pack_of_a_round_and_a_period_and_a_missing_font(
    world: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge import config
    from talentbridge.cli import main

    _run_round(world)
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", world["db"].url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    config.get_settings.cache_clear()
    try:
        main(["aiact", "pack", "--round", str(world["round"]), "--output", str(tmp_path / "out")])
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["pack.en.html", "pack.html", "pack.pdf"]
        year = datetime.now(UTC).year
        main(["aiact", "pack", "--period", str(year), "--no-pdf", "--output", str(tmp_path / "year")])
        assert "공정성 감사" in (tmp_path / "year" / "pack.html").read_text(encoding="utf-8")
        monkeypatch.setenv("TALENTBRIDGE_PDF_FONT", str(tmp_path / "none.ttf"))
        with pytest.raises(SystemExit) as exc:
            main(["aiact", "pack", "--round", str(world["round"])])
        assert exc.value.code == 1 and "fonts-nanum" in capsys.readouterr().err
        main(["aiact", "packs"])
        assert len(capsys.readouterr().out.strip().splitlines()) == 2  # the refused one was not kept
    finally:
        config.get_settings.cache_clear()
