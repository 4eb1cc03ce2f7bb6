"""Logging is configured once per process: LOG_LEVEL, and LOG_FORMAT=json for one JSON object
per line."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any, ClassVar

import flask_migrate
import pytest

from app import MIGRATIONS_DIR, create_app
from app.extensions import db
from app.logging_setup import HANDLER
from config import Config

pytestmark = pytest.mark.usefixtures("logging_restored")

logger = logging.getLogger("app.tests.logging")


class LoggingConfig(Config):
    """A test app whose log settings come from the environment (TestConfig pins WARNING)."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("LOG_LEVEL", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def ours() -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers if handler is HANDLER]


def test_json_gives_one_object_per_line_with_time_level_logger_and_message(environment, capsys):
    environment.setenv("LOG_FORMAT", "json")
    create_app(LoggingConfig)
    capsys.readouterr()
    logger.warning("Brief %s ontvangen\nop twee regels", "kst-32735-243")
    try:
        1 / 0  # noqa: B018 - an exception to log
    except ZeroDivisionError:
        logger.exception("Versturen mislukt")
    warning, error = json_lines(capsys.readouterr().err)

    assert warning["level"] == "WARNING"
    assert warning["logger"] == "app.tests.logging"
    assert warning["message"] == "Brief kst-32735-243 ontvangen\nop twee regels"
    assert "exc_info" not in warning
    moment = dt.datetime.fromisoformat(warning["time"])
    assert moment.utcoffset() == dt.timedelta(0)
    assert abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)

    assert error["level"] == "ERROR"
    assert error["message"] == "Versturen mislukt"
    assert error["exc_info"].startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: division by zero" in error["exc_info"]


def test_flask_s_own_logger_writes_json_too_and_only_once(environment, capsys):
    environment.setenv("LOG_FORMAT", "json")
    application = create_app(LoggingConfig)
    capsys.readouterr()
    application.logger.error("Fout in een verzoek")
    [line] = json_lines(capsys.readouterr().err)
    assert line["logger"] == "app"
    assert line["message"] == "Fout in een verzoek"


def test_the_default_is_one_readable_line_at_info(environment, capsys):
    create_app(LoggingConfig)
    assert logging.getLogger().level == logging.INFO
    capsys.readouterr()
    logger.info("Herinneringen gepland")
    logger.debug("Niet te zien")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO app\.tests\.logging: Herinneringen gepland\n",
        capsys.readouterr().err,
    )


@pytest.mark.parametrize(
    ("given", "level", "shown"),
    [
        ("ERROR", logging.ERROR, ["ERROR"]),
        ("warning", logging.WARNING, ["WARNING", "ERROR"]),
        ("DEBUG", logging.DEBUG, ["DEBUG", "INFO", "WARNING", "ERROR"]),
    ],
)
def test_log_level_is_honoured(environment, capsys, given, level, shown):
    environment.setenv("LOG_LEVEL", given)
    environment.setenv("LOG_FORMAT", "json")
    create_app(LoggingConfig)
    assert logging.getLogger().level == level
    capsys.readouterr()
    for method in (logger.debug, logger.info, logger.warning, logger.error):
        method("Melding")
    assert [line["level"] for line in json_lines(capsys.readouterr().err)] == shown


def test_tests_log_warnings_and_up(capsys):
    from config import TestConfig

    create_app(TestConfig)
    assert logging.getLogger().level == logging.WARNING


def test_creating_the_app_twice_leaves_one_handler(environment, capsys):
    environment.setenv("LOG_FORMAT", "json")
    create_app(LoggingConfig)
    handlers = list(logging.getLogger().handlers)
    create_app(LoggingConfig)
    assert logging.getLogger().handlers == handlers
    assert ours() == [HANDLER]
    capsys.readouterr()
    logger.warning("Eén keer")
    assert len(json_lines(capsys.readouterr().err)) == 1


def test_the_migrations_keep_the_app_s_logging(environment, capsys, tmp_path: Path):
    """alembic.ini has logging of its own; `flask db upgrade` must not swap ours for it."""
    environment.setenv("LOG_FORMAT", "json")
    application = create_app(
        type(
            "MigratedConfig",
            (LoggingConfig,),
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"},
        )
    )
    handlers = list(logging.getLogger().handlers)
    capsys.readouterr()
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        db.engine.dispose()
    assert logging.getLogger().handlers == handlers
    assert logging.getLogger().level == logging.INFO
    lines = json_lines(capsys.readouterr().err)
    assert any(
        line["logger"] == "alembic.runtime.migration" and line["message"].startswith("Running")
        for line in lines
    )
