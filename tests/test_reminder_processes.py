"""Reminders across real processes: a sender killed mid-send, two schedulers racing on
PostgreSQL, and gunicorn's workers beside one `flask scheduler`."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

import flask_migrate
import pytest
import sqlalchemy as sa

from app import MIGRATIONS_DIR
from app.auth.models import Role, User
from app.dbtypes import utcnow
from app.extensions import db
from app.register import services
from app.register.models import Ministry
from app.reminders import mailer, planning
from app.reminders.models import MessageState, OutboxMessage, PlannedReminder, PlanningRun
from tests.conftest import REPO_DIR, database_url
from tests.process_helpers import make_app
from tests.smtp import free_port
from tests.waiting import wait_until

pytestmark = pytest.mark.slow  # real processes: seconds each

DEADLINE = dt.date(2019, 10, 16)
OWNERS = 3


def fill(url: str, deadline: dt.date = DEADLINE) -> None:
    """A register with three owners, each with two promises due on ``deadline``."""
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        jenv = Ministry(code="JenV", name="Justitie en Veiligheid")
        db.session.add(jenv)
        for number in range(OWNERS):
            owner = User(
                email=f"eigenaar{number}@minjenv.example",
                name=f"Eigenaar {number}",
                role=Role.CLERK,
                ministry=jenv,
                active=True,  # an owner must be active; the column default comes only on insert
            )
            db.session.add(owner)
            for title in ("Brief A", "Brief B"):
                services.create_commitment(
                    title=f"{title} {number}",
                    text="Ik zal.",
                    made_on=dt.date(2019, 4, 11),
                    ministry=jenv,
                    owner=owner,
                    deadline=deadline,
                )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def smtp_server(smtp_servers):
    """A recording SMTP server for the apps in this test's processes."""
    return smtp_servers.recording()


def test_a_sender_killed_after_handing_over_is_resent_with_the_same_message_id(
    backend, tmp_path, smtp_server
):
    url = database_url(backend, tmp_path, "killed_sender")
    fill(url)
    app = make_app(url, smtp_server.port)
    with app.app_context():
        planning.plan_day(DEADLINE)
        db.session.commit()
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id > 1))
        db.session.commit()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.process_helpers",
            "claim-send-and-die",
            url,
            str(smtp_server.port),
        ],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == -9, result.stderr  # SIGKILL
    assert len(smtp_server.inbox.messages) == 1
    with app.app_context():
        message = db.session.get_one(OutboxMessage, 1)
        assert message.state is MessageState.SENDING  # the claim outlived its sender
        assert mailer.send_due().sent == []  # the lease still holds
        report = mailer.send_due(now=utcnow() + mailer.LEASE + dt.timedelta(seconds=1))
        assert [m.id for m in report.sent] == [1]
        db.session.remove()
        db.engine.dispose()
    first, second = smtp_server.inbox.messages
    assert first["Message-ID"] == second["Message-ID"]


def postgres_only_url(tmp_path: Path) -> str:
    return database_url("postgresql", tmp_path, "racing_schedulers")


@pytest.mark.postgres  # two schedulers racing need PostgreSQL itself
def test_two_schedulers_racing_deliver_every_message_exactly_once(tmp_path, smtp_server):
    url = postgres_only_url(tmp_path)
    fill(url)
    rounds = 50
    context = multiprocessing.get_context("spawn")
    start, done = context.Barrier(3), context.Barrier(3)
    workers = [
        context.Process(
            target=_race_worker,
            args=(url, smtp_server.port, DEADLINE.isoformat(), rounds, start, done),
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    engine = sa.create_engine(url)
    try:
        for round_number in range(rounds):
            with engine.begin() as connection:
                for model in (PlannedReminder, OutboxMessage, PlanningRun):
                    connection.execute(sa.delete(model))
            before = len(smtp_server.inbox.messages)
            start.wait(timeout=60)
            done.wait(timeout=60)
            this_round = smtp_server.inbox.messages[before:]
            ids = [message["Message-ID"] for message in this_round]
            assert len(ids) == OWNERS, f"round {round_number}: {len(ids)} e-mails"
            assert len(set(ids)) == OWNERS, f"round {round_number}: duplicates"
            with engine.connect() as connection:
                states = connection.execute(sa.select(OutboxMessage.state)).scalars().all()
            assert len(states) == OWNERS
            assert set(states) == {MessageState.SENT}
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
        engine.dispose()
    assert all(worker.exitcode == 0 for worker in workers)


def _race_worker(*args):  # type: ignore[no-untyped-def]
    from tests.process_helpers import plan_and_send_in_rounds

    plan_and_send_in_rounds(*args)


def test_gunicorn_workers_send_nothing_and_one_scheduler_sends_once(backend, tmp_path, smtp_server):
    url = database_url(backend, tmp_path, "gunicorn_scheduler")
    fill(url, deadline=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3650))
    app = make_app(url)
    with app.app_context():
        mission = db.session.scalars(sa.select(services.Commitment)).first()
        from app.reminders.following import confirm, follow

        for number in range(4):
            follower, _queued = follow(f"volger{number}@example.org", commitment=mission)
            confirm(follower)
        db.session.commit()
        services.change_deadline(mission, mission.deadline, "over tien jaar", note="Gewijzigd.")
        db.session.commit()
        expected = {m.message_id for m in db.session.scalars(sa.select(OutboxMessage))}
        db.session.remove()
        db.engine.dispose()
    assert len(expected) == 8  # four confirmations, four notifications

    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "APP_ENV": "production",
        "ALLOW_SQLITE": "1",  # the SQLite half: production on one machine, as a trial
        "BASE_URL": "http://register.test",
        "SECRET_KEY": secrets.token_hex(32),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "SEND_EVERY_SECONDS": "1",
        "FLASK_APP": "app",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
    }
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "3",
            "-b",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=REPO_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler"],
        cwd=REPO_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = JSONLog(scheduler.stderr)
    try:
        import urllib.request

        wait_until(
            lambda: len(smtp_server.inbox.messages) >= len(expected),
            timeout=60,
            message=lambda: f"{len(smtp_server.inbox.messages)} of {len(expected)} e-mails",
        )
        for _ in range(10):  # the web workers serve, and must not send anything themselves
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/toezeggingen", timeout=10) as r:
                assert r.status == 200
        # A few more sending rounds, counted in the scheduler's log: nothing may arrive twice.
        rounds = log.count(outbox_sent)
        wait_until(
            lambda: log.count(outbox_sent) >= rounds + 3,
            timeout=60,
            message=lambda: f"the scheduler's log: {log.lines[-5:]}",
        )
    finally:
        scheduler.terminate()
        gunicorn.terminate()
        scheduler.wait(timeout=30)
        gunicorn.wait(timeout=30)
    received = [message["Message-ID"] for message in smtp_server.inbox.messages]
    assert sorted(received) == sorted(expected)
    log.thread.join(timeout=10)
    assert log.not_json == []  # LOG_FORMAT=json: every line the scheduler logged is one object


def outbox_sent(record: dict[str, str]) -> bool:
    """APScheduler's record of one finished run of the scheduler's sending job."""
    return record["logger"].startswith("apscheduler.executors") and bool(
        re.fullmatch(r'Job "Outbox versturen .*" executed successfully', record["message"])
    )


class JSONLog:
    """A process's JSON log lines, read as they come by a thread of their own."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[dict[str, str]] = []
        self.not_json: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                self.not_json.append(line)

    def count(self, predicate: Callable[[dict[str, str]], bool]) -> int:
        return sum(1 for record in list(self.lines) if predicate(record))
