"""Telling the admins when e-mail is not getting out (DESIGN §8).

The outbox is *in trouble* while a message is dead and no admin has dealt with it (resent or
put aside), or while a message has been due for ``OUTBOX_ALERT_AFTER_MINUTES`` and is still
unsent (the mail server has been down that long, or no scheduler runs).

- Every admin sees a banner on the staff pages while the trouble lasts (:func:`health`, read
  live on each page, so it shows even when no scheduler runs to send an alert).
- The send job calls :func:`check_outbox` after every round. The first round that finds
  trouble opens an :class:`OutboxAlert` and queues ONE e-mail per active admin, keyed
  ``outbox-alert:<alert id>:<address>``; later rounds find the alert open and queue nothing.
  The first round that finds the outbox healthy closes it, so the next trouble is a new alert.
  At most one alert is open (a unique column), so two scheduler processes, or one restarted,
  never alert twice. The alert goes through the outbox like any e-mail: when the mail server
  is down, it arrives when the server is back.

Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.auth.models import Role, User
from app.dbtypes import utcnow
from app.extensions import db
from app.reminders.models import MessageKind, MessageState, OutboxAlert, OutboxMessage
from app.reminders.outbox import enqueue, insert_if_absent

logger = logging.getLogger(__name__)

UNSENT = (MessageState.PENDING, MessageState.SENDING, MessageState.FAILED)


@dataclass(frozen=True)
class OutboxHealth:
    """What is wrong with the outbox at one moment."""

    #: Dead messages no admin has resent or put aside.
    dead: int
    #: Messages due longer than OUTBOX_ALERT_AFTER_MINUTES and still unsent.
    stuck: int
    #: Since when the longest-waiting of those has been due.
    waiting_since: dt.datetime | None
    #: The threshold, in minutes, for the texts.
    after_minutes: int

    @property
    def in_trouble(self) -> bool:
        return bool(self.dead or self.stuck)


def alert_after() -> dt.timedelta:
    return dt.timedelta(minutes=float(current_app.config["OUTBOX_ALERT_AFTER_MINUTES"]))


def due_since() -> sa.ColumnElement[dt.datetime]:
    """Since when an unsent message has been due: its first failure, else its due time (a
    message that never failed has kept the moment it was queued, or resent, as due time)."""
    return sa.func.coalesce(OutboxMessage.failing_since, OutboxMessage.next_attempt_at)


def health(now: dt.datetime | None = None) -> OutboxHealth:
    """The outbox's trouble at ``now`` (default: the clock), in one query."""
    now = now or utcnow()
    cutoff = now - alert_after()
    dead = sa.and_(OutboxMessage.state == MessageState.DEAD, OutboxMessage.dismissed_at.is_(None))
    # Compared column by column (not through coalesce) so the cut-off is bound as a UTC time.
    stuck = sa.and_(
        OutboxMessage.state.in_(UNSENT),
        sa.or_(
            OutboxMessage.failing_since <= cutoff,
            sa.and_(OutboxMessage.failing_since.is_(None), OutboxMessage.next_attempt_at <= cutoff),
        ),
    )
    statement = sa.select(
        sa.func.count().filter(dead),
        sa.func.count().filter(stuck),
        sa.func.min(due_since()).filter(stuck),
    ).where(OutboxMessage.state.in_((*UNSENT, MessageState.DEAD)))
    dead_count, stuck_count, oldest = db.session.execute(statement).one()
    return OutboxHealth(
        dead=dead_count or 0,
        stuck=stuck_count or 0,
        waiting_since=oldest,
        after_minutes=round(alert_after().total_seconds() / 60),
    )


def open_alert() -> OutboxAlert | None:
    return db.session.scalars(sa.select(OutboxAlert).where(OutboxAlert.is_open.is_(True))).first()


def active_admins() -> list[User]:
    statement = (
        sa.select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    )
    return list(db.session.scalars(statement))


def check_outbox(now: dt.datetime | None = None) -> OutboxAlert | None:
    """Open an alert (and queue its e-mails) when trouble starts, close it when it is over.

    Returns the alert this call opened, or None (no trouble, or an alert already open).
    Safe to run in every round of every scheduler process.
    """
    now = now or utcnow()
    found = health(now)
    if not found.in_trouble:
        closed = db.session.execute(
            sa.update(OutboxAlert)
            .where(OutboxAlert.is_open.is_(True))
            .values(is_open=None, cleared_at=now)
        )
        if getattr(closed, "rowcount", 0):
            logger.info("The outbox is moving again; the admins' alert is over")
        return None
    alert_id = insert_if_absent(
        OutboxAlert,
        {"is_open": True, "opened_at": now, "dead": found.dead, "stuck": found.stuck},
        ["is_open"],
    )
    if alert_id is None:
        return None  # this trouble has been reported already
    alert = db.session.get_one(OutboxAlert, alert_id)
    last_error = db.session.scalars(
        sa.select(OutboxMessage.last_error)
        .where(OutboxMessage.last_error.is_not(None), OutboxMessage.state != MessageState.SENT)
        .order_by(OutboxMessage.next_attempt_at.desc())
        .limit(1)
    ).first()
    admins = active_admins()
    for admin in admins:
        enqueue(
            key=f"outbox-alert:{alert.id}:{admin.email}",
            kind=MessageKind.OUTBOX_ALERT,
            recipient_email=admin.email,
            recipient_name=admin.name,
            template="outbox_alert",
            now=now,
            health=found,
            written_at=now,
            last_error=last_error,
        )
    logger.warning(
        "Outbox in trouble (%d dead, %d waiting too long): alert %d to %d admins",
        found.dead,
        found.stuck,
        alert.id,
        len(admins),
    )
    db.session.flush()
    return alert
