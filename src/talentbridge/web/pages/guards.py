"""Router-level guards for page areas: the role check runs before any form is read, so a wrong role gets 403
(or the sign-in page) rather than a form validation error. Finer checks stay with the access policy."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from talentbridge.domain.errors import NotAuthenticated, PermissionDenied

__all__ = ["require_roles"]


def require_roles(*roles: str) -> Callable[[Request], None]:
    def guard(request: Request) -> None:
        user = getattr(request.state, "user", None)
        if user is None:
            raise NotAuthenticated("sign in first")
        if user.role.value not in roles:
            raise PermissionDenied(f"this page is for: {', '.join(roles)}")

    return guard
