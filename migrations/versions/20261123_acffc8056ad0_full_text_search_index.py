"""full-text search index

SQLite: an FTS5 table over commitment (number, title, text, deadline_phrase), kept current by
triggers. PostgreSQL: a GIN index on the Dutch tsvector of the same columns. Neither is in the
models; app.register.search.outside_models tells autogenerate to leave them alone.

A later migration that rebuilds the commitment table on SQLite (batch mode) drops the triggers:
call create_sqlite_search() again at its end.

Revision ID: acffc8056ad0
Revises: 0be0b904f79a
Create Date: 2026-11-23 12:15:04

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'acffc8056ad0'
down_revision = '0be0b904f79a'
branch_labels = None
depends_on = None

COLUMNS = "number, title, text, deadline_phrase"
NEW = "new.id, new.number, new.title, new.text, new.deadline_phrase"
OLD = "'delete', old.id, old.number, old.title, old.text, old.deadline_phrase"


def create_sqlite_search():
    op.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS commitment_fts USING fts5("
        f"{COLUMNS}, content='commitment', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_fts_after_insert AFTER INSERT ON commitment "
        f"BEGIN INSERT INTO commitment_fts(rowid, {COLUMNS}) VALUES ({NEW}); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_fts_after_delete AFTER DELETE ON commitment "
        f"BEGIN INSERT INTO commitment_fts(commitment_fts, rowid, {COLUMNS}) VALUES ({OLD}); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS commitment_fts_after_update AFTER UPDATE ON commitment "
        f"BEGIN INSERT INTO commitment_fts(commitment_fts, rowid, {COLUMNS}) VALUES ({OLD}); "
        f"INSERT INTO commitment_fts(rowid, {COLUMNS}) VALUES ({NEW}); END"
    )
    op.execute("INSERT INTO commitment_fts(commitment_fts) VALUES ('rebuild')")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_search()
    else:
        op.execute(
            "CREATE INDEX ix_commitment_search_dutch ON commitment USING gin "
            "(to_tsvector('dutch'::regconfig, coalesce(number, '') || ' ' || "
            "coalesce(title, '') || ' ' || coalesce(text, '') || ' ' || "
            "coalesce(deadline_phrase, '')))"
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("after_insert", "after_delete", "after_update"):
            op.execute(f"DROP TRIGGER IF EXISTS commitment_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS commitment_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_commitment_search_dutch")
