"""skill aliases added by operators (kept apart from the taxonomy tables, which imports rewrite)

Revision ID: 0005_skill_aliases
Revises: 0002_taxonomy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_skill_aliases"
down_revision = "0002_taxonomy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skill_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("norm", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_aliases")),
        sa.UniqueConstraint("skill_id", "lang", "norm", name=op.f("uq_skill_aliases_skill_id")),
    )
    op.create_index(op.f("ix_skill_aliases_skill_id"), "skill_aliases", ["skill_id"])
    op.create_index(op.f("ix_skill_aliases_norm"), "skill_aliases", ["norm"])


def downgrade() -> None:
    op.drop_index(op.f("ix_skill_aliases_norm"), table_name="skill_aliases")
    op.drop_index(op.f("ix_skill_aliases_skill_id"), table_name="skill_aliases")
    op.drop_table("skill_aliases")
