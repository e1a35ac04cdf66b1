import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain.business_number import (
    business_number_check_digit,
    is_valid_business_number,
    normalize_business_number,
)


@pytest.mark.parametrize("number", ["124-81-00998", "220-81-62517", "1248100998"])
def test_real_business_numbers_are_valid(number: str) -> None:
    assert is_valid_business_number(number)
    assert normalize_business_number(number).isdigit()


@pytest.mark.parametrize("number", ["124-81-00997", "1234567890", "12345", "abcdefghij", "124-81-009981"])
def test_wrong_numbers_are_rejected(number: str) -> None:
    assert not is_valid_business_number(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_makes_any_prefix_valid_and_other_digits_invalid(prefix: str) -> None:
    good = business_number_check_digit(prefix)
    assert is_valid_business_number(prefix + str(good))
    for other in range(10):
        if other != good:
            assert not is_valid_business_number(prefix + str(other))
