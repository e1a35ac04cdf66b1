"""The talent index's state in this process, shared by the modules of ``talent_index.TalentIndexService``.

Per index (key: index folder | database URL, ``_key``): the loaded ``TalentIndex``, its version, its profile texts,
the table signature it is in step with, the change gate, the backlog a ``reindex`` job is bringing in; all under one
process-wide lock (``_lock``). With the state come what the rest of the process asks of it: forget it all
(``reset_indexes``), which versions are loaded (``loaded_index_versions``, ``index_loaded_at``), how to ask for a
``reindex`` job (``set_reindex_submitter``), and the change-bus topic a new version is announced on (``TOPIC``;
``_watch`` subscribes, ``_on_new_version`` answers).

The state keeps its leading underscores: it belongs to the talent index's own modules (``talent_index``,
``talent_index_build``, ``talent_index_versions``), which import it from here; no other module touches it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from talentbridge.config import Settings
from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.recommend_context import reset_graphs
from talentbridge.services.talent_texts import TalentTexts

__all__ = [
    "TOPIC",
    "index_loaded_at",
    "loaded_index_versions",
    "reset_indexes",
    "set_reindex_submitter",
    "_asked",
    "_asked_at",
    "_checked",
    "_edits",
    "_gates",
    "_indexes",
    "_key",
    "_lag",
    "_loaded_at",
    "_loaders",
    "_loading",
    "_lock",
    "_pointer_checked",
    "_submitters",
    "_synced",
    "_texts",
    "_versions",
    "_watch",
]

log = logging.getLogger("talentbridge.services.talent_index")  # the talent index's one logger, as before the split

_lock = threading.RLock()
_indexes: dict[str, TalentIndex] = {}
_checked: dict[str, float] = {}
_texts: dict[str, TalentTexts] = {}
_versions: dict[str, str] = {}  # key -> version loaded in this process
_loaded_at: dict[str, float] = {}  # key -> when it was loaded or published here (epoch seconds)
_synced: dict[str, dict[str, Any]] = {}  # key -> signature (and synced_at) the in-memory index is in step with
_pointer_checked: dict[str, float] = {}
_loading: dict[str, threading.Lock] = {}  # key -> held while a version is read from disk (outside ``_lock``)
#: key -> submits the ``reindex`` job for a backlog, given the loaded version (web processes; ``route_reindex``)
_submitters: dict[str, Callable[[str], None]] = {}
_asked: dict[str, str] = {}  # key -> loaded version a reindex job was already asked for by this process
_asked_at: dict[str, float] = {}  # key -> when this process last asked for one (monotonic seconds)
# key -> talents the loaded version lacks or has stale, at least, as the last comparison with the table found while
# a reindex job brings them in (absent: in step, or not known since a version loaded)
_lag: dict[str, int] = {}
_gates: dict[str, Any] = {}  # key -> the talents' change counters as of the last comparison that left the index in step
_edits: dict[str, str] = {}  # key -> digest of the talents changed in memory since the synced signature (in order)
#: key -> starts reading the current version in the background (registered by a use that had the skill graph;
#: the change-bus listener calls it, so a new version is read as soon as it is announced)
_loaders: dict[str, Callable[[], None]] = {}
#: The change-bus topic of a new index version (payload ``{"version": name}``).
TOPIC = "index.talents"


def reset_indexes() -> None:
    """Forget in-process indexes (tests; after a taxonomy change)."""
    from talentbridge.services.lexical_pool import reset_pools
    from talentbridge.services.recommend_openings import reset_openings

    with _lock:
        _indexes.clear()
        _checked.clear()
        _texts.clear()
        _versions.clear()
        _loaded_at.clear()
        _synced.clear()
        _edits.clear()
        _gates.clear()
        _pointer_checked.clear()
        _asked.clear()
        _asked_at.clear()
        _lag.clear()
        _loaders.clear()
    reset_graphs()
    reset_openings()
    reset_pools()


def loaded_index_versions() -> dict[str, str]:
    """The index versions this process answers from, by index folder (``/api/health``)."""
    with _lock:
        return {key.split("|", 1)[0]: name for key, name in _versions.items()}


def index_loaded_at() -> dict[str, float]:
    """When this process started answering from its version (epoch seconds), by index folder."""
    with _lock:
        return {key.split("|", 1)[0]: at for key, at in _loaded_at.items()}


def _key(settings: Settings) -> str:
    return f"{settings.index_dir / 'talents'}|{settings.sqlalchemy_url}"


def set_reindex_submitter(settings: Settings, submit: Callable[[str], None] | None) -> None:
    """Register how this process asks for a ``reindex`` job (``submit(loaded_version)``; None: forget it). With
    one registered, requests leave backlogs above ``talent_index.REQUEST_BACKLOG`` to that job (``job_queue.route_reindex``)."""
    with _lock:
        if submit is None:
            _submitters.pop(_key(settings), None)
        else:
            _submitters[_key(settings)] = submit


def _on_new_version(topic: str, payload: dict[str, Any]) -> None:
    """Change-bus callback (listener thread): the next use of any index reads the pointer again, and the
    talents-for-opening lists kept by ``recommend_cache`` (drawn from the old version) no longer answer as they
    are (``supersede``: each answers only while one request recomputes it, for a few seconds at most)."""
    from talentbridge.services import recommend_cache

    _pointer_checked.clear()
    recommend_cache.supersede("talents_for_opening")
    for load in list(_loaders.values()):  # start reading the new version now, not at the next request
        try:
            load()
        except Exception:  # noqa: BLE001 - the next use reads the pointer again
            log.warning("could not start loading a new index version", exc_info=True)


def _watch(settings: Settings) -> None:
    from talentbridge.services.change_bus import change_bus_for

    change_bus_for(settings).ensure_subscribed(TOPIC, _on_new_version)
