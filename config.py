"""Configuration, read from the environment (DESIGN §7).

Defaults give a working local system: an SQLite file under ``instance/`` and a secret key
generated once into ``instance/``. Production refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _int_list(value: str) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(",") if part.strip())


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    """A key generated once into ``instance/``, so sessions survive restarts during development."""
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", "") or default
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    """Settings shared by every environment."""

    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'toezeggingen.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: CSRF tokens live as long as the session: a page revalidated with 304 keeps working forms.
    WTF_CSRF_TIME_LIMIT = None
    #: Uploaded letters larger than this are refused before they are read.
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 25)
    MAIL_USE_TLS = _bool(os.environ.get("MAIL_USE_TLS"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_SSL = _bool(os.environ.get("MAIL_USE_SSL"))
    MAIL_FROM = os.environ.get("MAIL_FROM") or "toezeggingenregister@localhost"
    #: Seconds to wait for the mail server before trying again later.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT") or 30)
    #: When the scheduler plans the day's reminders (HH:MM, Europe/Amsterdam).
    PLAN_AT = os.environ.get("PLAN_AT") or "07:00"
    #: How often the scheduler sends what is in the outbox.
    SEND_EVERY_SECONDS = int(os.environ.get("SEND_EVERY_SECONDS") or 60)
    #: When the Eerste Kamer-style rappel goes to coordinators: "month-day" pairs.
    RAPPEL_DATES = tuple(
        (os.environ.get("RAPPEL_DATES") or "03-01,09-01").replace(" ", "").split(",")
    )

    BASE_URL = (os.environ.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    REMINDER_DAYS_BEFORE = _int_list(os.environ.get("REMINDER_DAYS_BEFORE") or "14,3")
    RECESS_CALENDAR = os.environ.get("RECESS_CALENDAR") or None
    TIMEZONE = os.environ.get("TIMEZONE") or "Europe/Amsterdam"

    #: Where `flask seed` reads its data files.
    SEED_DIR = Path(os.environ.get("SEED_DIR") or BASE_DIR / "seeds")
    #: Rows per page on lists and in the API when the request does not say.
    PER_PAGE = 25
    #: The largest page the API hands out in one response.
    MAX_PER_PAGE = 100

    @classmethod
    def prepare(cls) -> None:
        """Fill in or check what this environment needs before the app starts."""


class DevelopmentConfig(Config):
    DEBUG = True

    @classmethod
    def prepare(cls) -> None:
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _development_secret_key()


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True

    @classmethod
    def prepare(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY ontbreekt: zet de omgevingsvariabele SECRET_KEY voordat u "
                "het register in productie start."
            )
        cls.SECRET_KEY = os.environ["SECRET_KEY"]


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - a fixed key for tests only
    #: Tests name their own database (see tests/conftest.py); this is only a fallback.
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {}
    BASE_URL = "http://register.test"
    #: Tests post forms without a token; tests/test_auth.py turns CSRF on to prove it is enforced.
    WTF_CSRF_ENABLED = False


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
