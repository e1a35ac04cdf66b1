"""Background warm-up of the models, so that sign-in and pages never wait for them.

``start(settings)`` builds, in a daemon thread, the skill extractor and title normalizer (taxonomy embeddings:
up to a minute on a cold cache) and then the talent index of the recommender. Until the extractor is ready,
``skill_services_if_ready`` answers None at once (it never waits on the builder's lock) and pages whose result
depends on it say "warming up" (``WarmingUp``) instead of hanging; pages that only need skill names read the
taxonomy from the database directly.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from talentbridge.config import Settings
from talentbridge.domain.errors import TalentBridgeError

__all__ = ["WarmingUp", "skill_services_if_ready", "start", "state"]

log = logging.getLogger("talentbridge.warmup")

_states: dict[str, str] = {}  # key -> "warming" | "ready" | "failed"
_guard = threading.Lock()


class WarmingUp(TalentBridgeError):
    """A model this answer needs is still loading (seconds to a minute after start); try again shortly."""

    code = "warming_up"
    status = 503
    title = "Warming up"


def _key(settings: Settings) -> str:
    return f"{settings.data_dir}|{settings.sqlalchemy_url}"


def state(settings: Settings) -> str:
    """ "ready", "warming", "failed" or "cold" (never started in this process)."""
    if skill_services_if_ready(settings) is not None:
        return "ready"
    return _states.get(_key(settings), "cold")


def skill_services_if_ready(settings: Settings) -> Any | None:
    """The built skill services, or None while they are being built (never blocks)."""
    from talentbridge.services import skill_extraction

    key = (str(settings.data_dir), settings.sqlalchemy_url, skill_extraction.DEFAULT_ENCODER)
    return skill_extraction._cache.get(key)  # a dict read: safe without the builder's lock


def start(settings: Settings, *, index: bool = True) -> bool:
    """Start the warm-up thread once per settings; returns False when it was already started."""
    key = _key(settings)
    with _guard:
        if _states.get(key) in ("warming", "ready"):
            return False
        _states[key] = "warming"

    def work() -> None:
        try:
            from talentbridge.services.skill_extraction import get_skill_services

            get_skill_services(settings)
            _states[key] = "ready"
            if index:
                from talentbridge.services.recommend import RecommendService
                from talentbridge.storage import Database

                database = Database.from_settings(settings)
                try:
                    with database.session() as session:
                        RecommendService(settings, session).index()
                finally:
                    database.dispose()
        except Exception:  # noqa: BLE001 - a warm-up failure shows again, with its message, on first use
            _states[key] = "failed" if _states.get(key) != "ready" else "ready"
            log.exception("warm-up failed")

    threading.Thread(target=work, name="talentbridge-warm-up", daemon=True).start()
    return True
