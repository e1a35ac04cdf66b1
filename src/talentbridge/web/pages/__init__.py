"""The HTML application: server-rendered Jinja2 pages with HTMX, one module per area.

``install(app)`` mounts local static assets (no CDN), registers the page routers and the HTML error page.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from talentbridge.web.pages.rendering import static_dir

__all__ = ["install", "PAGE_MODULES"]

#: Page routers, one line per area; missing modules are skipped.
PAGE_MODULES = [
    "talentbridge.web.pages.auth",
    "talentbridge.web.pages.home",
    "talentbridge.web.pages.talent",
    "talentbridge.web.pages.organization",
    "talentbridge.web.pages.search_ui",  # before operator: answers /operator/search and /operator/audit-log
    "talentbridge.web.pages.operator",
    "talentbridge.web.pages.analytics_ui",
    "talentbridge.web.pages.support_ui",
    "talentbridge.web.pages.pipeline_ui",
    "talentbridge.web.pages.skill_picker",
    "talentbridge.web.pages.openings_ui",
    "talentbridge.web.pages.operator_rounds",
    "talentbridge.web.pages.operator_round_setup",
    "talentbridge.web.pages.placements_ui",
    "talentbridge.web.pages.notifications_ui",
    "talentbridge.web.pages.accounts_ui",
    "talentbridge.web.pages.aliases_ui",
    "talentbridge.web.pages.data_ui",
    "talentbridge.web.pages.jobs_ui",
    "talentbridge.web.pages.training_ui",  # before courses_ui: /operator/courses/uncovered
    "talentbridge.web.pages.training_plans_ui",
    "talentbridge.web.pages.courses_ui",
    "talentbridge.web.pages.growth_ui",
    "talentbridge.web.pages.ai_ui",
    "talentbridge.web.pages.privacy_ui",
    "talentbridge.web.pages.privacy_operator_ui",
    "talentbridge.web.pages.profile_details_ui",
]


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")
    from talentbridge.web.pages import error_pages

    app.state.html_error_handler = error_pages.render_error
    app.state.html_errors = error_pages
    from talentbridge.services.mail import register_settings

    register_settings(app.state.database.engine, app.state.settings)  # SMTP and links of e-mails
    for name in PAGE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        app.include_router(module.router)
