"""Flask extensions, created once here and initialised in :func:`app.create_app`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import psycopg
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_request_context, request, session
from flask_babel import Babel, lazy_gettext
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

#: Constraint names Alembic can find again on every database (SQLite included).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Log in om deze pagina te bekijken.")
login_manager.login_message_category = "info"

#: The languages the interface speaks; the first is the default.
LANGUAGES = ("nl", "en")


def select_locale() -> str:
    """Dutch unless the user chose English (``?lang=en``, remembered in the session). API
    clients (paths under ``/api/``) may ask with ``Accept-Language`` instead; ``lang`` still
    wins, and nothing is remembered for them."""
    if not has_request_context():
        return LANGUAGES[0]
    chosen = request.args.get("lang")
    if request.path.startswith("/api/"):
        if chosen in LANGUAGES:
            return chosen
        if request.accept_languages:
            return request.accept_languages.best_match(LANGUAGES, LANGUAGES[0])
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    remembered = session.get("lang")
    return remembered if remembered in LANGUAGES else LANGUAGES[0]


babel = Babel()


#: How long an SQLite writer waits for another one to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000


def configure_sqlite(engine: sa.Engine) -> None:
    """Make SQLite behave like the PostgreSQL we run in production.

    Foreign keys are enforced, and pysqlite's own transaction handling is replaced by
    plain BEGIN statements so that savepoints (and therefore rollbacks per test) work. A file
    database runs in WAL mode (readers never wait for a writer) and a writer that finds the
    database locked waits up to ``SQLITE_BUSY_TIMEOUT_MS`` instead of failing at once.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # Work that changes things takes the write lock at once: a transaction that read
        # first and then writes could not wait for another writer (SQLite answers "busy").
        writes = _changing_request() or _WRITING.get()
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


#: Set while scheduled work runs: its transactions write (see :func:`writing`).
_WRITING: ContextVar[bool] = ContextVar("writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside take SQLite's write lock at once, as a changing request's do.
    For the scheduler's jobs: they read and then write, and two of them run at the same
    second (sending and the heartbeat); the one that read first was refused at its write
    ("database is locked") instead of waiting for the other."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


#: How often (in SQLite virtual-machine steps) a running query checks its deadline.
_SQLITE_PROGRESS_STEPS = 10_000


def limit_request_queries(engine: sa.Engine, seconds: float) -> None:
    """Bound the database time of every web request: a query still running after ``seconds``
    is cancelled, the request answers 503 (app.errors) and the worker is free again.

    Only requests are bounded; commands and scheduled jobs may take as long as they need.
    PostgreSQL: ``SET LOCAL statement_timeout`` at the start of each request's transaction.
    SQLite: a progress handler that interrupts the query once the deadline has passed.
    """
    if seconds <= 0:
        return
    if engine.dialect.name == "postgresql":

        @sa.event.listens_for(engine, "begin")
        def _postgresql_deadline(connection: sa.Connection) -> None:
            # An autocommit read (the register's version) has no transaction to SET LOCAL in.
            autocommit = connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
            if has_request_context() and not autocommit:
                milliseconds = int(seconds * 1000)
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")

        return

    @sa.event.listens_for(engine, "connect")
    def _sqlite_progress_handler(dbapi_connection: Any, record: Any) -> None:
        info = record.info

        def past_deadline() -> int:
            deadline = info.get("query_deadline")
            return 1 if deadline is not None and time.monotonic() > deadline else 0

        dbapi_connection.set_progress_handler(past_deadline, _SQLITE_PROGRESS_STEPS)

    @sa.event.listens_for(engine, "begin")
    def _sqlite_deadline(connection: sa.Connection) -> None:
        connection.info["query_seconds"] = seconds
        connection.info["query_deadline"] = (
            time.monotonic() + seconds if has_request_context() else None
        )


def keep_prepared_statements(engine: sa.Engine) -> None:
    """End a PostgreSQL transaction that changed nothing with COMMIT instead of ROLLBACK.

    psycopg prepares a statement on the server after it ran five times on a connection, and
    PostgreSQL then plans it once instead of at every run; but at every ROLLBACK psycopg forgets
    all it prepared (the transaction might have dropped what they use). A request that only
    read ends in a rollback (the session is closed), so nothing stayed prepared, and the
    detail page's one statement spent 1.7 ms planning its eight joins and 0.3 ms running.
    A transaction without a transaction id (``txid_current_if_assigned()``) wrote nothing:
    committing it is the same as rolling it back. One that failed or wrote is rolled back.
    """
    dialect = engine.dialect
    roll_back = dialect.do_rollback

    def end_transaction(dbapi_connection: Any) -> None:
        if _changed_nothing(dbapi_connection):
            dbapi_connection.commit()
        else:
            roll_back(dbapi_connection)

    # The dialect object belongs to this engine alone; SQLAlchemy has no event that replaces
    # a rollback.
    dialect.do_rollback = end_transaction  # type: ignore[method-assign]


def _changed_nothing(dbapi_connection: Any) -> bool:
    if dbapi_connection.pgconn.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
        return False
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT txid_current_if_assigned() IS NULL")
        row = cursor.fetchone()
    return bool(row and row[0])


def renew_query_deadline(connection: sa.Connection) -> None:
    """Give the next batch of a streamed answer (a file of every promise) the request's whole
    time limit again: such an answer is many short reads, each bounded, not one long query.

    PostgreSQL needs nothing: ``statement_timeout`` bounds each ``FETCH`` of a server-side
    cursor by itself. On SQLite the deadline of the transaction is moved, if it has one."""
    if connection.info.get("query_deadline") is not None:
        connection.info["query_deadline"] = time.monotonic() + connection.info["query_seconds"]


_View = TypeVar("_View", bound=Callable[..., Any])


def changes_on_get(view: _View) -> _View:
    """Mark a view that changes the register although it answers GET (a confirmation link in
    an e-mail): on SQLite its transaction takes the write lock at once, as a POST's does. It
    read first and then wrote; when the mailer beside it had just marked a message sent,
    SQLite refused the write at once ("database is locked") and the visitor saw a 500."""
    view.changes_on_get = True  # type: ignore[attr-defined]
    return view


def _changing_request() -> bool:
    if not has_request_context():
        return False
    if request.method not in {"GET", "HEAD", "OPTIONS"}:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "changes_on_get", False))
