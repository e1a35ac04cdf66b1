"""Reading the taxonomy through services.taxonomy_browser: pages and details as plain dicts, over the stored
taxonomy and over a fake ``TaxonomyReader``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from talentbridge.domain.errors import NotFound
from talentbridge.services import taxonomy_browser
from talentbridge.skills.taxonomy import Skill
from talentbridge.storage import Database


def test_search_and_detail_over_the_builtin_taxonomy(sqlite_database: Database) -> None:
    with sqlite_database.session() as s:
        page = taxonomy_browser.skill_page(s, "python", 1, 5)
        assert page["total"] >= 1 and page["pages"] >= 1 and len(page["items"]) <= 5
        first = page["items"][0]
        assert "python" in (first["label_en"] + " ".join(first["alt_en"])).lower()
        detail = taxonomy_browser.skill_detail(s, first["id"])
        assert detail["id"] == first["id"] and {"broader", "narrower", "related", "groups", "occupations"} <= set(detail)
        occupations = taxonomy_browser.occupation_page(s, "", 1, 3)
        assert occupations["total"] >= len(occupations["items"]) > 0
        occ = taxonomy_browser.occupation_detail(s, occupations["items"][0]["id"])
        assert {"essential_skills", "optional_skills", "isco_group"} <= set(occ)
        counts, last_import = taxonomy_browser.taxonomy_overview(s)
        assert counts["skills"] >= page["total"] and last_import is None
        with pytest.raises(NotFound):
            taxonomy_browser.skill_detail(s, "no-such-skill")


@dataclass
class _Page:
    items: list[Any]
    total: int
    page: int = 1
    size: int = 50

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass
class _FakeReader:
    skills: dict[str, Skill] = field(default_factory=dict)

    def get_skill(self, key: str) -> Skill | None:
        return self.skills.get(key)

    def narrower(self, skill_id: str) -> list[str]:
        return [s.id for s in self.skills.values() if skill_id in s.broader]

    def labels_of_skills(self, ids: Any) -> dict[str, tuple[str, str]]:
        return {i: (self.skills[i].label_en, self.skills[i].label_ko) for i in ids if i in self.skills}

    def related_types(self, skill_id: str) -> dict[str, str]:
        return {}

    def skill_groups_of(self, skill_id: str) -> list[Any]:
        return []

    def occupations_needing(self, skill_id: str, limit: int = 50) -> list[tuple[str, str, str, str]]:
        return [("ml-engineer", "ML engineer", "머신러닝 엔지니어", "essential")]

    def search_skills(self, query: str = "", page: int = 1, size: int = 50, **_: Any) -> _Page:
        found = [s for s in self.skills.values() if query in s.label_en.lower()]
        return _Page(found[(page - 1) * size : page * size], len(found), page, size)


def test_detail_names_relations_that_exist_and_drops_dangling_ones() -> None:
    ml = Skill(id="ml", label_en="Machine learning", label_ko="머신러닝", broader=["ai", "gone"])
    dl = Skill(id="dl", label_en="Deep learning", label_ko="딥러닝", broader=["ml"])
    ai = Skill(id="ai", label_en="AI", label_ko="인공지능")
    reader = _FakeReader({"ml": ml, "dl": dl, "ai": ai})
    detail = taxonomy_browser.skill_detail(None, "ml", reader=lambda _s: reader)  # type: ignore[arg-type]
    assert detail["broader"] == [{"id": "ai", "label_en": "AI", "label_ko": "인공지능"}]  # "gone" is not shown
    assert [n["id"] for n in detail["narrower"]] == ["dl"]
    assert detail["occupations"][0]["relation"] == "essential"
    page = taxonomy_browser.skill_page(None, "learning", 1, 1, reader=lambda _s: reader)  # type: ignore[arg-type]
    assert page["total"] == 2 and page["pages"] == 2 and len(page["items"]) == 1
