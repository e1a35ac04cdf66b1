"""A website must be an http(s) address (issue 12): javascript:, ftp: or a bare word is refused, not stored."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from talentbridge.domain import OrganizationData


@pytest.mark.parametrize("site", ["https://vision.ai", "http://www.example.co.kr/about", "", None])
def test_http_and_https_addresses_are_kept(site: str | None) -> None:
    org = OrganizationData(name="비전랩", kind="ai_startup", website=site)
    assert org.website == (site or None)


@pytest.mark.parametrize(
    "site", ["javascript:alert(1)", "ftp://files.example.com", "www.example.com", "https://", "https://a b.kr"]
)
def test_other_addresses_are_refused_with_a_reason(site: str) -> None:
    with pytest.raises(ValidationError, match="http:// or https://"):
        OrganizationData(name="비전랩", kind="ai_startup", website=site)
