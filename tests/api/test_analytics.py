"""``/api/analytics`` and ``/operator/analytics``: operators and auditors only, small groups suppressed for
auditors and in every download, bad parameters reported all at once."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.services import analytics_data as data

# 7 consenting talents in Seoul with one skill, 2 in Busan: Busan's count is suppressed for auditors.
WORLD: dict[str, Any] = {
    "orgs": [("ai_startup", "seoul")],
    "talents": [{"region": "seoul", "consent": True, "employer": None, "month": 2, "skills": {0: 3}}] * 7
    + [{"region": "busan", "consent": True, "employer": None, "month": 3, "skills": {0: 3}}] * 2,
    "openings": [{"org": 0, "region": "seoul", "status": "open", "seats": 3, "month": 2, "skills": {0: 2}}],
    "rounds": [], "placements": [],
}


@pytest.fixture
def seeded(database: Any) -> None:
    with database.session() as session:
        data.load(session, WORLD, list(data.skill_pool(session)))


def _regions(body: dict[str, Any]) -> dict[str, Any]:
    return {r["region"]: r["supply"] for r in body["tables"]["by_region"]["rows"]}


def test_operators_see_exact_numbers_auditors_suppressed(seeded: None, client_as: Any) -> None:
    op = client_as("operator").get("/api/analytics/supply-demand")
    assert op.status_code == 200, op.text
    assert _regions(op.json()) == {"seoul": 7, "busan": 2}
    assert op.json()["suppressed"] is False
    aud = client_as("auditor").get("/api/analytics/supply-demand")
    assert aud.status_code == 200
    assert _regions(aud.json()) == {"seoul": 7, "busan": None}
    assert aud.json()["suppressed"] is True


@pytest.mark.parametrize("role", ["org_member", "talent"])
def test_others_are_refused(role: str, client_as: Any, database: Any) -> None:
    fields: dict[str, Any] = {}
    with database.session() as session:
        from talentbridge.storage.tables import OrganizationRow, TalentRow

        org = OrganizationRow(name="x", kind="ai_startup")
        talent = TalentRow(name="t", category="engineer", nationality="KR")
        session.add_all([org, talent])
        session.flush()
        fields = {"organization_id": org.id} if role == "org_member" else {"talent_id": talent.id}
    c = client_as(role, **fields)
    assert c.get("/api/analytics/supply-demand").status_code == 403
    assert c.get("/api/analytics").status_code == 403
    assert c.get("/operator/analytics").status_code in (403, 303)


def test_views_are_listed_and_bad_input_is_reported_at_once(client: Any) -> None:
    assert "programme-kpis" in client.get("/api/analytics").json()["views"]
    assert client.get("/api/analytics/nope").status_code == 404
    r = client.get("/api/analytics/skill-gap?limit=abc&colour=red")
    assert r.status_code == 422
    assert {tuple(p["loc"]) for p in r.json()["errors"]} == {("query", "limit"), ("query", "colour")}
    assert client.get("/api/analytics/programme-kpis?period=2026-H3").status_code == 422
    assert client.get("/api/analytics/supply-demand?format=pdf").status_code == 422


def test_downloads_are_suppressed_even_for_operators(seeded: None, client: Any) -> None:
    r = client.get("/api/analytics/supply-demand?format=csv&table=by_region")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = {row["region"]: row["supply"] for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}
    assert rows == {"seoul": "7", "busan": "<5"}
    x = client.get("/api/analytics/supply-demand?format=xlsx")
    assert x.status_code == 200
    wb = load_workbook(io.BytesIO(x.content))
    sheet = wb["supply-demand.by_region"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {"seoul": 7, "busan": "<5"}


def test_page_shows_charts_and_numbers(seeded: None, client_as: Any) -> None:
    for role, busan in (("operator", "<td>2</td>"), ("auditor", "<td>&lt;5</td>")):
        page = client_as(role).get("/operator/analytics?region=")
        assert page.status_code == 200, page.text[:500]
        html = page.text
        assert 'data-chart-for="chart-by-region"' in html
        assert "/api/analytics/supply-demand?format=csv" in html
        assert busan in html
        assert 'href="/operator/analytics"' in html  # reachable from the navigation


def test_a_change_of_the_data_is_rebuilt_by_one_job_while_reads_serve_the_last_counts(
    seeded: None, client: Any, client_as: Any, database: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import select

    from talentbridge.services.job_queue import InProcessQueue, run_job
    from talentbridge.storage.job_tables import JobRow
    from talentbridge.storage.tables import TalentRow, TalentSkillRow

    first = client.get("/api/analytics/supply-demand").json()  # no counts yet: this read builds them
    assert _regions(first)["busan"] == 2 and first["meta"]["updating"] is False
    held: list[int] = []  # the rebuild is held on the queue: the reads below must not wait for it
    monkeypatch.setattr(InProcessQueue, "enqueue", lambda self, job_id: held.append(job_id))
    with database.session() as session:
        skill = next(iter(data.skill_pool(session)))
        for i in range(3):
            t = TalentRow(name=f"new {i}", category="engineer", nationality="KR", region="busan",
                          consent_statistics=True)
            session.add(t)
            session.flush()
            session.add(TalentSkillRow(talent_id=t.id, skill_id=skill, level=3, source="declared"))
    stale = client.get("/api/analytics/supply-demand").json()
    assert _regions(stale)["busan"] == 2  # the last counts, served at once
    assert stale["meta"]["updating"] is True and stale["meta"]["refreshed_at"] == first["meta"]["refreshed_at"]
    page = client_as("operator").get("/operator/analytics", headers={"Accept": "text/html"}).text
    assert 'id="counts-updating"' in page and "기준 집계입니다" in page
    assert client.get("/api/analytics/skill-gap").json()["meta"]["updating"] is True
    with database.session() as session:
        jobs = session.scalars(select(JobRow).where(JobRow.kind == "analytics-refresh")).all()
    # many reads, one rebuild (the key: the data's fingerprint); a client starting up re-queues the same job id
    assert len(jobs) == 1 and set(held) == {jobs[0].id}
    assert stale["meta"]["refresh_job"] == jobs[0].id
    run_job(database, settings, held[0])  # a worker runs it: the cells are rebuilt
    fresh = client.get("/api/analytics/supply-demand").json()
    assert _regions(fresh)["busan"] == 5 and fresh["meta"]["updating"] is False
    with database.session() as session:
        assert session.get(JobRow, jobs[0].id).status == "done"


def test_page_has_the_sankey_and_the_report_button(seeded: None, client_as: Any) -> None:
    html = client_as("auditor").get("/operator/analytics").text
    assert 'action="/operator/analytics/report"' in html and 'name="period"' in html
    assert "h-sankey" in html


@pytest.mark.parametrize("fmt,kind", [("xlsx", "spreadsheetml"), ("html", "text/html"), ("pdf", "application/pdf")])
def test_report_button_downloads_each_format(seeded: None, client_as: Any, fmt: str, kind: str) -> None:
    r = client_as("auditor").get(f"/operator/analytics/report?period=2025-H1&format={fmt}")
    assert r.status_code == 200, r.text[:300]
    assert kind in r.headers["content-type"]


def test_report_button_reports_bad_input(client: Any) -> None:
    r = client.get("/operator/analytics/report?period=&format=doc&programme_id=x",
                   headers={"Accept": "application/json"})
    assert r.status_code == 422
