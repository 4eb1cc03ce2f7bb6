"""Reminders against a real SMTP server: once and only once, and nothing lost on failures."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.register import services
from app.register.models import CommitmentStatus
from app.reminders import mailer, planning
from app.reminders.models import MessageState, OutboxMessage, PlannedReminder

EXPECTED = Path(__file__).resolve().parent / "expected_emails"
DEADLINE = dt.date(2019, 10, 16)  # a Wednesday
DUE_DAY = DEADLINE
SECOND_OVERDUE = dt.date(2019, 10, 30)


@pytest.fixture
def world(app, create_ministry, create_user, create_commitment):
    jenv = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    owner = create_user(name="Fatima el Amrani", email="fatima@minjenv.example", ministry=jenv)
    coordinator = create_user(
        name="Jan de Coördinator", email="jan@minjenv.example", ministry=jenv, role=Role.COORDINATOR
    )
    mission = create_commitment(
        title="Hervestigingsmissie",
        ministry=jenv,
        owner=owner,
        deadline=DEADLINE,
        deadline_phrase="voor de herfst",
        made_on=dt.date(2019, 4, 11),
    )
    gdf = create_commitment(
        title="Gebruik van de GDF uitbreiden",
        ministry=jenv,
        owner=owner,
        deadline=DEADLINE,
        made_on=dt.date(2019, 4, 11),
    )
    unowned = create_commitment(
        title="Zonder eigenaar", ministry=jenv, made_on=dt.date(2019, 4, 11)
    )
    db.session.commit()
    return {
        "jenv": jenv,
        "owner": owner,
        "coordinator": coordinator,
        "mission": mission,
        "gdf": gdf,
        "unowned": unowned,
    }


def run(runner, day: dt.date):
    result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_two_reminders_for_one_person_on_one_day_come_in_one_email(world, runner, smtp):
    output = run(runner, DUE_DAY)
    assert "2 herinneringen in 1 e-mails" in output
    [email] = smtp.inbox.to("fatima@minjenv.example")
    assert email["Subject"] == "Herinnering: 2 toezeggingen vragen om een brief"
    body = email.get_body(("plain",)).get_content()
    assert "Hervestigingsmissie" in body
    assert "Gebruik van de GDF uitbreiden" in body


def test_running_twice_sends_each_reminder_once(world, runner, smtp):
    run(runner, DUE_DAY)
    second = run(runner, DUE_DAY)
    assert "0 herinneringen" in second
    assert "Verstuurd: 0" in second
    assert len(smtp.inbox.messages) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlannedReminder)) == 2


def test_single_reminder_email_matches_the_expected_text(world, runner, smtp):
    services.change_status(world["gdf"], CommitmentStatus.WITHDRAWN, note="Vervallen.")
    db.session.commit()
    run(runner, DEADLINE - dt.timedelta(days=14))
    [email] = smtp.inbox.messages
    assert email["Subject"] == (
        "Herinnering: brief over 'Hervestigingsmissie' uiterlijk 16 oktober 2019 (TZ-2019-0001)"
    )
    assert email["To"] == "Fatima el Amrani <fatima@minjenv.example>"
    text = email.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == (EXPECTED / "reminder_before.txt").read_text(encoding="utf-8")
    html = email.get_body(("html",)).get_content()
    assert '<a href="http://register.test/toezeggingen/TZ-2019-0001">' in html
    [attachment] = list(email.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert "DTSTART;VALUE=DATE:20191016" in attachment.get_content()


def test_overdue_reminders_reach_coordinators_from_the_second_one(world, runner, smtp):
    def reminders_to_coordinator():
        return [
            m
            for m in smtp.inbox.to("jan@minjenv.example")
            if m["Subject"].startswith("Herinnering")
        ]  # not the Monday digest

    run(runner, DEADLINE + dt.timedelta(days=7))
    assert reminders_to_coordinator() == []
    run(runner, SECOND_OVERDUE)
    [copy] = reminders_to_coordinator()
    assert copy["Subject"] == "Herinnering: 2 toezeggingen vragen om een brief"
    assert "De deadline is 14 dagen verstreken." in copy.get_body(("plain",)).get_content()


def test_a_fulfilled_promise_gets_no_more_reminders(world, runner, smtp, create_document):
    for key in ("mission", "gdf"):
        services.mark_fulfilled(world[key], create_document(date=dt.date(2019, 10, 1)))
    db.session.commit()
    output = run(runner, DUE_DAY)
    assert "0 herinneringen" in output
    assert smtp.inbox.messages == []


def test_a_title_with_line_breaks_cannot_inject_headers(world, runner, smtp):
    services.update_commitment(world["gdf"], {"title": "GDF\r\nBcc: aanvaller@example.com"})
    db.session.commit()
    run(runner, DUE_DAY)
    [email] = smtp.inbox.messages
    assert email["Bcc"] is None
    assert email["X-Envelope-To"] == "fatima@minjenv.example"


def test_without_a_mail_server_each_mail_is_a_readable_eml_file_sent_once(
    world, runner, client, caplog, tmp_path, monkeypatch
):
    monkeypatch.setitem(client.application.config, "MAIL_DIR", tmp_path / "mail")
    caplog.set_level("INFO", logger="app.reminders.mailer")
    output = run(runner, DUE_DAY)
    assert "Zonder MAIL_SERVER worden e-mails niet verstuurd maar als .eml-bestand" in output
    assert f"geschreven in {tmp_path / 'mail'}/" in output
    assert "Verstuurd: 1" in output
    [path] = (tmp_path / "mail").iterdir()
    assert re.fullmatch(r"\d{8}T\d{12}Z-\d+\.eml", path.name)
    assert f"No MAIL_SERVER: e-mail to fatima@minjenv.example written to {path}" in caplog.text
    raw = path.read_bytes().decode()
    # Readable as it stands: no quoted-printable soft breaks or base64 in the text.
    assert "Content-Transfer-Encoding: 8bit" in raw
    assert "Content-Transfer-Encoding: base64" not in raw
    assert "Voor deze toezeggingen moeten brieven naar de Kamer:" in raw
    assert "BEGIN:VCALENDAR" in raw
    email = message_from_bytes(path.read_bytes(), policy=default)
    assert email["Subject"] == "Herinnering: 2 toezeggingen vragen om een brief"
    link = re.search(r"http://register\.test/toezeggingen/TZ-\S+", raw)
    assert link is not None
    assert link.group() in email.get_body(("plain",)).get_content()
    page = client.get(link.group().removeprefix("http://register.test"))
    assert page.status_code == 200
    assert link.group().rsplit("/", 1)[1] in page.get_data(as_text=True)
    # Sent once: running again writes nothing more.
    assert "Verstuurd: 0" in run(runner, DUE_DAY)
    assert len(list((tmp_path / "mail").iterdir())) == 1
    sent = db.session.scalars(sa.select(OutboxMessage)).one()
    assert sent.state is MessageState.SENT
    assert sent.attempts == 1


def test_with_a_mail_server_the_commands_name_it(world, runner, smtp):
    assert f"E-mails gaan naar de mailserver 127.0.0.1:{smtp.port}." in run(runner, DUE_DAY)


def test_a_mail_directory_that_cannot_be_written_is_retried(world, runner, tmp_path, monkeypatch):
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")
    monkeypatch.setitem(runner.app.config, "MAIL_DIR", blocked / "mail")
    output = run(runner, DUE_DAY)
    assert "Mislukt, later opnieuw: fatima@minjenv.example: e-mail niet te schrijven in" in output
    failed = db.session.scalars(sa.select(OutboxMessage)).one()
    assert failed.state is MessageState.FAILED


def test_the_weekly_digest_lists_promises_without_owner_or_deadline(world, runner, smtp):
    run(runner, dt.date(2019, 10, 14))  # a Monday
    [digest] = smtp.inbox.to("jan@minjenv.example")
    assert digest["Subject"] == "1 toezegging van JenV zonder eigenaar of deadline"
    assert "Zonder eigenaar" in digest.get_body(("plain",)).get_content()
    run(runner, dt.date(2019, 10, 15))
    assert len(smtp.inbox.to("jan@minjenv.example")) == 1


def test_mail_server_down_keeps_messages_until_it_is_back(world, runner, mail_server):
    server = mail_server(started=False, timeout=2)
    output = run(runner, DUE_DAY)
    assert "Mislukt, later opnieuw" in output
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.state is MessageState.FAILED
    assert message.next_attempt_at > utcnow()

    server.start()
    mailer.send_due(now=utcnow() + dt.timedelta(hours=1))
    db.session.commit()
    assert len(server.inbox.messages) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).state is MessageState.SENT


def test_451_twice_then_250_is_delivered_on_the_third_attempt(world, runner, smtp):
    smtp.inbox.script = ["451 4.7.1 Greylisted, try again", "451 4.3.0 Try again later"]
    run(runner, DUE_DAY)
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.state is MessageState.FAILED
    first_wait = message.next_attempt_at - dt.datetime.fromisoformat(message.attempt_log[-1]["at"])
    mailer.send_due(now=utcnow() + dt.timedelta(minutes=2))
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.state is MessageState.FAILED
    second_wait = message.next_attempt_at - dt.datetime.fromisoformat(message.attempt_log[-1]["at"])
    assert second_wait > first_wait  # exponential backoff
    mailer.send_due(now=utcnow() + dt.timedelta(minutes=10))
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.state is MessageState.SENT
    assert message.attempts == 3
    assert [entry["error"] is not None for entry in message.attempt_log] == [True, True, False]
    assert "451" in message.attempt_log[0]["error"]
    assert len(smtp.inbox.messages) == 1


def test_550_is_dead_at_once_and_shown_to_admins(world, runner, smtp, client, auth, create_user):
    smtp.inbox.script = ["550 5.1.1 No such user here"]
    output = run(runner, DUE_DAY)
    assert "Opgegeven" in output
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.state is MessageState.DEAD
    assert message.attempts == 1
    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.login(admin)
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert "fatima@minjenv.example" in page
    assert "Opgegeven" in page
    assert "550" in page
    response = client.post(f"/beheer/outbox/{message.id}/opnieuw")
    assert response.status_code == 302
    mailer.send_due()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).state is MessageState.SENT
    assert len(smtp.inbox.messages) == 1


def test_a_server_that_never_answers_times_out_and_is_retried(world, runner, mail_server):
    mail_server(silent=True, timeout=1)
    output = run(runner, DUE_DAY)
    assert "Mislukt, later opnieuw" in output
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.state is MessageState.FAILED
    assert "timed out" in message.last_error.lower() or "timeout" in message.last_error.lower()


def test_an_expired_lease_is_claimed_again_with_the_same_message_id(world, smtp):
    planning.plan_day(DUE_DAY)
    db.session.commit()
    now = utcnow()
    claimed = mailer.claim(now)  # a sender claims, then dies without sending
    assert len(claimed) == 1
    assert mailer.send_due(now=now + dt.timedelta(minutes=1)).sent == []  # lease still held
    report = mailer.send_due(now=now + mailer.LEASE + dt.timedelta(seconds=1))
    assert len(report.sent) == 1
    [email] = smtp.inbox.messages
    assert email["Message-ID"] == report.sent[0].message_id


def test_catch_up_sends_every_missed_reminder_once(world, runner, smtp):
    owner = "fatima@minjenv.example"
    run(runner, DEADLINE - dt.timedelta(days=16))  # the last day the scheduler ran
    assert smtp.inbox.to(owner) == []
    # Down from the 14-days-before reminder (Oct 2) until Oct 4: three days missed.
    output = run(runner, DEADLINE - dt.timedelta(days=12))
    assert output.count("Gepland voor") == 4
    [email] = smtp.inbox.to(owner)
    assert "Nog 14 dagen." in email.get_body(("plain",)).get_content()
    again = run(runner, DEADLINE - dt.timedelta(days=12))
    assert "Verstuurd: 0" in again
    assert len(smtp.inbox.to(owner)) == 1


def test_an_unknown_day_is_refused_with_one_line(app, runner):
    result = runner.invoke(args=["reminders", "run", "--today", "gisteren"])
    assert result.exit_code == 1
    assert "'gisteren' is geen datum." in result.output


@pytest.fixture
def jurgen(world, create_user, create_commitment):
    """An owner whose address has a letter outside ASCII, with a reminder due on DUE_DAY."""
    owner = create_user(
        name="Jürgen Bäcker", email="jürgen@minjenv.example", ministry=world["jenv"]
    )
    create_commitment(
        title="Voor Jürgen",
        ministry=world["jenv"],
        owner=owner,
        deadline=DEADLINE,
        made_on=dt.date(2019, 4, 11),
    )
    db.session.commit()
    return owner


def test_an_address_with_special_characters_never_stops_the_other_mail(jurgen, runner, smtp):
    """jürgen@… goes out with SMTPUTF8 (RFC 6531), and everyone else's reminders go out in the
    same run (an address Python's mail headers cannot write used to stop the whole run)."""
    run(runner, DUE_DAY)
    assert smtp.inbox.to("fatima@minjenv.example")
    [mail] = smtp.inbox.to("jürgen@minjenv.example")
    assert "Voor Jürgen" in mail.get_body(("plain",)).get_content()
    sent = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient_email == "jürgen@minjenv.example")
    ).one()
    assert sent.state is MessageState.SENT


def test_without_a_mail_server_special_characters_are_written_to_the_file(
    jurgen, runner, tmp_path, monkeypatch
):
    monkeypatch.setitem(runner.app.config, "MAIL_DIR", tmp_path)
    run(runner, DUE_DAY)
    texts = [path.read_bytes().decode() for path in tmp_path.iterdir()]
    assert any('To: "Jürgen Bäcker" <jürgen@minjenv.example>' in text for text in texts)
