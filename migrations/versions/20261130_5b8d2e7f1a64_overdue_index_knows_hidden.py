"""the status/deadline index knows which promises are hidden

The overview counts overdue promises per ministry from ``ix_commitment_status_deadline_ministry``
alone. Since hidden promises (the Kamer deleted them) are left out of that count, the index
holds ``hidden`` too: without it every overdue promise's row was read (at 100,000 promises on
SQLite 26 ms instead of 6).

Revision ID: 5b8d2e7f1a64
Revises: c4e1a9d3b7f2
Create Date: 2026-11-30 09:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5b8d2e7f1a64"
down_revision = "c4e1a9d3b7f2"
branch_labels = None
depends_on = None

INDEX = "ix_commitment_status_deadline_ministry"


def upgrade():
    op.drop_index(INDEX, table_name="commitment")
    op.create_index(
        INDEX, "commitment", ["status", "deadline", "ministry_id", "hidden"], unique=False
    )


def downgrade():
    op.drop_index(INDEX, table_name="commitment")
    op.create_index(INDEX, "commitment", ["status", "deadline", "ministry_id"], unique=False)
