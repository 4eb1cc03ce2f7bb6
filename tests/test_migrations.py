"""The migrations build exactly the models' schema, and every revision goes down and up again,
also with the seed data in the tables (after SecureDrop's test_alembic.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from app import MIGRATIONS_DIR
from app.extensions import db
from app.register.models import Commitment
from app.register.search import outside_models
from app.register.seeding import load_seeds
from tests.conftest import database_url, make_app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def revisions_base_to_head() -> list[str]:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@pytest.fixture
def empty_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An app whose database holds nothing yet, not even Alembic's version table."""
    application = make_app(database_url(backend, tmp_path, "migration_tests"))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda _o, name, type_, _r, _c: not outside_models(name, type_),
            },
        )
        return list(compare_metadata(context, db.metadata))


def table_names() -> set[str]:
    names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not outside_models(name, "table")}


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrade_head_gives_exactly_the_models_schema(empty_app):
    flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    assert schema_differences() == []
    assert table_names() == set(db.metadata.tables)


def test_every_revision_goes_down_and_up_again(empty_app):
    revisions = revisions_base_to_head()
    assert revisions, "no migrations found"
    for revision in revisions:
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
        assert current_revision() == revision
        flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision="-1")
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
        assert current_revision() == revision
    assert schema_differences() == []


def test_downgrade_to_base_and_back_with_data_in_the_tables(empty_app):
    flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    load_seeds(SEEDS)
    db.session.commit()
    db.session.remove()

    for _ in revisions_base_to_head():
        flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision="-1")
    assert current_revision() is None
    assert table_names() == set()

    flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    report = load_seeds(SEEDS)
    db.session.commit()
    assert report.added["commitments"] == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 12
