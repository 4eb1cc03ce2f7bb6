"""Configuration comes from the environment with working local defaults (DESIGN §7), read when
the app starts: no module is reloaded here, the tests set variables and build the settings."""

from __future__ import annotations

import threading

import pytest

import config
from app import create_app
from config import (
    BASE_DIR,
    Config,
    DevelopmentConfig,
    ProductionConfig,
    TestConfig,
    config_from_environment,
    read_environment,
)

pytestmark = pytest.mark.usefixtures("logging_restored")

#: What these tests read or set; the developer's own values must not leak in.
VARIABLES = (
    "ALLOW_SQLITE",
    "APP_ENV",
    "BASE_URL",
    "DATABASE_URL",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "REMINDER_DAYS_BEFORE",
    "SECRET_KEY",
    "TIMEZONE",
    "TRUSTED_PROXIES",
)


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_default_database_is_an_sqlite_file_under_instance():
    assert Config.load()["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{BASE_DIR / 'instance' / 'toezeggingen.sqlite'}"
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
def test_database_url_from_the_environment(environment, given, used):
    environment.setenv("DATABASE_URL", given)
    assert Config.load()["SQLALCHEMY_DATABASE_URI"] == used


def test_settings_are_read_from_the_environment(environment):
    environment.setenv("REMINDER_DAYS_BEFORE", "21, 7,1")
    settings = Config.load()
    assert settings["REMINDER_DAYS_BEFORE"] == (21, 7, 1)
    assert settings["TIMEZONE"] == "Europe/Amsterdam"
    assert settings["BASE_URL"] == "http://127.0.0.1:5000"


def test_the_environment_is_read_when_the_app_starts_not_at_import(environment):
    environment.setenv("REMINDER_DAYS_BEFORE", "21,7")
    assert create_app(TestConfig).config["REMINDER_DAYS_BEFORE"] == (21, 7)
    environment.setenv("REMINDER_DAYS_BEFORE", "5")
    assert create_app(TestConfig).config["REMINDER_DAYS_BEFORE"] == (5,)


def test_a_subclass_attribute_wins_over_the_environment(environment):
    environment.setenv("DATABASE_URL", "postgresql://u@db/register")
    environment.setenv("REMINDER_DAYS_BEFORE", "21,7")
    pinned = type("PinnedConfig", (TestConfig,), {"REMINDER_DAYS_BEFORE": (1,)})
    application = create_app(pinned)
    assert application.config["REMINDER_DAYS_BEFORE"] == (1,)
    assert application.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"  # TestConfig's own
    assert application.config["BASE_URL"] == "http://register.test"


def test_the_shared_config_pins_none_of_the_environment_s_settings():
    """Were one of them a class attribute of Config, the environment could never change it."""
    assert not set(read_environment({})) & {name for name in dir(Config) if name.isupper()}


VAULT_KEY = "9f2c41d7e8a05b3c6d1e7f80a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9"
POSTGRES = "postgresql+psycopg://register@db.example.nl/register"
SITE = "https://toezeggingen.example.nl"


@pytest.fixture
def production(environment: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Everything production asks for; a test takes away or changes one thing."""
    environment.setenv("APP_ENV", "production")
    environment.setenv("SECRET_KEY", VAULT_KEY)
    environment.setenv("DATABASE_URL", POSTGRES)
    environment.setenv("BASE_URL", SITE)
    return environment


def test_production_refuses_to_start_without_a_secret_key(production):
    production.delenv("SECRET_KEY")
    with pytest.raises(RuntimeError, match="SECRET_KEY ontbreekt"):
        create_app(config_from_environment())


@pytest.mark.parametrize("weak", ["a", "s3cret-from-the-vault", "x" * 64, "ab" * 40])
def test_production_refuses_a_short_or_simple_secret_key(production, weak):
    production.setenv("SECRET_KEY", weak)
    with pytest.raises(RuntimeError, match="SECRET_KEY is te kort of te eenvoudig"):
        create_app()


def test_production_starts_with_a_secret_key_a_database_and_its_address(production):
    application = create_app(config_from_environment())
    assert application.config["SECRET_KEY"] == VAULT_KEY
    assert application.config["SQLALCHEMY_DATABASE_URI"] == POSTGRES
    assert application.config["BASE_URL"] == SITE
    assert application.config["SESSION_COOKIE_SECURE"] is True
    assert config_from_environment() is ProductionConfig


def test_production_refuses_to_start_without_a_database_url(production):
    """Without it the SQLite file beside the code would quietly become the register."""
    production.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError) as refused:
        create_app()
    message = str(refused.value)
    assert message.startswith("DATABASE_URL ontbreekt: zet de omgevingsvariabele DATABASE_URL")
    assert "\n" not in message


def test_production_refuses_to_start_without_a_base_url(production):
    production.delenv("BASE_URL")
    with pytest.raises(RuntimeError) as refused:
        create_app()
    message = str(refused.value)
    assert message.startswith("BASE_URL ontbreekt: zet BASE_URL op het adres")
    assert "\n" not in message


@pytest.mark.parametrize(
    "address",
    [
        "toezeggingen.example.nl",
        "ftp://toezeggingen.example.nl",
        "https://",
        "https:///pad",
        "http://[::1",
    ],
)
def test_production_refuses_a_base_url_that_is_no_web_address(production, address):
    production.setenv("BASE_URL", address)
    with pytest.raises(RuntimeError, match=r"^BASE_URL '.*' is geen webadres: begin met https://"):
        create_app()


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1:5111", "https://register.example.nl/toezeggingen/"]
)
def test_production_takes_an_http_or_https_base_url(production, address):
    production.setenv("BASE_URL", address)
    assert create_app().config["BASE_URL"] == address.rstrip("/")


def test_production_refuses_sqlite_and_says_why(production, tmp_path):
    production.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'register.sqlite'}")
    with pytest.raises(RuntimeError) as refused:
        create_app()
    message = str(refused.value)
    assert message.startswith("DATABASE_URL wijst naar SQLite: gebruik in productie PostgreSQL")
    assert "één proces tegelijk schrijven" in message
    assert "ALLOW_SQLITE=1 alleen voor een proef op één machine" in message


@pytest.mark.parametrize("no", ["", "0", "nee"])
def test_allow_sqlite_must_say_yes(production, tmp_path, no):
    production.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'register.sqlite'}")
    production.setenv("ALLOW_SQLITE", no)
    with pytest.raises(RuntimeError, match="DATABASE_URL wijst naar SQLite"):
        create_app()


def test_production_on_sqlite_when_allowed_for_a_trial(production, tmp_path):
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    production.setenv("DATABASE_URL", url)
    production.setenv("ALLOW_SQLITE", "1")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == url


def test_allow_sqlite_does_not_stand_in_for_the_database_url(production):
    production.delenv("DATABASE_URL")
    production.setenv("ALLOW_SQLITE", "1")
    with pytest.raises(RuntimeError, match="DATABASE_URL ontbreekt"):
        create_app()


def test_development_needs_none_of_production_s_settings(environment, tmp_path):
    environment.setattr(config, "INSTANCE_DIR", tmp_path)
    settings = DevelopmentConfig.load()
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["BASE_URL"] == "http://127.0.0.1:5000"


def test_development_generates_a_secret_key_once(environment, tmp_path):
    environment.setattr(config, "INSTANCE_DIR", tmp_path)
    key = DevelopmentConfig.load()["SECRET_KEY"]
    assert len(key) == 64
    assert (tmp_path / "secret_key").read_text() == key
    assert DevelopmentConfig.load()["SECRET_KEY"] == key
    assert "SECRET_KEY" not in vars(DevelopmentConfig)  # the class itself is left alone


def test_development_uses_a_secret_key_from_the_environment(environment, tmp_path):
    environment.setattr(config, "INSTANCE_DIR", tmp_path)
    environment.setenv("SECRET_KEY", "from-the-environment")
    assert DevelopmentConfig.load()["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_unknown_environment_name_is_refused(environment):
    environment.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="Onbekende APP_ENV 'staging'"):
        config_from_environment()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOG_LEVEL", "loud", "Onbekende LOG_LEVEL 'LOUD'; kies uit DEBUG, INFO, WARNING"),
        ("LOG_FORMAT", "xml", "Onbekende LOG_FORMAT 'xml'; kies uit text, json."),
        ("TRUSTED_PROXIES", "-1", "TRUSTED_PROXIES moet een geheel getal van 0 of meer zijn"),
        ("TRUSTED_PROXIES", "twee", "TRUSTED_PROXIES moet een geheel getal van 0 of meer zijn"),
    ],
)
def test_settings_out_of_range_are_refused(environment, name, value, message):
    environment.setenv(name, value)
    with pytest.raises(RuntimeError, match=message):
        Config.load()


def test_create_app_starts_no_threads():
    before = threading.active_count()
    create_app(TestConfig)
    assert threading.active_count() == before


def test_a_production_subclass_may_pin_the_database_and_allow_sqlite(production, tmp_path):
    """As in-process tools do (benchmarks/): their own database, on this one machine."""
    production.delenv("DATABASE_URL")
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    trial = type("Trial", (ProductionConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    with pytest.raises(RuntimeError, match="DATABASE_URL wijst naar SQLite"):
        create_app(trial)
    allowed = type("AllowedTrial", (trial,), {"ALLOW_SQLITE": True})
    assert create_app(allowed).config["SQLALCHEMY_DATABASE_URI"] == url
