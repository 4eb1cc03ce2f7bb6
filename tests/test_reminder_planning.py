"""Planning reads only the promises with a reminder on the day (DESIGN §8): what it plans must
still be exactly what the policy says, once, also after days without a scheduler; promises
long overdue are reminded on their weekly day and left alone on the others."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.auth.services import active_coordinators
from app.extensions import db
from app.register import services
from app.register.models import Commitment, CommitmentStatus
from app.reminders import planning, policy
from app.reminders.models import OutboxMessage, PlannedReminder
from app.reminders.scheduler import plan_job

FIRST = dt.date(2019, 9, 30)
LAST = dt.date(2020, 1, 10)
#: A Wednesday more than three years before FIRST: its promise is reminded every Wednesday.
LONG_AGO = dt.date(2016, 3, 2)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture
def register(app, create_ministry, create_user, create_commitment):
    jenv = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    bz = create_ministry(code="BZ", name="Ministerie van Buitenlandse Zaken")
    fatima = create_user(name="Fatima el Amrani", email="fatima@minjenv.example", ministry=jenv)
    piet = create_user(name="Piet Jansen", email="piet@minjenv.example", ministry=jenv)
    anna = create_user(name="Anna de Vries", email="anna@minbz.example", ministry=bz)
    create_user(name="Jan", email="jan@minjenv.example", ministry=jenv, role=Role.COORDINATOR)
    create_user(name="Els", email="els@minbz.example", ministry=bz, role=Role.COORDINATOR)

    def promise(title: str, deadline: dt.date | None, owner=fatima, ministry=jenv, **kw):
        return create_commitment(
            title=title,
            ministry=ministry,
            owner=owner,
            deadline=deadline,
            made_on=dt.date(2015, 6, 1),
            **kw,
        )

    made = {
        "wednesday": promise("Op een woensdag", dt.date(2019, 10, 16)),
        "saturday": promise(
            "Op een zaterdag",
            dt.date(2019, 10, 19),
            status=CommitmentStatus.PARTIALLY_FULFILLED,
        ),
        "christmas": promise("Met Kerst", dt.date(2019, 12, 25)),
        "easter_monday": promise("Tweede paasdag", dt.date(2019, 4, 22)),
        "long_ago": promise("Lang geleden", LONG_AGO),
        "long_ago_kept": promise("Lang geleden, gedaan", LONG_AGO),
        "withdrawn": promise("Vervallen", dt.date(2019, 10, 16)),
        "inactive_owner": promise("Eigenaar weg", dt.date(2019, 10, 30), owner=piet),
        "no_deadline": promise("Zonder deadline", None),
        "no_owner": promise("Zonder eigenaar", dt.date(2019, 10, 16), owner=None),
        "other_ministry": promise("Buitenland", dt.date(2019, 11, 13), owner=anna, ministry=bz),
    }
    services.change_status(made["long_ago_kept"], CommitmentStatus.FULFILLED, note="Gedaan.")
    services.change_status(made["withdrawn"], CommitmentStatus.WITHDRAWN, note="Vervallen.")
    piet.active = False
    db.session.commit()
    return made


def what_the_policy_says(first: dt.date, last: dt.date) -> set[tuple[object, ...]]:
    """Every reminder from ``first`` to ``last``, from the policy over every promise in the
    register (planning's selection not involved)."""
    coordinators = {
        ministry_id: tuple(policy.Recipient(u.email, u.name, u.id) for u in users)
        for ministry_id, users in active_coordinators().items()
    }
    expected = set()
    for commitment in db.session.scalars(sa.select(Commitment)):
        owner = commitment.owner
        facts = policy.PromiseFacts(
            commitment.id,
            commitment.deadline,
            commitment.status.is_outstanding,
            policy.Recipient(owner.email, owner.name, owner.id)
            if owner is not None and owner.active
            else None,
            coordinators.get(commitment.ministry_id, ()),
        )
        for day in days(first, last):
            for due in policy.due_on(facts, day, (14, 3)):
                expected.add(
                    (due.commitment_id, due.kind.value, due.nominal_on, day, due.recipient.email)
                )
    return expected


def planned() -> set[tuple[object, ...]]:
    return {
        (r.commitment_id, r.kind, r.nominal_on, r.send_on, r.recipient_email)
        for r in db.session.scalars(sa.select(PlannedReminder))
    }


def test_planning_every_day_plans_exactly_what_the_policy_says(register):
    for day in days(FIRST, LAST):
        planning.plan_day(day)
        db.session.commit()
    expected = what_the_policy_says(FIRST, LAST)
    assert planned() == expected
    reminded = {commitment_id for commitment_id, *_rest in expected}
    assert reminded == {
        register[key].id
        for key in (
            "wednesday",
            "saturday",
            "christmas",
            "easter_monday",
            "long_ago",
            "other_ministry",
        )
    }
    # Every Wednesday for the promise of 2016, with the coordinator's copy.
    long_ago = sorted(
        (send_on, email)
        for commitment_id, _kind, _nominal, send_on, email in expected
        if commitment_id == register["long_ago"].id
    )
    wednesdays = [day for day in days(FIRST, LAST) if day.weekday() == 2]
    # Christmas Day and New Year's Day are Wednesdays: those reminders go the day before.
    moved = {
        dt.date(2019, 12, 25): dt.date(2019, 12, 24),
        dt.date(2020, 1, 1): dt.date(2019, 12, 31),
    }
    sent_on = [moved.get(day, day) for day in wednesdays]
    assert long_ago == sorted(
        (day, email)
        for day in sent_on
        for email in ("fatima@minjenv.example", "jan@minjenv.example")
    )


def test_planning_twice_plans_and_mails_every_reminder_once(register):
    for day in days(FIRST, FIRST + dt.timedelta(days=40)):
        first = planning.plan_day(day)
        db.session.commit()
        again = planning.plan_day(day)
        db.session.commit()
        assert (again.reminders, again.messages) == (0, 0), day
        assert first.reminders == len([r for r in planned() if r[3] == day]), (
            f"{day}: planned in the first run"
        )
    reminders = db.session.scalars(sa.select(PlannedReminder)).all()
    assert len(reminders) == len(what_the_policy_says(FIRST, FIRST + dt.timedelta(days=40)))
    messages = {m.id: m for m in db.session.scalars(sa.select(OutboxMessage))}
    # Each reminder is in exactly one e-mail, to its own recipient, and no e-mail is empty.
    assert all(messages[r.message_id].recipient_email == r.recipient_email for r in reminders)
    assert {r.message_id for r in reminders} == {
        m.id for m in messages.values() if m.kind.value == "reminder"
    }


def test_catching_up_after_days_without_a_scheduler_plans_the_missed_reminders_once(register):
    plan_job(dt.date(2019, 10, 1))
    db.session.commit()
    # Down from the 2nd until the 24th; the 14-days-before, 3-days-before, due and first overdue
    # reminders of the Wednesday promise all fell in between.
    reports = plan_job(dt.date(2019, 10, 24))
    db.session.commit()
    assert [report.day for report in reports] == days(dt.date(2019, 10, 2), dt.date(2019, 10, 24))
    assert planned() == what_the_policy_says(dt.date(2019, 10, 1), dt.date(2019, 10, 24))
    kinds = sorted(
        (kind, send_on)
        for commitment_id, kind, _nominal, send_on, _email in planned()
        if commitment_id == register["wednesday"].id
    )
    assert kinds == [
        ("before", dt.date(2019, 10, 2)),
        ("before", dt.date(2019, 10, 11)),
        ("due", dt.date(2019, 10, 16)),
        ("overdue", dt.date(2019, 10, 23)),
    ]
    again = plan_job(dt.date(2019, 10, 24))
    db.session.commit()
    assert sum(report.reminders for report in again) == 0


def test_promises_long_overdue_are_left_alone_between_their_weekly_reminders(register):
    wednesday, thursday = dt.date(2019, 10, 23), dt.date(2019, 10, 24)
    on_wednesday = {promise.id for promise in planning.promises_with_reminders_on(wednesday)}
    assert register["long_ago"].id in on_wednesday
    assert register["long_ago_kept"].id not in on_wednesday  # fulfilled: never read at all
    planning.plan_day(wednesday)
    db.session.commit()
    reminders_before = planned()

    # Thursday: the promise of 2016 is not read, and nothing is planned for it.
    assert planning.promises_with_reminders_on(thursday) == []
    report = planning.plan_day(thursday)
    db.session.commit()
    assert report.reminders == 0
    assert planned() == reminders_before

    # Its next Wednesday it is reminded again, once more with the coordinator's copy.
    planning.plan_day(wednesday + dt.timedelta(days=7))
    db.session.commit()
    new = planned() - reminders_before
    assert {
        (send_on, email)
        for commitment_id, _kind, _nominal, send_on, email in new
        if commitment_id == register["long_ago"].id
    } == {
        (dt.date(2019, 10, 30), "fatima@minjenv.example"),
        (dt.date(2019, 10, 30), "jan@minjenv.example"),
    }


def test_a_register_without_outstanding_deadlines_plans_nothing(app, create_commitment):
    create_commitment(title="Zonder deadline")
    db.session.commit()
    assert planning.earliest_outstanding_deadline() is None
    assert planning.promises_with_reminders_on(dt.date(2019, 10, 16)) == []
    assert planning.plan_day(dt.date(2019, 10, 16)).reminders == 0


def test_reminders_another_process_planned_first_are_not_mailed_and_leave_no_empty_email(
    register, monkeypatch
):
    """Each e-mail is reserved before the reminders go in naming it; a reminder another process
    inserted first is that process's to send: it is in none of these e-mails, and an e-mail left
    without reminders is not queued at all."""
    # Due for "wednesday", three days before "saturday", overdue for the 2016 promise.
    wednesday = dt.date(2019, 10, 16)
    insert_new = planning._insert_new

    def another_process_first(due, reserved):
        taken = [d for d in due if d.commitment_id == register["long_ago"].id]
        assert {d.recipient.email for d in taken} == {
            "fatima@minjenv.example",
            "jan@minjenv.example",
        }
        for d in taken:
            db.session.add(
                PlannedReminder(
                    commitment_id=d.commitment_id,
                    kind=d.kind.value,
                    nominal_on=d.nominal_on,
                    send_on=d.send_on,
                    recipient_email=d.recipient.email,
                )
            )
        db.session.flush()
        return insert_new(due, reserved)

    monkeypatch.setattr(planning, "_insert_new", another_process_first)
    report = planning.plan_day(wednesday)
    db.session.commit()

    # The owner's e-mail without the 2016 promise; the coordinator's copy was all there was.
    assert (report.reminders, report.messages) == (2, 1)
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [(m.recipient_email, m.idempotency_key.startswith("reminders:")) for m in messages] == [
        ("fatima@minjenv.example", True)
    ]
    assert "Op een woensdag" in messages[0].body_text
    assert "Op een zaterdag" in messages[0].body_text
    assert "Lang geleden" not in messages[0].body_text
    reminders = db.session.scalars(sa.select(PlannedReminder)).all()
    assert {(r.commitment_id, r.message_id) for r in reminders} == {
        (register["wednesday"].id, messages[0].id),
        (register["saturday"].id, messages[0].id),
        (register["long_ago"].id, None),  # the other process's, linked by it
    }


def test_an_email_whose_key_was_queued_before_is_not_queued_again(register, monkeypatch):
    """The idempotency key holds for reminder e-mails as for any other: one queued before with
    the same key stays as it was, and no second one is queued."""
    compose = planning._compose_reminders

    def queued_before(*args, **kwargs):
        values = compose(*args, **kwargs)
        db.session.add(
            OutboxMessage(
                **{
                    **values,
                    "subject": "Eerder",
                    "body_text": "Eerder verstuurd.",
                }
            )
        )
        db.session.flush()
        return values

    monkeypatch.setattr(planning, "_compose_reminders", queued_before)
    planning.plan_day(dt.date(2019, 10, 16))
    db.session.commit()
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {(m.recipient_email, m.subject) for m in messages} == {
        ("fatima@minjenv.example", "Eerder"),
        ("jan@minjenv.example", "Eerder"),
    }
    assert {r.message_id for r in db.session.scalars(sa.select(PlannedReminder))} == {None}
