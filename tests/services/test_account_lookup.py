"""Finding an account by e-mail and linking a talent account to its profile (services.account_admin), which the
CLI and the profile page use instead of SQL of their own."""

from __future__ import annotations

import pytest

from talentbridge.domain import TalentData
from talentbridge.domain.errors import NotFound
from talentbridge.services import accounts
from talentbridge.services.account_admin import link_talent_profile, user_id_by_email
from talentbridge.services.registry import registry
from talentbridge.storage import Database


def test_user_id_by_email_ignores_case_and_spaces_and_names_the_missing_one(database: Database) -> None:
    with database.session() as s:
        user = accounts.create_user(s, email="Kim@Agency.kr", password="correct horse 1", role="talent", name="김")
    with database.session() as s:
        assert user_id_by_email(s, "  KIM@agency.kr ") == user.id
        with pytest.raises(NotFound, match="nobody@agency.kr"):
            user_id_by_email(s, "nobody@agency.kr")


def test_link_talent_profile_sets_the_accounts_profile(database: Database) -> None:
    with database.session() as s:
        user = accounts.create_user(s, email="lee@agency.kr", password="correct horse 1", role="talent", name="이")
        talent = registry(s).talents.add(TalentData(name="이", category="engineer", nationality="KR"))
        link_talent_profile(s, user.id, talent.id)
    with database.session() as s:
        assert accounts.get_user(s, user.id).talent_id == talent.id
        with pytest.raises(NotFound):
            link_talent_profile(s, 10_000, talent.id)
