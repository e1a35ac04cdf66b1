"""The field rules of writes (web/write_rules.py): what counts as set, and who may set it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain import ApplicationData, OpeningData, OrganizationData, TalentData
from talentbridge.web.write_rules import WRITABLE, changed_fields, refused_fields


def test_an_update_counts_only_values_that_differ_from_the_stored_record() -> None:
    before = {"id": 1, "talent_id": 1, "opening_id": 2, "status": "applied", "note": None}
    sent = {"talent_id": 1, "opening_id": 2, "status": "applied", "note": "안녕하세요"}
    assert changed_fields(ApplicationData, before, sent) == {"note": "안녕하세요"}


def test_a_create_counts_fields_without_default_and_values_other_than_the_default() -> None:
    sent = {"talent_id": 1, "opening_id": 2, "status": "applied"}
    assert changed_fields(ApplicationData, None, sent) == {"talent_id": 1, "opening_id": 2}
    assert changed_fields(ApplicationData, None, {**sent, "status": "hired"})["status"] == "hired"


def test_talent_may_only_withdraw_and_never_re_home_an_application() -> None:
    assert refused_fields("talent", "application", "update", {"status": "withdrawn", "note": "x"}) == []
    refused = refused_fields("talent", "application", "update", {"status": "hired", "talent_id": 3})
    assert [r.field for r in refused] == ["status", "talent_id"]
    assert "withdrawn" in refused[0].reason


def test_roles_without_rules_may_set_nothing_and_operators_everything() -> None:
    assert [r.field for r in refused_fields("auditor", "talent", "update", {"name": "x"})] == ["name"]
    assert [r.field for r in refused_fields("talent", "program", "create", {"name": "x"})] == ["name"]
    assert refused_fields("operator", "application", "update", {"status": "hired", "talent_id": 9}) == []


_MODELS = {
    "talent": TalentData,
    "organization": OrganizationData,
    "opening": OpeningData,
    "application": ApplicationData,
}


@given(st.sampled_from(sorted(WRITABLE)), st.data())
def test_refused_fields_are_exactly_the_fields_outside_the_role_table(
    key: tuple[str, str, str], data: st.DataObject
) -> None:
    role, entity, action = key
    fields = sorted(_MODELS[entity].model_fields)
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True))
    changed = {name: "x" for name in chosen if name != "status"}  # status has value rules of its own
    refused = {r.field for r in refused_fields(role, entity, action, changed)}
    assert refused == set(changed) - WRITABLE[key]
