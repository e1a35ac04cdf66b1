"""Recommendation service on SQLite and PostgreSQL: obvious orders, explanations, hard constraints, the index
following database changes, batch output and the audit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from talentbridge.config import Settings
from talentbridge.domain import OpeningData, OrganizationData, RequiredSkill, SkillClaim, TalentData
from talentbridge.matching.constraints import CONSTRAINTS
from talentbridge.matching.explain import breakdown_dict
from talentbridge.services.recommend import OpeningFilters, RecommendService, TalentFilters, reset_indexes
from talentbridge.services.text_embeddings import TextEmbeddings
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

TODAY = date(2026, 11, 25)
ALL_TYPES = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]


def talent(name: str, skills: dict[str, int], **kw: Any) -> TalentData:
    data: dict[str, Any] = {
        "name": name,
        "external_id": name,
        "region": "seoul",
        "consent_visible": True,
        "employment_types": ALL_TYPES,
        "skills": [SkillClaim(skill_id=s, level=lv) for s, lv in skills.items()],
    }
    data.update(kw)
    return TalentData(**data)


def opening(title: str, org: int, skills: dict[str, tuple[int, str]], **kw: Any) -> OpeningData:
    data: dict[str, Any] = {
        "title": title,
        "external_id": title,
        "organization_id": org,
        "kind": "job",
        "region": "seoul",
        "status": "open",
        "required_skills": [RequiredSkill(skill_id=s, min_level=lv, importance=imp) for s, (lv, imp) in skills.items()],
    }
    data.update(kw)
    return OpeningData(**data)


@pytest.fixture
def world(database: Database, settings: Settings) -> dict[str, int]:
    reset_indexes()
    ids: dict[str, int] = {}
    with database.session() as session:
        repos = Repositories(session)
        parent = repos.organizations.add(OrganizationData(name="한빛그룹", kind="large_enterprise", group="한빛"))
        child = repos.organizations.add(OrganizationData(name="한빛AI", kind="ai_startup", parent_id=parent.id))
        other = repos.organizations.add(OrganizationData(name="스마트팩토리", kind="manufacturer"))
        ids |= {"parent": parent.id, "child": child.id, "other": other.id}
        for t in [
            talent("expert", {"pytorch": 5, "python": 5, "kubernetes": 4}),
            talent("sibling", {"tensorflow": 5, "python": 5}),
            talent("novice", {"python": 2}),
            talent("hidden", {"pytorch": 5, "python": 5, "kubernetes": 5}, consent_visible=False),
            talent("foreign", {"pytorch": 5, "python": 5, "kubernetes": 5}, nationality="VN", visa_type="E-7"),
            talent("insider", {"pytorch": 5, "python": 5, "kubernetes": 5}, current_employer_id=parent.id),
            talent("busan", {"pytorch": 5, "python": 5}, region="busan"),
        ]:
            ids[t.name] = repos.talents.add(t).id
        ids["job"] = repos.openings.add(
            opening(
                "ML Engineer",
                other.id,
                {"pytorch": (4, "must"), "python": (3, "must"), "kubernetes": (3, "should")},
            )
        ).id
        ids["slot"] = repos.openings.add(
            opening("AI 파견", child.id, {"pytorch": (4, "must"), "python": (3, "must")}, kind="secondment_slot")
        ).id
        ids["closed"] = repos.openings.add(opening("Old", other.id, {"python": (3, "must")}, status="closed")).id
        ids["data"] = repos.openings.add(opening("Data", other.id, {"sql": (3, "must")})).id
    return ids


def test_talents_for_opening_order_explanation_and_constraints(database, settings, world):
    with database.session() as session:
        svc = RecommendService(settings, session, today=TODAY)
        for method in ("ann", "exact"):
            res = svc.talents_for_opening(world["job"], 10, method=method)
            names = [i["external_id"] for i in res["items"]]
            assert names[:2] == ["expert", "insider"]  # a tie (both cover everything), broken by id
            assert "hidden" not in names and "foreign" not in names
            assert names[-1] == "novice"
            top = res["items"][0]["explanation"]
            assert {m["skill_id"] for m in top["matched"]} == {"pytorch", "python", "kubernetes"}
            second = next(i for i in res["items"] if i["external_id"] == "sibling")["explanation"]
            assert second["partial"][0]["via_skill_id"] == "tensorflow"
            assert second["partial"][0]["relation"] in ("related", "sibling")  # TensorFlow for PyTorch
            assert res["constraints"]["excluded"]["consent"] == 1
            assert res["constraints"]["excluded"]["work_permit"] == 1
            for item in res["items"]:
                assert sum(item["breakdown"].values()) == pytest.approx(item["score"], abs=0.1)
        only_busan = svc.talents_for_opening(world["job"], 10, TalentFilters(regions=("busan",)))
        assert [i["external_id"] for i in only_busan["items"]] == ["busan"]


def test_secondment_never_to_own_group(database, settings, world):
    with database.session() as session:
        svc = RecommendService(settings, session, today=TODAY)
        res = svc.talents_for_opening(world["slot"], 10)
        assert "insider" not in [i["external_id"] for i in res["items"]]
        assert res["constraints"]["excluded"]["own_employer"] == 1
        job = svc.talents_for_opening(world["job"], 10)
        assert "insider" in [i["external_id"] for i in job["items"]]


def test_index_follows_database_changes(database, settings, world):
    def names() -> list[str]:
        with database.session() as session:
            svc = RecommendService(settings, session, today=TODAY)
            return [i["external_id"] for i in svc.talents_for_opening(world["data"], 3)["items"]]

    assert "star" not in names()
    with database.session() as session:
        star = Repositories(session).talents.add(talent("star", {"sql": 5}))
    assert names()[0] == "star"
    with database.session() as session:
        Repositories(session).talents.update(star.id, {"consent_visible": False})
    assert "star" not in names()
    reset_indexes()  # as in a new process: the saved index is loaded from disk, then brought up to date
    with database.session() as session:
        Repositories(session).talents.update(star.id, {"consent_visible": True})
    assert names()[0] == "star"
    with database.session() as session:
        Repositories(session).talents.delete(star.id)
    assert "star" not in names()
    root = Path(settings.index_dir) / "talents"
    assert (root / (root / "current").read_text() / "meta.json").exists()


def test_openings_for_talent(database, settings, world):
    with database.session() as session:
        svc = RecommendService(settings, session, today=TODAY)
        res = svc.openings_for_talent(world["expert"], 10)
        titles = [i["title"] for i in res["items"]]
        assert titles[0] in ("ML Engineer", "AI 파견")
        assert "Old" not in titles  # closed
        assert titles[-1] == "Data"
        insider = svc.openings_for_talent(world["insider"], 10)
        assert "AI 파견" not in [i["title"] for i in insider["items"]]
        assert insider["constraints"]["excluded"]["own_employer"] == 1
        hidden = svc.openings_for_talent(world["hidden"], 10)  # consent governs being shown, not looking
        assert hidden["items"]


def _pairwise_openings_for_talent(svc, talent_id, top, filters):
    """The pair-by-pair reference (what openings_for_talent did before it used arrays)."""
    from talentbridge.matching import failing, fit_score

    talent = svc.repos.talents.get(talent_id)
    scored, excluded, considered, failed = [], dict.fromkeys(CONSTRAINTS, 0), 0, 0
    for o in svc._open_openings():
        if not filters.keep(o):
            continue
        considered += 1
        fails = failing(talent, svc.context(o), check_consent=False)
        for name in fails:
            excluded[name] += 1
        if fails:
            failed += 1
            continue
        result = fit_score(talent, o, svc.graph, svc.weights(o), today=svc.today)
        if result.score >= filters.min_score:
            scored.append((result.score, o.id, result))
    scored.sort(key=lambda s: (-s[0], s[1]))
    items = [(o_id, round(score, 2), breakdown_dict(r.points())) for score, o_id, r in scored[:top]]
    return items, {"considered": considered, "eligible": considered - failed, "excluded": excluded}


@pytest.mark.parametrize(
    "filters",
    [
        OpeningFilters(),
        OpeningFilters(kinds=("job",)),
        OpeningFilters(regions=("busan",)),
        OpeningFilters(regions=("seoul",), min_score=60),
        OpeningFilters(remote=False, organization_id=-1),
    ],
)
def test_openings_for_talent_equals_the_pairwise_reference(database, settings, world, filters):
    with database.session() as session:
        repos = Repositories(session)
        repos.openings.add(opening("Remote", world["other"], {"python": (2, "nice")}, region=None, remote=True))
        repos.openings.add(opening("Busan", world["other"], {"pytorch": (3, "must")}, region="busan"))
        repos.openings.add(opening("Late", world["other"], {"python": (3, "must")}, deadline=date(2026, 1, 1)))
        svc = RecommendService(settings, session, today=TODAY)
        svc._text = TextEmbeddings(None, Path(settings.cache_dir), status="off")  # scores only, no text
        for name in ("expert", "sibling", "novice", "foreign", "insider", "busan", "hidden"):
            for top in (1, 3, 20):
                res = svc.openings_for_talent(world[name], top, filters, explain=top == 3)
                items, constraints = _pairwise_openings_for_talent(svc, world[name], top, filters)
                assert [(i["opening_id"], i["score"], i["breakdown"]) for i in res["items"]] == items
                assert [i["rank"] for i in res["items"]] == list(range(1, len(items) + 1))
                assert {k: res["constraints"][k] for k in constraints} == constraints
                for item in res["items"] if top == 3 else []:
                    assert item["explanation"]["score"] == pytest.approx(item["score"], abs=0.01)


def test_batch_both_directions_and_audit(database, settings, world, tmp_path):
    with database.session() as session:
        svc = RecommendService(settings, session, today=TODAY)
        out = tmp_path / "t4o.jsonl"
        summary = svc.batch("talents-for-opening", 3, out)
        lines = [json.loads(x) for x in out.read_text().splitlines()]
        assert summary["sources"] == len(lines) == 3  # open openings
        job = next(x for x in lines if x["source"] == "ML Engineer")
        assert job["items"][0]["external_id"] == "expert"
        assert set(job["items"][0]) == {"external_id", "id", "score", "breakdown"}
        out2 = tmp_path / "o4t.jsonl"
        svc.batch("openings-for-talent", 2, out2)
        rows = [json.loads(x) for x in out2.read_text().splitlines()]
        assert len(rows) == 7 and all(len(r["items"]) <= 2 for r in rows)
        report = svc.audit(top=2)
        assert set(report["dimensions"]) == {"gender", "age_band", "nationality", "region"}
        assert report["openings"] == 3


def test_cli(database, settings, world, tmp_path, monkeypatch, capsys):
    from talentbridge import config
    from talentbridge.cli import main

    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(settings.data_dir))
    config.get_settings.cache_clear()
    try:
        main(["recommend", "talents-for-opening", str(world["job"]), "--top", "3", "--format", "json"])
        out = json.loads(capsys.readouterr().out)
        assert out["items"][0]["external_id"] == "expert"
        main(["recommend", "talents-for-opening", str(world["job"]), "--top", "3"])
        table = capsys.readouterr().out
        assert "expert" in table and "excluded by" in table
        main(["recommend", "openings-for-talent", str(world["expert"]), "--format", "json", "--top", "5"])
        assert json.loads(capsys.readouterr().out)["items"]
        out_file = tmp_path / "batch.jsonl"
        main(
            [
                "recommend",
                "batch",
                "--direction",
                "talents-for-opening",
                "--top",
                "2",
                "--output",
                str(out_file),
            ]
        )
        assert len(out_file.read_text().splitlines()) >= 3
        assert "wrote" in capsys.readouterr().out
        main(["audit", "recommendations", "--top", "2", "--format", "json"])
        assert "dimensions" in json.loads(capsys.readouterr().out)
        main(["audit", "recommendations", "--top", "2"])
        assert "four-fifths" in capsys.readouterr().out
        with pytest.raises(SystemExit) as exc:
            main(["recommend", "talents-for-opening", "99999"])
        assert exc.value.code == 1
    finally:
        config.get_settings.cache_clear()


def test_the_split_services_answer_like_the_facade_and_the_index_asks_its_snapshot(database, settings, world):
    from talentbridge.services.recommend_batch import BatchRecommendService
    from talentbridge.services.recommend_context import MatchingContext
    from talentbridge.services.recommendations import RecommendationService
    from talentbridge.services.talent_index import TalentIndexService, talent_snapshot

    asked: list[str] = []

    class CountingSnapshot:
        def __init__(self, session: Any) -> None:
            self.inner = talent_snapshot(session)

        def __getattr__(self, name: str) -> Any:
            asked.append(name)
            return getattr(self.inner, name)

    off = TextEmbeddings(None, Path(settings.cache_dir), status="off")
    with database.session() as session:
        facade = RecommendService(settings, session, today=TODAY, text=off)
        ctx = MatchingContext(settings, session, today=TODAY, text=off)
        index = TalentIndexService(ctx, snapshot=CountingSnapshot)
        recs = RecommendationService(ctx, index)
        assert recs.talents_for_opening(world["job"], 5) == facade.talents_for_opening(world["job"], 5)
        assert recs.openings_for_talent(world["expert"], 5) == facade.openings_for_talent(world["expert"], 5)
        assert BatchRecommendService(ctx, index, recs).audit(3) == facade.audit(3)
    assert "signature" in asked  # the index compared itself with the talents table through the Protocol
