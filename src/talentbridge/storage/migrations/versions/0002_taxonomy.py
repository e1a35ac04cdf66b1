"""taxonomy: skills, occupations, labels, relations, skill and ISCO groups, meta

The built-in AI taxonomy is loaded after the migration by ``ensure_builtin_taxonomy`` (Database._after_upgrade).

Revision ID: 0002_taxonomy
Revises: 0001_foundation
Create Date: 2026-11-25 14:19:22.863140
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_taxonomy"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "isco_groups",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("label_en", sa.String(length=500), nullable=False),
        sa.Column("label_ko", sa.String(length=500), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_isco_groups")),
    )
    op.create_table(
        "occupations",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("esco_uri", sa.String(length=300), nullable=True),
        sa.Column("label_en", sa.String(length=500), nullable=False),
        sa.Column("label_ko", sa.String(length=500), nullable=False),
        sa.Column(
            "alt_en", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "alt_ko", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_ko", sa.Text(), nullable=False),
        sa.Column(
            "broader", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("esco", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occupations")),
        sa.UniqueConstraint("esco_uri", name=op.f("uq_occupations_esco_uri")),
        sa.UniqueConstraint("uri", name=op.f("uq_occupations_uri")),
    )
    with op.batch_alter_table("occupations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupations_builtin"), ["builtin"], unique=False)
        batch_op.create_index(batch_op.f("ix_occupations_isco_code"), ["isco_code"], unique=False)

    op.create_table(
        "skill_groups",
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label_en", sa.String(length=500), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column(
            "broader", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("uri", name=op.f("pk_skill_groups")),
    )
    op.create_table(
        "skills",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("esco_uri", sa.String(length=300), nullable=True),
        sa.Column("label_en", sa.String(length=500), nullable=False),
        sa.Column("label_ko", sa.String(length=500), nullable=False),
        sa.Column(
            "alt_en", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "alt_ko", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("family", sa.String(length=50), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_ko", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("esco", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("esco_uri", name=op.f("uq_skills_esco_uri")),
        sa.UniqueConstraint("uri", name=op.f("uq_skills_uri")),
    )
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skills_builtin"), ["builtin"], unique=False)
        batch_op.create_index(batch_op.f("ix_skills_family"), ["family"], unique=False)
        batch_op.create_index(batch_op.f("ix_skills_type"), ["type"], unique=False)

    op.create_table(
        "taxonomy_meta",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column(
            "value", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_taxonomy_meta")),
    )
    op.create_table(
        "occupation_labels",
        sa.Column("occupation_id", sa.String(length=300), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("norm", sa.String(length=500), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupations.id"],
            name=op.f("fk_occupation_labels_occupation_id_occupations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("occupation_id", "lang", "label", name=op.f("pk_occupation_labels")),
    )
    with op.batch_alter_table("occupation_labels", schema=None) as batch_op:
        batch_op.create_index(
            "ix_occupation_labels_norm", ["norm"], unique=False, postgresql_ops={"norm": "varchar_pattern_ops"}
        )

    op.create_table(
        "occupation_skills",
        sa.Column("occupation_id", sa.String(length=300), nullable=False),
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupations.id"],
            name=op.f("fk_occupation_skills_occupation_id_occupations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_occupation_skills_skill_id_skills"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("occupation_id", "skill_id", name=op.f("pk_occupation_skills")),
    )
    with op.batch_alter_table("occupation_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupation_skills_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "skill_labels",
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("norm", sa.String(length=500), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_skill_labels_skill_id_skills"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("skill_id", "lang", "label", name=op.f("pk_skill_labels")),
    )
    with op.batch_alter_table("skill_labels", schema=None) as batch_op:
        batch_op.create_index(
            "ix_skill_labels_norm", ["norm"], unique=False, postgresql_ops={"norm": "varchar_pattern_ops"}
        )

    op.create_table(
        "skill_relations",
        sa.Column("skill_id", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.String(length=300), nullable=False),
        sa.Column("relation_type", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_skill_relations_skill_id_skills"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("skill_id", "kind", "target_id", name=op.f("pk_skill_relations")),
    )
    with op.batch_alter_table("skill_relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skill_relations_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("skill_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_relations_target_id"))

    op.drop_table("skill_relations")
    with op.batch_alter_table("skill_labels", schema=None) as batch_op:
        batch_op.drop_index("ix_skill_labels_norm", postgresql_ops={"norm": "varchar_pattern_ops"})

    op.drop_table("skill_labels")
    with op.batch_alter_table("occupation_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupation_skills_skill_id"))

    op.drop_table("occupation_skills")
    with op.batch_alter_table("occupation_labels", schema=None) as batch_op:
        batch_op.drop_index("ix_occupation_labels_norm", postgresql_ops={"norm": "varchar_pattern_ops"})

    op.drop_table("occupation_labels")
    op.drop_table("taxonomy_meta")
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skills_type"))
        batch_op.drop_index(batch_op.f("ix_skills_family"))
        batch_op.drop_index(batch_op.f("ix_skills_builtin"))

    op.drop_table("skills")
    op.drop_table("skill_groups")
    with op.batch_alter_table("occupations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupations_isco_code"))
        batch_op.drop_index(batch_op.f("ix_occupations_builtin"))

    op.drop_table("occupations")
    op.drop_table("isco_groups")
