"""Schemathesis over the whole OpenAPI spec, as operator, organization member and talent, on demo data.

Fails on any 5xx other than a declared 503 and on any status the spec does not declare for the operation
(``not_a_server_error`` + ``status_code_conformance``). Bounded and reproducible: hypothesis is derandomized (a
fixed seed), each operation gets ``TALENTBRIDGE_SCHEMATHESIS_EXAMPLES`` examples per role and generation mode
(default 4: about 1,750 cases, a few minutes). A request slower than the client's 120 s timeout is listed, not
failed (speed goals live in benchmarks/). A long campaign is the same test with a larger number, e.g.

    TALENTBRIDGE_SCHEMATHESIS_EXAMPLES=40 pytest tests/api/test_schemathesis.py -s

which prints a table of cases and failures per role (``-s``). Between operations the test accounts are put back
(active, their role) and get a fresh token, so an operator case that deactivates one cannot blind the rest.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from talentbridge.storage import Database

try:  # the transport schemathesis uses for ASGI apps raises the requests flavour of a read timeout
    from requests.exceptions import Timeout as _RequestsTimeout

    TimeoutError_: tuple[type[BaseException], ...] = (TimeoutError, _RequestsTimeout)
except ImportError:  # pragma: no cover
    TimeoutError_ = (TimeoutError,)

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("TALENTBRIDGE_SCHEMATHESIS_EXAMPLES", "4"))
ROLES = ("operator", "org_member", "talent")


def _seed(database: Database) -> dict[str, int]:
    """Demo data (small) and one account per role; returns role → user id."""
    from talentbridge.demo import generate_organizations, generate_programs, iter_openings, iter_talents
    from talentbridge.services import accounts
    from talentbridge.services.demo_store import store_demo

    orgs = generate_organizations(6, 7)
    store_demo(
        database,
        organizations=orgs,
        talent_batches=iter_talents(24, 7, chunk=100, organizations=orgs, validate=False),
        opening_batches=iter_openings(12, 7, orgs, chunk=100, validate=False),
        programs=generate_programs(7),
    )
    users = {}
    with database.session(write=True) as session:
        for role in ROLES:
            extra: dict[str, Any] = {}
            if role == "org_member":
                extra["organization_id"] = 1
            if role == "talent":
                extra["talent_id"] = 1
            user = accounts.create_user(
                session,
                email=f"fuzz-{role}@test.kr",
                password="fuzz-password-123",
                role=role,
                name=f"fuzz {role}",
                **extra,
            )
            users[role] = user.id
    return users


def _fresh_token(database: Database, role: str, user_id: int) -> str:
    """Put the account back as seeded (an operator case may have changed it) and give it a new token."""
    from sqlalchemy import update

    from talentbridge.services import accounts
    from talentbridge.storage.account_tables import UserRow

    with database.session(write=True) as session:
        session.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(active=True, role=role, organization_id=1 if role == "org_member" else None)
        )
        _, token = accounts.create_api_token(session, user_id, "fuzz")
    return token


def run_campaign(app: Any, database: Database, examples: int) -> tuple[Counter[str], list[str], list[str]]:
    """Every operation × role × generation mode, ``examples`` cases each; returns (cases per role, failures,
    cases that took longer than the client's 120 s timeout)."""
    users = _seed(database)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    cases: Counter[str] = Counter()
    failures: list[str] = []
    slow: list[str] = []
    for role in ROLES:
        for operation in operations:
            token = _fresh_token(database, role, users[role])
            headers = {"Authorization": f"Bearer {token}"}
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                test = _case_runner(operation, mode, role, headers, examples, cases, failures, slow)
                try:
                    test()
                except Unsatisfiable:  # no invalid input exists (no parameters, or free-text ones only)
                    pass
                except Exception as exc:  # noqa: BLE001 - a strategy that cannot generate is a finding too
                    failures.append(f"{role} {mode.value} {operation.label}: {type(exc).__name__}: {exc}"[:400])
    return cases, failures, slow


def _case_runner(
    operation: Any,
    mode: Any,
    role: str,
    headers: dict[str, str],
    examples: int,
    cases: Counter[str],
    failures: list[str],
    slow: list[str],
) -> Any:
    checks = [not_a_server_error, status_code_conformance]

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        cases[role] += 1
        try:
            response = case.call(headers=headers, timeout=120)
        except TimeoutError_ as exc:  # slow is not wrong: listed, not failed (a latency goal lives in benchmarks/)
            slow.append(f"{role} {mode.value} {case.method} {case.formatted_path}: {type(exc).__name__}")
            return
        except Exception as exc:  # noqa: BLE001 - the app raised: a 500 (the test client re-raises it)
            failures.append(f"{role} {mode.value} {case.method} {case.formatted_path} raised {exc!r}"[:600])
            return
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except Exception as exc:  # noqa: BLE001 - collect every failure, report them together
            text = str(exc).strip()
            first = text.splitlines()[0] if text else type(exc).__name__
            failures.append(
                f"{role} {mode.value} {case.method} {case.formatted_path} -> {response.status_code}: "
                f"{first} | {response.text[:300]}"
            )

    return call


@pytest.fixture
def fuzz_app(tmp_path: Any, database: Database) -> Any:
    from talentbridge.config import build_settings
    from talentbridge.web.app import create_app

    settings_ = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url)
    return create_app(settings_, database)


def test_schemathesis_finds_no_server_error_and_no_undeclared_status(fuzz_app: Any, database: Database) -> None:
    started = time.perf_counter()
    cases, failures, slow = run_campaign(fuzz_app, database, EXAMPLES)
    elapsed = time.perf_counter() - started
    print(f"\nschemathesis on {database.engine.dialect.name}: {sum(cases.values())} cases in {elapsed:.0f} s")
    print("| role | cases |")
    print("|---|---:|")
    for role in ROLES:
        print(f"| {role} | {cases[role]} |")
    print(f"failures: {len(failures)}")
    for line in slow:
        print(f"slow (over 120 s): {line}")
    unique = sorted(set(failures))
    assert sum(cases.values()) > 100, unique[:5]
    assert not unique, f"{len(unique)} failing case(s):\n" + "\n".join(unique[:40])
