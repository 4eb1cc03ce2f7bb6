"""``flask interop import FILE…`` and ``flask interop export FILE`` (DESIGN §13)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _

from app.extensions import db
from app.formatting import parse_date
from app.interop.exporting import EXPORT_FORMATS, write_export
from app.interop.importing import ImportReport, import_records
from app.interop.records import UnreadableFile, read_paths
from app.interop.sheetimport import (
    UnreadableSheet,
    apply_plan,
    errors_of,
    plan_sheet,
    read_rows,
)
from app.interop.sheets import TooManyRows
from app.interop.sync import SyncError, run_sync

interop_cli = AppGroup("interop", help="Toezeggingen uitwisselen met de Kamer.")


def echo_left_out(skipped: list[tuple[str, str]], unknown_statuses: dict[str, int]) -> None:
    """The records left out and why, and the status words the register did not know."""
    for where, why in skipped:
        click.echo(_("overgeslagen: %(where)s: %(why)s", where=where, why=why))
    for word, count in sorted(unknown_statuses.items()):
        click.echo(
            _(
                "onbekende status %(word)r (%(count)s keer): status ongewijzigd, het woord is "
                "bewaard",
                word=word,
                count=count,
            )
        )


def echo_report(report: ImportReport, *, dry_run: bool) -> None:
    """The summary, the records left out and the status words the register did not know."""
    if dry_run:
        for line in report.changes:
            click.echo(line)
    echo_left_out(report.skipped, report.unknown_statuses)
    prefix = _("Proef, niets opgeslagen: ") if dry_run else ""
    click.echo(prefix + report.summary())


@interop_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Toon wat er zou veranderen; sla niets op.")
@with_appcontext
def import_command(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Lees toezeggingen van de Tweede Kamer (OData-JSON, een map daarvan, of SyncFeed-XML)."""
    try:
        reading = read_paths(paths)
    except UnreadableFile as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("%(count)s records gelezen.", count=len(reading.records)), err=True)
    report = import_records(
        reading.records, bad=reading.bad, progress=lambda line: click.echo(line, err=True)
    )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    echo_report(report, dry_run=dry_run)


@interop_cli.command("import-sheet")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Alleen controleren; sla niets op.")
@with_appcontext
def import_sheet_command(path: Path, dry_run: bool) -> None:
    """Lees toezeggingen uit een spreadsheet (CSV of .xlsx) in de kolommen van het blad."""
    try:
        plan = plan_sheet(read_rows(path.read_bytes(), path.name))
    except UnreadableSheet as error:
        raise click.ClickException(str(error)) from None
    if not plan.ok:
        for line in errors_of(plan):
            click.echo(line, err=True)
        raise click.ClickException(_("Het blad bevat fouten; er is niets opgeslagen."))
    apply_plan(plan)
    if dry_run:
        db.session.rollback()
        click.echo(_("Proef, niets opgeslagen: ") + plan.summary())
        return
    db.session.commit()
    click.echo(plan.summary())


@interop_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(EXPORT_FORMATS),
    default="tk-json",
    show_default=True,
    help="tk-json: de vorm van de Kamer; csv of xlsx: de kolommen van het importblad.",
)
@with_appcontext
def export_command(path: Path, file_format: str) -> None:
    """Schrijf het register naar een bestand (- is stdout, niet voor xlsx)."""
    if str(path) == "-":
        if file_format == "xlsx":
            raise click.ClickException(_("Een Excel-bestand gaat niet naar stdout; geef een naam."))
        count = write_export(file_format, sys.stdout.buffer)
    else:
        try:
            with path.open("wb") as out:
                count = write_export(file_format, out)
        except OSError as error:
            raise click.ClickException(
                _("%(path)s is niet te schrijven: %(error)s", path=path, error=error.strerror)
            ) from None
        except TooManyRows:
            path.unlink(missing_ok=True)
            raise click.ClickException(
                _("Te veel toezeggingen voor één Excel-blad; kies csv.")
            ) from None
    click.echo(_("%(count)s toezeggingen geschreven.", count=count), err=True)


def _moment(text: str) -> dt.datetime:
    """``2026-03-01``, ``01-03-2026`` (midnight UTC) or an ISO moment with its offset."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        moment = dt.datetime.combine(parse_date(text), dt.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@interop_cli.command("sync")
@click.option(
    "--since", help="Vanaf dit moment (JJJJ-MM-DD of ISO-tijd) in plaats van het opgeslagen."
)
@click.option("--ministerie", "ministry", help="Alleen de toezeggingen van dit ministerie.")
@with_appcontext
def sync_command(since: str | None, ministry: str | None) -> None:
    """Haal de wijzigingen op bij de Tweede Kamer (TK_ODATA_URL) en werk het register bij."""
    try:
        start = _moment(since) if since else None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    try:
        report = run_sync(
            since=start, ministry=ministry, progress=lambda line: click.echo(line, err=True)
        )
    except SyncError as error:
        db.session.rollback()
        raise click.ClickException(
            _(
                "%(error)s Wat al binnen was, is bewaard; de volgende sync gaat daar verder.",
                error=error,
            )
        ) from None
    echo_left_out(report.skipped, report.unknown_statuses)
    click.echo(report.summary())


def nightly_sync() -> None:
    """The scheduler's job (TK_SYNC_ENABLED): one sync, committed page by page."""
    run_sync()


def init_app(app: Flask) -> None:
    """Give the scheduler its nightly sync when TK_SYNC_ENABLED is set (DESIGN §8, §13)."""
    if app.config["TK_SYNC_ENABLED"]:
        jobs = app.extensions.setdefault("scheduler_jobs", {})
        jobs["kamer-sync"] = (app.config["TK_SYNC_AT"], "Kamerregistratie bijwerken", nightly_sync)
