"""session version: a counter on each account that every session cookie must match

Raising it (sign-out, password reset, role change, deactivation) revokes every cookie issued before, at once.

Revision ID: 0005_session_version
Revises: 0004_accounts
Create Date: 2026-12-04 07:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_session_version"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
