"""Turn the policy into outbox messages for a day. Running it twice, or in two processes at
once, plans every reminder once: each is inserted with ON CONFLICT DO NOTHING, and only the
process that inserted a reminder puts it in an e-mail. Only the promises with a reminder on the
day are read (by deadline, see :func:`promises_with_reminders_on`), never the whole register."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from flask import current_app
from jinja2 import Environment

from app.auth.models import User
from app.auth.services import active_coordinators
from app.extensions import db
from app.register.ical import deadline_calendar
from app.register.models import OUTSTANDING_STATUSES, Commitment, CommitmentStatus, Ministry
from app.reminders import policy
from app.reminders.models import MessageKind, PlannedReminder, PlanningRun
from app.reminders.outbox import (
    enqueue,
    insert_if_absent,
    insert_many_if_absent,
    mail_host,
    message_values,
    reserve_many,
    write_reserved,
)

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


#: Deadlines per SELECT when looking for the promises with a reminder on a day.
DEADLINES_PER_QUERY = 500


def earliest_outstanding_deadline() -> dt.date | None:
    """The oldest deadline of a promise still outstanding: overdue reminders go back no further.
    One index lookup per status (on ``ix_commitment_status_deadline_ministry``)."""
    lows = [
        db.session.scalar(
            sa.select(Commitment.deadline)
            .where(Commitment.status == status, Commitment.deadline.is_not(None))
            .order_by(Commitment.deadline)
            .limit(1)
        )
        for status in OUTSTANDING_STATUSES
    ]
    return min((low for low in lows if low is not None), default=None)


class DuePromise(NamedTuple):
    """What planning reads of a promise with a reminder: the policy's facts, and what its
    e-mail and calendar event show. Plain rows, not ORM objects: building a Friday's 3,500
    promises and their owners as objects took longer than the rest of the selection."""

    id: int
    number: str
    title: str
    text: str
    deadline: dt.date
    deadline_phrase: str | None
    status: CommitmentStatus
    updated_at: dt.datetime
    version: int
    ministry_id: int
    owner_id: int
    owner_email: str
    owner_name: str


def promises_with_reminders_on(day: dt.date) -> list[DuePromise]:
    """The outstanding promises with an active owner for which the policy has a reminder on
    ``day``, by id: those whose deadline is one of :func:`policy.deadlines_reminded_on` (a few
    dates a week back to the oldest outstanding deadline). Looked up by (status, deadline) in
    the index, so the work grows with what is due that day, not with the register (DESIGN §8)."""
    earliest = earliest_outstanding_deadline()
    if earliest is None:
        return []
    deadlines = policy.deadlines_reminded_on(
        day, current_app.config["REMINDER_DAYS_BEFORE"], earliest
    )
    columns = (
        Commitment.id,
        Commitment.number,
        Commitment.title,
        Commitment.text,
        Commitment.deadline,
        Commitment.deadline_phrase,
        Commitment.status,
        Commitment.updated_at,
        Commitment.version,
        Commitment.ministry_id,
        User.id,
        User.email,
        User.name,
    )
    found: list[DuePromise] = []
    for start in range(0, len(deadlines), DEADLINES_PER_QUERY):
        statement = (
            sa.select(*columns)
            .join(Commitment.owner)
            .where(
                Commitment.status.in_(OUTSTANDING_STATUSES),
                Commitment.deadline.in_(deadlines[start : start + DEADLINES_PER_QUERY]),
                User.active.is_(True),
            )
        )
        found.extend(map(DuePromise._make, db.session.execute(statement)))
    return sorted(found, key=lambda promise: promise.id)


def plan_day(day: dt.date) -> PlanReport:
    """Plan every reminder due on ``day`` and the weekly digest; flushes, never commits."""
    report = PlanReport(day)
    coordinators = _coordinators()
    commitments = {c.id: c for c in promises_with_reminders_on(day)}
    due: list[policy.DueReminder] = []
    for commitment in commitments.values():
        facts = policy.PromiseFacts(
            commitment.id,
            commitment.deadline,
            True,
            policy.Recipient(commitment.owner_email, commitment.owner_name, commitment.owner_id),
            coordinators.get(commitment.ministry_id, ()),
        )
        due.extend(policy.due_on(facts, day, current_app.config["REMINDER_DAYS_BEFORE"]))
    _queue_reminders(day, due, commitments, report)
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


ReminderKey = tuple[int, str, dt.date, str]
#: A promise's part of a reminder e-mail (``reminders/email/_reminder_entry.*``'s macro).
EntryMacro = Callable[[DuePromise, policy.DueReminder], str]


def _queue_reminders(
    day: dt.date,
    due: list[policy.DueReminder],
    commitments: dict[int, DuePromise],
    report: PlanReport,
) -> None:
    """Insert the reminders not planned before and queue them, one e-mail per recipient. Each
    recipient's e-mail is reserved first, so that the reminders go in naming it; a reserved
    e-mail left without new reminders (all planned before) is deleted."""
    recipients = sorted(
        {reminder.recipient.email: reminder.recipient.name for reminder in due}.items(),
        key=lambda recipient: f"{recipient[0]}:",  # as their e-mails' keys sort
    )
    reserved = dict(
        zip(
            [email for email, _name in recipients],
            reserve_many(MessageKind.REMINDER, recipients),
            strict=True,
        )
    )
    new_by_recipient: dict[str, list[tuple[int, policy.DueReminder]]] = defaultdict(list)
    for reminder_id, reminder in _insert_new(due, reserved):
        new_by_recipient[reminder.recipient.email].append((reminder_id, reminder))
        report.reminders += 1
    events: dict[int, bytes] = {}  # each promise's calendar event, written once
    parts = _EntryParts(day)
    messages = {
        reserved[email]: _compose_reminders(day, email, items, commitments, events, parts)
        for email, items in new_by_recipient.items()
    }
    report.messages += len(messages)
    report.recipients.update(new_by_recipient)
    write_reserved(list(reserved.values()), messages)


def _insert_new(
    due: list[policy.DueReminder], reserved: dict[str, int]
) -> list[tuple[int, policy.DueReminder]]:
    """Insert the reminders into ``planned_reminder``, each naming its recipient's reserved
    e-mail, ON CONFLICT DO NOTHING: the ones this process inserted, with their ids. Those
    planned before (by an earlier run or by another process just now) are left out: only the
    process that inserted a reminder sends it."""
    by_key: dict[ReminderKey, policy.DueReminder] = {
        (d.commitment_id, d.kind.value, d.nominal_on, d.recipient.email): d for d in due
    }
    rows = [
        {
            "commitment_id": commitment_id,
            "kind": kind,
            "nominal_on": nominal_on,
            "send_on": by_key[commitment_id, kind, nominal_on, email].send_on,
            "recipient_email": email,
            "message_id": reserved[email],
        }
        for commitment_id, kind, nominal_on, email in sorted(by_key)
    ]
    inserted = insert_many_if_absent(
        PlannedReminder,
        rows,
        ["commitment_id", "kind", "nominal_on", "recipient_email"],
        [
            PlannedReminder.id,
            PlannedReminder.commitment_id,
            PlannedReminder.kind,
            PlannedReminder.nominal_on,
            PlannedReminder.recipient_email,
        ],
    )
    return [
        (row.id, by_key[row.commitment_id, row.kind, row.nominal_on, row.recipient_email])
        for row in inserted
    ]


class ReminderEntry(NamedTuple):
    """One reminder in an e-mail: its promise, the reminder, and the promise's part of the
    e-mail's text and HTML (``reminders/email/_reminder_entry.{txt,html}``)."""

    commitment: DuePromise
    due: policy.DueReminder
    text: str
    html: str


class _EntryParts:
    """Each promise's part of the day's reminder e-mails, rendered once per kind of reminder:
    the owner and the coordinators get the same part (a Friday's 9,720 reminders have about
    3,600 different parts), and a macro called here costs less than the lines of a loop
    rendered in every e-mail."""

    def __init__(self, day: dt.date) -> None:
        context: dict[str, Any] = {"day": day, "base_url": current_app.config["BASE_URL"]}
        current_app.update_template_context(context)  # _ and gettext, as render_template
        environment = current_app.jinja_env
        self._text = self._macro(environment, "reminders/email/_reminder_entry.txt", context)
        self._html = self._macro(environment, "reminders/email/_reminder_entry.html", context)
        self._made: dict[tuple[int, policy.ReminderKind], tuple[str, str]] = {}

    @staticmethod
    def _macro(environment: Environment, name: str, context: dict[str, Any]) -> EntryMacro:
        module = environment.get_template(name).make_module(context)
        return cast(EntryMacro, module.__dict__["entry"])

    def entry(self, commitment: DuePromise, due: policy.DueReminder) -> ReminderEntry:
        key = (commitment.id, due.kind)
        made = self._made.get(key)
        if made is None:  # the part reads the promise, the kind of reminder and the day only
            made = self._made[key] = (
                self._text(commitment, due),
                self._html(commitment, due),
            )
        return ReminderEntry(commitment, due, *made)


def _compose_reminders(
    day: dt.date,
    email: str,
    items: list[tuple[int, policy.DueReminder]],
    commitments: dict[int, DuePromise],
    events: dict[int, bytes],
    parts: _EntryParts,
) -> dict[str, object]:
    """One recipient's new reminders of a day in one e-mail, rendered (:func:`message_values`)."""
    items.sort(key=lambda item: (commitments[item[1].commitment_id].deadline, item[0]))
    first_id = min(reminder_id for reminder_id, _due in items)
    base_url = current_app.config["BASE_URL"]
    entries = [parts.entry(commitments[due.commitment_id], due) for _reminder, due in items]
    calendar = deadline_calendar(
        [commitments[due.commitment_id] for _reminder, due in items],
        host=mail_host(),
        url_for_number=lambda number: f"{base_url}/toezeggingen/{number}",
        name="Deadlines",
        events=events,
    )
    return message_values(
        key=f"reminders:{day.isoformat()}:{email}:{first_id}",
        kind=MessageKind.REMINDER,
        recipient_email=email,
        recipient_name=items[0][1].recipient.name,
        template="reminder",
        calendar=calendar,
        entries=entries,
        day=day,
    )


class UnassignedPromise(NamedTuple):
    """What the weekly digest shows of a promise without owner or deadline (a plain row: the
    digest lists thousands of them in the bench-data register)."""

    number: str
    title: str
    owner_id: int | None
    deadline: dt.date | None
    deadline_phrase: str | None
    ministry_id: int


def _plan_unassigned_digests(
    day: dt.date, coordinators: dict[int, tuple[policy.Recipient, ...]]
) -> int:
    """Coordinators hear weekly of their ministry's promises without owner or deadline."""
    statement = (
        sa.select(
            Commitment.number,
            Commitment.title,
            Commitment.owner_id,
            Commitment.deadline,
            Commitment.deadline_phrase,
            Commitment.ministry_id,
        )
        .where(
            Commitment.status.in_(OUTSTANDING_STATUSES),
            sa.or_(Commitment.owner_id.is_(None), Commitment.deadline.is_(None)),
        )
        .order_by(Commitment.made_on, Commitment.number)
    )
    by_ministry: dict[int, list[UnassignedPromise]] = defaultdict(list)
    for commitment in map(UnassignedPromise._make, db.session.execute(statement)):
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
