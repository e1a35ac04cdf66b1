"""``/api/audit-log``: who viewed or changed what, for operators and auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request

from talentbridge.services.audit_log import list_entries
from talentbridge.web.deps import SessionDep
from talentbridge.web.policy import policy_of

router = APIRouter(prefix="/api/audit-log", tags=["audit"])


@router.get("")
def audit_log(
    request: Request,
    session: SessionDep,
    actor_id: int | None = None,
    entity: str | None = Query(None, max_length=40),
    entity_id: int | None = None,
    action: str | None = Query(None, max_length=40),
    since: datetime | None = None,
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    policy_of(request).check(request, "audit", "list")
    items, total = list_entries(
        session, actor_id=actor_id, entity=entity, entity_id=entity_id, action=action, since=since, page=page, size=size
    )
    return {"items": items, "total": total, "page": page, "size": size}
