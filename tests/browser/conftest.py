"""A live server on a loopback port and Debian's Chromium driven by Playwright.

The server has a database of its own (built by the migrations, seeded like `make run`), because
its requests run in another thread and cannot share the per-test transaction.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from app import MIGRATIONS_DIR
from app.extensions import db
from app.register.seeding import load_seeds
from tests.conftest import PASSWORD, REPO_DIR, database_url, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO_DIR / "tests" / "artifacts"


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


def _live_app(backend: str, tmp_path: Path, *, seeded: bool) -> Iterator[Flask]:
    app = make_app(database_url(backend, tmp_path, "browser_tests"))
    app.config.update(WTF_CSRF_ENABLED=True, TESTING=False)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        if seeded:
            load_seeds(REPO_DIR / "seeds")
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """The app as after `make run`: migrated and seeded."""
    yield from _live_app(backend, tmp_path, seeded=True)


@pytest.fixture
def empty_live_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with an empty, migrated database."""
    yield from _live_app(backend, tmp_path, seeded=False)


@pytest.fixture
def empty_live_server(empty_live_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(empty_live_app) as server:
        yield server


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(live_app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} ontbreekt: `make test` installeert het Debian-pakket chromium.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{url}/beheer/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
