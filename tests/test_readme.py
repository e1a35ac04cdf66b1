"""The README's quick start has exactly two commands, and both work."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands() -> None:
    assert quick_start_commands() == ["python3 dev.py run", "python3 dev.py test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "python3 dev.py test" in (ROOT / ".ci" / "run").read_text()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_run_command_serves_the_api_with_demo_data(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"), "TALENTBRIDGE_PORT": str(port)}
    env.pop("TALENTBRIDGE_DATABASE_URL", None)
    command = quick_start_commands()[0].split()
    command[0] = sys.executable if command[0] == "python3" else command[0]
    # Its own process group: the cleanup below stops dev.py and everything it started (the server included).
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        body = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"run command exited: {proc.stdout.read().decode()[-3000:]}")  # type: ignore[union-attr]
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                if r.status_code == 200:
                    body = r.json()
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        assert body is not None and body["status"] == "ok"
        talents = httpx.get(f"http://127.0.0.1:{port}/api/talents?size=1", timeout=10)
        orgs = httpx.get(f"http://127.0.0.1:{port}/api/organizations?size=1", timeout=10)
        # With accounts installed the API asks for credentials; without, it lists the demo data.
        if talents.status_code == 200:
            assert talents.json()["total"] >= 1000 and orgs.json()["total"] >= 100
        else:
            assert talents.status_code == 401
    finally:
        _stop_group(proc)
        if proc.stdout is not None:
            proc.stdout.close()
    # Nothing is left serving on the port once the run command is stopped.
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole process group, then SIGKILL to whatever is still there after 20 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=20)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_test_command_collects_the_suite() -> None:
    command = quick_start_commands()[1].split()
    command[0] = sys.executable
    result = subprocess.run([*command, "--collect-only", "-q", "tests/domain"], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "test_business_number.py" in result.stdout
