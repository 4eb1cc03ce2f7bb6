"""The Toezeggingenregister web application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import (
    babel,
    configure_sqlite,
    csrf,
    db,
    keep_prepared_statements,
    limit_request_queries,
    login_manager,
    migrate,
    select_locale,
)
from app.logging_setup import configure_logging
from config import BASE_DIR, Config, config_from_environment

MIGRATIONS_DIR = BASE_DIR / "migrations"


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application; starts no threads and touches no database."""
    config_class = config_class or config_from_environment()
    settings = config_class.load()  # the environment is read now, not at import
    # Before anything logs: the scheduler's work (and, without MAIL_SERVER, the e-mails) shows here.
    configure_logging(settings["LOG_LEVEL"], settings["LOG_FORMAT"])

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Flask's documented way to wrap its WSGI callable; mypy sees a method being replaced.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale="nl",
        default_timezone=app.config["TIMEZONE"],
        default_translation_directories=str(Path(app.root_path) / "translations"),
    )
    login_manager.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine)
            if engine.dialect.name == "postgresql":
                keep_prepared_statements(engine)
            limit_request_queries(engine, app.config["QUERY_TIMEOUT_SECONDS"])

    from app import errors, formatting, ops, security

    # First, so that every request (also one refused by a hook below) gets an id and a log line.
    ops.init_app(app, MIGRATIONS_DIR)
    from app.register import recesses

    errors.init_app(app)
    security.init_app(app)
    formatting.init_app(app)
    recesses.init_app(app)

    from app.public import bp as public_bp

    app.register_blueprint(public_bp)

    from app.auth import bp as auth_bp
    from app.auth.cli import users_cli
    from app.clerk import bp as clerk_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(clerk_bp)
    app.cli.add_command(users_cli)

    from app.reminders import bp as reminders_bp
    from app.reminders.scheduler import reminders_cli, scheduler_command

    app.register_blueprint(reminders_bp)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)

    from app.letters import bp as letters_bp
    from app.letters.cli import letters_cli

    app.register_blueprint(letters_bp)
    from app.register.cli import seed_command

    app.cli.add_command(letters_cli)

    app.cli.add_command(seed_command)

    from app.backup.cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

    from app.interop import bp as interop_bp
    from app.interop import cli as interop_cli

    app.register_blueprint(interop_bp)
    app.cli.add_command(interop_cli.interop_cli)
    interop_cli.init_app(app)

    from app.health import bp as health_bp
    from app.register.benchdata import bench_data_command

    app.register_blueprint(health_bp)
    app.cli.add_command(bench_data_command)

    return app


# Models must be imported so that Alembic and create_all see every table.
from app.auth import models as _auth_models  # noqa: E402,F401
from app.interop import models as _interop_models  # noqa: E402,F401
from app.register import models as _register_models  # noqa: E402,F401
from app.reminders import models as _reminder_models  # noqa: E402,F401
