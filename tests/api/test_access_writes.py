"""Access control of WRITES: every write route × every role × hostile bodies, judged on the database.

The matrix (``test_hostile_writes_change_only_what_the_role_may``) sends each case of ``hostile_writes`` as
each role and compares the database before and after: 0 violations is the goal (see hostile_writes.py for the
oracle). The named tests below are the exploits of issue #13, each of which succeeded before the fix.
Set ``TB_ACCESS_MATRIX_REPORT=<file>`` to append one line per (role, case) with its violations (for the
report's before/after counts).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import select

from talentbridge.domain import ApplicationData, OpeningData
from talentbridge.storage.account_tables import AuditLogRow
from talentbridge.storage.repositories import Repositories
from tests.api import hostile_writes as hw
from tests.api.test_access import (  # noqa: F401 - fixtures
    ROLES,
    World,
    _all_rule_keys,
    _client,
    rules,
    world,
    world_template,
)

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}


@pytest.fixture
def hostile(world: World) -> World:  # noqa: F811 - the fixture of test_access
    ids = dict(world.ids)
    hw.prepare(world.database, ids)
    return World(ids=ids, tokens=world.tokens, app=world.app, database=world.database)


def _write_routes() -> list[tuple[str, str]]:
    return [(m, t) for m, t in _all_rule_keys() if m in WRITE_METHODS]


def _cases(w: World, method: str, template: str) -> list[hw.Case]:
    table = rules(w)
    if (method, template) not in table:  # test_access.test_every_route_has_a_rule names the route too
        pytest.fail(f"no access rule for {method} {template} in tests/api (add it to access_rules.py)")
    _, path, body = table[(method, template)]
    own = [
        c for c in hw.registry_cases(w.ids) + hw.workflow_cases(w.ids) if (c.method, c.template) == (method, template)
    ]
    default = hw.Case(method, template, path, body if body is not None or method == "DELETE" else {},
                      form=not path.startswith("/api/"))  # fmt: skip
    return [default, *own]


def _send(w: World, role: str, case: hw.Case) -> Any:
    with _client(w, role) as c:
        if case.form:
            return c.request(case.method, case.path, data=case.body or {"x": "1"})
        return c.request(case.method, case.path, json=case.body)


def _violations(w: World, role: str, case: hw.Case) -> tuple[int, list[str]]:
    """Send ``case`` as ``role``, judge what changed, then undo it (each case starts from the same world)."""
    before = hw.snapshot(w.database)
    r = _send(w, role, case)
    changes = hw.diff(before, hw.snapshot(w.database))
    if changes:
        hw.restore(w.database, changes)
        assert hw.diff(before, hw.snapshot(w.database)) == [], "the world could not be restored"
    out = []
    if r.status_code >= 500:
        out.append(f"server error {r.status_code}: {r.text[:200]}")
    if r.status_code >= 400 and changes:
        out += [f"refused ({r.status_code}) but wrote: {c.describe()}" for c in changes]
    for change in changes:
        why = hw.forbidden_change(role, change, before, w.ids)
        if why:
            out.append(f"{why}: {change.describe()} (answer {r.status_code})")
    out += [f"silently ignored: {p}" for p in hw.echo_problems(case, r)]
    return r.status_code, out


@pytest.mark.parametrize(("method", "template"), _write_routes(), ids=lambda v: str(v))
def test_hostile_writes_change_only_what_the_role_may(hostile: World, method: str, template: str) -> None:
    report = os.environ.get("TB_ACCESS_MATRIX_REPORT")
    found = []
    for role in ROLES:
        for case in _cases(hostile, method, template):
            status, problems = _violations(hostile, role, case)
            if report:
                with open(report, "a", encoding="utf-8") as f:
                    f.write(f"{role}\t{case.label()}\t{status}\t{len(problems)}\t{' | '.join(problems)}\n")
            found += [f"{role} {case.label()}: {p}" for p in problems]
    assert found == []


def test_every_write_route_has_hostile_cases_or_a_default(hostile: World) -> None:
    counted = {(m, t): len(_cases(hostile, m, t)) for m, t in _write_routes()}
    assert all(n >= 1 for n in counted.values())
    assert sum(counted.values()) * len(ROLES) >= 1000  # (role, route, body) cases in the matrix


# -- the exploits of issue #13, by name ------------------------------------------------------------------------


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()  # type: ignore[no-any-return]


def test_org_member_cannot_swap_the_talent_of_an_application_to_read_their_contact_details(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "org_member") as c:
        body = _problem(c.patch(f"/api/applications/{i['application']}", json={"talent_id": i["t2"]}), 403)
        assert [f["field"] for f in body["fields"]] == ["talent_id"]
        assert "talent_id" in body["detail"]
        assert c.get(f"/api/talents/{i['t2']}").status_code == 403
    with hostile.database.session() as s:
        assert Repositories(s).applications.get(i["application"]).talent_id == i["t1"]


def test_org_member_cannot_move_an_opening_to_another_organization(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "org_member") as c:
        body = _problem(c.patch(f"/api/openings/{i['oa']}", json={"organization_id": 77}), 403)
        assert body["fields"][0]["field"] == "organization_id"
        _problem(c.patch(f"/api/openings/{i['oa']}", json={"organization_id": i["org_b"]}), 403)
        # sending its own organization back unchanged is fine
        assert c.patch(f"/api/openings/{i['oa']}", json={"organization_id": i["org_a"], "title": "새 제목"}).is_success


def test_org_member_cannot_move_an_application_into_another_organizations_pipeline(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "org_member") as c:
        _problem(c.patch(f"/api/applications/{i['application']}", json={"opening_id": i["ob"]}), 403)
    with hostile.database.session() as s:
        assert Repositories(s).applications.get(i["application"]).opening_id == i["oa"]


def test_talent_cannot_file_an_application_in_someone_elses_name(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "talent") as c:
        _problem(c.patch(f"/api/applications/{i['application']}", json={"talent_id": i["t2"]}), 403)
        _problem(c.post("/api/applications", json={"talent_id": i["t2"], "opening_id": i["ob"]}), 403)


def test_talent_cannot_set_the_status_of_their_own_application(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "talent") as c:
        body = _problem(c.post("/api/applications", json={"talent_id": i["t1"], "opening_id": i["ob"],
                                                          "status": "hired"}), 403)  # fmt: skip
        assert body["fields"][0]["field"] == "status" and "withdraw" in body["fields"][0]["reason"]
        _problem(c.patch(f"/api/applications/{i['application']}", json={"status": "offer"}), 403)
        # the initial status sent explicitly, and a withdrawal, are the talent's to make
        created = c.post("/api/applications", json={"talent_id": i["t1"], "opening_id": i["ob"], "status": "applied"})
        assert created.status_code == 201 and created.json()["status"] == "applied"
        withdrawn = c.patch(f"/api/applications/{i['application']}", json={"status": "withdrawn"})
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    with _client(hostile, "org_member") as c:
        _problem(c.patch(f"/api/applications/{i['application']}", json={"status": "interview"}), 409)


def test_org_member_moves_applications_but_never_withdraws_them(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "org_member") as c:
        assert c.patch(f"/api/applications/{i['application']}", json={"status": "interview"}).status_code == 200
        _problem(c.patch(f"/api/applications/{i['application']}", json={"status": "withdrawn"}), 403)
        _problem(c.patch(f"/api/applications/{i['application']}", json={"note": "메모"}), 403)


def test_forbidden_fields_are_refused_all_at_once_not_dropped(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "org_member") as c:
        body = _problem(
            c.patch(f"/api/organizations/{i['org_a']}", json={"name": "탈취", "venture_certified": True,
                                                              "website": "https://a.kr"}), 403)  # fmt: skip
    assert sorted(f["field"] for f in body["fields"]) == ["name", "venture_certified"]
    with hostile.database.session() as s:
        org = Repositories(s).organizations.get(i["org_a"])
    assert org.name == "비전AI" and org.website is None


def test_talent_profile_echoed_back_unchanged_is_accepted(hostile: World) -> None:
    with _client(hostile, "talent") as c:
        mine = c.get(f"/api/talents/{hostile.ids['t1']}").json()
        editable = {k: v for k, v in mine.items() if k not in {"id", "created_at", "updated_at"}}
        assert c.patch(f"/api/talents/{hostile.ids['t1']}", json=editable).status_code == 200
        _problem(c.patch(f"/api/talents/{hostile.ids['t1']}", json={"external_id": "x-1"}), 403)
        _problem(c.patch(f"/api/talents/{hostile.ids['t1']}", json={"current_employer_id": hostile.ids["org_b"]}), 403)


def test_org_members_cannot_filter_or_sort_talent_by_fields_they_may_not_see(hostile: World) -> None:
    with _client(hostile, "org_member") as c:
        for query in ("gender=female", "email=me@x.kr", "birth_year=1995", "sort=birth_year", "sort=-birth_year",
                      "phone=010", "visible_to_organization=2", "nonsense=1"):  # fmt: skip
            body = _problem(c.get(f"/api/talents?{query}"), 422)
            assert body["errors"][0]["loc"][0] == "query", query
        # whether an address is registered does not show: both answers are the same refusal
        known, unknown = c.get("/api/talents?email=me@x.kr"), c.get("/api/talents?email=nobody@x.kr")
        assert known.json()["errors"][0]["msg"] == unknown.json()["errors"][0]["msg"]
        assert c.get("/api/talents?region=seoul&sort=-name").status_code == 200
    with _client(hostile, "operator") as c:
        assert c.get("/api/talents?gender=female&sort=birth_year").status_code == 200


def test_scoped_filters_asking_for_more_are_refused_not_overridden(hostile: World) -> None:
    with _client(hostile, "talent") as c:
        _problem(c.get(f"/api/applications?talent_id={hostile.ids['t2']}"), 422)
        _problem(c.get("/api/openings?status=draft"), 422)
        assert c.get(f"/api/applications?talent_id={hostile.ids['t1']}").status_code == 200
    with _client(hostile, "org_member") as c:
        _problem(c.get(f"/api/applications?organization_id={hostile.ids['org_b']}"), 422)


def test_talent_can_neither_read_nor_apply_to_draft_or_closed_openings(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "talent") as c:
        for opening in ("od", "oc"):
            _problem(c.get(f"/api/openings/{i[opening]}"), 404)
            body = _problem(c.post("/api/applications", json={"talent_id": i["t1"], "opening_id": i[opening]}), 422)
            assert body["errors"][0]["loc"] == ["body", "opening_id"]
            assert body["errors"][0]["msg"] == "no open opening with this id"
        missing = _problem(c.post("/api/applications", json={"talent_id": i["t1"], "opening_id": 99999}), 422)
        assert missing["errors"][0]["msg"] == "no open opening with this id"  # drafts do not stand out
        listed = {o["id"] for o in c.get("/api/openings?size=100").json()["items"]}
        assert i["od"] not in listed and i["oc"] not in listed and i["oa"] in listed
        page = c.post("/me/apply", data={"opening_id": str(i["od"])})
        assert page.status_code == 422
    with hostile.database.session() as s:
        assert Repositories(s).applications.list({"talent_id": i["t1"]}).total == 1


def test_talent_still_reads_a_closed_opening_they_applied_to(hostile: World) -> None:
    i = hostile.ids
    with hostile.database.session() as s:
        Repositories(s).openings.update(i["oa"], {"status": "closed"})
    with _client(hostile, "talent") as c:
        assert c.get(f"/api/openings/{i['oa']}").status_code == 200
        _problem(c.get(f"/api/openings/{i['oc']}"), 404)


def test_apply_after_the_deadline_is_refused(hostile: World) -> None:
    with hostile.database.session() as s:
        late = Repositories(s).openings.add(
            OpeningData(
                organization_id=hostile.ids["org_b"],
                kind="job",
                title="지난 공고",
                region="ulsan",
                status="open",
                deadline="2020-01-01",
            )  # fmt: skip
        )
    with _client(hostile, "talent") as c:
        body = _problem(c.post("/api/applications", json={"talent_id": hostile.ids["t1"], "opening_id": late.id}), 422)
    assert "deadline" in body["detail"]


def test_drafts_are_seen_by_their_organization_and_staff_only(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "talent") as c:
        _problem(c.get(f"/api/openings/{i['od']}/recommendations"), 404)
    with _client(hostile, "org_member") as c:
        _problem(c.get(f"/api/openings/{i['od']}"), 404)
        _problem(c.get(f"/api/openings/{i['od']}/recommendations"), 404)  # not a 403 that confirms the draft
        assert c.get(f"/api/openings/{i['oc']}").status_code == 200
        assert i["od"] not in {o["id"] for o in c.get("/api/openings?size=100").json()["items"]}
    with _client(hostile, "other_org_member") as c:
        assert c.get(f"/api/openings/{i['od']}").status_code == 200
        assert i["od"] in {o["id"] for o in c.get("/api/openings?status=draft").json()["items"]}
    for role in ("operator", "auditor"):
        with _client(hostile, role) as c:
            assert c.get(f"/api/openings/{i['od']}").status_code == 200
            assert i["od"] in {o["id"] for o in c.get("/api/openings?size=100").json()["items"]}


def _talent_views(w: World, actor: str) -> list[AuditLogRow]:
    with w.database.session() as s:
        stmt = select(AuditLogRow).where(AuditLogRow.entity == "talent", AuditLogRow.actor_id == w.ids[f"user_{actor}"])
        return list(s.scalars(stmt))


def test_api_recommendation_lists_write_audit_rows(hostile: World) -> None:
    i = hostile.ids
    with hostile.database.session() as s:
        Repositories(s).talents.update(i["t1"], {"skills": [{"skill_id": "python", "level": 4}]})
        Repositories(s).openings.update(i["oa"], {"required_skills": [{"skill_id": "python", "min_level": 3}]})
    with _client(hostile, "org_member") as c:
        r = c.get(f"/api/openings/{i['oa']}/recommendations?top=5")
    assert r.status_code == 200, r.text
    shown = [item["talent_id"] for item in r.json()["items"]]
    assert shown == [i["t1"]]  # t2 did not consent
    rows = _talent_views(hostile, "org_member")
    assert [(row.entity_id, row.action) for row in rows] == [(i["t1"], "view")]
    assert "skills" in rows[0].detail["fields"] and rows[0].detail["path"].endswith("/recommendations")
    with _client(hostile, "auditor") as c:
        assert c.get(f"/api/talents/{i['t1']}/recommendations?top=5").status_code == 200
    assert [row.entity_id for row in _talent_views(hostile, "auditor")] == [i["t1"]]
    with _client(hostile, "talent") as c:  # the talent looking at their own list is not logged
        assert c.get(f"/api/talents/{i['t1']}/recommendations?top=5").status_code == 200
    assert _talent_views(hostile, "talent") == []


def test_pages_refuse_the_same_hostile_values(hostile: World) -> None:
    i = hostile.ids
    with _client(hostile, "org_member") as c:
        assert c.post(f"/org/applications/{i['application']}", data={"status": "withdrawn"}).status_code == 403
        assert c.post(f"/org/applications/{i['application']}", data={"status": "screening"}).status_code == 303
    with hostile.database.session() as s:
        Repositories(s).applications.add(ApplicationData(talent_id=i["t1"], opening_id=i["ob"]))
    with _client(hostile, "talent") as c:
        assert c.post("/me/apply", data={"opening_id": str(i["oc"])}).status_code == 422
        assert c.post("/me/apply", data={"opening_id": str(i["oa"])}).status_code == 303


def test_a_duplicate_email_does_not_say_whose_profile_has_it(hostile: World) -> None:
    with _client(hostile, "talent") as c:
        body = _problem(c.patch(f"/api/talents/{hostile.ids['t1']}", json={"email": "hidden@x.kr"}), 409)
    assert body["field"] == "email" and "existing_id" not in body and "hidden@x.kr" not in body["detail"]
    with _client(hostile, "operator") as c:
        body = _problem(c.patch(f"/api/talents/{hostile.ids['t1']}", json={"email": "hidden@x.kr"}), 409)
    assert body["existing_id"] == hostile.ids["t2"]
