"""The example deployment in docs/deploy/ (README "In productie"): its environment file names
every setting production reads, and with a key filled in it is a configuration that starts."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from dotenv import dotenv_values

from config import ProductionConfig

REPO_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = REPO_DIR / "docs" / "deploy"
EXAMPLE = DEPLOY_DIR / "register.env.example"

#: `get("NAME"`, `environ.get("NAME"`: how config.py and gunicorn.conf.py read a variable.
READ = re.compile(r"""\bget\(\s*["']([A-Z][A-Z0-9_]*)["']""")
#: Set by the units and `make serve`, not by the file.
SET_ELSEWHERE = {"APP_ENV"}


def read_variables(path: Path) -> set[str]:
    return set(READ.findall(path.read_text())) - SET_ELSEWHERE


def named_in_example() -> set[str]:
    """Every variable in the example, set or commented out (`#NAME=`)."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text(), re.MULTILINE))


def test_the_example_environment_file_names_every_setting():
    read = read_variables(REPO_DIR / "config.py") | read_variables(REPO_DIR / "gunicorn.conf.py")
    assert {"DATABASE_URL", "SECRET_KEY", "BASE_URL", "ALLOW_SQLITE", "BIND"} <= read
    assert read - named_in_example() == set()


def test_the_example_environment_file_with_a_key_is_a_production_configuration():
    values = {name: value or "" for name, value in dotenv_values(EXAMPLE).items()}
    assert values["SECRET_KEY"] == ""  # no key in the repository: each register makes its own
    values["SECRET_KEY"] = secrets.token_hex(32)
    settings = ProductionConfig.load(values)
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert settings["BASE_URL"] == "https://toezeggingen.example.nl"
    assert settings["TRUSTED_PROXIES"] == 1


def test_the_units_run_the_app_as_its_own_user_with_the_example_s_settings():
    for name, command in (
        ("toezeggingenregister-web.service", "/.venv/bin/gunicorn -c gunicorn.conf.py"),
        ("toezeggingenregister-scheduler.service", "/.venv/bin/flask scheduler"),
    ):
        unit = (DEPLOY_DIR / name).read_text()
        settings = dict(re.findall(r"^(\w+)=(.*)$", unit, re.MULTILINE))
        assert settings["ExecStart"].endswith(command)
        assert settings["EnvironmentFile"] == "/etc/toezeggingenregister/register.env"
        assert settings["User"] == "toezeggingen"
        assert settings["Restart"] == "on-failure"
        assert settings["NoNewPrivileges"] == "yes"
        assert settings["ProtectSystem"] == "strict"
        assert "APP_ENV=production" in settings["Environment"]
