"""Offer comparison: hand-computed examples (exemption limit reached, holding period not met, option under water)
and validation that lists every bad field."""

from __future__ import annotations

import pytest

from talentbridge.domain.errors import ValidationFailed
from talentbridge.support import compare_offers, load_rules
from talentbridge.support.offers import vested_fraction

BOOK = load_rules()


def offer(**startup: object) -> dict:
    base = {
        "years": 4,
        "start": "2025-06-01",
        "startup": {
            "salary": 60_000_000,
            "raise_pct": 0,
            "venture_certified": True,
            "exit_year": 2,
            "options": {
                "count": 20_000,
                "strike": 5_000,
                "vesting_years": 4,
                "cliff_months": 12,
                "grant_date": "2025-06-01",
            },
            "scenarios": {"bear": 4_000, "base": 25_000, "bull": 65_000},
        },
        "large": {"salary": 70_000_000, "bonus_pct": 10, "raise_pct": 0},
        "assumptions": {"salary_tax_rate": 0.2, "option_tax_rate": 0.35},
    }
    base["startup"].update(startup)
    return base


def test_base_case_within_the_exemption_and_bear_case_under_water() -> None:
    result = compare_offers(offer(), BOOK)
    # exit after 2 years: half of 20,000 options vested, the holding period just met
    assert result["exit_date"] == "2027-06-01" and result["vested_shares_at_exit"] == 10_000
    base = result["scenarios"]["base"]
    # gain (25,000 - 5,000) x 10,000 = 200,000,000: all within the ₩200M annual exemption of §16의2 (2023 version)
    last = base["rows"][1]
    assert (last["option_gain"], last["option_exempt"], last["option_taxed"]) == (200_000_000, 200_000_000, 0)
    assert last["startup_net"] == 60_000_000 * 0.8 + 200_000_000
    assert base["totals"]["large_gross"] == 4 * 77_000_000
    assert base["totals"]["startup_net"] == 4 * 48_000_000 + 200_000_000
    assert base["difference_net"] == (4 * 48_000_000 + 200_000_000) - 4 * 61_600_000
    assert result["rules"]["exemption"]["version"] == "stock-option-exemption@2023"
    bear = result["scenarios"]["bear"]
    assert bear["flags"] == ["under_water"] and bear["rows"][1]["option_gain"] == 0


def test_gain_beyond_the_annual_limit_is_taxed() -> None:
    bull = compare_offers(offer(), BOOK)["scenarios"]["bull"]
    # gain (65,000 - 5,000) x 10,000 = 600,000,000; ₩200M exempt, ₩400M taxed at 35% = ₩140M
    last = bull["rows"][1]
    assert (last["option_gain"], last["option_exempt"], last["option_taxed"]) == (600_000_000, 200_000_000, 400_000_000)
    assert last["startup_net"] == 48_000_000 + 600_000_000 - 140_000_000
    assert "exemption_limit_reached" in bull["flags"]


def test_no_exercise_before_the_two_year_holding_period() -> None:
    result = compare_offers(offer(exit_year=1), BOOK)
    for scenario in result["scenarios"].values():
        assert "holding_period_not_met" in scenario["flags"]
        assert all(row["option_gain"] == 0 for row in scenario["rows"])


def test_a_non_venture_gets_no_exemption() -> None:
    base = compare_offers(offer(venture_certified=False), BOOK)["scenarios"]["base"]
    last = base["rows"][1]
    assert (last["option_exempt"], last["option_taxed"]) == (0, 200_000_000)
    assert "not_a_venture" in base["flags"]


def test_an_exit_after_the_sunset_gets_no_exemption() -> None:
    result = compare_offers(offer(exit_year=4), BOOK)  # exit 2029-06-01, after the 2027-12-31 sunset
    base = result["scenarios"]["base"]
    assert result["rules"]["exemption"]["version"] is None
    assert "exemption_not_in_force" in base["flags"]
    assert base["rows"][3]["option_exempt"] == 0 and base["rows"][3]["option_taxed"] == base["rows"][3]["option_gain"]


@pytest.mark.parametrize(("months", "fraction"), [(11, 0.0), (12, 0.25), (24, 0.5), (48, 1.0), (60, 1.0)])
def test_vesting_after_a_cliff(months: int, fraction: float) -> None:
    assert vested_fraction(months, 4, 12) == fraction


def test_every_bad_field_is_listed() -> None:
    bad = offer()
    bad["startup"]["salary"] = "a lot"
    bad["large"] = {}
    bad["assumptions"] = {"salary_tax_rate": 2}
    bad["startup"]["options"]["grant_date"] = "someday"
    with pytest.raises(ValidationFailed) as caught:
        compare_offers(bad, BOOK)
    locs = {tuple(p.loc) for p in caught.value.problems}
    assert {
        ("startup", "salary"),
        ("large", "salary"),
        ("assumptions", "salary_tax_rate"),
        ("startup", "options", "grant_date"),
    } <= locs
