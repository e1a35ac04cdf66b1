"""A small hand-built taxonomy and factories for talents and openings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from talentbridge.domain import Opening, RequiredSkill, SkillClaim, Talent
from talentbridge.matching.graph import SkillGraph
from talentbridge.skills.taxonomy import Skill, Taxonomy

TODAY = date(2026, 11, 25)


def small_taxonomy() -> Taxonomy:
    tax = Taxonomy()
    tax.add_skills(
        [
            Skill("machine-learning", "Machine learning", "머신러닝"),
            Skill("deep-learning", "Deep learning", "딥러닝", broader=["machine-learning"]),
            Skill(
                "dl-frameworks", "Deep learning frameworks", "딥러닝 프레임워크", broader=["deep-learning"]
            ),
            Skill("pytorch", "PyTorch", "파이토치", broader=["dl-frameworks"]),
            Skill("tensorflow", "TensorFlow", "텐서플로", broader=["dl-frameworks"]),
            Skill("jax", "JAX", "JAX", broader=["dl-frameworks"]),
            Skill("computer-vision", "Computer vision", "컴퓨터 비전", related=["deep-learning"]),
            Skill("python", "Python", "파이썬"),
            Skill("sql", "SQL", "SQL"),
            Skill("data-engineering", "Data engineering", "데이터 엔지니어링", related=["sql"]),
            Skill("spark", "Apache Spark", "스파크", broader=["data-engineering"]),
            Skill("airflow", "Apache Airflow", "에어플로", broader=["data-engineering"]),
            Skill("quality-control", "Quality control", "품질관리"),
            Skill("spc", "Statistical process control", "통계적 공정관리", broader=["quality-control"]),
            Skill("mlops", "MLOps", "MLOps", related=["machine-learning"]),
        ]
    )
    return tax


SKILL_IDS = sorted(small_taxonomy().skills)


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return small_taxonomy()


@pytest.fixture(scope="session")
def graph(taxonomy: Taxonomy) -> SkillGraph:
    return SkillGraph(taxonomy)


def make_talent(id: int = 1, skills: dict[str, int] | None = None, **kw: Any) -> Talent:
    data: dict[str, Any] = {
        "id": id,
        "name": f"인재{id}",
        "region": "seoul",
        "consent_visible": True,
        "employment_types": ["full_time", "secondment", "pbl", "internship", "joint_rnd"],
        "skills": [SkillClaim(skill_id=s, level=lv) for s, lv in (skills or {}).items()],
    }
    data.update(kw)
    return Talent(**data)


def make_opening(id: int = 1, skills: dict[str, tuple[int, str]] | None = None, **kw: Any) -> Opening:
    data: dict[str, Any] = {
        "id": id,
        "organization_id": 100,
        "kind": "job",
        "title": "ML Engineer",
        "region": "seoul",
        "status": "open",
        "required_skills": [
            RequiredSkill(skill_id=s, min_level=lv, importance=imp) for s, (lv, imp) in (skills or {}).items()
        ],
    }
    data.update(kw)
    return Opening(**data)
