"""Turn the policy into outbox messages for a day. Running it twice, or in two processes at
once, plans every reminder once: each is inserted with ON CONFLICT DO NOTHING, and only the
process that inserted a reminder puts it in an e-mail."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from app.auth.models import User
from app.auth.services import active_coordinators
from app.extensions import db
from app.register.ical import deadline_calendar
from app.register.models import OUTSTANDING_STATUSES, Commitment, Ministry
from app.reminders import policy
from app.reminders.models import MessageKind, PlannedReminder, PlanningRun
from app.reminders.outbox import enqueue, insert_if_absent, mail_host

logger = logging.getLogger(__name__)

#: How many days back start-up catch-up planning looks at most.
MAX_CATCH_UP_DAYS = 31


@dataclass
class PlanReport:
    day: dt.date
    reminders: int = 0
    messages: int = 0
    digests: int = 0
    recipients: set[str] = field(default_factory=set)


def _recipient(user: User) -> policy.Recipient:
    return policy.Recipient(user.email, user.name, user.id)


def _coordinators() -> dict[int, tuple[policy.Recipient, ...]]:
    return {
        ministry_id: tuple(_recipient(user) for user in users)
        for ministry_id, users in active_coordinators().items()
    }


def _candidates(day: dt.date) -> list[Commitment]:
    """Outstanding promises with owner and deadline whose reminders could fall on ``day``."""
    horizon = day + dt.timedelta(days=max(current_app.config["REMINDER_DAYS_BEFORE"]) + 7)
    statement = (
        sa.select(Commitment)
        .join(Commitment.owner)
        .where(
            Commitment.status.in_(OUTSTANDING_STATUSES),
            Commitment.deadline.is_not(None),
            Commitment.deadline <= horizon,
            User.active.is_(True),
        )
        .options(so.contains_eager(Commitment.owner), so.selectinload(Commitment.ministry))
    )
    return list(db.session.scalars(statement).unique())


def plan_day(day: dt.date) -> PlanReport:
    """Plan every reminder due on ``day`` and the weekly digest; flushes, never commits."""
    report = PlanReport(day)
    coordinators = _coordinators()
    commitments = {c.id: c for c in _candidates(day)}
    new_by_recipient: dict[str, list[tuple[PlannedReminder, policy.DueReminder]]] = defaultdict(
        list
    )
    for commitment in commitments.values():
        if commitment.owner is None or commitment.deadline is None:
            continue  # excluded by the query; this tells the type checker
        facts = policy.PromiseFacts(
            commitment.id,
            commitment.deadline,
            True,
            _recipient(commitment.owner),
            coordinators.get(commitment.ministry_id, ()),
        )
        for due in policy.due_on(facts, day, current_app.config["REMINDER_DAYS_BEFORE"]):
            values = {
                "commitment_id": due.commitment_id,
                "kind": due.kind.value,
                "nominal_on": due.nominal_on,
                "send_on": due.send_on,
                "recipient_email": due.recipient.email,
            }
            reminder_id = insert_if_absent(
                PlannedReminder,
                values,
                ["commitment_id", "kind", "nominal_on", "recipient_email"],
            )
            if reminder_id is not None:
                reminder = db.session.get_one(PlannedReminder, reminder_id)
                new_by_recipient[due.recipient.email].append((reminder, due))
                report.reminders += 1
    for email, items in new_by_recipient.items():
        _compose_reminders(day, email, items, commitments)
        report.messages += 1
        report.recipients.add(email)
    if policy.is_digest_day(day):
        report.digests = _plan_unassigned_digests(day, coordinators)
    insert_if_absent(PlanningRun, {"day": day}, ["day"])
    db.session.flush()
    logger.info(
        "Planned %s: %d reminders in %d e-mails, %d digests",
        day,
        report.reminders,
        report.messages,
        report.digests,
    )
    return report


def _compose_reminders(
    day: dt.date,
    email: str,
    items: list[tuple[PlannedReminder, policy.DueReminder]],
    commitments: dict[int, Commitment],
) -> None:
    items.sort(key=lambda item: (commitments[item[1].commitment_id].deadline, item[0].id))
    first_id = min(reminder.id for reminder, _due in items)
    base_url = current_app.config["BASE_URL"]
    entries = [
        {"commitment": commitments[due.commitment_id], "due": due} for _reminder, due in items
    ]
    calendar = deadline_calendar(
        [commitments[due.commitment_id] for _reminder, due in items],
        host=mail_host(),
        url_for_number=lambda number: f"{base_url}/toezeggingen/{number}",
        name="Deadlines",
    )
    message_id = enqueue(
        key=f"reminders:{day.isoformat()}:{email}:{first_id}",
        kind=MessageKind.REMINDER,
        recipient_email=email,
        recipient_name=items[0][1].recipient.name,
        template="reminder",
        calendar=calendar,
        entries=entries,
        day=day,
    )
    for reminder, _due in items:
        reminder.message_id = message_id


def _plan_unassigned_digests(
    day: dt.date, coordinators: dict[int, tuple[policy.Recipient, ...]]
) -> int:
    """Coordinators hear weekly of their ministry's promises without owner or deadline."""
    statement = (
        sa.select(Commitment)
        .where(
            Commitment.status.in_(OUTSTANDING_STATUSES),
            sa.or_(Commitment.owner_id.is_(None), Commitment.deadline.is_(None)),
        )
        .order_by(Commitment.made_on, Commitment.number)
    )
    by_ministry: dict[int, list[Commitment]] = defaultdict(list)
    for commitment in db.session.scalars(statement):
        by_ministry[commitment.ministry_id].append(commitment)
    year, week, _weekday = day.isocalendar()
    queued = 0
    for ministry_id, commitments in by_ministry.items():
        ministry = db.session.get(Ministry, ministry_id)
        for coordinator in coordinators.get(ministry_id, ()):
            if enqueue(
                key=f"unassigned:{year}-W{week:02d}:{ministry_id}:{coordinator.email}",
                kind=MessageKind.UNASSIGNED_DIGEST,
                recipient_email=coordinator.email,
                recipient_name=coordinator.name,
                template="unassigned",
                commitments=commitments,
                ministry=ministry,
                day=day,
            ):
                queued += 1
    return queued


def days_to_plan(today: dt.date) -> list[dt.date]:
    """Today, and every day since the last planning run that was missed (at most a month)."""
    last = db.session.scalar(sa.select(sa.func.max(PlanningRun.day)).where(PlanningRun.day < today))
    if last is None:
        return [today]
    start = max(last + dt.timedelta(days=1), today - dt.timedelta(days=MAX_CATCH_UP_DAYS))
    return [start + dt.timedelta(days=n) for n in range((today - start).days + 1)]
