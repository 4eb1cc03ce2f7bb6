"""mail retry window and outbox alerts

Temporary mail failures are retried for MAIL_RETRY_DAYS from the first failure
(outbox_message.failing_since); admins can put a dead message aside (dismissed_at); the
admins' alert about a stuck outbox is a new kind of message, and each spell of trouble is a
row in outbox_alert (at most one open: the unique `is_open` column).

Revision ID: 131a73c1c1ac
Revises: 3c8e5b7d9a21
Create Date: 2026-11-26 09:20:00

"""
import sqlalchemy as sa
from alembic import op

import app.dbtypes

# revision identifiers, used by Alembic.
revision = '131a73c1c1ac'
down_revision = '3c8e5b7d9a21'
branch_labels = None
depends_on = None

KINDS = ['reminder', 'unassigned_digest', 'rappel', 'follow_confirmation', 'follow_notification']


def _kind_check(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    op.create_table(
        'outbox_alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('is_open', sa.Boolean(), nullable=True),
        sa.Column('opened_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('cleared_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('dead', sa.Integer(), nullable=False),
        sa.Column('stuck', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_alert')),
        sa.UniqueConstraint('is_open', name=op.f('uq_outbox_alert_is_open')),
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('failing_since', app.dbtypes.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('dismissed_at', app.dbtypes.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_constraint(op.f('ck_outbox_message_message_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outbox_message_message_kind'), _kind_check([*KINDS, 'outbox_alert'])
        )
    # A message already failing keeps retrying from its first recorded attempt on.
    op.execute("UPDATE outbox_message SET failing_since = created_at WHERE state = 'failed'")


def downgrade():
    op.execute("DELETE FROM outbox_message WHERE kind = 'outbox_alert'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_message_message_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outbox_message_message_kind'), _kind_check(KINDS)
        )
        batch_op.drop_column('dismissed_at')
        batch_op.drop_column('failing_since')
    op.drop_table('outbox_alert')
