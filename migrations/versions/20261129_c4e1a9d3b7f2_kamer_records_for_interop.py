"""kamer records for interop

The Tweede Kamer's own registration of imported promises (``kamer_record``), the relations
between them (``kamer_relation``) and how far the sync has read (``kamer_sync_state``).

Revision ID: c4e1a9d3b7f2
Revises: b71e3c9d2a05
Create Date: 2026-11-29 14:00:00

"""

import sqlalchemy as sa
from alembic import op

import app.dbtypes

# revision identifiers, used by Alembic.
revision = "c4e1a9d3b7f2"
down_revision = "b71e3c9d2a05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kamer_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kamer_id", sa.String(length=36), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("initials", sa.String(length=40), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("infix", sa.String(length=40), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=True),
        sa.Column("function", sa.String(length=200), nullable=True),
        sa.Column("ministry", sa.String(length=200), nullable=True),
        sa.Column("created_on", sa.String(length=40), nullable=True),
        sa.Column("activity_number", sa.String(length=40), nullable=True),
        sa.Column("fulfilling_letter", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("promised_to_person", sa.String(length=200), nullable=True),
        sa.Column("promised_to_party", sa.String(length=100), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("changed_on", sa.String(length=40), nullable=False),
        sa.Column("changed_at", app.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("api_changed_on", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_kamer_record_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kamer_record")),
        sa.UniqueConstraint("commitment_id", name=op.f("uq_kamer_record_commitment_id")),
        sa.UniqueConstraint("kamer_id", name=op.f("uq_kamer_record_kamer_id")),
    )
    with op.batch_alter_table("kamer_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kamer_record_changed_at"), ["changed_at"])
    op.create_table(
        "kamer_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_kamer_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["kamer_record.id"],
            name=op.f("fk_kamer_relation_record_id_kamer_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kamer_relation")),
        sa.UniqueConstraint("record_id", "kind", "target_kamer_id", name="uq_kamer_relation"),
    )
    with op.batch_alter_table("kamer_relation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kamer_relation_record_id"), ["record_id"])
        batch_op.create_index(batch_op.f("ix_kamer_relation_target_kamer_id"), ["target_kamer_id"])
    op.create_table(
        "kamer_sync_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("changed_since", app.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", app.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_kamer_sync_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kamer_sync_state")),
    )


def downgrade():
    op.drop_table("kamer_sync_state")
    with op.batch_alter_table("kamer_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kamer_relation_target_kamer_id"))
        batch_op.drop_index(batch_op.f("ix_kamer_relation_record_id"))
    op.drop_table("kamer_relation")
    with op.batch_alter_table("kamer_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kamer_record_changed_at"))
    op.drop_table("kamer_record")
