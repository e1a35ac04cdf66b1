"""Entities, value objects, enums and the exception tree.

Pure: pydantic (for validated records, so the API, imports and the cores share one definition of a valid
talent, organization or opening) and the standard library only.
"""

from talentbridge.domain.base import Record, Stored, partial_model, problems_from, validate_record
from talentbridge.domain.opening import Opening, OpeningData, RequiredSkill
from talentbridge.domain.organization import Organization, OrganizationData
from talentbridge.domain.program import (
    Application,
    ApplicationData,
    Placement,
    PlacementData,
    Program,
    ProgramData,
    Round,
    RoundData,
)
from talentbridge.domain.talent import Education, SkillClaim, Talent, TalentData, WorkExperience

__all__ = [
    "Record",
    "Stored",
    "partial_model",
    "problems_from",
    "validate_record",
    "Opening",
    "OpeningData",
    "RequiredSkill",
    "Organization",
    "OrganizationData",
    "Application",
    "ApplicationData",
    "Placement",
    "PlacementData",
    "Program",
    "ProgramData",
    "Round",
    "RoundData",
    "Education",
    "SkillClaim",
    "Talent",
    "TalentData",
    "WorkExperience",
]
