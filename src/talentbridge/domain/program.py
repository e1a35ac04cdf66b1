"""Agency programmes, their matching rounds, placements and applications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field, model_validator

from talentbridge.domain.base import Record, Stored
from talentbridge.domain.enums import (
    ApplicationStatus,
    EmploymentType,
    ProgramKind,
    ProgramStatus,
    RoundStatus,
)
from talentbridge.domain.enums import PlacementStatus as _PlacementStatus

__all__ = [
    "ProgramData",
    "Program",
    "RoundData",
    "Round",
    "PlacementData",
    "Placement",
    "ApplicationData",
    "Application",
]


class ProgramData(Record):
    external_id: str | None = Field(None, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    kind: ProgramKind
    description: str | None = Field(None, max_length=20_000)
    start_date: date | None = None
    end_date: date | None = None
    status: ProgramStatus = ProgramStatus.PLANNED
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Programme rules: fit weights, regional caps, team size, ..."
    )

    @model_validator(mode="after")
    def _ordered(self) -> ProgramData:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Program(ProgramData, Stored):
    pass


class RoundData(Record):
    program_id: int
    name: str = Field(min_length=1, max_length=200)
    status: RoundStatus = RoundStatus.DRAFT
    mechanism: str = Field("da", pattern=r"^(da|flexible-da|max-welfare)$")
    proposing: str = Field("applicants", pattern=r"^(applicants|programs)$")
    preference_deadline: datetime | None = None
    seed: int = Field(0, ge=0)
    regional_caps: dict[str, int] = Field(default_factory=dict, description="Region or area id → most placements.")
    settings: dict[str, Any] = Field(default_factory=dict)


class Round(RoundData, Stored):
    published_at: datetime | None = None
    published_by: str | None = None


class PlacementData(Record):
    talent_id: int
    organization_id: int
    opening_id: int | None = None
    round_id: int | None = None
    kind: EmploymentType = EmploymentType.FULL_TIME
    start_date: date
    end_date: date | None = None
    status: _PlacementStatus = _PlacementStatus.PLANNED
    end_reason: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _ordered(self) -> PlacementData:
        if self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if self.status == _PlacementStatus.ENDED_EARLY and not self.end_reason:
            raise ValueError("a placement that ended early needs an end_reason")
        return self


class Placement(PlacementData, Stored):
    pass


class ApplicationData(Record):
    talent_id: int
    opening_id: int
    status: ApplicationStatus = ApplicationStatus.APPLIED
    note: str | None = Field(None, max_length=5000)


class Application(ApplicationData, Stored):
    pass
