"""SQLAlchemy tables of the skill taxonomy (built-in AI taxonomy merged with ESCO).

    skills ──< skill_labels          every label (en/ko, preferred or alternative), normalised for search
      │  └──< skill_relations        broader / related (skill -> skill), group (skill -> skill_groups.uri)
      └──< occupation_skills >── occupations ──< occupation_labels
    skill_groups, isco_groups        ESCO skill groups and ISCO-08 groups (labels, codes)
    taxonomy_meta                    key/value: content hash of the built-in data, last ESCO import

Concept rows hold the merged view (what the rest of the product reads). For a built-in concept linked to
ESCO the ``esco`` column keeps ESCO's own version of the concept, so a newer built-in taxonomy or ESCO release
can be merged again without the original download. Alternative labels are stored twice on purpose: as JSON
on the concept (to load the taxonomy in one scan) and as rows of ``*_labels`` (indexed, for search).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base, JSONType

__all__ = [
    "SkillRow",
    "SkillLabelRow",
    "SkillRelationRow",
    "SkillGroupRow",
    "OccupationRow",
    "OccupationLabelRow",
    "OccupationSkillRow",
    "IscoGroupRow",
    "TaxonomyMetaRow",
]

#: JSON where Python None is SQL NULL (the shared JSONType stores JSON null), so IS NULL means "no ESCO side".
NullableJSON = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

ID = 300  # ESCO URIs are ~75 characters; room for longer ids of other frameworks
LABEL = 500


class SkillRow(Base):
    __tablename__ = "skills"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    uri: Mapped[str] = mapped_column(String(ID), unique=True)
    esco_uri: Mapped[str | None] = mapped_column(String(ID), unique=True)
    label_en: Mapped[str] = mapped_column(String(LABEL))
    label_ko: Mapped[str] = mapped_column(String(LABEL), default="")
    alt_en: Mapped[list[str]] = mapped_column(JSONType, default=list)
    alt_ko: Mapped[list[str]] = mapped_column(JSONType, default=list)
    type: Mapped[str] = mapped_column(String(10), index=True)
    family: Mapped[str] = mapped_column(String(50), default="", index=True)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ko: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    esco: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)


class SkillLabelRow(Base):
    __tablename__ = "skill_labels"

    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    label: Mapped[str] = mapped_column(String(LABEL), primary_key=True)
    norm: Mapped[str] = mapped_column(String(LABEL))
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_skill_labels_norm", "norm", postgresql_ops={"norm": "varchar_pattern_ops"}),)


class SkillRelationRow(Base):
    __tablename__ = "skill_relations"

    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # broader | related | group
    target_id: Mapped[str] = mapped_column(String(ID), primary_key=True, index=True)
    relation_type: Mapped[str] = mapped_column(String(10), default="")  # ESCO related: essential | optional


class SkillGroupRow(Base):
    __tablename__ = "skill_groups"

    uri: Mapped[str] = mapped_column(String(ID), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    label_en: Mapped[str] = mapped_column(String(LABEL))
    description_en: Mapped[str] = mapped_column(Text, default="")
    broader: Mapped[list[str]] = mapped_column(JSONType, default=list)


class OccupationRow(Base):
    __tablename__ = "occupations"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    uri: Mapped[str] = mapped_column(String(ID), unique=True)
    esco_uri: Mapped[str | None] = mapped_column(String(ID), unique=True)
    label_en: Mapped[str] = mapped_column(String(LABEL))
    label_ko: Mapped[str] = mapped_column(String(LABEL), default="")
    alt_en: Mapped[list[str]] = mapped_column(JSONType, default=list)
    alt_ko: Mapped[list[str]] = mapped_column(JSONType, default=list)
    isco_code: Mapped[str] = mapped_column(String(4), default="", index=True)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ko: Mapped[str] = mapped_column(Text, default="")
    broader: Mapped[list[str]] = mapped_column(JSONType, default=list)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    esco: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)


class OccupationLabelRow(Base):
    __tablename__ = "occupation_labels"

    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("occupations.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    label: Mapped[str] = mapped_column(String(LABEL), primary_key=True)
    norm: Mapped[str] = mapped_column(String(LABEL))
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_occupation_labels_norm", "norm", postgresql_ops={"norm": "varchar_pattern_ops"}),
    )


class OccupationSkillRow(Base):
    __tablename__ = "occupation_skills"

    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("occupations.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[str] = mapped_column(String(10))  # essential | optional


class IscoGroupRow(Base):
    __tablename__ = "isco_groups"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    uri: Mapped[str] = mapped_column(String(ID))
    label_en: Mapped[str] = mapped_column(String(LABEL))
    label_ko: Mapped[str] = mapped_column(String(LABEL), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")


class TaxonomyMetaRow(Base):
    __tablename__ = "taxonomy_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
