"""outstanding promises per ministry and deadline month, kept by triggers

The overview counted its overdue promises per ministry from the status/deadline index: every
outstanding, visible promise past its deadline, ~12,000 index entries at 100,000 promises and
~120,000 at 1,000,000, the one public page whose cost grew with the archive. What is overdue
changes with the day, but a month once past stays past: ``commitment_deadline_tally`` counts
the outstanding (open or partially fulfilled), not hidden promises per ministry and deadline
month, and the overview adds the months before today's month from it and counts only this
month's deadlines before today from the table (a short range of the same index).

Kept like ``commitment_tally`` (revision 8d2f6a41c9e7): in the changing transaction, whoever
writes. PostgreSQL per statement from the transition tables (also TRUNCATE); SQLite per row.
A later migration that rebuilds ``commitment`` on SQLite (batch mode) drops its triggers: call
create_sqlite_triggers() of this revision again at its end.

Revision ID: e2bddd17fbaf
Revises: 7c2f9e4b1a35
Create Date: 2026-12-04 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e2bddd17fbaf"
down_revision = "7c2f9e4b1a35"
branch_labels = None
depends_on = None

OPERATIONS = ("insert", "update", "delete")

#: SQL of a promise (row alias ``{r}``) the tally counts, on either database.
COUNTED = (
    "{r}.status IN ('open', 'partially_fulfilled') AND NOT {r}.hidden AND {r}.deadline IS NOT NULL"
)
#: SQL of the first day of the month of a deadline, per database.
MONTH = {
    "sqlite": "date({r}.deadline, 'start of month')",
    "postgresql": "CAST(date_trunc('month', CAST({r}.deadline AS timestamp)) AS date)",
}


def counted(row):
    return COUNTED.format(r=row)


def month(dialect, row):
    return MONTH[dialect].format(r=row)


def create_sqlite_triggers():
    add = (
        "INSERT INTO commitment_deadline_tally (ministry_id, month, total) "
        f"SELECT new.ministry_id, {month('sqlite', 'new')}, 1 WHERE {counted('new')} "
        "ON CONFLICT (ministry_id, month) DO UPDATE SET total = total + 1"
    )
    remove = (
        "UPDATE commitment_deadline_tally SET total = total - 1 "
        f"WHERE ministry_id = old.ministry_id AND month = {month('sqlite', 'old')} "
        f"AND {counted('old')}"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_deadline_tally_insert "
        f"AFTER INSERT ON commitment WHEN {counted('new')} BEGIN {add}; END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_deadline_tally_delete "
        f"AFTER DELETE ON commitment WHEN {counted('old')} BEGIN {remove}; END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_deadline_tally_update "
        "AFTER UPDATE OF ministry_id, status, deadline, hidden ON commitment "
        "WHEN old.ministry_id IS NOT new.ministry_id OR old.status IS NOT new.status "
        "OR old.deadline IS NOT new.deadline OR old.hidden IS NOT new.hidden "
        f"BEGIN {remove}; {add}; END"
    )


def drop_sqlite_triggers():
    for operation in OPERATIONS:
        op.execute(f"DROP TRIGGER IF EXISTS commitment_deadline_tally_{operation}")


#: The updated promises whose ministry, status, deadline or hiding changed: ``o`` before,
#: ``n`` after.
MOVED = (
    "old_rows AS o JOIN new_rows AS n ON n.id = o.id "
    "WHERE (o.ministry_id <> n.ministry_id OR o.status <> n.status "
    "OR o.deadline IS DISTINCT FROM n.deadline OR o.hidden <> n.hidden)"
)
ADD_FROM = (
    "INSERT INTO commitment_deadline_tally (ministry_id, month, total) "
    "SELECT {r}.ministry_id, {month}, count(*) FROM {rows} AND {counted} "
    "GROUP BY {r}.ministry_id, {month} "
    "ON CONFLICT (ministry_id, month) "
    "DO UPDATE SET total = commitment_deadline_tally.total + excluded.total; "
)
REMOVE_FROM = (
    "UPDATE commitment_deadline_tally AS tally SET total = tally.total - gone.removed "
    "FROM (SELECT {r}.ministry_id, {month} AS month, count(*) AS removed "
    "FROM {rows} AND {counted} GROUP BY {r}.ministry_id, {month}) AS gone "
    "WHERE tally.ministry_id = gone.ministry_id AND tally.month = gone.month; "
)


def _add(row, rows):
    return ADD_FROM.format(r=row, rows=rows, month=month("postgresql", row), counted=counted(row))


def _remove(row, rows):
    return REMOVE_FROM.format(
        r=row, rows=rows, month=month("postgresql", row), counted=counted(row)
    )


PG_FUNCTIONS = {
    "commitment_deadline_tally_insert": (
        f"BEGIN {_add('n', 'new_rows AS n WHERE true')} RETURN NULL; END"
    ),
    "commitment_deadline_tally_delete": (
        f"BEGIN {_remove('o', 'old_rows AS o WHERE true')} RETURN NULL; END"
    ),
    "commitment_deadline_tally_update": (
        f"BEGIN {_remove('o', MOVED)}{_add('n', MOVED)} RETURN NULL; END"
    ),
    "commitment_deadline_tally_truncate": (
        "BEGIN DELETE FROM commitment_deadline_tally; RETURN NULL; END"
    ),
}


def create_postgresql_triggers():
    for name, body in PG_FUNCTIONS.items():
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"
        )
    transitions = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
    }
    for operation, referencing in transitions.items():
        op.execute(
            f"CREATE TRIGGER commitment_deadline_tally_{operation} AFTER {operation.upper()} "
            f"ON commitment {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION commitment_deadline_tally_{operation}()"
        )
    op.execute(
        "CREATE TRIGGER commitment_deadline_tally_truncate AFTER TRUNCATE ON commitment "
        "FOR EACH STATEMENT EXECUTE FUNCTION commitment_deadline_tally_truncate()"
    )


def drop_postgresql_triggers():
    for operation in (*OPERATIONS, "truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS commitment_deadline_tally_{operation} ON commitment")
    for name in PG_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade():
    op.create_table(
        "commitment_deadline_tally",
        sa.Column("ministry_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_id"],
            ["ministry.id"],
            name=op.f("fk_commitment_deadline_tally_ministry_id_ministry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ministry_id", "month", name=op.f("pk_commitment_deadline_tally")),
    )
    dialect = op.get_bind().dialect.name
    # The triggers first: on PostgreSQL creating them locks out writers until this transaction
    # ends (and waits for those under way), so the count below misses no change and no change
    # is counted twice.
    if dialect == "sqlite":
        create_sqlite_triggers()
    else:
        create_postgresql_triggers()
    op.execute(
        "INSERT INTO commitment_deadline_tally (ministry_id, month, total) "
        f"SELECT c.ministry_id, {month(dialect, 'c')}, count(*) FROM commitment AS c "
        f"WHERE {counted('c')} GROUP BY c.ministry_id, {month(dialect, 'c')}"
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        drop_sqlite_triggers()
    else:
        drop_postgresql_triggers()
    op.drop_table("commitment_deadline_tally")
