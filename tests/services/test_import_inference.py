"""Imported talents and openings without skills get skills inferred from their text (stored as inferred)."""

from pathlib import Path

from talentbridge.config import build_settings
from talentbridge.services.importing import import_file
from talentbridge.services.inference import inference_hook
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories


def test_import_infers_skills_from_resume_text(sqlite_database: Database, tmp_path: Path) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    csv = tmp_path / "talents.csv"
    csv.write_text(
        "external_id,name,resume_text,skills\n"
        "t1,김하늘,PyTorch 기반 비전 검사 모델 개발 3년. 쿠버네티스로 MLOps 파이프라인 구축,\n"
        "t2,이바다,Python and SQL data analysis,python:5\n",
        encoding="utf-8",
    )
    import_file(sqlite_database, "talents", csv, infer=inference_hook(settings))
    with sqlite_database.session() as s:
        repos = Repositories(s)
        inferred = repos.talents.get_by_external_id("t1")
        explicit = repos.talents.get_by_external_id("t2")
    ids = {c.skill_id for c in inferred.skills}
    assert {"pytorch", "kubernetes"} <= ids
    assert all(c.source.value == "inferred" and c.confidence is not None for c in inferred.skills)
    # explicit skills are left as they are
    assert [(c.skill_id, c.source.value) for c in explicit.skills] == [("python", "explicit")]


def test_switched_off_inference_imports_as_is(tmp_path: Path) -> None:
    assert inference_hook(build_settings(environment="test", data_dir=tmp_path, infer_skills=False)) is None
