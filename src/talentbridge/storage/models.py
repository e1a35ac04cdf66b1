"""Imports every table module so ``Base.metadata`` knows all tables (for Alembic and tests)."""

from __future__ import annotations

import importlib

from talentbridge.storage import tables  # noqa: F401

# Table modules of other capabilities; each registers its tables on import. Missing ones are skipped.
_OPTIONAL = (
    "taxonomy_tables",
    "round_tables",
    "account_tables",
    "application_tables",
    "notification_tables",
    "alias_tables",
    "analytics_tables",
    "job_tables",
    "course_tables",
    "privacy_tables",
    "ai_record_tables",
    "survey_tables",
    "training_plan_tables",
    "change_tables",
)

for _name in _OPTIONAL:
    try:
        importlib.import_module(f"talentbridge.storage.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"talentbridge.storage.{_name}":
            raise
