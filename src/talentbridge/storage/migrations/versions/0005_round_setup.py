"""round setup: follow-ups of placements at 3, 6 and 12 months (retention)

Revision ID: 0005_round_setup_followups
Revises: 0003_rounds
Create Date: 2026-12-04 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_round_setup_followups"
down_revision = "0003_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "placement_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("retained", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("recorder_role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.id"],
            name=op.f("fk_placement_followups_placement_id_placements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_followups")),
        sa.UniqueConstraint("placement_id", "months", name="uq_placement_followups_months"),
    )
    with op.batch_alter_table("placement_followups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_followups_placement_id"), ["placement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("placement_followups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_followups_placement_id"))
    op.drop_table("placement_followups")
