"""Sign-in under attack (issue 13): throttling and the memory of parallel sign-ins.

    PYTHONPATH=src python benchmarks/bench_login.py [--concurrent 32] [--hashes 4]

Starts ``talentbridge serve``'s app with uvicorn in a child process over a temporary SQLite database with one
account, then
1. sends 50 wrong passwords for that account one after another and counts 401s and 429s (goal: 429 after the
   per-account limit, with Retry-After);
2. sends ``--concurrent`` sign-ins at once for different accounts from one address (the address limit set high
   so that all reach argon2) and reads the server's peak resident memory (VmHWM) before and after (goal: growth
   bounded by ``login_max_concurrent_hashes`` x 64 MiB, not ``--concurrent`` x 64 MiB).
Prints a table; no assertion (numbers go into the closing note).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

SERVER = textwrap.dedent(
    """
    import sys, uvicorn
    from talentbridge.config import build_settings
    from talentbridge.services import accounts
    from talentbridge.storage import Database
    from talentbridge.web.app import create_app

    data, port, hashes, per_address = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    db = Database(f"sqlite:///{data}/tb.sqlite3")
    db.upgrade()
    with db.session() as s:
        accounts.create_user(s, email="victim@x.kr", password="the-right-password", role="talent", name="v")
    settings = build_settings(environment="test", data_dir=data, database_url=db.url,
                              login_max_concurrent_hashes=hashes, login_max_failures_per_address=per_address)
    uvicorn.run(create_app(settings, db), host="127.0.0.1", port=port, log_level="warning")
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(concurrent: int, hashes: int) -> list[tuple[str, str]]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.Popen([sys.executable, "-c", SERVER, data, str(port), str(hashes), "100000"])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            rows = []
            statuses = []
            t0 = time.perf_counter()
            with httpx.Client(base_url=base, timeout=60) as c:
                for _ in range(50):
                    r = c.post("/api/auth/login", json={"email": "victim@x.kr", "password": "wrong-password"})
                    statuses.append(r.status_code)
                retry_after = r.headers.get("retry-after")
            elapsed = time.perf_counter() - t0
            rows.append(
                ("50 wrong passwords, one account", f"{statuses.count(401)} x 401, {statuses.count(429)} x 429")
            )
            rows.append(("  first 429 at attempt", str(statuses.index(429) + 1 if 429 in statuses else "none")))
            rows.append(("  Retry-After of the last", f"{retry_after} s"))
            rows.append(("  time for the 50", f"{elapsed:.1f} s"))
            before = _rss(proc.pid, "VmHWM")

            def one(i: int) -> int:
                with httpx.Client(base_url=base, timeout=120) as c:
                    body = {"email": f"user{i}@x.kr", "password": "wrong-password"}
                    return c.post("/api/auth/login", json=body).status_code

            t0 = time.perf_counter()
            with ThreadPoolExecutor(concurrent) as pool:
                codes = list(pool.map(one, range(concurrent)))
            elapsed = time.perf_counter() - t0
            after = _rss(proc.pid, "VmHWM")
            rows.append(
                (
                    f"{concurrent} sign-ins at once (max {hashes} hashes)",
                    f"{codes.count(401)} x 401, {len(codes) - codes.count(401)} other",
                )
            )
            rows.append(("  peak RSS before -> after", f"{before:.0f} -> {after:.0f} MiB (+{after - before:.0f})"))
            rows.append(("  wall time", f"{elapsed:.1f} s"))
            return rows
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=32)
    parser.add_argument("--hashes", type=int, default=4)
    args = parser.parse_args()
    rows = run(args.concurrent, args.hashes)
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  result")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(f"(pid {os.getpid()}; goals: 429 after 10 failures; peak growth <= hashes x 64 MiB)")


if __name__ == "__main__":
    main()
