"""the list's indexes hold the promise's id, so PostgreSQL pages from the index alone

A page of the list first picks its promises' ids along an index (OFFSET for page numbers, a
range for cursors). SQLite keeps the id in every index; PostgreSQL does not, so it visited the
table for each skipped entry: page 400 at 100,000 promises took 7.6 ms instead of 1.0. The two
indexes the list pages along now end in ``id``. The index on ministry and status alone goes:
the ministry/status/deadline index starts with the same columns.

Revision ID: 7c2f9e4b1a35
Revises: 9e3c71d4a2b8
Create Date: 2026-12-03 09:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7c2f9e4b1a35"
down_revision = "9e3c71d4a2b8"
branch_labels = None
depends_on = None

#: Index name → (columns before, columns after).
INDEXES = {
    "ix_commitment_deadline_number_key": (
        ["deadline", "number_key", "hidden", "status", "ministry_id"],
        ["deadline", "number_key", "hidden", "status", "ministry_id", "id"],
    ),
    "ix_commitment_ministry_status_deadline": (
        ["ministry_id", "status", "deadline", "number_key", "hidden"],
        ["ministry_id", "status", "deadline", "number_key", "hidden", "id"],
    ),
}
#: The index the ministry/status/deadline index makes redundant.
MINISTRY_STATUS = ("ix_commitment_ministry_id_status", ["ministry_id", "status"])


def _recreate(which: int) -> None:
    for name, columns in INDEXES.items():
        op.drop_index(name, table_name="commitment")
        op.create_index(name, "commitment", columns[which], unique=False)


def upgrade():
    _recreate(1)
    op.drop_index(MINISTRY_STATUS[0], table_name="commitment")


def downgrade():
    op.create_index(MINISTRY_STATUS[0], "commitment", MINISTRY_STATUS[1], unique=False)
    _recreate(0)
