"""Every analytics number equals a straightforward Python recount of random data, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests.services import analytics_data as data

from talentbridge.services.analytics_flows import circulation, regional_placements
from talentbridge.services.analytics_programmes import parse_period, programme_kpis, retention
from talentbridge.services.analytics_sql import MIN_GROUP
from talentbridge.services.analytics_supply import skill_gap, supply_demand, supply_demand_monthly

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def pool(database: Any) -> tuple[list[str], list[str]]:
    with database.session() as session:
        skills = data.skill_pool(session)
    return list(skills), list(skills.values())


@PROPERTY
@given(world=data.worlds())
def test_supply_demand_equals_a_recount(database: Any, pool: tuple[list[str], list[str]], world: dict[str, Any]) -> None:
    skills, families = pool
    with database.session() as session:
        data.load(session, world, skills)
        result = supply_demand(session)
        session.rollback()
    expected = data.recount_supply_demand(world, families)
    got = {(r["family"], r["region"], r["org_kind"]): {"supply": r["supply"], "seats": r["demand_seats"],
                                                        "openings": r["demand_openings"]}
           for r in result.table("cube").rows}
    assert got == expected
    by_family = {r["family"]: (r["supply"], r["demand_seats"]) for r in result.table("by_family").rows}
    for fam in set(families):
        cells = [v for k, v in expected.items() if k[0] == fam]
        want = (sum(c["supply"] for c in cells), sum(c["seats"] for c in cells))
        assert by_family.get(fam, (0, 0)) == want
    by_region = {r["region"]: (r["supply"], r["demand_seats"]) for r in result.table("by_region").rows}
    assert by_region == data.recount_by_region(world)


@PROPERTY
@given(world=data.worlds())
def test_filtered_supply_demand_is_the_matching_slice(database: Any, pool: tuple[list[str], list[str]],
                                                      world: dict[str, Any]) -> None:
    skills, families = pool
    region, kind = "seoul", world["orgs"][0][0]
    with database.session() as session:
        data.load(session, world, skills)
        result = supply_demand(session, region=region, org_kind=kind)
        session.rollback()
    expected = {k: v for k, v in data.recount_supply_demand(world, families).items() if k[1] == region and k[2] == kind}
    got = {(r["family"], r["region"], r["org_kind"]): {"supply": r["supply"], "seats": r["demand_seats"],
                                                        "openings": r["demand_openings"]}
           for r in result.table("cube").rows}
    assert got == expected


@PROPERTY
@given(world=data.worlds())
def test_monthly_series_equals_a_recount(database: Any, pool: tuple[list[str], list[str]], world: dict[str, Any]) -> None:
    skills, families = pool
    with database.session() as session:
        data.load(session, world, skills)
        result = supply_demand_monthly(session)
        session.rollback()
    got = {(r["month"], r["family"]): {"new_supply": r["new_supply"], "supply": r["supply"],
                                       "posted_seats": r["posted_seats"]} for r in result.table("monthly").rows}
    assert got == data.recount_monthly(world, families)


@PROPERTY
@given(world=data.worlds())
def test_skill_gap_equals_a_recount_and_is_ranked(database: Any, pool: tuple[list[str], list[str]],
                                                  world: dict[str, Any]) -> None:
    skills, _ = pool
    with database.session() as session:
        data.load(session, world, skills)
        rows = skill_gap(session).table("gap").rows
        session.rollback()
    assert {r["skill_id"]: (r["demand_seats"], r["qualified"]) for r in rows} == data.recount_gap(world, skills)
    ratios = [r["qualified"] / r["demand_seats"] for r in rows]
    assert ratios == sorted(ratios)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))


@PROPERTY
@given(world=data.worlds())
def test_programme_kpis_equal_a_recount(database: Any, pool: tuple[list[str], list[str]], world: dict[str, Any]) -> None:
    skills, _ = pool
    with database.session() as session:
        ids = data.load(session, world, skills)
        result = programme_kpis(session)
        session.rollback()
    expected = data.recount_rounds(world)
    rows = {r["round_id"]: r for r in result.table("rounds").rows}
    assert len(rows) == len(expected)
    for rid, want in zip(ids["rounds"], expected, strict=True):
        row = rows[rid]
        assert (row["applicants"], row["seats"], row["placements"]) == (
            want["applicants"], want["seats"], want["placements"])
        assert row["fill_rate"] == (round(want["placements"] / want["seats"], 4) if want["seats"] else None)
        if want["days"]:
            assert row["time_to_fill_days"] == round(sum(want["days"]) / len(want["days"]), 1)
            assert row["time_to_fill_max_days"] == max(want["days"])
        else:
            assert row["time_to_fill_days"] is None
        ranks = {r["rank"]: r["placed"] for r in result.table("rank_distribution").rows if r["round_id"] == rid}
        assert ranks == want["ranks"]
    totals = {r["programme_id"]: r for r in result.table("programmes").rows}
    for p, pid in enumerate(ids["programmes"]):
        mine = [e for e, r in zip(expected, world["rounds"], strict=True) if r["programme"] == p]
        if mine:
            assert totals[pid]["applicants"] == sum(e["applicants"] for e in mine)
            assert totals[pid]["placements"] == sum(e["placements"] for e in mine)


@PROPERTY
@given(world=data.worlds())
def test_retention_equals_a_recount(database: Any, pool: tuple[list[str], list[str]], world: dict[str, Any]) -> None:
    skills, _ = pool
    period = "2025-H2"
    with database.session() as session:
        data.load(session, world, skills)
        everything = retention(session).table("retention").rows
        in_period = retention(session, period=period).table("retention").rows
        session.rollback()
    for rows, span in ((everything, None), (in_period, parse_period(period))):
        got = {(r["months"], r["org_kind"], r["region"]): (r["followed_up"], r["retained"]) for r in rows}
        assert got == data.recount_retention(world, span)
        for r in rows:
            assert r["retention_rate"] == round(r["retained"] / r["followed_up"], 4)


@PROPERTY
@given(world=data.worlds())
def test_suppression_hides_every_small_people_count(database: Any, pool: tuple[list[str], list[str]],
                                                    world: dict[str, Any]) -> None:
    skills, _ = pool
    with database.session() as session:
        data.load(session, world, skills)
        full = supply_demand(session)
        kpis = programme_kpis(session)
        session.rollback()
    for result in (full, kpis):
        hidden = result.suppress()
        assert hidden.suppressed
        for shown, raw in zip(hidden.tables, result.tables, strict=True):
            for a, b in zip(shown.rows, raw.rows, strict=True):
                for col in raw.people:
                    if 0 < b[col] < MIN_GROUP:
                        assert a[col] is None
                        assert all(a[rate] is None for rate, base in raw.rates.items() if base == col)
                    else:
                        assert a[col] == b[col]
                # what is not a count of people (seats, names) is never hidden
                assert {k: v for k, v in a.items() if k not in raw.people and k not in raw.rates} == {
                    k: v for k, v in b.items() if k not in raw.people and k not in raw.rates}


@PROPERTY
@given(world=data.worlds())
def test_circulation_and_regions_equal_a_recount(database: Any, pool: tuple[list[str], list[str]],
                                                 world: dict[str, Any]) -> None:
    skills, _ = pool
    with database.session() as session:
        ids = data.load(session, world, skills)
        flows = circulation(session)
        regions = regional_placements(session)
        session.rollback()
    want_flows, want_returns = data.recount_circulation(world)
    assert {(r["from_kind"], r["to_kind"], r["placement_kind"]): r["placements"]
            for r in flows.table("flows").rows} == want_flows
    assert {(r["from_kind"], r["to_kind"], r["placement_kind"]): r["placements"]
            for r in flows.table("returns").rows} == want_returns
    by_region, per_round = data.recount_regions(world)
    assert {r["region"]: r["placements"] for r in regions.table("by_region").rows} == dict(by_region)
    got = {r["round_id"]: (r["capital"], r["placements"]) for r in regions.table("rounds").rows}
    assert got == {ids["rounds"][i]: v for i, v in per_round.items()}


def test_periods_parse() -> None:
    from datetime import date

    assert parse_period("2026-H1") == (date(2026, 1, 1), date(2026, 7, 1))
    assert parse_period("2026-h2") == (date(2026, 7, 1), date(2027, 1, 1))
    assert parse_period("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert parse_period("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert parse_period("2026") == (date(2026, 1, 1), date(2027, 1, 1))
    from talentbridge.domain.errors import ValidationFailed

    for bad in ("26-H1", "2026-H3", "2026-13", "2026-Q5"):
        with pytest.raises(ValidationFailed):
            parse_period(bad)
