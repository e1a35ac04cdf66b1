"""The change bus: tells every process of a deployment that something shared changed, so it drops its caches.

    bus = change_bus_for(settings)
    bus.publish("index.talents", {"version": "v000012"})          # after the change is durable
    unsubscribe = bus.subscribe("index.talents", on_new_version)   # callback(topic, payload) in a listener thread

Three transports, chosen from the settings (``change_bus_for``):

    RedisChangeBus      Redis pub/sub on the ``queue_url`` broker (``redis://...``): web and job workers share it
    PostgresChangeBus   PostgreSQL ``LISTEN``/``NOTIFY`` on the database, when there is no Redis broker
    LocalChangeBus      in-process only (SQLite quick start, tests): ``publish`` calls the subscribers directly

Delivery is at most once and fire-and-forget: a subscriber must treat a message as "look again", never as the
data itself (the payload is a hint such as a version name, at most a few hundred bytes). When a listener loses its
connection it reconnects and calls every subscriber once with ``{"reason": "reconnected"}``, since messages may
have been missed meanwhile. ``publish`` never raises: a broker that is down is logged, and readers still find the
change through their own periodic checks (the talent index compares its version pointer on every use).

A process's own messages reach its own subscribers too (synchronously, before ``publish`` returns; the copy the
broker echoes back is dropped by an origin id), so code can publish and rely on its local caches being dropped.

Topics in use (add yours here and in docs/architecture.md):

    index.talents       a new talent-index version is current (payload ``{"version": ...}``)
    taxonomy            skills, aliases or occupations changed (taxonomy, skill-service and inference caches)
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from talentbridge.config import Settings

__all__ = [
    "CHANNEL",
    "ChangeBus",
    "LocalChangeBus",
    "PostgresChangeBus",
    "RedisChangeBus",
    "Subscriber",
    "change_bus_for",
    "close_change_buses",
    "publish_after_commit",
    "publish_change",
]

log = logging.getLogger(__name__)

#: Redis channel prefix and PostgreSQL NOTIFY channel.
CHANNEL = "talentbridge_changes"
#: NOTIFY payloads must stay under 8,000 bytes; ours are hints.
MAX_PAYLOAD_BYTES = 4000
Subscriber = Callable[[str, dict[str, Any]], None]


class ChangeBus(Protocol):
    """What every transport offers."""

    def publish(self, topic: str, payload: dict[str, Any] | None = None) -> None: ...
    def subscribe(self, topic: str, callback: Subscriber) -> Callable[[], None]: ...
    def close(self) -> None: ...


class LocalChangeBus:
    """Subscribers of this process only; ``publish`` calls them before returning."""

    kind = "local"

    def __init__(self) -> None:
        self.origin = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[Subscriber]] = {}

    def subscribe(self, topic: str, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(topic, payload)`` on every message of ``topic``; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.setdefault(topic, []).append(callback)
        self._started()

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers.get(topic, []):
                    self._subscribers[topic].remove(callback)

        return unsubscribe

    def ensure_subscribed(self, topic: str, callback: Subscriber) -> None:
        """``subscribe`` unless ``callback`` already listens to ``topic`` (call it on every use of a cache)."""
        with self._lock:
            if callback in self._subscribers.get(topic, ()):
                return
        self.subscribe(topic, callback)

    def publish(self, topic: str, payload: dict[str, Any] | None = None) -> None:
        """Tell every subscriber of ``topic`` (here and, for the shared transports, in every other process)."""
        payload = dict(payload or {})
        self._deliver(topic, payload)
        message = json.dumps({"topic": topic, "origin": self.origin, "payload": payload}, default=str)
        if len(message.encode("utf-8")) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"change-bus payload of {topic!r} too large: send a version or an id, not the data")
        try:
            self._send(message)
        except Exception:  # noqa: BLE001 - a broker that is down must not fail the change itself
            log.warning("could not publish %r on the change bus", topic, exc_info=True)

    def close(self) -> None:
        with self._lock:
            self._subscribers.clear()

    # -- transport hooks ------------------------------------------------------------------------------------------
    def _send(self, message: str) -> None:
        """Hand ``message`` to the broker (nothing to do in-process)."""

    def _started(self) -> None:
        """A subscriber arrived: start listening (nothing to do in-process)."""

    def _deliver(self, topic: str, payload: dict[str, Any]) -> None:
        with self._lock:
            callbacks = list(self._subscribers.get(topic, ())) + list(self._subscribers.get("*", ()))
        for callback in callbacks:
            try:
                callback(topic, payload)
            except Exception:  # noqa: BLE001 - one broken subscriber must not starve the others
                log.exception("change-bus subscriber of %r failed", topic)

    def _received(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
            topic, origin, payload = data["topic"], data.get("origin"), data.get("payload") or {}
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a malformed change-bus message")
            return
        if origin != self.origin:  # our own were delivered when published
            self._deliver(str(topic), dict(payload))

    def _reconnected(self) -> None:
        with self._lock:
            topics = {t: list(cbs) for t, cbs in self._subscribers.items()}
        for topic, callbacks in topics.items():
            for callback in callbacks:
                try:
                    callback(topic, {"reason": "reconnected"})
                except Exception:  # noqa: BLE001
                    log.exception("change-bus subscriber of %r failed", topic)


class _ListeningBus(LocalChangeBus):
    """A bus with a daemon listener thread (started on the first subscriber) that reconnects after errors."""

    retry_seconds = 1.0

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.listening = threading.Event()  # set once the listener is subscribed (tests wait on it)

    def _started(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name=f"talentbridge-change-bus-{self.kind}", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        first = True
        self._failures = 0
        while not self._stop.is_set():
            try:
                if not first:
                    self._reconnected()
                first = False
                self._listen()
            except Exception:  # noqa: BLE001 - broker restarts: listen again
                self.listening.clear()
                if self._stop.is_set():
                    return
                self._failures += 1
                if self._failures == 1:
                    log.warning("change-bus listener (%s) lost its connection; retrying", self.kind, exc_info=True)
                # back off up to 30 s while the broker stays away
                self._stop.wait(min(30.0, self.retry_seconds * 2 ** min(self._failures - 1, 5)))

    def _listen(self) -> None:
        raise NotImplementedError

    def _on_listening(self) -> None:
        self._failures = 0
        self.listening.set()

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=5.0)
        super().close()


class RedisChangeBus(_ListeningBus):
    """Redis pub/sub on channel ``talentbridge_changes``."""

    kind = "redis"

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self.url = url
        self._client = redis.Redis.from_url(url, socket_timeout=5.0, socket_connect_timeout=5.0)

    def _send(self, message: str) -> None:
        self._client.publish(CHANNEL, message)

    def _listen(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=5.0)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(CHANNEL)
            pubsub.get_message(timeout=1.0)  # the subscription is confirmed once a message (or nothing) comes back
            self._on_listening()
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=0.5)
                if message and message.get("type") == "message":
                    self._received(message["data"])
        finally:
            self.listening.clear()
            pubsub.close()
            client.close()

    def close(self) -> None:
        super().close()
        self._client.close()


class PostgresChangeBus(_ListeningBus):
    """PostgreSQL ``LISTEN``/``NOTIFY`` on channel ``talentbridge_changes`` (one connection to listen, one to send)."""

    kind = "postgres"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._send_lock = threading.Lock()
        self._sender: Any = None

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=5)

    def _send(self, message: str) -> None:
        with self._send_lock:
            for attempt in (1, 2):
                try:
                    if self._sender is None or self._sender.closed:
                        self._sender = self._connect()
                    self._sender.execute("SELECT pg_notify(%s, %s)", (CHANNEL, message))
                    return
                except Exception:
                    self._sender = None
                    if attempt == 2:
                        raise

    def _listen(self) -> None:
        conn = self._connect()
        try:
            conn.execute(f"LISTEN {CHANNEL}")
            self._on_listening()
            while not self._stop.is_set():
                for note in conn.notifies(timeout=0.5):
                    self._received(note.payload)
        finally:
            self.listening.clear()
            conn.close()

    def close(self) -> None:
        super().close()
        with self._send_lock:
            if self._sender is not None:
                self._sender.close()
                self._sender = None


_buses: dict[str, LocalChangeBus] = {}
_buses_lock = threading.Lock()


def _libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def bus_address(settings: Settings) -> tuple[str, str]:
    """(transport, address): Redis when the job queue is on Redis, else PostgreSQL, else in-process."""
    queue = (settings.queue_url or "").strip()
    if queue.startswith(("redis://", "rediss://", "unix://")):
        return "redis", queue
    url = settings.sqlalchemy_url
    if url.startswith("postgresql"):
        return "postgres", _libpq_url(url)
    return "local", url


def change_bus_for(settings: Settings) -> LocalChangeBus:
    """The process-wide change bus of ``settings``' deployment (made on first use; nothing connects before the
    first ``publish`` or ``subscribe``)."""
    kind, address = bus_address(settings)
    key = f"{kind}|{address}"
    with _buses_lock:
        bus = _buses.get(key)
        if bus is None:
            if kind == "redis":
                bus = RedisChangeBus(address)
            elif kind == "postgres":
                bus = PostgresChangeBus(address)
            else:
                bus = LocalChangeBus()
            _buses[key] = bus
        return bus


def close_change_buses() -> None:
    """Stop every listener and forget the buses (tests; a worker shutting down)."""
    with _buses_lock:
        buses = list(_buses.values())
        _buses.clear()
    for bus in buses:
        bus.close()


def publish_change(topic: str, payload: dict[str, Any] | None = None, settings: Settings | None = None) -> None:
    """Publish on ``settings``' bus; without settings on every bus this process uses, or (none yet, e.g. a CLI
    command) on the bus of the environment's settings."""
    if settings is not None:
        buses = [change_bus_for(settings)]
    else:
        with _buses_lock:
            buses = list(_buses.values())
        if not buses:
            from talentbridge.config import get_settings

            try:
                buses = [change_bus_for(get_settings())]
            except Exception:  # noqa: BLE001 - no usable settings: nobody else to tell
                log.debug("no settings for the change bus", exc_info=True)
                return
    for bus in buses:
        bus.publish(topic, payload)


def publish_after_commit(
    session: Any, topic: str, payload: dict[str, Any] | None = None, settings: Settings | None = None
) -> None:
    """Publish once ``session``'s transaction commits (readers elsewhere must find the change when told);
    nothing is published if it rolls back."""
    from sqlalchemy import event

    pending = session.info.get("change_bus_pending")
    if not isinstance(pending, _Pending):
        pending = session.info["change_bus_pending"] = _Pending()
        event.listen(session, "after_commit", pending.send)
        event.listen(session, "after_rollback", pending.drop)
    pending.add((topic, payload, settings))


class _Pending:
    """Messages waiting for a session's commit."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any] | None, Settings | None]] = []

    def add(self, message: tuple[str, dict[str, Any] | None, Settings | None]) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def send(self, _session: Any) -> None:
        todo, self.messages = self.messages, []
        for topic, payload, settings in todo:
            publish_change(topic, payload, settings)

    def drop(self, _session: Any) -> None:
        self.messages = []
