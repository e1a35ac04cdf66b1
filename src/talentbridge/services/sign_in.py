"""Password sign-in with throttling: per account and per client address, checked before any password is hashed.

``LoginThrottle`` counts failed sign-ins in a sliding window. An attempt is counted when it starts (so a burst of
parallel guesses cannot slip past the check) and taken back when it succeeds; once an account or an address has
``max_failures`` in the last ``window_seconds``, further attempts are refused with ``TooManyRequests`` (429 with
``Retry-After``) without touching argon2. A success clears the account's count, not the address's (a valid
account of one's own must not reset the counter of guesses at others).

Memory is bounded: at most ``max_tracked`` accounts and as many addresses are remembered (least recently active
forgotten first), each with at most ``max_failures`` timestamps. The state lives in this process: with several
web processes each counts on its own (a shared store is another issue).

Argon2 needs 64 MiB per hash, so ``accounts`` lets only a few hashes run at once (``login_max_concurrent_hashes``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.domain.errors import NotAuthenticated, TooManyRequests
from talentbridge.services.accounts import User, authenticate

__all__ = ["ThrottleLimits", "LoginThrottle", "sign_in"]


@dataclass(frozen=True)
class ThrottleLimits:
    max_failures_per_account: int = 10
    max_failures_per_address: int = 50
    window_seconds: float = 900.0
    max_tracked: int = 10_000


class _Counter:
    """Failure timestamps per key in a sliding window; at most ``max_keys`` keys (LRU) of ``limit`` stamps each."""

    def __init__(self, limit: int, window: float, max_keys: int) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self.stamps: OrderedDict[str, deque[float]] = OrderedDict()

    def _live(self, key: str, now: float) -> deque[float] | None:
        stamps = self.stamps.get(key)
        if stamps is None:
            return None
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if not stamps:
            del self.stamps[key]
            return None
        return stamps

    def wait(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        stamps = self._live(key, now)
        if stamps is None or len(stamps) < self.limit:
            return 0.0
        return stamps[0] + self.window - now

    def add(self, key: str, now: float) -> None:
        stamps = self._live(key, now)
        if stamps is None:
            stamps = self.stamps[key] = deque(maxlen=self.limit)
            while len(self.stamps) > self.max_keys:
                self.stamps.popitem(last=False)
        else:
            self.stamps.move_to_end(key)
        stamps.append(now)

    def take_back(self, key: str) -> None:
        stamps = self.stamps.get(key)
        if stamps:
            stamps.pop()
            if not stamps:
                del self.stamps[key]

    def clear(self, key: str) -> None:
        self.stamps.pop(key, None)

    def __len__(self) -> int:
        return len(self.stamps)


class LoginThrottle:
    """Thread-safe, in-process throttle of password sign-ins (see the module docstring)."""

    def __init__(self, limits: ThrottleLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits = limits or ThrottleLimits()
        self.clock = clock
        self._lock = threading.Lock()
        self.accounts = _Counter(limits.max_failures_per_account, limits.window_seconds, limits.max_tracked)
        self.addresses = _Counter(limits.max_failures_per_address, limits.window_seconds, limits.max_tracked)

    def begin(self, account: str, address: str | None) -> int | None:
        """Admit an attempt (counted as a failure until ``succeeded``) or return the seconds to wait."""
        account = _account_key(account)
        with self._lock:
            now = self.clock()
            wait = max(self.accounts.wait(account, now), self.addresses.wait(address, now) if address else 0.0)
            if wait > 0:
                return max(1, math.ceil(wait))
            self.accounts.add(account, now)
            if address:
                self.addresses.add(address, now)
            return None

    def succeeded(self, account: str, address: str | None) -> None:
        with self._lock:
            self.accounts.clear(_account_key(account))
            if address:
                self.addresses.take_back(address)

    def not_a_guess(self, account: str, address: str | None) -> None:
        """Take back an admitted attempt that was no failed guess (the right password of an inactive account)."""
        with self._lock:
            self.accounts.take_back(_account_key(account))
            if address:
                self.addresses.take_back(address)

    def tracked(self) -> tuple[int, int]:
        """(accounts, addresses) currently remembered — never more than ``max_tracked`` each."""
        with self._lock:
            return len(self.accounts), len(self.addresses)


def _account_key(email: str) -> str:
    return email.strip().lower()[:320]


def sign_in(session: Session, throttle: LoginThrottle, email: str, password: str, address: str | None) -> User:
    """The user with this email and password, unless the account or the address is throttled (TooManyRequests,
    raised before the password is looked at); NotAuthenticated for a wrong password, as ``authenticate``."""
    wait = throttle.begin(email, address)
    if wait is not None:
        raise TooManyRequests(
            f"too many failed sign-ins for this account or from this address; try again in {wait} seconds",
            retry_after=wait,
        )
    try:
        user = authenticate(session, email, password)
    except NotAuthenticated as exc:
        if exc.message != "wrong email or password":
            throttle.not_a_guess(email, address)  # e.g. the right password of an inactive account
        raise
    throttle.succeeded(email, address)
    return user
