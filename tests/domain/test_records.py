import pytest

from talentbridge.domain import OpeningData, TalentData, validate_record
from talentbridge.domain.errors import ValidationFailed


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_record(TalentData, {"name": "", "email": "nope", "birth_year": 1800, "region": "mars"}, "talent")
    fields = {p.loc[-1] for p in info.value.problems}
    assert fields == {"name", "email", "birth_year", "region"}


def test_visa_only_for_foreign_nationals() -> None:
    with pytest.raises(ValidationFailed, match="foreign nationals"):
        validate_record(TalentData, {"name": "김민준", "visa_type": "E-7"}, "talent")
    talent = validate_record(TalentData, {"name": "Nguyen Van An", "nationality": "vn", "visa_type": "E-7"}, "t")
    assert talent.nationality == "VN" and talent.is_foreign


def test_opening_needs_region_or_remote_and_ordered_salary() -> None:
    base = {"organization_id": 1, "kind": "job", "title": "ML 엔지니어"}
    with pytest.raises(ValidationFailed, match="region"):
        validate_record(OpeningData, base, "opening")
    with pytest.raises(ValidationFailed, match="salary_max"):
        validate_record(OpeningData, {**base, "remote": True, "salary_min": 5000, "salary_max": 4000}, "opening")
    assert validate_record(OpeningData, {**base, "remote": True}, "opening").employment_type == "full_time"
