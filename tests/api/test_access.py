"""Access control over EVERY route, table-driven: each role is allowed or refused exactly as the table says.

A route that is not in ``RULES`` fails ``test_every_route_has_a_rule``: a new endpoint must declare who may call
it. "Allowed" means the policy let the request through (any status but 401/403); "refused" means 401 or 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from talentbridge.config import build_settings
from talentbridge.domain import (
    ApplicationData,
    OpeningData,
    OrganizationData,
    PlacementData,
    ProgramData,
    RoundData,
    TalentData,
)
from talentbridge.services import accounts
from talentbridge.storage import Database
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app

ROLES = ("anonymous", "talent", "org_member", "other_org_member", "auditor", "operator")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
OPERATOR = frozenset({"operator"})
READERS = frozenset({"auditor", "operator"})
PUBLIC = "public"  # no sign-in needed; checked with the anonymous client only


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]
    app: Any
    database: Database


def build_world(database: Database, tmp_path: Any) -> World:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    ids: dict[str, int] = {}
    with database.session() as s:
        r = Repositories(s)
        org_a = r.organizations.add(OrganizationData(name="비전AI", kind="ai_startup", region="seoul"))
        org_b = r.organizations.add(OrganizationData(name="울산정밀", kind="manufacturer", region="ulsan"))
        t1 = r.talents.add(TalentData(name="김인재", email="me@x.kr", phone="010-1111-2222", birth_year=1995,
                                      gender="female", consent_visible=True))
        t2 = r.talents.add(TalentData(name="비공개", email="hidden@x.kr", consent_visible=False))
        oa = r.openings.add(OpeningData(organization_id=org_a.id, kind="job", title="ML 엔지니어", region="seoul",
                                        status="open"))
        ob = r.openings.add(OpeningData(organization_id=org_b.id, kind="job", title="비전검사", region="ulsan",
                                        status="open"))
        prog = r.programs.add(ProgramData(name="인재교류", kind="talent_exchange"))
        rnd = r.rounds.add(RoundData(program_id=prog.id, name="1차"))
        app_ = r.applications.add(ApplicationData(talent_id=t1.id, opening_id=oa.id))
        plc = r.placements.add(PlacementData(talent_id=t1.id, organization_id=org_a.id, start_date="2027-03-01"))
        ids.update(org_a=org_a.id, org_b=org_b.id, t1=t1.id, t2=t2.id, oa=oa.id, ob=ob.id, program=prog.id,
                   round=rnd.id, application=app_.id, placement=plc.id)
        tokens: dict[str, str] = {}
        for role, kw in {
            "talent": {"role": "talent", "talent_id": t1.id},
            "org_member": {"role": "org_member", "organization_id": org_a.id},
            "other_org_member": {"role": "org_member", "organization_id": org_b.id},
            "auditor": {"role": "auditor"},
            "operator": {"role": "operator"},
        }.items():
            user = accounts.create_user(s, email=f"{role}@x.kr", password="password-123", name=role, **kw)
            tokens[role] = accounts.create_api_token(s, user.id, "t")[1]
            ids[f"user_{role}"] = user.id
        ids["reset_token"] = 0
        tokens["reset"] = accounts.request_password_reset(s, "auditor@x.kr") or ""
    return World(ids=ids, tokens=tokens, app=create_app(settings, database), database=database)


# (method, path template) -> (roles allowed | PUBLIC, concrete path, json body)
def rules(w: World) -> dict[tuple[str, str], tuple[Any, str, Any]]:
    i = w.ids
    opening_body = {"organization_id": i["org_a"], "kind": "job", "title": "새 공고", "region": "seoul"}
    return {
        ("GET", "/api/health"): (PUBLIC, "/api/health", None),
        # organizations
        ("GET", "/api/organizations"): (SIGNED_IN, "/api/organizations", None),
        ("GET", "/api/organizations/{item_id}"): (SIGNED_IN, f"/api/organizations/{i['org_a']}", None),
        ("POST", "/api/organizations"): (OPERATOR, "/api/organizations", {"name": "신규", "kind": "ai_startup"}),
        ("PATCH", "/api/organizations/{item_id}"): (
            {"operator", "org_member"}, f"/api/organizations/{i['org_a']}", {"website": "https://a.kr"}),
        ("DELETE", "/api/organizations/{item_id}"): (OPERATOR, f"/api/organizations/{i['org_a']}", None),
        # talents
        ("GET", "/api/talents"): (SIGNED_IN, "/api/talents", None),
        ("GET", "/api/talents/{item_id}"): (SIGNED_IN, f"/api/talents/{i['t1']}", None),
        ("POST", "/api/talents"): (OPERATOR, "/api/talents", {"name": "새 인재"}),
        ("PATCH", "/api/talents/{item_id}"): ({"operator", "talent"}, f"/api/talents/{i['t1']}",
                                              {"region": "daejeon"}),
        ("DELETE", "/api/talents/{item_id}"): (OPERATOR, f"/api/talents/{i['t2']}", None),
        # openings
        ("GET", "/api/openings"): (SIGNED_IN, "/api/openings", None),
        ("GET", "/api/openings/{item_id}"): (SIGNED_IN, f"/api/openings/{i['oa']}", None),
        ("POST", "/api/openings"): ({"operator", "org_member"}, "/api/openings", opening_body),
        ("PATCH", "/api/openings/{item_id}"): ({"operator", "org_member"}, f"/api/openings/{i['oa']}",
                                               {"title": "수정"}),
        ("DELETE", "/api/openings/{item_id}"): ({"operator", "org_member"}, f"/api/openings/{i['oa']}", None),
        # programs and rounds (CRUD)
        ("GET", "/api/programs"): (SIGNED_IN, "/api/programs", None),
        ("GET", "/api/programs/{item_id}"): (SIGNED_IN, f"/api/programs/{i['program']}", None),
        ("POST", "/api/programs"): (OPERATOR, "/api/programs", {"name": "PBL", "kind": "pbl"}),
        ("PATCH", "/api/programs/{item_id}"): (OPERATOR, f"/api/programs/{i['program']}", {"status": "active"}),
        ("DELETE", "/api/programs/{item_id}"): (OPERATOR, f"/api/programs/{i['program']}", None),
        ("GET", "/api/rounds"): (SIGNED_IN, "/api/rounds", None),
        ("GET", "/api/rounds/{item_id}"): (SIGNED_IN, f"/api/rounds/{i['round']}", None),
        ("POST", "/api/rounds"): (OPERATOR, "/api/rounds", {"program_id": i["program"], "name": "2차"}),
        ("PATCH", "/api/rounds/{item_id}"): (OPERATOR, f"/api/rounds/{i['round']}", {"name": "1차 수정"}),
        ("DELETE", "/api/rounds/{item_id}"): (OPERATOR, f"/api/rounds/{i['round']}", None),
        # placements
        ("GET", "/api/placements"): (SIGNED_IN, "/api/placements", None),
        ("GET", "/api/placements/{item_id}"): ({"talent", "org_member", "auditor", "operator"},
                                               f"/api/placements/{i['placement']}", None),
        ("POST", "/api/placements"): (OPERATOR, "/api/placements",
                                      {"talent_id": i["t1"], "organization_id": i["org_b"],
                                       "start_date": "2027-04-01"}),
        ("PATCH", "/api/placements/{item_id}"): (OPERATOR, f"/api/placements/{i['placement']}",
                                                 {"status": "active"}),
        ("DELETE", "/api/placements/{item_id}"): (OPERATOR, f"/api/placements/{i['placement']}", None),
        # applications
        ("GET", "/api/applications"): (SIGNED_IN, "/api/applications", None),
        ("GET", "/api/applications/{item_id}"): ({"talent", "org_member", "auditor", "operator"},
                                                 f"/api/applications/{i['application']}", None),
        ("POST", "/api/applications"): ({"talent", "operator"}, "/api/applications",
                                        {"talent_id": i["t1"], "opening_id": i["ob"]}),
        # moving an application through the pipeline is the organization's; a talent may only withdraw
        ("PATCH", "/api/applications/{item_id}"): ({"org_member", "operator"},
                                                   f"/api/applications/{i['application']}",
                                                   {"status": "interview"}),
        ("DELETE", "/api/applications/{item_id}"): ({"talent", "operator"},
                                                    f"/api/applications/{i['application']}", None),
        # accounts
        ("POST", "/api/auth/login"): (PUBLIC, "/api/auth/login",
                                      {"email": "auditor@x.kr", "password": "password-123"}),
        ("POST", "/api/auth/logout"): (PUBLIC, "/api/auth/logout", None),
        ("GET", "/api/auth/me"): (SIGNED_IN, "/api/auth/me", None),
        ("POST", "/api/auth/signup"): (PUBLIC, "/api/auth/signup",
                                       {"email": "new@x.kr", "password": "password-123", "name": "신규"}),
        ("POST", "/api/auth/tokens"): (SIGNED_IN, "/api/auth/tokens", {"name": "laptop"}),
        ("GET", "/api/auth/tokens"): (SIGNED_IN, "/api/auth/tokens", None),
        ("DELETE", "/api/auth/tokens/{token_id}"): (SIGNED_IN, "/api/auth/tokens/999", None),
        ("POST", "/api/auth/password-reset/request"): (PUBLIC, "/api/auth/password-reset/request",
                                                       {"email": "auditor@x.kr"}),
        ("POST", "/api/auth/password-reset/confirm"): (PUBLIC, "/api/auth/password-reset/confirm",
                                                       {"token": w.tokens["reset"], "password": "new-password-1"}),
        ("GET", "/api/users"): (READERS, "/api/users", None),
        ("POST", "/api/users"): (OPERATOR, "/api/users",
                                 {"email": "u@x.kr", "password": "password-123", "name": "u", "role": "auditor"}),
        ("GET", "/api/users/{user_id}"): (READERS, f"/api/users/{i['user_talent']}", None),
        ("PATCH", "/api/users/{user_id}"): (OPERATOR, f"/api/users/{i['user_talent']}", {"language": "en"}),
        ("GET", "/api/audit-log"): (READERS, "/api/audit-log", None),
    } | extra_rules(w)


def extra_rules(w: World) -> dict[tuple[str, str], tuple[Any, str, Any]]:
    """Rules of the capability routers (skills, taxonomy, recommendations, rounds workflow, pages)."""
    from tests.api.access_rules import capability_rules

    return capability_rules(w.ids)


def _client(w: World, role: str) -> TestClient:
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {w.tokens[role]}"}
    return TestClient(w.app, headers=headers, follow_redirects=False)


def _refused(r: Any) -> bool:
    """401/403, or (pages) a redirect to the sign-in page."""
    return r.status_code in (401, 403) or (r.status_code in (302, 303, 307) and
                                           r.headers.get("location", "").startswith("/login"))


FRAMEWORK_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, pages included; FastAPI's own docs routes and mounts excluded."""
    out = set()
    for route in app.routes:
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for ctx in contexts:
            methods = getattr(ctx, "methods", None)
            path = getattr(ctx, "path", None)
            if not methods or path is None or path in FRAMEWORK_PATHS:
                continue
            for method in methods - {"HEAD"}:
                out.add((method, path))
    return sorted(out)


@pytest.fixture(scope="module")
def world_template(sqlite_template: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, World]:
    """The world is built once (password hashing is slow on purpose) and copied for each test."""
    import shutil

    folder = tmp_path_factory.mktemp("access-world")
    path = folder / "world.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    built = build_world(db, folder)
    db.dispose()
    return path, built


@pytest.fixture
def world(world_template: tuple[Any, World], tmp_path: Any) -> World:
    import shutil

    template, built = world_template
    path = tmp_path / "world.sqlite3"
    shutil.copy(template, path)
    db = Database(f"sqlite:///{path}")
    # One data dir for the module: the skill extractor's embedding cache is reused between tests.
    settings = build_settings(environment="test", data_dir=template.parent / "data", database_url=db.url)
    yield World(ids=built.ids, tokens=built.tokens, app=create_app(settings, db), database=db)
    db.dispose()


def test_every_route_has_a_rule(world: World) -> None:
    missing = sorted(set(_routes(world.app)) - set(rules(world)))
    assert missing == [], f"routes without an access rule in tests/api: {missing}"


def _all_rule_keys() -> list[tuple[str, str]]:
    # Parametrise over the routes of a fresh app (built without a database connection).
    settings = build_settings(environment="test", database_url="sqlite://")
    return _routes(create_app(settings, check_db=False))


@pytest.mark.parametrize(("method", "template"), _all_rule_keys(), ids=lambda v: str(v))
def test_each_role_is_allowed_or_refused_as_the_table_says(world: World, method: str, template: str) -> None:
    table = rules(world)
    if (method, template) not in table:
        pytest.fail(f"no access rule for {method} {template}")
    allowed, path, body = table[(method, template)]
    if body is None and method in {"POST", "PUT", "PATCH"}:
        body = {}  # a JSON body: the CSRF check (for forms) is not what this test is about
    if allowed == PUBLIC:
        with _client(world, "anonymous") as c:
            r = c.request(method, path, json=body)
        assert r.status_code not in (401, 403), (method, path, r.status_code, r.text[:500])
        assert r.status_code < 500, (method, path, r.status_code, r.text[:500])
        return
    # Refused roles first: an allowed DELETE must not hide a refusal behind a 404.
    for role in sorted(ROLES, key=lambda role: role in allowed):
        with _client(world, role) as c:
            r = c.request(method, path, json=body)
        assert r.status_code < 500, (role, method, path, r.status_code, r.text[:500])
        if role in allowed:
            assert not _refused(r), (role, method, path, r.status_code, r.text[:500])
        else:
            assert _refused(r), (role, method, path, r.status_code, r.text[:500])
            if path.startswith("/api/"):
                assert r.headers["content-type"].startswith("application/problem+json")


def test_talent_cannot_open_another_talents_profile(world: World) -> None:
    with _client(world, "talent") as c:
        assert c.get(f"/api/talents/{world.ids['t2']}").status_code == 403
        listed = c.get("/api/talents").json()
    assert [t["id"] for t in listed["items"]] == [world.ids["t1"]]


def test_organization_cannot_see_a_non_consenting_talent(world: World) -> None:
    with _client(world, "other_org_member") as c:
        assert c.get(f"/api/talents/{world.ids['t2']}").status_code == 403
        listed = c.get("/api/talents").json()
        seen = c.get(f"/api/talents/{world.ids['t1']}").json()
    assert world.ids["t2"] not in [t["id"] for t in listed["items"]]
    # consented profile, but no application to this organization: no contact details, never birth year/gender
    assert "email" not in seen and "phone" not in seen and "birth_year" not in seen and "gender" not in seen
    assert seen["name"] == "김인재"


def test_applicants_contact_details_are_shown_to_the_organization_they_applied_to(world: World) -> None:
    with _client(world, "org_member") as c:
        seen = c.get(f"/api/talents/{world.ids['t1']}").json()
    assert seen["email"] == "me@x.kr" and "birth_year" not in seen


def test_non_consenting_applicant_is_visible_to_that_organization_only(world: World) -> None:
    with world.database.session() as s:
        Repositories(s).applications.add(ApplicationData(talent_id=world.ids["t2"], opening_id=world.ids["oa"]))
    with _client(world, "org_member") as c:
        assert c.get(f"/api/talents/{world.ids['t2']}").status_code == 200
        assert world.ids["t2"] in [t["id"] for t in c.get("/api/talents").json()["items"]]
    with _client(world, "other_org_member") as c:
        assert c.get(f"/api/talents/{world.ids['t2']}").status_code == 403


def test_auditors_cannot_write(world: World) -> None:
    with _client(world, "auditor") as c:
        assert c.patch(f"/api/talents/{world.ids['t1']}", json={"region": "busan"}).status_code == 403
        assert c.get(f"/api/talents/{world.ids['t2']}").status_code == 200


def _audit_rows(world: World) -> list[AuditLogRow]:
    with world.database.session() as s:
        return list(s.scalars(select(AuditLogRow).where(AuditLogRow.entity == "talent").order_by(AuditLogRow.id)))


def test_every_view_of_personal_data_by_someone_else_is_audited(world: World) -> None:
    with _client(world, "talent") as c:
        c.get(f"/api/talents/{world.ids['t1']}")
        c.get("/api/talents")
    assert _audit_rows(world) == []  # looking at yourself is not logged
    with _client(world, "org_member") as c:
        c.get(f"/api/talents/{world.ids['t1']}")
    with _client(world, "auditor") as c:
        c.get("/api/talents?size=10")
    rows = _audit_rows(world)
    assert [(r.actor_id, r.action, r.entity_id) for r in rows] == [
        (world.ids["user_org_member"], "view", world.ids["t1"]),
        (world.ids["user_auditor"], "view", world.ids["t1"]),
        (world.ids["user_auditor"], "view", world.ids["t2"]),
    ]
    assert rows[0].actor_role == "org_member" and rows[0].at is not None
    assert "email" in rows[0].detail["fields"] and "birth_year" not in rows[0].detail["fields"]
    with _client(world, "auditor") as c:
        log = c.get("/api/audit-log?entity=talent").json()
    assert log["total"] == 3


def test_session_sign_in_and_csrf(world: World) -> None:
    with _client(world, "anonymous") as c:
        assert c.get("/api/auth/me").status_code == 401
        r = c.post("/api/auth/login", json={"email": "operator@x.kr", "password": "password-123"})
        assert r.status_code == 200
        csrf = r.json()["csrf_token"]
        assert c.get("/api/auth/me").json()["role"] == "operator"
        # a form-encoded (cross-site-able) write needs the CSRF token
        assert c.post("/api/auth/logout", data={"x": "1"}).status_code == 403
        assert c.post("/api/auth/logout", data={"csrf_token": csrf}).status_code == 204
        assert c.get("/api/auth/me").status_code == 401
        bad = c.post("/api/auth/login", json={"email": "operator@x.kr", "password": "wrong-password"})
        assert bad.status_code == 401


def test_invalid_token_is_401(world: World) -> None:
    with TestClient(world.app, headers={"Authorization": "Bearer nope"}) as c:
        r = c.get("/api/talents")
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
