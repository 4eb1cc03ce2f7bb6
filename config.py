"""Configuration, read from the environment when the app starts (DESIGN §7).

Nothing is read at import time: ``create_app`` asks its configuration class for
:meth:`Config.load`, which reads ``os.environ`` at that moment. Settings that do not come from the
environment are class attributes; a subclass that sets one of the environment's settings as a
class attribute (a test's database, say) wins over the environment.

Defaults give a working local system: an SQLite file under ``instance/`` and a secret key
generated once into ``instance/``. Production refuses to start without ``SECRET_KEY``,
``DATABASE_URL`` and ``BASE_URL``, and on SQLite unless ``ALLOW_SQLITE`` says it is a trial.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


def _int_list(value: str) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(",") if part.strip())


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise RuntimeError(f"Onbekende {name} {value!r}; kies uit {', '.join(choices)}.")
    return value


def _non_negative_int(name: str, value: str) -> int:
    if not value.strip().isdigit():
        raise RuntimeError(f"{name} moet een geheel getal van 0 of meer zijn, niet {value!r}.")
    return int(value)


def _positive_number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0 or number == float("inf"):
        raise RuntimeError(f"{name} moet een getal groter dan 0 zijn, niet {value!r}.")
    return number


def _development_secret_key() -> str:
    """A key generated once into ``instance/``, so sessions survive restarts during development."""
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(url: str) -> str:
    url = url or f"sqlite:///{INSTANCE_DIR / 'toezeggingen.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings that come from environment variables; an empty variable counts as unset."""

    def get(name: str, default: str = "") -> str:
        return environ.get(name) or default

    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(get("DATABASE_URL")),
        "SECRET_KEY": get("SECRET_KEY") or None,
        "MAIL_SERVER": get("MAIL_SERVER") or None,
        "MAIL_PORT": int(get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(environ.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": get("MAIL_PASSWORD") or None,
        "MAIL_USE_SSL": _bool(environ.get("MAIL_USE_SSL")),
        "MAIL_FROM": get("MAIL_FROM", "toezeggingenregister@localhost"),
        # Without MAIL_SERVER every e-mail is written here as a readable .eml file instead.
        "MAIL_DIR": Path(get("MAIL_DIR") or INSTANCE_DIR / "mail"),
        # Seconds to wait for the mail server before trying again later.
        "MAIL_TIMEOUT": float(get("MAIL_TIMEOUT", "30")),
        # How long a message that keeps failing temporarily (4xx, no connection) is retried
        # before it is given up as dead, counted from its first failure (DESIGN §8).
        "MAIL_RETRY_DAYS": _positive_number("MAIL_RETRY_DAYS", get("MAIL_RETRY_DAYS", "5")),
        # A message due this many minutes and still unsent means the outbox stopped moving:
        # the admins get one alert and a banner (DESIGN §8).
        "OUTBOX_ALERT_AFTER_MINUTES": _positive_number(
            "OUTBOX_ALERT_AFTER_MINUTES", get("OUTBOX_ALERT_AFTER_MINUTES", "60")
        ),
        # When the scheduler plans the day's reminders (HH:MM, Europe/Amsterdam).
        "PLAN_AT": get("PLAN_AT", "07:00"),
        # How often the scheduler sends what is in the outbox.
        "SEND_EVERY_SECONDS": int(get("SEND_EVERY_SECONDS", "60")),
        # When the Eerste Kamer-style rappel goes to coordinators: "month-day" pairs.
        "RAPPEL_DATES": tuple(get("RAPPEL_DATES", "03-01,09-01").replace(" ", "").split(",")),
        "BASE_URL": get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "REMINDER_DAYS_BEFORE": _int_list(get("REMINDER_DAYS_BEFORE", "14,3")),
        "RECESS_CALENDAR": get("RECESS_CALENDAR") or None,
        "TIMEZONE": get("TIMEZONE", "Europe/Amsterdam"),
        # Where `flask seed` reads its data files.
        "SEED_DIR": Path(get("SEED_DIR") or BASE_DIR / "seeds"),
        # The root logger's level, and "text" (one readable line) or "json" (one object a line).
        "LOG_LEVEL": _choice("LOG_LEVEL", get("LOG_LEVEL", "INFO").upper(), LOG_LEVELS),
        "LOG_FORMAT": _choice("LOG_FORMAT", get("LOG_FORMAT", "text").lower(), LOG_FORMATS),
        # Seconds of database time one web request may use before it answers 503 (0: no limit).
        "QUERY_TIMEOUT_SECONDS": float(get("QUERY_TIMEOUT_SECONDS", "5")),
        # How many reverse proxies stand in front of the app: their X-Forwarded-For and
        # X-Forwarded-Proto are believed, nobody else's (0: the client talks to us directly).
        "TRUSTED_PROXIES": _non_negative_int("TRUSTED_PROXIES", get("TRUSTED_PROXIES", "0")),
        # Megabytes each worker may keep of public pages rendered for anonymous readers, served
        # again while the register is unchanged (0: every page rendered afresh; DESIGN §6).
        "PAGE_CACHE_MB": _non_negative_int("PAGE_CACHE_MB", get("PAGE_CACHE_MB", "32")),
        # Whether /readyz requires a recent heartbeat of `flask scheduler` (DESIGN §6, §8):
        # off where no scheduler runs (a laptop with `flask run` alone, cron instead).
        "SCHEDULER_EXPECTED": _bool(environ.get("SCHEDULER_EXPECTED"), default=True),
        # A scheduler heartbeat older than this many minutes makes /readyz answer 503.
        "SCHEDULER_STALE_MINUTES": _positive_number(
            "SCHEDULER_STALE_MINUTES", get("SCHEDULER_STALE_MINUTES", "10")
        ),
        # Lets a scraper that is not on this machine read /metrics with
        # "Authorization: Bearer <token>"; without it only loopback may (DESIGN §10).
        "METRICS_TOKEN": get("METRICS_TOKEN") or None,
        # The Tweede Kamer's OData service that `flask interop sync` reads (DESIGN §13).
        "TK_ODATA_URL": get(
            "TK_ODATA_URL", "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"
        ).rstrip("/"),
        # Whether `flask scheduler` runs the sync every night, at TK_SYNC_AT (HH:MM).
        "TK_SYNC_ENABLED": _bool(environ.get("TK_SYNC_ENABLED")),
        "TK_SYNC_AT": get("TK_SYNC_AT", "03:00"),
        # Tries after the first when the service answers 429 or 5xx or cannot be reached, the
        # first wait in seconds (doubled each time) and the seconds to wait for an answer.
        "TK_SYNC_RETRIES": _non_negative_int("TK_SYNC_RETRIES", get("TK_SYNC_RETRIES", "5")),
        "TK_SYNC_BACKOFF_SECONDS": float(get("TK_SYNC_BACKOFF_SECONDS", "2")),
        "TK_SYNC_TIMEOUT": _positive_number("TK_SYNC_TIMEOUT", get("TK_SYNC_TIMEOUT", "60")),
    }


class Config:
    """Settings shared by every environment; the rest come from :func:`read_environment`."""

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: CSRF tokens live as long as the session: a page revalidated with 304 keeps working forms.
    WTF_CSRF_TIME_LIMIT = None
    #: Uploaded letters larger than this are refused before they are read.
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    #: Rows per page on lists and in the API when the request does not say.
    PER_PAGE = 25
    #: The largest page the API hands out in one response.
    MAX_PER_PAGE = 100
    #: Rows a streamed file (CSV, Excel, iCalendar) reads from the database at a time.
    EXPORT_BATCH_SIZE = 1000

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Every setting, read from ``environ`` (default: ``os.environ``) now.

        The class's upper-case attributes, its subclasses' included, win over the environment.
        """
        environ = os.environ if environ is None else environ
        settings = read_environment(environ)
        settings.update({name: getattr(cls, name) for name in dir(cls) if name.isupper()})
        cls.prepare(settings, environ)
        return settings

    @classmethod
    def prepare(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        """Fill in or check what this environment needs before the app starts; ``environ`` tells
        a setting that was given from one left at its default."""


class DevelopmentConfig(Config):
    DEBUG = True

    @classmethod
    def prepare(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = _development_secret_key()


#: The shortest SECRET_KEY production accepts: 32 bytes, as `secrets.token_hex(32)` gives 64.
MIN_SECRET_KEY_BYTES = 32


class ProductionConfig(Config):
    """Refuses to start, with one Dutch line, on what would only go wrong later: no secret key
    or a weak one, no database named (the SQLite file under the code would be used), SQLite
    without ``ALLOW_SQLITE``, or no ``BASE_URL`` (every link would point at 127.0.0.1)."""

    SESSION_COOKIE_SECURE = True

    @classmethod
    def prepare(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        cls._check_secret_key(settings)
        cls._check_database(settings, environ)
        cls._check_base_url(settings, environ)

    @classmethod
    def _given(cls, name: str, setting: str, environ: Mapping[str, str]) -> bool:
        """Whether the environment sets ``name``, or this class pins its ``setting``."""
        return bool(environ.get(name)) or getattr(cls, setting, None) is not None

    @classmethod
    def _check_database(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        if not cls._given("DATABASE_URL", "SQLALCHEMY_DATABASE_URI", environ):
            raise RuntimeError(
                "DATABASE_URL ontbreekt: zet de omgevingsvariabele DATABASE_URL op de "
                "PostgreSQL-database, bijvoorbeeld "
                "postgresql+psycopg://register@db.example.nl/register."
            )
        url = str(settings["SQLALCHEMY_DATABASE_URI"])
        allowed = getattr(cls, "ALLOW_SQLITE", None)  # a subclass may pin it, as any setting
        if allowed is None:
            allowed = _bool(environ.get("ALLOW_SQLITE"))
        if url.startswith("sqlite") and not allowed:
            raise RuntimeError(
                "DATABASE_URL wijst naar SQLite: gebruik in productie PostgreSQL, want SQLite "
                "laat één proces tegelijk schrijven en één machine het bestand gebruiken; "
                "zet ALLOW_SQLITE=1 alleen voor een proef op één machine."
            )

    @classmethod
    def _check_base_url(cls, settings: dict[str, Any], environ: Mapping[str, str]) -> None:
        if not cls._given("BASE_URL", "BASE_URL", environ):
            raise RuntimeError(
                "BASE_URL ontbreekt: zet BASE_URL op het adres waarop bezoekers het register "
                "openen, bijvoorbeeld https://toezeggingen.example.nl; elke link in e-mails, "
                "feeds en de API begint ermee."
            )
        base_url = str(settings["BASE_URL"])
        try:
            parts = urlsplit(base_url)
            scheme, host = parts.scheme, parts.hostname
        except ValueError:  # an unclosed [IPv6 address
            scheme, host = "", None
        if scheme not in {"http", "https"} or not host:
            raise RuntimeError(
                f"BASE_URL {base_url!r} is geen webadres: begin met https:// (of http://) en "
                "een hostnaam, bijvoorbeeld https://toezeggingen.example.nl."
            )

    @classmethod
    def _check_secret_key(cls, settings: dict[str, Any]) -> None:
        key = settings.get("SECRET_KEY")
        if not key:
            raise RuntimeError(
                "SECRET_KEY ontbreekt: zet de omgevingsvariabele SECRET_KEY voordat u "
                "het register in productie start."
            )
        if len(key.encode()) < MIN_SECRET_KEY_BYTES or len(set(key)) < MIN_SECRET_KEY_BYTES // 4:
            raise RuntimeError(
                f"SECRET_KEY is te kort of te eenvoudig: gebruik minstens {MIN_SECRET_KEY_BYTES} "
                "willekeurige tekens, bijvoorbeeld uit "
                "python3 -c 'import secrets; print(secrets.token_hex(32))'."
            )


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - a fixed key for tests only
    #: Tests name their own database (see tests/conftest.py); this is only a fallback.
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {}
    BASE_URL = "http://register.test"
    #: Mail written without a mail server goes to the temporary directory, never into the
    #: repository's instance/; tests/conftest.py gives each test session a directory of its own.
    MAIL_DIR = Path(tempfile.gettempdir()) / "toezeggingen-test-mail"
    #: Tests post forms without a token; tests/test_auth.py turns CSRF on to prove it is enforced.
    WTF_CSRF_ENABLED = False
    #: Only warnings and errors reach the log (pytest shows them with a failing test).
    LOG_LEVEL = "WARNING"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}


def config_from_environment() -> type[Config]:
    """The configuration class named by ``APP_ENV`` (default: development)."""
    name = (os.environ.get("APP_ENV") or "development").lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"Onbekende APP_ENV {name!r}; kies uit {', '.join(sorted(CONFIGS))}."
        ) from None
