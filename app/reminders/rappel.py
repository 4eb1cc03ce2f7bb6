"""The rappel: twice a year, like the Eerste Kamer's, each ministry's coordinators get the list
of its open, partially fulfilled and overdue promises with owner and deadline."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from app.auth.services import active_coordinators
from app.extensions import db
from app.register.models import OUTSTANDING_STATUSES, Commitment, Ministry
from app.reminders.models import MessageKind
from app.reminders.outbox import enqueue


def is_rappel_day(day: dt.date) -> bool:
    return day.strftime("%m-%d") in current_app.config["RAPPEL_DATES"]


def outstanding_for(ministry_id: int) -> list[Commitment]:
    """The ministry's open and partially fulfilled promises, overdue first, then by deadline."""
    statement = (
        sa.select(Commitment)
        .where(Commitment.ministry_id == ministry_id, Commitment.status.in_(OUTSTANDING_STATUSES))
        .options(so.selectinload(Commitment.owner), so.selectinload(Commitment.source_document))
        .order_by(Commitment.deadline.is_(None), Commitment.deadline, Commitment.number)
    )
    return list(db.session.scalars(statement))


def plan_rappel(day: dt.date) -> int:
    """Queue the rappel for every coordinator; flushes, never commits; safe to repeat."""
    queued = 0
    for ministry_id, people in active_coordinators().items():
        ministry = db.session.get_one(Ministry, ministry_id)
        commitments = outstanding_for(ministry_id)
        for coordinator in people:
            if enqueue(
                key=f"rappel:{day.isoformat()}:{ministry_id}:{coordinator.email}",
                kind=MessageKind.RAPPEL,
                recipient_email=coordinator.email,
                recipient_name=coordinator.name,
                template="rappel",
                commitments=commitments,
                ministry=ministry,
                day=day,
            ):
                queued += 1
    return queued
