"""Access rules as a person meets them in the browser: a talent cannot open another talent's profile, and an
organization member never sees a talent who did not consent to be shown — not in lists, not by URL."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def _talent_ids(live_db, consent: bool) -> list[int]:
    from sqlalchemy import select

    from talentbridge.storage.tables import ApplicationRow, TalentRow

    with live_db.session() as session:
        applied = select(ApplicationRow.talent_id)
        return list(
            session.scalars(
                select(TalentRow.id)
                .where(TalentRow.consent_visible.is_(consent), TalentRow.id.not_in(applied))
                .order_by(TalentRow.id)
                .limit(5)
            )
        )


def _listing(page, path: str) -> tuple[int, dict]:
    """A long JSON list, fetched with the page's cookies (rendering megabytes of JSON as a page is slow)."""
    response = page.request.get(path)
    return response.status, response.json()


def _json(page, path: str) -> tuple[int, dict]:
    """Open ``path`` as a person would, by URL, and read the JSON the browser shows."""
    response = page.goto(path)
    assert response is not None
    return response.status, json.loads(page.locator("body").inner_text())


def test_a_talent_cannot_open_another_talents_profile(page, live_db) -> None:
    sign_in(page, "talent")
    status, mine = _json(page, "/api/talents/1")
    assert status == 200 and mine["id"] == 1  # the demo talent's own profile
    other = _talent_ids(live_db, consent=True)[-1]
    status, problem = _json(page, f"/api/talents/{other}")
    assert status == 403, problem
    assert problem["code"] == "forbidden"
    assert "name" not in problem and "email" not in problem
    status, listing = _listing(page, "/api/talents?size=100")
    assert status == 200 and [t["id"] for t in listing["items"]] == [1]


def test_an_organization_never_sees_a_talent_who_did_not_consent(page, live_db) -> None:
    hidden = _talent_ids(live_db, consent=False)
    assert hidden
    sign_in(page, "org_member")
    for talent_id in hidden:
        status, problem = _json(page, f"/api/talents/{talent_id}")
        assert status == 403, (talent_id, problem)
    status, listing = _listing(page, "/api/talents?size=500")
    assert status == 200
    listed = {t["id"] for t in listing["items"]}
    assert listed and not listed & set(hidden)
    assert all("gender" not in t and "birth_year" not in t for t in listing["items"])  # statistics-only fields

    # Recommended talent on every opening of the organization: consenting people only.
    page.goto("/org/openings")
    first_opening = page.locator("main table a").first
    first_opening.click()
    expect(page.locator("h2", has_text="추천 인재")).to_be_visible()
    shown = {int(x) for x in page.locator("article.recommendation").evaluate_all("els => els.map(e => e.dataset.id)")}
    assert not shown & set(hidden)


def test_a_talent_cannot_open_organization_or_operator_pages(page) -> None:
    sign_in(page, "talent")
    for path in ("/org/openings", "/operator", "/operator/audit-log"):
        response = page.goto(path)
        assert response is not None and response.status == 403, path
        expect(page.locator("[role=alert] h1")).to_have_text("권한 없음")
