"""The recommendation lists look their bearer token up in the thread that does their work (``auth.DEFERRED_TOKEN_PATHS``):
they refuse what the middleware refuses, at once, with the same answer, and record the token's use."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from talentbridge.services import accounts
from talentbridge.services.recommend import reset_indexes
from talentbridge.storage.account_tables import ApiTokenRow, UserRow
from talentbridge.web.auth import DEFERRED_TOKEN_PATHS
from tests.conftest import make_account


def _post(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def lists(client: Any) -> list[str]:
    reset_indexes()
    org = _post(client, "/api/organizations", {"name": "비전랩", "kind": "ai_startup", "region": "seoul"})
    talent = _post(client, "/api/talents", {"name": "김하늘", "external_id": "t-1", "region": "seoul",
                                            "consent_visible": True,
                                            "skills": [{"skill_id": "python", "level": 4}]})  # fmt: skip
    opening = _post(client, "/api/openings", {"organization_id": org["id"], "kind": "job", "title": "AI Engineer",
                                              "region": "seoul", "status": "open", "external_id": "o-1",
                                              "required_skills": [{"skill_id": "python", "min_level": 3}]})  # fmt: skip
    return [f"/api/openings/{opening['id']}/recommendations", f"/api/talents/{talent['id']}/recommendations"]


def test_only_the_two_lists_defer_the_lookup() -> None:
    assert DEFERRED_TOKEN_PATHS.fullmatch("/api/openings/12/recommendations")
    assert DEFERRED_TOKEN_PATHS.fullmatch("/api/talents/3/recommendations")
    for other in ("/api/openings/12", "/api/audit/recommendations", "/api/openings/12/recommendations/x",
                  "/api/talents/x/recommendations", "/api/talents/3/recommendations/../../users"):  # fmt: skip
        assert not DEFERRED_TOKEN_PATHS.fullmatch(other)


def test_an_unknown_token_gets_the_middlewares_401(app: Any, lists: list[str]) -> None:
    with TestClient(app, headers={"Authorization": "Bearer tb_not-a-token"}) as c:  # type: ignore[arg-type]
        plain = c.get("/api/organizations")  # looked up by the middleware
        assert plain.status_code == 401
        for path in lists:
            r = c.get(path)
            assert r.status_code == 401, r.text
            assert r.json()["code"] == plain.json()["code"] == "unauthenticated"
            assert r.json()["detail"] == plain.json()["detail"]
            assert "items" not in r.json()


def test_a_revoked_token_or_deactivated_account_is_refused_on_the_next_request(
    app: Any, database: Any, lists: list[str]
) -> None:
    user_id, token = make_account(database, "operator")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:  # type: ignore[arg-type]
        for path in lists:
            assert c.get(path).status_code == 200
        with database.session() as session:
            token_id = session.query(ApiTokenRow.id).filter(ApiTokenRow.user_id == user_id).scalar()
            accounts.revoke_api_token(session, user_id, token_id)
        assert [c.get(path).status_code for path in lists] == [401, 401]
    user_id, token = make_account(database, "operator")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:  # type: ignore[arg-type]
        assert c.get(lists[0]).status_code == 200
        with database.session() as session:
            session.get(UserRow, user_id).active = False  # type: ignore[union-attr]
        assert c.get(lists[0]).status_code == 401


def test_the_lists_record_the_tokens_use_and_who_saw_them(app: Any, database: Any, lists: list[str]) -> None:
    user_id, token = make_account(database, "operator")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:  # type: ignore[arg-type]
        body = c.get(lists[0]).json()
    assert body["items"] and body["ai_notice"]["record"]
    with database.session() as session:
        used = session.query(ApiTokenRow.last_used_at).filter(ApiTokenRow.user_id == user_id).scalar()
        record = session.execute(
            text("SELECT seen_by_user_id FROM ai_run_records WHERE key = :k"),
            {"k": body["ai_notice"]["record"]},
        ).scalar()
    assert used is not None
    assert record == user_id


def test_the_opening_checked_is_the_one_stored_now(client: Any, client_as: Any, lists: list[str]) -> None:
    """talents-for-opening keeps the opening it checks access on (``RecommendationService.opening_record``): a
    move to another organization or back to draft is seen by the very next request, in this process."""
    opening_id = int(lists[0].split("/")[3])
    first = client.get(f"/api/openings/{opening_id}").json()["organization_id"]
    other = _post(client, "/api/organizations", {"name": "다른회사", "kind": "manufacturer", "region": "ulsan"})
    member = client_as("org_member", organization_id=first)
    outsider = client_as("org_member", organization_id=other["id"])
    assert member.get(lists[0]).status_code == 200
    assert outsider.get(lists[0]).status_code == 403
    assert client.patch(f"/api/openings/{opening_id}", json={"organization_id": other["id"]}).is_success
    assert member.get(lists[0]).status_code == 403
    assert outsider.get(lists[0]).status_code == 200
    assert client.patch(f"/api/openings/{opening_id}", json={"status": "draft"}).is_success
    assert outsider.get(lists[0]).status_code == 200  # its own draft
    assert member.get(lists[0]).status_code == 404  # another organization's draft is not there
    assert client.delete(f"/api/openings/{opening_id}").status_code == 204
    assert outsider.get(lists[0]).status_code == 404
