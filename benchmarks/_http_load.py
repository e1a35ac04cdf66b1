"""A lean HTTP/1.1 load generator for the benchmarks: keep-alive connections on asyncio streams, no client library.

The load scripts share the machine's two cores with the servers they measure. httpx spent about 2.5 ms of CPU per
request in ``bench_scale`` (14 s of a 60 s run): CPU taken from the servers, which a real deployment's clients do not
take. This client writes the request line and headers itself and reads the status, ``Content-Length`` or chunked
bodies, and nothing else, so the servers get the cores.

Two modes:

* closed loop (``rate=None``): ``concurrency`` connections, each sends its next request when the last one answered
  (the server's capacity; latency then grows with the queue: 32 clients at 200 req/s wait 160 ms on average);
* fixed rate (``rate=R``): requests are due every ``1/R`` seconds in all, sent on ``concurrency`` connections as
  they fall due (wrk2's model). A request's latency counts from when it was due, not from when a free connection
  sent it, so a server that falls behind is charged for the wait (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from urllib.parse import urlsplit

__all__ = ["lean_load"]


class _Connection:
    def __init__(self, host: str, port: int, headers: bytes) -> None:
        self.host, self.port, self.headers = host, port, headers
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\n" + self.headers)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = None, False, lines[0].startswith(b"HTTP/1.0")  # 1.0: closed unless kept alive
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection":
                close = b"close" in value.lower() or (close and b"keep-alive" not in value.lower())
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def lean_load(
    base: str,
    token: str,
    concurrency: int,
    seconds: float,
    path: Callable[[random.Random], str],
    stats: object,
    rate: float | None = None,
) -> float:
    """Requests on ``concurrency`` keep-alive connections for ``seconds`` (closed loop, or ``rate`` per second in
    all); each is recorded as ``stats.record(status or exception name, seconds)``. Returns the seconds it took."""
    url = urlsplit(base)
    headers = (f"Host: {url.netloc}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n").encode()
    started = time.perf_counter()
    stop = started + seconds
    due = iter(range(1 << 62))

    async def client(n: int) -> None:
        rng = random.Random(n)
        conn = _Connection(url.hostname or "127.0.0.1", url.port or 80, headers)
        try:
            while True:
                if rate is None:
                    at = time.perf_counter()
                    if at >= stop:
                        return
                else:
                    at = started + next(due) / rate
                    if at >= stop:
                        return
                    wait = at - time.perf_counter()
                    if wait > 0:
                        await asyncio.sleep(wait)
                try:
                    status: int | str = await asyncio.wait_for(conn.get(path(rng)), 60)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    status = type(exc).__name__
                    await conn.close()
                latency = time.perf_counter() - at
                stats.record(status, latency)  # type: ignore[attr-defined]
                mark = getattr(stats, "mark", None)
                if mark is not None:
                    mark(at - started, latency)
        finally:
            await conn.close()

    await asyncio.gather(*(client(i) for i in range(concurrency)))
    return time.perf_counter() - started
