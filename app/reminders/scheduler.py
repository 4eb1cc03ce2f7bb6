"""The scheduler process (`flask scheduler`) and the one-shot `flask reminders run`.

APScheduler runs in its own process, never inside create_app(): web workers send no mail. Jobs
have fixed ids and replace_existing, misfires are coalesced; what has been done is kept in the
database (planning runs, the outbox), so a restart catches up and never repeats.

A third job, *heartbeat*, writes the scheduler's sign of life every minute
(``app.reminders.heartbeat``), which ``/readyz``, ``/metrics`` and the outbox page read. Each job
run gets a run id (on every log record it makes) and ends with one log line: job, duration in
milliseconds, outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.extensions import db, writing
from app.formatting import parse_date, today
from app.logging_setup import JOB_RUN_ID
from app.reminders import alerts, heartbeat, mailer, planning, rappel
from app.reminders.models import OutboxAlert

logger = logging.getLogger(__name__)

reminders_cli = AppGroup("reminders", help="Herinneringen plannen en versturen.")


def plan_job(day: dt.date) -> list[planning.PlanReport]:
    """Plan ``day`` and every missed day before it; one commit a day."""
    reports = []
    for planned_day in planning.days_to_plan(day):
        reports.append(planning.plan_day(planned_day))
        if rappel.is_rappel_day(planned_day):
            rappel.plan_rappel(planned_day)
        db.session.commit()
    return reports


def send_job(
    now: dt.datetime | None = None,
) -> tuple[mailer.SendReport, OutboxAlert | None]:
    """Send what is due, then look at the outbox's health: alert the admins once when it is in
    trouble (DESIGN §8). ``now`` is the clock (default: the real one; tests simulate days)."""
    report = mailer.send_due(now)
    alert = alerts.check_outbox(now)
    db.session.commit()
    return report, alert


def plan_and_send(
    day: dt.date,
) -> tuple[list[planning.PlanReport], mailer.SendReport, OutboxAlert | None]:
    """Plan ``day`` and every missed day before it, then send what is due."""
    reports = plan_job(day)
    return reports, *send_job()


@reminders_cli.command("run")
@click.option(
    "--today", "day", help="De dag waarvoor gepland wordt (JJJJ-MM-DD); standaard vandaag."
)
@with_appcontext
def run_command(day: str | None) -> None:
    """Plan en verstuur eenmalig alles wat op die dag moet (voor cron en tests)."""
    try:
        planned_for = parse_date(day) if day else today()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(mailer.destination())
    with writing():  # beside a running scheduler (cron, or make run), as its jobs do
        reports, sent, alert = plan_and_send(planned_for)
    for report in reports:
        click.echo(
            f"Gepland voor {report.day.isoformat()}: {report.reminders} herinneringen in "
            f"{report.messages} e-mails, {report.digests} overzichten."
        )
    for message in sent.sent:
        click.echo(f"Verstuurd aan {message.recipient_email}: {message.subject}")
    for message in sent.failed:
        click.echo(f"Mislukt, later opnieuw: {message.recipient_email}: {message.last_error}")
    for message in sent.dead:
        click.echo(f"Opgegeven: {message.recipient_email}: {message.last_error}")
    click.echo(
        f"Verstuurd: {len(sent.sent)}, mislukt: {len(sent.failed)}, opgegeven: {len(sent.dead)}."
    )
    if alert is not None:
        click.echo(
            f"De outbox loopt vast ({alert.dead} opgegeven, {alert.stuck} wachten te lang): "
            "de beheerders krijgen één waarschuwing."
        )


#: How often the heartbeat job writes the scheduler's sign of life.
HEARTBEAT_EVERY_SECONDS = 60


def heartbeat_job(now: dt.datetime | None = None) -> None:
    """Say the scheduler is alive (at ``now``, default the clock) and commit."""
    heartbeat.beat(now)
    db.session.commit()


JOBS: dict[str, Callable[[], object]] = {
    "plan": lambda: plan_job(today()),
    "send": send_job,
    "heartbeat": heartbeat_job,
}


def _in_context(app: Flask, job: str) -> None:
    """Run one job in an app context, with a run id, ending with one log line."""
    run_id = JOB_RUN_ID.set(uuid.uuid4().hex[:16])
    started = time.perf_counter()

    def fields(outcome: str) -> dict[str, object]:
        milliseconds = round((time.perf_counter() - started) * 1000, 1)
        return {"job": job, "duration_ms": milliseconds, "outcome": outcome}

    try:
        with app.app_context(), writing():
            try:
                JOBS[job]() if job in JOBS else app.extensions["scheduler_jobs"][job][2]()
            except Exception:
                db.session.rollback()
                found = fields("error")
                logger.exception(
                    "Scheduler job %s failed after %.1f ms; it runs again at its next time",
                    job,
                    found["duration_ms"],
                    extra={"fields": found},
                )
                raise
            finally:
                db.session.remove()
        found = fields("ok")
        logger.info(
            "Scheduler job %s done in %.1f ms", job, found["duration_ms"], extra={"fields": found}
        )
    finally:
        JOB_RUN_ID.reset(run_id)


def build_scheduler(app: Flask) -> BlockingScheduler:
    timezone = ZoneInfo(app.config["TIMEZONE"])
    scheduler = BlockingScheduler(timezone=timezone)
    common = {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": 24 * 3600,
    }
    hour, minute = (int(part) for part in app.config["PLAN_AT"].split(":"))
    scheduler.add_job(
        _in_context,
        CronTrigger(hour=hour, minute=minute, timezone=timezone),
        args=[app, "plan"],
        id="plan",
        name="Herinneringen plannen",
        next_run_time=dt.datetime.now(timezone),  # catch up at start-up
        **common,
    )
    scheduler.add_job(
        _in_context,
        IntervalTrigger(seconds=app.config["SEND_EVERY_SECONDS"], timezone=timezone),
        args=[app, "send"],
        id="send",
        name="Outbox versturen",
        next_run_time=dt.datetime.now(timezone),
        **common,
    )
    scheduler.add_job(
        _in_context,
        IntervalTrigger(seconds=HEARTBEAT_EVERY_SECONDS, timezone=timezone),
        args=[app, "heartbeat"],
        id="heartbeat",
        name="Hartslag",
        next_run_time=dt.datetime.now(timezone),
        **common,
    )
    # Nightly jobs other features hand in (app.extensions["scheduler_jobs"]: name → ("HH:MM",
    # label, function)), e.g. the Kamer sync (DESIGN §13); the scheduler does not import them.
    for name, (at, label, _run) in app.extensions.get("scheduler_jobs", {}).items():
        hour, minute = (int(part) for part in at.split(":"))
        scheduler.add_job(
            _in_context,
            CronTrigger(hour=hour, minute=minute, timezone=timezone),
            args=[app, name],
            id=name,
            name=label,
            **common,
        )
    return scheduler


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Draai de planner (plannen 's ochtends en bij de start, versturen elke minuut)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        click.echo("SQLite: draai één scheduler tegelijk (PostgreSQL staat er meer toe).")
    click.echo(mailer.destination())
    click.echo("Scheduler gestart; stoppen met Ctrl+C.")
    scheduler = build_scheduler(app)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler gestopt.")
