"""Rule files are validated at load and every problem of every file is listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentbridge.domain.errors import RulesInvalid, ValidationFailed
from talentbridge.support import load_rules, normalize_facts, rules_dir

GOOD = (rules_dir() / "youth-job-leap-employer_2026.toml").read_text(encoding="utf-8")


def test_the_shipped_rules_load(tmp_path: Path) -> None:
    book = load_rules()
    assert len(book) >= 20
    for sid in (
        "youth-job-leap-employer",
        "sme-researcher-new",
        "sme-researcher-senior",
        "public-researcher-secondment",
        "sme-contract-department",
        "stock-option-exemption",
        "stock-option-deferral",
        "venture-stock-options",
        "visa-e7-1",
        "visa-f2-t",
        "visa-k-tech-pass",
        "visa-f2-7",
        "visa-d10-1",
        "visa-d8-4",
    ):
        assert sid in book.ids()


def test_every_problem_of_every_file_is_listed(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(
        GOOD.replace('op = "ge"', 'op = "about"').replace("verified = true", ""), encoding="utf-8"
    )
    (tmp_path / "b.toml").write_text('id = "x"\nversion = \n', encoding="utf-8")
    (tmp_path / "c.toml").write_text(
        GOOD.replace('to = "employer"', 'to = "everyone"').replace("[benefit]", "[benefit]\nsurprise = 1"),
        encoding="utf-8",
    )
    with pytest.raises(RulesInvalid) as caught:
        load_rules(tmp_path)
    where = [(p.loc[0], p.type) for p in caught.value.problems]
    assert ("b.toml", "toml") in where
    a = [p for p in caught.value.problems if p.loc[0] == "a.toml"]
    assert any("verified" in p.loc for p in a) and any("op" in map(str, p.loc) for p in a)
    c = [p for p in caught.value.problems if p.loc[0] == "c.toml"]
    assert any("surprise" in p.loc for p in c) and any("to" in p.loc for p in c)


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.toml").write_text(
        GOOD.replace('version = "2026"', 'version = "2026b"').replace(
            "effective_from = 2026-01-26", "effective_from = 2026-06-01"
        ),
        encoding="utf-8",
    )
    with pytest.raises(RulesInvalid, match="problem") as caught:
        load_rules(tmp_path)
    assert [p.type for p in caught.value.problems] == ["overlap"]


def test_next_years_version_is_a_new_file(tmp_path: Path) -> None:
    (tmp_path / "2026.toml").write_text(
        GOOD.replace("effective_from = 2026-01-26", "effective_from = 2026-01-26\neffective_to = 2026-12-31"),
        encoding="utf-8",
    )
    (tmp_path / "2027.toml").write_text(
        GOOD.replace('version = "2026"', 'version = "2027"')
        .replace("effective_from = 2026-01-26", "effective_from = 2027-01-01")
        .replace("cap = 7200000", "cap = 8000000")
        .replace("per_month = 600000", "per_month = 700000"),
        encoding="utf-8",
    )
    from datetime import date

    book = load_rules(tmp_path)
    assert book.in_force("youth-job-leap-employer", date(2026, 12, 31)).version == "2026"
    assert book.in_force("youth-job-leap-employer", date(2027, 1, 1)).benefit.cap == 8_000_000


def test_bad_facts_are_all_reported() -> None:
    with pytest.raises(ValidationFailed) as caught:
        normalize_facts(
            {"person": {"age": "old", "shoe_size": 44}, "offer.annual_salary": 1.5, "person.points_age": -3}
        )
    assert sorted(p.loc[1] for p in caught.value.problems) == [
        "offer.annual_salary",
        "person.age",
        "person.points_age",
        "person.shoe_size",
    ]
