"""``dev.py`` passes SIGTERM on to the command it runs, so ``dev.py run`` never leaves a server behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHILD = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(120)"
PARENT = (
    "import sys; sys.path.insert(0, {root!r}); import dev; "
    "dev.sh(sys.executable, '-c', {child!r}, {pidfile!r}); "
    "open({marker!r}, 'w').write('went on')"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but still listed until its parent reaps it.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_sigterm_to_dev_py_stops_its_child(tmp_path: Path) -> None:
    pidfile, marker = tmp_path / "child.pid", tmp_path / "marker"
    code = PARENT.format(root=str(ROOT), child=CHILD, pidfile=str(pidfile), marker=str(marker))
    # Its own session, so nothing but the signal below reaches the child (no terminal, no process group kill).
    parent = subprocess.Popen([sys.executable, "-c", code], start_new_session=True, stdout=subprocess.DEVNULL)
    child_pid = None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (pidfile.exists() and pidfile.read_text()):
            time.sleep(0.05)
        child_pid = int(pidfile.read_text())
        parent.send_signal(signal.SIGTERM)  # the parent only, as `proc.terminate()` does
        assert parent.wait(timeout=20) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child_pid):
            time.sleep(0.05)
        assert not _alive(child_pid), "dev.py's child outlived it"
        assert not marker.exists(), "dev.py went on to the next command after being stopped"
    finally:
        if parent.poll() is None:
            parent.kill()
        if child_pid is not None and _alive(child_pid):
            os.kill(child_pid, signal.SIGKILL)
