"""The ``lexical`` criterion and the pool-standardised ``text`` criterion in the recommendation service: a bare
title ("Chef") finds the profiles that use its words, both ways, explained with z; a pool too small to compare
with leaves the criterion out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from talentbridge.config import build_settings
from talentbridge.domain import OpeningData, OrganizationData, TalentData
from talentbridge.services.recommend import RecommendService, reset_indexes
from talentbridge.services.text_embeddings import TextEmbeddings
from talentbridge.skills.encoder import HashingEncoder
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

TODAY = date(2026, 11, 25)
CHEF = "Sous chef at a hotel kitchen: menu planning, food preparation, kitchen staff of {i}, food safety."
ACCOUNTANT = "Staff accountant: general ledger, month-end close, audit support and accounts payable for {i} units."
BARISTA = "Barista and cashier at a coffee shop, {i} years; customer service and opening shifts."


def talent(name: str, resume: str) -> TalentData:
    return TalentData(name=name, external_id=name, region="seoul", consent_visible=True,
                      employment_types=["full_time"], resume_text=resume)  # fmt: skip


def _world(db: Database, people: int) -> dict[str, int]:
    reset_indexes()
    ids: dict[str, int] = {}
    with db.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="Hotel", kind="ai_startup")).id
        for i in range(people):
            template = (CHEF, ACCOUNTANT, BARISTA)[i % 3]
            ids[f"p{i}"] = repos.talents.add(talent(f"p{i}", template.format(i=i))).id
        for title in ("Chef", "Accountant"):
            ids[title] = repos.openings.add(
                OpeningData(
                    title=title,
                    external_id=title,
                    organization_id=org,
                    kind="job",
                    region="seoul",
                    status="open",
                    description=None,
                    required_skills=[],
                )  # fmt: skip
            ).id
    return ids


def _service(session, db: Database, tmp_path: Path) -> RecommendService:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=db.url)
    return RecommendService(settings, session, today=TODAY, text=TextEmbeddings(HashingEncoder(), tmp_path / "emb"))


def test_a_bare_title_finds_the_profiles_that_use_its_words_both_ways(sqlite_database, tmp_path):
    ids = _world(sqlite_database, 24)
    with sqlite_database.session() as session:
        svc = _service(session, sqlite_database, tmp_path)
        chef = svc.openings_for_talent(ids["p0"], 5)  # p0 is a chef
        assert [i["title"] for i in chef["items"]] == ["Chef", "Accountant"]
        top = chef["items"][0]
        lexical = top["explanation"]["breakdown"]["lexical"]
        assert lexical["applicable"] and lexical["detail"]["z"] > 1 and top["breakdown"]["lexical"] > 0
        assert "z" in top["explanation"]["breakdown"]["text"]["detail"]  # standardised over the pool
        assert any("standard deviations" in r for r in top["explanation"]["reasons"]["en"])
        accountant = svc.openings_for_talent(ids["p1"], 5)
        assert accountant["items"][0]["title"] == "Accountant"
        res = svc.talents_for_opening(ids["Chef"], 24, method="exact")
        names = [i["external_id"] for i in res["items"]]
        chefs = {f"p{i}" for i in range(0, 24, 3)}
        assert set(names[: len(chefs)]) == chefs, names
        for item in res["items"]:
            assert sum(item["breakdown"].values()) == pytest.approx(item["score"], abs=0.1)


def test_a_pool_too_small_leaves_the_criterion_out(sqlite_database, tmp_path):
    ids = _world(sqlite_database, 6)
    with sqlite_database.session() as session:
        svc = _service(session, sqlite_database, tmp_path)
        items = svc.openings_for_talent(ids["p0"], 5)["items"]
        assert all(not i["explanation"]["breakdown"]["lexical"]["applicable"] for i in items)
        assert all(i["breakdown"]["lexical"] == 0 for i in items)
        assert all("z" not in i["explanation"]["breakdown"]["text"]["detail"] for i in items)


def test_a_full_pool_sample_is_not_rebuilt_for_talents_added_after_it(sqlite_database, tmp_path, monkeypatch):
    """The sample is the first ``POOL_SAMPLE`` talents by id: an import adds talents after it, so the pool stands
    (no rebuild in every process at every 10% of growth) until its refresh interval; a sample that is not full
    takes the newcomers in."""
    from talentbridge.services import lexical_pool

    monkeypatch.setattr(lexical_pool, "POOL_SAMPLE", 24)
    ids = _world(sqlite_database, 24)

    def corpus():
        with sqlite_database.session() as session:
            return lexical_pool.pool_corpus(_service(session, sqlite_database, tmp_path))

    def add(n: int) -> None:
        with sqlite_database.session() as session:
            repos = Repositories(session)
            for i in range(n):
                ids[f"q{i}"] = repos.talents.add(talent(f"q{len(ids)}-{i}", BARISTA.format(i=i))).id

    full = corpus()
    add(12)  # +50%
    assert corpus() is full
    monkeypatch.setattr(lexical_pool, "FULL_SAMPLE_REFRESH_SECONDS", 0.0)
    assert corpus() is not full  # refreshed (edits of its own talents come in)

    monkeypatch.setattr(lexical_pool, "POOL_SAMPLE", 1000)
    monkeypatch.setattr(lexical_pool, "FULL_SAMPLE_REFRESH_SECONDS", 600.0)
    lexical_pool.reset_pools()
    partial = corpus()
    add(12)  # +33% of 36: the sample of everyone grows
    grown = corpus()
    assert grown is not partial and grown.n == 48
    lexical_pool.reset_pools()
    rebuilt = corpus()  # read whole: the same statistics as the pool that read only the newcomers
    assert (rebuilt.n, rebuilt.df, rebuilt.avgdl) == (grown.n, grown.df, grown.avgdl)


def test_a_burst_of_requests_after_an_import_rebuilds_the_pool_once(sqlite_database, tmp_path, monkeypatch):
    """Threads of one web worker that find the pool out of date at the same time: one brings it up to date, the
    others go on with the pool they have (they do not each read the talents again), and the first request waits
    for it. A pool that grew reads only the newcomers."""
    import threading

    from talentbridge.services import lexical_pool

    _world(sqlite_database, 24)
    reads = []
    started, release = threading.Event(), threading.Event()
    original = lexical_pool.terms

    def slow_terms(text):  # the rebuild reads the talents' texts: count it, and hold it until every thread has asked
        reads.append(text)
        started.set()
        release.wait(5)
        return original(text)

    def corpus():
        with sqlite_database.session() as session:
            return lexical_pool.pool_corpus(_service(session, sqlite_database, tmp_path))

    monkeypatch.setattr(lexical_pool, "terms", slow_terms)
    release.set()
    first = corpus()
    assert first is not None and len(reads) == 24
    with sqlite_database.session() as session:
        repos = Repositories(session)
        new_ids = [repos.talents.add(talent(f"new{i}", BARISTA.format(i=i))).id for i in range(12)]  # +50%: out of date
    reads.clear()
    started.clear()
    release.clear()
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(corpus())) for _ in range(6)]
    threads[0].start()
    assert started.wait(5)  # the first thread is rebuilding
    for t in threads[1:]:
        t.start()
    for t in threads[1:]:
        t.join(5)
    assert sum(r is first for r in results) == 5  # the others went on with the pool they had
    release.set()
    threads[0].join(5)
    assert len(reads) == len(new_ids) == 12  # once, and only the newcomers: the others are in the pool already
    assert results[-1] is not first and corpus() is results[-1]


def test_a_single_opening_is_compiled_once_per_pool():
    """talents-for-opening compiles its one opening for every list it computes: kept per pool (a widened bare
    title costs milliseconds), compiled again against a new pool."""
    from talentbridge.matching.lexical import LexicalCorpus, terms
    from talentbridge.services import lexical_pool

    lexical_pool.reset_pools()
    pool = LexicalCorpus([terms(CHEF.format(i=i)) for i in range(5)] + [terms(BARISTA.format(i=1))])
    chef = lexical_pool.opening_queries(pool, ["Chef"])
    assert chef is not None and chef.expanded[0]  # widened
    assert lexical_pool.opening_queries(pool, ["Chef"]) is chef
    assert lexical_pool.opening_queries(pool, ["Barista"]) is not chef
    rebuilt = LexicalCorpus(list(pool.docs))
    again = lexical_pool.opening_queries(rebuilt, ["Chef"])
    assert again is not chef and again.corpus is rebuilt
    assert lexical_pool.opening_queries(pool, ["Chef", "Barista"]) is not chef  # several: compiled as asked


def test_the_pool_reads_each_profile_as_the_criteria_do(sqlite_database, tmp_path):
    """The pool reads only the text columns (no whole profile validated): the texts it encodes and the terms it
    counts must be those ``talent_text`` and ``talent_terms`` give for the same stored profiles."""
    from talentbridge.domain.talent import WorkExperience
    from talentbridge.services import lexical_pool
    from talentbridge.services.compared_texts import talent_text

    ids = _world(sqlite_database, 24)
    with sqlite_database.session() as session:
        repos = Repositories(session)
        extra = talent("x1", "Sous chef\t\tand  pastry cook https://example.org/cv").model_copy(
            update={
                "desired_roles": ["Head chef", "http://data.europa.eu/esco/occupation/x", "ml-engineer"],
                "work_history": [
                    WorkExperience(organization="Hotel", title="Commis chef"),
                    WorkExperience(organization="Cafe", title=None),
                ],
            }
        )
        ids["x1"] = repos.talents.add(extra).id
    lexical_pool.reset_pools()
    with sqlite_database.session() as session:
        svc = _service(session, sqlite_database, tmp_path)
        texts, docs, title_docs, last_id = lexical_pool._read(svc, 100)
        everyone = list(Repositories(session).talents.iter_all())
    assert last_id == max(t.id for t in everyone) and len(texts) == len(everyone) == 25
    assert texts == [talent_text(t) for t in everyone]
    assert docs == [lexical_pool.talent_terms(t) for t in everyone]
    with sqlite_database.session() as session:
        labels = lexical_pool.role_labels(_service(session, sqlite_database, tmp_path))
    titled = [lexical_pool.talent_title_terms(t, labels) for t in everyone]
    assert title_docs == [d for d in titled if d] and title_docs  # only the profiles with a job title
    # a role id of the taxonomy is named in both languages; another role as written; an unknown URI left out
    assert labels("ml-engineer") == ["Machine learning engineer", "머신러닝 엔지니어"]
    assert labels("Head chef") == ["Head chef"] and labels("http://data.europa.eu/esco/occupation/x") == []
    from talentbridge.matching.lexical import terms

    assert set(terms("Commis chef Head chef Machine learning engineer 머신러닝 엔지니어")) == set(titled[-1])
    assert any(t.work_history for t in everyone) and any(t.desired_roles for t in everyone)


def _bare_title_openings(repos: Repositories, org: int, titles: tuple[str, ...], ids: dict[str, int]) -> None:
    for title in titles:
        ids[title] = repos.openings.add(
            OpeningData(title=title, external_id=title, organization_id=org, kind="job", region="seoul",
                        status="open", description=None, required_skills=[])  # fmt: skip
        ).id


QUALITY = "Experience\nQuality Engineer 03/2019 to Present, Hanul Motors\nReports for the data analyst team, case {i}."
ANALYST = "Experience\nData Analyst 2018 - 2021, Daeseong\nReports for the quality engineer team, case {i}."
KOREAN = "경력\n2020.03 ~ 현재 한빛정밀 비전 AI 엔지니어\n품질 데이터 분석 보고서 작성 {i}건"


def test_job_titles_in_the_resume_rank_the_opening_of_that_title_first_both_ways(sqlite_database, tmp_path):
    """Both groups' résumés use both titles' words once; only their work-history lines tell them apart. The
    ``titles`` criterion does (``lexical`` cannot), with its z in the explanation; a profile without a dated
    work-history line has the criterion left out."""
    reset_indexes()
    ids: dict[str, int] = {}
    with sqlite_database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="Plant", kind="manufacturer")).id
        for i in range(30):
            template = (QUALITY, ANALYST, KOREAN)[i % 3]
            ids[f"p{i}"] = repos.talents.add(talent(f"p{i}", template.format(i=i))).id
        ids["plain"] = repos.talents.add(talent("plain", "Quality engineer and data analyst, no dates.")).id
        _bare_title_openings(repos, org, ("Quality Engineer", "Data Analyst", "비전 AI 엔지니어"), ids)
    with sqlite_database.session() as session:
        svc = _service(session, sqlite_database, tmp_path)
        for person, first in (("p0", "Quality Engineer"), ("p1", "Data Analyst"), ("p2", "비전 AI 엔지니어")):
            items = svc.openings_for_talent(ids[person], 5)["items"]
            by_title = {i["title"]: i for i in items}
            titles = by_title[first]["explanation"]["breakdown"]["titles"]
            assert titles["applicable"] and titles["detail"]["z"] > 1, (person, titles)
            assert items[0]["title"] == first, (person, [(i["title"], i["breakdown"]) for i in items])
            others = [i["explanation"]["breakdown"]["titles"] for i in items if i["title"] != first]
            assert all(o["points"] < titles["points"] for o in others)
            assert any("Job titles" in r for r in by_title[first]["explanation"]["reasons"]["en"])
            assert any("직함" in r for r in by_title[first]["explanation"]["reasons"]["ko"])
            read = {"p0": "Quality Engineer, Hanul Motors", "p1": "Data Analyst, Daeseong", "p2": "한빛정밀 비전 AI 엔지니어"}
            assert titles["detail"]["read"] == [read[person]]  # what was read, for the person to check
        plain = svc.openings_for_talent(ids["plain"], 5)["items"]
        assert all(not i["explanation"]["breakdown"]["titles"]["applicable"] for i in plain)
        res = svc.talents_for_opening(ids["Quality Engineer"], 31, method="exact")
        quality = {f"p{i}" for i in range(0, 30, 3)}
        points = {i["external_id"]: i["breakdown"]["titles"] for i in res["items"]}
        assert all(points[p] > 0 for p in quality) and all(v == 0 for p, v in points.items() if p not in quality)
        place = {i["external_id"]: k for k, i in enumerate(res["items"])}
        analysts = {f"p{i}" for i in range(1, 30, 3)}
        assert sum(place[p] for p in quality) < sum(place[p] for p in analysts)  # the words of both: titles tell
        for item in res["items"]:
            assert sum(item["breakdown"].values()) == pytest.approx(item["score"], abs=0.1)
        explained = [i["explanation"]["breakdown"]["titles"] for i in res["items"]]
        assert all("read" not in t["detail"] for t in explained)  # the person's own view lists them, not the org's


def test_the_resume_headline_is_read_as_a_job_title_without_the_persons_name(sqlite_database, tmp_path):
    """A résumé that names its owner's job only in its headline (the line or two at the top): the ``titles``
    criterion reads it, the person's name on the line above is not taken for a title, and a résumé that opens
    with a section heading has no headline."""
    reset_indexes()
    ids: dict[str, int] = {}
    body = "Summary\nReports for the quality engineer and data analyst teams, case {i}."
    with sqlite_database.session() as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="Plant", kind="manufacturer")).id
        for i in range(20):
            name, headline = (f"Mina Park{i}", "Quality Engineer") if i % 2 else (f"Jun Lee{i}", "Data Analyst")
            ids[f"p{i}"] = repos.talents.add(talent(name, f"{name}\n{headline}\n" + body.format(i=i))).id
        ids["body"] = repos.talents.add(talent("body", body.format(i=99))).id
        _bare_title_openings(repos, org, ("Quality Engineer", "Data Analyst"), ids)
    with sqlite_database.session() as session:
        svc = _service(session, sqlite_database, tmp_path)
        for person, first in (("p1", "Quality Engineer"), ("p2", "Data Analyst")):
            items = svc.openings_for_talent(ids[person], 5)["items"]
            assert items[0]["title"] == first, (person, [(i["title"], i["breakdown"]) for i in items])
            titles = items[0]["explanation"]["breakdown"]["titles"]
            assert titles["applicable"] and titles["detail"]["read"] == [first]  # not "Mina Park1"
        plain = svc.openings_for_talent(ids["body"], 5)["items"]
        assert all(not i["explanation"]["breakdown"]["titles"]["applicable"] for i in plain)
