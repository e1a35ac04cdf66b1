"""Sign-in throttling (issue 13: 50 wrong passwords in 18 s, no 429; 32 parallel sign-ins doubled the memory)."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.domain.errors import NotAuthenticated, TooManyRequests
from talentbridge.services import accounts
from talentbridge.services.sign_in import LoginThrottle, ThrottleLimits, sign_in
from talentbridge.storage import Database


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _throttle(account: int = 3, address: int = 5, window: float = 60.0, tracked: int = 10_000):
    clock = Clock()
    limits = ThrottleLimits(account, address, window, tracked)
    return LoginThrottle(limits, clock=clock), clock


def test_account_is_refused_after_n_failures_until_the_window_passes() -> None:
    throttle, clock = _throttle(account=3, window=60)
    for _ in range(3):
        assert throttle.begin("a@x.kr", "1.1.1.1") is None
        clock.now += 1
    assert throttle.begin("A@x.kr ", "2.2.2.2") == 57  # same account, any address: wait for the oldest to expire
    clock.now += 56.5
    assert throttle.begin("a@x.kr", "2.2.2.2") == 1
    clock.now += 0.5
    assert throttle.begin("a@x.kr", "2.2.2.2") is None


def test_address_is_refused_after_n_failures_on_any_accounts() -> None:
    throttle, clock = _throttle(account=100, address=5)
    for i in range(5):
        assert throttle.begin(f"user{i}@x.kr", "6.6.6.6") is None
    assert throttle.begin("other@x.kr", "6.6.6.6") == 60
    assert throttle.begin("other@x.kr", "7.7.7.7") is None  # another address is not affected


def test_success_clears_the_account_but_not_the_address() -> None:
    throttle, _ = _throttle(account=3, address=4)
    for _ in range(2):
        throttle.begin("a@x.kr", "9.9.9.9")
    throttle.begin("a@x.kr", "9.9.9.9")
    throttle.succeeded("a@x.kr", "9.9.9.9")
    assert throttle.begin("a@x.kr", "8.8.8.8") is None  # the account starts afresh
    throttle.begin("b@x.kr", "9.9.9.9")
    # 2 failures + 1 (b) on the address; a success took back only its own attempt
    throttle.begin("c@x.kr", "9.9.9.9")
    assert throttle.begin("d@x.kr", "9.9.9.9") is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), min_size=1, max_size=80))
def test_never_more_than_n_admitted_failures_in_any_window(gaps: list[float]) -> None:
    """Whatever the timing of the guesses, no window of ``window_seconds`` holds more than N admitted ones."""
    throttle, clock = _throttle(account=4, address=1000, window=60)
    admitted = []
    for gap in gaps:
        clock.now += gap
        if throttle.begin("victim@x.kr", "1.2.3.4") is None:
            admitted.append(clock.now)
    for start in admitted:
        assert sum(1 for t in admitted if start <= t < start + 60) <= 4


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), max_size=300))
def test_memory_is_bounded_by_max_tracked(attempts: list[tuple[int, int]]) -> None:
    throttle, clock = _throttle(account=2, address=2, tracked=50)
    for account, address in attempts:
        clock.now += 0.01
        throttle.begin(f"{account}@x.kr", f"10.0.{address // 256}.{address % 256}")
        n_accounts, n_addresses = throttle.tracked()
        assert n_accounts <= 50 and n_addresses <= 50
    for counter in (throttle.accounts, throttle.addresses):
        assert all(len(stamps) <= 2 for stamps in counter.stamps.values())


def test_parallel_guesses_cannot_slip_past_the_check() -> None:
    """32 threads begin at once: only N are admitted, because an attempt counts from the moment it starts."""
    throttle, _ = _throttle(account=5, address=1000)
    admitted: list[bool] = []
    barrier = threading.Barrier(32)

    def guess() -> None:
        barrier.wait()
        admitted.append(throttle.begin("victim@x.kr", "1.2.3.4") is None)

    threads = [threading.Thread(target=guess) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert admitted.count(True) == 5


# -- sign_in over a real database ------------------------------------------------------------------------------


def test_throttled_sign_in_never_hashes(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with database.session() as s:
        accounts.create_user(s, email="v@x.kr", password="right-password", role="talent", name="v")
    throttle, _ = _throttle(account=3)
    with database.session() as s:
        for _ in range(3):
            with pytest.raises(NotAuthenticated):
                sign_in(s, throttle, "v@x.kr", "wrong-password", "1.1.1.1")

    def boom() -> None:
        raise AssertionError("argon2 ran for a throttled attempt")

    monkeypatch.setattr(accounts, "_hasher", boom)
    with database.session() as s, pytest.raises(TooManyRequests) as info:
        sign_in(s, throttle, "v@x.kr", "right-password", "2.2.2.2")  # even the right password waits
    assert info.value.retry_after == 60 and info.value.status == 429


def test_inactive_account_with_the_right_password_is_no_guess(database: Database) -> None:
    with database.session() as s:
        accounts.create_user(s, email="i@x.kr", password="right-password", role="talent", name="i", active=False)
    throttle, _ = _throttle(account=2)
    for _ in range(4):
        with database.session() as s, pytest.raises(NotAuthenticated, match="not active"):
            sign_in(s, throttle, "i@x.kr", "right-password", "1.1.1.1")
    assert throttle.tracked() == (0, 0)


def test_concurrent_hashes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """With 2 slots, 8 threads hashing at once never run more than 2 argon2 computations together."""
    import time

    running, peak = 0, 0
    lock = threading.Lock()

    class SlowArgon:
        def hash(self, password: str) -> str:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.05)
            with lock:
                running -= 1
            return "h"

    accounts.limit_concurrent_hashes(2)
    try:
        hashers = []
        for _ in range(8):
            h = accounts._hasher()
            h.inner = SlowArgon()  # type: ignore[assignment]
            hashers.append(h)
        threads = [threading.Thread(target=h.hash, args=("pw",)) for h in hashers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        accounts.limit_concurrent_hashes(accounts.DEFAULT_CONCURRENT_HASHES)
    assert peak == 2
