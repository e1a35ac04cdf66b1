from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from talentbridge.domain.errors import Conflict, NotAuthenticated, ValidationFailed
from talentbridge.services import accounts
from talentbridge.storage import Database
from talentbridge.storage.account_tables import PasswordResetRow, UserRow


def test_passwords_are_hashed_with_argon2_and_checked(database: Database) -> None:
    with database.session() as s:
        user = accounts.create_user(s, email="Op@Agency.kr", password="correct horse 1", role="operator",
                                    name="운영자")
        row = s.get(UserRow, user.id)
        assert row.password_hash.startswith("$argon2id$") and "correct horse" not in row.password_hash
    with database.session() as s:
        assert accounts.authenticate(s, "op@agency.kr", "correct horse 1").id == user.id
        with pytest.raises(NotAuthenticated):
            accounts.authenticate(s, "op@agency.kr", "wrong password!")
        with pytest.raises(NotAuthenticated):
            accounts.authenticate(s, "nobody@agency.kr", "correct horse 1")


def test_every_problem_with_a_new_account_is_reported(database: Database) -> None:
    with database.session() as s, pytest.raises(ValidationFailed) as info:
        accounts.create_user(s, email="not-an-email", password="short", role="king", name=" ")
    assert {p.loc[0] for p in info.value.problems} == {"email", "password", "role", "name"}


def test_org_member_needs_an_existing_organization_and_duplicates_conflict(database: Database) -> None:
    with database.session() as s, pytest.raises(ValidationFailed, match="organization"):
        accounts.create_user(s, email="m@x.kr", password="0123456789a", role="org_member", name="m",
                             organization_id=999)
    with database.session() as s:
        accounts.create_user(s, email="a@x.kr", password="0123456789a", role="auditor", name="a")
    with database.session() as s, pytest.raises(Conflict):
        accounts.create_user(s, email="A@x.kr", password="0123456789a", role="auditor", name="a")


def test_inactive_accounts_cannot_sign_in(database: Database) -> None:
    with database.session() as s:
        accounts.create_user(s, email="t@x.kr", password="0123456789a", role="talent", name="t", active=False)
    with database.session() as s, pytest.raises(NotAuthenticated, match="not active"):
        accounts.authenticate(s, "t@x.kr", "0123456789a")


def test_api_tokens_are_stored_hashed_and_can_be_revoked(database: Database) -> None:
    with database.session() as s:
        user = accounts.create_user(s, email="o@x.kr", password="0123456789a", role="operator", name="o")
        token_id, token = accounts.create_api_token(s, user.id, "ci")
    with database.session() as s:
        assert accounts.user_for_token(s, token).id == user.id
        assert accounts.user_for_token(s, token + "x") is None
        accounts.revoke_api_token(s, user.id, token_id)
    with database.session() as s:
        assert accounts.user_for_token(s, token) is None


def test_reset_tokens_are_one_time_and_expire(database: Database) -> None:
    with database.session() as s:
        user = accounts.create_user(s, email="r@x.kr", password="0123456789a", role="talent", name="r")
        _, api_token = accounts.create_api_token(s, user.id, "old")
        assert accounts.request_password_reset(s, "nobody@x.kr") is None
        token = accounts.request_password_reset(s, "r@x.kr")
    with database.session() as s:
        accounts.reset_password(s, token, "a brand new pw")
    with database.session() as s:
        assert accounts.authenticate(s, "r@x.kr", "a brand new pw").id == user.id
        assert accounts.user_for_token(s, api_token) is None  # a reset revokes tokens
        with pytest.raises(NotAuthenticated):
            accounts.reset_password(s, token, "another new pw")  # used once already
        expired = accounts.request_password_reset(s, "r@x.kr")
        for row in s.scalars(select(PasswordResetRow).where(PasswordResetRow.used_at.is_(None))):
            row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    with database.session() as s, pytest.raises(NotAuthenticated, match="expired"):
        accounts.reset_password(s, expired, "another new pw")


def test_demo_accounts_one_per_role(database: Database) -> None:
    from talentbridge.domain import OrganizationData, TalentData
    from talentbridge.storage.repositories import Repositories

    with database.session() as s:
        repos = Repositories(s)
        org = repos.organizations.add(OrganizationData(name="데모", kind="ai_startup"))
        repos.openings.add(__import__("talentbridge.domain", fromlist=["OpeningData"]).OpeningData(
            organization_id=org.id, kind="job", title="ML", region="seoul"))
        repos.talents.add(TalentData(name="홍길동", consent_visible=True))
        made = accounts.create_demo_accounts(s)
        again = accounts.create_demo_accounts(s)
    assert sorted(r for r, _, _ in made) == ["auditor", "operator", "org_member", "talent"]
    assert made == again
    with database.session() as s:
        for _, email, password in made:
            accounts.authenticate(s, email, password)
