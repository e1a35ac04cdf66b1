"""Korean business registration numbers (사업자등록번호): 10 digits, the last a check digit."""

from __future__ import annotations

import re

__all__ = ["normalize_business_number", "is_valid_business_number", "business_number_check_digit"]

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def business_number_check_digit(first9: str) -> int:
    """Check digit of the first nine digits (National Tax Service algorithm)."""
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def normalize_business_number(value: str) -> str:
    """Digits only (``123-45-67890`` → ``1234567890``); raises ValueError when malformed or the check fails."""
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError("a business registration number has 10 digits (e.g. 123-45-67890)")
    if business_number_check_digit(digits[:9]) != int(digits[9]):
        raise ValueError("the check digit of this business registration number is wrong")
    return digits


def is_valid_business_number(value: str) -> bool:
    try:
        normalize_business_number(value)
    except ValueError:
        return False
    return True
