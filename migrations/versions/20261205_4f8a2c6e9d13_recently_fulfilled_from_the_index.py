"""the overview's "recently fulfilled" read from the index alone on PostgreSQL too

The overview shows the five promises fulfilled last, the last recorded first on the same day:
``ORDER BY fulfilled_on DESC, id DESC`` among the fulfilled ones not hidden. SQLite keeps the
id in every index, so it read five entries; PostgreSQL sorted every promise fulfilled on the
latest day and visited each row to see whether it was hidden (11 ms at a million promises). The
status/fulfilment-date index now ends in ``id`` and ``hidden``.

Revision ID: 4f8a2c6e9d13
Revises: e2bddd17fbaf
Create Date: 2026-12-05 09:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "4f8a2c6e9d13"
down_revision = "e2bddd17fbaf"
branch_labels = None
depends_on = None

NAME = "ix_commitment_status_fulfilled_on"
BEFORE = ["status", "fulfilled_on"]
AFTER = ["status", "fulfilled_on", "id", "hidden"]


def upgrade():
    op.drop_index(NAME, table_name="commitment")
    op.create_index(NAME, "commitment", AFTER, unique=False)


def downgrade():
    op.drop_index(NAME, table_name="commitment")
    op.create_index(NAME, "commitment", BEFORE, unique=False)
