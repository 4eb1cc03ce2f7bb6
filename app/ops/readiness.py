"""``/readyz``: may this process be sent traffic? (DESIGN §6)

Ready means all of:

- **database**: it answers, within :data:`CHECK_TIMEOUT_SECONDS`;
- **schema**: ``alembic_version`` holds exactly the head revision of the migrations this code
  was shipped with (read once, when the app is built): a host running new code against an
  unmigrated database, or old code against a newer schema, is not ready;
- **scheduler** (unless ``SCHEDULER_EXPECTED`` is off): its heartbeat is at most
  ``SCHEDULER_STALE_MINUTES`` old.

The checks run on a connection of their own: on PostgreSQL from a one-connection pool that gives
up connecting after :data:`CHECK_TIMEOUT_SECONDS` and runs each statement under the same
``statement_timeout``, so a database that hangs makes ``/readyz`` answer 503, not hang, and a
pool full of slow requests does not hold it up. SQLite is a local file: the app's engine.
The reasons are short and say nothing of hosts or error texts.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask, current_app

from app.dbtypes import utcnow
from app.extensions import db
from app.reminders.models import SchedulerHeartbeat

#: How long the database may take to connect, and then to answer each statement.
CHECK_TIMEOUT_SECONDS = 2
_ENGINE_KEY = "ops.readiness_engine"
_HEADS_KEY = "ops.alembic_heads"


@functools.cache
def code_heads(migrations_dir: Path) -> frozenset[str]:
    """The head revision(s) of the migrations in ``migrations_dir``; read once per process."""
    return frozenset(ScriptDirectory(str(migrations_dir)).get_heads())


def init_app(app: Flask, migrations_dir: Path) -> None:
    app.extensions[_HEADS_KEY] = code_heads(migrations_dir)


def _engine() -> sa.Engine:
    """The engine the checks use (see the module's text)."""
    engine: sa.Engine = db.engine
    if engine.dialect.name != "postgresql":
        return engine
    own = current_app.extensions.get(_ENGINE_KEY)
    if own is None:
        own = sa.create_engine(
            engine.url,
            pool_size=1,
            max_overflow=1,
            pool_timeout=CHECK_TIMEOUT_SECONDS,
            pool_pre_ping=True,
            connect_args={"connect_timeout": CHECK_TIMEOUT_SECONDS},
        )
        current_app.extensions[_ENGINE_KEY] = own
    return own


@dataclass(frozen=True)
class Readiness:
    """The failing checks, each ``(name, reason)``; none means ready."""

    failures: tuple[tuple[str, str], ...]

    @property
    def ready(self) -> bool:
        return not self.failures

    def text(self) -> str:
        if self.ready:
            return "ok"
        return "".join(f"{name}: {reason}\n" for name, reason in self.failures)


_VERSIONS = sa.text("SELECT version_num FROM alembic_version")
_HEARTBEAT = sa.select(SchedulerHeartbeat.beat_at).where(SchedulerHeartbeat.id == 1)


def _schema_failure(found: frozenset[str], expected: frozenset[str]) -> str | None:
    if found == expected:
        return None
    at = ", ".join(sorted(found)) or "none"
    return f"database at revision {at}, this code needs {', '.join(sorted(expected))}"


def _heartbeat_failure(
    beat_at: dt.datetime | None, now: dt.datetime, stale: dt.timedelta
) -> str | None:
    if beat_at is None:
        return "no heartbeat yet (is `flask scheduler` running?)"
    age = now - beat_at
    if age <= stale:
        return None
    minutes = int(age.total_seconds() // 60)
    return (
        f"last heartbeat {beat_at.isoformat(timespec='seconds')}, {minutes} minutes ago "
        f"(limit {stale.total_seconds() / 60:g})"
    )


def check(now: dt.datetime | None = None) -> Readiness:
    """Run the checks (at most three short statements on one connection)."""
    now = now or utcnow()
    expected: frozenset[str] = current_app.extensions[_HEADS_KEY]
    expect_scheduler = current_app.config["SCHEDULER_EXPECTED"]
    stale = dt.timedelta(minutes=float(current_app.config["SCHEDULER_STALE_MINUTES"]))
    failures: list[tuple[str, str]] = []
    try:
        with _engine().connect() as connection:
            if connection.dialect.name == "postgresql":
                milliseconds = CHECK_TIMEOUT_SECONDS * 1000
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
            try:
                found = frozenset(connection.execute(_VERSIONS).scalars())
            except sa.exc.ProgrammingError:
                found = frozenset()  # no alembic_version table: never migrated
                connection.rollback()
            except sa.exc.OperationalError as error:
                if "no such table" not in str(error.orig):
                    raise
                found = frozenset()
            schema = _schema_failure(found, expected)
            if schema is not None:
                failures.append(("schema", schema))
                if expect_scheduler:
                    failures.append(("scheduler", "not checked: the schema is not current"))
            elif expect_scheduler:
                beat_at = connection.execute(_HEARTBEAT).scalar()
                if (reason := _heartbeat_failure(beat_at, now, stale)) is not None:
                    failures.append(("scheduler", reason))
    except sa.exc.SQLAlchemyError:
        failures = [("database", "unreachable or not answering")]
    return Readiness(tuple(failures))
