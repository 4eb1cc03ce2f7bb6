"""A mail server that is down for days: retries like a mail server's queue, one alert to the
admins, a banner on the staff pages (DESIGN §8). Real SMTP servers, simulated clocks."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from zoneinfo import ZoneInfo

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_login import login_user

from app import MIGRATIONS_DIR
from app.auth.models import Role, User
from app.dbtypes import utcnow
from app.extensions import db
from app.reminders import alerts, mailer, outbox
from app.reminders.models import (
    MessageKind,
    MessageState,
    OutboxAlert,
    OutboxMessage,
    PlannedReminder,
)
from app.reminders.routes import outbox_banner
from app.reminders.scheduler import plan_job, send_job
from config import read_environment
from tests.conftest import database_url, make_app

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ALERT_SUBJECT = "Toezeggingenregister: e-mail komt niet aan"
#: The simulated scheduler sends every ten minutes (the real one every minute): 144 rounds a day.
ROUND = dt.timedelta(minutes=10)
ROUNDS_A_DAY = 144


@pytest.fixture
def people(app, create_ministry, create_user):
    jenv = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    return {
        "jenv": jenv,
        "fatima": create_user(
            name="Fatima el Amrani", email="fatima@minjenv.example", ministry=jenv
        ),
        "piet": create_user(name="Piet Jansen", email="piet@minjenv.example", ministry=jenv),
        "anna": create_user(name="Anna de Vries", email="anna@minjenv.example", ministry=jenv),
        "admins": [
            create_user(name="Beheerder Een", email="beheer1@minjenv.example", role=Role.ADMIN),
            create_user(name="Beheerder Twee", email="beheer2@minjenv.example", role=Role.ADMIN),
        ],
        "gone": create_user(
            name="Oud-beheerder", email="oud@minjenv.example", role=Role.ADMIN, active=False
        ),
    }


def queue(address: str, key: str, now: dt.datetime | None = None) -> OutboxMessage:
    """One e-mail in the outbox (a follow confirmation: the simplest template)."""
    message_id = outbox.enqueue(
        key=key,
        kind=MessageKind.FOLLOW_CONFIRMATION,
        recipient_email=address,
        recipient_name=None,
        template="follow_confirmation",
        what="TZ-2019-0001",
        confirm_url="http://register.test/volgen/bevestigen/x",
        now=now,
    )
    db.session.commit()
    assert message_id is not None
    return db.session.get_one(OutboxMessage, message_id)


def reload(message: OutboxMessage) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get_one(OutboxMessage, message.id)


def alerts_in(inbox) -> list:  # type: ignore[no-untyped-def]
    return [m for m in inbox.messages if m["Subject"] == ALERT_SUBJECT]


# Settings


def test_retry_and_alert_settings_have_defaults_and_come_from_the_environment():
    defaults = read_environment({})
    assert (defaults["MAIL_RETRY_DAYS"], defaults["OUTBOX_ALERT_AFTER_MINUTES"]) == (5, 60)
    chosen = read_environment({"MAIL_RETRY_DAYS": "2.5", "OUTBOX_ALERT_AFTER_MINUTES": "15"})
    assert (chosen["MAIL_RETRY_DAYS"], chosen["OUTBOX_ALERT_AFTER_MINUTES"]) == (2.5, 15)


@pytest.mark.parametrize("value", ["0", "-1", "vijf", "nan", "inf"])
@pytest.mark.parametrize("name", ["MAIL_RETRY_DAYS", "OUTBOX_ALERT_AFTER_MINUTES"])
def test_retry_and_alert_settings_must_be_positive_numbers(name, value):
    with pytest.raises(RuntimeError, match=f"{name} moet een getal groter dan 0 zijn"):
        read_environment({name: value})


# Retries


def test_the_backoff_doubles_from_a_minute_to_at_most_an_hour():
    waits = [mailer.backoff(attempt) for attempt in (1, 2, 3, 6, 7, 8, 500)]
    assert waits == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=4),
        dt.timedelta(minutes=32),
        dt.timedelta(hours=1),
        dt.timedelta(hours=1),
        dt.timedelta(hours=1),
    ]


def test_temporary_failures_are_retried_for_five_days_then_the_message_is_dead(app, mail_server):
    mail_server(started=False)  # nothing listens: connection refused
    message = queue("iemand@example.org", "retry-window")
    due = message.next_attempt_at
    now = utcnow()
    while True:
        report = mailer.send_due(now=now)
        message = reload(message)
        if message.state is MessageState.DEAD:
            break
        assert message.state is MessageState.FAILED
        assert report.dead == []
        assert message.failing_since == due  # the first attempt was due then
        wait = message.next_attempt_at - now
        assert dt.timedelta(0) < wait <= dt.timedelta(hours=1)
        now = message.next_attempt_at
    assert report.dead == [message]
    assert now == due + dt.timedelta(days=5)  # the last try falls exactly on the limit
    assert 120 <= message.attempts <= 130  # the first hour doubling, then hourly
    assert "ConnectionRefusedError" in message.last_error


def test_mail_retry_days_sets_how_long(app, mail_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_DAYS", 1)
    mail_server(started=False)
    message = queue("iemand@example.org", "one-day")
    due = message.next_attempt_at
    mailer.send_due(now=due)
    mailer.send_due(now=due + dt.timedelta(hours=23, minutes=59))
    assert reload(message).state is MessageState.FAILED
    assert reload(message).next_attempt_at == due + dt.timedelta(days=1)
    report = mailer.send_due(now=due + dt.timedelta(days=1))
    assert [m.id for m in report.dead] == [message.id]


def test_a_resend_starts_a_fresh_retry_window(app, mail_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_DAYS", 1)
    server = mail_server(started=False)
    message = queue("iemand@example.org", "fresh-window")
    due = message.next_attempt_at
    mailer.send_due(now=due)
    mailer.send_due(now=due + dt.timedelta(days=1))
    message = reload(message)
    assert message.state is MessageState.DEAD
    mailer.resend(message)
    db.session.commit()
    assert reload(message).failing_since is None
    server.start()
    mailer.send_due()
    assert reload(message).state is MessageState.SENT


def test_an_unreachable_server_costs_one_timeout_per_round_not_one_per_message(app, mail_server):
    mail_server(silent=True, timeout=1)  # accepts and never answers
    messages = [queue(f"lezer{n}@example.org", f"silent-{n}") for n in range(3)]
    started = time.monotonic()
    report = mailer.send_due(now=utcnow() + dt.timedelta(seconds=1))
    assert time.monotonic() - started < 2.5  # one timeout, not three
    assert len(report.failed) == 3
    first, *others = [reload(m) for m in messages]
    assert "timed out" in first.last_error
    for other in others:
        assert other.state is MessageState.FAILED
        assert other.last_error.startswith("niet geprobeerd, de mailserver was onbereikbaar")
        assert other.failing_since is not None


# Alerts


def test_a_dead_message_alerts_every_active_admin_once(app, people, smtp):
    smtp.inbox.script = ["550 5.1.1 No such user here"]
    dead = queue("bestaat-niet@example.org", "dead-1")
    now = utcnow()
    report, alert = send_job(now)
    assert [m.id for m in report.dead] == [dead.id]
    assert alert is not None
    assert (alert.dead, alert.stuck) == (1, 0)
    # The alerts are in the outbox now; the next rounds send them and alert nobody again.
    for minutes in range(1, 30, 10):
        _report, again = send_job(now + dt.timedelta(minutes=minutes))
        assert again is None
    received = alerts_in(smtp.inbox)
    assert sorted(m["X-Envelope-To"] for m in received) == [
        "beheer1@minjenv.example",
        "beheer2@minjenv.example",
    ]
    body = received[0].get_body(("plain",)).get_content()
    assert "1 bericht is opgegeven" in body
    assert "http://register.test/beheer/outbox" in body
    assert "550" in body
    # A second message dying while the first is still dead: the same trouble, no new alert.
    smtp.inbox.script = ["550 5.1.1 No such user here"]
    queue("ook-niet@example.org", "dead-2")
    _report, again = send_job(now + dt.timedelta(hours=1))
    assert again is None
    assert len(alerts_in(smtp.inbox)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxAlert)) == 1


def test_a_new_alert_only_after_the_trouble_was_over(app, people, smtp, client, auth):
    smtp.inbox.script = ["550 5.1.1 No such user here"]
    dead = queue("tijdelijk-weg@example.org", "dead-again")
    now = utcnow()
    send_job(now)
    send_job(now + dt.timedelta(minutes=1))
    assert len(alerts_in(smtp.inbox)) == 2
    # An admin resends it (the address works again): sent, and the trouble is over.
    auth.login(people["admins"][0])
    assert client.post(f"/beheer/outbox/{dead.id}/opnieuw").status_code == 302
    _report, alert = send_job(now + dt.timedelta(minutes=2))
    assert alert is None
    assert reload(dead).state is MessageState.SENT
    first = db.session.scalars(sa.select(OutboxAlert)).one()
    assert first.is_open is None
    assert first.cleared_at == now + dt.timedelta(minutes=2)
    # Trouble again: a new alert, a new e-mail to each admin.
    smtp.inbox.script = ["550 5.1.1 No such user here"]
    queue("weer-weg@example.org", "dead-later")
    _report, second = send_job(now + dt.timedelta(minutes=3))
    assert second is not None
    assert second.id != first.id
    send_job(now + dt.timedelta(minutes=4))
    assert len(alerts_in(smtp.inbox)) == 4


def test_putting_a_dead_message_aside_ends_the_trouble(app, people, smtp, client, auth):
    smtp.inbox.script = ["550 5.1.1 No such user here"]
    dead = queue("typfout@example.org", "dead-aside")
    now = utcnow()
    send_job(now)
    auth.login(people["admins"][1])
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert "Terzijde leggen" in page
    assert client.post(f"/beheer/outbox/{dead.id}/terzijde").status_code == 302
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert "is terzijde gelegd" in page
    assert "terzijde gelegd op" in page
    assert reload(dead).state is MessageState.DEAD
    assert reload(dead).dismissed_at is not None
    _report, alert = send_job(now + dt.timedelta(minutes=1))
    assert alert is None
    assert alerts.open_alert() is None
    page = client.get("/beheer/").get_data(as_text=True)
    assert "outbox-banner" not in page


def test_only_admins_put_messages_aside_and_only_dead_ones(app, people, smtp, client, auth):
    waiting = queue("wacht@example.org", "not-dead")
    auth.login(people["fatima"])
    assert client.post(f"/beheer/outbox/{waiting.id}/terzijde").status_code == 403
    auth.logout()
    auth.login(people["admins"][0])
    assert client.post(f"/beheer/outbox/{waiting.id}/terzijde").status_code == 302
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert "Alleen opgegeven berichten kunnen terzijde." in page
    assert reload(waiting).dismissed_at is None
    for action in ("terzijde", "opnieuw"):
        assert client.post(f"/beheer/outbox/999999/{action}").status_code == 404
        assert client.post(f"/beheer/outbox/{'9' * 20}/{action}").status_code == 404


def test_admins_see_a_banner_on_staff_pages_while_the_outbox_is_stuck(app, people, client, auth):
    # Queued two hours ago and never sent: no scheduler runs. No alert can go out then,
    # but the banner shows it.
    queue("lezer@example.org", "stuck", now=utcnow() - dt.timedelta(hours=2))
    auth.login(people["admins"][0])
    page = client.get("/beheer/").get_data(as_text=True)
    assert "De e-mail van het register hapert:" in page
    assert "1 bericht wacht langer dan 60 minuten" in page
    assert 'href="/beheer/outbox">Naar de outbox</a>' in page
    assert "outbox-banner" in client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "outbox-banner" not in client.get("/toezeggingen").get_data(as_text=True)
    english = client.get("/beheer/?lang=en").get_data(as_text=True)
    assert "1 message has been waiting for more than 60 minutes" in english
    auth.logout()
    auth.login(people["fatima"])
    assert "outbox-banner" not in client.get("/beheer/").get_data(as_text=True)


def test_a_message_due_less_than_the_threshold_is_no_trouble(app, people, monkeypatch):
    queue("lezer@example.org", "recent", now=utcnow() - dt.timedelta(minutes=30))
    assert not alerts.health().in_trouble
    monkeypatch.setitem(app.config, "OUTBOX_ALERT_AFTER_MINUTES", 20)
    found = alerts.health()
    assert (found.stuck, found.dead, found.after_minutes) == (1, 0, 20)


def test_the_banner_never_breaks_an_error_page(app, people, backend):
    """After a failed statement (an error page is being shown) the banner stays away."""
    queue("lezer@example.org", "stuck-error", now=utcnow() - dt.timedelta(hours=2))
    with app.test_request_context("/beheer/"):
        login_user(people["admins"][0])
        outbox_trouble = outbox_banner()["outbox_trouble"]
        assert outbox_trouble() is not None
        with pytest.raises(sa.exc.DBAPIError):
            db.session.execute(sa.text("SELECT no_such_column FROM outbox_message"))
        found = outbox_trouble()  # PostgreSQL: the transaction is aborted; no exception
        assert found is None if backend == "postgresql" else found is not None
        db.session.rollback()


def test_checking_again_after_a_restart_alerts_nobody_twice(app, people, mail_server):
    mail_server(started=False)
    queue("lezer@example.org", "restart", now=utcnow() - dt.timedelta(hours=2))
    assert alerts.check_outbox() is not None
    db.session.commit()
    db.session.remove()  # a scheduler process ends; another starts
    assert alerts.check_outbox() is None
    keys = db.session.scalars(
        sa.select(OutboxMessage.idempotency_key).where(
            OutboxMessage.kind == MessageKind.OUTBOX_ALERT
        )
    ).all()
    assert len(keys) == 2
    assert all(key.startswith("outbox-alert:") for key in keys)


@pytest.mark.postgres
def test_two_schedulers_noticing_at_once_open_one_alert(tmp_path):
    """Two processes' send jobs find the same trouble at the same moment on PostgreSQL."""
    url = database_url("postgresql", tmp_path, "alert_race")
    setup = make_app(url)
    with setup.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        for number in range(3):
            db.session.add(
                User(
                    email=f"beheer{number}@example.org", name=f"Beheerder {number}", role=Role.ADMIN
                )
            )
        queue("lezer@example.org", "race", now=utcnow() - dt.timedelta(hours=2))
        db.session.remove()
        db.engine.dispose()
    start = threading.Barrier(2)
    opened: list[OutboxAlert | None] = []

    def scheduler(application: Flask) -> None:
        with application.app_context():
            start.wait(timeout=30)
            alert = alerts.check_outbox()
            opened.append(alert)
            db.session.commit()
            db.session.remove()
            db.engine.dispose()

    # Each "process" its own app and engine, built here: building apps in threads at once
    # trips CPython 3.11's parser (werkzeug compiles its routes with ast).
    threads = [threading.Thread(target=scheduler, args=(make_app(url),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(opened) == 2
    assert sum(alert is not None for alert in opened) == 1
    with setup.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxAlert)) == 1
        kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
        assert Counter(kinds)[MessageKind.OUTBOX_ALERT] == 3
        db.session.remove()
        db.engine.dispose()


def test_reminders_run_says_when_the_admins_are_alerted(app, people, runner, mail_server):
    mail_server(started=False)
    queue("lezer@example.org", "cli", now=utcnow() - dt.timedelta(hours=2))
    result = runner.invoke(args=["reminders", "run", "--today", "2019-10-16"])
    assert result.exit_code == 0, result.output
    assert "De outbox loopt vast (0 opgegeven, 1 wachten te lang)" in result.output
    again = runner.invoke(args=["reminders", "run", "--today", "2019-10-16"])
    assert "De outbox loopt vast" not in again.output


# The mail server down for three days


@pytest.mark.slow  # 445 simulated scheduler rounds: seconds
def test_a_mail_server_down_for_three_days_loses_nothing_and_alerts_once(
    app, people, create_commitment, mail_server
):
    """Reminders are planned on three mornings while nothing listens on the mail port; the
    send job runs every ten simulated minutes throughout. Then the server comes back.

    Planning stamps its messages with the real clock, so the second and third mornings'
    reminders look due since the first morning: if anything, they look stuck for longer."""
    jenv, fatima, piet, anna = (people[k] for k in ("jenv", "fatima", "piet", "anna"))
    days = [dt.date(2019, 10, 16), dt.date(2019, 10, 17), dt.date(2019, 10, 18)]  # Wed-Fri
    for title in ("Hervestigingsmissie", "Gebruik van de GDF"):
        create_commitment(title=title, ministry=jenv, owner=fatima, deadline=days[0])
    create_commitment(title="Brief over Libië", ministry=jenv, owner=piet, deadline=days[1])
    create_commitment(title="Evaluatie", ministry=jenv, owner=anna, deadline=days[2])
    # 14 days ahead: Fatima's "before" reminder on the third day.
    create_commitment(
        title="Voortgangsrapportage", ministry=jenv, owner=fatima, deadline=dt.date(2019, 11, 1)
    )
    db.session.commit()
    server = mail_server(started=False, timeout=2)

    start: dt.datetime | None = None
    for number, day in enumerate(days):
        plan_job(day)
        start = start or utcnow()
        morning = start + dt.timedelta(days=number)
        for step in range(ROUNDS_A_DAY):
            report, _alert = send_job(morning + step * ROUND)
            assert report.sent == []
            assert report.dead == []
    assert start is not None
    assert len(server.inbox.messages) == 0

    [alert] = db.session.scalars(sa.select(OutboxAlert)).all()
    assert alert.is_open is True
    assert alert.opened_at == start + dt.timedelta(hours=1)  # stuck for the threshold
    assert (alert.dead, alert.stuck) == (0, 1)

    server.start()
    back = start + dt.timedelta(days=3)
    for step in range(13):  # two hours of rounds
        report, _alert = send_job(back + step * ROUND)
        assert report.dead == []

    db.session.expire_all()
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {m.state for m in messages} == {MessageState.SENT}
    assert all(m.sent_at < back + dt.timedelta(hours=1, minutes=1) for m in messages)
    # Every reminder arrived exactly once.
    reminders = db.session.scalars(sa.select(PlannedReminder)).all()
    assert len(reminders) == 5
    received = Counter(m["Message-ID"] for m in server.inbox.messages)
    assert set(received.values()) == {1}
    for reminder in reminders:
        message = db.session.get_one(OutboxMessage, reminder.message_id)
        assert received[message.message_id] == 1
    by_address = Counter(m["X-Envelope-To"] for m in server.inbox.messages)
    assert by_address == {
        "fatima@minjenv.example": 2,
        "piet@minjenv.example": 1,
        "anna@minjenv.example": 1,
        "beheer1@minjenv.example": 1,
        "beheer2@minjenv.example": 1,
    }
    # The admins got one alert each: that the outbox stopped moving, sent once it could be.
    received_alerts = alerts_in(server.inbox)
    assert len(received_alerts) == 2
    body = received_alerts[0].get_body(("plain",)).get_content()
    assert "langer dan 60 minuten aan de beurt en nog niet verstuurd" in body
    assert "ConnectionRefusedError" in body
    assert f"Het langst wachtende sinds {start.astimezone(AMSTERDAM):%-d}" in body
    db.session.expire_all()
    alert = db.session.get_one(OutboxAlert, alert.id)
    assert alert.is_open is None
    assert alert.cleared_at is not None
    assert alert.cleared_at >= back
