"""The twice-yearly rappel to coordinators, and how the scheduler process is put together."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import flask_migrate
import pytest
import sqlalchemy as sa

from app import MIGRATIONS_DIR, create_app
from app.auth.models import Role
from app.extensions import db, writing
from app.reminders import heartbeat
from app.reminders.models import OutboxMessage
from app.reminders.scheduler import build_scheduler
from config import TestConfig
from tests.conftest import make_app


@pytest.fixture
def ministry_with_promises(app, create_ministry, create_user, create_commitment):
    jenv = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    owner = create_user(name="Fatima el Amrani", ministry=jenv)
    coordinator = create_user(
        name="Jan Coördinator", email="jan@minjenv.example", ministry=jenv, role=Role.COORDINATOR
    )
    create_commitment(
        title="Te late brief",
        ministry=jenv,
        owner=owner,
        deadline=dt.date(2019, 1, 31),
        made_on=dt.date(2018, 11, 1),
    )
    create_commitment(title="Brief zonder deadline", ministry=jenv, made_on=dt.date(2019, 1, 5))
    db.session.commit()
    return {"jenv": jenv, "coordinator": coordinator, "owner": owner}


def test_coordinators_get_the_rappel_on_the_first_of_march(ministry_with_promises, runner, smtp):
    runner.invoke(args=["reminders", "run", "--today", "2019-02-28"])
    assert [m for m in smtp.inbox.to("jan@minjenv.example") if "Rappel" in m["Subject"]] == []
    runner.invoke(args=["reminders", "run", "--today", "2019-03-01"])
    [rappel] = [m for m in smtp.inbox.to("jan@minjenv.example") if "Rappel" in m["Subject"]]
    assert rappel["Subject"] == "Rappel JenV: 2 openstaande toezeggingen"
    body = rappel.get_body(("plain",)).get_content()
    assert "Te late brief" in body
    assert "TE LAAT" in body
    assert "Eigenaar: Fatima el Amrani" in body
    assert "Brief zonder deadline" in body
    runner.invoke(args=["reminders", "run", "--today", "2019-03-01"])
    assert len([m for m in smtp.inbox.to("jan@minjenv.example") if "Rappel" in m["Subject"]]) == 1


def test_the_printable_rappel_page(ministry_with_promises, client, auth):
    auth.login(ministry_with_promises["coordinator"])
    page = client.get("/beheer/rappel").get_data(as_text=True)
    assert "Rappel Ministerie van Justitie en Veiligheid" in page
    assert "Te late brief" in page
    assert "Te laat" in page
    assert "Fatima el Amrani" in page


def test_clerks_do_not_get_the_rappel_page(ministry_with_promises, client, auth):
    auth.login(ministry_with_promises["owner"])
    assert client.get("/beheer/rappel").status_code == 403


def test_the_scheduler_has_fixed_jobs_that_catch_up_and_coalesce(app):
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"plan", "send", "heartbeat"}
    for job in jobs.values():
        assert job.coalesce is True
        assert job.misfire_grace_time >= 3600
        assert job.max_instances == 1
    assert str(jobs["plan"].trigger).startswith("cron[hour='7', minute='0'")
    assert jobs["send"].trigger.interval == dt.timedelta(seconds=60)
    assert jobs["heartbeat"].trigger.interval == dt.timedelta(seconds=60)


def test_create_app_starts_no_scheduler():
    before = {thread.name for thread in threading.enumerate()}
    create_app(TestConfig)
    assert {thread.name for thread in threading.enumerate()} == before


def test_scheduled_work_takes_the_write_lock_when_its_transaction_begins(tmp_path):
    """On SQLite a job that read first could not wait for a job that wrote meanwhile (sending
    and the heartbeat run at the same second): its write failed at once with "database is
    locked" and the mail stayed unsent that minute. Jobs now take the write lock at BEGIN, so
    the other one waits its turn; outside them a read leaves writers free."""
    path = tmp_path / "scheduler.sqlite"
    application = make_app(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)  # never waits: says locked
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        with writing():
            db.session.execute(sa.select(OutboxMessage.id)).all()  # sending reads first
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # another job's write waits its turn
            heartbeat.beat()  # and this job's own write goes through
            db.session.commit()
        db.session.execute(sa.select(OutboxMessage.id)).all()
        other.execute("BEGIN IMMEDIATE")  # a plain read transaction leaves writers free
        other.execute("ROLLBACK")
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    other.close()
