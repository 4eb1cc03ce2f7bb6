"""Which reminders are due on a day (Europe/Amsterdam). Pure functions, no database.

- ``before``: at each of REMINDER_DAYS_BEFORE (default 14 and 3) days before the deadline;
- ``due``: on the deadline;
- ``overdue``: every 7 days after it while the promise is open or partially fulfilled,
  copied to the ministry's coordinators from the second overdue reminder on.

A reminder that would fall on a weekend or a Dutch public holiday moves to the working day
before. Promises without owner or deadline get no reminders: coordinators hear of them in a
weekly digest instead.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import holidays

OVERDUE_INTERVAL = dt.timedelta(days=7)
#: From this overdue reminder on (1 = the first), coordinators get a copy.
ESCALATE_FROM_OVERDUE = 2
#: The weekday on which coordinators get the digest of promises without owner or deadline.
DIGEST_WEEKDAY = 0  # Monday


class ReminderKind(enum.Enum):
    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user_id: int | None = None


@dataclass(frozen=True)
class PromiseFacts:
    """What the policy needs to know of a promise."""

    commitment_id: int
    deadline: dt.date | None
    outstanding: bool
    owner: Recipient | None
    coordinators: tuple[Recipient, ...] = ()


@dataclass(frozen=True)
class DueReminder:
    """One reminder for one recipient. ``nominal_on`` is the date before any weekend shift."""

    commitment_id: int
    kind: ReminderKind
    nominal_on: dt.date
    send_on: dt.date
    recipient: Recipient
    #: 1 for the first overdue reminder, 2 for the second …; 0 for the others.
    sequence: int = 0
    #: Days before the deadline, for ``before`` reminders.
    days_before: int = 0


@cache
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def due_on(
    promise: PromiseFacts, day: dt.date, days_before: Sequence[int] = (14, 3)
) -> list[DueReminder]:
    """The reminders for ``promise`` that are to be sent on ``day``."""
    if not promise.outstanding or promise.deadline is None or promise.owner is None:
        return []
    deadline = promise.deadline
    found: list[DueReminder] = []
    for before in sorted(set(days_before), reverse=True):
        nominal = deadline - dt.timedelta(days=before)
        if previous_working_day(nominal) == day:
            found.append(
                DueReminder(
                    promise.commitment_id,
                    ReminderKind.BEFORE,
                    nominal,
                    day,
                    promise.owner,
                    days_before=before,
                )
            )
    if previous_working_day(deadline) == day:
        found.append(
            DueReminder(promise.commitment_id, ReminderKind.DUE, deadline, day, promise.owner)
        )
    found.extend(_overdue_on(promise, deadline, day))
    return found


def _overdue_on(promise: PromiseFacts, deadline: dt.date, day: dt.date) -> Iterable[DueReminder]:
    if promise.owner is None or day <= deadline - dt.timedelta(days=7):
        return
    # A shifted reminder is sent up to four days before its nominal date (Easter, Christmas):
    # look at the nominal dates that could land on ``day``.
    first = max(1, (day - deadline).days // 7)
    for sequence in range(first, first + 2):
        nominal = deadline + sequence * OVERDUE_INTERVAL
        if previous_working_day(nominal) != day:
            continue
        recipients = [promise.owner]
        if sequence >= ESCALATE_FROM_OVERDUE:
            recipients += [c for c in promise.coordinators if c.email != promise.owner.email]
        for recipient in recipients:
            yield DueReminder(
                promise.commitment_id,
                ReminderKind.OVERDUE,
                nominal,
                day,
                recipient,
                sequence=sequence,
            )


def sending_window(day: dt.date) -> list[dt.date]:
    """The nominal dates whose reminders are sent on ``day``: ``day`` itself and the
    non-working days right after it (a reminder due on Saturday goes out on Friday). Empty when
    ``day`` is not a working day: nothing is sent on it."""
    if not is_working_day(day):
        return []
    window = [day]
    while not is_working_day(window[-1] + dt.timedelta(days=1)):
        window.append(window[-1] + dt.timedelta(days=1))
    return window


def deadlines_reminded_on(
    day: dt.date, days_before: Sequence[int], earliest: dt.date
) -> list[dt.date]:
    """Every deadline, not before ``earliest``, for which :func:`due_on` has a reminder on
    ``day`` (for an outstanding promise with an owner), in order: the nominal dates of the
    sending window as deadlines (*due*), the same dates each of ``days_before`` later
    (*before*), and every whole number of weeks before them (*overdue*).

    Planning selects the promises with exactly these deadlines, so its work grows with what is
    due that day, not with the size of the register. There are a few per week between
    ``earliest`` and ``day``: ``earliest`` is the oldest deadline still outstanding."""
    window = sending_window(day)
    deadlines = set(window)
    for before in days_before:
        deadlines.update(nominal + dt.timedelta(days=before) for nominal in window)
    for nominal in window:
        deadline = nominal - OVERDUE_INTERVAL
        while deadline >= earliest:
            deadlines.add(deadline)
            deadline -= OVERDUE_INTERVAL
    return sorted(deadline for deadline in deadlines if deadline >= earliest)


def is_digest_day(day: dt.date) -> bool:
    """The weekly digest goes out on Monday, or the first working day after it."""
    monday = day - dt.timedelta(days=(day.weekday() - DIGEST_WEEKDAY) % 7)
    candidate = monday
    while not is_working_day(candidate):
        candidate += dt.timedelta(days=1)
    return candidate == day
