"""invitation mail

An admin's invitation, or a new link to set a password, goes to the person by e-mail through
the outbox: a new kind of outbox message.

Revision ID: e4a7c2b95d18
Revises: b71e3c9d2a05
Create Date: 2026-11-29 09:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e4a7c2b95d18'
down_revision = 'b71e3c9d2a05'
branch_labels = None
depends_on = None

KINDS = [
    'reminder',
    'unassigned_digest',
    'rappel',
    'follow_confirmation',
    'follow_notification',
    'outbox_alert',
]


def _kind_check(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_message_message_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outbox_message_message_kind'), _kind_check([*KINDS, 'invitation'])
        )


def downgrade():
    op.execute("DELETE FROM outbox_message WHERE kind = 'invitation'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_message_message_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outbox_message_message_kind'), _kind_check(KINDS)
        )
