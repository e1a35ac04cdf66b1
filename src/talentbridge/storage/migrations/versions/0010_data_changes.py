"""change counters of talents, openings, organizations and programs, raised by triggers (storage/change_tables.py)

Revision ID: 0010_data_changes
Revises: 0001_foundation
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op

revision = "0010_data_changes"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

# As storage/change_tables.py says (written out here: a migration does not change when the code does).
TRACKED = {
    "talents": ("INSERT", "UPDATE", "DELETE"),
    "openings": ("INSERT", "UPDATE", "DELETE"),
    "organizations": ("INSERT", "UPDATE", "DELETE"),
    "programs": ("INSERT", "UPDATE", "DELETE"),
}


# The counter a write raises: talents added have their own (``talents_added``), other writes the table's.
def _counter(table: str, event: str) -> str:
    return "talents_added" if (table, event) == ("talents", "INSERT") else table


# Once per transaction and counter (a transaction-local setting), at the commit (deferred): the row is locked for
# an instant.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION talentbridge_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counter text := CASE WHEN TG_TABLE_NAME = 'talents' AND TG_OP = 'INSERT' THEN 'talents_added' ELSE TG_TABLE_NAME END;
BEGIN
  IF coalesce(current_setting('talentbridge.changed_' || counter, true), '') <> 'y' THEN
    EXECUTE format('UPDATE data_changes SET %I = %I + 1 WHERE id = 1', counter, counter);
    PERFORM set_config('talentbridge.changed_' || counter, 'y', true);
  END IF;
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "data_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talents", sa.BigInteger(), nullable=False),
        sa.Column("talents_added", sa.BigInteger(), nullable=False),
        sa.Column("openings", sa.BigInteger(), nullable=False),
        sa.Column("organizations", sa.BigInteger(), nullable=False),
        sa.Column("programs", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_changes")),
    )
    # from the time in milliseconds: a new database never shares counter values with an earlier one at its address
    start = int(time.time() * 1000)
    op.execute(
        "INSERT INTO data_changes (id, talents, talents_added, openings, organizations, programs) "
        f"VALUES (1, {start}, {start}, {start}, {start}, {start})"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table, events in TRACKED.items():
            op.execute(
                f"CREATE CONSTRAINT TRIGGER data_changes_{table} AFTER {' OR '.join(events)} ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION talentbridge_count_change()"
            )
        return
    for table, events in TRACKED.items():
        for event in events:
            op.execute(
                f"CREATE TRIGGER data_changes_{table}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN UPDATE data_changes SET {_counter(table, event)} = {_counter(table, event)} + 1 "
                "WHERE id = 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
            op.execute(f"DROP TRIGGER IF EXISTS data_changes_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS talentbridge_count_change()")
    else:
        for table, events in TRACKED.items():
            for event in events:
                op.execute(f"DROP TRIGGER IF EXISTS data_changes_{table}_{event.lower()}")
    op.drop_table("data_changes")
