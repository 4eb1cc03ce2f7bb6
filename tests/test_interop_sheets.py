"""Spreadsheets in (`flask interop import-sheet`): every row checked before anything is
written, all or nothing, Dutch dates and deadline phrases, and the same sheet twice changes
nothing; a sheet exported by the register reads back the same (DESIGN §13)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import re
import time
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.extensions import db
from app.interop import uploads
from app.interop.sheetimport import plan_sheet, read_rows, sheet_date
from app.interop.sheets import HEADINGS
from app.register import clock
from app.register.models import (
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Document,
    EventKind,
)
from tests.test_tallies import assert_tallies_exact

HEADER = ["tekst", "gedaan_op", "ministerie", "bewindspersoon", "deadline", "termijn", "status"]


@pytest.fixture
def reference(app, create_ministry, create_official):
    ministry = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    create_official(ministry)  # M.G.J. Harbers
    db.session.commit()
    return ministry


def rows(count: int) -> list[list[str]]:
    return [
        [
            f"Ik zal uw Kamer informeren over onderwerp {number}.",
            f"{1 + number % 28}-{1 + number % 12}-2019",
            "JenV",
            "M.G.J. Harbers",
            "",
            "voor de zomer",
            "Openstaand",
        ]
        for number in range(count)
    ]


def write_csv(
    path: Path, lines: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8-sig"
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(lines)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30-6-2019", dt.date(2019, 6, 30)),
        ("30 juni 2019", dt.date(2019, 6, 30)),
        ("1 mrt. 2020", dt.date(2020, 3, 1)),
        ("2019-06-30", dt.date(2019, 6, 30)),
        (dt.datetime(2019, 6, 30, tzinfo=dt.UTC), dt.date(2019, 6, 30)),
    ],
)
def test_dates_as_people_write_them(app, raw, expected):
    assert sheet_date(raw) == expected


@pytest.mark.parametrize("raw", ["31-02-2019", "31 februari 2019", "30 juno 2019", "gisteren"])
def test_a_date_that_does_not_exist_is_refused(app, raw):
    with pytest.raises(ValueError, match="datum"):
        sheet_date(raw)


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "cp1252")]
)
def test_a_sheet_imports_all_rows_and_a_second_time_changes_nothing(
    backend, app, runner, reference, tmp_path, delimiter, encoding
):
    lines = [HEADER, *rows(30)]
    lines[1][0] = "Ik zal de Kamer vóór de begroting informeren over het café."
    sheet = write_csv(tmp_path / "blad.csv", lines, delimiter=delimiter, encoding=encoding)

    result = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert result.exit_code == 0, result.output
    assert "30 nieuw, 0 bijgewerkt, 0 ongewijzigd." in result.output
    first = db.session.scalars(sa.select(Commitment).order_by(Commitment.id)).first()
    assert first.text == "Ik zal de Kamer vóór de begroting informeren over het café."
    assert first.made_on == dt.date(2019, 1, 1)
    assert first.deadline_phrase == "voor de zomer"
    assert first.deadline == dt.date(2019, 7, 4)  # resolved as the forms do (DESIGN §4)
    assert first.responsible_official.name == "M.G.J. Harbers"
    events = count(CommitmentEvent)

    again = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert again.exit_code == 0, again.output
    assert "0 nieuw, 0 bijgewerkt, 30 ongewijzigd." in again.output
    assert count(Commitment) == 30
    assert count(CommitmentEvent) == events
    assert_tallies_exact()


def test_bad_rows_are_all_reported_in_dutch_and_nothing_is_written(
    backend, app, runner, reference, tmp_path
):
    lines = [HEADER, *rows(5)]
    lines[2][1] = "31-02-2019"
    lines[4][2] = "XYZ"
    lines[5][6] = "Misschien"
    sheet = write_csv(tmp_path / "blad.csv", lines)

    result = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert result.exit_code == 1
    assert "rij 3: gedaan_op: '31-02-2019' is geen datum." in result.output
    assert "rij 5: Ministerie 'XYZ' staat niet in het register." in result.output
    assert "rij 6: Status 'Misschien' kent het register niet" in result.output
    assert "Het blad bevat fouten; er is niets opgeslagen." in result.output
    assert count(Commitment) == 0


def test_wrong_columns_are_named(backend, app, runner, reference, tmp_path):
    sheet = write_csv(tmp_path / "blad.csv", [["Wat", "Wanneer"], ["a", "b"]])

    result = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert result.exit_code == 1
    assert "Onbekende kolommen: Wat, Wanneer." in result.output
    assert "Verplichte kolommen ontbreken: tekst, gedaan_op, ministerie." in result.output


def test_a_sheet_of_too_many_rows_is_refused_before_it_is_checked(app, tmp_path):
    data = ("tekst;gedaan_op;ministerie\r\n" + "x;1-1-2019;JenV\r\n" * 100_000).encode()

    with pytest.raises(ValueError, match=r"hoogstens 10\.000 rijen"):
        read_rows(data, "groot.csv")


def test_an_export_reads_back_as_unchanged(backend, app, runner, reference, tmp_path):
    sheet = write_csv(tmp_path / "blad.csv", [HEADER, *rows(10)])
    assert runner.invoke(args=["interop", "import-sheet", str(sheet)]).exit_code == 0
    exported = tmp_path / "register.xlsx"
    assert (
        runner.invoke(args=["interop", "export", str(exported), "--format", "xlsx"]).exit_code == 0
    )

    plan = plan_sheet(read_rows(exported.read_bytes(), exported.name))

    assert plan.ok, plan.errors + [e for row in plan.rows for e in row.errors]
    assert [row.action for row in plan.rows] == ["ongewijzigd"] * 10
    again = tmp_path / "again.csv"
    assert runner.invoke(args=["interop", "export", str(again), "--format", "csv"]).exit_code == 0
    plan = plan_sheet(read_rows(again.read_bytes(), again.name))
    assert [row.action for row in plan.rows] == ["ongewijzigd"] * 10
    sheet = openpyxl.load_workbook(exported).active
    assert [cell.value for cell in sheet[1]] == HEADINGS


def test_a_changed_row_updates_its_promise_through_history(
    backend, app, runner, reference, tmp_path
):
    sheet = write_csv(tmp_path / "blad.csv", [HEADER, *rows(2)])
    assert runner.invoke(args=["interop", "import-sheet", str(sheet)]).exit_code == 0
    number = db.session.scalars(sa.select(Commitment.number).order_by(Commitment.id)).first()
    changed = [["nummer", *HEADER], [number, *rows(1)[0]]]
    changed[1][7] = "Voldaan"

    result = runner.invoke(
        args=["interop", "import-sheet", str(write_csv(tmp_path / "b.csv", changed))]
    )

    assert result.exit_code == 0, result.output
    assert "0 nieuw, 1 bijgewerkt, 0 ongewijzigd." in result.output
    promise = db.session.scalars(sa.select(Commitment).where(Commitment.number == number)).one()
    assert promise.status is CommitmentStatus.FULFILLED


def csv_upload(lines: list[list[str]], name: str = "blad.csv") -> dict[str, object]:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(lines)
    return {"sheet": (io.BytesIO(buffer.getvalue().encode("utf-8-sig")), name)}


def test_a_coordinator_previews_fixes_and_imports_a_sheet_at_beheer_import(
    backend, app, client, auth, create_user, reference
):
    auth.login(create_user(ministry=reference, role=Role.COORDINATOR))
    lines = [HEADER, *rows(300)]
    lines[10][1] = "31-02-2019"
    lines[200][2] = "Onbekend"

    preview = client.post("/beheer/import", data=csv_upload(lines))

    page = preview.get_data(as_text=True)
    assert preview.status_code == 400
    assert "2 van de 300 rijen bevatten fouten" in page
    assert "&#39;31-02-2019&#39; is geen datum." in page
    assert "Ministerie &#39;Onbekend&#39; staat niet in het register." in page
    # Only the two bad rows are listed, so they need not be found among 300.
    assert page.count('class="row-error"') == 2
    assert "De andere 298 rijen zijn in orde." in page
    assert "onderwerp 5." not in page
    assert count(Commitment) == 0

    lines[10][1], lines[200][2] = "30 juni 2019", "JenV"
    preview = client.post("/beheer/import", data=csv_upload(lines))
    assert preview.status_code == 200
    assert "Alle rijen zijn in orde: 300 nieuw, 0 bijgewerkt, 0 ongewijzigd." in preview.get_data(
        as_text=True
    )
    assert count(Commitment) == 0
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True))
    assert token is not None

    done = client.post("/beheer/import/bevestigen", data={"token": token[1]})

    assert done.status_code == 302
    assert count(Commitment) == 300
    assert "Ingelezen: 300 nieuw" in client.get("/beheer/import").get_data(as_text=True)
    again = client.post("/beheer/import/bevestigen", data={"token": token[1]})
    assert again.status_code == 400  # the same sheet is not imported twice by one token
    assert count(Commitment) == 300
    # The same sheet again: nothing to import, and no button that would pretend there is.
    same = client.post("/beheer/import", data=csv_upload(lines)).get_data(as_text=True)
    assert "Er verandert niets: elke rij staat al zo in het register." in same
    assert 'name="token"' not in same
    assert ">Importeren</button>" not in same
    auth.logout()
    assert client.get("/api/v1/commitments").get_json()["total"] == 300
    found = client.get("/toezeggingen?q=onderwerp").get_data(as_text=True)
    assert "Kamer informeren over" in found  # the search term itself is highlighted


def test_the_import_page_refuses_clerks_big_files_and_gives_templates(
    backend, app, client, auth, create_user, reference
):
    auth.login(create_user(ministry=reference, role=Role.CLERK))
    assert client.get("/beheer/import").status_code == 403
    auth.logout()
    auth.login(create_user(ministry=reference, role=Role.COORDINATOR))

    big = client.post(
        "/beheer/import", data={"sheet": (io.BytesIO(b"x" * (50 * 1024 * 1024)), "groot.csv")}
    )

    assert big.status_code == 413
    assert "Het bestand is groter dan 25 MB; er is niets ingelezen." in big.get_data(as_text=True)
    template = client.get("/beheer/import/sjabloon.xlsx")
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.data)).active
    assert [cell.value for cell in sheet[1]] == HEADINGS
    plain = client.get("/beheer/import/sjabloon.csv").get_data(as_text=True)
    assert plain.lstrip("\ufeff").startswith(",".join(HEADINGS))
    wrong = client.post("/beheer/import", data=csv_upload([["Wat"], ["x"]]))
    assert wrong.status_code == 400
    assert "Onbekende kolommen: Wat." in wrong.get_data(as_text=True)


EERSTE_KAMER = [
    [
        "Nummer",
        "Titel",
        "Toezegging",
        "Datum",
        "Deadline",
        "Verantwoordelijke minister",
        "Kamerleden",
        "Commissie",
        "Soort activiteit",
        "Categorie",
        "Onderwerpen",
        "Kamerstukken",
        "Status",
    ],
    [
        "T01237",
        "Evaluatie van de wet",
        "De staatssecretaris zegt de Kamer toe de wet binnen drie jaar te evalueren.",
        "14 mei 2019",
        "voor de zomer van 2022",
        "Staatssecretaris van Justitie en Veiligheid",
        "Ganzevoort (GroenLinks)",
        "Vaste commissie voor Justitie en Veiligheid",
        "Plenair debat",
        "Evaluatie",
        "Rechtspraak",
        "34 776",
        "Openstaand",
    ],
]


def test_an_eerste_kamer_register_sheet_imports_with_its_own_headings(
    backend, app, runner, client, reference, create_committee, tmp_path
):
    create_committee("Vaste commissie voor Justitie en Veiligheid")
    db.session.commit()
    sheet = write_csv(tmp_path / "eerste-kamer.csv", EERSTE_KAMER)

    result = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert result.exit_code == 0, result.output
    promise = db.session.scalars(sa.select(Commitment)).one()
    assert promise.kamer_number == "T01237"
    assert promise.title == "Evaluatie van de wet"
    assert promise.made_on == dt.date(2019, 5, 14)
    assert promise.deadline_phrase == "voor de zomer van 2022"
    assert promise.deadline == dt.date(2022, 7, 7)  # the day before the zomerreces of 2022
    assert promise.responsible_official.name == "M.G.J. Harbers"
    assert promise.ministry == reference
    assert promise.requested_by == "Ganzevoort (GroenLinks)"
    assert promise.committee.name == "Vaste commissie voor Justitie en Veiligheid"
    assert promise.kamer_activity_kind == "Plenair debat"
    assert promise.kamer_category == "Evaluatie"
    assert promise.kamer_subjects == "Rechtspraak"
    # "34 776" is a dossier without a number in it: a document by that name.
    assert promise.source_document.title == "34 776"
    again = runner.invoke(args=["interop", "import-sheet", str(sheet)])
    assert "0 nieuw, 0 bijgewerkt, 1 ongewijzigd." in again.output
    found = client.get("/toezeggingen?q=t01237").get_data(as_text=True)
    assert promise.number in found
    detail = client.get(f"/toezeggingen/{promise.number}").get_data(as_text=True)
    assert "T01237" in detail
    for heading, value in [
        ("Soort activiteit", "Plenair debat"),
        ("Categorie", "Evaluatie"),
        ("Onderwerpen", "Rechtspraak"),
        ("Bron", "34 776"),
    ]:
        assert f"<dt>{heading}</dt><dd>{value}</dd>" in detail
    item = client.get(f"/api/v1/commitments/{promise.number}").get_json()
    assert (item["kamer_activity_kind"], item["kamer_category"], item["kamer_subjects"]) == (
        "Plenair debat",
        "Evaluatie",
        "Rechtspraak",
    )
    public_row = next(
        row
        for row in csv.DictReader(
            io.StringIO(client.get("/toezeggingen.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
        if row["nummer"] == promise.number
    )
    assert (public_row["soort_activiteit"], public_row["categorie"]) == (
        "Plenair debat",
        "Evaluatie",
    )
    assert public_row["onderwerpen"] == "Rechtspraak"


def test_the_eerste_kamers_subcategorie_reads_as_onderwerpen_and_empty_fields_are_not_shown(
    backend, app, runner, client, reference, tmp_path
):
    lines = [
        ["Nummer", "Toezegging", "Datum", "Verantwoordelijke minister", "Subcategorie"],
        [
            "T01300",
            "De minister zegt toe de Kamer te berichten over de pilot met mediation.",
            "2 april 2019",
            "Staatssecretaris van Justitie en Veiligheid",
            "Mediation; Rechtsbijstand",
        ],
    ]

    result = runner.invoke(
        args=["interop", "import-sheet", str(write_csv(tmp_path / "ek.csv", lines))]
    )

    assert result.exit_code == 0, result.output
    promise = db.session.scalars(sa.select(Commitment)).one()
    assert promise.kamer_subjects == "Mediation; Rechtsbijstand"
    assert promise.kamer_category is None
    detail = client.get(f"/toezeggingen/{promise.number}").get_data(as_text=True)
    assert "<dt>Onderwerpen</dt><dd>Mediation; Rechtsbijstand</dd>" in detail
    assert "<dt>Categorie</dt>" not in detail
    assert "<dt>Soort activiteit</dt>" not in detail


def test_a_preview_nobody_confirmed_is_removed_after_a_day(app):
    """A sheet waits on the server between its preview and the import; one left a day is
    removed at the next upload, so abandoned previews do not pile up."""
    abandoned = uploads.keep(1, b"nummer,toezegging\n", "oud.csv")
    kept_file = Path(app.instance_path) / "sheet-imports" / f"1-{abandoned}.csv"
    two_days_ago = time.time() - 2 * uploads.KEEP_SECONDS
    os.utime(kept_file, (two_days_ago, two_days_ago))
    recent = uploads.keep(2, b"nummer,toezegging\n", "nieuw.csv")

    assert uploads.take(1, abandoned) is None
    assert uploads.take(2, recent) is not None
    uploads.forget(2, recent)


SOURCED = [
    ["tekst", "gedaan_op", "ministerie", "status", "bron", "voldaan_met", "voldaan_op"],
    [
        "Ik stuur uw Kamer de tussenevaluatie van het programma voor de reclassering.",
        "12-3-2019",
        "JenV",
        "Voldaan",
        "Kamerstuk 29270, nr. 131",
        "29 270, nr. 140",
        "2 september 2019",
    ],
    [
        "Ik ga met de gemeenten in gesprek over de opvang van kwetsbare jongeren.",
        "14-3-2019",
        "JenV",
        "Deels voldaan",
        "Commissiedebat Justitiële jeugd",
        "kst-29270-140",
        "2-9-2019",
    ],
    [
        "Ik laat onderzoeken hoeveel zaken de rechtbanken het komend jaar verwachten.",
        "12 maart 2019",
        "JenV",
        "Openstaand",
        "29270-131",
        "",
        "",
    ],
]


def documents_by_key() -> dict[tuple[str | None, str | None, str], Document]:
    return {
        (document.dossier_number, document.ondernummer, document.title): document
        for document in db.session.scalars(sa.select(Document))
    }


def test_the_source_and_the_fulfilling_letter_land_through_the_services(
    backend, app, runner, reference, tmp_path
):
    sheet = write_csv(tmp_path / "bronnen.csv", SOURCED)

    result = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert result.exit_code == 0, result.output
    assert "3 nieuw, 0 bijgewerkt, 0 ongewijzigd." in result.output
    # One document per Kamerstuk however it is written, and the debate as a document by its name.
    assert set(documents_by_key()) == {
        ("29 270", "131", "29 270, nr. 131"),
        ("29 270", "140", "29 270, nr. 140"),
        (None, None, "Commissiedebat Justitiële jeugd"),
    }
    report, youth, courts = db.session.scalars(sa.select(Commitment).order_by(Commitment.id))
    assert report.source_document.kamerstuk_label == "29 270, nr. 131"
    assert courts.source_document == report.source_document
    assert youth.source_document.title == "Commissiedebat Justitiële jeugd"
    assert report.status is CommitmentStatus.FULFILLED
    assert report.fulfilled_by.kamerstuk_id == "kst-29270-140"
    assert report.fulfilled_on == dt.date(2019, 9, 2)
    assert youth.status is CommitmentStatus.PARTIALLY_FULFILLED
    assert youth.fulfilled_by == report.fulfilled_by
    assert courts.fulfilled_by is None
    assert courts.status is CommitmentStatus.OPEN
    # History tells it as the fulfil screen would: registered, then fulfilled with the letter.
    history = db.session.scalars(
        sa.select(CommitmentEvent)
        .where(CommitmentEvent.commitment_id == report.id)
        .order_by(CommitmentEvent.id)
    ).all()
    assert [event.kind for event in history] == [EventKind.CREATED, EventKind.FULFILLED]
    assert {c["field"]: c["new"] for c in history[1].changes}["fulfilled_by"] == ("29 270, nr. 140")
    assert history[1].note == "Ingelezen uit een spreadsheet"
    events = count(CommitmentEvent)

    again = runner.invoke(args=["interop", "import-sheet", str(sheet)])

    assert "0 nieuw, 0 bijgewerkt, 3 ongewijzigd." in again.output
    assert count(CommitmentEvent) == events
    assert count(Document) == 3
    assert_tallies_exact()


def test_a_new_source_on_a_known_promise_is_a_change_in_its_history(
    backend, app, runner, reference, tmp_path
):
    assert (
        runner.invoke(
            args=["interop", "import-sheet", str(write_csv(tmp_path / "a.csv", SOURCED))]
        ).exit_code
        == 0
    )
    courts = db.session.scalars(sa.select(Commitment).order_by(Commitment.id.desc())).first()
    changed = [["nummer", "tekst", "gedaan_op", "ministerie", "bron"]]
    changed.append([courts.number, courts.text, "12-3-2019", "JenV", "29 270, nr. 155"])
    [planned] = plan_sheet(changed).rows
    assert planned.changed_fields == ["Bron"]  # what the preview says the row changes

    result = runner.invoke(
        args=["interop", "import-sheet", str(write_csv(tmp_path / "b.csv", changed))]
    )

    assert result.exit_code == 0, result.output
    assert "0 nieuw, 1 bijgewerkt, 0 ongewijzigd." in result.output
    db.session.refresh(courts)
    assert courts.source_document.kamerstuk_label == "29 270, nr. 155"
    latest = db.session.scalars(
        sa.select(CommitmentEvent)
        .where(CommitmentEvent.commitment_id == courts.id)
        .order_by(CommitmentEvent.id.desc())
    ).first()
    assert latest.changes == [
        {"field": "source_document", "old": "29 270, nr. 131", "new": "29 270, nr. 155"}
    ]
    # Columns the sheet does not have (status, voldaan_*) left the promise alone.
    assert courts.status is CommitmentStatus.OPEN


def test_bad_sources_and_fulfilments_are_named_in_dutch_and_nothing_is_written(
    backend, app, client, auth, create_user, reference
):
    auth.login(create_user(ministry=reference, role=Role.COORDINATOR))
    header = SOURCED[0]
    text = "Ik informeer uw Kamer over de wachttijden bij de forensische zorg, regel {}."
    future = (clock.today() + dt.timedelta(days=30)).strftime("%d-%m-%Y")
    lines = [
        header,
        [text.format(1), "12-3-2019", "JenV", "Voldaan", "kst-29270-x", "", ""],
        [text.format(2), "12-3-2019", "JenV", "Voldaan", "", "29 270, nr. 140", future],
        [text.format(3), "12-3-2019", "JenV", "Voldaan", "", "29 270, nr. 140", "1-3-2019"],
        [text.format(4), "12-3-2019", "JenV", "Openstaand", "", "29 270, nr. 140", "2-9-2019"],
        [text.format(5), "12-3-2019", "JenV", "", "", "", "2-9-2019"],
        [text.format(6), "12-3-2019", "JenV", "Voldaan", "", "29 270, nr. 140", ""],
        [text.format(7), "12-3-2019", "JenV", "", "x" * 501, "", ""],
        [text.format(8), "12-3-2019", "JenV", "Voldaan", "29 270, nr. 131", "29 270, nr. 140", ""],
    ]
    lines[8][6] = "3-9-2019"

    preview = client.post("/beheer/import", data=csv_upload(lines))

    page = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 400
    assert "7 van de 8 rijen bevatten fouten" in page
    for message in [
        "bron: 'kst-29270-x' is geen Kamerstuk; schrijf het als 32 735, nr. 243 of kst-32735-243.",
        "voldaan_op: Een toezegging kan niet voldaan zijn op een dag die nog moet komen.",
        "voldaan_op: Een toezegging kan niet zijn voldaan vóór de dag waarop zij is gedaan.",
        "Met voldaan_met hoort de status Voldaan of Deels voldaan, niet Openstaand.",
        "voldaan_op is ingevuld maar voldaan_met niet: vul ook het Kamerstuk in waarmee de "
        "toezegging is nagekomen.",
        "voldaan_op: Geef de datum waarop de toezegging is voldaan.",
        "bron is langer dan 500 tekens.",
    ]:
        assert message in page
    assert count(Commitment) == 0
    assert count(Document) == 0


def test_a_promise_fulfilled_already_is_not_fulfilled_again_by_a_sheet(
    backend, app, runner, reference, tmp_path
):
    assert (
        runner.invoke(
            args=["interop", "import-sheet", str(write_csv(tmp_path / "a.csv", SOURCED))]
        ).exit_code
        == 0
    )
    report = db.session.scalars(sa.select(Commitment).order_by(Commitment.id)).first()
    other = [SOURCED[0], list(SOURCED[1])]
    other[1][5] = "29 270, nr. 141"

    result = runner.invoke(
        args=["interop", "import-sheet", str(write_csv(tmp_path / "b.csv", other))]
    )

    assert result.exit_code == 1
    assert (
        f"rij 2: {report.number} is al voldaan; een andere nakoming legt u pas vast als de status "
        "in het register weer Openstaand is." in result.output
    )
    db.session.refresh(report)
    assert report.fulfilled_by.kamerstuk_label == "29 270, nr. 140"


def test_messages_name_a_column_as_the_sheet_heads_it(backend, app, runner, reference, tmp_path):
    lines = [
        ["Toezegging", "Datum", "Ministerie", "Kamerstukken", "Nakoming", "Voldaan op"],
        ["", "30-02-2019", "JenV", "kst-abc", "", "2-9-2019"],
    ]

    result = runner.invoke(
        args=["interop", "import-sheet", str(write_csv(tmp_path / "kamer.csv", lines))]
    )

    assert result.exit_code == 1
    for message in [
        "rij 2: Toezegging is leeg.",
        "rij 2: Datum: '30-02-2019' is geen datum.",
        "rij 2: Kamerstukken: 'kst-abc' is geen Kamerstuk;",
        "rij 2: Voldaan op is ingevuld maar Nakoming niet: vul ook het Kamerstuk in waarmee de "
        "toezegging is nagekomen.",
    ]:
        assert message in result.output
