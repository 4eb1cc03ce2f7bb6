"""`flask backup FILE` and `flask restore FILE` (DESIGN §12).

Both stream: a register of any size passes through in batches, never whole in memory. A file
name ending in ``.gz`` is compressed; ``-`` is standard output or input (progress then goes to
standard error). The backup is written next to its final name and renamed when complete, with
permissions for its owner only: it holds e-mail addresses, internal notes and the outbox.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.backup import dump
from app.extensions import db
from app.register.cli import NO_TABLES


def _say(to_stderr: bool) -> dump.Progress:
    return lambda line: click.echo(line, err=to_stderr)


def _refuse(message: str) -> None:
    """One Dutch line on standard error and exit status 1."""
    db.session.rollback()
    click.echo(message, err=True)
    raise SystemExit(1)


@contextlib.contextmanager
def _writing(name: str) -> Iterator[IO[str]]:
    if name == "-":
        yield sys.stdout
        return
    path = Path(name)
    partial = path.with_name(path.name + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(descriptor, "wb") as raw:
            compress = name.endswith(".gz")
            binary = gzip.GzipFile(fileobj=raw, mode="wb") if compress else raw
            with binary, io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:
                yield text
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@contextlib.contextmanager
def _reading(name: str) -> Iterator[IO[str]]:
    if name == "-":
        yield sys.stdin
        return
    with open(name, "rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        binary = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        with binary, io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:
            yield text


@click.command("backup")
@click.argument("file")
@click.option(
    "--with-passwords",
    is_flag=True,
    help="Neem de wachtwoord-hashes en sessiesleutels mee (anders stelt iedereen na herstel "
    "een nieuw wachtwoord in).",
)
@click.option(
    "--with-login-attempts", is_flag=True, help="Neem ook de inlogpogingen mee (de begrenzing)."
)
@with_appcontext
def backup_command(file: str, with_passwords: bool, with_login_attempts: bool) -> None:
    """Schrijf het hele register naar FILE (JSON-regels; .gz wordt gecomprimeerd; - is stdout)."""
    say = _say(file == "-")
    try:
        with _writing(file) as out:
            report = dump.write_backup(
                out,
                with_passwords=with_passwords,
                with_login_attempts=with_login_attempts,
                progress=say,
            )
    except OSError as error:
        _refuse(f"Kan de back-up niet schrijven naar {file}: {error.strerror or error}.")
        return
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        _refuse(NO_TABLES)
        return
    db.session.rollback()  # read only: nothing to commit
    say(
        f"Back-up geschreven naar {file}: {report.rows} rijen uit {len(report.header['tables'])} "
        f"tabellen, schemaversie {report.header['schema_revision']}"
        + ("" if with_passwords else ", zonder wachtwoorden")
        + "."
    )


@click.command("restore")
@click.argument("file")
@with_appcontext
def restore_command(file: str) -> None:
    """Zet een back-up terug in een lege, gemigreerde database (FILE; - is stdin)."""
    say = _say(file == "-")
    try:
        with _reading(file) as source:
            report = dump.restore_backup(source, progress=say)
    except dump.BackupError as error:
        _refuse(str(error))
        return
    except (OSError, EOFError, UnicodeDecodeError) as error:
        _refuse(f"Kan de back-up {file} niet lezen: {getattr(error, 'strerror', None) or error}.")
        return
    except sa.exc.IntegrityError as error:
        _refuse(f"De back-up past niet in deze database: {error.orig}".splitlines()[0])
        return
    db.session.commit()
    say(
        f"Hersteld uit {file}: {report.total} rijen in {len(report.rows)} tabellen "
        f"(back-up van {report.header.get('created_at')})."
    )
    if not report.header.get("with_passwords"):
        say(
            "De back-up had geen wachtwoorden: maak een beheerder aan met `flask users create "
            "--role admin` en stuur de anderen vanuit Gebruikers een link om een wachtwoord in "
            "te stellen."
        )
