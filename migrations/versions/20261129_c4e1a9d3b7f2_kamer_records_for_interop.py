"""kamer records for interop

The Tweede Kamer's own registration of imported promises (``kamer_record``), the relations
between them (``kamer_relation``) and how far the sync has read (``kamer_sync_state``).
``commitment.hidden`` keeps a promise the Kamer deleted out of public view; the tallies count
only promises that are not hidden, so their triggers are redefined.

Revision ID: c4e1a9d3b7f2
Revises: e4a7c2b95d18
Create Date: 2026-11-29 14:00:00

"""

import sqlalchemy as sa
from alembic import op

import app.dbtypes

# revision identifiers, used by Alembic.
revision = "c4e1a9d3b7f2"
down_revision = "e4a7c2b95d18"
branch_labels = None
depends_on = None


ADD = (
    "INSERT INTO commitment_tally (ministry_id, status, total) "
    "SELECT new.ministry_id, new.status, 1 {where} "
    "ON CONFLICT (ministry_id, status) DO UPDATE SET total = total + 1"
)
REMOVE = (
    "UPDATE commitment_tally SET total = total - 1 "
    "WHERE ministry_id = old.ministry_id AND status = old.status{also}"
)


def sqlite_tally_triggers(*, with_hidden):
    """The three tally triggers of SQLite, counting hidden promises or not."""
    for operation in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS commitment_tally_{operation}")
    if with_hidden:
        add, remove = ADD.format(where="WHERE NOT new.hidden"), REMOVE.format(
            also=" AND NOT old.hidden"
        )
        insert_when, delete_when = "WHEN NOT new.hidden ", "WHEN NOT old.hidden "
        columns, moved = "ministry_id, status, hidden", " OR old.hidden IS NOT new.hidden"
    else:
        add, remove = ADD.format(where="WHERE true"), REMOVE.format(also="")
        insert_when = delete_when = moved = ""
        columns = "ministry_id, status"
    op.execute(
        f"CREATE TRIGGER commitment_tally_insert AFTER INSERT ON commitment {insert_when}"
        f"BEGIN {add}; END"
    )
    op.execute(
        f"CREATE TRIGGER commitment_tally_delete AFTER DELETE ON commitment {delete_when}"
        f"BEGIN {remove}; END"
    )
    op.execute(
        f"CREATE TRIGGER commitment_tally_update AFTER UPDATE OF {columns} ON commitment "
        "WHEN old.ministry_id IS NOT new.ministry_id OR old.status IS NOT new.status"
        f"{moved} BEGIN {remove}; {add}; END"
    )


def postgresql_tally_functions(*, with_hidden):
    """The tally functions of PostgreSQL (the triggers call them by name)."""
    visible_new = "WHERE NOT hidden " if with_hidden else ""
    visible_old = visible_new
    moved = "WHERE (o.ministry_id <> n.ministry_id OR o.status <> n.status"
    moved += " OR o.hidden <> n.hidden)" if with_hidden else ")"
    moved_rows = f"old_rows AS o JOIN new_rows AS n ON n.id = o.id {moved}"
    gone_also = " AND NOT o.hidden" if with_hidden else ""
    came_also = " AND NOT n.hidden" if with_hidden else ""
    bodies = {
        "commitment_tally_insert": (
            "BEGIN "
            "INSERT INTO commitment_tally (ministry_id, status, total) "
            f"SELECT ministry_id, status, count(*) FROM new_rows {visible_new}"
            "GROUP BY ministry_id, status "
            "ON CONFLICT (ministry_id, status) "
            "DO UPDATE SET total = commitment_tally.total + excluded.total; "
            "RETURN NULL; END"
        ),
        "commitment_tally_delete": (
            "BEGIN "
            "UPDATE commitment_tally AS tally SET total = tally.total - gone.removed "
            "FROM (SELECT ministry_id, status, count(*) AS removed FROM old_rows "
            f"{visible_old}GROUP BY ministry_id, status) AS gone "
            "WHERE tally.ministry_id = gone.ministry_id AND tally.status = gone.status; "
            "RETURN NULL; END"
        ),
        "commitment_tally_update": (
            "BEGIN "
            "UPDATE commitment_tally AS tally SET total = tally.total - gone.removed "
            "FROM (SELECT o.ministry_id, o.status, count(*) AS removed "
            f"FROM {moved_rows}{gone_also} GROUP BY o.ministry_id, o.status) AS gone "
            "WHERE tally.ministry_id = gone.ministry_id AND tally.status = gone.status; "
            "INSERT INTO commitment_tally (ministry_id, status, total) "
            f"SELECT n.ministry_id, n.status, count(*) FROM {moved_rows}{came_also} "
            "GROUP BY n.ministry_id, n.status "
            "ON CONFLICT (ministry_id, status) "
            "DO UPDATE SET total = commitment_tally.total + excluded.total; "
            "RETURN NULL; END"
        ),
    }
    for name, body in bodies.items():
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ {body} $$"
        )


def upgrade():
    # A plain ADD COLUMN (with its default): SQLite's batch mode would rebuild the table, and
    # with it drop the search and tally triggers.
    op.add_column(
        'commitment',
        sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    if op.get_bind().dialect.name == 'sqlite':
        sqlite_tally_triggers(with_hidden=True)
    else:
        postgresql_tally_functions(with_hidden=True)
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
    # Hidden promises count again, as they did before this revision.
    op.execute(
        "INSERT INTO commitment_tally (ministry_id, status, total) "
        "SELECT ministry_id, status, count(*) FROM commitment WHERE hidden "
        "GROUP BY ministry_id, status "
        "ON CONFLICT (ministry_id, status) DO UPDATE SET total = commitment_tally.total + "
        "excluded.total"
    )
    if op.get_bind().dialect.name == "sqlite":
        sqlite_tally_triggers(with_hidden=False)
    else:
        postgresql_tally_functions(with_hidden=False)
    op.drop_column("commitment", "hidden")
