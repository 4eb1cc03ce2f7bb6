"""SQLite beside another writer: a request that changes the register takes the write lock
before it reads, so it waits for the other writer instead of failing (extensions
.configure_sqlite, .changes_on_get). The mailer beside `make run` marks messages sent while a
visitor opens the confirmation link it just mailed."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import flask_migrate

from app import MIGRATIONS_DIR
from app.extensions import db
from app.register.models import Ministry
from app.reminders import following
from tests.conftest import database_url, make_app

#: How long the other writer holds the lock: long enough for the request to read before it.
HOLD_SECONDS = 0.5


def test_a_confirmation_link_waits_for_another_writer(tmp_path: Path) -> None:
    """SQLite only: PostgreSQL's writers wait for each other's row locks, not for the file."""
    url = database_url("sqlite", tmp_path, "beside_a_writer")
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        jenv = Ministry(code="JenV", name="Justitie en Veiligheid")
        db.session.add(jenv)
        db.session.flush()
        follower, _queued = following.follow("volger@example.org", ministry=jenv)
        db.session.commit()
        token = following.token_for(follower, "confirm")
        db.session.remove()

    holding = threading.Event()

    def other_writer() -> None:
        """Another process's transaction (the mailer's): it writes and commits a little later."""
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE ministry SET name = name || '' WHERE code = 'JenV'")
        holding.set()
        time.sleep(HOLD_SECONDS)
        connection.execute("COMMIT")
        connection.close()

    writer = threading.Thread(target=other_writer)
    writer.start()
    assert holding.wait(5)
    response = app.test_client().get(f"/volgen/bevestigen/{token}")
    writer.join()

    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "U volgt nu Justitie en Veiligheid" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get_one(type(follower), follower.id).confirmed_at is not None
        db.engine.dispose()
