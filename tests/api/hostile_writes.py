"""Hostile writes for the role matrix (tests/api/test_access_writes.py): the cases and the oracle.

Cases: every write route (POST, PATCH, PUT, DELETE; API and page forms) with its ordinary body from the read
matrix, plus hostile variants — each field of a registry record set to values that would hand the record to
someone else (another talent's or organization's id, another organization's or a draft opening, every status,
an import key, verified organization facts), ranked lists naming other people's records, account fields that
grant roles.

Oracle (written from docs/security.md, independently of the code under test): the database is compared before
and after each request, and every changed row must be a change the caller's role may make:

- anonymous, auditor: nothing changes (sign-up may add a talent, or an inactive organization member).
- talent: their own profile (not ``external_id``, ``current_employer_id``), their own skills, applications in
  their own name to open openings with status ``applied``, their applications' ``note`` and a withdrawal,
  deleting their applications, their own ranked list in a round.
- organization member: their organization's editable profile fields, their organization's openings (created,
  changed, deleted; never moved to another organization; no import key), the ``status`` of applications to their
  openings (never ``withdrawn``, never once withdrawn), the ranked lists of their openings.
- operator: anything.

A violation is: a change outside these rules, a change made by a refused request, a 5xx, or (registry API) a
2xx whose stored record does not hold a value the body sent (silently ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from talentbridge.domain.enums import ApplicationStatus, OpeningStatus, PlacementStatus, ProgramStatus, RoundStatus
from talentbridge.storage import Database
from talentbridge.storage.base import Base

TABLES = (
    "organizations",
    "talents",
    "talent_skills",
    "openings",
    "opening_skills",
    "programs",
    "rounds",
    "placements",
    "applications",
    "round_openings",
    "round_participants",
    "round_preferences",
    "round_runs",
    "users",
)
#: Bookkeeping columns: a change of only these is not a change of the record.
IGNORED_COLUMNS = {"created_at", "updated_at", "last_login_at", "password_hash", "added_at", "submitted_at"}

TALENT_SELF = {
    "name", "name_latin", "email", "phone", "gender", "birth_year", "category", "region", "nationality",
    "visa_type", "visa_expires", "education", "work_history", "skills", "resume_text", "desired_roles",
    "employment_types", "salary_expectation", "available_from", "consent_visible", "consent_statistics",
}  # fmt: skip
ORG_SELF = {"name_en", "region", "size_band", "industry", "founded", "website", "description"}
USER_PRIVILEGES = {"role", "organization_id", "talent_id", "active", "email"}


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    path: str
    body: Any = None
    form: bool = False  # send ``body`` as a form (pages)
    checks_echo: bool = False  # registry API: a 2xx must store every value sent

    def label(self) -> str:
        return f"{self.method} {self.path} {self.body!r}"


# -- cases ----------------------------------------------------------------------------------------------------

_STATUS = {
    "applications": [s.value for s in ApplicationStatus],
    "openings": [s.value for s in OpeningStatus],
    "programs": [s.value for s in ProgramStatus],
    "rounds": [s.value for s in RoundStatus],
    "placements": [s.value for s in PlacementStatus],
}
_BASE_BODIES = {
    "organizations": lambda i: {"name": "신규", "kind": "ai_startup"},
    "talents": lambda i: {"name": "새 인재"},
    "openings": lambda i: {"organization_id": i["org_a"], "kind": "job", "title": "새 공고", "region": "seoul"},
    "programs": lambda i: {"name": "PBL", "kind": "pbl"},
    "rounds": lambda i: {"program_id": i["program"], "name": "2차"},
    "placements": lambda i: {"talent_id": i["t1"], "organization_id": i["org_b"], "start_date": "2027-04-01"},
    "applications": lambda i: {"talent_id": i["t1"], "opening_id": i["ob"]},
}
_TARGETS = {
    "organizations": "org_a",
    "talents": "t1",
    "openings": "oa",
    "programs": "program",
    "rounds": "round",
    "placements": "placement",
    "applications": "application",
}
_FIELDS = {
    "organizations": ["name", "kind", "venture_certified", "group", "parent_id", "external_id", "name_en"],
    "talents": ["current_employer_id", "external_id", "consent_visible", "region"],
    "openings": ["organization_id", "external_id", "status", "title"],
    "programs": ["status", "name"],
    "rounds": ["program_id", "name", "seed"],
    "placements": ["talent_id", "organization_id", "opening_id", "status"],
    "applications": ["talent_id", "opening_id", "status", "note"],
}


def _hostile_values(path: str, name: str, i: dict[str, int]) -> list[Any]:
    if name == "status":
        return _STATUS[path]
    return {
        "talent_id": [i["t2"], i["t1"]],
        "opening_id": [i["ob"], i["od"], i["oc"], i["oa"]],
        "organization_id": [i["org_b"], i["org_a"]],
        "parent_id": [i["org_b"]],
        "current_employer_id": [i["org_b"]],
        "program_id": [i["program"]],
        "external_id": ["hijack-1"],
        "name": ["탈취한 이름"],
        "kind": ["manufacturer"],
        "venture_certified": [True],
        "group": ["가상그룹"],
        "name_en": ["Vision AI"],
        "consent_visible": [False, True],
        "region": ["busan"],
        "title": ["바뀐 제목"],
        "seed": [7],
        "note": ["메모"],
    }[name]


def registry_cases(i: dict[str, int]) -> list[Case]:
    out = []
    for path, fields in _FIELDS.items():
        base = _BASE_BODIES[path](i)
        target = i[_TARGETS[path]]
        for name in fields:
            for value in _hostile_values(path, name, i):
                out.append(Case("POST", f"/api/{path}", f"/api/{path}", {**base, name: value}, checks_echo=True))
                out.append(
                    Case("PATCH", f"/api/{path}/{{item_id}}", f"/api/{path}/{target}", {name: value}, checks_echo=True)
                )
        # someone else's record as the target
        for other in {"applications": ["application_b"], "openings": ["ob", "od"], "talents": ["t2"],
                      "organizations": ["org_b"]}.get(path, []):  # fmt: skip
            out.append(Case("PATCH", f"/api/{path}/{{item_id}}", f"/api/{path}/{i[other]}", {}, checks_echo=True))
            out.append(Case("DELETE", f"/api/{path}/{{item_id}}", f"/api/{path}/{i[other]}"))
    return out


def workflow_cases(i: dict[str, int]) -> list[Case]:
    """Rounds, accounts and page forms with hostile ids and values."""
    r = i["round"]
    out = []
    tmpl = "/api/rounds/{round_id}/preferences/talents/{talent_id}"
    for talent, ranking in ((i["t1"], [i["oa"]]), (i["t1"], [i["ob"], i["od"]]), (i["t2"], [i["oa"]])):
        out.append(Case("PUT", tmpl, f"/api/rounds/{r}/preferences/talents/{talent}", {"ranking": ranking}))
    tmpl = "/api/rounds/{round_id}/preferences/openings/{opening_id}"
    for opening, ranking in ((i["oa"], [i["t1"]]), (i["oa"], [i["t2"], i["t1"]]), (i["ob"], [i["t1"]])):
        out.append(Case("PUT", tmpl, f"/api/rounds/{r}/preferences/openings/{opening}", {"ranking": ranking}))
    for body in ({"role": "operator"}, {"active": False}, {"role": "auditor", "name": "x"}):
        for user in ("user_talent", "user_org_member", "user_operator"):
            out.append(Case("PATCH", "/api/users/{user_id}", f"/api/users/{i[user]}", body))
    for role in ("operator", "auditor"):
        body = {"email": f"{role}-new@x.kr", "password": "password-123", "name": "x", "role": role}
        out.append(Case("POST", "/api/users", "/api/users", body))
        out.append(Case("POST", "/api/auth/signup", "/api/auth/signup", body))
    out.append(
        Case("POST", "/api/auth/signup", "/api/auth/signup",
             {"email": "org-new@x.kr", "password": "password-123", "name": "x", "role": "org_member",
              "organization_id": i["org_b"]})
    )  # fmt: skip
    # page forms
    for status in [s.value for s in ApplicationStatus]:
        for app in ("application", "application_b"):
            out.append(
                Case("POST", "/org/applications/{application_id}", f"/org/applications/{i[app]}",
                     {"status": status}, form=True)
            )  # fmt: skip
    for opening in ("oa", "ob", "od", "oc"):
        out.append(Case("POST", "/me/apply", "/me/apply", {"opening_id": i[opening]}, form=True))
    out.append(
        Case("POST", "/org/openings", "/org/openings",
             {"organization_id": i["org_b"], "kind": "job", "title": "남의 공고", "region": "seoul", "status": "open",
              "external_id": "hijack-2"}, form=True)
    )  # fmt: skip
    out.append(
        Case("POST", "/org", "/org", {"name": "탈취", "kind": "manufacturer", "venture_certified": "on",
                                      "name_en": "Vision", "parent_id": i["org_b"]}, form=True)
    )  # fmt: skip
    out.append(
        Case("POST", "/me", "/me", {"name": "김인재", "external_id": "hijack-3", "current_employer_id": i["org_b"],
                                    "category": "engineer"}, form=True)
    )  # fmt: skip
    for opening in ("oa", "ob"):
        out.append(
            Case("POST", "/org/rounds/{round_id}/openings/{opening_id}/ranking",
                 f"/org/rounds/{r}/openings/{i[opening]}/ranking", {f"rank:{i['t1']}": "1"}, form=True)
        )  # fmt: skip
        out.append(
            Case("POST", "/org/rounds/{round_id}/openings/{opening_id}/generate",
                 f"/org/rounds/{r}/openings/{i[opening]}/generate", {}, form=True)
        )  # fmt: skip
    out.append(
        Case("POST", "/me/rounds/{round_id}/preferences", f"/me/rounds/{r}/preferences",
             {f"rank:{i['ob']}": "1", f"rank:{i['od']}": "2"}, form=True)
    )  # fmt: skip
    return out


# -- oracle ---------------------------------------------------------------------------------------------------

Snapshot = dict[str, dict[Any, dict[str, Any]]]


def snapshot(database: Database) -> Snapshot:
    out: Snapshot = {}
    with database.engine.connect() as conn:
        for name in TABLES:
            keys = [c.name for c in Base.metadata.tables[name].primary_key.columns]
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).mappings()
            out[name] = {tuple(row[k] for k in keys): dict(row) for row in rows}
    return out


@dataclass
class Change:
    table: str
    kind: str  # insert | update | delete
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    columns: set[str]

    def describe(self) -> str:
        row = self.after or self.before or {}
        cols = ", ".join(f"{c}: {(self.before or {}).get(c)!r} -> {(self.after or {}).get(c)!r}"
                         for c in sorted(self.columns))  # fmt: skip
        return f"{self.kind} {self.table} {row.get('id', '')} {cols}"


def diff(before: Snapshot, after: Snapshot) -> list[Change]:
    out = []
    for table in TABLES:
        old, new = before[table], after[table]
        for key in old.keys() - new.keys():
            out.append(Change(table, "delete", old[key], None, set(old[key])))
        for key in new.keys() - old.keys():
            out.append(Change(table, "insert", None, new[key], set(new[key])))
        for key in old.keys() & new.keys():
            cols = {c for c in new[key] if c not in IGNORED_COLUMNS and old[key].get(c) != new[key].get(c)}
            if cols:
                out.append(Change(table, "update", old[key], new[key], cols))
    return out


def restore(database: Database, changes: list[Change]) -> None:
    """Undo ``changes`` (so every case starts from the same world): deleted rows back, parents first; updated
    rows to their old values; inserted rows removed, children first."""
    order = {name: n for n, name in enumerate(TABLES)}

    def where(table: str, row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        keys = [c.name for c in Base.metadata.tables[table].primary_key.columns]
        return " AND ".join(f'"{k}" = :k_{k}' for k in keys), {f"k_{k}": row[k] for k in keys}

    with database.engine.begin() as conn:
        for ch in sorted((c for c in changes if c.kind == "delete"), key=lambda c: order[c.table]):
            row = ch.before or {}
            cols = ", ".join(f'"{c}"' for c in row)
            conn.execute(text(f'INSERT INTO "{ch.table}" ({cols}) VALUES ({", ".join(f":{c}" for c in row)})'), row)
        for ch in (c for c in changes if c.kind == "update"):
            row = ch.before or {}
            cond, keys = where(ch.table, row)
            sets = ", ".join(f'"{c}" = :{c}' for c in row)
            conn.execute(text(f'UPDATE "{ch.table}" SET {sets} WHERE {cond}'), {**row, **keys})
        for ch in sorted((c for c in changes if c.kind == "insert"), key=lambda c: -order[c.table]):
            cond, keys = where(ch.table, ch.after or {})
            conn.execute(text(f'DELETE FROM "{ch.table}" WHERE {cond}'), keys)


def _v(change: Change, column: str) -> Any:
    return (change.after or change.before or {}).get(column)


def forbidden_change(role: str, change: Change, before: Snapshot, ids: dict[str, int]) -> str | None:
    """Why ``change`` is not one ``role`` may make (None when it is)."""
    if role == "operator":
        return None
    t, kind, old, new = change.table, change.kind, change.before or {}, change.after or {}
    if t == "users":
        if kind == "insert":  # sign-up: a talent, or an organization member waiting for activation
            ok = new.get("role") == "talent" or (new.get("role") == "org_member" and not new.get("active"))
            return None if ok else "a sign-up created a privileged or active account"
        if kind == "update" and not (change.columns & USER_PRIVILEGES):
            return None
        return "account roles, links and activation change only by operators"
    openings = before["openings"]

    def opening_org(opening_id: Any) -> Any:
        row = openings.get((opening_id,))
        return None if row is None else row["organization_id"]

    if role == "talent":
        me = ids["t1"]
        if t == "talents" and kind == "update" and old["id"] == me:
            extra = change.columns - TALENT_SELF
            return None if not extra else f"a talent may not change {sorted(extra)} of their profile"
        if t == "talent_skills" and _v(change, "talent_id") == me:
            return None
        if t == "applications":
            if kind == "insert":
                opening = openings.get((new["opening_id"],))
                if new["talent_id"] != me:
                    return "an application filed in someone else's name"
                if opening is None or opening["status"] != "open":
                    return "an application to an opening that is not open"
                return None if new["status"] == "applied" else f"an application created as {new['status']}"
            if old.get("talent_id") != me:
                return "someone else's application"
            if kind == "delete":
                return None
            extra = change.columns - {"note", "status"}
            if extra:
                return f"a talent may not change {sorted(extra)} of an application"
            if "status" in change.columns and new["status"] != "withdrawn":
                return f"a talent moved their application to {new['status']}"
            return None
        if t == "round_preferences" and _v(change, "side") == "talent" and _v(change, "owner_id") == me:
            return None
        return f"a talent may not {kind} {t}"
    if role in ("org_member", "other_org_member"):
        org = ids["org_a"] if role == "org_member" else ids["org_b"]
        own_openings = {k[0] for k, row in openings.items() if row["organization_id"] == org}
        if t == "organizations" and kind == "update" and old["id"] == org:
            extra = change.columns - ORG_SELF
            return None if not extra else f"an organization may not change its {sorted(extra)}"
        if t == "openings":
            if kind == "insert":
                if new["organization_id"] != org:
                    return "an opening created for another organization"
                return None if new["external_id"] is None else "an import key set by an organization"
            if old["organization_id"] != org:
                return "another organization's opening"
            if kind == "update" and change.columns & {"organization_id", "external_id"}:
                return f"an opening's {sorted(change.columns & {'organization_id', 'external_id'})} changed"
            return None
        if t == "opening_skills":
            opening = _v(change, "opening_id")
            new_own = kind == "insert" and opening not in openings  # skills of an opening created now
            return None if opening in own_openings or new_own else "another organization's opening skills"
        if t == "applications":
            if opening_org(old.get("opening_id")) != org:
                return "an application to another organization's opening"
            if kind == "delete":  # deleting their own opening deletes its applications
                return None
            if kind != "update" or change.columns - {"status"}:
                return f"an organization may not change {sorted(change.columns - {'status'})} of an application"
            if new["status"] == "withdrawn" or old["status"] == "withdrawn":
                return "an organization withdrew an application, or moved a withdrawn one"
            return None
        if t == "round_preferences" and _v(change, "side") == "opening" and _v(change, "owner_id") in own_openings:
            return None
        return f"an organization member may not {kind} {t}"
    return f"a {role} may not change anything ({kind} {t})"


def echo_problems(case: Case, response: Any) -> list[str]:
    """Values a 2xx registry write was sent but does not hold (silently ignored)."""
    if not case.checks_echo or not 200 <= response.status_code < 300 or case.method == "DELETE":
        return []
    stored = response.json()
    return [
        f"{name}={value!r} sent, {stored.get(name)!r} stored"
        for name, value in (case.body or {}).items()
        if name in stored and stored[name] != value
    ]


def prepare(database: Database, ids: dict[str, int]) -> None:
    """Add to the access world what hostile writes aim at: a draft and a closed opening of the other
    organization, an application to it, and a round collecting preferences with both organizations' openings."""
    from talentbridge.domain import ApplicationData, OpeningData
    from talentbridge.services.rounds import RoundService
    from talentbridge.storage.repositories import Repositories

    with database.session() as s:
        r = Repositories(s)
        od = r.openings.add(OpeningData(organization_id=ids["org_b"], kind="job", title="비공개 초안",
                                        region="ulsan", status="draft"))  # fmt: skip
        oc = r.openings.add(OpeningData(organization_id=ids["org_b"], kind="job", title="마감된 공고",
                                        region="ulsan", status="closed"))  # fmt: skip
        app_b = r.applications.add(ApplicationData(talent_id=ids["t2"], opening_id=ids["ob"]))
        ids.update(od=od.id, oc=oc.id, application_b=app_b.id)
        rounds = RoundService(s)
        for opening in (ids["oa"], ids["ob"]):
            rounds.attach_opening(ids["round"], opening, 1)
        for talent in (ids["t1"], ids["t2"]):
            rounds.add_participant(ids["round"], talent)
        rounds.open(ids["round"], None)
