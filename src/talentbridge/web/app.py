"""``create_app(settings)``: the FastAPI application (JSON API under /api, pages elsewhere)."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

import talentbridge
from talentbridge.config import Settings, get_settings
from talentbridge.storage import Database
from talentbridge.web import heap
from talentbridge.web.errors import install_error_handlers
from talentbridge.web.limits import InputLimitsMiddleware
from talentbridge.web.openapi import install_openapi_errors

__all__ = ["create_app", "ROUTER_MODULES"]

#: Router modules, each exposing ``router``; one line per module. Missing modules are skipped. A request is matched
#: against the routes in this order, so the API's most called ones (the recommendation lists) come first: behind
#: the registry's 35 routes, matching cost a tenth of a warm list request's CPU. No route of theirs matches a
#: path another route answers (``tests/web/test_route_order.py``), so the order changes nothing else.
ROUTER_MODULES: list[str] = [
    "talentbridge.web.api.recommendations",
    "talentbridge.web.api.health",
    "talentbridge.web.api.registry",
    "talentbridge.web.api.skills",
    "talentbridge.web.api.taxonomy",
    "talentbridge.web.api.growth",
    "talentbridge.web.api.training_plans",
    "talentbridge.web.api.rounds",
    "talentbridge.web.api.support",
    "talentbridge.web.api.jobs",
    "talentbridge.web.api.analytics",
]

#: Optional hooks ``install(app)`` for pages, auth and static files (added by the web application).
APP_HOOKS: list[str] = [
    "talentbridge.web.setup",
    "talentbridge.web.assets",
    "talentbridge.web.api.recommendations",
]


def create_app(settings: Settings | None = None, database: Database | None = None, check_db: bool = True) -> FastAPI:
    """Build the application. ``check_db`` makes startup fail when the schema is not migrated."""
    settings = settings or get_settings()
    database = database or Database.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if check_db:
            database.check_ready()
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        if settings.environment != "test":
            heap.tune()
            _warm_up(settings)
        _resume_jobs(settings, database)
        yield

    app = FastAPI(
        title="TalentBridge",
        version=talentbridge.__version__,
        description="AI talent for AI startups and manufacturing AI companies. Errors are RFC 9457 problem+json.",
        lifespan=lifespan,
        docs_url=None,  # served by web/assets.py from local files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    install_error_handlers(app)
    for module_name in ROUTER_MODULES:
        module = _optional_module(module_name)
        if module is not None:
            app.include_router(module.router)
    for hook in APP_HOOKS:
        module = _optional_module(hook)
        if module is not None:
            module.install(app)
    # Outermost: a body too large or a value no column can hold is refused before anything reads or parses it.
    app.add_middleware(InputLimitsMiddleware, max_bytes=settings.max_request_bytes)
    install_openapi_errors(app)
    return app


def _warm_up(settings: Settings) -> None:
    """Load the models in the background, so that no request waits for them (Kiwi, whose load holds the GIL, before
    the server accepts connections): the taxonomy first (pages only need its labels), then the skill extractor and title normalizer (MiniLM, USE, the label encodings that ``db
    upgrade`` / ``import-esco`` left on disk), then the text criterion's encoder. Each component's state is in
    ``/api/health``; pages that need one still warming up say so (``services.readiness``)."""
    from talentbridge.services.readiness import load_gil_bound_models, warm_up_build

    load_gil_bound_models()  # before the first connection: its load would stall every request for a second
    warm_up_build(settings, then=heap.settle)


def _resume_jobs(settings: Settings, database: Database) -> None:
    """Without a job queue, jobs run in this process: take up those an earlier process left queued or running
    (a running one once its heartbeat is stale). With a queue the workers recover their own (docs/jobs.md)."""
    from talentbridge.services.job_queue import route_reindex

    route_reindex(database, settings)  # a large index backlog goes to one reindex job, never into a request
    if settings.queue_url:
        from talentbridge.services.job_queue import route_text_encoding
        from talentbridge.services.shared_lists import share

        route_text_encoding(database, settings)  # texts left over by requests: one shared job, not a thread
        share(settings)  # recommendation lists computed once for all web workers (on the queue's Redis)
        return
    import logging

    from talentbridge.services.job_queue import resubmit_unfinished

    try:
        ids = resubmit_unfinished(database, settings)
    except Exception:  # noqa: BLE001 - an unmigrated or unreachable database is reported by the health check
        logging.getLogger(__name__).warning("could not re-submit unfinished jobs", exc_info=True)
        return
    if ids:
        logging.getLogger(__name__).info("re-submitted unfinished jobs %s", ids)


def _optional_module(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
