"""The ``text`` criterion in the recommendation service: embeddings of profile and opening texts, stored so they
are encoded once, used both ways and in batch runs, explained per item, and inactive (with the reason) without an
encoder. The deterministic tests use the hashing encoder; one uses the product's MiniLM model (shared cache)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.domain import OpeningData, OrganizationData, RequiredSkill, SkillClaim, TalentData
from talentbridge.services.recommend import RecommendService, on_talent_changed, reset_indexes
from talentbridge.services.text_embedding_store import TextEmbeddingStore
from talentbridge.services.text_embeddings import TextEmbeddings, text_embeddings_for
from talentbridge.skills.encoder import HashingEncoder
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

TODAY = date(2026, 11, 25)
ALL_TYPES = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]
VISION = "Computer vision engineer: object detection and image segmentation for self-driving car cameras."
PAYROLL = "Payroll accountant: monthly salary statements, tax withholding and bookkeeping for a retail chain."


class CountingEncoder(HashingEncoder):
    """The hashing encoder, counting the texts it encodes."""

    def __init__(self) -> None:
        super().__init__(64)
        self.encoded = 0

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        self.encoded += len(texts)
        return super().encode(texts, progress)


def talent(name: str, resume: str | None, **kw: Any) -> TalentData:
    data: dict[str, Any] = {
        "name": name,
        "external_id": name,
        "region": "seoul",
        "consent_visible": True,
        "employment_types": ALL_TYPES,
        "skills": [SkillClaim(skill_id="python", level=4)],
        "resume_text": resume,
    }
    data.update(kw)
    return TalentData(**data)


def opening(title: str, org: int, description: str, **kw: Any) -> OpeningData:
    data: dict[str, Any] = {
        "title": title,
        "external_id": title,
        "organization_id": org,
        "kind": "job",
        "region": "seoul",
        "status": "open",
        "description": description,
        "required_skills": [RequiredSkill(skill_id="python", min_level=3, importance="must")],
    }
    data.update(kw)
    return OpeningData(**data)


@pytest.fixture
def world(sqlite_database: Database) -> dict[str, int]:
    """Three people with the same skills and different résumés, two openings with different texts."""
    reset_indexes()
    ids: dict[str, int] = {}
    with sqlite_database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="비전랩", kind="ai_startup")).id
        ids["vision"] = repos.talents.add(talent("vision", VISION)).id
        ids["payroll"] = repos.talents.add(talent("payroll", PAYROLL)).id
        ids["silent"] = repos.talents.add(talent("silent", None)).id
        ids["cv_job"] = repos.openings.add(opening("Computer vision engineer", org, VISION)).id
        ids["pay_job"] = repos.openings.add(opening("Payroll accountant", org, PAYROLL)).id
    return ids


@pytest.fixture
def local_settings(tmp_path: Path, sqlite_database: Database) -> Settings:
    return build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)


def _service(session: Any, settings: Settings, text: TextEmbeddings | None) -> RecommendService:
    return RecommendService(settings, session, today=TODAY, text=text)


def _text_detail(item: dict[str, Any]) -> dict[str, Any]:
    return item["explanation"]["breakdown"]["text"]["detail"]


def test_text_orders_people_with_equal_skills_both_ways(sqlite_database, local_settings, world, tmp_path):
    text = TextEmbeddings(HashingEncoder(), tmp_path / "emb")
    with sqlite_database.session() as session:
        svc = _service(session, local_settings, text)
        for method in ("ann", "exact"):
            res = svc.talents_for_opening(world["cv_job"], 3, method=method)
            assert res["text"]["status"] == "active"
            names = [i["external_id"] for i in res["items"]]
            assert names.index("vision") < names.index("payroll"), names
            by_name = {i["external_id"]: i for i in res["items"]}
            assert _text_detail(by_name["vision"])["status"] == "compared"
            assert _text_detail(by_name["vision"])["cosine"] > _text_detail(by_name["payroll"])["cosine"]
            assert by_name["vision"]["breakdown"]["text"] > by_name["payroll"]["breakdown"]["text"]
            silent = by_name["silent"]
            assert _text_detail(silent)["status"] == "no_talent_text"
            assert silent["breakdown"]["text"] == 0
            assert not silent["explanation"]["breakdown"]["text"]["applicable"]
            assert any("Text criterion not used" in r for r in silent["explanation"]["reasons"]["en"])
            # without text the criterion is left out (the others share its weight), as docs/matching.md says
            assert silent["score"] == pytest.approx(100.0)
            for item in res["items"]:
                assert sum(item["breakdown"].values()) == pytest.approx(item["score"], abs=0.1)
        mine = svc.openings_for_talent(world["payroll"], 5)
        assert [i["title"] for i in mine["items"]] == ["Payroll accountant", "Computer vision engineer"]
        assert _text_detail(mine["items"][0])["status"] == "compared"
        silent = svc.openings_for_talent(world["silent"], 5)
        assert {_text_detail(i)["status"] for i in silent["items"]} == {"no_talent_text"}
        assert silent["items"][0]["score"] == silent["items"][1]["score"]  # nothing else tells them apart


def test_texts_are_encoded_once_and_the_index_keeps_them(sqlite_database, local_settings, world, tmp_path):
    enc = CountingEncoder()
    text = TextEmbeddings(enc, tmp_path / "emb")
    with sqlite_database.session() as session:
        first = _service(session, local_settings, text).talents_for_opening(world["cv_job"], 3)
    assert enc.encoded == 3  # two résumés and the opening text
    root = Path(local_settings.index_dir) / "talents"
    folder = root / (root / "current").read_text()
    assert (folder / "text_keys.npy").exists()
    with np.load(folder / "columns.npz") as data:
        assert "embeddings" not in data.files  # vectors live in the store, not rewritten with the columns
    reset_indexes()  # a new process: the index is loaded from disk, its embeddings from the store
    fresh = TextEmbeddings(enc, tmp_path / "emb")
    with sqlite_database.session() as session:
        svc = _service(session, local_settings, fresh)
        again = svc.talents_for_opening(world["cv_job"], 3)
        svc.openings_for_talent(world["vision"], 3)  # the talent's text and both openings' are stored already
        assert enc.encoded == 4  # only the second opening's text was new
    assert [i["score"] for i in again["items"]] == [i["score"] for i in first["items"]]
    with sqlite_database.session() as session:  # a changed résumé is encoded again, through the saved-talent hook
        repos = Repositories(session)
        changed = repos.talents.update(world["payroll"], {"resume_text": VISION})
        on_talent_changed(local_settings, session, changed)
    with sqlite_database.session() as session:
        res = _service(session, local_settings, fresh).talents_for_opening(world["cv_job"], 3)
    by_name = {i["external_id"]: i for i in res["items"]}
    assert by_name["payroll"]["score"] == by_name["vision"]["score"]  # same skills, now the same text
    assert enc.encoded == 4  # that text was known already


def test_without_an_encoder_the_criterion_is_inactive_and_says_why(sqlite_database, tmp_path, world):
    settings = build_settings(
        environment="test", data_dir=tmp_path / "off", database_url=sqlite_database.url, infer_skills=False
    )
    text = text_embeddings_for(settings)
    assert not text.active and text.status == "off"
    with sqlite_database.session() as session:
        svc = RecommendService(settings, session, today=TODAY)
        res = svc.talents_for_opening(world["cv_job"], 3)
        assert res["text"]["status"] == "off"
        for item in res["items"]:
            assert item["breakdown"]["text"] == 0
            assert _text_detail(item)["status"] == "off"
        mine = svc.openings_for_talent(world["vision"], 3)
        assert {_text_detail(i)["status"] for i in mine["items"]} == {"off"}
    none = TextEmbeddings(None, tmp_path / "x", status="no_encoder")
    assert none.summary()["status"] == "no_encoder"
    assert "encoder" in none.summary()["label"]["en"]


def test_a_request_budget_hands_the_rest_to_the_background(tmp_path):
    enc = CountingEncoder()
    text = TextEmbeddings(enc, tmp_path)
    texts = [f"text number {i}" for i in range(40)]
    _, found = text.vectors("talents", texts, budget=0.0)  # no time now: all handed to the background thread
    assert not found.any()
    assert text.wait()
    vectors, found = text.vectors("talents", texts, budget=0.0)
    assert found.all() and enc.encoded == 40
    _, found = text.vectors("talents", [*texts[:3], "one more", "and another"], budget=5.0)  # time enough
    assert found.all() and enc.encoded == 42
    assert np.allclose(vectors.astype(np.float32), HashingEncoder(64).encode(texts), atol=2e-3)
    _, found = text.vectors("talents", ["", "text number 3"])
    assert found.tolist() == [False, True]  # no text, no embedding


def test_store_shards_from_several_writers_and_merging(tmp_path):
    a, b = TextEmbeddingStore(tmp_path, 4), TextEmbeddingStore(tmp_path, 4)
    for k in range(1, 40):  # more shards than the merge threshold
        a.put(np.array([k], dtype=np.uint64), np.full((1, 4), k / 100))
    b.put(np.array([1000], dtype=np.uint64), np.ones((1, 4)))
    a.refresh()
    got, found = a.get(np.array([1, 39, 1000, 5000, 0], dtype=np.uint64))
    assert found.tolist() == [True, True, True, False, False]
    assert got[1, 0] == pytest.approx(0.39, abs=1e-3)
    assert len(list(tmp_path.glob("*.npz"))) < 40
    c = TextEmbeddingStore(tmp_path, 4)
    c.refresh()
    assert c.get(np.arange(1, 40, dtype=np.uint64))[1].all()


def test_batch_runs_use_the_text_criterion(sqlite_database, local_settings, world, tmp_path):
    text = TextEmbeddings(HashingEncoder(), tmp_path / "emb")
    with sqlite_database.session() as session:
        svc = _service(session, local_settings, text)
        out = tmp_path / "t4o.jsonl"
        svc.batch("talents-for-opening", 3, out)
        lines = {x["source"]: x for x in map(json.loads, out.read_text().splitlines())}
        top = lines["Computer vision engineer"]["items"]
        by_name = {i["external_id"]: i for i in top}
        assert by_name["vision"]["score"] > by_name["payroll"]["score"]
        assert by_name["vision"]["breakdown"]["text"] > 0
        out2 = tmp_path / "o4t.jsonl"
        svc.batch("openings-for-talent", 2, out2)
        rows = {x["source"]: x for x in map(json.loads, out2.read_text().splitlines())}
        assert rows["payroll"]["items"][0]["external_id"] == "Payroll accountant"
        assert rows["payroll"]["items"][0]["breakdown"]["text"] > 0
        assert rows["silent"]["items"][0]["breakdown"]["text"] == 0
        single = svc.openings_for_talent(world["payroll"], 2, explain=False)
        assert [i["score"] for i in single["items"]] == [i["score"] for i in rows["payroll"]["items"]]


def test_the_product_encoder_understands_the_texts(sqlite_database, local_settings, world):
    # multilingual USE v3, a base dependency (so never skipped); texts cached under the tests' shared model cache
    text = text_embeddings_for(local_settings)
    assert text.active and text.model_id == "use-multilingual-v3"
    with sqlite_database.session() as session:
        res = RecommendService(local_settings, session, today=TODAY).talents_for_opening(world["pay_job"], 3)
    names = [i["external_id"] for i in res["items"]]
    assert names.index("payroll") < names.index("vision")
    cos = {i["external_id"]: _text_detail(i).get("cosine") for i in res["items"]}
    assert cos["payroll"] > 0.9 > cos["vision"]
