"""Support screening through the API and the pages, per role: facts from the registry for a concrete hire,
plain facts, visa pathways, offer comparison; who may screen what; every bad fact reported at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


def _post(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def hire(client: Any) -> dict[str, Any]:
    """A non-capital manufacturing SME, a young engineer who applied to its opening, and a placement."""
    org = _post(
        client,
        "/api/organizations",
        {"name": "울산정밀", "kind": "manufacturer", "region": "ulsan", "size_band": "10-49", "industry": "C"},
    )
    other = _post(client, "/api/organizations", {"name": "서울AI", "kind": "ai_startup", "region": "seoul"})
    this_year = date.today().year
    talent = _post(
        client,
        "/api/talents",
        {
            "name": "김지원",
            "birth_year": this_year - 28,
            "region": "ulsan",
            "consent_visible": False,
            "education": [{"degree": "bachelor", "field": "컴퓨터공학", "year": this_year - 2}],
        },
    )
    stranger = _post(client, "/api/talents", {"name": "박타인", "consent_visible": False})
    opening = _post(
        client,
        "/api/openings",
        {
            "organization_id": org["id"],
            "kind": "job",
            "title": "비전 검사 엔지니어",
            "region": "ulsan",
            "status": "open",
            "salary_min": 4200,
            "salary_max": 5000,
        },
    )
    foreign = _post(
        client,
        "/api/openings",
        {"organization_id": other["id"], "kind": "job", "title": "ML 엔지니어", "region": "seoul", "status": "open"},
    )
    _post(client, "/api/applications", {"talent_id": talent["id"], "opening_id": opening["id"]})
    placement = _post(
        client,
        "/api/placements",
        {
            "talent_id": talent["id"],
            "organization_id": org["id"],
            "opening_id": opening["id"],
            "start_date": "2026-02-02",
            "status": "active",
        },
    )
    return {
        "org": org,
        "other": other,
        "talent": talent,
        "stranger": stranger,
        "opening": opening,
        "foreign_opening": foreign,
        "placement": placement,
    }


def _result(body: dict[str, Any], scheme: str) -> dict[str, Any]:
    return next(r for r in body["results"] if r["id"] == scheme)


def test_an_organization_screens_its_own_hire_with_facts_from_the_registry(
    client_as: Any, hire: dict[str, Any]
) -> None:
    org_member = client_as("org_member", organization_id=hire["org"]["id"])
    r = org_member.post(
        "/api/support/screen",
        json={"talent_id": hire["talent"]["id"], "opening_id": hire["opening"]["id"], "as_of": "2026-03-01"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    facts = body["facts"]
    assert facts["organization.capital_region"] is False and facts["organization.is_sme"] is True
    assert facts["offer.annual_salary"] == 42_000_000  # the opening's lowest salary in 만원
    assert "birth year" in body["fact_sources"]["person.age"]
    youth = _result(body, "youth-job-leap-employer")
    assert youth["version"] == "2026" and youth["status"] == "eligible"
    assert youth["amount_max"] == 7_200_000
    assert body["estimated_total"]["eligible"] >= 7_200_000
    # a fact the registry cannot know, entered by the organization, changes the verdict
    r = org_member.post(
        "/api/support/screen",
        json={
            "talent_id": hire["talent"]["id"],
            "opening_id": hire["opening"]["id"],
            "as_of": "2026-03-01",
            "facts": {"organization.is_sme": False, "organization.is_midsize": False},
        },
    )
    assert _result(r.json(), "youth-job-leap-employer")["status"] == "not_eligible"
    assert r.json()["fact_sources"]["organization.is_sme"] == "entered"


def test_a_hire_still_to_be_made_takes_the_person_facts_as_entered(client_as: Any, hire: dict[str, Any]) -> None:
    org_member = client_as("org_member", organization_id=hire["org"]["id"])
    r = org_member.post(
        "/api/support/screen",
        json={"opening_id": hire["opening"]["id"], "as_of": "2026-03-01", "facts": {"person.age": 36}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["facts"]["organization.region"] == "ulsan"
    assert _result(r.json(), "youth-job-leap-employer")["status"] == "not_eligible"  # 36 is not youth
    page = org_member.get(f"/org/support/screen?opening_id={hire['opening']['id']}")
    assert page.status_code == 200 and 'name="f:person.age"' in page.text


def test_placement_milestones_have_dates(client_as: Any, hire: dict[str, Any]) -> None:
    org_member = client_as("org_member", organization_id=hire["org"]["id"])
    r = org_member.post(
        "/api/support/screen",
        json={"talent_id": hire["talent"]["id"], "placement_id": hire["placement"]["id"], "as_of": "2026-03-01"},
    )
    assert r.status_code == 200, r.text
    youth = _result(r.json(), "youth-job-leap-employer")
    assert youth["milestones"][0]["due"] == "2026-08-02"


def test_who_may_screen_what(client_as: Any, hire: dict[str, Any]) -> None:
    org_member = client_as("org_member", organization_id=hire["org"]["id"])
    # another organization's opening, and a talent who neither applied nor consented
    assert (
        org_member.post(
            "/api/support/screen", json={"talent_id": hire["talent"]["id"], "opening_id": hire["foreign_opening"]["id"]}
        ).status_code
        == 403
    )
    assert (
        org_member.post(
            "/api/support/screen", json={"talent_id": hire["stranger"]["id"], "opening_id": hire["opening"]["id"]}
        ).status_code
        == 403
    )
    me = client_as("talent", talent_id=hire["talent"]["id"])
    assert me.post("/api/visas/screen", json={"talent_id": hire["talent"]["id"]}).status_code == 200
    assert me.post("/api/visas/screen", json={"talent_id": hire["stranger"]["id"]}).status_code == 403
    auditor = client_as("auditor")
    assert auditor.post("/api/support/screen", json={"facts": {}}).status_code == 403
    assert auditor.get("/api/support/rules").status_code == 200


def test_bad_facts_are_all_reported_as_problems(client_as: Any) -> None:
    me = client_as("talent")
    r = me.post("/api/support/screen", json={"facts": {"person.age": "old", "person.height": 180}})
    assert r.status_code == 422
    assert {e["loc"][-1] for e in r.json()["errors"]} == {"person.age", "person.height"}


def test_visa_screen_says_what_would_change_the_answer(client_as: Any) -> None:
    me = client_as("talent")
    r = me.post(
        "/api/visas/screen",
        json={
            "as_of": "2026-03-01",
            "facts": {
                "person": {"foreign": True, "degree": "master", "degree_related": True},
                "offer.annual_salary": 30_000_000,
            },
        },
    )
    assert r.status_code == 200, r.text
    e7 = _result(r.json(), "visa-e7-1")
    assert e7["status"] == "not_eligible" and e7["version"] == "2026"
    wage = next(c for c in e7["conditions"] if c["id"] == "wage_floor")
    assert "31,120,000" in wage["hint_en"] and "31,120,000" in wage["hint_ko"]
    assert all(r_["kind"] == "visa" for r_ in r.json()["results"])
    assert e7["settlement"] and "guidance" in e7["confirm_with"]


def test_offer_comparison_and_its_validation(client_as: Any) -> None:
    me = client_as("talent")
    body = {
        "years": 3,
        "start": "2025-06-01",
        "startup": {
            "salary": 60_000_000,
            "exit_year": 2,
            "venture_certified": True,
            "options": {"count": 20_000, "strike": 5_000, "vesting_years": 4, "cliff_months": 12},
            "scenarios": {"bear": 1_000, "base": 25_000, "bull": 65_000},
        },
        "large": {"salary": 70_000_000, "bonus_pct": 10},
    }
    r = me.post("/api/offers/compare", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["scenarios"]["bull"]["rows"][1]["option_exempt"] == 200_000_000
    body["startup"]["salary"] = -5
    body["large"] = {}
    r = me.post("/api/offers/compare", json=body)
    assert r.status_code == 422
    assert {tuple(e["loc"]) for e in r.json()["errors"]} >= {("startup", "salary"), ("large", "salary")}


def test_rules_listing_names_every_version_with_dates_and_sources(client_as: Any) -> None:
    body = client_as("talent").get("/api/support/rules").json()
    versions = {(s["id"], s["version"]) for s in body["schemes"]}
    assert {("youth-job-leap-employer", "2025"), ("youth-job-leap-employer", "2026"), ("visa-e7-1", "2026")} <= versions
    assert all(s["sources"] and s["effective_from"] for s in body["schemes"])
    assert any(not s["verified"] for s in body["schemes"])
    assert any(f["name"] == "offer.annual_salary" for f in body["facts"])


# -- pages ------------------------------------------------------------------------------------------------------


def test_pages_for_each_role(client_as: Any, hire: dict[str, Any]) -> None:
    org_member = client_as("org_member", organization_id=hire["org"]["id"])
    page = org_member.get("/org/support")
    assert page.status_code == 200 and "김지원" in page.text and "/org/support/screen?" in page.text
    screen = org_member.get(f"/org/support/screen?talent_id={hire['talent']['id']}&opening_id={hire['opening']['id']}")
    assert screen.status_code == 200 and "청년일자리도약장려금" in screen.text and "출처" in screen.text
    english = org_member.get(
        f"/org/support/screen?talent_id={hire['talent']['id']}&opening_id={hire['opening']['id']}&lang=en"
    )
    assert "Youth Job Leap Incentive" in english.text
    denied = org_member.get(
        f"/org/support/screen?talent_id={hire['talent']['id']}&opening_id={hire['foreign_opening']['id']}",
        headers={"Accept": "text/html"},
    )
    assert denied.status_code == 403 and "<html" in denied.text
    talent = client_as("talent", talent_id=hire["talent"]["id"])
    visas = talent.get("/me/visas")
    assert visas.status_code == 200 and "E-7-1" in visas.text and "1345" in visas.text
    offers = talent.get("/me/offers")
    assert offers.status_code == 200 and 'name="startup_salary"' in offers.text
    operator = client_as("operator")
    assert operator.get("/operator/support").status_code == 200
    csv = operator.get("/operator/support/milestones.csv?as_of=2026-03-01&within=365")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "youth-job-leap-employer" in csv.text  # the 6-month milestone of the placement is due 2026-08-02
    assert client_as("auditor").get("/support/rules").status_code == 200
    # a fact typed wrong comes back with a message in the page's language and what was typed is kept
    bad = org_member.post(
        "/org/support/screen?lang=ko",
        data={"talent_id": hire["talent"]["id"], "opening_id": hire["opening"]["id"], "f:offer.annual_salary": "많이"},
    )
    assert bad.status_code == 422 and "연봉(원): 정수여야 합니다" in bad.text and 'value="많이"' in bad.text
    typed = talent.post("/me/offers", data={"startup_salary": "6천만"})
    assert typed.status_code == 422 and "숫자가 아닙니다" in typed.text
