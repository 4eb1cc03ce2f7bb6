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
from openpyxl.utils import get_column_letter

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
    assert by_number["TZ-2019-0001"]["voldaan_met"] == "Kamerstuk 32 735, nr. 243"


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
    assert all(cell.font.b for cell in sheet[1])  # a bold header
    last = get_column_letter(len(header))  # the filter spans every column and every row
    assert sheet.auto_filter.ref == f"A1:{last}{len(rows) + 1}"
    assert sheet.column_dimensions["C"].width == 60  # the title has room


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
        "/toezeggingen.xlsx",
        "/toezeggingen.atom",
        "/api/v1/commitments",
        "/api/v1/commitments/TZ-2019-0002",
    ],
)
def test_conditional_requests_answer_304_until_something_changes(seeded, client, url):
    # The CSV and iCalendar files are streamed as they are read: they have no ETag (yet).
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


# Files of any size: every row, read in batches (EXPORT_BATCH_SIZE), and a paged feed.

BATCH = 7


@pytest.fixture
def thirty(app, create_commitment, create_ministry, create_official, create_committee, monkeypatch):
    """31 promises over two ministries, 24 with a deadline, read 7 at a time: the files come in
    five batches, the last one short."""
    monkeypatch.setitem(app.config, "EXPORT_BATCH_SIZE", BATCH)
    bz = create_ministry(code="BZ", name="Buitenlandse Zaken")
    minister = create_official(
        bz, name="H. Bruins Slot", function="Minister van Buitenlandse Zaken"
    )
    committee = create_committee("Vaste commissie voor Buitenlandse Zaken")
    made = []
    for index in range(31):
        foreign = index % 3 == 0
        made.append(
            create_commitment(
                title=f"Toezegging {index:02d}",
                ministry=bz if foreign else None,
                responsible_official=minister if foreign else None,
                committee=committee if foreign else None,
                deadline=dt.date(2020, 1, 1) + dt.timedelta(days=index) if index % 4 else None,
                deadline_phrase="voor de zomer" if index % 4 else None,
            )
        )
    db.session.commit()
    return made


def csv_rows(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/toezeggingen.csv?{query}")
    assert response.status_code == 200
    separator = ";" if "scheiding=%3B" in query else ","
    raw = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw), delimiter=separator))


def xlsx_rows(client, query: str = "") -> list[dict]:
    response = client.get(f"/toezeggingen.xlsx?{query}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]


def test_csv_and_excel_hold_every_promise_however_many_batches(thirty, client):
    numbers = sorted(commitment.number for commitment in thirty)
    assert sorted(row["nummer"] for row in csv_rows(client)) == numbers
    assert sorted(row["nummer"] for row in csv_rows(client, "scheiding=%3B")) == numbers
    assert sorted(row["nummer"] for row in xlsx_rows(client)) == numbers


def test_files_of_many_batches_honour_filters_and_order(thirty, client):
    foreign = [c.number for c in thirty if c.ministry.code == "BZ"]
    assert len(foreign) == 11
    for query in ("ministerie=BZ", "ministerie=BZ&sorteer=-nummer"):
        expected = [
            item["number"]
            for item in api_items(
                client,
                query.replace("ministerie", "ministry").replace("sorteer=-nummer", "sort=-number"),
            )
        ]
        assert [row["nummer"] for row in csv_rows(client, query)] == expected
        assert [row["nummer"] for row in xlsx_rows(client, query)] == expected
    assert csv_rows(client, "q=Toezegging 07")[0]["nummer"] == thirty[7].number
    calendar = Calendar.from_ical(client.get("/toezeggingen.ics?ministerie=BZ").get_data())
    dated = {f"{c.number}@register.test" for c in thirty if c.ministry.code == "BZ" and c.deadline}
    assert {str(event["UID"]) for event in calendar.walk("VEVENT")} == dated


def test_every_column_of_a_file_is_what_the_api_says(thirty, client):
    """The files read their rows without the ORM; each column still says what the API says."""
    from app.public.exports import COLUMNS

    items = {item["number"]: item for item in api_items(client)}
    for separator in (",", ";"):
        raw = client.get(f"/toezeggingen.csv?scheiding={separator}").get_data().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(raw), delimiter=separator))
        assert len(rows) == 31
        for row in rows:
            item = items[row["nummer"]]
            for heading, value, _from_row in COLUMNS:
                expected = value(item)
                expected = expected.isoformat() if isinstance(expected, dt.date) else expected
                assert row[heading] == (expected or ""), heading
    minister = next(row for row in csv_rows(client) if row["ministerie"] == "BZ")
    assert minister["bewindspersoon"] == "H. Bruins Slot"
    assert minister["commissie"] == "Vaste commissie voor Buitenlandse Zaken"
    assert minister["url"] == f"http://register.test/toezeggingen/{minister['nummer']}"
    for row in xlsx_rows(client):
        item = items[row["nummer"]]
        for heading, value, _from_row in COLUMNS:
            expected, cell = value(item), row[heading]
            if isinstance(expected, dt.date):
                assert isinstance(cell, dt.datetime), heading
                assert cell.date() == expected, heading
            else:
                assert cell == expected, heading


def test_the_file_rows_match_the_api_for_sources_fulfilment_and_odd_numbers(seeded, client, app):
    """Each column read without the ORM against the same column read from commitment_to_json,
    on the seed data (sources, fulfilling letters, Kamer numbers, overdue promises), and the
    detail link for a number with characters a URL must quote."""
    from app.public.exports import COLUMNS
    from app.public.serializers import FileValues, commitment_to_json
    from app.register import queries
    from app.urls import absolute_url, absolute_url_maker

    with app.test_request_context():
        today = dt.date(2024, 1, 1)
        filters = queries.CommitmentFilter()
        rows = list(queries.export_rows(filters, today, BATCH))
        derived = FileValues(today=today)
        commitments = db.session.scalars(queries.commitments_query(filters, today)).all()
        assert [row.number for row in rows] == [c.number for c in commitments]
        for row, item in zip(rows, commitments, strict=True):
            full = commitment_to_json(item, today=today)
            for heading, from_json, from_row in COLUMNS:
                assert from_row(row, derived) == from_json(full), (item.number, heading)
        link = absolute_url_maker("public.commitment_detail", "number")
        for number in ["TZ-2019-0001", "a b/c?d#e%f", "é€;=@+"]:
            assert link(number) == absolute_url("public.commitment_detail", number=number)


def test_a_calendar_has_one_event_per_dated_promise_over_many_batches(thirty, client):
    response = client.get("/toezeggingen.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment;" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.get_data())
    events = calendar.walk("VEVENT")
    dated = [c for c in thirty if c.deadline is not None]
    assert len(dated) == 23
    assert len(events) == len(dated)
    by_uid = {str(event["UID"]): event for event in events}
    for promise in dated:
        event = by_uid[f"{promise.number}@register.test"]
        assert event.decoded("DTSTART") == promise.deadline
        assert str(event["SUMMARY"]) == f"{promise.title} ({promise.number})"
        assert "voor de zomer" in str(event["DESCRIPTION"])


def test_the_calendar_text_survives_escaping_and_folding(app, create_commitment, client):
    """Commas, semicolons, backslashes, line breaks and long lines of multi-byte characters
    come back exactly as stored."""
    text = "Één; twee, drie \\ vier\nvijf — " + "ëéèê" * 40
    promise = create_commitment(
        title="Zorg, welzijn; sport \\ cultuur " + "€" * 30,
        text=text,
        deadline=dt.date(2020, 6, 30),
    )
    db.session.commit()
    raw = client.get("/toezeggingen.ics").get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    [event] = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{promise.title} ({promise.number})"
    assert str(event["DESCRIPTION"]).startswith(text + "\n\nOpenstaand")


def follow_the_feed(client, url: str) -> list[str]:
    """Entry ids of every page, following rel=next from ``url`` until there is none."""
    seen, pages = [], 0
    while url:
        feed = feedparser.parse(client.get(url.removeprefix("http://register.test")).get_data())
        assert feed.bozo == 0, feed.get("bozo_exception")
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["first"].startswith("http://register.test/toezeggingen.atom")
        assert "voor=" not in links["first"]
        seen.extend(entry.id for entry in feed.entries)
        url = links.get("next", "")
        pages += 1
        assert pages < 20
    return seen


def feed_event_ids(ministry_code: str | None = None) -> list[str]:
    from app.register.models import CommitmentEvent, EventKind, Ministry

    statement = (
        sa.select(CommitmentEvent.id)
        .join(Commitment)
        .where(CommitmentEvent.kind != EventKind.UPDATED)
        .order_by(CommitmentEvent.occurred_at.desc(), CommitmentEvent.id.desc())
    )
    if ministry_code:
        statement = statement.join(Ministry).where(Ministry.code == ministry_code)
    return [f"tag:register.test,2019:event:{id_}" for id_ in db.session.scalars(statement)]


def test_following_the_feed_visits_every_change_once_newest_first(thirty, client):
    for promise in thirty:
        if promise.deadline:
            services.change_deadline(promise, promise.deadline + dt.timedelta(days=30), "later")
        if promise.ministry.code == "BZ":
            services.change_status(promise, CommitmentStatus.WITHDRAWN, note="Vervallen.")
    db.session.commit()
    every = feed_event_ids()
    assert len(every) > 50  # more than one page
    assert follow_the_feed(client, "/toezeggingen.atom") == every
    assert follow_the_feed(client, "/toezeggingen.atom?ministerie=BZ") == feed_event_ids("BZ")


def test_every_page_of_the_feed_is_the_same_feed(thirty, client):
    first = feedparser.parse(client.get("/toezeggingen.atom?ministerie=BZ").get_data())
    assert not any(link.rel == "next" for link in first.feed.links)  # 11 changes: one page
    for promise in thirty:
        services.change_status(promise, CommitmentStatus.FULFILLED, note="Brief gestuurd.")
    db.session.commit()
    first = feedparser.parse(client.get("/toezeggingen.atom").get_data())
    assert len(first.entries) == 50
    next_url = next(link.href for link in first.feed.links if link.rel == "next")
    second = feedparser.parse(client.get(next_url.removeprefix("http://register.test")).get_data())
    assert second.feed.id == first.feed.id
    assert second.entries[0].updated_parsed <= first.entries[-1].updated_parsed
    assert next(link.href for link in second.feed.links if link.rel == "self") == next_url


@pytest.mark.parametrize("cursor", ["abc", "0", "999999999"])
def test_an_unknown_feed_cursor_is_refused(thirty, client, cursor):
    response = client.get(f"/toezeggingen.atom?voor={cursor}")
    assert response.status_code == 400
    assert "voor moet het nummer van een wijziging" in response.text


def test_an_excel_file_too_large_for_a_sheet_is_refused_not_cut(thirty, client, monkeypatch):
    from app.public import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 30)  # Excel's own limit is 1,048,575 rows
    response = client.get("/toezeggingen.xlsx")
    assert response.status_code == 413
    assert response.mimetype == "text/plain"
    assert "hoogstens 30 toezeggingen" in response.text
    assert "filter" in response.text
    assert len(xlsx_rows(client, "ministerie=BZ")) == 11  # a narrower selection fits
    assert len(csv_rows(client)) == 31  # the CSV holds more (CSV_MAX_ROWS)


def test_a_csv_larger_than_one_download_holds_is_refused_with_the_way_to_narrow_it(
    thirty, client, monkeypatch
):
    """gunicorn ends a request after 30 s; a CSV that could not be sent whole in that time is
    refused with a message saying how to narrow it, never broken off part way."""
    from app.public import exports

    monkeypatch.setattr(exports, "CSV_MAX_ROWS", 20)
    refused = client.get("/toezeggingen.csv")
    assert refused.status_code == 413
    message = refused.get_data(as_text=True)
    assert "hoogstens 20 toezeggingen" in message
    assert "filter" in message
    foreign = [c.number for c in thirty if c.ministry.code == "BZ"]
    assert sorted(row["nummer"] for row in csv_rows(client, "ministerie=BZ")) == sorted(foreign)
    monkeypatch.setattr(exports, "CSV_MAX_ROWS", len(api_items(client)))
    assert len(csv_rows(client)) == exports.CSV_MAX_ROWS  # exactly the bound: all of it
