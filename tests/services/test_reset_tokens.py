"""Password-reset tokens: one use, one hour, and only the newest works (issue 13: an older token still worked
after a newer one was used)."""

from __future__ import annotations

import pytest

from talentbridge.domain.errors import NotAuthenticated
from talentbridge.services import accounts
from talentbridge.storage import Database


def _account(database: Database) -> int:
    with database.session() as s:
        return accounts.create_user(s, email="r@x.kr", password="0123456789a", role="talent", name="r").id


def test_a_newer_token_replaces_older_ones(database: Database) -> None:
    _account(database)
    with database.session() as s:
        first = accounts.request_password_reset(s, "r@x.kr")
        second = accounts.request_password_reset(s, "R@x.kr ")
    assert first and second and first != second
    with database.session() as s, pytest.raises(NotAuthenticated, match="replaced"):
        accounts.reset_password(s, first, "first new password")
    with database.session() as s:
        accounts.reset_password(s, second, "second new password")
    with database.session() as s:
        accounts.authenticate(s, "r@x.kr", "second new password")


def test_using_a_token_voids_every_other_token(database: Database) -> None:
    user_id = _account(database)
    with database.session() as s:
        older = accounts.request_password_reset(s, "r@x.kr")
    # An older token made before this change could still be around (two rows); using one voids the rest.
    from talentbridge.storage.account_tables import PasswordResetRow

    with database.session() as s:
        newer = accounts.request_password_reset(s, "r@x.kr")
        s.add(
            PasswordResetRow(
                user_id=user_id,
                token_hash=accounts._digest(older),
                expires_at=accounts._now() + accounts.RESET_TOKEN_LIFETIME,
            )
        )
    with database.session() as s:
        accounts.reset_password(s, newer, "brand new password")
    for token in (older, newer):
        with database.session() as s, pytest.raises(NotAuthenticated):
            accounts.reset_password(s, token, "yet another password")
    with database.session() as s:
        accounts.authenticate(s, "r@x.kr", "brand new password")


def test_a_token_works_once_even_when_two_requests_race(database: Database) -> None:
    """The second request read the token as unused before the first committed; it must still not get through
    (the conditional UPDATE finds no unused row; SQLite refuses the stale snapshot outright)."""
    from sqlalchemy import select

    from talentbridge.storage.account_tables import PasswordResetRow

    _account(database)
    with database.session() as s:
        token = accounts.request_password_reset(s, "r@x.kr")
    late = database.session()
    s2 = late.__enter__()
    stale = s2.scalar(select(PasswordResetRow))  # request 2 has read the row: unused
    assert stale is not None and stale.used_at is None
    with database.session() as s1:
        accounts.reset_password(s1, token, "password number one")  # request 1 wins and commits
    with pytest.raises(Exception) as info:  # noqa: PT011 - NotAuthenticated, or SQLite's stale-snapshot error
        accounts.reset_password(s2, token, "password number two")
    late.__exit__(info.type, info.value, info.tb)
    assert isinstance(info.value, NotAuthenticated) or "locked" in str(info.value)
    with database.session() as s:
        accounts.authenticate(s, "r@x.kr", "password number one")


def test_reset_raises_the_session_version(database: Database) -> None:
    user_id = _account(database)
    with database.session() as s:
        before = accounts.get_user(s, user_id).session_version
        token = accounts.request_password_reset(s, "r@x.kr")
    with database.session() as s:
        accounts.reset_password(s, token, "brand new password")
    with database.session() as s:
        assert accounts.get_user(s, user_id).session_version == before + 1
        assert accounts.user_for_session(s, user_id, before) is None
        assert accounts.user_for_session(s, user_id, before + 1) is not None
