"""rounds: openings, participants, ranked lists and runs of a matching round

Revision ID: 0003_rounds
Revises: 0002_taxonomy
Create Date: 2026-11-25 14:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_rounds"
down_revision = "0002_taxonomy"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "round_openings",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opening_id"], ["openings.id"], name=op.f("fk_round_openings_opening_id_openings"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_openings_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "opening_id", name=op.f("pk_round_openings")),
    )
    with op.batch_alter_table("round_openings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_openings_opening_id"), ["opening_id"], unique=False)

    op.create_table(
        "round_participants",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["organizations.id"],
            name=op.f("fk_round_participants_employer_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_participants_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_round_participants_talent_id_talents"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("round_id", "talent_id", name=op.f("pk_round_participants")),
    )
    with op.batch_alter_table("round_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_participants_talent_id"), ["talent_id"], unique=False)

    op.create_table(
        "round_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("ranking", JSON, nullable=False),
        sa.Column("scores", JSON, nullable=True),
        sa.Column("scorer", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_preferences_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_preferences")),
        sa.UniqueConstraint("round_id", "side", "owner_id", name="uq_round_preferences_owner"),
    )

    op.create_table(
        "round_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mechanism", sa.String(length=20), nullable=False),
        sa.Column("proposing", sa.String(length=12), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("instance", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("diagnostics", JSON, nullable=False),
        sa.Column("summary", JSON, nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("result_hash", sa.String(length=64), nullable=False),
        sa.Column("software_version", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_runs_round_id_rounds"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_runs")),
    )
    with op.batch_alter_table("round_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_runs_input_hash"), ["input_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_round_runs_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_runs_round_id"))
        batch_op.drop_index(batch_op.f("ix_round_runs_input_hash"))

    op.drop_table("round_runs")
    op.drop_table("round_preferences")
    with op.batch_alter_table("round_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_participants_talent_id"))

    op.drop_table("round_participants")
    with op.batch_alter_table("round_openings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_openings_opening_id"))

    op.drop_table("round_openings")
