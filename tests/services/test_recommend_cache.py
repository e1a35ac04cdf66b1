"""Recommendation lists kept per process (``services/recommend_cache.py``) on SQLite and PostgreSQL: after any
sequence of writes, the next list is the list computed now without the cache; lists are actually served from
the cache when nothing changed; lists with a text still pending are not kept."""

from __future__ import annotations

import os
import pickle
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import update

from talentbridge.config import Settings
from talentbridge.domain import OpeningData, OrganizationData, RequiredSkill, SkillClaim, TalentData
from talentbridge.services import recommend_cache, shared_lists
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.recommendations import OpeningFilters, RecommendationService, TalentFilters
from talentbridge.services.talent_index import TalentIndexService, reset_indexes
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.tables import OpeningRow, OrganizationRow, TalentRow

TODAY = date(2026, 11, 25)
SKILLS = ["python", "pytorch", "kubernetes", "sql", "computer-vision"]
KINDS = ["full_time", "secondment", "internship", "pbl", "joint_rnd"]


def _talent(n: int, skills: dict[str, int], region: str = "seoul") -> TalentData:
    return TalentData(
        name=f"t{n}",
        external_id=f"t{n}",
        region=region,
        consent_visible=True,
        employment_types=KINDS,
        skills=[SkillClaim(skill_id=s, level=lv) for s, lv in skills.items()],
    )


def _opening(n: int, org: int, skills: dict[str, int]) -> OpeningData:
    return OpeningData(
        title=f"o{n}",
        external_id=f"o{n}",
        organization_id=org,
        kind="job",
        region="seoul",
        status="open",
        required_skills=[RequiredSkill(skill_id=s, min_level=lv, importance="should") for s, lv in skills.items()],
    )


skill_sets = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), min_size=1, max_size=3)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("talent_skills"), st.integers(0, 5), skill_sets),
        st.tuples(st.just("talent_region"), st.integers(0, 5), st.sampled_from(["seoul", "busan", "jeju"])),
        st.tuples(st.just("add_talent"), st.integers(0, 5), skill_sets),
        st.tuples(st.just("delete_talent"), st.integers(0, 5), st.just({})),
        st.tuples(st.just("withdraw_consent"), st.integers(0, 5), st.just({})),
        st.tuples(st.just("opening_skills"), st.integers(0, 1), skill_sets),
        st.tuples(st.just("close_opening"), st.integers(0, 1), st.just({})),
        st.tuples(st.just("read"), st.integers(0, 5), st.just({})),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def world(database: Database, settings: Settings) -> dict[str, Any]:
    reset_indexes()
    recommend_cache.clear()
    with database.session(write=True) as session:
        repos = Repositories(session)
        org = repos.organizations.add(OrganizationData(name="캐시랩", kind="ai_startup")).id
        talents = [repos.talents.add(_talent(i, {"python": 1 + i % 5, SKILLS[i % 5]: 3})).id for i in range(6)]
        openings = [repos.openings.add(_opening(i, org, {"python": 2, SKILLS[i + 1]: 3})).id for i in range(2)]
    return {"org": org, "talents": talents, "openings": openings, "next": 100}


def _lists(
    database: Database, settings: Settings, world: dict[str, Any], cached: bool, sync_interval: float = 0.0
) -> list[Any]:
    """Every list of the world (both directions), with or without the cache, versions read as the API reads
    them."""
    out: list[Any] = []
    with database.session() as session:
        ctx = MatchingContext(settings, session, today=TODAY)
        index = TalentIndexService(ctx)
        index.sync_interval = sync_interval
        svc = RecommendationService(ctx, index)
        for oid in world["openings"]:
            if cached:
                version = svc.opening_list_version(oid)
                out.append(svc.talents_for_opening_cached(oid, 5, TalentFilters(), version=version)[0])
            else:
                out.append(svc.talents_for_opening(oid, 5, TalentFilters()))
        for tid in world["talents"]:
            if cached:
                version = svc.talent_list_version(tid)
                out.append(svc.openings_for_talent_cached(tid, 5, OpeningFilters(), version=version))
            else:
                out.append(svc.openings_for_talent(tid, 5, OpeningFilters()))
    return out


def _apply(database: Database, world: dict[str, Any], edit: tuple[str, int, dict[str, int]]) -> None:
    kind, n, skills = edit
    with database.session(write=True) as session:
        repos = Repositories(session)
        talents, openings = world["talents"], world["openings"]
        if kind == "talent_skills" and talents:
            claims = [{"skill_id": s, "level": lv} for s, lv in skills.items()]
            repos.talents.update(talents[n % len(talents)], {"skills": claims})
        elif kind == "talent_region" and talents:
            repos.talents.update(talents[n % len(talents)], {"region": skills if isinstance(skills, str) else "busan"})
        elif kind == "add_talent":
            world["next"] += 1
            talents.append(repos.talents.add(_talent(world["next"], skills)).id)
        elif kind == "withdraw_consent" and talents:
            repos.talents.update(talents[n % len(talents)], {"consent_visible": False})
        elif kind == "delete_talent" and len(talents) > 1:
            repos.talents.delete(talents.pop(n % len(talents)))
        elif kind == "opening_skills":
            needs = [{"skill_id": s, "min_level": lv, "importance": "must"} for s, lv in skills.items()]
            repos.openings.update(openings[n % len(openings)], {"required_skills": needs})
        elif kind == "close_opening":
            repos.openings.update(openings[n % len(openings)], {"status": "closed"})


def test_cached_lists_equal_lists_computed_now(
    database: Database, settings: Settings, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Property: after any sequence of writes, every cached list equals the list computed now.

    PostgreSQL stamps have microseconds: the cache is used right after a write (no grace period). SQLite stamps
    have whole seconds: there the default grace period applies (the documented bound)."""
    if database.url.startswith("postgresql"):
        monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)
    first = _lists(database, settings, world, cached=True)
    assert first == _lists(database, settings, world, cached=False)

    @hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps=edits)
    def run(steps: list[tuple[str, int, Any]]) -> None:
        for step in steps:
            _apply(database, world, step)
            cached = _lists(database, settings, world, cached=True)
            again = _lists(database, settings, world, cached=True)  # served from the cache where it could be
            assert cached == _lists(database, settings, world, cached=False)
            assert again == cached

    run()
    if database.url.startswith("postgresql"):
        assert recommend_cache.stats()["hits"] > 0  # the property is about the cache, not about bypassing it


def test_lists_are_served_from_the_cache_until_something_changes(
    database: Database, settings: Settings, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)
    one = _lists(database, settings, world, cached=True)
    hits = recommend_cache.stats()["hits"]
    assert _lists(database, settings, world, cached=True) == one
    # openings-for-talent lists all come from the cache; talents-for-opening ones too unless the talent index
    # re-read the talents written in the last seconds (a list is only kept for the index it was drawn from)
    assert recommend_cache.stats()["hits"] >= hits + len(world["talents"])
    _apply(database, world, ("add_talent", 0, {"python": 5}))  # every talents-for-opening list may change
    after = recommend_cache.stats()["hits"]
    _lists(database, settings, world, cached=True)
    # the index took the new talent in: no talents-for-opening list served from before; another talent's
    # openings do not depend on the newcomer: those lists are served (the newcomer's own list is new)
    assert recommend_cache.stats()["hits"] == after + len(world["talents"]) - 1


def test_talents_the_index_lacks_leave_its_lists_alone_but_an_edit_of_an_indexed_one_does_not(
    database: Database, settings: Settings, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As during an import while the index answering is behind (the API compares it with the table at most every
    few seconds): new talents do not drop the lists drawn from it; a consent withdrawal of a talent it holds, shown
    in a list, drops that list at once and the talent is gone from the list served next."""
    monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)
    _backdate(database)  # SQLite stamps have whole seconds: the writes below must not share the world's second
    slow = 3600.0
    first = _lists(database, settings, world, cached=True, sync_interval=slow)
    with database.session(write=True) as session:
        Repositories(session).talents.add(_talent(99, {"python": 5, "pytorch": 5}))  # the best fit of all
    hits = recommend_cache.stats()["hits"]
    assert _lists(database, settings, world, cached=True, sync_interval=slow) == first
    assert recommend_cache.stats()["hits"] == hits + len(world["openings"]) + len(world["talents"])

    shown = first[0]["items"][0]["talent_id"]
    _apply(database, world, ("withdraw_consent", world["talents"].index(shown), {}))
    after = _lists(database, settings, world, cached=True, sync_interval=slow)
    assert shown not in [i["talent_id"] for i in after[0]["items"]]
    # the withdrawn talent's own list of openings is a list they read themselves: it stays; none other changed
    assert after[len(world["openings"]) :] == first[len(world["openings"]) :]


def _backdate(database: Database) -> None:
    with database.session(write=True) as session:
        for row in (TalentRow, OpeningRow, OrganizationRow):
            session.execute(update(row).values(updated_at=datetime(2026, 1, 2, tzinfo=UTC)))


def test_a_list_drawn_from_an_index_that_moved_on_is_not_kept(
    database: Database, settings: Settings, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version read before the index took new talents in covers fewer talents than the list drawn after it:
    that list is computed and not kept."""
    monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)
    oid = world["openings"][0]
    with database.session() as session:
        ctx = MatchingContext(settings, session, today=TODAY)
        svc = RecommendationService(ctx, TalentIndexService(ctx))
        version = svc.opening_list_version(oid)
    with database.session(write=True) as session:
        Repositories(session).talents.add(_talent(98, {"python": 5}))
    with database.session() as session:
        ctx = MatchingContext(settings, session, today=TODAY)
        svc = RecommendationService(ctx, TalentIndexService(ctx))
        svc.talents_for_opening_cached(oid, 5, TalentFilters(), version=version)
    assert recommend_cache.stats()["entries"] == 0


def test_a_fresh_write_is_never_served_from_the_cache(
    database: Database, settings: Settings, world: dict[str, Any]
) -> None:
    """Within the grace period after a write (whole-second stamps on SQLite), lists are computed, not kept."""
    _lists(database, settings, world, cached=True)
    _lists(database, settings, world, cached=True)
    assert recommend_cache.stats()["hits"] == 0
    assert recommend_cache.stats()["entries"] == 0


def test_a_pending_text_list_is_not_final() -> None:
    item = {"breakdown": {"skills": 40.0}, "explanation": {"breakdown": {"text": {"detail": {"status": "pending"}}}}}
    assert not recommend_cache.is_final({"items": [item]})
    item["explanation"]["breakdown"]["text"]["detail"]["status"] = "compared"
    assert recommend_cache.is_final({"items": [item]})


def test_every_list_writes_its_audit_rows_and_ai_record_cached_or_not(
    database: Database, world: dict[str, Any], client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func, select

    from talentbridge.storage.account_tables import AuditLogRow
    from talentbridge.storage.ai_record_tables import AiRunRecordRow

    monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)

    def counts() -> tuple[int, int]:
        with database.session() as session:
            audit = session.scalar(select(func.count()).select_from(AuditLogRow).where(AuditLogRow.entity == "talent"))
            runs = session.scalar(select(func.count()).select_from(AiRunRecordRow))
        return int(audit or 0), int(runs or 0)

    oid, tid = world["openings"][0], world["talents"][0]
    bodies = []
    for _ in range(3):
        before = counts()
        opening_list = client.get(f"/api/openings/{oid}/recommendations?top=5")
        talent_list = client.get(f"/api/talents/{tid}/recommendations?top=5")
        assert opening_list.status_code == talent_list.status_code == 200
        audit, runs = counts()
        shown = len(opening_list.json()["items"])
        assert shown > 0
        assert runs == before[1] + 2  # one AI record per list, cached or not
        assert audit >= before[0] + shown  # a view row per talent shown (and the talent's own list, if logged)
        keys = {opening_list.json()["ai_notice"]["record"], talent_list.json()["ai_notice"]["record"]}
        assert len(keys) == 2
        bodies.append((opening_list.json()["items"], talent_list.json()["items"]))
    assert bodies[0] == bodies[1] == bodies[2]
    assert recommend_cache.stats()["hits"] > 0


def test_data_version_names_the_taxonomy_and_the_subject(database: Database, world: dict[str, Any]) -> None:
    from talentbridge.services.ai_records import taxonomy_version

    with database.session() as session:
        found = recommend_cache.data_version(session, talent_id=world["talents"][0])
        missing = recommend_cache.data_version(session, opening_id=999_999)
        plain = recommend_cache.data_version(session)
        assert found is not None and missing is not None and plain is not None
        assert found.taxonomy_version == taxonomy_version(session)
    assert found.subject_found and not missing.subject_found and plain.subject_found
    assert found.newest is not None
    _apply(database, world, ("talent_region", 0, {}))
    with database.session() as session:
        after = recommend_cache.data_version(session, talent_id=world["talents"][0])
    assert after is not None
    if database.url.startswith("postgresql"):  # SQLite's stamps have whole seconds (the grace period covers it)
        assert after.stamps != found.stamps


def test_a_list_computed_for_a_version_reads_no_stamp_again(
    database: Database, settings: Settings, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version read for the request already holds the taxonomy's stamp (version and aliases) and the
    openings' and organizations' stamps: computing the list does not query them again, and a full pool sample
    does not count the talents."""
    from sqlalchemy import event

    from talentbridge.services import lexical_pool

    monkeypatch.setattr(lexical_pool, "POOL_SAMPLE", 3)
    monkeypatch.setattr(lexical_pool, "MIN_POOL", 2)
    _lists(database, settings, world, cached=False)  # pools, graphs and compiled openings exist
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.lower())

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with database.session() as session:
            ctx = MatchingContext(settings, session, today=TODAY)
            svc = RecommendationService(ctx, TalentIndexService(ctx))
            tid = world["talents"][0]
            version = svc.talent_list_version(tid)
            before = len(statements)
            svc.openings_for_talent_cached(tid, 5, OpeningFilters(), version=version)
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    during = statements[before:]
    assert during  # the talent itself is read
    assert not [s for s in during if "taxonomy_meta" in s or "skill_aliases" in s]
    assert not [s for s in during if "count(" in s]


class _Broker:
    """A store shared by the processes of a deployment, in memory: what goes in comes out as a copy (a pickle round
    trip, as through Redis)."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}
        self.hits = 0

    def get(self, key: str) -> Any | None:
        raw = self.entries.get(key)
        if raw is None:
            return None
        self.hits += 1
        return pickle.loads(raw)

    def put(self, key: str, value: Any, seconds: float) -> None:
        self.entries[key] = pickle.dumps(value)


@pytest.fixture
def broker() -> Iterator[_Broker]:
    store = _Broker()
    shared_lists.use(store)
    try:
        yield store
    finally:
        shared_lists.stop_sharing()


def test_lists_shared_between_processes_equal_lists_computed_now(
    database: Database, settings: Settings, world: dict[str, Any], broker: _Broker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Property: with lists shared between processes (``shared_lists``), a process that never computed a list
    takes it from the store — and after any sequence of writes, what it takes equals the list computed now."""
    if database.url.startswith("postgresql"):
        monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)
    else:
        _backdate(database)  # whole-second stamps: the world's own writes must be out of the grace period
    first = _lists(database, settings, world, cached=True)
    recommend_cache.clear()  # another process: none of these lists of its own
    assert _lists(database, settings, world, cached=True) == first
    assert broker.hits == len(world["openings"]) + len(world["talents"])
    assert recommend_cache.stats()["misses"] == broker.hits  # each missed locally, none computed

    @hsettings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps=edits)
    def run(steps: list[tuple[str, int, Any]]) -> None:
        for step in steps:
            _apply(database, world, step)
            _lists(database, settings, world, cached=True)  # one process computes and shares
            recommend_cache.clear()  # the next one has nothing of its own
            assert _lists(database, settings, world, cached=True) == _lists(database, settings, world, cached=False)

    hits = broker.hits
    run()
    if database.url.startswith("postgresql"):
        assert broker.hits > hits  # the property is about the shared lists, not about bypassing them


def test_a_list_is_not_shared_with_a_process_whose_index_holds_other_rows(
    database: Database, settings: Settings, world: dict[str, Any], broker: _Broker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process whose index took in a talent it saved itself (the others pick it up at their next check) does
    not take the lists drawn from an index without it, nor give its own to them."""
    monkeypatch.setattr(recommend_cache, "RECENT_SECONDS", 0.0)
    _backdate(database)
    _lists(database, settings, world, cached=True)
    with database.session() as session:
        index = TalentIndexService(MatchingContext(settings, session, today=TODAY))
        before = index.content_key()
        index.talent_changed(world["talents"][0])  # in memory only, as after a save through the API
        assert index.content_key() != before
    recommend_cache.clear()
    hits = broker.hits
    _lists(database, settings, world, cached=True, sync_interval=3600.0)
    # the openings-for-talent lists do not come from the index: taken; the talents-for-opening ones are computed
    assert broker.hits == hits + len(world["talents"])


def test_redis_lists_round_trip_expire_and_a_broker_that_is_down_or_an_unreadable_entry_cost_a_computation() -> None:
    import redis

    url = os.environ.get("TALENTBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("TALENTBRIDGE_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required (TALENTBRIDGE_REQUIRE_REDIS=1) but unreachable at {url}: {exc}")
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    store = shared_lists.RedisLists(url)
    key = shared_lists.shared_key(("openings_for_talent", uuid.uuid4().hex), (1, 2, 3))
    value = ({"items": [{"opening_id": 7, "score": 81.5, "reasons": ["파이썬 일치"]}]}, "esco-1.1.1", 60.0, 1.0)
    assert store.get(key) is None
    store.put(key, value, 60.0)
    assert store.get(key) == value
    short = shared_lists.shared_key("short", ())
    store.put(short, value, 0.05)
    time.sleep(0.3)
    assert store.get(short) is None
    down = shared_lists.RedisLists("redis://127.0.0.1:1/0")
    down.put(key, value, 60.0)
    assert down.get(key) is None
    garbled = shared_lists.shared_key("garbled", ())  # e.g. written by a release whose classes are gone
    redis.Redis.from_url(url).set(shared_lists.PREFIX + garbled, b"not a pickle", px=60_000)
    assert store.get(garbled) is None


def test_a_kept_list_keeps_access_records_of_its_talents_not_their_profiles(
    database: Database, settings: Settings, world: dict[str, Any]
) -> None:
    """What a kept (and shared) list holds of each talent it shows: identity and consent for the access decision,
    not the résumé, history and skills (a copy per process and per read from another worker)."""
    oid = world["openings"][0]
    with database.session() as session:
        ctx = MatchingContext(settings, session, today=TODAY)
        svc = RecommendationService(ctx, TalentIndexService(ctx))
        result, talents = svc.talents_for_opening_cached(oid, 5, TalentFilters(), version=None)
        full = Repositories(session).talents.get_many(list(talents))
    assert set(talents) == {i["talent_id"] for i in result["items"]} and talents
    for tid, record in talents.items():
        assert full[tid].skills  # the profile has them ...
        assert record.resume_text is None and record.skills == [] and record.work_history == []  # ... the record not
        assert (record.id, record.consent_visible, record.external_id) == (
            tid,
            full[tid].consent_visible,
            full[tid].external_id,
        )


def test_lists_computed_together_expire_spread_over_the_last_quarter_of_their_age(monkeypatch: Any) -> None:
    """``MAX_AGE_JITTER``: each entry's age limit is drawn in [(1 - jitter) * limit, limit], so lists computed in the
    same second are not all recomputed in the same second later (bench_scale's stall)."""
    recommend_cache.clear()
    now = [1000.0]
    monkeypatch.setattr(recommend_cache.time, "monotonic", lambda: now[0])
    version = recommend_cache.DataVersion(stamps=(1,), taxonomy_version="t", newest=None)
    computed: list[int] = []

    def compute(i: int) -> Any:
        computed.append(i)
        return {"items": [], "i": i}

    keys = range(200)
    for i in keys:
        recommend_cache.cached_list(("jitter", i), version, lambda i=i: compute(i))
    low = recommend_cache.MAX_AGE_SECONDS * (1 - recommend_cache.MAX_AGE_JITTER)
    expired_at = {}
    for second in range(int(low) - 1, int(recommend_cache.MAX_AGE_SECONDS) + 2):
        now[0] = 1000.0 + second
        for i in keys:
            if i not in expired_at:
                before = len(computed)
                recommend_cache.cached_list(("jitter", i), version, lambda i=i: compute(i))
                if len(computed) > before:
                    expired_at[i] = second
    assert sorted(expired_at) == list(keys)  # every list expired within the limit ...
    assert min(expired_at.values()) >= low  # ... none before (1 - jitter) of it ...
    assert len(set(expired_at.values())) > 20  # ... and not together
    recommend_cache.clear()


def test_a_kept_record_is_read_again_under_another_key_or_none() -> None:
    recommend_cache.clear()
    reads: list[str] = []

    def load(value: str) -> str:
        reads.append(value)
        return value

    assert recommend_cache.kept_record(("opening", 1, 7), lambda: load("a")) == "a"
    assert recommend_cache.kept_record(("opening", 1, 7), lambda: load("b")) == "a"  # kept
    assert recommend_cache.kept_record(("opening", 1, 8), lambda: load("c")) == "c"  # the counter moved
    assert recommend_cache.kept_record(None, lambda: load("d")) == "d"
    assert recommend_cache.kept_record(None, lambda: load("e")) == "e"  # no key: read every time
    assert reads == ["a", "c", "d", "e"]
    recommend_cache.clear()
    assert recommend_cache.kept_record(("opening", 1, 7), lambda: load("f")) == "f"


def _versions(index_part: int, beside: tuple[Any, ...] = (7, "t")) -> recommend_cache.DataVersion:
    """A version whose talents' part stops at ``index_part`` (the talent index's largest id) beside ``beside``."""
    return recommend_cache.DataVersion(
        stamps=(*beside, index_part), taxonomy_version="t", newest=None, talents_upto=index_part, beside_index=beside
    )


def test_after_the_index_moved_one_request_recomputes_and_the_others_get_the_previous_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new talent index version moves every talents-for-opening key of a process at once. One request at a time
    recomputes a list; the others are answered with the list drawn from the previous index (``refreshing``), so
    the process does not recompute all of its lists at once (bench_scale --preload 0: p95 above 1 s for 4 s)."""
    import threading

    recommend_cache.clear()
    now = [1000.0]
    monkeypatch.setattr(recommend_cache.time, "monotonic", lambda: now[0])
    lineage = ("talents_for_opening", "db", 1)
    old = recommend_cache.cached_list(("list", 1, "v1"), _versions(100), lambda: ["old"], lineage=lineage)
    assert old == (["old"], "t", False)

    inside, release = threading.Event(), threading.Event()

    def slow_new() -> list[str]:
        inside.set()
        assert release.wait(5)
        return ["new"]

    results: list[Any] = []
    first = threading.Thread(
        target=lambda: results.append(
            recommend_cache.cached_list(("list", 1, "v2"), _versions(200), slow_new, lineage=lineage)
        )
    )
    first.start()
    assert inside.wait(5)  # the first request to find the index moved recomputes ...
    meanwhile = recommend_cache.cached_list(("list", 1, "v2"), _versions(200), lambda: ["again"], lineage=lineage)
    assert meanwhile == (["old"], "t", True)  # ... the others get the previous list, said so, and compute nothing
    # another list of the process waits for the slot too (one recomputation at a time per process)
    other_line = ("talents_for_opening", "db", 2)
    recommend_cache.cached_list(("list", 2, "v1"), _versions(100), lambda: ["o-old"], lineage=other_line)
    assert recommend_cache.cached_list(("list", 2, "v2"), _versions(200), lambda: ["o-new"], lineage=other_line) == (
        ["o-old"],
        "t",
        True,
    )
    release.set()
    first.join(5)
    assert results == [(["new"], "t", False)]
    assert recommend_cache.cached_list(("list", 1, "v2"), _versions(200), lambda: ["never"], lineage=lineage) == (
        ["new"],
        "t",
        False,
    )
    # the slot is free again: the next request of the other list recomputes it
    assert recommend_cache.cached_list(("list", 2, "v2"), _versions(200), lambda: ["o-new"], lineage=other_line) == (
        ["o-new"],
        "t",
        False,
    )
    recommend_cache.clear()


def test_the_previous_list_never_answers_after_another_change_or_after_the_refresh_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only a moved index lets the previous list answer: a talent edited, withdrawn or erased (the talents' counter
    beside the index) or any other change computes the list at once, slot or not; and no previous list answers
    more than ``REFRESH_SECONDS`` after a request first found the index moved."""
    recommend_cache.clear()
    now = [1000.0]
    monkeypatch.setattr(recommend_cache.time, "monotonic", lambda: now[0])
    line = ("talents_for_opening", "db", 1)
    recommend_cache.cached_list(("l", "v1"), _versions(100), lambda: ["old"], lineage=line)
    assert recommend_cache._lineages.slot.acquire(blocking=False)  # as if another request were recomputing one
    try:
        edited = _versions(200, beside=(8, "t"))  # the talents' counter moved: an edit or an erasure
        assert recommend_cache.cached_list(("l", "v2"), edited, lambda: ["fresh"], lineage=line) == (
            ["fresh"],
            "t",
            False,
        )
        recommend_cache.cached_list(("l2", "v1"), _versions(100), lambda: ["old"], lineage=("other",))
        moved = recommend_cache.cached_list(("l2", "v2"), _versions(200), lambda: ["new"], lineage=("other",))
        assert moved.refreshing and moved.value == ["old"]  # first found moved at 1000.0
        now[0] += recommend_cache.REFRESH_SECONDS + 0.5
        late = recommend_cache.cached_list(("l2", "v2"), _versions(200), lambda: ["new"], lineage=("other",))
        assert late == (["new"], "t", False)  # too late for the previous list: computed here, slot or not
        # without a lineage (openings-for-talent) nothing is ever answered from another key
        recommend_cache.cached_list(("l3", "v1"), _versions(100), lambda: ["old"])
        assert recommend_cache.cached_list(("l3", "v2"), _versions(200), lambda: ["new"]).value == ["new"]
    finally:
        recommend_cache._lineages.slot.release()
        recommend_cache.clear()


def test_lists_superseded_by_a_new_index_version_answer_only_as_the_previous_list() -> None:
    """At a new index version's message the process's talents-for-opening lists are superseded: never a hit again,
    but each may answer as the previous list of its lineage while one request recomputes it; once it is
    recomputed the superseded one is gone."""
    recommend_cache.clear()
    line = ("talents_for_opening", "db", 1)
    key = ("talents_for_opening", "db", 1, "v1")
    recommend_cache.cached_list(key, _versions(100), lambda: ["old"], lineage=line)
    recommend_cache.supersede("talents_for_opening")
    assert recommend_cache.stats()["entries"] == 0
    assert recommend_cache._lineages.slot.acquire(blocking=False)  # another request is recomputing a list
    try:
        moved = recommend_cache.cached_list(
            ("talents_for_opening", "db", 1, "v2"), _versions(200), lambda: ["new"], lineage=line
        )
        assert moved == (["old"], "t", True)
    finally:
        recommend_cache._lineages.slot.release()
    fresh = recommend_cache.cached_list(
        ("talents_for_opening", "db", 1, "v2"), _versions(200), lambda: ["new"], lineage=line
    )
    assert fresh == (["new"], "t", False)
    assert recommend_cache._cache.peek((key, _versions(100).stamps), time.monotonic()) is None  # dropped
    recommend_cache.clear()


def test_a_version_that_does_not_say_what_lies_beside_the_index_never_gets_another_versions_list() -> None:
    """``DataVersion.beside_index`` unknown (a version not read by ``data_version``): no lineage is kept, so no
    list computed for another version answers, slot or not."""
    recommend_cache.clear()
    bare = [recommend_cache.DataVersion(stamps=(n,), taxonomy_version="t", newest=None) for n in (1, 2)]
    recommend_cache.cached_list(("b", 1), bare[0], lambda: ["one"], lineage=("b",))
    assert recommend_cache._lineages.slot.acquire(blocking=False)
    try:
        assert recommend_cache.cached_list(("b", 2), bare[1], lambda: ["two"], lineage=("b",)) == (["two"], "t", False)
    finally:
        recommend_cache._lineages.slot.release()
        recommend_cache.clear()
