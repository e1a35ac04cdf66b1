"""Job pacing: a job pauses between its steps only while the machine is busy, for its duty's share of the time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.services.job_pacing import BUSY, MAX_PAUSE_SECONDS, STEP_SECONDS, CpuSampler, Pacer


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _pacer(duty: float, busy: float | None) -> tuple[Pacer, _Clock]:
    clock = _Clock()
    return Pacer(duty, busy=lambda: busy, clock=clock, sleep=clock.sleep), clock


def test_a_busy_machine_pauses_a_half_duty_job_as_long_as_it_worked() -> None:
    pacer, clock = _pacer(0.5, busy=0.97)
    clock.now += 0.4
    assert pacer.step() == pytest.approx(0.4)
    clock.now += 0.3
    assert pacer.step() == pytest.approx(0.3)  # counted from the end of the last pause, not from the start
    assert clock.slept == pytest.approx([0.4, 0.3])


def test_an_idle_or_unknown_machine_never_pauses() -> None:
    for busy in (0.2, BUSY, None):
        pacer, clock = _pacer(0.25, busy=busy)
        clock.now += 5
        assert pacer.step() == 0 and clock.slept == []


def test_full_duty_and_short_steps_never_pause() -> None:
    pacer, clock = _pacer(1.0, busy=1.0)
    clock.now += 10
    assert pacer.step() == 0
    pacer, clock = _pacer(0.5, busy=1.0)
    clock.now += STEP_SECONDS / 2
    assert pacer.step() == 0 and clock.slept == []


@given(duty=st.floats(0.05, 0.95), steps=st.lists(st.floats(0.0, 3.0), min_size=1, max_size=30))
def test_work_is_at_least_its_duty_of_the_time_up_to_the_longest_pause(duty: float, steps: list[float]) -> None:
    pacer, clock = _pacer(duty, busy=1.0)
    worked = 0.0
    for seconds in steps:
        clock.now += seconds
        worked += seconds
        pacer.step()
    assert all(p <= MAX_PAUSE_SECONDS + 1e-9 for p in clock.slept)
    # never more pause than the duty asks for the work done (steps below STEP_SECONDS carry over, never lost)
    assert pacer.paused <= worked * (1 - duty) / duty + 1e-6
    if all(s >= STEP_SECONDS and s * (1 - duty) / duty <= MAX_PAUSE_SECONDS for s in steps):
        assert pacer.paused == pytest.approx(worked * (1 - duty) / duty)


def test_the_sampler_reads_the_share_of_cpu_in_use_between_two_calls(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    sampler = CpuSampler(stat)
    # user nice system idle iowait irq softirq steal
    stat.write_text("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3\n")
    assert sampler() is None  # nothing to compare with yet
    stat.write_text("cpu  190 0 100 810 0 0 0 0 0 0\n")  # 100 ticks later: 90 used, 10 idle
    assert sampler() == pytest.approx(0.9)
    stat.write_text("garbage")
    assert sampler() is None
    assert CpuSampler(tmp_path / "missing")() is None


def test_a_duty_outside_0_1_is_refused() -> None:
    with pytest.raises(ValueError):
        Pacer(0.0)
    with pytest.raises(ValueError):
        Pacer(1.5)
