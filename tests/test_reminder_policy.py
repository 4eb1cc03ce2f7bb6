"""The reminder policy, table by table: 14/3/0 days, weekly overdue, working-day shifts,
escalation, and what gets no reminders at all."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reminders.policy import (
    PromiseFacts,
    Recipient,
    ReminderKind,
    deadlines_reminded_on,
    due_on,
    is_digest_day,
    previous_working_day,
    sending_window,
)

OWNER = Recipient("owner@minjenv.example", "Eigenaar", 1)
COORDINATOR = Recipient("coordinator@minjenv.example", "Coördinator", 2)


def promise(deadline: dt.date | None, *, outstanding: bool = True, owner=OWNER) -> PromiseFacts:
    return PromiseFacts(7, deadline, outstanding, owner, (COORDINATOR,))


def sent_between(facts: PromiseFacts, start: dt.date, days: int):
    return [
        (reminder.send_on, reminder.kind, reminder.recipient.email, reminder.sequence)
        for offset in range(days)
        for reminder in due_on(facts, start + dt.timedelta(days=offset))
    ]


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_a_wednesday_deadline_gets_14_3_0_and_weekly_overdue():
    assert sent_between(promise(D("2019-10-16")), D("2019-09-20"), 60) == [
        (D("2019-10-02"), ReminderKind.BEFORE, OWNER.email, 0),
        (D("2019-10-11"), ReminderKind.BEFORE, OWNER.email, 0),  # 13th is a Sunday
        (D("2019-10-16"), ReminderKind.DUE, OWNER.email, 0),
        (D("2019-10-23"), ReminderKind.OVERDUE, OWNER.email, 1),
        (D("2019-10-30"), ReminderKind.OVERDUE, OWNER.email, 2),
        (D("2019-10-30"), ReminderKind.OVERDUE, COORDINATOR.email, 2),
        (D("2019-11-06"), ReminderKind.OVERDUE, OWNER.email, 3),
        (D("2019-11-06"), ReminderKind.OVERDUE, COORDINATOR.email, 3),
        (D("2019-11-13"), ReminderKind.OVERDUE, OWNER.email, 4),
        (D("2019-11-13"), ReminderKind.OVERDUE, COORDINATOR.email, 4),
    ]


@pytest.mark.parametrize(
    ("nominal", "sent_on", "why"),
    [
        ("2019-06-30", "2019-06-28", "Sunday → Friday"),
        ("2019-06-29", "2019-06-28", "Saturday → Friday"),
        ("2019-04-27", "2019-04-26", "King's Day on a Saturday → Friday"),
        ("2019-12-26", "2019-12-24", "Second Christmas Day → before Christmas"),
        ("2019-04-22", "2019-04-18", "Easter Monday → before Good Friday"),
        ("2019-06-10", "2019-06-07", "Whit Monday → Friday"),
        ("2019-05-30", "2019-05-29", "Ascension Day → Wednesday"),
        ("2019-06-28", "2019-06-28", "a Friday stays"),
    ],
)
def test_reminders_move_to_the_working_day_before(nominal, sent_on, why):
    assert previous_working_day(D(nominal)) == D(sent_on), why


def test_a_deadline_on_a_holiday_is_reminded_the_working_day_before():
    sent = sent_between(promise(D("2019-12-25")), D("2019-12-20"), 5)
    assert sent == [
        (D("2019-12-20"), ReminderKind.BEFORE, OWNER.email, 0),  # 22nd is a Sunday
        (D("2019-12-24"), ReminderKind.DUE, OWNER.email, 0),
    ]


@pytest.mark.parametrize(
    "facts",
    [
        promise(D("2019-10-16"), outstanding=False),
        promise(None),
        promise(D("2019-10-16"), owner=None),
    ],
    ids=["fulfilled or withdrawn", "no deadline", "no owner"],
)
def test_some_promises_get_no_reminders(facts):
    assert sent_between(facts, D("2019-09-01"), 120) == []


def test_a_new_deadline_replans_the_reminders():
    old = {day for day, *_rest in sent_between(promise(D("2019-10-16")), D("2019-09-01"), 60)}
    new = {day for day, *_rest in sent_between(promise(D("2019-12-18")), D("2019-09-01"), 120)}
    assert D("2019-10-16") in old
    assert D("2019-10-16") not in new
    assert {D("2019-12-04"), D("2019-12-13"), D("2019-12-18")} <= new


@pytest.mark.parametrize("days_before", [(14, 3), (7,), (21, 7, 1)])
def test_days_before_follow_the_setting(days_before):
    deadline = D("2019-10-16")
    sent = [
        reminder.days_before
        for offset in range(40)
        for reminder in due_on(
            promise(deadline), D("2019-09-20") + dt.timedelta(offset), days_before
        )
        if reminder.kind is ReminderKind.BEFORE
    ]
    assert sorted(sent, reverse=True) == sorted(days_before, reverse=True)


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2019-10-14", True), ("2019-10-15", False), ("2019-04-23", True), ("2019-04-22", False)],
)
def test_the_digest_goes_on_mondays_or_the_next_working_day(day, expected):
    assert is_digest_day(D(day)) is expected


@pytest.mark.parametrize(
    "day",
    [
        "2019-10-16",  # an ordinary Wednesday
        "2019-10-18",  # a Friday: Saturday's and Sunday's reminders go too
        "2019-10-19",  # a Saturday: nothing goes
        "2019-12-24",  # before Christmas: the 25th to the 29th go too
        "2019-04-18",  # before Good Friday and Easter Monday
        "2019-04-26",  # before King's Day on a Saturday
        "2019-05-29",  # before Ascension Day
        "2019-06-10",  # Whit Monday: nothing goes
    ],
)
@pytest.mark.parametrize("days_before", [(14, 3), (7,), (21, 7, 1)])
def test_planning_looks_at_exactly_the_deadlines_that_give_a_reminder_that_day(day, days_before):
    """Planning reads only promises whose deadline is in ``deadlines_reminded_on``: it must
    hold every deadline the policy reminds of that day (or a reminder would be lost) and,
    to keep the work to what is due, nothing else."""
    earliest = D("2017-01-01")
    everything = [earliest + dt.timedelta(days=n) for n in range((D("2020-06-30") - earliest).days)]
    reminded = [
        deadline for deadline in everything if due_on(promise(deadline), D(day), days_before)
    ]
    assert deadlines_reminded_on(D(day), days_before, earliest) == reminded


def test_the_overdue_deadlines_go_back_to_the_oldest_outstanding_one_and_no_further():
    found = deadlines_reminded_on(D("2019-10-16"), (14, 3), D("2019-01-01"))
    assert min(found) == D("2019-01-02")  # 41 weeks before the 16th of October
    assert all((D("2019-10-16") - deadline).days % 7 == 0 for deadline in found[:-3])
    assert deadlines_reminded_on(D("2019-10-16"), (14, 3), D("2019-10-17")) == [
        D("2019-10-19"),
        D("2019-10-30"),
    ]


@pytest.mark.parametrize(
    ("day", "window"),
    [
        ("2019-10-16", ["2019-10-16"]),
        ("2019-10-18", ["2019-10-18", "2019-10-19", "2019-10-20"]),
        ("2019-10-19", []),
        ("2019-12-24", ["2019-12-24", "2019-12-25", "2019-12-26"]),
    ],
)
def test_the_sending_window_is_the_day_and_the_days_off_after_it(day, window):
    assert sending_window(D(day)) == [D(d) for d in window]
