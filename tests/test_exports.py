"""Files and feeds, each read back with its own library and compared with the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import feedparser
import jsonschema
import openpyxl
import pytest
import sqlalchemy as sa
from icalendar import Calendar
from itsdangerous.timed import TimestampSigner
from openapi_spec_validator import validate

from app.extensions import db
from app.register import services
from app.register.models import Commitment, CommitmentStatus


def api_items(client, query: str = "") -> list[dict]:
    return client.get(f"/api/v1/commitments?per_page=100&{query}").get_json()["items"]


def commitment(number: str) -> Commitment:
    return db.session.scalars(sa.select(Commitment).where(Commitment.number == number)).one()


@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_has_a_bom_and_matches_the_api(seeded, client, separator):
    query = "scheiding=%3B" if separator == ";" else ""
    response = client.get(f"/toezeggingen.csv?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=separator))
    by_number = {row["nummer"]: row for row in rows}
    items = api_items(client)
    assert set(by_number) == {item["number"] for item in items}
    for item in items:
        row = by_number[item["number"]]
        assert row["titel"] == item["title"]
        assert row["tekst"] == item["text"]
        assert row["status"] == item["status_label"]
        assert row["deadline"] == (item["deadline"] or "")
        assert row["ministerie"] == item["ministry"]["code"]
    assert by_number["TZ-2019-0001"]["voldaan_met"] == "kst-32735-243"


def test_csv_honours_the_filters(seeded, client):
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/toezeggingen.csv?ministerie=BZ").text.lstrip("\ufeff"))
        )
    )
    assert {row["nummer"] for row in rows} == {
        i["number"] for i in api_items(client, "ministry=BZ")
    }
    assert len(rows) == 6


def test_bad_separator_is_refused(seeded, client):
    response = client.get("/toezeggingen.csv?scheiding=|")
    assert response.status_code == 400
    assert "scheiding moet , of ; zijn." in response.text


def test_excel_has_typed_dates_and_a_frozen_header(seeded, client):
    response = client.get("/toezeggingen.xlsx?status=open")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["nummer", "kamernummer", "titel"]
    rows = [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    assert {row["nummer"] for row in rows} == {
        i["number"] for i in api_items(client, "status=open")
    }
    mission = next(row for row in rows if row["nummer"] == "TZ-2019-0002")
    assert isinstance(mission["deadline"], dt.datetime)  # a date cell, not text
    assert mission["deadline"].date() == dt.date(2019, 6, 30)
    assert mission["gedaan_op"].date() == dt.date(2019, 4, 11)
    deadline_column = header.index("deadline") + 1
    assert sheet.cell(row=2, column=deadline_column).number_format == "DD-MM-YYYY"


def test_ical_has_one_all_day_event_per_deadline_with_stable_uids(seeded, client):
    calendar = Calendar.from_ical(client.get("/toezeggingen.ics").get_data())
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    [event] = events
    assert str(event["UID"]) == "TZ-2019-0002@register.test"
    assert event.decoded("DTSTART") == dt.date(2019, 6, 30)
    assert event.decoded("DTEND") == dt.date(2019, 7, 1)
    first_sequence = int(event["SEQUENCE"])

    mission = commitment("TZ-2019-0002")
    services.change_deadline(mission, dt.date(2019, 12, 31), "tweede helft van 2019")
    gdf = commitment("TZ-2019-0003")
    services.change_deadline(gdf, dt.date(2020, 3, 31), "Q1 2020")
    db.session.commit()

    calendar = Calendar.from_ical(client.get("/toezeggingen.ics").get_data())
    by_uid = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(by_uid) == {"TZ-2019-0002@register.test", "TZ-2019-0003@register.test"}
    moved = by_uid["TZ-2019-0002@register.test"]
    assert moved.decoded("DTSTART") == dt.date(2019, 12, 31)
    assert int(moved["SEQUENCE"]) > first_sequence


def test_atom_lists_status_and_deadline_changes_newest_first(seeded, client):
    mission = commitment("TZ-2019-0002")
    services.change_deadline(mission, dt.date(2019, 12, 31), "tweede helft van 2019")
    services.update_commitment(mission, {"internal_note": "Nog afstemmen met BZ"})
    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="Missie gaat niet door.")
    db.session.commit()
    response = client.get("/toezeggingen.atom")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    first, second = feed.entries[0], feed.entries[1]
    assert first.title == "TZ-2019-0002 Status gewijzigd: Nieuwe Nederlandse hervestigingsmissie"
    assert "Status: Openstaand → Vervallen" in first.summary
    assert "Missie gaat niet door." in first.summary
    assert second.title.startswith("TZ-2019-0002 Deadline gewijzigd")
    assert "Deadline: 30 juni 2019 → 31 december 2019" in second.summary
    assert first.link == "http://register.test/toezeggingen/TZ-2019-0002"
    times = [entry.updated_parsed for entry in feed.entries]
    assert times == sorted(times, reverse=True)
    assert "Nog afstemmen" not in response.text


def test_atom_honours_the_filters(seeded, client):
    feed = feedparser.parse(client.get("/toezeggingen.atom?ministerie=BZ").get_data())
    assert feed.entries
    assert all(
        entry.title.split()[0] in {i["number"] for i in api_items(client, "ministry=BZ")}
        for entry in feed.entries
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/toezeggingen",
        "/toezeggingen/TZ-2019-0002",
        "/toezeggingen.csv",
        "/toezeggingen.xlsx",
        "/toezeggingen.ics",
        "/toezeggingen.atom",
        "/api/v1/commitments",
        "/api/v1/commitments/TZ-2019-0002",
    ],
)
def test_conditional_requests_answer_304_until_something_changes(seeded, client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    services.change_status(commitment("TZ-2019-0002"), CommitmentStatus.WITHDRAWN, note="x")
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_nothing_internal_leaks_into_any_page_file_or_feed(seeded, client, create_user):
    owner = create_user(name="Fatima el Amrani", email="fatima.geheim@minjenv.example")
    mission = commitment("TZ-2019-0002")
    services.update_commitment(mission, {"internal_note": "GEHEIME NOTITIE", "owner": owner})
    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="Vervallen.")
    db.session.commit()
    for url in [
        "/",
        "/toezeggingen",
        "/toezeggingen/TZ-2019-0002",
        "/toezeggingen.csv",
        "/toezeggingen.ics",
        "/toezeggingen.atom",
        "/api/v1/commitments",
        "/api/v1/commitments/TZ-2019-0002",
        "/toezeggingen?q=geheime",
    ]:
        body = client.get(url).get_data(as_text=True)
        assert "GEHEIME" not in body, url
        assert "fatima.geheim" not in body, url
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/toezeggingen.xlsx").get_data()))
    cells = [str(cell.value) for row in workbook.active.iter_rows() for cell in row]
    assert not any("GEHEIME" in value or "fatima.geheim" in value for value in cells)


def test_openapi_description_is_valid_and_describes_the_answers(seeded, client):
    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    schemas = spec["components"]["schemas"]
    list_schema = {**schemas["CommitmentList"], "components": spec["components"]}
    body = client.get("/api/v1/commitments?per_page=100").get_json()
    jsonschema.validate(body, list_schema, cls=jsonschema.Draft202012Validator)
    one = client.get("/api/v1/commitments/TZ-2019-0001").get_json()
    jsonschema.validate(
        one,
        {**schemas["Commitment"], "components": spec["components"]},
        cls=jsonschema.Draft202012Validator,
    )
    error = client.get("/api/v1/commitments/TZ-1900-0001").get_json()
    jsonschema.validate(error, schemas["Error"])


def csrf_tokens(response) -> set[str]:
    inputs = re.findall(r'<input[^>]*name="csrf_token"[^>]*>', response.get_data(as_text=True))
    return {re.search(r'value="([^"]+)"', tag).group(1) for tag in inputs}


def test_a_page_with_forms_stays_current_when_only_its_csrf_token_changes(
    seeded, app, client, monkeypatch
):
    # A signed token carries the second it was made in: drive that clock instead of sleeping.
    clock = [1_700_000_000]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: clock[0])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        first = client.get("/toezeggingen/TZ-2019-0002")
        [token] = csrf_tokens(first)
        clock[0] += 1  # a new second: a new token
        again = client.get(
            "/toezeggingen/TZ-2019-0002", headers={"If-None-Match": first.headers["ETag"]}
        )
        assert again.status_code == 304
        fresh = client.get("/toezeggingen/TZ-2019-0002")
        assert csrf_tokens(fresh) - {token}  # the token did change, the ETag did not
        assert fresh.headers["ETag"] == first.headers["ETag"]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_excel_file_depends_on_the_register_not_on_the_clock(seeded, client):
    """Same data, same bytes: otherwise the ETag changes every second and 304 never comes."""
    import zipfile

    from app.register.queries import last_change

    body = client.get("/toezeggingen.xlsx").get_data()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    assert workbook.properties.modified == last_change().replace(tzinfo=None, microsecond=0)
    assert client.get("/toezeggingen.xlsx").get_data() == body
