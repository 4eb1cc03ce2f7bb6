"""No request holds a worker hostage: a query past the time limit answers 503 and frees it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Blueprint, Flask

from app import MIGRATIONS_DIR, create_app
from app.extensions import db
from config import TestConfig
from tests.conftest import database_url, make_app
from tests.servers import gunicorn_hosts, status_of
from tests.waiting import wait_until

#: Counting to a hundred million takes seconds on either database.
SLOW = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {limit}) "
SLOW += "SELECT count(*) FROM n"


@pytest.fixture
def limited_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An app whose requests may use 0.2 s of database time, with a slow and a quick page."""
    url = database_url(backend, tmp_path, "timeout_tests")
    config = type(
        "TimeoutConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "QUERY_TIMEOUT_SECONDS": 0.2},
    )
    application = create_app(config)
    pages = Blueprint("timeout_pages", __name__)

    @pages.get("/proef/traag")
    @pages.get("/api/proef/traag")
    def slow() -> str:
        return str(db.session.scalar(sa.text(SLOW.format(limit=100_000_000))))

    @pages.get("/proef/snel")
    def quick() -> str:
        return str(db.session.scalar(sa.text("SELECT 1")))

    application.register_blueprint(pages)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def test_a_query_past_the_limit_answers_503_in_dutch(limited_app):
    response = limited_app.test_client().get("/proef/traag")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Deze zoekopdracht kost te veel tijd." in page
    assert response.headers["Retry-After"] == "30"


def test_the_api_answers_the_same_as_json(limited_app):
    response = limited_app.test_client().get("/api/proef/traag")
    assert response.status_code == 503
    assert response.json["status"] == 503
    assert response.json["error"].startswith("Deze zoekopdracht kost te veel tijd.")


def test_the_worker_is_free_again_afterwards(limited_app):
    client = limited_app.test_client()
    for _attempt in range(3):
        assert client.get("/proef/traag").status_code == 503
        quick = client.get("/proef/snel")
        assert quick.status_code == 200
        assert quick.get_data(as_text=True) == "1"


def test_commands_and_jobs_are_not_limited(limited_app):
    """Outside a request (flask commands, the scheduler) a query may take as long as it needs."""
    with limited_app.app_context():
        assert db.session.scalar(sa.text(SLOW.format(limit=3_000_000))) == 3_000_000
        db.session.rollback()


# Under gunicorn, as in production ---------------------------------------------------------

SLOW_SEARCHES = 8


@pytest.mark.slow
def test_eight_slow_searches_at_once_leave_the_site_answering(backend, tmp_path):
    """gunicorn.conf.py's worker model (two processes of threads): while eight requests sit in
    slow queries, /healthz and the list page still answer, and the slow ones end in 503."""
    url = database_url(backend, tmp_path, "eight_slow")
    application = make_app(url)
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        db.session.remove()
        db.engine.dispose()
    started = tmp_path / "started"
    started.mkdir()
    settings = {
        **os.environ,
        "DATABASE_URL": url,
        "APP_ENV": "production",
        "ALLOW_SQLITE": "1",  # the SQLite half: production on one machine, as a trial
        "BASE_URL": "http://register.test",
        "SECRET_KEY": secrets.token_hex(32),
        # Long enough that the checks below finish while all eight still run, even on a busy
        # machine; they then end in 503 at that limit.
        "QUERY_TIMEOUT_SECONDS": "20",
        "STARTED_DIR": str(started),
    }
    slow_app = "tests.process_helpers:app_with_a_slow_search()"
    with gunicorn_hosts(settings, tmp_path, app=slow_app) as [base]:
        with ThreadPoolExecutor(SLOW_SEARCHES) as pool:
            slow = [pool.submit(status_of, f"{base}/proef/traag") for _ in range(SLOW_SEARCHES)]
            wait_until(
                lambda: len(list(started.iterdir())) == SLOW_SEARCHES,
                timeout=30,
                message=lambda: f"{len(list(started.iterdir()))} slow searches running",
            )
            assert status_of(f"{base}/healthz") == 200
            assert status_of(f"{base}/toezeggingen") == 200
            assert not any(search.done() for search in slow)  # all eight still running
            assert [search.result() for search in slow] == [503] * SLOW_SEARCHES
        assert status_of(f"{base}/toezeggingen") == 200
