"""scheduler heartbeat

One row the scheduler process rewrites every minute (host, pid, start and last beat), so that
/readyz and /metrics can tell whether a scheduler is running.

Revision ID: b71e3c9d2a05
Revises: 8d2f6a41c9e7
Create Date: 2026-11-28 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import app.dbtypes

# revision identifiers, used by Alembic.
revision = "b71e3c9d2a05"
down_revision = "8d2f6a41c9e7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_heartbeat",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("beat_at", app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_scheduler_heartbeat_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_heartbeat")),
    )


def downgrade():
    op.drop_table("scheduler_heartbeat")
