"""personal-data rights: consent history and erasure tombstones

Revision ID: 0006_privacy
Revises: 0005_session_version
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_privacy"
down_revision = "0005_session_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("by_role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_consent_records_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    op.create_index(op.f("ix_consent_records_talent_id"), "consent_records", ["talent_id"])
    op.create_table(
        "talent_erasures",
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("anonymous_id", sa.String(length=40), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("by_role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_talent_erasures_talent_id_talents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("talent_id", name=op.f("pk_talent_erasures")),
        sa.UniqueConstraint("anonymous_id", name=op.f("uq_talent_erasures_anonymous_id")),
    )
    op.create_index(op.f("ix_talent_erasures_erased_at"), "talent_erasures", ["erased_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_talent_erasures_erased_at"), table_name="talent_erasures")
    op.drop_table("talent_erasures")
    op.drop_index(op.f("ix_consent_records_talent_id"), table_name="consent_records")
    op.drop_table("consent_records")
