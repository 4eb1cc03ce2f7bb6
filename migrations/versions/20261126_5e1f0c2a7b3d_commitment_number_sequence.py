"""commitment number sequence

One row per year with the last number handed out, so that two promises saved at the same
moment never get the same number. Filled from the numbers already in the register.

Revision ID: 5e1f0c2a7b3d
Revises: 2955a31fc63c
Create Date: 2026-11-26 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e1f0c2a7b3d'
down_revision = '2955a31fc63c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'commitment_number_sequence',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_commitment_number_sequence')),
    )
    # TZ-2019-0007: the year at characters 4-7, the sequence from character 9 on.
    op.execute(
        "INSERT INTO commitment_number_sequence (year, last_number) "
        "SELECT CAST(substr(number, 4, 4) AS INTEGER), MAX(CAST(substr(number, 9) AS INTEGER)) "
        "FROM commitment WHERE number LIKE 'TZ-____-%' "
        "GROUP BY CAST(substr(number, 4, 4) AS INTEGER)"
    )


def downgrade():
    op.drop_table('commitment_number_sequence')
