"""Pacing of background jobs when the machine is busy: a job works at most a fraction of the time (its *duty*) while
the CPUs are nearly all in use, so that imports and re-indexing leave room for the web workers answering people.

A ``talentbridge worker`` already runs at a lower CPU priority (``job_nice``), but that covers only its own
process: the database server's work for a job's inserts runs at full priority. In ``benchmarks/bench_scale.py`` an
import of 100,000 talents (the job worker and PostgreSQL's work for it) took about 0.6 of the two cores while
recommendation requests waited. Pausing the job between its steps pauses both.

``JobContext.progress`` calls ``Pacer.step()`` at each progress point of a job (every batch of an import, every
chunk of a re-index). When the job has worked for at least ``STEP_SECONDS`` since its last pause and the CPUs were
more than ``BUSY`` in use over that time (``/proc/stat``; elsewhere never busy), it sleeps
``worked × (1 − duty) / duty`` (at most ``MAX_PAUSE_SECONDS``). On an idle machine a job never pauses.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["BUSY", "MAX_PAUSE_SECONDS", "STEP_SECONDS", "CpuSampler", "Pacer"]

#: Share of all CPUs in use (0–1) above which a job pauses.
BUSY = 0.85
#: Least work between two pauses, seconds.
STEP_SECONDS = 0.1
#: Longest single pause, seconds (a step that ran long is not answered by an equally long stall).
MAX_PAUSE_SECONDS = 2.0


class CpuSampler:
    """Share of the machine's CPU time in use since the previous call (``/proc/stat``); None when not known (the
    first call, or no ``/proc``)."""

    def __init__(self, path: Path = Path("/proc/stat")) -> None:
        self.path = path
        self._last: tuple[int, int] | None = None

    def __call__(self) -> float | None:
        try:
            fields = [int(v) for v in self.path.read_text().split("\n", 1)[0].split()[1:]]
            total, idle = sum(fields[:8]), fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        except (OSError, ValueError, IndexError):
            return None
        last, self._last = self._last, (total, idle)
        if last is None or total <= last[0]:
            return None
        return 1.0 - (idle - last[1]) / (total - last[0])


class Pacer:
    """Pauses a job between its steps while the machine is busy (see the module)."""

    def __init__(
        self,
        duty: float,
        busy: Callable[[], float | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < duty <= 1:
            raise ValueError("duty must be in (0, 1]")
        self.duty = duty
        self.busy = busy if busy is not None else CpuSampler()
        self.clock, self.sleep = clock, sleep
        self._resumed = clock()
        #: seconds paused so far (shown in tests and logs)
        self.paused = 0.0

    def step(self) -> float:
        """Called at a job's progress point; pauses when due and returns the seconds paused."""
        if self.duty >= 1:
            return 0.0
        worked = self.clock() - self._resumed
        if worked < STEP_SECONDS:
            return 0.0
        share = self.busy()
        pause = 0.0
        if share is not None and share > BUSY:
            pause = min(worked * (1 - self.duty) / self.duty, MAX_PAUSE_SECONDS)
            self.sleep(pause)
            self.paused += pause
        self._resumed = self.clock()
        return pause
