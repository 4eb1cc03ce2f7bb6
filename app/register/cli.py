"""`flask seed`: load the seed data."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.register.seeding import SeedError, load_seeds

#: What a command says when the database has no tables yet.
NO_TABLES = "De database heeft nog geen tabellen: voer eerst `flask db upgrade` uit."


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Laad de seeddata uit seeds/ (een tweede keer voegt niets toe)."""
    seed_dir = current_app.config["SEED_DIR"]
    try:
        report = load_seeds(seed_dir, progress=lambda line: click.echo(f"  {line}"))
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        db.session.rollback()
        raise click.ClickException(NO_TABLES) from None
    db.session.commit()
    if report.total:
        click.echo(f"Seeddata geladen uit {seed_dir}: {report.total} records toegevoegd.")
    else:
        click.echo(f"Seeddata uit {seed_dir} was al geladen; niets toegevoegd.")
