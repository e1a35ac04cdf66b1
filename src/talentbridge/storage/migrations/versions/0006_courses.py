"""course catalogue (upskilling): courses, a talent's course progress, saved growth paths

Revision ID: 0006_courses
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_courses"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("programme_share", sa.Float(), nullable=False),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("self_paced", sa.Boolean(), nullable=False),
        sa.Column("ncs_code", sa.String(length=20), nullable=True),
        sa.Column("ncs_name", sa.String(length=100), nullable=True),
        sa.Column("funding_track", sa.String(length=20), nullable=False),
        sa.Column("completion_rate", sa.Float(), nullable=True),
        sa.Column("satisfaction", sa.Float(), nullable=True),
        sa.Column("employment_rate_3m", sa.Float(), nullable=True),
        sa.Column("employment_rate_6m", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("requires", JSON, nullable=False),
        sa.Column("teaches", JSON, nullable=False),
        sa.Column("skills_inferred", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("external_id", name=op.f("uq_courses_external_id")),
    )
    op.create_index(op.f("ix_courses_provider"), "courses", ["provider"])
    op.create_index(op.f("ix_courses_title"), "courses", ["title"])
    op.create_index(op.f("ix_courses_ncs_code"), "courses", ["ncs_code"])
    op.create_index(op.f("ix_courses_funding_track"), "courses", ["funding_track"])
    op.create_table(
        "course_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_course_progress_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_course_progress_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_progress")),
        sa.UniqueConstraint("talent_id", "course_id", name=op.f("uq_course_progress_talent_id")),
    )
    op.create_index(op.f("ix_course_progress_talent_id"), "course_progress", ["talent_id"])
    op.create_index(op.f("ix_course_progress_course_id"), "course_progress", ["course_id"])
    op.create_table(
        "growth_paths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_ref", sa.String(length=300), nullable=False),
        sa.Column("target_label", sa.String(length=300), nullable=False),
        sa.Column("course_ids", JSON, nullable=False),
        sa.Column("summary", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_growth_paths_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_paths")),
    )
    op.create_index(op.f("ix_growth_paths_talent_id"), "growth_paths", ["talent_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_growth_paths_talent_id"), table_name="growth_paths")
    op.drop_table("growth_paths")
    op.drop_index(op.f("ix_course_progress_course_id"), table_name="course_progress")
    op.drop_index(op.f("ix_course_progress_talent_id"), table_name="course_progress")
    op.drop_table("course_progress")
    for name in ("funding_track", "ncs_code", "title", "provider"):
        op.drop_index(op.f(f"ix_courses_{name}"), table_name="courses")
    op.drop_table("courses")
