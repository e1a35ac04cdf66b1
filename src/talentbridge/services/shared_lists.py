"""Recommendation lists shared between the processes of a deployment, on the Redis broker the job queue uses.

``recommend_cache`` keeps each list per process; with ``share(settings)`` (``serve`` calls it when the job queue
is on Redis) a list one worker computed is also stored here under a key that names only what the list is drawn
from — its parameters, the data version's stamps and, for talents-for-opening, the content of the talent index
(``TalentIndexService.content_key``) — never anything of one process. The next worker asked for the same list
takes it from here instead of computing it again: with N web workers a subject is computed about once instead of
N times.

Entries are pickles of what the computation returned (ours, written by our own processes on the deployment's
broker: the same trust as the job queue's), kept for the list's own age limit (at most
``recommend_cache.MAX_AGE_SECONDS``), under keys that name this release; an entry that cannot be read is a
miss. A broker that is down or slow costs a computation, never an error: reads and writes time out after
``TIMEOUT_SECONDS`` and the broker is left alone for ``BACKOFF_SECONDS`` after a failure.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Hashable
from typing import Any, Protocol

from talentbridge.config import Settings

__all__ = ["SharedStore", "RedisLists", "share", "store", "use", "stop_sharing", "shared_key"]

log = logging.getLogger(__name__)

PREFIX = "talentbridge:lists:"
TIMEOUT_SECONDS = 0.5
BACKOFF_SECONDS = 30.0


class SharedStore(Protocol):
    def get(self, key: str) -> Any | None: ...
    def put(self, key: str, value: Any, seconds: float) -> None: ...


class RedisLists:
    """``SharedStore`` on Redis (``GET`` / ``SET ... PX``)."""

    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        self._client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)
        self._down_until = 0.0
        self.hits = self.misses = 0

    def get(self, key: str) -> Any | None:
        if time.monotonic() < self._down_until:
            return None
        try:
            raw = self._client.get(PREFIX + key)
        except Exception:  # noqa: BLE001 - the list is computed instead
            self._failed("read")
            return None
        if raw is None:
            self.misses += 1
            return None
        try:
            value = pickle.loads(raw)  # type: ignore[arg-type]  # noqa: S301 - written by our own processes
        except Exception:  # noqa: BLE001 - an entry this code cannot read is a miss, never the request's error
            log.warning("shared recommendation lists: an unreadable entry was skipped", exc_info=True)
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any, seconds: float) -> None:
        if seconds <= 0 or time.monotonic() < self._down_until:
            return
        try:
            self._client.set(
                PREFIX + key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), px=int(seconds * 1000)
            )
        except Exception:  # noqa: BLE001 - kept in this process only
            self._failed("write")

    def _failed(self, what: str) -> None:
        self._down_until = time.monotonic() + BACKOFF_SECONDS
        log.warning("shared recommendation lists: could not %s Redis at %s; computing locally for %.0f s",
                    what, self.url, BACKOFF_SECONDS, exc_info=True)  # fmt: skip


_lock = threading.Lock()
_store: SharedStore | None = None


def share(settings: Settings) -> SharedStore | None:
    """Share lists between processes on the job queue's Redis (``queue_url`` ``redis://...``); nothing otherwise."""
    url = settings.queue_url or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    global _store
    with _lock:
        if _store is None or getattr(_store, "url", None) != url:
            _store = RedisLists(url)
        return _store


def use(shared: SharedStore | None) -> None:
    """Set the store directly (tests: a store shared by two simulated processes)."""
    global _store
    with _lock:
        _store = shared


def stop_sharing() -> None:
    use(None)


def store() -> SharedStore | None:
    return _store


def shared_key(key: Hashable, stamps: Hashable) -> str:
    """The store's key for a list: a digest of this release, its process-independent key and the data version's
    stamps (workers of two releases side by side during an upgrade never read each other's lists)."""
    return hashlib.sha256(repr((_release(), key, stamps)).encode()).hexdigest()


@functools.cache
def _release() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("talentbridge")
    except PackageNotFoundError:
        return "unknown"
