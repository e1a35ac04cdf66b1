"""The web side of sign-in throttling: one ``LoginThrottle`` per application, built from the settings."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.services.accounts import User, limit_concurrent_hashes
from talentbridge.services.sign_in import LoginThrottle, ThrottleLimits, sign_in

__all__ = ["login_throttle", "sign_in_request"]


def login_throttle(settings: Settings) -> LoginThrottle:
    limit_concurrent_hashes(settings.login_max_concurrent_hashes)
    return LoginThrottle(
        ThrottleLimits(
            max_failures_per_account=settings.login_max_failures_per_account,
            max_failures_per_address=settings.login_max_failures_per_address,
            window_seconds=float(settings.login_failure_window_seconds),
        )
    )


def sign_in_request(request: Request, session: Session, email: str, password: str) -> User:
    """``services.sign_in.sign_in`` for this request's client address (behind a proxy: run uvicorn with
    ``--proxy-headers --forwarded-allow-ips=<proxy>`` so this is the real client)."""
    address = request.client.host if request.client else None
    return sign_in(session, request.app.state.login_throttle, email, password, address)
