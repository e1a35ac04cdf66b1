"""Fixtures for the skills tests: a small hand-built bilingual taxonomy (no ESCO files, no eval data)."""

from __future__ import annotations

import pytest

from talentbridge.skills.taxonomy import Occupation, Skill, Taxonomy

ESCO = "http://data.europa.eu/esco/"


def make_taxonomy() -> Taxonomy:
    tax = Taxonomy()
    tax.add_skills(
        [
            Skill("pytorch", "PyTorch", "파이토치", alt_en=["torch"], type="tool", family="dl_frameworks"),
            Skill("tensorflow", "TensorFlow", "텐서플로", alt_ko=["텐서플로우"], type="tool"),
            Skill(
                "machine-learning",
                "machine learning",
                "머신러닝",
                alt_en=["ML"],
                alt_ko=["기계학습", "머신 러닝"],
                type="knowledge",
                esco_uri=ESCO + "skill/ml-0001",
            ),
            Skill("deep-learning", "deep learning", "딥러닝", alt_ko=["심층학습"], type="knowledge"),
            Skill("computer-vision", "computer vision", "컴퓨터비전", alt_ko=["컴퓨터 비전"], type="knowledge"),
            Skill(
                ESCO + "skill/python-0002",
                "Python (computer programming)",
                alt_en=["Python"],
                esco_uri=ESCO + "skill/python-0002",
                builtin=False,
            ),
            Skill(
                ESCO + "skill/sql-0003",
                "SQL",
                alt_en=["structured query language"],
                esco_uri=ESCO + "skill/sql-0003",
                builtin=False,
            ),
            Skill(ESCO + "skill/weld-0004", "use welding equipment", alt_en=["operate welding equipment"],
                  esco_uri=ESCO + "skill/weld-0004", builtin=False),
        ]
    )
    tax.add_occupations(
        [
            Occupation("ml-engineer", "machine learning engineer", "머신러닝 엔지니어", alt_en=["ML engineer"],
                       isco_code="2512"),
            Occupation(ESCO + "occupation/welder", "welder", alt_en=["welding worker"], isco_code="7212",
                       esco_uri=ESCO + "occupation/welder", builtin=False),
            Occupation(ESCO + "occupation/nurse", "specialist nurse", alt_en=["nurse"], isco_code="2221",
                       esco_uri=ESCO + "occupation/nurse", builtin=False),
            Occupation(ESCO + "occupation/data-scientist", "data scientist", alt_en=["data science expert"],
                       isco_code="2511", esco_uri=ESCO + "occupation/data-scientist", builtin=False),
            Occupation(ESCO + "occupation/software-developer", "software developer",
                       alt_en=["software engineer", "programmer"], isco_code="2512",
                       esco_uri=ESCO + "occupation/software-developer", builtin=False),
        ]
    )
    return tax


@pytest.fixture
def taxonomy() -> Taxonomy:
    return make_taxonomy()


@pytest.fixture
def settings_env(tmp_path, monkeypatch):
    """Settings pointing at a temporary data dir; the services use the fixture taxonomy."""
    from talentbridge import config
    from talentbridge.services import skill_extraction

    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    config.get_settings.cache_clear()
    skill_extraction.reset_skill_services()
    monkeypatch.setattr(skill_extraction, "load_taxonomy_for", lambda settings: (make_taxonomy(), "builtin"))
    yield config.get_settings()
    config.get_settings.cache_clear()
    skill_extraction.reset_skill_services()
