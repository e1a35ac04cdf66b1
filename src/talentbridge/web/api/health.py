"""``GET /api/health``: liveness plus database readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

import talentbridge
from talentbridge.domain.errors import TalentBridgeError
from talentbridge.web.deps import DatabaseDep

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def health(database: DatabaseDep) -> dict[str, Any]:
    status = "ok"
    detail = None
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database.check_ready()
    except TalentBridgeError as exc:
        status, detail = "degraded", exc.message
    except Exception as exc:  # the database is down: report, don't crash
        status, detail = "degraded", str(exc)
    return {
        "status": status,
        "version": talentbridge.__version__,
        "database": database.engine.dialect.name,
        "detail": detail,
    }
