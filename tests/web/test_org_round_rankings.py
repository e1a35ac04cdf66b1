"""The organization's round ranking editor: generating ranks every participant of the round (not only those who
listed the opening) by the fit score the opening's page shows; a list saved unchanged stays "generated"; ties
are kept; edits are in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.services.recommend import RecommendService
from talentbridge.services.rounds import RoundService
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app
from tests.conftest import make_account


@pytest.fixture
def world(tmp_path: Path, sqlite_database: Database) -> Iterator[dict[str, Any]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)
    with sqlite_database.session() as s:
        repos = Repositories(s)
        org = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup", region="seoul"))
        opening = repos.openings.add(
            OpeningData(
                organization_id=org.id, kind="internship", title="비전 인턴", region="seoul", status="open",
                required_skills=[{"skill_id": "pytorch", "min_level": 3, "importance": "must"}],
            )
        )  # fmt: skip
        talents = [
            repos.talents.add(
                TalentData(
                    name=name,
                    category="student",
                    region="seoul",
                    nationality="KR",
                    consent_visible=True,
                    skills=[{"skill_id": "pytorch", "level": level}],
                    employment_types=["internship"],
                )
            )  # fmt: skip
            for name, level in (("가나", 4), ("다라", 2), ("마바", 3))
        ]
        svc = RoundService(s)
        program = svc.create_program({"name": "2027 인턴십", "kind": "internship"})
        rnd = svc.create_round({"program_id": program.id, "name": "1차"})
        svc.attach_opening(rnd.id, opening.id)
        second = repos.openings.add(
            OpeningData(organization_id=org.id, kind="internship", title="데이터 인턴", region="seoul", status="open")
        )
        svc.attach_opening(rnd.id, second.id)
        for t in talents:
            svc.add_participant(rnd.id, t.id)
        svc.open(rnd.id)
        # only the first talent lists the opening
        svc.submit_talent_preferences(rnd.id, talents[0].id, [opening.id], actor="talent")
        ids = {"org": org.id, "opening": opening.id, "second": second.id, "round": rnd.id}
        ids["talents"] = [t.id for t in talents]
    _, token = make_account(sqlite_database, "org_member", organization_id=ids["org"])
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield {**ids, "client": client, "db": sqlite_database, "settings": settings}


def _preference(world: dict[str, Any]) -> Any:
    with world["db"].session() as s:
        return RoundService(s).store.preference(world["round"], "opening", world["opening"])


def _ranked(world: dict[str, Any]) -> dict[int, str]:
    """Talent id → the rank typed in the editor, as the page shows them."""
    html = world["client"].get("/org/rounds").text
    action = f'action="/org/rounds/{world["round"]}/openings/{world["opening"]}/ranking"'
    html = html.split(action, 1)[1].split("</form>", 1)[0]
    return {int(t): v for t, v in re.findall(r'name="rank:(\d+)" value="(\d*)"', html)}


def test_generating_ranks_every_participant_with_the_opening_pages_score(world: dict[str, Any]) -> None:
    c, rid, oid = world["client"], world["round"], world["opening"]
    assert c.post(f"/org/rounds/{rid}/openings/{oid}/generate", follow_redirects=False).status_code == 303
    pref = _preference(world)
    assert pref.source == "generated"
    assert sorted(t for e in pref.ranking for t in (e if isinstance(e, list) else [e])) == sorted(world["talents"])
    with world["db"].session() as s:
        shown = RecommendService(world["settings"], s).talents_for_opening(oid, 20)["items"]
    page_scores = {i["talent_id"]: i["score"] for i in shown}
    assert page_scores and all(round(pref.scores[str(t)], 2) == score for t, score in page_scores.items())
    assert all(v for v in _ranked(world).values())  # everyone has a rank in the editor


def test_an_unchanged_list_stays_generated_and_an_edit_is_audited(world: dict[str, Any]) -> None:
    c, rid, oid = world["client"], world["round"], world["opening"]
    c.post(f"/org/rounds/{rid}/openings/{oid}/generate")
    typed = _ranked(world)
    r = c.post(f"/org/rounds/{rid}/openings/{oid}/ranking", data={f"rank:{t}": v for t, v in typed.items()})
    assert "바뀐 것이 없어" in r.text
    assert _preference(world).source == "generated"

    best, *others = sorted(typed, key=lambda t: int(typed[t]))
    edited = {f"rank:{others[0]}": "1", f"rank:{best}": "2", f"rank:{others[1]}": "2"}
    r = c.post(f"/org/rounds/{rid}/openings/{oid}/ranking", data=edited, follow_redirects=False)
    assert r.status_code == 303
    pref = _preference(world)
    assert pref.source == "edited" and pref.ranking == [others[0], sorted([best, others[1]])]
    with world["db"].session() as s:
        actions = list(s.scalars(select(AuditLogRow.action).where(AuditLogRow.entity == "round")))
    assert "ranking.generated" in actions and "ranking.edited" in actions
    bad = c.post(f"/org/rounds/{rid}/openings/{oid}/ranking", data={f"rank:{best}": "첫째"})
    assert bad.status_code == 422  # a rank that is not a number is refused, never dropped


def test_a_talent_typing_a_tie_is_refused_and_nothing_changes(world: dict[str, Any]) -> None:
    _, token = make_account(world["db"], "talent", talent_id=world["talents"][0])
    rid, first, second = world["round"], world["opening"], world["second"]
    with TestClient(world["client"].app, headers={"Authorization": f"Bearer {token}"}) as talent:
        tie = talent.post(f"/me/rounds/{rid}/preferences", data={f"rank:{first}": "1", f"rank:{second}": "1"})
        assert tie.status_code == 422 and "no ties" in tie.text
        bad = talent.post(f"/me/rounds/{rid}/preferences", data={f"rank:{first}": "첫째"})
        assert bad.status_code == 422
        with world["db"].session() as s:
            assert RoundService(s).store.preference(rid, "talent", world["talents"][0]).ranking == [first]
        ok = talent.post(
            f"/me/rounds/{rid}/preferences", data={f"rank:{first}": "2", f"rank:{second}": "1"}, follow_redirects=False
        )
        assert ok.status_code == 303
    with world["db"].session() as s:
        assert RoundService(s).store.preference(rid, "talent", world["talents"][0]).ranking == [second, first]
