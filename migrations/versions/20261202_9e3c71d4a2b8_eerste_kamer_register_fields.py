"""the Eerste Kamer's register fields: kind of activity, category and subjects

The Eerste Kamer's register of toezeggingen gives each promise a "Soort activiteit", a
"Categorie" and its "Onderwerpen"; a sheet in that shape now keeps them (DESIGN §13) in three
nullable text columns of ``commitment``. No trigger or index reads them.

Revision ID: 9e3c71d4a2b8
Revises: a3c5e7f9b1d2
Create Date: 2026-12-02 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9e3c71d4a2b8"
down_revision = "a3c5e7f9b1d2"
branch_labels = None
depends_on = None

COLUMNS = (("kamer_activity_kind", 100), ("kamer_category", 100), ("kamer_subjects", 500))


def upgrade():
    for name, length in COLUMNS:
        op.add_column("commitment", sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    for name, _length in reversed(COLUMNS):
        op.drop_column("commitment", name)
