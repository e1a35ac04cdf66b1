"""Comparing a startup offer (salary + stock options) with a large company's (salary + bonus) over N years.

``compare_offers(data)`` takes and returns plain dicts, like ``programs.solve``. Options are taken as exercised and
sold at the exit (year ``exit_year``) at the scenario's price per share; the gain is (price − strike) × vested
shares. The tax rules are read from the rule files in force at the exit date:

* 벤처기업법 §16의3 (``venture-stock-options``): no exercise before ``holding_years`` after the grant;
* 조특법 §16의2 (``stock-option-exemption``): for a certified venture, gains up to ``annual_limit`` a year (and
  ``cumulative_limit`` in all, when the version has one) are tax-free; the rest is taxed at the assumed rate.

Everything else is an assumption the caller may change, and the result repeats every assumption it used. The
figures are approximations for comparing offers, not tax advice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.support._loader import RuleBook

__all__ = ["compare_offers", "DEFAULT_ASSUMPTIONS", "vested_fraction"]

DEFAULT_ASSUMPTIONS: dict[str, float] = {
    "salary_tax_rate": 0.20,  # income tax, local tax and social insurance on salary, as one average rate
    "option_tax_rate": 0.35,  # marginal rate on the taxable part of an exercise gain (earned income)
}
SCENARIOS = ("bear", "base", "bull")


def vested_fraction(months_since_grant: int, vesting_years: float, cliff_months: int) -> float:
    """Monthly vesting over ``vesting_years`` after a cliff (nothing before it, the months so far at it)."""
    if months_since_grant < cliff_months:
        return 0.0
    total = vesting_years * 12
    return 1.0 if total <= 0 else min(1.0, months_since_grant / total)


def _number(
    data: dict[str, Any],
    key: str,
    loc: tuple[str, ...],
    problems: list[Problem],
    *,
    default: float | None = None,
    low: float = 0,
    high: float = 1e13,
) -> float:
    value = data.get(key, default)
    if value is None:
        problems.append(Problem(loc=(*loc, key), msg="required", type="missing"))
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(Problem(loc=(*loc, key), msg="must be a number", value=value, type="type"))
        return 0.0
    if not (low <= value <= high):
        problems.append(Problem(loc=(*loc, key), msg=f"must be between {low:g} and {high:g}", value=value))
        return 0.0
    return float(value)


def _add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def compare_offers(data: dict[str, Any], book: RuleBook) -> dict[str, Any]:
    """Compare the two offers year by year under bear / base / bull exit prices.

    ``data``: ``{"years": 5, "start": "2026-03-01",
    "startup": {"salary": 70e6, "raise_pct": 5, "venture_certified": true, "exit_year": 4,
                "options": {"count": 10000, "strike": 5000, "vesting_years": 4, "cliff_months": 12,
                            "grant_date": "2026-03-01"},
                "scenarios": {"bear": 0, "base": 20000, "bull": 60000}},
    "large": {"salary": 80e6, "bonus_pct": 15, "raise_pct": 4},
    "assumptions": {"salary_tax_rate": 0.2, "option_tax_rate": 0.35}}``.

    Returns per scenario the rows of each year (gross and net of both offers, the option gain, its exempt and
    taxed parts), the totals, the flags (``holding_period_not_met``, ``under_water``, ``exemption_limit_reached``,
    ``not_a_venture``, ``exemption_not_in_force`` — e.g. an exit after the §16의2 sunset), the rule versions used and every assumption. Raises ``ValidationFailed`` listing every bad
    field at once.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ValidationFailed("the comparison must be an object", [Problem(loc=(), msg="expected an object")])
    years = int(_number(data, "years", (), problems, default=5, low=1, high=20))
    start_raw = data.get("start") or date.today().isoformat()
    try:
        start = start_raw if isinstance(start_raw, date) else date.fromisoformat(str(start_raw))
    except ValueError:
        problems.append(Problem(loc=("start",), msg="must be a date (YYYY-MM-DD)", value=start_raw))
        start = date.today()
    startup = data.get("startup") or {}
    large = data.get("large") or {}
    options = startup.get("options") or {}
    scenarios = startup.get("scenarios") or {}
    assumptions = {**DEFAULT_ASSUMPTIONS, **(data.get("assumptions") or {})}
    s_salary = _number(startup, "salary", ("startup",), problems)
    s_raise = _number(startup, "raise_pct", ("startup",), problems, default=0, high=100) / 100
    exit_year = int(_number(startup, "exit_year", ("startup",), problems, default=years, low=1, high=years or 20))
    venture = startup.get("venture_certified", True)
    if not isinstance(venture, bool):
        problems.append(Problem(loc=("startup", "venture_certified"), msg="must be true or false", value=venture))
        venture = False
    count = _number(options, "count", ("startup", "options"), problems, default=0, high=1e10)
    strike = _number(options, "strike", ("startup", "options"), problems, default=0, high=1e9)
    vesting_years = _number(options, "vesting_years", ("startup", "options"), problems, default=4, high=10)
    cliff_months = int(_number(options, "cliff_months", ("startup", "options"), problems, default=12, high=120))
    grant_raw = options.get("grant_date") or start.isoformat()
    try:
        grant = grant_raw if isinstance(grant_raw, date) else date.fromisoformat(str(grant_raw))
    except ValueError:
        problems.append(Problem(loc=("startup", "options", "grant_date"), msg="must be a date", value=grant_raw))
        grant = start
    prices = {
        name: _number(scenarios, name, ("startup", "scenarios"), problems, default=0, high=1e9) for name in SCENARIOS
    }
    l_salary = _number(large, "salary", ("large",), problems)
    l_bonus = _number(large, "bonus_pct", ("large",), problems, default=0, high=500) / 100
    l_raise = _number(large, "raise_pct", ("large",), problems, default=0, high=100) / 100
    for key in ("salary_tax_rate", "option_tax_rate"):
        _number(assumptions, key, ("assumptions",), problems, low=0, high=0.9)
    if problems:
        raise ValidationFailed("the offers cannot be compared", problems)

    exit_date = _add_years(start, exit_year)
    months_at_exit = (exit_date.year - grant.year) * 12 + exit_date.month - grant.month - (exit_date.day < grant.day)
    holding = book.in_force("venture-stock-options", exit_date)
    holding_years = float(holding.parameters.get("holding_years", 2)) if holding else 2.0
    exemption = book.in_force("stock-option-exemption", exit_date) if venture else None
    annual_limit = int(exemption.parameters.get("annual_limit", 0)) if exemption else 0
    cumulative_limit = int(exemption.parameters.get("cumulative_limit", 0)) if exemption else 0
    vested = count * vested_fraction(months_at_exit, vesting_years, cliff_months)
    salary_tax = float(assumptions["salary_tax_rate"])
    option_tax = float(assumptions["option_tax_rate"])

    out_scenarios: dict[str, Any] = {}
    for name in SCENARIOS:
        price = prices[name]
        flags: list[str] = []
        gain = 0.0
        if months_at_exit < holding_years * 12:
            flags.append("holding_period_not_met")
        elif price <= strike:
            flags.append("under_water")
        else:
            gain = (price - strike) * vested
        if not venture:
            flags.append("not_a_venture")
        elif exemption is None:
            flags.append("exemption_not_in_force")
        limit = annual_limit
        if cumulative_limit:
            limit = min(limit, cumulative_limit)
        exempt = min(gain, limit) if exemption else 0.0
        if exemption and gain > limit:
            flags.append("exemption_limit_reached")
        taxed = gain - exempt
        net_gain = gain - taxed * option_tax
        rows = []
        totals = {"startup_gross": 0.0, "startup_net": 0.0, "large_gross": 0.0, "large_net": 0.0}
        for year in range(1, years + 1):
            s_gross = s_salary * (1 + s_raise) ** (year - 1)
            l_gross = l_salary * (1 + l_raise) ** (year - 1) * (1 + l_bonus)
            row_gain = gain if year == exit_year else 0.0
            row = {
                "year": year,
                "startup_salary": round(s_gross),
                "option_gain": round(row_gain),
                "option_exempt": round(exempt if year == exit_year else 0.0),
                "option_taxed": round(taxed if year == exit_year else 0.0),
                "startup_gross": round(s_gross + row_gain),
                "startup_net": round(s_gross * (1 - salary_tax) + (net_gain if year == exit_year else 0.0)),
                "large_gross": round(l_gross),
                "large_net": round(l_gross * (1 - salary_tax)),
            }
            for key in totals:
                totals[key] += row[key]
            rows.append(row)
        out_scenarios[name] = {
            "price_per_share": price,
            "rows": rows,
            "totals": {k: round(v) for k, v in totals.items()},
            "difference_net": round(totals["startup_net"] - totals["large_net"]),
            "flags": flags,
        }
    return {
        "years": years,
        "start": start.isoformat(),
        "exit_date": exit_date.isoformat(),
        "vested_shares_at_exit": round(vested, 2),
        "months_from_grant_to_exit": months_at_exit,
        "scenarios": out_scenarios,
        "rules": {
            "holding_period": {"version": holding.key if holding else None, "years": holding_years},
            "exemption": {
                "version": exemption.key if exemption else None,
                "annual_limit": annual_limit,
                "cumulative_limit": cumulative_limit,
                "verified": exemption.verified if exemption else None,
            },
        },
        "assumptions": {
            "salary_tax_rate": salary_tax,
            "option_tax_rate": option_tax,
            "startup_raise_pct": s_raise * 100,
            "large_raise_pct": l_raise * 100,
            "large_bonus_pct": l_bonus * 100,
            "exercise": "options exercised and sold at the exit, at the scenario's price",
            "vesting": f"monthly over {vesting_years:g} years after a {cliff_months}-month cliff",
        },
    }
