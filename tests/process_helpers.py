"""Code that runs in separate processes during the tests (spawned, so nothing is shared)."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def make_app(url: str, mail_port: int | None = None):  # type: ignore[no-untyped-def]
    from app import create_app
    from config import TestConfig

    settings: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False}
    if mail_port:
        settings.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_port, MAIL_TIMEOUT=5)
    return create_app(type("ProcessConfig", (TestConfig,), settings))


def claim_send_and_die(url: str, mail_port: int) -> None:
    """A sender that claims, hands the message to the server, and is killed before it can
    record that: the worst moment to die."""
    from app.dbtypes import utcnow
    from app.extensions import db
    from app.reminders import mailer
    from app.reminders.models import OutboxMessage

    app = make_app(url, mail_port)
    with app.app_context():
        [message_id] = mailer.claim(utcnow())
        mailer.transmit(db.session.get_one(OutboxMessage, message_id))
        os.kill(os.getpid(), signal.SIGKILL)


def plan_and_send_in_rounds(
    url: str, mail_port: int, day_iso: str, rounds: int, start: Any, done: Any
) -> None:
    """One of two schedulers racing: each round both plan and send at the same moment."""
    import datetime as dt

    from app.extensions import db
    from app.reminders import mailer, planning

    app = make_app(url, mail_port)
    day = dt.date.fromisoformat(day_iso)
    with app.app_context():
        for _round in range(rounds):
            start.wait(timeout=60)
            planning.plan_day(day)
            db.session.commit()
            mailer.send_due()
            db.session.remove()
            done.wait(timeout=60)


def app_with_a_slow_search():  # type: ignore[no-untyped-def]
    """The production app (settings from the environment, as gunicorn builds it) plus a page
    whose query runs until the time limit stops it; each request first leaves a file in
    ``STARTED_DIR``, so a test knows when they are all being served."""
    import uuid
    from pathlib import Path

    import sqlalchemy as sa
    from flask import Blueprint

    from app import create_app
    from app.extensions import db

    app = create_app()
    pages = Blueprint("slow_pages", __name__)
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )

    @pages.get("/proef/traag")
    def slow() -> str:
        (Path(os.environ["STARTED_DIR"]) / uuid.uuid4().hex).touch()
        return str(db.session.scalar(sa.text(endless)))

    app.register_blueprint(pages)
    return app


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "claim-send-and-die":
        claim_send_and_die(arguments[0], int(arguments[1]))
