"""number sort key and list indexes

Promise numbers sorted as text put TZ-2015-10000 before TZ-2015-2000; commitment.number_key
holds the number with every run of digits zero-padded to ten (TZ-0000002015-0000010000), filled
here from the numbers already in the register (the numbers themselves do not change). Indexes
for the list: (deadline, number_key) serves the default order (deadline NULLS LAST, then
number) on SQLite and PostgreSQL alike, and (ministry_id, status, deadline) the ministry and
status filters.

Revision ID: 6d2b8f4a1c39
Revises: 131a73c1c1ac
Create Date: 2026-11-27 09:00:00

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6d2b8f4a1c39'
down_revision = '131a73c1c1ac'
branch_labels = None
depends_on = None

#: As app.register.models.number_sort_key at the time of this revision.
_DIGITS = re.compile(r"[0-9]+")
BATCH = 5000


def _number_key(number):
    return _DIGITS.sub(lambda digits: digits[0].rjust(10, "0"), number)


def upgrade():
    # Plain ALTER TABLE, no batch: on SQLite a batch that rebuilt the table would drop its
    # full-text triggers, and its foreign keys would delete the promises' history with it.
    op.add_column('commitment', sa.Column('number_key', sa.String(length=200), nullable=True))

    connection = op.get_bind()
    commitment = sa.table(
        'commitment', sa.column('id', sa.Integer), sa.column('number', sa.String),
        sa.column('number_key', sa.String),
    )
    rows = connection.execute(sa.select(commitment.c.id, commitment.c.number)).all()
    update = (
        commitment.update()
        .where(commitment.c.id == sa.bindparam('row_id'))
        .values(number_key=sa.bindparam('key'))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(
            update,
            [{'row_id': id_, 'key': _number_key(number)} for id_, number in rows[start:start + BATCH]],
        )

    # The column stays nullable for the same reason (SQLite adds NOT NULL only by a rebuild).
    op.create_index('ix_commitment_number_key', 'commitment', ['number_key'], unique=True)
    op.create_index(
        'ix_commitment_deadline_number_key', 'commitment', ['deadline', 'number_key'], unique=False
    )
    op.create_index(
        'ix_commitment_ministry_status_deadline', 'commitment',
        ['ministry_id', 'status', 'deadline'], unique=False,
    )


def downgrade():
    op.drop_index('ix_commitment_ministry_status_deadline', table_name='commitment')
    op.drop_index('ix_commitment_deadline_number_key', table_name='commitment')
    op.drop_index('ix_commitment_number_key', table_name='commitment')
    op.drop_column('commitment', 'number_key')
