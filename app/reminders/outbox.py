"""Writing e-mails into the outbox. Flushes, never commits; safe to call twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.reminders.models import MessageKind, OutboxMessage

logger = logging.getLogger(__name__)


def insert_if_absent(
    model: type, values: Mapping[str, object], conflict_columns: list[str]
) -> Any | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the primary key: the new row's key, or None
    when a row with the same key exists (also when another process inserted it just now)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(*sa.inspect(model).primary_key)
    )
    # Values as parameters through the connection (a Core insert, compiled once per set of
    # columns): as .values() through the ORM session it was compiled anew for every message.
    return db.session.connection().execute(statement, dict(values)).scalar_one_or_none()


def insert_many_if_absent(
    model: type,
    rows: Sequence[Mapping[str, object]],
    conflict_columns: list[str],
    returning: Sequence[Any],
    *,
    as_arrays: bool = True,
) -> list[sa.Row[Any]]:
    """:func:`insert_if_absent` for many rows in one go (SQLAlchemy sends them a few hundred
    per statement): the ``returning`` columns of the rows inserted, none for those whose key
    existed (also when another process inserted them just now). Rows go in in the order given:
    two processes inserting the same rows in the same order wait for each other instead of
    deadlocking.

    On PostgreSQL the rows go as one array per column (:func:`unnested_rows`), which suits many
    short rows; ``as_arrays=False`` sends them as multi-row VALUES instead, which suits a few
    long ones (in an array literal every long text is escaped, and parsed again)."""
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql" and as_arrays:
        return _insert_unnested(model, rows, conflict_columns, returning)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model).on_conflict_do_nothing(index_elements=conflict_columns).returning(*returning)
    )
    # Through the connection, not the ORM session: a Core executemany, which SQLAlchemy turns
    # into multi-row INSERTs with RETURNING ("insertmanyvalues").
    return list(db.session.connection().execute(statement, list(rows)))


def unnested_rows(
    rows: Sequence[Mapping[str, object]], types: Mapping[str, Any], name: str
) -> sa.TableValuedAlias:
    """PostgreSQL: ``rows`` as one array parameter per column (``types`` gives each column's
    type), unnested into a derived table ``name`` with each row's ``position``. Ten thousand
    of a Friday's reminders took a second as multi-row VALUES or a row-at-a-time executemany
    (each value a parameter the driver and SQLAlchemy handle one by one), a tenth of that so."""
    arrays = [
        sa.bindparam(f"{column}_values", [row[column] for row in rows], postgresql.ARRAY(type_))
        for column, type_ in types.items()
    ]
    return (
        sa.func.unnest(*arrays)
        .table_valued(*types, with_ordinality="position")
        .render_derived(name=name)
    )


def _insert_unnested(
    model: type,
    rows: Sequence[Mapping[str, object]],
    conflict_columns: list[str],
    returning: Sequence[Any],
) -> list[sa.Row[Any]]:
    """PostgreSQL: the rows unnested (:func:`unnested_rows`) into an INSERT … SELECT, in the
    order given."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]  # every model has one
    names = list(rows[0])
    given = unnested_rows(rows, {name: table.c[name].type for name in names}, "given")
    chosen = sa.select(*(given.c[name] for name in names)).order_by(given.c.position)
    statement = (
        postgresql.insert(model)
        .from_select(names, chosen)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(*returning)
    )
    return list(db.session.connection().execute(statement))


def mail_host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "toezeggingenregister"


def message_id_for(key: str) -> str:
    """The same Message-ID for every attempt, so a re-send after a crash is recognisable."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{mail_host()}>"


def message_values(
    *,
    key: str,
    kind: MessageKind,
    recipient_email: str,
    recipient_name: str | None,
    template: str,
    calendar: bytes | None = None,
    unsubscribe_url: str | None = None,
    now: dt.datetime | None = None,
    **context: object,
) -> dict[str, object]:
    """The outbox row of a message: ``reminders/email/<template>.{subject,txt,html}`` rendered
    with ``context``. ``now`` (default: the clock) is when it is written and due."""
    context = {
        **context,
        "base_url": current_app.config["BASE_URL"],
        "recipient_name": recipient_name,
        "unsubscribe_url": unsubscribe_url,
    }
    # The context processors once for the three parts, where render_template runs them for each.
    current_app.update_template_context(context)
    environment = current_app.jinja_env
    folder = f"reminders/email/{template}"
    subject = " ".join(environment.get_template(f"{folder}.subject").render(context).split())
    values: dict[str, object] = {
        "idempotency_key": key,
        "kind": kind,
        "recipient_email": recipient_email.strip().lower(),
        "recipient_name": recipient_name,
        "subject": subject,
        "body_text": environment.get_template(f"{folder}.txt").render(context),
        # The subject is plain text; the HTML layout escapes it like every other value.
        "body_html": environment.get_template(f"{folder}.html").render(context, subject=subject),
        "calendar": calendar.decode() if calendar else None,
        "unsubscribe_url": unsubscribe_url,
        "message_id": message_id_for(key),
    }
    if now is not None:
        values.update(created_at=now, next_attempt_at=now)
    return values


def enqueue(**message: Any) -> int | None:
    """Render a message (:func:`message_values`) and queue it; returns the new message's id,
    or None when a message with this key was queued before."""
    values = message_values(**message)
    message_id = insert_if_absent(OutboxMessage, values, ["idempotency_key"])
    if message_id is not None:
        _log_queued(values)
    return message_id


def reserve_many(kind: MessageKind, recipients: Sequence[tuple[str, str | None]]) -> list[int]:
    """One message row per (address, name), still without its content: their ids, in order.

    For rows that must name their e-mail when they go in, before what the e-mail says is
    known: planning inserts a day's reminders with their e-mail's id, and only then knows which
    of them are its own to send. :func:`write_reserved` writes the messages in the same
    transaction, so an empty one is never committed (nor seen by a sender). Linking each
    reminder afterwards was an UPDATE of every reminder, on PostgreSQL the most expensive
    statement of a Friday's planning."""
    token = secrets.token_hex(8)
    rows = [
        {
            "idempotency_key": f"reserved:{token}:{number}",
            "kind": kind,
            "recipient_email": email.strip().lower(),
            "recipient_name": name,
            "subject": "",
            "body_text": "",
            "message_id": "",
        }
        for number, (email, name) in enumerate(recipients)
    ]
    inserted = insert_many_if_absent(
        OutboxMessage,
        rows,
        ["idempotency_key"],
        [OutboxMessage.idempotency_key, OutboxMessage.id],
        as_arrays=False,
    )
    ids = {row.idempotency_key: row.id for row in inserted}
    return [ids[row["idempotency_key"]] for row in rows]


#: Keys per SELECT when looking for messages queued before.
KEYS_PER_QUERY = 500

#: What :func:`write_reserved` writes of a message (:func:`message_values`) into its row.
WRITTEN_COLUMNS = (
    "idempotency_key",
    "recipient_name",
    "subject",
    "body_text",
    "body_html",
    "calendar",
    "unsubscribe_url",
    "message_id",
)


def write_reserved(reserved: Sequence[int], messages: Mapping[int, Mapping[str, object]]) -> None:
    """Write rendered messages (:func:`message_values`, by reserved id) into the rows
    :func:`reserve_many` reserved, and delete the reserved rows left without a message. A
    message whose key was queued before is not queued again (as :func:`enqueue`): its row is
    deleted too, and whatever named it names no e-mail (the foreign keys' ON DELETE SET NULL)."""
    keys = [str(values["idempotency_key"]) for values in messages.values()]
    existing: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        existing.update(
            db.session.scalars(
                sa.select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(keys[start : start + KEYS_PER_QUERY])
                )
            )
        )
    written = {
        reserved_id: values
        for reserved_id, values in messages.items()
        if values["idempotency_key"] not in existing
    }
    if written:
        db.session.connection().execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == sa.bindparam("reserved_id"))
            .values({column: sa.bindparam(f"new_{column}") for column in WRITTEN_COLUMNS}),
            [
                {"reserved_id": reserved_id}
                | {f"new_{column}": values[column] for column in WRITTEN_COLUMNS}
                for reserved_id, values in sorted(written.items())
            ],
        )
    unused = sorted(set(reserved) - set(written))
    if unused:
        db.session.connection().execute(
            sa.delete(OutboxMessage).where(OutboxMessage.id.in_(unused))
        )
    for _reserved_id, values in sorted(written.items()):
        _log_queued(values)


def _log_queued(values: Mapping[str, object]) -> None:
    kind = values["kind"]
    logger.info(
        "Queued %s for %s: %s",
        kind.value if isinstance(kind, MessageKind) else kind,
        values["recipient_email"],
        values["subject"],
    )
