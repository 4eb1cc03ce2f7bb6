"""How a PostgreSQL transaction ends when nobody committed it (app.extensions
.keep_prepared_statements): one that changed nothing commits, so the statements PostgreSQL
prepared stay prepared; one that wrote, or failed, is rolled back as ever."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from app.extensions import db, keep_prepared_statements
from tests.conftest import POSTGRES_URL, make_app

pytestmark = pytest.mark.postgres

#: A statement run often enough for psycopg to prepare it (its threshold is five).
READ = sa.text("SELECT count(*) FROM pg_class WHERE relname = :name")


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    """One connection, so that every transaction below runs on the same server session."""
    engine = sa.create_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    keep_prepared_statements(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TEMPORARY TABLE delivered (number text)")
    yield engine
    engine.dispose()


def prepared(connection: sa.Connection) -> list[str]:
    return list(connection.scalars(sa.text("SELECT statement FROM pg_prepared_statements")))


def test_reading_transactions_keep_their_prepared_statements(engine: sa.Engine) -> None:
    for _ in range(7):
        with engine.connect() as connection:  # closed without commit, as a request's session
            connection.execute(READ, {"name": "commitment"})

    with engine.connect() as connection:
        assert "SELECT count(*) FROM pg_class WHERE relname = $1" in prepared(connection)


def test_a_transaction_that_wrote_is_still_rolled_back(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("INSERT INTO delivered VALUES ('TZ-2019-0001')"))

    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM delivered")) == 0


def test_a_failed_transaction_is_rolled_back(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("INSERT INTO delivered VALUES ('TZ-2019-0001')"))
        with pytest.raises(sa.exc.DataError):
            connection.execute(sa.text("SELECT 1 / 0"))

    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM delivered")) == 0
        connection.execute(READ, {"name": "commitment"})  # the connection works again


def test_the_application_ends_its_sessions_this_way() -> None:
    app = make_app(POSTGRES_URL)
    with app.app_context():
        for _ in range(7):
            db.session.execute(READ, {"name": "commitment"})
            db.session.remove()  # as at the end of every request

        assert "SELECT count(*) FROM pg_class WHERE relname = $1" in prepared(
            db.session.connection()
        )
        db.session.remove()
        db.engine.dispose()
