"""Versioned file sets on disk: an index is written whole into a new folder, then made current in one rename.

    <root>/v000012/...          a published version (never changed after publishing)
    <root>/current              the name of the current version (replaced atomically: ``os.replace``)
    <root>/.build-v000013-<id>  a version being written (never current; left by a crash, removed later)
    <root>/.lock                serialises publishers on this host (``fcntl.flock``)

Readers (every web and job worker) read ``current`` and load that folder; a version they hold stays on disk for
``grace_seconds`` after the next one became current, so a worker that is still loading it, or has it memory-mapped,
is never pulled from under. A crash at any point of ``publish`` leaves the previous version current: the new folder
is renamed into place only when complete, and ``current`` changes only after that.

Why files rather than PostgreSQL: the ANN graphs and columns are memory-mapped numpy/usearch files that load in
one read, they serve the SQLite quick start unchanged, and blobs of hundreds of MB in a table would double the
database's backups. On several hosts ``<data_dir>/indexes`` is a shared volume (compose.yaml mounts one).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["GRACE_SECONDS", "IndexVersions"]

#: Seconds a superseded version stays on disk (workers still loading it finish first).
GRACE_SECONDS = 600.0
#: A build folder older than this is taken for a crashed build and removed.
STALE_BUILD_SECONDS = 6 * 3600.0
_NAME = re.compile(r"^v(\d{6,})$")
_LEGACY = ("meta.json", "columns.npz", "sync.json", "text_keys.npy", "text.json")


class IndexVersions:
    """The versions under ``root``."""

    def __init__(self, root: Path, grace_seconds: float = GRACE_SECONDS) -> None:
        self.root = Path(root)
        self.grace_seconds = grace_seconds

    def current(self) -> str | None:
        """Name of the current version (None: nothing published yet)."""
        try:
            name = (self.root / "current").read_text().strip()
        except OSError:
            return None
        return name if _NAME.match(name) and (self.root / name).is_dir() else None

    def path(self, name: str) -> Path:
        return self.root / name

    def names(self) -> list[str]:
        """Published versions, oldest first."""
        if not self.root.exists():
            return []
        return sorted((p.name for p in self.root.iterdir() if _NAME.match(p.name) and p.is_dir()), key=_number)

    def info(self, name: str) -> dict[str, Any]:
        """What ``publish`` recorded (``published_at``, and the caller's ``meta``)."""
        try:
            data = json.loads((self.root / name / "version.json").read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def publish(self, write: Callable[[Path], None], meta: dict[str, Any] | None = None) -> str:
        """Write a new version with ``write(folder)`` and make it current; returns its name.

        If ``write`` raises (or the process dies) the build folder is dropped and the current version stays.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with self._locked():
            name = f"v{max((_number(n) for n in self.names()), default=0) + 1:06d}"
            build = self.root / f".build-{name}-{uuid.uuid4().hex[:8]}"
            build.mkdir()
            try:
                write(build)
                stamp = {"name": name, "published_at": datetime.now(UTC).isoformat(), "meta": meta or {}}
                (build / "version.json").write_text(json.dumps(stamp))
                _fsync_tree(build)
                os.rename(build, self.root / name)
            except BaseException:
                shutil.rmtree(build, ignore_errors=True)
                raise
            self._point_to(name)
        self.collect_garbage()
        return name

    def collect_garbage(self, *, now: float | None = None, keep_older: bool = True) -> list[str]:
        """Remove superseded versions whose successor is older than the grace period (all of them at once with
        ``keep_older=False``: erasure), stale build folders and files of the unversioned layout. Returns the
        names removed."""
        now = time.time() if now is None else now
        current = self.current()
        if current is None:
            return []
        removed: list[str] = []
        names = self.names()
        for older, newer in zip(names, names[1:], strict=False):
            if _number(older) >= _number(current):
                break
            published = self.info(newer).get("published_at")
            age = now - datetime.fromisoformat(published).timestamp() if published else self.grace_seconds + 1
            if not keep_older or age > self.grace_seconds:
                shutil.rmtree(self.root / older, ignore_errors=True)
                removed.append(older)
        for build in self.root.glob(".build-*"):
            with contextlib.suppress(OSError):
                if not keep_older or now - build.stat().st_mtime > STALE_BUILD_SECONDS:
                    shutil.rmtree(build, ignore_errors=True)
        for legacy in [*_LEGACY, *(p.name for p in self.root.glob("ann-*.usearch"))]:
            (self.root / legacy).unlink(missing_ok=True)
        return removed

    def _point_to(self, name: str) -> None:
        tmp = self.root / f".current-{uuid.uuid4().hex[:8]}"
        with tmp.open("w") as fh:
            fh.write(name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "current")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl

        with (self.root / ".lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _number(name: str) -> int:
    match = _NAME.match(name)
    return int(match.group(1)) if match else -1


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
