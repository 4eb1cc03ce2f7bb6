"""The register as a spreadsheet (CSV or Excel) in the documented column set (DESIGN §13).

The columns are the ones a sheet to import uses too, so a file written here can be read back.
Hidden promises (§13) are left out, as on every public file; internal fields never appear.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.formatting import FORMULA_TRIGGERS, spreadsheet_text
from app.register import queries

#: Rows read from the database at a time.
BATCH = 1000
#: The most rows an Excel sheet holds below its header.
XLSX_MAX_ROWS = 1_048_575


class SheetColumn(NamedTuple):
    """One column of the sheet: its heading and what it holds (for the documentation and the
    template)."""

    heading: str
    meaning: Any


SHEET_COLUMNS = [
    SheetColumn("nummer", _l("Het nummer in het register (TZ-2019-0007); leeg voor een nieuwe")),
    SheetColumn("kamernummer", _l("Het nummer van de Kamer: TZ202603-130 of T01237")),
    SheetColumn("titel", _l("Korte titel")),
    SheetColumn("tekst", _l("De toezegging in de woorden van de bewindspersoon")),
    SheetColumn("gedaan_op", _l("Datum van de brief of het debat")),
    SheetColumn("ministerie", _l("Code of naam van het ministerie")),
    SheetColumn("bewindspersoon", _l("Naam van de bewindspersoon")),
    SheetColumn("functie", _l("Functie van de bewindspersoon")),
    SheetColumn("commissie", _l("Naam van de Kamercommissie")),
    SheetColumn("gevraagd_door", _l("Kamerlid en fractie die erom vroegen")),
    SheetColumn("deadline", _l("Datum waarop de toezegging moet zijn nagekomen")),
    SheetColumn("deadline_zoals_verwoord", _l("De termijn in de woorden van de bewindspersoon")),
    SheetColumn("status", _l("Openstaand, Deels voldaan, Voldaan of Vervallen")),
    SheetColumn(
        "bron",
        _l("Kamerstuk waarin de toezegging is gedaan (32 735, nr. 243), of de naam van het debat"),
    ),
    SheetColumn(
        "voldaan_met",
        _l("Kamerstuk waarmee de toezegging is nagekomen (32 735, nr. 250); met voldaan_op"),
    ),
    SheetColumn("voldaan_op", _l("Datum waarop de toezegging is nagekomen")),
    SheetColumn("soort_activiteit", _l("Eerste Kamer: soort activiteit (Plenair debat)")),
    SheetColumn("categorie", _l("Eerste Kamer: categorie van de toezegging")),
    SheetColumn("onderwerpen", _l("Eerste Kamer: onderwerpen, zoals de Kamer ze noemt")),
]
HEADINGS = [column.heading for column in SHEET_COLUMNS]


def _kamerstuk(dossier: str | None, ondernummer: str | None, title: str | None) -> str | None:
    if dossier and ondernummer:
        return f"{dossier}, nr. {ondernummer}"
    return title


def sheet_rows(today: dt.date) -> Iterator[list[Any]]:
    """Every visible promise as a row of SHEET_COLUMNS, by number."""
    filters = queries.CommitmentFilter(sort="number")
    for row in queries.export_rows(filters, today, BATCH):
        yield [
            row.number,
            row.kamer_number,
            row.title,
            row.text,
            row.made_on,
            row.ministry_code,
            row.official_name,
            row.official_function,
            row.committee_name,
            row.requested_by,
            row.deadline,
            row.deadline_phrase,
            row.status.label,
            _kamerstuk(row.source_dossier_number, row.source_ondernummer, row.source_title),
            _kamerstuk(
                row.fulfilled_by_dossier_number,
                row.fulfilled_by_ondernummer,
                row.fulfilled_by_title,
            ),
            row.fulfilled_on,
            row.kamer_activity_kind,
            row.kamer_category,
            row.kamer_subjects,
        ]


def write_csv(out: IO[str], rows: Iterator[list[Any]]) -> int:
    """CSV with a header, comma-separated, dates as ``2019-06-30``; text a spreadsheet would run
    as a formula gets a leading ``'``. Returns how many rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    count = 0
    for row in rows:
        writer.writerow(
            [
                spreadsheet_text(value)
                if isinstance(value, str)
                else ""
                if value is None
                else value
                for value in row
            ]
        )
        count += 1
    return count


class TooManyRows(Exception):
    """More promises than one Excel sheet holds."""


def write_xlsx(target: IO[bytes], rows: Iterator[list[Any]]) -> int:
    """An Excel workbook with one sheet "Toezeggingen", a bold header, date cells, and text
    as text (also text that starts like a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Toezeggingen")
    header = []
    for heading in HEADINGS:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        count += 1
        if count > XLSX_MAX_ROWS:
            raise TooManyRows
        cells: list[Any] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=dt.datetime.combine(value, dt.time()))
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            elif isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                # Text, never a formula: openpyxl would write "=…" as one, and Excel would
                # run it; the quote prefix makes Excel show and keep it as typed.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(target)
    return count
