"""``talentbridge serve --workers N`` on PostgreSQL: N processes behind one port that share sessions and sign-outs.

Any request may reach any worker (the kernel spreads connections), so a session made by one worker must work on
every other, and a sign-out must end it on all of them at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from talentbridge.services.accounts import create_user
from talentbridge.storage import Database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(p) for p in text)
    return found


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_workers_share_one_port_sessions_and_sign_outs(postgres_database: Database, tmp_path: Path) -> None:
    with postgres_database.session() as session:
        create_user(session, email="ops-workers@example.kr", password="correct-horse-9", role="operator",
                    name="운영자 김하나")
    port = _free_port()
    env = {
        **os.environ,
        "TALENTBRIDGE_DATABASE_URL": postgres_database.url,
        "TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "TALENTBRIDGE_ENVIRONMENT": "development",
    }
    script = Path(sys.executable).with_name("talentbridge")
    proc = subprocess.Popen(
        [str(script), "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read().decode()[-3000:])  # type: ignore[union-attr]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < deadline, "serve --workers 2 did not answer within 180 s"
            time.sleep(1)
        workers = [pid for pid in _children(proc.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2

        # A new connection per request, so the requests are spread over both workers.
        login = httpx.post(f"{base}/api/auth/login", json={"email": "ops-workers@example.kr",
                                                            "password": "correct-horse-9"}, timeout=30)
        assert login.status_code == 200, login.text
        cookies = dict(login.cookies)
        for _ in range(12):
            assert httpx.get(f"{base}/api/auth/me", cookies=cookies, timeout=30).status_code == 200
        out = httpx.post(f"{base}/api/auth/logout", cookies=cookies,
                         headers={"X-CSRF-Token": login.json()["csrf_token"]}, timeout=30)
        assert out.status_code == 204, out.text
        for _ in range(12):
            assert httpx.get(f"{base}/api/auth/me", cookies=cookies, timeout=30).status_code == 401
    finally:
        _stop(proc)
        if proc.stdout is not None:
            proc.stdout.close()
