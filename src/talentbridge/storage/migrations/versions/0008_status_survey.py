"""status survey: yearly AI workforce survey of member organizations

Revision ID: 0008_status_survey
Revises: 0007_analytics
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_status_survey"
down_revision = "0007_analytics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_survey",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("headcount_ai_research", sa.Integer(), nullable=False),
        sa.Column("headcount_ml_engineering", sa.Integer(), nullable=False),
        sa.Column("headcount_data_engineering", sa.Integer(), nullable=False),
        sa.Column("headcount_data_science", sa.Integer(), nullable=False),
        sa.Column("headcount_ai_planning", sa.Integer(), nullable=False),
        sa.Column("headcount_ai_other", sa.Integer(), nullable=False),
        sa.Column("vacancies", sa.Integer(), nullable=False),
        sa.Column("hard_to_fill", sa.String(length=200), nullable=False),
        sa.Column("training_spend_krw", sa.BigInteger(), nullable=False),
        sa.Column("source_file", sa.String(length=200), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE",
                                name=op.f("fk_status_survey_organization_id_organizations")),
        sa.PrimaryKeyConstraint("organization_id", "year", name=op.f("pk_status_survey")),
    )
    op.create_index(op.f("ix_status_survey_year"), "status_survey", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_status_survey_year"), table_name="status_survey")
    op.drop_table("status_survey")
