"""A sheet goes in, the register's files come out, column by column the same (DESIGN §13).

Every column of every row of the sheet is compared with the same column of the same row in the
CSV and the Excel file that `flask interop export` writes, after the normalisation §13
documents: dates as dates (ISO text in CSV, date cells in Excel), the ministry by its code, the
committee by its name, the status by its label, a Kamerstuk as ``29 270, nr. 131``, an empty
title as the one suggested from the text, a deadline phrase without a date as its resolved
date, a new row's ``nummer`` as the number the register gave it, and text that starts like a
formula with a leading ``'`` in CSV. Then both files read back as unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.extensions import db
from app.interop.sheetimport import plan_sheet, read_rows
from app.interop.sheets import HEADINGS
from app.register import services

#: The sheet that goes in: every column, written the several ways people write them.
SHEET_IN: list[dict[str, Any]] = [
    {
        "kamernummer": "TZ201903-012",
        "titel": "Tussenevaluatie reclassering",
        "tekst": "Ik stuur uw Kamer de tussenevaluatie van het programma voor de reclassering.",
        "gedaan_op": "12-3-2019",
        "ministerie": "JenV",
        "bewindspersoon": "M.G.J. Harbers",
        "functie": "Staatssecretaris van Justitie en Veiligheid",
        "commissie": "J&V",
        "gevraagd_door": "Van Nispen (SP)",
        "deadline": "1-7-2019",
        "deadline_zoals_verwoord": "voor de zomer",
        "status": "Voldaan",
        "bron": "Kamerstuk 29270, nr. 131",
        "voldaan_met": "kst-29270-140",
        "voldaan_op": "2 september 2019",
        "soort_activiteit": "Commissiedebat",
        "categorie": "Rapportage",
        "onderwerpen": "Reclassering; Toezicht",
    },
    {
        "kamernummer": "T01240",
        "titel": "=Kosten van de rechtspraak",
        "tekst": "De minister zegt toe de Kamer te informeren over de kosten van de rechtspraak.",
        "gedaan_op": "14 maart 2019",
        "ministerie": "Ministerie van Justitie en Veiligheid",
        "bewindspersoon": "D. Yeşilgöz-Zegerius",
        "functie": "Minister van Justitie en Veiligheid",
        "commissie": "Vaste commissie voor Justitie en Veiligheid",
        "gevraagd_door": "+ de fracties van D66 en CDA",
        "deadline": "",
        "deadline_zoals_verwoord": "voor het kerstreces",
        "status": "Deels voldaan",
        "bron": "Commissiedebat Justitiële jeugd",
        "voldaan_met": "29 270, nr. 140",
        "voldaan_op": "2019-09-02",
        "soort_activiteit": "Plenair debat",
        "categorie": "Toezegging",
        "onderwerpen": "Rechtspraak",
    },
    {
        "kamernummer": "",
        "titel": "",
        "tekst": "Ik zal de Kamer informeren over de uitkomst van het overleg met de advocatuur; "
        "daarna volgt een brief.",
        "gedaan_op": "2 mei 2019",
        "ministerie": "JenV",
        "bewindspersoon": "",
        "functie": "",
        "commissie": "",
        "gevraagd_door": "",
        "deadline": "",
        "deadline_zoals_verwoord": "",
        "status": "",
        "bron": "",
        "voldaan_met": "",
        "voldaan_op": "",
        "soort_activiteit": "",
        "categorie": "",
        "onderwerpen": "",
    },
    {
        "kamernummer": "TZ202001-003",
        "titel": "Brief over de sociale advocatuur",
        "tekst": "Ik kom na de zomer met een brief over de sociale advocatuur.",
        "gedaan_op": "7-1-2020",
        "ministerie": "jenv",
        "bewindspersoon": "M.G.J. Harbers",
        "functie": "",
        "commissie": "",
        "gevraagd_door": "Ellian (VVD)",
        "deadline": "",
        "deadline_zoals_verwoord": "na de zomer",
        "status": "Afgedaan",
        "bron": "29 270, nr. 131",
        "voldaan_met": "",
        "voldaan_op": "",
        "soort_activiteit": "",
        "categorie": "",
        "onderwerpen": "Rechtsbijstand",
    },
]

#: What each row must read as in the files, by column, where that is not the sheet's own text
#: (None: the cell is empty). Dates as dates; the rest as the files write it.
NORMALISED: list[dict[str, Any]] = [
    {
        "gedaan_op": dt.date(2019, 3, 12),
        "commissie": "Vaste commissie voor Justitie en Veiligheid",
        "deadline": dt.date(2019, 7, 1),
        "bron": "29 270, nr. 131",
        "voldaan_met": "29 270, nr. 140",
        "voldaan_op": dt.date(2019, 9, 2),
    },
    {
        "gedaan_op": dt.date(2019, 3, 14),
        "ministerie": "JenV",
        "deadline": dt.date(2019, 12, 19),  # the day before the kerstreces of 2019 (§4)
        "voldaan_met": "29 270, nr. 140",
        "voldaan_op": dt.date(2019, 9, 2),
    },
    {
        "titel": "Ik zal de Kamer informeren over de uitkomst van het overleg met de advocatuur",
        "gedaan_op": dt.date(2019, 5, 2),
        "status": "Openstaand",
    },
    {
        "gedaan_op": dt.date(2020, 1, 7),
        "ministerie": "JenV",
        "functie": "Staatssecretaris van Justitie en Veiligheid",  # the official's own
        "deadline": dt.date(2020, 10, 31),  # "na de zomer": the end of October (§4)
        "status": "Voldaan",
    },
]


@pytest.fixture
def reference(app, create_ministry, create_official, create_committee):
    ministry = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    create_official(ministry)  # M.G.J. Harbers, Staatssecretaris van Justitie en Veiligheid
    create_official(ministry, "D. Yeşilgöz-Zegerius", "Minister van Justitie en Veiligheid")
    create_committee().abbreviation = "J&V"
    db.session.commit()
    return ministry


def sheet_in(path: Path) -> Path:
    """The sheet as a coordinator would upload it: CSV (semicolons) or Excel."""
    columns = [heading for heading in HEADINGS if heading != "nummer"]
    if path.suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(columns)
        writer.writerows([[row[column] for column in columns] for row in SHEET_IN])
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(columns)
        for row in SHEET_IN:
            sheet.append([row[column] for column in columns])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:  # typed as text, as Excel keeps "=…" after a leading '
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type, cell.quotePrefix = "s", True
        workbook.save(path)
    return path


def expected(index: int) -> dict[str, Any]:
    row = {column: value or None for column, value in SHEET_IN[index].items()}
    row.update(NORMALISED[index])
    return row


def files_out(runner, tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of the CSV and the Excel file the export command writes, as dictionaries."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in ("csv", "xlsx"):
        path = tmp_path / f"uit.{kind}"
        result = runner.invoke(args=["interop", "export", str(path), "--format", kind])
        assert result.exit_code == 0, result.output
        if kind == "csv":
            lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        else:
            # The values a spreadsheet shows: a formula would show its result, not the text.
            sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
            # A read-only sheet leaves out the empty cells at the end of a row.
            width = len(HEADINGS)
            lines = [
                [*line, *[None] * (width - len(line))] for line in sheet.iter_rows(values_only=True)
            ]
        assert lines[0] == HEADINGS
        out[kind] = [dict(zip(HEADINGS, line, strict=True)) for line in lines[1:]]
    return out


def as_read(kind: str, column: str, value: Any) -> Any:
    """A cell of the file as the documented form: in CSV, dates are ISO text, an empty cell
    is empty text and formula-like text has a leading '; Excel holds date cells."""
    if kind == "csv":
        if value == "":
            return None
        if column in {"gedaan_op", "deadline", "voldaan_op"}:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
            return dt.date.fromisoformat(value)
        if value.startswith("'"):
            assert value[1] in "=+-@", value
            return value[1:]
        return value
    if isinstance(value, dt.datetime):
        assert value.time() == dt.time(), value
        return value.date()
    return value


@pytest.mark.parametrize("upload", ["blad.csv", "blad.xlsx"])
def test_every_column_of_a_sheet_comes_back_in_the_exports(
    backend, app, runner, reference, tmp_path, upload
):
    result = runner.invoke(args=["interop", "import-sheet", str(sheet_in(tmp_path / upload))])
    assert result.exit_code == 0, result.output
    assert "4 nieuw, 0 bijgewerkt, 0 ongewijzigd." in result.output

    files = files_out(runner, tmp_path)

    for kind, rows in files.items():
        assert len(rows) == len(SHEET_IN), kind
        by_text = {row["tekst"]: row for row in rows}
        numbers = []
        for index, row_in in enumerate(SHEET_IN):
            row_out = by_text[row_in["tekst"]]
            want = expected(index)
            for column in HEADINGS:
                got = as_read(kind, column, row_out[column])
                if column == "nummer":
                    year = want["gedaan_op"].year
                    assert re.fullmatch(rf"TZ-{year}-\d{{4}}", got), (kind, index, got)
                    numbers.append(got)
                    continue
                assert got == want[column], (kind, index, column, got, want[column])
        assert len(set(numbers)) == len(SHEET_IN)
        # The files list the promises by number.
        assert [row["nummer"] for row in rows] == sorted(numbers)
    # What the formula-like title looks like in each file: quoted in CSV, text in Excel.
    assert "'=Kosten van de rechtspraak" in (tmp_path / "uit.csv").read_text(encoding="utf-8-sig")
    excel = openpyxl.load_workbook(tmp_path / "uit.xlsx").active
    title = next(cell for cell in excel["C"] if cell.value == "=Kosten van de rechtspraak")
    assert (title.data_type, title.quotePrefix) == ("s", True)
    assert services.suggest_title(SHEET_IN[2]["tekst"]) == NORMALISED[2]["titel"]


def test_the_exports_of_an_imported_sheet_read_back_as_unchanged(
    backend, app, runner, reference, tmp_path
):
    result = runner.invoke(args=["interop", "import-sheet", str(sheet_in(tmp_path / "in.csv"))])
    assert result.exit_code == 0, result.output
    files_out(runner, tmp_path)

    for name in ("uit.csv", "uit.xlsx"):
        data = (tmp_path / name).read_bytes()
        plan = plan_sheet(read_rows(data, name))
        assert plan.ok, plan.errors + [error for row in plan.rows for error in row.errors]
        assert [row.action for row in plan.rows] == ["ongewijzigd"] * len(SHEET_IN), name
