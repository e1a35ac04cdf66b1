"""Access rules of the capability routers, for tests/api/test_access.py. One entry per route:
(method, path template) -> (allowed roles | "public", concrete path, JSON body)."""

from __future__ import annotations

from typing import Any

SIGNED_IN = frozenset({"talent", "org_member", "other_org_member", "auditor", "operator"})
OPERATOR = frozenset({"operator"})
READERS = frozenset({"auditor", "operator"})


def capability_rules(ids: dict[str, int]) -> dict[tuple[str, str], tuple[Any, str, Any]]:
    return {}
