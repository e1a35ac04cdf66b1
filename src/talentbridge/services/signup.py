"""Self-service sign-up that does not tell anyone whether an e-mail address already has an account.

A new address gets an account (talent: active at once; organization members: waiting for an operator). An address
that already has one gets nothing new, but the caller sees exactly the same outcome, after the same work (one
argon2 hash either way), so the page and the API cannot be used to find out who is registered. The owner of the
existing account can be told by e-mail (the mail sender listens on the ``talentbridge.accounts`` log until then).
Input problems (a short password, a missing organization) are reported as usual: they depend on the input only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentbridge.domain.errors import Conflict, Problem, ValidationFailed
from talentbridge.services.accounts import Role, User, _hasher, create_user

__all__ = ["SignUpResult", "sign_up", "SIGN_UP_ROLES"]

log = logging.getLogger("talentbridge.accounts")

#: Roles anyone may sign up for; operators and auditors are made by operators.
SIGN_UP_ROLES = (Role.TALENT, Role.ORG_MEMBER)


@dataclass(frozen=True)
class SignUpResult:
    """What a caller may show. ``created`` is for the service's own callers (mail, tests), never for the page or
    the API response: showing it would reveal whether the address had an account."""

    email: str
    role: Role
    active: bool
    created: User | None

    def public(self) -> dict[str, object]:
        """The answer to show, identical for a new and an already registered address."""
        return {"email": self.email, "role": self.role.value, "active": self.active}


def sign_up(
    session: Session,
    *,
    email: str,
    password: str,
    name: str,
    role: Role | str = Role.TALENT,
    organization_id: int | None = None,
    language: str = "ko",
) -> SignUpResult:
    """Create a talent or organization-member account unless the address has one; same result either way."""
    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen not in SIGN_UP_ROLES:
        allowed = ", ".join(r.value for r in SIGN_UP_ROLES)
        raise ValidationFailed("invalid account", [Problem(loc=("role",), msg=f"one of {allowed}", value=role)])
    assert chosen is not None
    active = chosen == Role.TALENT
    normalized = email.strip().lower()
    result = SignUpResult(email=normalized, role=chosen, active=active, created=None)
    try:
        with session.begin_nested():
            user = create_user(
                session,
                email=email,
                password=password,
                role=chosen,
                name=name,
                organization_id=organization_id,
                language=language,
                active=active,
            )
    except (Conflict, IntegrityError):
        # Taken (or taken a moment ago by a concurrent sign-up): do the hash a new account costs, say nothing.
        _hasher().hash(password)
        log.info("sign-up with an address that already has an account: %s", normalized)
        return result
    return SignUpResult(email=normalized, role=chosen, active=active, created=user)
