"""saved training plans of organizations: the plan and each employee's planned courses with their status

Revision ID: 0009_training_plans
Revises: 0006_courses
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_training_plans"
down_revision = "0006_courses"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "training_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_ref", sa.String(length=300), nullable=False),
        sa.Column("target_label", sa.String(length=300), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("talent_ids", JSON, nullable=False),
        sa.Column("summary", JSON, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name=op.f("fk_training_plans_organization_id_organizations"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_plans")),
    )
    op.create_index(op.f("ix_training_plans_organization_id"), "training_plans", ["organization_id"])
    op.create_table(
        "training_plan_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["training_plans.id"], name=op.f("fk_training_plan_courses_plan_id_training_plans"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_training_plan_courses_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_training_plan_courses_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_plan_courses")),
        sa.UniqueConstraint("plan_id", "talent_id", "course_id", name=op.f("uq_training_plan_courses_plan_id")),
    )
    op.create_index(op.f("ix_training_plan_courses_plan_id"), "training_plan_courses", ["plan_id"])
    op.create_index(op.f("ix_training_plan_courses_talent_id"), "training_plan_courses", ["talent_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_training_plan_courses_talent_id"), table_name="training_plan_courses")
    op.drop_index(op.f("ix_training_plan_courses_plan_id"), table_name="training_plan_courses")
    op.drop_table("training_plan_courses")
    op.drop_index(op.f("ix_training_plans_organization_id"), table_name="training_plans")
    op.drop_table("training_plans")
