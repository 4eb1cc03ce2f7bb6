"""Importing and exporting the Tweede Kamer's own registration of promises (DESIGN §13): the
records in tests/interop/ are written in the shape of the Kamer's OData service and SyncFeed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.extensions import db
from app.interop.importing import CREATED_NOTE, UPDATED_NOTE, import_records
from app.interop.models import KamerRecord, KamerRelation
from app.interop.records import read_data, read_paths
from app.interop.sheets import HEADINGS
from app.register import services
from app.register.models import (
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Ministry,
    Official,
)
from tests.test_tallies import assert_tallies_exact

FIXTURES = Path(__file__).resolve().parent / "interop"
PAGES = FIXTURES / "pages"
FIRST = "3f2b6c1e-8a4d-4e7b-9c21-5d0e7a9b1c01"
SECOND = "3f2b6c1e-8a4d-4e7b-9c21-5d0e7a9b1c02"


def by_kamer_number(number: str) -> Commitment:
    return db.session.scalars(sa.select(Commitment).where(Commitment.kamer_number == number)).one()


def record_of(kamer_id: str) -> KamerRecord:
    return db.session.scalars(sa.select(KamerRecord).where(KamerRecord.kamer_id == kamer_id)).one()


def state() -> dict[str, Any]:
    """Everything an import can change, to compare before and after."""
    commitments = db.session.execute(
        sa.select(
            Commitment.number,
            Commitment.kamer_number,
            Commitment.text,
            Commitment.status,
            Commitment.kamer_status,
            Commitment.deadline,
            Commitment.version,
        ).order_by(Commitment.number)
    ).all()
    records = db.session.execute(
        sa.select(KamerRecord.kamer_id, KamerRecord.changed_on, KamerRecord.deleted).order_by(
            KamerRecord.kamer_id
        )
    ).all()
    return {
        "commitments": commitments,
        "records": records,
        "events": db.session.scalar(sa.select(sa.func.count()).select_from(CommitmentEvent)),
        "relations": db.session.scalar(sa.select(sa.func.count()).select_from(KamerRelation)),
        "ministries": db.session.scalar(sa.select(sa.func.count()).select_from(Ministry)),
        "officials": db.session.scalar(sa.select(sa.func.count()).select_from(Official)),
    }


def import_paths(*paths: Path):  # type: ignore[no-untyped-def]
    reading = read_paths(paths)
    report = import_records(reading.records, bad=reading.bad)
    db.session.commit()
    return report


def test_odata_pages_become_promises_with_the_kamers_fields(backend, app):
    report = import_paths(PAGES)

    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.skipped == [("page-2.json, record 3", "Id is geen geldige GUID: 'not-a-guid'")]
    assert report.unknown_statuses == {"In behandeling bij commissie": 1}
    first = by_kamer_number("TZ202603-130")
    assert first.number == "TZ-2026-0001"
    assert first.made_on == dt.date(2026, 3, 12)
    assert first.deadline == dt.date(2026, 7, 3)
    assert first.status is CommitmentStatus.OPEN
    assert first.kamer_status == "Openstaand"
    assert first.ministry.name == "Ministerie van Economische Zaken en Klimaat"
    assert first.responsible_official is not None
    assert first.responsible_official.name == "H.G. Herbert"
    assert first.responsible_official.function == "Minister van Economische Zaken en Klimaat"
    assert first.requested_by == "Sanne van Dijk (GL-PvdA)"
    assert first.text.startswith("De minister zegt toe de Kamer voor de zomer")
    [created] = db.session.scalars(first.events.select()).all()
    assert created.note == CREATED_NOTE
    assert created.actor_name == services.SYSTEM_ACTOR

    second = by_kamer_number("TZ202603-131")
    assert second.deadline is None  # 0001-01-01 means none
    assert second.status is CommitmentStatus.PARTIALLY_FULFILLED
    assert second.requested_by == "Kops (PVV)"
    assert record_of(SECOND).fulfilling_letter == "Kamerstuk 29 023, nr. 512"
    assert second.ministry_id == first.ministry_id
    assert second.responsible_official_id == first.responsible_official_id

    unknown = by_kamer_number("TZ202511-043")
    assert unknown.status is CommitmentStatus.OPEN
    assert unknown.kamer_status == "In behandeling bij commissie"
    assert_tallies_exact()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(backend, app):
    import_paths(PAGES)
    before = state()

    report = import_paths(PAGES)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert state() == before


def test_a_newer_record_updates_through_history_and_an_older_one_is_ignored(backend, app):
    import_paths(PAGES)
    first = by_kamer_number("TZ202603-130")
    version = first.version

    report = import_paths(FIXTURES / "syncfeed.xml")

    assert report.updated == 2
    db.session.refresh(first)
    assert first.status is CommitmentStatus.FULFILLED
    assert first.kamer_status == "Voldaan"
    assert first.version > version
    latest = db.session.scalars(first.events.select()).all()[-1]
    assert latest.note == UPDATED_NOTE
    assert {change["field"] for change in latest.changes} == {"status", "kamer_status"}
    assert record_of(FIRST).fulfilling_letter == "Kamerstuk 29 023, nr. 530"
    assert record_of(SECOND).deleted

    again = import_paths(PAGES)  # the pages hold the older versions
    assert again.updated == 0
    assert ("record 1 (TZ202603-130)", "ouder dan de versie in het register") in again.skipped
    db.session.refresh(first)
    assert first.status is CommitmentStatus.FULFILLED
    assert_tallies_exact()


def test_what_the_ministry_keeps_itself_is_never_overwritten(backend, app, create_user):
    import_paths(PAGES)
    first = by_kamer_number("TZ202603-130")
    owner = create_user(ministry=first.ministry)
    services.update_commitment(
        first,
        {"owner": owner, "internal_note": "Loopt via DGKE", "title": "Netcongestie mkb"},
    )
    db.session.commit()

    import_paths(FIXTURES / "syncfeed.xml")

    db.session.refresh(first)
    assert (first.owner, first.internal_note, first.title) == (
        owner,
        "Loopt via DGKE",
        "Netcongestie mkb",
    )


def test_a_promise_registered_by_hand_with_the_kamers_number_is_linked_not_doubled(
    backend, app, create_commitment
):
    mine = create_commitment(kamer_number="TZ202603-130", internal_note="van ons")
    db.session.commit()

    report = import_paths(PAGES)

    assert report.created == 3
    assert report.updated == 1
    assert record_of(FIRST).commitment_id == mine.id
    db.session.refresh(mine)
    assert mine.internal_note == "van ons"
    assert mine.kamer_status == "Openstaand"


def test_relations_between_promises_are_kept_by_the_kamers_ids(backend, app):
    import_paths(PAGES)

    relations = db.session.execute(
        sa.select(KamerRecord.kamer_id, KamerRelation.kind, KamerRelation.target_kamer_id)
        .join(KamerRelation.record)
        .order_by(KamerRecord.kamer_id)
    ).all()
    assert relations == [
        (SECOND, "aanvulling", FIRST),
        (
            "3f2b6c1e-8a4d-4e7b-9c21-5d0e7a9b1c04",
            "herhaling",
            "3f2b6c1e-8a4d-4e7b-9c21-5d0e7a9b1c03",
        ),
    ]


def test_tk_json_export_imports_again_without_any_change(backend, app, runner, tmp_path):
    import_paths(PAGES, FIXTURES / "syncfeed.xml")
    exported = tmp_path / "export.json"

    result = runner.invoke(args=["interop", "export", str(exported), "--format", "tk-json"])
    assert result.exit_code == 0, result.output
    before = state()
    result = runner.invoke(args=["interop", "import", str(exported)])

    assert result.exit_code == 0, result.output
    assert "0 nieuw, 0 bijgewerkt, 4 ongewijzigd, 0 overgeslagen." in result.output
    assert state() == before
    again = tmp_path / "again.json"
    assert runner.invoke(args=["interop", "export", str(again)]).exit_code == 0
    assert json.loads(again.read_text()) == json.loads(exported.read_text())
    records = {item["Id"]: item for item in json.loads(exported.read_text())["value"]}
    assert records[SECOND]["Verwijderd"] is True
    assert records[SECOND]["isAanvullingOp"] == [{"Id": FIRST}]
    assert records[FIRST]["Naam"] == "Herbert, H.G."
    assert records[FIRST]["DatumNakoming"].startswith("2026-07-03")


def test_the_export_read_into_an_empty_register_gives_the_same_export(
    backend, app, runner, tmp_path
):
    import_paths(PAGES)
    exported = tmp_path / "export.json"
    assert runner.invoke(args=["interop", "export", str(exported)]).exit_code == 0
    # Empty the register's Kamer promises, then read the export back in.
    for table in (KamerRelation, KamerRecord, CommitmentEvent, Commitment, Official, Ministry):
        db.session.execute(sa.delete(table))
    db.session.commit()

    report = import_paths(exported)

    assert report.created == 4
    assert not report.skipped
    again = tmp_path / "again.json"
    assert runner.invoke(args=["interop", "export", str(again)]).exit_code == 0
    assert json.loads(again.read_text()) == json.loads(exported.read_text())


def test_the_command_reports_progress_skips_and_a_summary(backend, app, runner):
    result = runner.invoke(args=["interop", "import", str(PAGES)])

    assert result.exit_code == 0, result.output
    assert "4 records gelezen." in result.output
    assert "overgeslagen: page-2.json, record 3: Id is geen geldige GUID" in result.output
    assert "onbekende status 'In behandeling bij commissie' (1 keer)" in result.output
    assert result.output.rstrip().endswith("4 nieuw, 0 bijgewerkt, 0 ongewijzigd, 1 overgeslagen.")


def test_a_dry_run_says_what_would_change_and_writes_nothing(backend, app, runner):
    before = state()

    result = runner.invoke(args=["interop", "import", "--dry-run", str(PAGES)])

    assert result.exit_code == 0, result.output
    assert "nieuw: record 1 (TZ202603-130)" in result.output
    assert "Proef, niets opgeslagen: 4 nieuw" in result.output
    assert state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"dit is geen json", "kapot.json is geen JSON."),
        (b'{"items": []}', 'geen pagina met toezeggingen (geen lijst "value")'),
        ((FIXTURES / "entities.xml").read_bytes(), "bevat XML met entiteiten of verwijzingen"),
        (b"<feed><entry>", "is geen leesbare XML"),
        (b"\xff\xfe{}", "is geen UTF-8"),
    ],
)
def test_a_file_that_is_no_kamer_data_is_refused_with_one_line_and_nothing_written(
    backend, app, runner, tmp_path, content, message
):
    bad = tmp_path / "kapot.json"
    bad.write_bytes(content)
    before = state()

    result = runner.invoke(args=["interop", "import", str(PAGES), str(bad)])

    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("Error:") == 1
    assert state() == before


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"Tekst": ""}, "Tekst ontbreekt"),
        ({"GewijzigdOp": "gisteren"}, "GewijzigdOp is geen datum en tijd"),
        ({"DatumNakoming": "2019-02-31T00:00:00Z"}, "een datum is onleesbaar"),
        ({"Aanmaakdatum": "0001-01-01T00:00:00Z"}, "Aanmaakdatum ontbreekt"),
        ({"Tekst": "x" * 10_001}, "Tekst is langer dan 10000 tekens"),
        ({"Verwijderd": "misschien"}, "Verwijderd is geen ja of nee"),
        ({"Ministerie": None, "Functie": None}, "geen ministerie"),
    ],
)
def test_a_malformed_record_is_reported_with_its_position_and_the_rest_imports(
    backend, app, change, reason
):
    page = json.loads((PAGES / "page-1.json").read_text())
    page["value"][1].update(change)

    reading = read_data(json.dumps(page).encode(), "pagina.json")
    report = import_records(reading.records, bad=reading.bad)

    assert report.created == 1
    [(where, why)] = report.skipped
    assert where.startswith(("pagina.json, record 2", "record 2"))
    assert reason in why


def test_a_deletion_that_carries_only_the_id_hides_a_known_promise(backend, app):
    import_paths(PAGES)
    feed = f"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><updated>2026-05-01T10:00:00Z</updated>
<content type="application/xml"><toezegging xmlns="http://www.tweedekamer.nl/xsd/tkData/v1-0"
xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0" id="{FIRST}"
tk:bijgewerkt="2026-05-01T12:00:00+02:00" tk:verwijderd="true"/></content></entry></feed>"""

    reading = read_data(feed.encode(), "feed.xml")
    report = import_records(reading.records)

    assert report.updated == 1
    assert record_of(FIRST).deleted
    assert by_kamer_number("TZ202603-130").text  # kept, with its history


def test_two_versions_of_a_new_record_in_one_input_register_the_later_once(backend, app):
    page = json.loads((PAGES / "page-1.json").read_text())
    later = dict(page["value"][0], Status="Voldaan", GewijzigdOp="2026-05-01T10:00:00+02:00")
    page["value"].append(later)

    reading = read_data(json.dumps(page).encode(), "pagina.json")
    report = import_records(reading.records)

    assert report.created == 2
    assert len(report.skipped) == 1
    assert by_kamer_number("TZ202603-130").status is CommitmentStatus.FULFILLED
    assert record_of(FIRST).changed_on == "2026-05-01T10:00:00+02:00"


def test_a_kamer_number_already_taken_by_another_kamer_record_is_skipped(backend, app):
    import_paths(PAGES)
    page = json.loads((PAGES / "page-1.json").read_text())
    other = dict(page["value"][0], Id="3f2b6c1e-8a4d-4e7b-9c21-5d0e7a9b1c99")

    reading = read_data(json.dumps({"value": [other]}).encode(), "pagina.json")
    report = import_records(reading.records)

    assert report.created == 0
    assert report.skipped == [
        (
            "record 1 (TZ202603-130)",
            "nummer TZ202603-130 hoort al bij een andere toezegging",
        )
    ]


def test_a_large_import_twice_changes_nothing_the_second_time(backend, app):
    from benchmarks.interop_import import tk_records

    page = json.dumps({"value": tk_records(2000)}).encode()
    first = import_records(read_data(page, "bench.json").records)
    db.session.commit()
    before = state()
    second = import_records(read_data(page, "bench.json").records)
    db.session.commit()

    assert (first.created, second.created, second.updated, second.unchanged) == (2000, 0, 0, 2000)
    assert state() == before
    assert_tallies_exact()


def test_a_promise_the_kamer_deleted_leaves_every_public_page_but_staff_still_see_it(
    backend, app, client, auth, create_user
):
    import_paths(PAGES)
    second = by_kamer_number("TZ202603-131")
    assert client.get(f"/toezeggingen/{second.number}").status_code == 200

    import_paths(FIXTURES / "syncfeed.xml")  # deletes TZ202603-131

    db.session.refresh(second)
    assert second.hidden
    assert client.get(f"/toezeggingen/{second.number}").status_code == 404
    assert client.get(f"/api/v1/commitments/{second.number}").status_code == 404
    listed = client.get("/toezeggingen").get_data(as_text=True)
    assert second.number not in listed
    assert by_kamer_number("TZ202603-130").number in listed
    assert second.number not in client.get("/toezeggingen.csv").get_data(as_text=True)
    api = client.get("/api/v1/commitments?per_page=100").get_json()
    assert second.number not in {item["number"] for item in api["items"]}
    assert_tallies_exact()
    events = db.session.scalars(second.events.select()).all()
    assert events[-1].note == "Verwijderd uit de Kamerregistratie: niet meer openbaar"

    auth.login(create_user(ministry=second.ministry))
    page = client.get(f"/toezeggingen/{second.number}")
    assert page.status_code == 200
    assert "uit haar registratie verwijderd" in page.get_data(as_text=True)


def test_related_promises_show_on_both_detail_pages(backend, app, client):
    import_paths(PAGES)
    first, second = by_kamer_number("TZ202603-130"), by_kamer_number("TZ202603-131")

    supplementing = client.get(f"/toezeggingen/{second.number}").get_data(as_text=True)
    supplemented = client.get(f"/toezeggingen/{first.number}").get_data(as_text=True)

    assert "Is een aanvulling op" in supplementing
    assert f'href="/toezeggingen/{first.number}"' in supplementing
    assert "Wordt aangevuld door" in supplemented
    assert f'href="/toezeggingen/{second.number}"' in supplemented


def test_a_relation_to_a_promise_the_kamer_deleted_shows_to_staff_only(
    backend, app, client, auth, create_user
):
    """The public does not see a deleted promise, also not as the other end of a relation;
    staff, who can open it, see it linked."""
    import_paths(PAGES)
    first, second = by_kamer_number("TZ202603-130"), by_kamer_number("TZ202603-131")
    services.set_hidden(first, True, note="Verwijderd uit de Kamerregistratie")
    db.session.commit()

    public = client.get(f"/toezeggingen/{second.number}").get_data(as_text=True)
    assert "Is een aanvulling op" not in public
    assert "TZ202603-130" not in public

    auth.login(create_user(ministry=second.ministry))
    staff = client.get(f"/toezeggingen/{second.number}").get_data(as_text=True)
    assert "Is een aanvulling op" in staff
    assert f'href="/toezeggingen/{first.number}"' in staff
    supplemented = client.get(f"/toezeggingen/{first.number}").get_data(as_text=True)
    assert f'href="/toezeggingen/{second.number}"' in supplemented


def test_the_export_command_writes_csv_and_xlsx_in_the_sheet_columns(
    backend, app, runner, tmp_path
):
    import openpyxl

    import_paths(PAGES)
    csv_file, xlsx_file = tmp_path / "register.csv", tmp_path / "register.xlsx"

    assert (
        runner.invoke(args=["interop", "export", str(csv_file), "--format", "csv"]).exit_code == 0
    )
    assert (
        runner.invoke(args=["interop", "export", str(xlsx_file), "--format", "xlsx"]).exit_code == 0
    )

    rows = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert rows[0] == HEADINGS
    first = dict(zip(HEADINGS, next(row for row in rows if row[1] == "TZ202603-130"), strict=True))
    assert first["gedaan_op"] == "2026-03-12"
    assert first["deadline"] == "2026-07-03"
    assert first["status"] == "Openstaand"
    assert first["ministerie"] == by_kamer_number("TZ202603-130").ministry.code
    assert first["bewindspersoon"] == "H.G. Herbert"
    sheet = openpyxl.load_workbook(xlsx_file).active
    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert sheet.max_row == len(rows)


def test_coordinators_download_the_register_at_beheer_export_and_clerks_may_not(
    backend, app, client, auth, create_user
):
    import_paths(PAGES)
    ministry = by_kamer_number("TZ202603-130").ministry
    assert client.get("/beheer/export").status_code == 302  # to the login page

    auth.login(create_user(ministry=ministry, role=Role.CLERK))
    assert client.get("/beheer/export").status_code == 403
    assert client.get("/beheer/export/toezeggingen.csv").status_code == 403
    auth.logout()

    auth.login(create_user(ministry=ministry, role=Role.COORDINATOR))
    page = client.get("/beheer/export")
    assert page.status_code == 200
    assert "deadline_zoals_verwoord" in page.get_data(as_text=True)
    exported = client.get("/beheer/export/toezeggingen.json")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert {item["Nummer"] for item in exported.get_json()["value"]} >= {"TZ202603-130"}
    spreadsheet = client.get("/beheer/export/toezeggingen.xlsx")
    assert spreadsheet.status_code == 200
    assert spreadsheet.data[:2] == b"PK"
    assert "TZ202603-131" in client.get("/beheer/export/toezeggingen.csv").get_data(as_text=True)
    assert client.get("/beheer/export/toezeggingen.exe").status_code == 404


def test_the_kamers_number_is_searchable_and_shown(backend, app, client):
    import_paths(PAGES)
    promise = by_kamer_number("TZ202603-130")

    found = client.get("/toezeggingen?q=tz202603-130").get_data(as_text=True)

    assert promise.number in found
    assert by_kamer_number("TZ202603-131").number not in found
    assert "TZ202603-130" in client.get(f"/toezeggingen/{promise.number}").get_data(as_text=True)
