"""audit log

Sessions and account changes (logins, failed and throttled logins, logouts, invitations, role
and ministry changes, deactivations, passwords set and links made) for the admins' audit log.

Revision ID: 94316ff00612
Revises: 7a4c9e2d1f60
Create Date: 2026-11-26 08:24:39.003787

"""
import sqlalchemy as sa
from alembic import op

import app.dbtypes

# revision identifiers, used by Alembic.
revision = '94316ff00612'
down_revision = '7a4c9e2d1f60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('login', 'login_failed', 'login_throttled', 'logout', 'user_invited', 'user_changed', 'user_deactivated', 'user_reactivated', 'password_set', 'password_link', name='audit_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('subject_email', sa.String(length=254), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_kind_occurred_at', ['kind', 'occurred_at'], unique=False)
        batch_op.create_index('ix_audit_event_occurred_at', ['occurred_at'], unique=False)
        batch_op.create_index('ix_audit_event_subject_email', ['subject_email'], unique=False)



def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_subject_email')
        batch_op.drop_index('ix_audit_event_occurred_at')
        batch_op.drop_index('ix_audit_event_kind_occurred_at')

    op.drop_table('audit_event')
