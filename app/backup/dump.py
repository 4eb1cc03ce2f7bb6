"""The backup format, written and read as a stream (DESIGN §12).

A backup is UTF-8 JSON lines (gzip-compressed when the file name ends in ``.gz``):

1. a header: ``{"format": "toezeggingenregister-backup", "format_version": 1,
   "schema_revision": "<alembic revision>", "created_at": "<UTC ISO time>", "source":
   "sqlite|postgresql", "with_passwords": false, "with_login_attempts": false,
   "tables": {"<table>": <rows>, …}}`` — the tables in the order they are restored;
2. per table, a section line ``{"table": "<name>", "columns": [...], "rows": <n>}`` followed by
   ``n`` lines, each one row as a JSON array in the order of ``columns``, rows ordered by
   primary key;
3. an end line ``{"end": true, "rows": <total>}``, so a cut-off file is noticed.

Values are JSON: dates and times as ISO 8601 (times in UTC with ``+00:00``), enums as their
stored value, JSON columns as they are. The same register always gives the same lines, apart
from ``created_at`` (and ``source`` between databases).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa

from app.auth.models import LoginAttempt, User
from app.dbtypes import utcnow
from app.extensions import db
from app.register.models import DERIVED
from app.register.search import FTS_TABLE

FORMAT = "toezeggingenregister-backup"
#: Raised when the format changes in a way an older reader cannot read; readers refuse newer.
FORMAT_VERSION = 1
#: Rows inserted per statement when restoring, and how often progress is reported.
BATCH = 1000
PROGRESS_EVERY = 10_000

#: Credentials: left out unless asked for (restored accounts then need a new password).
SECRET_COLUMNS = {
    User.__tablename__: {"password_hash", "session_token"},
}
LOGIN_ATTEMPTS = LoginAttempt.__tablename__

#: FTS5's command to rebuild an external-content index from its table (SQLite); FTS_TABLE.
REBUILD_SEARCH_INDEX = "INSERT INTO commitment_fts(commitment_fts) VALUES ('rebuild')"

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup that cannot be restored here, or a database it cannot go into (Dutch)."""


def tables() -> list[sa.Table]:
    """Every table of the app, parents before children (the order of restoring); not the
    tables the database derives by triggers, which a restore fills again by itself."""
    return [table for table in db.metadata.sorted_tables if not table.info.get(DERIVED)]


def schema_revision(connection: sa.Connection) -> str | None:
    """The Alembic revision the database is at; None before `flask db upgrade`."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    revisions = connection.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
    return ",".join(sorted(revisions)) or None


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


@dataclass
class BackupReport:
    header: dict[str, Any]
    rows: int = 0


def write_backup(
    out: IO[str],
    *,
    with_passwords: bool = False,
    with_login_attempts: bool = False,
    progress: Progress = lambda _line: None,
) -> BackupReport:
    """Write the whole register to ``out``, from one consistent snapshot, row by row.

    Reads only; the caller ends the transaction.
    """
    fresh = not db.session().in_transaction()
    connection = db.session.connection()
    if fresh and connection.dialect.name == "postgresql":
        # One snapshot for the counts and every row, whatever is written meanwhile (SQLite's
        # read transaction is one snapshot already).
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    chosen = [t for t in tables() if with_login_attempts or t.name != LOGIN_ATTEMPTS]
    columns = {
        t.name: [
            c for c in t.columns if with_passwords or c.name not in SECRET_COLUMNS.get(t.name, ())
        ]
        for t in chosen
    }
    counts = {
        t.name: connection.scalar(sa.select(sa.func.count()).select_from(t)) or 0 for t in chosen
    }
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(connection),
        "created_at": utcnow().isoformat(timespec="seconds"),
        "source": connection.dialect.name,
        "with_passwords": with_passwords,
        "with_login_attempts": with_login_attempts,
        "tables": counts,
    }
    out.write(_line(header))
    report = BackupReport(header)
    for table in chosen:
        selected = columns[table.name]
        names = [c.name for c in selected]
        out.write(_line({"table": table.name, "columns": names, "rows": counts[table.name]}))
        statement = (
            sa.select(*selected)
            .order_by(*table.primary_key.columns)
            .execution_options(yield_per=BATCH)  # streamed: a server-side cursor on PostgreSQL
        )
        written = 0
        for row in connection.execute(statement):
            out.write(_line([_encode(value) for value in row]))
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(f"  {table.name}: {written} van {counts[table.name]} rijen")
        report.rows += written
        progress(f"{table.name}: {written} rijen")
    out.write(_line({"end": True, "rows": report.rows}))
    return report


# Restoring


def _decoder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """JSON value → the Python value the column's type binds (dates, times, enums)."""
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):  # UTCDateTime: its DateTime says what it holds
        kind = kind.impl_instance
    try:
        python_type = kind.python_type
    except NotImplementedError:
        return lambda value: value
    if issubclass(python_type, dt.datetime):
        return lambda value: None if value is None else dt.datetime.fromisoformat(value)
    if issubclass(python_type, dt.date):
        return lambda value: None if value is None else dt.date.fromisoformat(value)
    if issubclass(python_type, enum.Enum):
        enum_class = python_type
        return lambda value: None if value is None else enum_class(value)
    return lambda value: value


def _read(lines: Iterator[str], what: str) -> Any:
    try:
        return json.loads(next(lines))
    except StopIteration:
        raise BackupError(f"De back-up is onvolledig: {what} ontbreekt.") from None
    except json.JSONDecodeError:
        raise BackupError(f"De back-up is beschadigd: {what} is geen JSON.") from None


def read_header(lines: Iterator[str]) -> dict[str, Any]:
    """The header, checked: our format, a version this code reads."""
    try:
        header = json.loads(next(lines))
    except (StopIteration, json.JSONDecodeError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("Dit is geen back-up van het Toezeggingenregister.")
    version = header.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"Deze back-up heeft formaatversie {version}; dit register leest tot en met versie "
            f"{FORMAT_VERSION}. Herstel hem met een nieuwere versie van het register."
        )
    return header


def check_target(connection: sa.Connection, header: dict[str, Any]) -> None:
    """The database must be migrated to the backup's schema revision and hold nothing."""
    wanted = header.get("schema_revision")
    current = schema_revision(connection)
    if current is None:
        raise BackupError(
            f"De database heeft nog geen schema: voer eerst `flask db upgrade {wanted}` uit."
        )
    if current != wanted:
        raise BackupError(
            f"De back-up hoort bij schemaversie {wanted}, de database staat op {current}: "
            f"herstel in een lege database op versie {wanted} (`flask db upgrade {wanted}`) en "
            "migreer daarna met `flask db upgrade`."
        )
    for table in tables():
        if connection.scalar(sa.select(sa.literal(1)).select_from(table).limit(1)) is not None:
            raise BackupError(
                f"De database is niet leeg (tabel {table.name} heeft al rijen): herstel alleen "
                "in een lege, gemigreerde database."
            )


@dataclass
class RestoreReport:
    header: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _rows(
    lines: Iterator[str],
    table: str,
    names: list[str],
    decoders: list[Callable[[Any], Any]],
    count: int,
) -> Iterator[dict[str, Any]]:
    for number in range(1, count + 1):
        values = _read(lines, f"rij {number} van {table}")
        if not isinstance(values, list) or len(values) != len(names):
            raise BackupError(f"De back-up is beschadigd: rij {number} van {table}.")
        yield {
            name: decode(value) for name, decode, value in zip(names, decoders, values, strict=True)
        }


def restore_backup(source: IO[str], progress: Progress = lambda _line: None) -> RestoreReport:
    """Load a backup into this empty, migrated database, keeping every id.

    Flushes, never commits: the caller commits once, so a backup that turns out to be cut off
    or broken leaves the database as empty as it was.
    """
    lines = iter(source)
    header = read_header(lines)
    connection = db.session.connection()
    check_target(connection, header)
    known = {table.name: table for table in tables()}
    expected = header.get("tables") or {}
    report = RestoreReport(header)
    while True:
        section = _read(lines, "het einde")
        if not isinstance(section, dict):
            raise BackupError("De back-up is beschadigd: een tabel begint niet met een kopregel.")
        if section.get("end"):
            if section.get("rows") != report.total or set(report.rows) != set(expected):
                raise BackupError("De back-up is beschadigd: het aantal rijen klopt niet.")
            break
        table = known.get(section.get("table", ""))
        if table is None:
            raise BackupError(f"De back-up bevat een onbekende tabel: {section.get('table')}.")
        names = section.get("columns") or []
        unknown = [name for name in names if name not in table.columns]
        if unknown:
            raise BackupError(
                f"De back-up bevat onbekende kolommen in {table.name}: {', '.join(unknown)}."
            )
        count = section.get("rows")
        if not isinstance(count, int) or count != expected.get(table.name):
            raise BackupError(f"De back-up is beschadigd: de rijen van {table.name} kloppen niet.")
        decoders = [_decoder(table.columns[name]) for name in names]
        loaded = 0
        for batch in _batches(_rows(lines, table.name, names, decoders, count)):
            connection.execute(table.insert(), batch)
            before, loaded = loaded, loaded + len(batch)
            if loaded // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(f"  {table.name}: {loaded} van {count} rijen")
        report.rows[table.name] = loaded
        progress(f"{table.name}: {loaded} rijen")
    _after_restore(connection)
    return report


def _after_restore(connection: sa.Connection) -> None:
    """PostgreSQL: every id sequence continues after the highest id restored. SQLite: the
    full-text index is rebuilt from the restored promises (its triggers indexed every row
    already; the rebuild makes sure, and leaves the index compact)."""
    if connection.dialect.name == "postgresql":
        for table in tables():
            key = list(table.primary_key.columns)
            if len(key) != 1 or key[0].autoincrement is False:
                continue
            if not issubclass(key[0].type.python_type, int):
                continue
            connection.execute(
                sa.select(
                    sa.func.setval(
                        sa.func.pg_get_serial_sequence(table.name, key[0].name),
                        sa.select(sa.func.coalesce(sa.func.max(key[0]), 0) + 1).scalar_subquery(),
                        False,
                    )
                )
            )
    elif connection.dialect.name == "sqlite":
        exists = connection.scalar(
            sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": FTS_TABLE},
        )
        if exists:
            connection.exec_driver_sql(REBUILD_SEARCH_INDEX)
