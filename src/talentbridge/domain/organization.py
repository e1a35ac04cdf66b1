"""Organizations: AI startups, manufacturers, large enterprises, universities, institutes, agencies."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from talentbridge.domain.base import Record, Stored
from talentbridge.domain.business_number import normalize_business_number
from talentbridge.domain.enums import KSIC_SECTIONS, OrganizationKind, Region, SizeBand

__all__ = ["OrganizationData", "Organization"]


class OrganizationData(Record):
    external_id: str | None = Field(None, max_length=100, description="Your own id; imports upsert by it.")
    name: str = Field(min_length=1, max_length=200, description="Name as used in Korea (Korean or English).")
    name_en: str | None = Field(None, max_length=200, description="English name.")
    kind: OrganizationKind
    business_number: str | None = Field(
        None, description="사업자등록번호, 10 digits with a valid check digit; dashes allowed on input."
    )
    region: Region | None = None
    size_band: SizeBand | None = None
    industry: str | None = Field(None, description="KSIC section letter A-U (C = manufacturing, J = ICT).")
    founded: date | None = None
    venture_certified: bool = Field(False, description="벤처기업 확인 (venture certification).")
    parent_id: int | None = Field(None, description="Parent company's organization id.")
    group: str | None = Field(
        None, max_length=100, description="Business group (기업집단); organizations of one group are affiliates."
    )
    website: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)

    @field_validator("website")
    @classmethod
    def _check_website(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
            raise ValueError("a website is an address starting with http:// or https://")
        return value

    @field_validator("business_number")
    @classmethod
    def _check_business_number(cls, value: str | None) -> str | None:
        return None if value in (None, "") else normalize_business_number(value)

    @field_validator("industry")
    @classmethod
    def _check_industry(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        value = value.strip().upper()
        if value not in KSIC_SECTIONS:
            raise ValueError("industry must be a KSIC section letter A-U")
        return value

    @field_validator("founded")
    @classmethod
    def _not_in_future(cls, value: date | None) -> date | None:
        if value is not None and value > date.today():
            raise ValueError("founding date is in the future")
        return value


class Organization(OrganizationData, Stored):
    pass
