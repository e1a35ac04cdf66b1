"""``GET /api/health``: liveness, database readiness, missing models and the warm-up state of each component.

``status`` is "ok", or "degraded" when the database is not ready or a model of the default configuration is
not installed (``models.missing`` says which, and what the product falls back to). ``components`` gives each
model-backed component's warm-up state in this process ("not_started", "warming_up", "ready", "failed");
``ready`` is true when none is warming up (pages that need a component still warming up say so instead of
waiting for it).
``index`` says which talent-index version this worker process answers from (``pid`` tells the workers of
``serve --workers N`` apart; null before its first recommendation) and since when (``loaded_at``, epoch seconds).
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter

import talentbridge
from talentbridge.web.deps import ManagedDatabaseDep, SettingsDep

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def health(database: ManagedDatabaseDep, settings: SettingsDep) -> dict[str, Any]:
    from talentbridge.services.readiness import missing_models, warm_up_state
    from talentbridge.services.talent_index_state import index_loaded_at, loaded_index_versions
    from talentbridge.services.transactions import database_state

    detail, dialect = database_state(database)
    status = "ok" if detail is None else "degraded"
    missing = missing_models(settings)
    if missing:
        status = "degraded"
    components = warm_up_state().snapshot()
    return {
        "status": status,
        "version": talentbridge.__version__,
        "database": dialect,
        "detail": detail,
        "models": {"missing": missing},
        "components": components,
        "ready": all(c["status"] != "warming_up" for c in components.values()),
        "index": {
            "talents": loaded_index_versions().get(str(settings.index_dir / "talents")),
            "loaded_at": index_loaded_at().get(str(settings.index_dir / "talents")),
            "pid": os.getpid(),
        },
    }
