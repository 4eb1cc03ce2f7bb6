"""Read-side queries over the outbox and the scheduler, for the admins' outbox page and for
/readyz and /metrics."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.extensions import db
from app.reminders.models import (
    MessageState,
    OutboxMessage,
    PlanningRun,
    SchedulerHeartbeat,
)


def unsent_messages() -> list[OutboxMessage]:
    """Everything still to go or given up on: dead first (those put aside last), then by the
    next attempt."""
    statement = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.state != MessageState.SENT)
        .order_by(
            OutboxMessage.dismissed_at.is_not(None),
            OutboxMessage.state,
            OutboxMessage.next_attempt_at,
        )
    )
    return list(db.session.scalars(statement))


def recently_sent(limit: int = 50) -> list[OutboxMessage]:
    statement = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.state == MessageState.SENT)
        .order_by(OutboxMessage.sent_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def outbox_counts() -> dict[MessageState, int]:
    """How many messages are in each state (every state, 0 when none), in one query along the
    (state, next_attempt_at) index. Dead messages put aside count as dead."""
    statement = sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    counts = dict.fromkeys(MessageState, 0)
    counts.update({state: total for state, total in db.session.execute(statement).tuples()})
    return counts


def scheduler_heartbeat() -> SchedulerHeartbeat | None:
    """The scheduler's last sign of life, or None when no scheduler has ever run here."""
    return db.session.get(SchedulerHeartbeat, 1, populate_existing=True)


def last_planning_run() -> dt.datetime | None:
    """When the planner last finished a day (UTC), or None when it never has."""
    return db.session.scalar(sa.select(sa.func.max(PlanningRun.ran_at)))
