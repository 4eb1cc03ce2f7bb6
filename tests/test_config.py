"""Configuration comes from the environment with working local defaults (DESIGN §7)."""

from __future__ import annotations

import importlib
import threading

import pytest

import config
from app import create_app


@pytest.fixture
def fresh_config(monkeypatch):
    """Re-read config.py under the environment the test sets up."""

    def _reload(**environment: str):
        for name in ("DATABASE_URL", "SECRET_KEY", "REMINDER_DAYS_BEFORE", "APP_ENV"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(config)

    yield _reload
    monkeypatch.undo()
    importlib.reload(config)


def test_default_database_is_an_sqlite_file_under_instance(fresh_config):
    module = fresh_config()
    assert module.Config.SQLALCHEMY_DATABASE_URI == (
        f"sqlite:///{module.BASE_DIR / 'instance' / 'toezeggingen.sqlite'}"
    )


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u@db/register", "postgresql+psycopg://u@db/register"),
        ("postgresql://u@db/register", "postgresql+psycopg://u@db/register"),
        ("postgresql+psycopg://u@db/register", "postgresql+psycopg://u@db/register"),
        ("sqlite:////var/lib/register.sqlite", "sqlite:////var/lib/register.sqlite"),
    ],
)
def test_database_url_from_the_environment(fresh_config, given, used):
    assert fresh_config(DATABASE_URL=given).Config.SQLALCHEMY_DATABASE_URI == used


def test_settings_are_read_from_the_environment(fresh_config):
    module = fresh_config(REMINDER_DAYS_BEFORE="21, 7,1")
    assert module.Config.REMINDER_DAYS_BEFORE == (21, 7, 1)
    assert module.Config.TIMEZONE == "Europe/Amsterdam"
    assert module.Config.BASE_URL == "http://127.0.0.1:5000"


def test_production_refuses_to_start_without_a_secret_key(fresh_config):
    module = fresh_config(APP_ENV="production")
    with pytest.raises(RuntimeError, match="SECRET_KEY ontbreekt"):
        create_app(module.config_from_environment())


def test_production_starts_with_a_secret_key(fresh_config):
    module = fresh_config(APP_ENV="production", SECRET_KEY="s3cret-from-the-vault")
    application = create_app(module.config_from_environment())
    assert application.config["SECRET_KEY"] == "s3cret-from-the-vault"
    assert application.config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_a_secret_key_once(fresh_config, monkeypatch, tmp_path):
    module = fresh_config()
    monkeypatch.setattr(module, "INSTANCE_DIR", tmp_path)
    module.DevelopmentConfig.prepare()
    key = module.DevelopmentConfig.SECRET_KEY
    assert len(key) == 64
    assert (tmp_path / "secret_key").read_text() == key
    monkeypatch.setattr(module.DevelopmentConfig, "SECRET_KEY", None)
    module.DevelopmentConfig.prepare()
    assert module.DevelopmentConfig.SECRET_KEY == key


def test_unknown_environment_name_is_refused(fresh_config):
    module = fresh_config(APP_ENV="staging")
    with pytest.raises(RuntimeError, match="Onbekende APP_ENV 'staging'"):
        module.config_from_environment()


def test_create_app_starts_no_threads():
    before = threading.active_count()
    create_app(config.TestConfig)
    assert threading.active_count() == before
