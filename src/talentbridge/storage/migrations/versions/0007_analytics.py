"""status analytics: aggregate cells (supply, demand, skill levels) and their refresh fingerprints

Revision ID: 0007_analytics
Revises: 0006_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_analytics"
down_revision = "0006_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_supply_cells",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("family", sa.String(length=50), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("org_kind", sa.String(length=30), nullable=False),
        sa.Column("talents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "family", "region", "org_kind", name=op.f("pk_analytics_supply_cells")),
    )
    op.create_table(
        "analytics_demand_cells",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("family", sa.String(length=50), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("org_kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("openings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "family", "region", "org_kind", "status",
                                name=op.f("pk_analytics_demand_cells")),
    )
    op.create_table(
        "analytics_skill_levels",
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("talents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("skill_id", "region", "level", name=op.f("pk_analytics_skill_levels")),
    )
    op.create_table(
        "analytics_refresh",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=400), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_analytics_refresh")),
    )


def downgrade() -> None:
    op.drop_table("analytics_refresh")
    op.drop_table("analytics_skill_levels")
    op.drop_table("analytics_demand_cells")
    op.drop_table("analytics_supply_cells")
