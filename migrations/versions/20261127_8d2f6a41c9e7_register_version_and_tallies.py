"""register version and status tallies, kept by triggers; indexes for the overview

``register_state`` holds one number that every statement changing what public pages show
raises; pages cached for anonymous readers are keyed on it. ``commitment_tally`` counts the
promises per ministry and status, so the overview need not count the archive. Both are kept by
triggers in the changing transaction, whoever writes (the app, a bulk load, a restore).

PostgreSQL: the version is raised BEFORE each statement, so a writer takes that one row lock
before any other; tallies are kept per statement from the transition tables. SQLite has row
triggers only. A later migration that rebuilds a register table on SQLite (batch mode) drops
its triggers: call create_sqlite_triggers() again at its end.

Revision ID: 8d2f6a41c9e7
Revises: 6d2b8f4a1c39
Create Date: 2026-11-26 11:05:00

"""
import time

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8d2f6a41c9e7"
down_revision = "6d2b8f4a1c39"
branch_labels = None
depends_on = None

#: The tables whose rows public pages, files and feeds show.
WATCHED_TABLES = (
    "ministry",
    "official",
    "committee",
    "document",
    "activity",
    "commitment",
    "commitment_event",
)
STATUSES = ("open", "partially_fulfilled", "fulfilled", "withdrawn")
OPERATIONS = ("insert", "update", "delete")
BUMP = "UPDATE register_state SET version = version + 1 WHERE id = 1"


def create_sqlite_triggers():
    for table in WATCHED_TABLES:
        for operation in OPERATIONS:
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS register_changed_{table}_{operation} "
                f"AFTER {operation.upper()} ON {table} BEGIN {BUMP}; END"
            )
    add = (
        "INSERT INTO commitment_tally (ministry_id, status, total) "
        "VALUES (new.ministry_id, new.status, 1) "
        "ON CONFLICT (ministry_id, status) DO UPDATE SET total = total + 1"
    )
    remove = (
        "UPDATE commitment_tally SET total = total - 1 "
        "WHERE ministry_id = old.ministry_id AND status = old.status"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_tally_insert AFTER INSERT ON commitment "
        f"BEGIN {add}; END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_tally_delete AFTER DELETE ON commitment "
        f"BEGIN {remove}; END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_tally_update "
        "AFTER UPDATE OF ministry_id, status ON commitment "
        "WHEN old.ministry_id IS NOT new.ministry_id OR old.status IS NOT new.status "
        f"BEGIN {remove}; {add}; END"
    )


def drop_sqlite_triggers():
    for table in WATCHED_TABLES:
        for operation in OPERATIONS:
            op.execute(f"DROP TRIGGER IF EXISTS register_changed_{table}_{operation}")
    for operation in OPERATIONS:
        op.execute(f"DROP TRIGGER IF EXISTS commitment_tally_{operation}")


#: The updated promises whose ministry or status changed: ``o`` before, ``n`` after.
MOVED = (
    "old_rows AS o JOIN new_rows AS n ON n.id = o.id "
    "WHERE o.ministry_id <> n.ministry_id OR o.status <> n.status"
)

PG_FUNCTIONS = {
    "register_changed": f"BEGIN {BUMP}; RETURN NULL; END",
    "commitment_tally_insert": (
        "BEGIN "
        "INSERT INTO commitment_tally (ministry_id, status, total) "
        "SELECT ministry_id, status, count(*) FROM new_rows GROUP BY ministry_id, status "
        "ON CONFLICT (ministry_id, status) "
        "DO UPDATE SET total = commitment_tally.total + excluded.total; "
        "RETURN NULL; END"
    ),
    "commitment_tally_delete": (
        "BEGIN "
        "UPDATE commitment_tally AS tally SET total = tally.total - gone.removed "
        "FROM (SELECT ministry_id, status, count(*) AS removed FROM old_rows "
        "GROUP BY ministry_id, status) AS gone "
        "WHERE tally.ministry_id = gone.ministry_id AND tally.status = gone.status; "
        "RETURN NULL; END"
    ),
    "commitment_tally_update": (
        "BEGIN "
        "UPDATE commitment_tally AS tally SET total = tally.total - gone.removed "
        "FROM (SELECT o.ministry_id, o.status, count(*) AS removed "
        f"FROM {MOVED} GROUP BY o.ministry_id, o.status) AS gone "
        "WHERE tally.ministry_id = gone.ministry_id AND tally.status = gone.status; "
        "INSERT INTO commitment_tally (ministry_id, status, total) "
        f"SELECT n.ministry_id, n.status, count(*) FROM {MOVED} "
        "GROUP BY n.ministry_id, n.status "
        "ON CONFLICT (ministry_id, status) "
        "DO UPDATE SET total = commitment_tally.total + excluded.total; "
        "RETURN NULL; END"
    ),
    "commitment_tally_truncate": "BEGIN DELETE FROM commitment_tally; RETURN NULL; END",
}


def create_postgresql_triggers():
    for name, body in PG_FUNCTIONS.items():
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ {body} $$"
        )
    for table in WATCHED_TABLES:
        op.execute(
            f"CREATE TRIGGER register_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION register_changed()"
        )
    transitions = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
    }
    for operation, referencing in transitions.items():
        op.execute(
            f"CREATE TRIGGER commitment_tally_{operation} AFTER {operation.upper()} "
            f"ON commitment {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION commitment_tally_{operation}()"
        )
    op.execute(
        "CREATE TRIGGER commitment_tally_truncate AFTER TRUNCATE ON commitment "
        "FOR EACH STATEMENT EXECUTE FUNCTION commitment_tally_truncate()"
    )


def drop_postgresql_triggers():
    for table in WATCHED_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS register_changed ON {table}")
    for operation in (*OPERATIONS, "truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS commitment_tally_{operation} ON commitment")
    for name in PG_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade():
    op.create_table(
        "register_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_register_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_state")),
    )
    op.create_table(
        "commitment_tally",
        sa.Column("ministry_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="tally_status", native_enum=False, create_constraint=True,
                    length=32),
            nullable=False,
        ),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_id"],
            ["ministry.id"],
            name=op.f("fk_commitment_tally_ministry_id_ministry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ministry_id", "status", name=op.f("pk_commitment_tally")),
    )
    # Starting from the clock, not 1: a process that cached pages of a database since dropped
    # and migrated again cannot mistake the new register for the old one.
    op.execute(
        sa.text("INSERT INTO register_state (id, version) VALUES (1, :start)").bindparams(
            start=time.time_ns() // 1000
        )
    )
    op.execute(
        "INSERT INTO commitment_tally (ministry_id, status, total) "
        "SELECT ministry_id, status, count(*) FROM commitment GROUP BY ministry_id, status"
    )
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_triggers()
    else:
        create_postgresql_triggers()
    # The overview's "recent voldaan", read backwards along the index; its overdue promises
    # per ministry counted from the index alone (the old index is a prefix of the new one).
    op.create_index(
        "ix_commitment_status_fulfilled_on", "commitment", ["status", "fulfilled_on"], unique=False
    )
    op.create_index(
        "ix_commitment_status_deadline_ministry",
        "commitment",
        ["status", "deadline", "ministry_id"],
        unique=False,
    )
    op.drop_index("ix_commitment_status_deadline", table_name="commitment")


def downgrade():
    op.create_index(
        "ix_commitment_status_deadline", "commitment", ["status", "deadline"], unique=False
    )
    op.drop_index("ix_commitment_status_deadline_ministry", table_name="commitment")
    op.drop_index("ix_commitment_status_fulfilled_on", table_name="commitment")
    if op.get_bind().dialect.name == "sqlite":
        drop_sqlite_triggers()
    else:
        drop_postgresql_triggers()
    op.drop_table("commitment_tally")
    op.drop_table("register_state")
