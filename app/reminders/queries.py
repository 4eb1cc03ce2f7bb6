"""Read-side queries over the outbox, for the admins' outbox page."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.reminders.models import MessageState, OutboxMessage


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
