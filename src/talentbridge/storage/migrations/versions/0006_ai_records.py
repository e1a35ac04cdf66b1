"""ai records: AI Basic Act run records, human reviews, documentation packs

Revision ID: 0006_ai_records
Revises: 0005_notifications
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_ai_records"
down_revision = "0005_notifications"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ai_run_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("surface", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("models", JSON, nullable=False),
        sa.Column("taxonomy_version", sa.String(length=200), nullable=True),
        sa.Column("weights", JSON, nullable=False),
        sa.Column("inputs", JSON, nullable=False),
        sa.Column("output", JSON, nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("seen_by_user_id", sa.Integer(), nullable=True),
        sa.Column("seen_by_role", sa.String(length=20), nullable=True),
        sa.Column("actor", sa.String(length=400), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_run_records")),
        sa.UniqueConstraint("key", name=op.f("uq_ai_run_records_key")),
    )
    for col in ("kind", "subject_id", "round_id", "seen_by_user_id", "created_at"):
        op.create_index(op.f(f"ix_ai_run_records_{col}"), "ai_run_records", [col])
    op.create_table(
        "ai_human_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=60), nullable=True),
        sa.Column("requester_user_id", sa.Integer(), nullable=True),
        sa.Column("requester_role", sa.String(length=20), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_user_id", sa.Integer(), nullable=True),
        sa.Column("answered_by", sa.String(length=400), nullable=True),
        _when("created_at"),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["ai_run_records.id"],
            name=op.f("fk_ai_human_reviews_record_id_ai_run_records"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_user_id"],
            ["users.id"],
            name=op.f("fk_ai_human_reviews_requester_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"],
            ["users.id"],
            name=op.f("fk_ai_human_reviews_answered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_human_reviews")),
    )
    for col in ("record_id", "requester_user_id", "talent_id", "organization_id", "status", "created_at"):
        op.create_index(op.f(f"ix_ai_human_reviews_{col}"), "ai_human_reviews", [col])
    op.create_table(
        "ai_documentation_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=20), nullable=True),
        sa.Column("folder", sa.String(length=500), nullable=False),
        sa.Column("files", JSON, nullable=False),
        sa.Column("summary", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=400), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_documentation_packs")),
    )
    for col in ("round_id", "created_at"):
        op.create_index(op.f(f"ix_ai_documentation_packs_{col}"), "ai_documentation_packs", [col])


def downgrade() -> None:
    op.drop_table("ai_documentation_packs")
    op.drop_table("ai_human_reviews")
    op.drop_table("ai_run_records")
