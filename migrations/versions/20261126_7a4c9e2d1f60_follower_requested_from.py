"""follower requested from

Where a follow request came from, so that one client cannot ask for many addresses.

Revision ID: 7a4c9e2d1f60
Revises: 5e1f0c2a7b3d
Create Date: 2026-11-26 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7a4c9e2d1f60'
down_revision = '5e1f0c2a7b3d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('follower', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_from', sa.String(length=45), nullable=True))
        batch_op.create_index(
            'ix_follower_requested_from_created_at', ['requested_from', 'created_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('follower', schema=None) as batch_op:
        batch_op.drop_index('ix_follower_requested_from_created_at')
        batch_op.drop_column('requested_from')
