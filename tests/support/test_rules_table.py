"""Table-driven checks of every encoded scheme version at the boundary of each condition (age 34 vs 35, wage
floor ± ₩1, capital vs non-capital, effective date ± 1 day), with the amount — from the sourced notes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from talentbridge.support import load_rules, normalize_facts, screen

BOOK = load_rules()


def result(scheme: str, facts: dict[str, Any], on: date) -> Any:
    found = [r for r in screen(BOOK, normalize_facts(facts), on) if r.id == scheme]
    return found[0] if found else None


YOUTH_2025 = {
    "organization": {"is_sme": True, "employees": 5},
    "person": {"age": 34, "hard_to_employ": True},
}


@pytest.mark.parametrize(
    ("changes", "on", "status", "version"),
    [
        ({}, date(2025, 6, 1), "eligible", "2025"),
        ({"person.age": 35}, date(2025, 6, 1), "not_eligible", "2025"),
        ({"person.age": 15}, date(2025, 6, 1), "eligible", "2025"),
        ({"person.age": 14}, date(2025, 6, 1), "not_eligible", "2025"),
        ({"organization.employees": 4}, date(2025, 6, 1), "not_eligible", "2025"),
        ({"organization.is_sme": False}, date(2025, 6, 1), "not_eligible", "2025"),
        # not 취업애로 by the flag, months unemployed unknown: the other way in may still hold
        ({"person.hard_to_employ": False}, date(2025, 6, 1), "undetermined", "2025"),
        ({"person.hard_to_employ": False, "person.unemployed_months": 0}, date(2025, 6, 1), "not_eligible", "2025"),
        ({"person.hard_to_employ": False, "person.unemployed_months": 4}, date(2025, 6, 1), "eligible", "2025"),
        ({"person.hard_to_employ": False, "person.unemployed_months": 3}, date(2025, 6, 1), "not_eligible", "2025"),
        ({"person.hard_to_employ": None}, date(2025, 6, 1), "undetermined", "2025"),
        ({}, date(2026, 1, 25), "eligible", "2025"),  # the last day of the 2025 rules
    ],
)
def test_youth_job_leap_employer_2025(changes: dict[str, Any], on: date, status: str, version: str) -> None:
    facts = {f"{k}.{kk}": v for k, sub in YOUTH_2025.items() for kk, v in sub.items()}
    facts.update(changes)
    r = result("youth-job-leap-employer", {k: v for k, v in facts.items() if v is not None}, on)
    assert (r.status, r.version) == (status, version)
    if status == "eligible":
        assert (r.amount_min, r.amount_max) == (7_200_000, 7_200_000)


def test_youth_job_leap_is_not_there_before_its_first_day() -> None:
    facts = {"organization.is_sme": True, "organization.employees": 9, "person.age": 30, "person.hard_to_employ": True}
    assert result("youth-job-leap-employer", facts, date(2025, 1, 22)) is None
    assert result("youth-job-leap-employer", facts, date(2025, 1, 23)).version == "2025"


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        # non-capital SME: no 취업애로 condition
        (
            {"organization.is_sme": True, "organization.capital_region": False, "person.hard_to_employ": False},
            "eligible",
        ),
        # capital-region SME must hire a youth with employment difficulty
        (
            {"organization.is_sme": True, "organization.capital_region": True, "person.hard_to_employ": False},
            "not_eligible",
        ),
        ({"organization.is_sme": True, "organization.capital_region": True, "person.hard_to_employ": True}, "eligible"),
        # mid-sized firms qualify only outside the capital region and in an industrial complex
        (
            {
                "organization.is_sme": False,
                "organization.is_midsize": True,
                "organization.capital_region": False,
                "organization.in_industrial_complex": True,
            },
            "eligible",
        ),
        (
            {
                "organization.is_sme": False,
                "organization.is_midsize": True,
                "organization.capital_region": True,
                "organization.in_industrial_complex": True,
                "person.hard_to_employ": True,
            },
            "not_eligible",
        ),
        ({"organization.is_sme": True}, "undetermined"),  # region unknown: the capital rule may apply
    ],
)
def test_youth_job_leap_employer_2026_capital_and_non_capital(facts: dict[str, Any], status: str) -> None:
    facts = {"person.age": 29, "organization.employees": 10, **facts}
    r = result("youth-job-leap-employer", facts, date(2026, 1, 26))
    assert r.version == "2026"
    assert r.status == status


@pytest.mark.parametrize(("area", "amount"), [("general", 4_800_000), ("preferred", 6_000_000), ("special", 7_200_000)])
def test_youth_retention_bonus_2026_by_area(area: str, amount: int) -> None:
    r = result(
        "youth-job-leap-youth",
        {"person.age": 34, "organization.capital_region": False, "organization.area_type": area},
        date(2026, 3, 1),
    )
    assert (r.status, r.amount_min, r.amount_max) == ("eligible", amount, amount)


def test_youth_retention_bonus_2026_range_when_the_area_is_unknown_and_none_in_the_capital() -> None:
    r = result("youth-job-leap-youth", {"person.age": 20, "organization.capital_region": False}, date(2026, 3, 1))
    assert (r.status, r.amount_min, r.amount_max) == ("eligible", 4_800_000, 7_200_000)
    capital = result("youth-job-leap-youth", {"person.age": 20, "organization.capital_region": True}, date(2026, 3, 1))
    assert capital.status == "not_eligible"
    old = result("youth-job-leap-youth", {"person.age": 35, "organization.capital_region": False}, date(2026, 3, 1))
    assert old.status == "not_eligible"


def test_youth_retention_bonus_2025_milestones() -> None:
    r = result(
        "youth-job-leap-youth",
        {"person.age": 25, "organization.vacancy_industry": True, "placement.start_date": "2025-03-31"},
        date(2025, 6, 1),
    )
    assert r.status == "eligible" and r.amount_max == 4_800_000
    assert [(m["after_months"], m["amount"], m["due"]) for m in r.milestones] == [
        (18, 2_400_000, date(2026, 9, 30)),
        (24, 2_400_000, date(2027, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("salary", "on", "status"),
    [
        (28_670_000, date(2025, 12, 31), "eligible"),
        (28_669_999, date(2025, 12, 31), "not_eligible"),
        (28_670_000, date(2026, 1, 1), "not_eligible"),  # the 2026 floor is higher
        (31_120_000, date(2026, 1, 1), "eligible"),
        (31_119_999, date(2026, 1, 1), "not_eligible"),
    ],
)
def test_e7_1_wage_floor_on_both_sides_of_new_year(salary: int, on: date, status: str) -> None:
    facts = {
        "person.foreign": True,
        "person.degree": "bachelor",
        "person.years_experience": 1,
        "offer.annual_salary": salary,
    }
    r = result("visa-e7-1", facts, on)
    assert r.status == status
    wage = next(c for c in r.conditions if c.id == "wage_floor")
    if status == "not_eligible":
        assert wage.status == "not_met" and wage.hint_en and "₩" in wage.hint_en
        assert ("31,120,000" if on.year == 2026 else "28,670,000") in wage.hint_en


@pytest.mark.parametrize(
    ("person", "met"),
    [
        ({"degree": "master", "degree_related": True}, True),
        ({"degree": "master", "degree_related": False, "years_experience": 0.5}, False),
        ({"degree": "bachelor", "years_experience": 1}, True),
        ({"degree": "bachelor", "years_experience": 0.9}, False),
        ({"degree": "high_school", "years_experience": 5}, True),
        ({"degree": "high_school", "years_experience": 4.9}, False),
    ],
)
def test_e7_1_education_or_experience(person: dict[str, Any], met: bool) -> None:
    facts = {"person": {"foreign": True, **person}, "offer": {"annual_salary": 40_000_000}}
    r = result("visa-e7-1", facts, date(2025, 6, 1))
    cond = next(c for c in r.conditions if c.id == "education_or_experience")
    assert cond.status == ("met" if met else "not_met")


TOP = {
    "person.foreign": True,
    "organization.sector": "semiconductor",
    "person.degree": "doctorate",
    "person.top_university": True,
    "person.years_experience": 8,
    "person.global_firm_years": 3,
    "person.postdoc_years": 0,
}


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"offer.annual_salary": 149_865_000}, "eligible"),
        ({"offer.annual_salary": 149_864_999}, "not_eligible"),
        ({"offer.annual_salary": 160_000_000, "person.years_experience": 7}, "not_eligible"),
        # pay of 4x GNI waives the career condition ...
        ({"offer.annual_salary": 199_820_000, "person.years_experience": 2, "person.global_firm_years": 0}, "eligible"),
        (
            {"offer.annual_salary": 199_819_999, "person.years_experience": 2, "person.global_firm_years": 0},
            "not_eligible",
        ),
        # ... or the education condition, not both
        ({"offer.annual_salary": 199_820_000, "person.top_university": False}, "eligible"),
        (
            {"offer.annual_salary": 199_820_000, "person.top_university": False, "person.global_firm_years": 0},
            "not_eligible",
        ),
        ({"offer.annual_salary": 150_000_000, "organization.sector": "ai"}, "not_eligible"),  # not a 2025 sector
    ],
)
def test_top_tier_2025(changes: dict[str, Any], status: str) -> None:
    assert result("visa-f2-t", {**TOP, **changes}, date(2025, 6, 1)).status == status


def test_top_tier_2026_adds_ai_but_marks_the_sector_list_unverified() -> None:
    r = result("visa-f2-t", {**TOP, "organization.sector": "ai", "offer.annual_salary": 150_000_000}, date(2026, 6, 1))
    assert r.status == "eligible" and r.version == "2026"
    assert r.verified is False
    assert next(c for c in r.conditions if c.id == "sector").verified is False


@pytest.mark.parametrize(
    ("degree", "years", "status"),
    [
        ("doctorate", 5, "eligible"),
        ("doctorate", 4.9, "not_eligible"),
        ("master", 10, "eligible"),
        ("master", 9.9, "not_eligible"),
        ("bachelor", 14, "eligible"),
        ("bachelor", 13.9, "not_eligible"),
        ("associate", 20, "not_eligible"),
    ],
)
def test_senior_researcher_career_by_degree(degree: str, years: float, status: str) -> None:
    facts = {
        "organization.is_sme": True,
        "organization.has_rnd_lab": True,
        "person.degree": degree,
        "person.research_years": years,
        "offer.annual_salary": 120_000_000,
    }
    r = result("sme-researcher-senior", facts, date(2026, 3, 1))
    assert r.status == status
    # 50% of ₩120M is ₩60M, capped at ₩50M a year, for 3 years
    assert (r.amount_min, r.amount_max) == (150_000_000, 150_000_000)


def test_new_researcher_associate_degree_from_2026_only() -> None:
    facts = {
        "organization.is_sme": True,
        "organization.has_rnd_lab": True,
        "person.degree": "associate",
        "person.degree_stem": True,
        "person.years_since_degree": 5,
        "person.age": 39,
        "offer.annual_salary": 40_000_000,
    }
    assert result("sme-researcher-new", facts, date(2025, 12, 31)).status == "not_eligible"
    r = result("sme-researcher-new", facts, date(2026, 1, 1))
    assert r.status == "eligible" and r.amount_max == 60_000_000  # 50% × ₩40M × 3 years
    assert result("sme-researcher-new", {**facts, "person.age": 40}, date(2026, 1, 1)).status == "not_eligible"
    assert (
        result("sme-researcher-new", {**facts, "person.years_since_degree": 6}, date(2026, 1, 1)).status
        == "not_eligible"
    )


def test_public_researcher_secondment_and_contract_department() -> None:
    facts = {
        "person.public_institute_researcher": True,
        "person.degree": "master",
        "organization.venture_certified": True,
        "organization.is_sme": False,
        "organization.has_rnd_lab": True,
        "offer.annual_salary": 80_000_000,
    }
    r = result("public-researcher-secondment", facts, date(2025, 12, 1))
    assert r.status == "eligible" and r.amount_max == 120_000_000
    assert (
        result("public-researcher-secondment", {**facts, "person.degree": "bachelor"}, date(2025, 12, 1)).status
        == "not_eligible"
    )
    sme = {"organization.is_sme": True, "person.sme_tenure_months": 6}
    assert result("sme-contract-department", sme, date(2025, 8, 1)).status == "eligible"
    assert (
        result("sme-contract-department", {**sme, "person.sme_tenure_months": 5}, date(2025, 8, 1)).status
        == "not_eligible"
    )
    assert result("sme-contract-department", sme, date(2025, 7, 2)) is None


@pytest.mark.parametrize(
    ("on", "annual"),
    [
        (date(2019, 12, 31), 20_000_000),
        (date(2020, 1, 1), 30_000_000),
        (date(2022, 12, 31), 50_000_000),
        (date(2023, 1, 1), 200_000_000),
        (date(2027, 12, 31), 200_000_000),
    ],
)
def test_stock_option_exemption_limit_by_year(on: date, annual: int) -> None:
    assert BOOK.in_force("stock-option-exemption", on).parameters["annual_limit"] == annual


def test_stock_option_exemption_ends_with_its_sunset() -> None:
    assert BOOK.in_force("stock-option-exemption", date(2028, 1, 1)) is None
    r = result(
        "stock-option-exemption",
        {"person.officer_or_employee": True, "organization.venture_certified": True, "person.major_shareholder": False},
        date(2028, 1, 1),
    )
    assert r.status == "not_in_force" and r.version == "2023"


@pytest.mark.parametrize(("total", "status"), [(500_000_000, "eligible"), (500_000_001, "not_eligible")])
def test_stock_option_deferral_limit(total: int, status: str) -> None:
    facts = {
        "organization.venture_certified": True,
        "person.officer_or_employee": True,
        "options.exercise_price_total_2y": total,
    }
    assert result("stock-option-deferral", facts, date(2025, 1, 1)).status == status


@pytest.mark.parametrize(("years", "status"), [(2, "eligible"), (1.99, "not_eligible")])
def test_venture_holding_period(years: float, status: str) -> None:
    facts = {"options.years_since_grant": years, "options.pool_share": 0.5, "person.major_shareholder": False}
    assert result("venture-stock-options", facts, date(2025, 1, 1)).status == status


@pytest.mark.parametrize(
    ("points", "status"),
    [
        ({"age": 25, "education": 25, "korean": 20, "income": 10, "bonus": 0, "deduction": 0}, "eligible"),
        ({"age": 25, "education": 25, "korean": 20, "income": 9, "bonus": 0, "deduction": 0}, "not_eligible"),
        ({"age": 25, "education": 25, "korean": 20, "income": 60, "bonus": 0, "deduction": -30}, "eligible"),
        ({"age": 25, "education": 25, "korean": 20}, "undetermined"),  # 70 so far; income could add up to 60
        ({"age": 0, "education": 0, "korean": 0, "income": 0}, "not_eligible"),  # at most 40 bonus points left
    ],
)
def test_f2_7_points(points: dict[str, int], status: str) -> None:
    facts = {"person.foreign": True, **{f"person.points_{k}": v for k, v in points.items()}}
    r = result("visa-f2-7", facts, date(2025, 6, 1))
    assert r.status == status
    assert r.points is not None and r.points["pass_mark"] == 80 and r.points["out_of"] == 170


@pytest.mark.parametrize(
    ("basic", "optional", "status"), [(20, 40, "eligible"), (19, 50, "not_eligible"), (20, 39, "not_eligible")]
)
def test_d10_1_points_with_a_floor_on_basic_items(basic: int, optional: int, status: str) -> None:
    facts = {"person.foreign": True, "person.points_basic": basic, "person.points_optional": optional}
    assert result("visa-d10-1", facts, date(2025, 6, 1)).status == status


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ({"degree": "bachelor", "oasis_points": 80}, "eligible"),
        ({"degree": "bachelor", "oasis_points": 79}, "not_eligible"),
        ({"degree": "associate", "degree_from_korea": True, "oasis_points": 80}, "eligible"),
        ({"degree": "associate", "degree_from_korea": False, "oasis_points": 80}, "not_eligible"),
    ],
)
def test_d8_4(person: dict[str, Any], status: str) -> None:
    facts = {"person": {"foreign": True, **person}, "organization": {"korean_corporation": True}}
    assert result("visa-d8-4", facts, date(2025, 6, 1)).status == status


def test_k_tech_pass_pay_is_unverified_and_guidance_names_the_authority() -> None:
    facts = {
        "person.foreign": True,
        "organization.high_tech": True,
        "person.degree": "master",
        "person.top_university": True,
        "person.global_firm_years": 2,
        "offer.annual_salary": 149_865_000,
    }
    r = result("visa-k-tech-pass", facts, date(2025, 6, 1))
    assert r.status == "eligible" and r.verified is False
    assert "guidance" in r.confirm_with
    assert r.settlement and all(item["ko"] and item["en"] for item in r.settlement)
