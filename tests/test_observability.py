"""Operating the register (DESIGN §6, §8): /readyz says whether a host may get traffic, every
request and scheduler job leaves one log line with its id, /metrics feeds Prometheus, and the
outbox page shows how the outbox and the scheduler are doing."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from app import MIGRATIONS_DIR, create_app
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.register.models import CommitmentStatus
from app.reminders.models import (
    MessageKind,
    MessageState,
    OutboxMessage,
    PlanningRun,
    SchedulerHeartbeat,
)
from app.reminders.scheduler import _in_context, heartbeat_job
from config import TestConfig
from tests.conftest import database_url, make_app

HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
BEFORE_HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(HEAD).down_revision


# /readyz, on a database of its own that the tests commit to.


@pytest.fixture(scope="module")
def ready_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = make_app(
        database_url(backend, tmp_path_factory.mktemp("ready"), "readiness_tests")
    )
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    yield application
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def ready(ready_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The migrated app with no heartbeat yet, expecting a scheduler (as by default)."""
    monkeypatch.setitem(ready_app.config, "SCHEDULER_EXPECTED", True)
    with ready_app.app_context():
        db.session.execute(sa.delete(SchedulerHeartbeat))
        db.session.commit()
        yield ready_app
        db.session.remove()


def test_ready_when_migrated_and_the_scheduler_beat_just_now(ready: Flask):
    heartbeat_job()
    response = ready.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok"
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_while_the_scheduler_has_not_beaten_for_too_long(ready: Flask):
    heartbeat_job(utcnow() - dt.timedelta(minutes=11))
    response = ready.test_client().get("/readyz")
    assert response.status_code == 503
    assert re.fullmatch(
        r"scheduler: last heartbeat \S+, 11 minutes ago \(limit 10\)\n",
        response.get_data(as_text=True),
    )
    heartbeat_job(utcnow() - dt.timedelta(minutes=9))
    assert ready.test_client().get("/readyz").status_code == 200


def test_not_ready_before_any_scheduler_ran_unless_none_is_expected(
    ready: Flask, monkeypatch: pytest.MonkeyPatch
):
    response = ready.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True).startswith("scheduler: no heartbeat yet")
    monkeypatch.setitem(ready.config, "SCHEDULER_EXPECTED", False)
    assert ready.test_client().get("/readyz").get_data(as_text=True) == "ok"


def test_not_ready_on_a_database_at_an_older_revision(ready: Flask):
    heartbeat_job()
    flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision=BEFORE_HEAD)
    try:
        response = ready.test_client().get("/readyz")
    finally:
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        f"schema: database at revision {BEFORE_HEAD}, this code needs {HEAD}\n"
        "scheduler: not checked: the schema is not current\n"
    )


def test_not_ready_when_the_database_cannot_be_reached(backend: str, tmp_path: Path):
    """A PostgreSQL port nobody listens on; an SQLite file in a folder that does not exist.
    The reason names no host and no error text."""
    url = (
        "postgresql+psycopg://nobody@127.0.0.1:9/nothing"
        if backend == "postgresql"
        else f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'register.sqlite'}"
    )
    response = make_app(url).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database: unreachable or not answering\n"


# The scheduler's heartbeat and its one line per job run.


def test_the_heartbeat_job_writes_this_process_as_the_scheduler(app: Flask, caplog):
    caplog.set_level(logging.INFO, logger="app.reminders.scheduler")
    _in_context(app, "heartbeat")
    beat = db.session.get_one(SchedulerHeartbeat, 1)
    assert abs(utcnow() - beat.beat_at) < dt.timedelta(minutes=1)
    assert beat.pid > 0
    assert beat.host
    _in_context(app, "heartbeat")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchedulerHeartbeat)) == 1

    lines = [r for r in caplog.records if r.name == "app.reminders.scheduler"]
    assert len(lines) == 2  # one per run
    first, second = lines
    assert first.fields["job"] == "heartbeat"
    assert first.fields["outcome"] == "ok"
    assert first.fields["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{16}", first.job_run_id)
    assert first.job_run_id != second.job_run_id
    assert first.request_id is None


def test_a_failing_job_run_is_one_error_line_with_its_outcome(app: Flask, caplog):
    caplog.set_level(logging.INFO, logger="app.reminders.scheduler")
    with pytest.raises(KeyError):
        _in_context(app, "no-such-job")
    (line,) = [r for r in caplog.records if r.name == "app.reminders.scheduler"]
    assert line.levelno == logging.ERROR
    assert line.fields["outcome"] == "error"
    assert line.exc_info is not None
    assert line.job_run_id


# Request ids and the request log line.


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "app.requests"]


def test_a_sane_request_id_goes_round_and_into_the_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="app.requests")
    response = client.get("/toezeggingen", headers={"X-Request-Id": "lb-7f3a.2026:1=x"})
    assert response.status_code == 200
    assert response.headers["X-Request-Id"] == "lb-7f3a.2026:1=x"
    (line,) = request_lines(caplog)
    assert line.request_id == "lb-7f3a.2026:1=x"
    assert line.fields["method"] == "GET"
    assert line.fields["path"] == "/toezeggingen"
    assert line.fields["status"] == 200
    assert line.fields["duration_ms"] >= 0
    assert line.getMessage().startswith("GET /toezeggingen 200 ")


@pytest.mark.parametrize("bad", ["", "two words", "<script>", "a" * 129, "é", "id;drop", "x/../y"])
def test_a_request_id_that_is_not_a_sane_token_is_replaced(client, caplog, bad):
    caplog.set_level(logging.INFO, logger="app.requests")
    response = client.get("/healthz", headers={"X-Request-Id": bad})
    given = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    (line,) = request_lines(caplog)
    assert line.request_id == given


def test_every_request_gets_its_own_id_also_when_refused(client):
    first = client.get("/healthz").headers["X-Request-Id"]
    second = client.get("/bestaat-niet").headers["X-Request-Id"]
    assert first != second
    assert client.get("/toezeggingen?q=%00").headers["X-Request-Id"]


@pytest.fixture
def logging_app(logging_restored: None, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """An app of its own, logging JSON at INFO, with a view that logs along the way."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = type("JSONLogConfig", (TestConfig,), {"LOG_LEVEL": "INFO"})
    application = create_app(config)

    def working() -> str:
        logging.getLogger("app.tests.view").warning("halfway")
        return "done"

    application.add_url_rule("/werk", view_func=working)
    return application


def test_json_log_lines_carry_the_request_id_of_every_record_in_the_request(logging_app, capsys):
    capsys.readouterr()
    response = logging_app.test_client().get("/werk", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    halfway, done = lines
    assert halfway["message"] == "halfway"
    assert halfway["request_id"] == "abc-123"
    assert done["logger"] == "app.requests"
    assert done["request_id"] == "abc-123"
    assert (done["method"], done["path"], done["status"]) == ("GET", "/werk", 200)
    assert isinstance(done["duration_ms"], float)
    # After the request, records carry no id.
    logging.getLogger("app.tests.view").warning("afterwards")
    (after,) = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert "request_id" not in after


def test_text_log_lines_end_with_the_request_id(logging_restored, capsys, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "text")
    application = create_app(type("TextLogConfig", (TestConfig,), {"LOG_LEVEL": "INFO"}))
    capsys.readouterr()
    application.test_client().get("/healthz", headers={"X-Request-Id": "abc-123"})
    (line,) = capsys.readouterr().err.splitlines()
    assert re.search(
        r" INFO app\.requests: GET /healthz 200 [\d.]+ ms \[request_id=abc-123\]$", line
    )


# /metrics.


def scrape(client, **kwargs) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def make_message(number: int, state: MessageState) -> OutboxMessage:
    message = OutboxMessage(
        idempotency_key=f"test:{number}",
        kind=MessageKind.REMINDER,
        recipient_email=f"ontvanger{number}@ministerie.example",
        subject="Herinnering",
        body_text="Tekst",
        message_id=f"<test-{number}@register.test>",
        state=state,
    )
    db.session.add(message)
    return message


def test_metrics_count_the_outbox_and_the_promises_per_status(client, create_commitment):
    before = scrape(client)
    assert before[("toezeggingen_database_up", ())] == 1
    for number, state in enumerate(
        [MessageState.PENDING] * 3 + [MessageState.FAILED] * 2 + [MessageState.DEAD]
    ):
        make_message(number, state)
    create_commitment()
    create_commitment()
    create_commitment(status=CommitmentStatus.FULFILLED)
    db.session.commit()

    after = scrape(client)
    for state, added in (("pending", 3), ("failed", 2), ("dead", 1), ("sent", 0)):
        key = ("toezeggingen_outbox_messages", (("state", state),))
        assert after[key] - before[key] == added, state
    for status, added in (("open", 2), ("fulfilled", 1), ("withdrawn", 0)):
        key = ("toezeggingen_commitments", (("status", status),))
        assert after[key] - before[key] == added, status


def test_metrics_give_the_scheduler_s_heartbeat_and_last_planning_as_unix_time(app, client):
    names = {name for name, _labels in scrape(client)}
    assert "toezeggingen_scheduler_heartbeat_timestamp_seconds" not in names
    assert "toezeggingen_scheduler_last_planning_run_timestamp_seconds" not in names
    beat = utcnow().replace(microsecond=0) - dt.timedelta(seconds=30)
    heartbeat_job(beat)
    planned = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)
    db.session.add(PlanningRun(day=dt.date(2026, 11, 27), ran_at=planned))
    db.session.commit()
    found = scrape(client)
    assert found[("toezeggingen_scheduler_heartbeat_timestamp_seconds", ())] == beat.timestamp()
    assert (
        found[("toezeggingen_scheduler_last_planning_run_timestamp_seconds", ())]
        == planned.timestamp()
    )


def test_metrics_count_requests_by_endpoint_and_status(client):
    key = (
        "toezeggingen_http_requests_total",
        (("endpoint", "health.healthz"), ("method", "GET"), ("status", "200")),
    )
    missing = (
        "toezeggingen_http_requests_total",
        (("endpoint", "none"), ("method", "GET"), ("status", "404")),
    )
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/bestaat-niet")
    after = scrape(client)
    assert after[key] - before.get(key, 0) == 2
    assert after[missing] - before.get(missing, 0) == 1
    bucket = (
        "toezeggingen_http_request_duration_seconds_count",
        (("endpoint", "health.healthz"), ("status", "200")),
    )
    assert after[bucket] - before.get(bucket, 0) == 2


def test_metrics_are_refused_from_elsewhere_without_the_token(
    client, monkeypatch: pytest.MonkeyPatch
):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_overrides=outside).status_code == 404
    # A proxy on this machine passes on everybody's requests from loopback.
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/metrics", headers=forwarded).status_code == 404
    monkeypatch.setitem(client.application.config, "METRICS_TOKEN", "s3cret-scrape-token")
    for wrong in ("Bearer nope", "s3cret-scrape-token", "Basic s3cret-scrape-token", ""):
        response = client.get(
            "/metrics", environ_overrides=outside, headers={"Authorization": wrong}
        )
        assert response.status_code == 404, wrong
    allowed = {"Authorization": "Bearer s3cret-scrape-token"}
    scrape(client, environ_overrides=outside, headers=allowed)
    scrape(client, environ_overrides={"REMOTE_ADDR": "::1"})


# The outbox page.


def test_the_outbox_page_says_when_the_scheduler_never_reported(client, auth, create_user):
    auth.login(create_user(role=Role.ADMIN))
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert "De scheduler heeft zich nog niet gemeld." in page
    assert re.search(r'id="count-pending">0<', page)
    assert re.search(r'id="last-planning-run">Nog nooit.<', page)


def test_the_outbox_page_shows_counts_heartbeat_and_last_planning(client, auth, create_user):
    auth.login(create_user(role=Role.ADMIN))
    for number, state in enumerate(
        [MessageState.PENDING] * 2 + [MessageState.SENDING, MessageState.DEAD, MessageState.SENT]
    ):
        make_message(number, state)
    heartbeat_job(dt.datetime(2026, 11, 20, 13, 5, tzinfo=dt.UTC))
    db.session.add(
        PlanningRun(day=dt.date(2026, 11, 19), ran_at=dt.datetime(2026, 11, 19, 6, tzinfo=dt.UTC))
    )
    db.session.commit()
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert re.search(r'id="count-pending">3<', page)
    assert re.search(r'id="count-failed">0<', page)
    assert re.search(r'id="count-dead">1<', page)
    heartbeat = re.search(r'id="scheduler-heartbeat">(.*?)</dd>', page, re.S)
    assert heartbeat is not None
    assert "20 november 2026" in heartbeat.group(1)
    assert "14:05" in heartbeat.group(1)  # Amsterdam time
    assert "langer dan 10 minuten geleden" in heartbeat.group(1)
    assert "19 november 2026" in page.split('id="last-planning-run">')[1]
    heartbeat_job()
    db.session.commit()
    page = client.get("/beheer/outbox").get_data(as_text=True)
    assert "langer dan" not in page
