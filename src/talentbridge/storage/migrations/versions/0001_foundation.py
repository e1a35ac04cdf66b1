"""foundation: registry tables

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-25 14:12:40.490181
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("business_number", sa.String(length=10), nullable=True),
        sa.Column("region", sa.String(length=20), nullable=True),
        sa.Column("size_band", sa.String(length=10), nullable=True),
        sa.Column("industry", sa.String(length=1), nullable=True),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("venture_certified", sa.Boolean(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("group_name", sa.String(length=100), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organizations.id"],
            name=op.f("fk_organizations_parent_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("business_number", name=op.f("uq_organizations_business_number")),
        sa.UniqueConstraint("external_id", name=op.f("uq_organizations_external_id")),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organizations_group_name"), ["group_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_industry"), ["industry"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_region"), ["region"], unique=False)

    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "settings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
        sa.UniqueConstraint("external_id", name=op.f("uq_programs_external_id")),
    )
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programs_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_programs_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_programs_status"), ["status"], unique=False)

    op.create_table(
        "openings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "required_skills",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("occupation_id", sa.String(length=300), nullable=True),
        sa.Column("region", sa.String(length=20), nullable=True),
        sa.Column("remote", sa.Boolean(), nullable=False),
        sa.Column("salary_min", sa.Integer(), nullable=True),
        sa.Column("salary_max", sa.Integer(), nullable=True),
        sa.Column("min_years_experience", sa.Float(), nullable=True),
        sa.Column("min_degree", sa.String(length=20), nullable=True),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("visa_sponsorship", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_openings_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_openings")),
        sa.UniqueConstraint("external_id", name=op.f("uq_openings_external_id")),
    )
    with op.batch_alter_table("openings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_openings_deadline"), ["deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_openings_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_openings_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_openings_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_openings_status"), ["status"], unique=False)
        batch_op.create_index("ix_openings_status_kind_id", ["status", "kind", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_openings_title"), ["title"], unique=False)

    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("mechanism", sa.String(length=20), nullable=False),
        sa.Column("proposing", sa.String(length=12), nullable=False),
        sa.Column("preference_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column(
            "regional_caps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "settings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_rounds_program_id_programs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rounds_status"), ["status"], unique=False)

    op.create_table(
        "talents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_latin", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("gender", sa.String(length=20), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=True),
        sa.Column("nationality", sa.String(length=2), nullable=False),
        sa.Column("visa_type", sa.String(length=10), nullable=True),
        sa.Column("visa_expires", sa.Date(), nullable=True),
        sa.Column(
            "education", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "work_history",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "skills", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("resume_text", sa.Text(), nullable=True),
        sa.Column(
            "desired_roles",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "employment_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("salary_expectation", sa.Integer(), nullable=True),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("current_employer_id", sa.Integer(), nullable=True),
        sa.Column("consent_visible", sa.Boolean(), nullable=False),
        sa.Column("consent_statistics", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["current_employer_id"],
            ["organizations.id"],
            name=op.f("fk_talents_current_employer_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talents")),
        sa.UniqueConstraint("email", name=op.f("uq_talents_email")),
        sa.UniqueConstraint("external_id", name=op.f("uq_talents_external_id")),
    )
    with op.batch_alter_table("talents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talents_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_talents_consent_visible"), ["consent_visible"], unique=False)
        batch_op.create_index(batch_op.f("ix_talents_current_employer_id"), ["current_employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_talents_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_talents_nationality"), ["nationality"], unique=False)
        batch_op.create_index(batch_op.f("ix_talents_region"), ["region"], unique=False)
        batch_op.create_index("ix_talents_region_id", ["region", "id"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opening_id"], ["openings.id"], name=op.f("fk_applications_opening_id_openings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_applications_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("talent_id", "opening_id", name="uq_applications_talent_opening"),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_opening_id"), ["opening_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_talent_id"), ["talent_id"], unique=False)

    op.create_table(
        "opening_skills",
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=False),
        sa.Column("importance", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["opening_id"], ["openings.id"], name=op.f("fk_opening_skills_opening_id_openings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("opening_id", "skill_id", name=op.f("pk_opening_skills")),
    )
    with op.batch_alter_table("opening_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opening_skills_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opening_id"], ["openings.id"], name=op.f("fk_placements_opening_id_openings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_placements_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_placements_round_id_rounds"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_placements_talent_id_talents"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placements_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_opening_id"), ["opening_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_start_date"), ["start_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_talent_id"), ["talent_id"], unique=False)

    op.create_table(
        "talent_skills",
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("years", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_talent_skills_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("talent_id", "skill_id", name=op.f("pk_talent_skills")),
    )
    with op.batch_alter_table("talent_skills", schema=None) as batch_op:
        batch_op.create_index("ix_talent_skills_skill_talent", ["skill_id", "talent_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("talent_skills", schema=None) as batch_op:
        batch_op.drop_index("ix_talent_skills_skill_talent")

    op.drop_table("talent_skills")
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placements_talent_id"))
        batch_op.drop_index(batch_op.f("ix_placements_status"))
        batch_op.drop_index(batch_op.f("ix_placements_start_date"))
        batch_op.drop_index(batch_op.f("ix_placements_round_id"))
        batch_op.drop_index(batch_op.f("ix_placements_organization_id"))
        batch_op.drop_index(batch_op.f("ix_placements_opening_id"))
        batch_op.drop_index(batch_op.f("ix_placements_kind"))

    op.drop_table("placements")
    with op.batch_alter_table("opening_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_skills_skill_id"))

    op.drop_table("opening_skills")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_talent_id"))
        batch_op.drop_index(batch_op.f("ix_applications_status"))
        batch_op.drop_index(batch_op.f("ix_applications_opening_id"))

    op.drop_table("applications")
    with op.batch_alter_table("talents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talents_region"))
        batch_op.drop_index(batch_op.f("ix_talents_nationality"))
        batch_op.drop_index(batch_op.f("ix_talents_name"))
        batch_op.drop_index(batch_op.f("ix_talents_current_employer_id"))
        batch_op.drop_index(batch_op.f("ix_talents_consent_visible"))
        batch_op.drop_index(batch_op.f("ix_talents_category"))

    op.drop_table("talents")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rounds_status"))
        batch_op.drop_index(batch_op.f("ix_rounds_program_id"))

    op.drop_table("rounds")
    with op.batch_alter_table("openings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_openings_title"))
        batch_op.drop_index(batch_op.f("ix_openings_status"))
        batch_op.drop_index(batch_op.f("ix_openings_region"))
        batch_op.drop_index(batch_op.f("ix_openings_organization_id"))
        batch_op.drop_index(batch_op.f("ix_openings_kind"))
        batch_op.drop_index(batch_op.f("ix_openings_deadline"))

    op.drop_table("openings")
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programs_status"))
        batch_op.drop_index(batch_op.f("ix_programs_name"))
        batch_op.drop_index(batch_op.f("ix_programs_kind"))

    op.drop_table("programs")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_region"))
        batch_op.drop_index(batch_op.f("ix_organizations_parent_id"))
        batch_op.drop_index(batch_op.f("ix_organizations_name"))
        batch_op.drop_index(batch_op.f("ix_organizations_kind"))
        batch_op.drop_index(batch_op.f("ix_organizations_industry"))
        batch_op.drop_index(batch_op.f("ix_organizations_group_name"))

    op.drop_table("organizations")
