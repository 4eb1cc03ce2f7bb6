"""`flask letters extract FILE [--json]` and `flask letters deadline TEXT --on DATE`."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.formatting import long_date, parse_date
from app.letters import evaluate as evaluation
from app.letters.extract import read_letter
from app.letters.text import UnreadableLetter, read_file
from app.register.cli import NO_TABLES
from app.register.deadlines import find_deadline
from app.register.models import Commitment
from app.register.recesses import recess_calendar

letters_cli = AppGroup("letters", help="Kamerbrieven lezen.")


@letters_cli.command("extract")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@with_appcontext
def extract_command(path: Path, as_json: bool) -> None:
    """Lees een brief (.txt, .pdf, .docx): metadata, toezeggingen en wat hij nakomt."""
    try:
        raw = read_file(path)
    except UnreadableLetter as error:
        raise click.ClickException(str(error)) from None
    reading = read_letter(raw, recess_calendar())
    if as_json:
        click.echo(json.dumps(reading.as_json(), ensure_ascii=False, indent=2))
        return
    meta = reading.metadata
    click.echo(f"Kamerstuk:   {meta.kamerstuk_id or 'onbekend'}")
    click.echo(f"Datum:       {long_date(meta.date) if meta.date else 'onbekend'}")
    click.echo(f"Aan:         {meta.addressee or 'onbekend'}")
    click.echo(f"Onderwerp:   {meta.subject or 'onbekend'}")
    for signatory in meta.signatories:
        click.echo(
            f"Ondertekend: {signatory.name}, {signatory.function}"
            + (f" ({signatory.ministry})" if signatory.ministry else "")
        )
    click.echo(f"\nToezeggingen ({len(reading.promises)}):")
    for promise in reading.promises:
        when = (
            f"{promise.deadline_phrase} → {promise.deadline.isoformat()}"
            if promise.deadline
            else promise.deadline_phrase or "geen termijn"
        )
        click.echo(f"- [{promise.confidence:.2f}] {promise.sentence}\n  termijn: {when}")
    click.echo(f"\nKomt toezeggingen na ({len(reading.fulfilments)}):")
    for fulfilment in reading.fulfilments:
        label = "levert" if fulfilment.kind == "fulfilled" else "noemt"
        click.echo(f"- [{label}] {fulfilment.sentence}")
        for match in fulfilment.matches:
            click.echo(f"  {match['number']} ({match['score']:.2f}) {match['title']}")


@letters_cli.command("deadline")
@click.argument("text")
@click.option("--on", "on", required=True, help="De datum van de brief of het debat (JJJJ-MM-DD).")
@with_appcontext
def deadline_command(text: str, on: str) -> None:
    """Welke termijn noemt deze tekst, en welke datum is dat?"""
    try:
        reference = parse_date(on)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    found = find_deadline(text, reference, recess_calendar())
    if found is None:
        click.echo("Geen termijn gevonden die het register kan omrekenen.")
        return
    click.echo(f"{found.phrase}\t{found.date.isoformat()}")


@letters_cli.command("evaluate")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--save",
    "save_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bewaar deze run als JSON (om later mee te vergelijken).",
)
@click.option(
    "--compare",
    "compare_with",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Vergelijk met een eerder bewaarde run.",
)
@click.option(
    "--figures-only", is_flag=True, help="Alleen de cijfers, geen zinnen (voor het testdeel)."
)
@click.option("--json", "as_json", is_flag=True, help="De cijfers als JSON.")
@with_appcontext
def evaluate_command(
    directory: Path,
    save_to: Path | None,
    compare_with: Path | None,
    figures_only: bool,
    as_json: bool,
) -> None:
    """Meet de lezer op een gelabeld corpus: precisie, recall, termijnen, nakomingen."""
    recesses = recess_calendar()
    try:
        letters = evaluation.load_corpus(directory, recesses)
    except evaluation.CorpusError as error:
        raise click.ClickException(str(error)) from None
    # The reader looks fulfilments and ministers up in the register: it needs its tables.
    if not sa.inspect(db.engine).has_table(Commitment.__tablename__):
        raise click.ClickException(NO_TABLES)
    report = evaluation.evaluate(letters, directory.name, recesses)
    if as_json:
        click.echo(json.dumps(report.figures(), ensure_ascii=False, indent=2))
    else:
        for line in evaluation.format_report(report, details=not figures_only):
            click.echo(line)
    if compare_with is not None:
        earlier = json.loads(compare_with.read_text(encoding="utf-8"))
        for line in evaluation.compare(report, earlier, details=not figures_only):
            click.echo(line)
    if save_to is not None:
        evaluation.save(report, save_to)
        click.echo(f"Bewaard in {save_to}.")
