"""`flask users create`: make an account from the command line (e.g. the first admin)."""

from __future__ import annotations

import os
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.auth import services
from app.auth.models import Role, User
from app.extensions import db
from app.register.models import Ministry

users_cli = AppGroup("users", help="Accounts beheren.")


@users_cli.command("create")
@click.option("--email", required=True, help="E-mailadres, tevens de inlognaam.")
@click.option("--name", required=True, help="Volledige naam.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.CLERK.value,
    show_default=True,
    help="admin, coordinator of clerk.",
)
@click.option("--ministry", "ministry_code", help="Code van het ministerie, bijv. JenV.")
def create_user_command(email: str, name: str, role: str, ministry_code: str | None) -> None:
    """Maak een account aan; het wachtwoord komt van stdin of wordt gevraagd."""
    ministry = None
    if ministry_code:
        ministry = db.session.scalars(
            sa.select(Ministry).where(Ministry.code == ministry_code)
        ).one_or_none()
        if ministry is None:
            raise click.ClickException(f"Onbekend ministerie {ministry_code!r}.")
    if sys.stdin.isatty():
        password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal")
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = services.create_user(
            email=email, name=name, role=Role(role), ministry=ministry, password=password
        )
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Account aangemaakt: {user.email} ({user.role.label}).")


@users_cli.command("first-admin")
def first_admin_command() -> None:
    """Zorg voor een eerste beheerder (uit ADMIN_EMAIL en ADMIN_PASSWORD), of zeg hoe."""
    if db.session.scalar(sa.select(sa.func.count()).where(User.role == Role.ADMIN)):
        return
    email = os.environ.get("ADMIN_EMAIL", "").strip()
    if not email:
        click.echo(
            "Er is nog geen beheerder. Maak er een aan met:\n"
            "  .venv/bin/flask users create --email u@ministerie.nl --name 'Uw Naam' --role admin\n"
            "of start met ADMIN_EMAIL en ADMIN_PASSWORD gezet."
        )
        return
    password = os.environ.get("ADMIN_PASSWORD") or ""
    if not password and sys.stdin.isatty():
        password = click.prompt(
            f"Wachtwoord voor {email}", hide_input=True, confirmation_prompt="Herhaal"
        )
    try:
        user = services.create_user(
            email=email,
            name=os.environ.get("ADMIN_NAME") or "Beheerder",
            role=Role.ADMIN,
            password=password,
        )
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Eerste beheerder aangemaakt: {user.email}.")
