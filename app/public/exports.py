"""The register as files and feeds: CSV, Excel, iCalendar and Atom, honouring the list's filters.

Every file holds every matching promise, however many (DESIGN §6): CSV and iCalendar are
streamed as they are read, in batches of ``EXPORT_BATCH_SIZE`` rows (a server-side cursor on
PostgreSQL), Excel is written row by row to a temporary file and then sent. A worker's memory
stays flat whatever the size of the register. The columns are the JSON API's
(serializers.commitment_to_json, read here through serializers.FileRows); nothing internal
(internal notes, owners) is in them. The Atom feed is paged (RFC 5005).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, NamedTuple
from urllib.parse import unquote_plus, urlsplit
from xml.etree import ElementTree as ET

from flask import Response, current_app, request, send_file, stream_with_context
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.dbtypes import utcnow
from app.formatting import FORMULA_TRIGGERS, history_value, today
from app.inputs import parse_id, without_invalid_characters
from app.public import bp
from app.public.filters import PAGE_PARAMETERS, FilterError, parse_filters
from app.public.serializers import FileValues, readable_fulfilment, readable_source
from app.public.spreadsheet import EXCEL_MAX_ROWS, TooManyRows, write_workbook
from app.register import queries
from app.register.ical import calendar_chunks
from app.register.models import FIELD_LABELS, CommitmentEvent, EventKind
from app.register.notes import translated_note
from app.register.queries import CommitmentFilter, ExportRow
from app.urls import absolute_url, absolute_url_maker, this_page

#: How many changes one page of the Atom feed shows; older ones are on the next page.
FEED_ENTRIES = 50
#: The most promises an Excel file holds: what one sheet holds below its header. A larger
#: selection is refused with a message saying so (413), never cut.
XLSX_MAX_ROWS = EXCEL_MAX_ROWS - 1
#: The most promises one CSV download holds. gunicorn ends a request after 30 seconds
#: (gunicorn.conf.py), and at a million promises the whole register took longer: the file
#: broke off mid-way. A larger selection is refused with a message saying so (413), never
#: cut; `flask interop export` writes any number to a file.
CSV_MAX_ROWS = 500_000


class Column(NamedTuple):
    """One column of the CSV and Excel files."""

    heading: str
    #: What the column holds, as read from the API's JSON of a promise
    #: (serializers.commitment_to_json): the definition, which the tests hold the files to.
    from_json: Callable[[dict[str, Any]], Any]
    #: The same value from a row read for the files (queries.ExportRow): what files use.
    from_row: Callable[[ExportRow, FileValues], Any]


COLUMNS: list[Column] = [
    Column("nummer", lambda c: c["number"], lambda r, f: r.number),
    Column("kamernummer", lambda c: c["kamer_number"], lambda r, f: r.kamer_number),
    Column("titel", lambda c: c["title"], lambda r, f: r.title),
    Column("tekst", lambda c: c["text"], lambda r, f: r.text),
    Column("status", lambda c: c["status_label"], lambda r, f: f.status_label(r)),
    Column(
        "te_laat",
        lambda c: "ja" if c["overdue"] else "nee",
        lambda r, f: "ja" if f.overdue(r) else "nee",
    ),
    Column("deadline", lambda c: _date(c["deadline"]), lambda r, f: r.deadline),
    Column(
        "deadline_zoals_verwoord", lambda c: c["deadline_phrase"], lambda r, f: r.deadline_phrase
    ),
    Column("gedaan_op", lambda c: _date(c["made_on"]), lambda r, f: r.made_on),
    Column("ministerie", lambda c: c["ministry"]["code"], lambda r, f: r.ministry_code),
    Column(
        "bewindspersoon",
        lambda c: (c["responsible"] or {}).get("name"),
        lambda r, f: r.official_name,
    ),
    Column(
        "functie",
        lambda c: (c["responsible"] or {}).get("function"),
        lambda r, f: r.official_function,
    ),
    Column("commissie", lambda c: c["committee"], lambda r, f: r.committee_name),
    Column("gevraagd_door", lambda c: c["requested_by"], lambda r, f: r.requested_by),
    Column("bron", readable_source, lambda r, f: f.source(r)),
    Column("voldaan_met", readable_fulfilment, lambda r, f: f.fulfilled_by(r)),
    Column("voldaan_op", lambda c: _date(c["fulfilled_on"]), lambda r, f: r.fulfilled_on),
    Column(
        "soort_activiteit", lambda c: c["kamer_activity_kind"], lambda r, f: r.kamer_activity_kind
    ),
    Column("categorie", lambda c: c["kamer_category"], lambda r, f: r.kamer_category),
    Column("onderwerpen", lambda c: c["kamer_subjects"], lambda r, f: r.kamer_subjects),
    Column("url", lambda c: c["url"], lambda r, f: f.url(r)),
]
DATE_COLUMNS = {"deadline", "gedaan_op", "voldaan_op"}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _batch_size() -> int:
    """Rows read from the database at a time (setting ``EXPORT_BATCH_SIZE``)."""
    return int(current_app.config["EXPORT_BATCH_SIZE"])


def _values(filters: CommitmentFilter) -> Iterator[list[Any]]:
    """Every promise matching ``filters`` (read from the request before anything is sent, so
    a FilterError comes first), as the values of COLUMNS, in batches."""
    derived = FileValues(today=today())
    getters = [column.from_row for column in COLUMNS]
    rows = queries.export_rows(filters, today(), _batch_size())
    return ([value(row, derived) for value in getters] for row in rows)


def _bad_filter(error: FilterError) -> Response:
    return Response(str(error) + "\n", status=400, mimetype="text/plain")


def _too_large(message: str) -> Response:
    """A selection larger than one file holds: refused whole, with the way to narrow it."""
    return Response(message + "\n", status=413, mimetype="text/plain")


def _filename(extension: str, variant: str = "") -> str:
    """``toezeggingen-2019-04-11.csv``; a ``variant`` gets its own name beside it."""
    return f"toezeggingen-{today().isoformat()}{variant}.{extension}"


def _download(body: Iterator[bytes], content_type: str, filename: str) -> Response:
    """A file streamed as it is made, read in the request's own context (its database
    session stays open until the last row is sent). ``content_type`` is sent as given: as a
    mimetype Werkzeug would add a second charset to it."""
    response = Response(stream_with_context(body), content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/toezeggingen.csv")
def export_csv() -> ResponseReturnValue:
    """UTF-8 with a byte-order mark so Excel reads accents; ``scheiding=;`` for Dutch Excel."""
    separator = request.args.get("scheiding", ",")
    if separator not in {",", ";"}:
        return _bad_filter(FilterError(_("scheiding moet , of ; zijn.")))
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
        too_many = queries.more_than(filters, today(), CSV_MAX_ROWS)
    except FilterError as error:
        return _bad_filter(error)
    if too_many:
        return _too_large(
            _(
                "Eén CSV-bestand bevat hoogstens %(max)s toezeggingen; deze selectie heeft er "
                "meer. Maak haar kleiner met een filter (bijvoorbeeld ministerie, status of "
                "periode) en download de delen apart.",
                max=f"{CSV_MAX_ROWS:,}".replace(",", "."),
            )
        )
    # The semicolon variant (for Dutch Excel) downloads under a name of its own.
    filename = _filename("csv", "-puntkomma" if separator == ";" else "")
    return _download(_csv_chunks(_values(filters), separator), "text/csv; charset=utf-8", filename)


class _Lines:
    """Where csv.writer writes: it collects the lines of one chunk."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> bytes:
        text, self.parts = "".join(self.parts), []
        return text.encode("utf-8")


def _csv_chunks(rows: Iterable[list[Any]], separator: str) -> Iterator[bytes]:
    """The CSV in pieces of one batch of rows each, the byte-order mark and header first.
    An empty cell for None, ISO dates (csv writes a date so), and text that a spreadsheet would
    run as a formula gets a leading ' (formatting.spreadsheet_text, inlined: 1.8 million cells
    for the whole register)."""
    lines = _Lines()
    writer = csv.writer(lines, delimiter=separator, lineterminator="\r\n")
    lines.write("\ufeff")
    writer.writerow([heading for heading, *_how in COLUMNS])
    batch = _batch_size()
    for count, row in enumerate(rows, start=1):
        writer.writerow(
            [
                "'" + value if type(value) is str and value.startswith(FORMULA_TRIGGERS) else value
                for value in row
            ]
        )
        if count % batch == 0:
            yield lines.take()
    yield lines.take()


#: Column widths in Excel, in characters.
_WIDTHS = {"tekst": 60, "titel": 60}


def _write_workbook(rows: Iterable[list[Any]], target: IO[bytes]) -> None:
    """The Excel file, row by row (app.public.spreadsheet): typed date cells, a bold frozen
    header, an autofilter. Its bytes depend on the data only: the zip dates are fixed and its
    document dates are the register's last change, so the ETag holds."""
    write_workbook(
        target,
        sheet_name="Toezeggingen",
        headings=[column.heading for column in COLUMNS],
        widths=[_WIDTHS.get(column.heading, 16) for column in COLUMNS],
        rows=rows,
        changed=queries.last_change() or dt.datetime(1980, 1, 1, tzinfo=dt.UTC),
        creator=_("Toezeggingenregister"),
        max_rows=XLSX_MAX_ROWS,
    )


@bp.get("/toezeggingen.xlsx")
def export_xlsx() -> ResponseReturnValue:
    """Typed date cells, a frozen header row and an autofilter. Written to a temporary file
    (constant memory), then sent with an ETag of its bytes."""
    try:
        rows = _values(parse_filters(request.args, PAGE_PARAMETERS))
    except FilterError as error:
        return _bad_filter(error)
    # Closed by the response once sent (or below on failure): it outlives this function.
    target = tempfile.TemporaryFile(prefix="toezeggingen-", suffix=".xlsx")  # noqa: SIM115
    try:
        _write_workbook(rows, target)
    except TooManyRows:
        target.close()
        return _too_large(
            _(
                "Een Excel-blad heeft ruimte voor hoogstens %(max)s toezeggingen; deze selectie "
                "heeft er meer. Maak haar kleiner met een filter (bijvoorbeeld ministerie, "
                "status of periode) en download de delen apart.",
                max=f"{XLSX_MAX_ROWS:,}".replace(",", "."),
            )
        )
    except BaseException:
        target.close()
        raise
    target.seek(0)
    digest = hashlib.file_digest(target, "sha1")
    target.seek(0)
    response = send_file(
        target,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=_filename("xlsx"),
        conditional=False,
        etag=False,
        last_modified=queries.last_change(),
    )
    # The ETag the conditional hook gives other answers (it passes files by): a 304 when the
    # client already has these bytes.
    response.set_etag(digest.hexdigest(), weak=True)
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "toezeggingenregister"


@bp.get("/toezeggingen.ics")
def export_ics() -> ResponseReturnValue:
    """One all-day event per deadline; the UID is the promise's number, so updates replace it."""
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
    except FilterError as error:
        return _bad_filter(error)
    rows = queries.calendar_rows(filters, today(), _batch_size())
    body = calendar_chunks(
        rows,
        host=_host(),
        url_for_number=absolute_url_maker("public.commitment_detail", "number"),
        name=_("Deadlines van toezeggingen"),
        events_per_chunk=_batch_size(),
    )
    return _download(body, "text/calendar; charset=utf-8", _filename("ics"))


ATOM = "http://www.w3.org/2005/Atom"
FEED_KINDS = (
    EventKind.CREATED,
    EventKind.STATUS_CHANGED,
    EventKind.DEADLINE_CHANGED,
    EventKind.FULFILLED,
)


#: The Atom feed's cursor: ``voor=<event id>`` shows the changes older than that one.
FEED_CURSOR = "voor"


@bp.get("/toezeggingen.atom")
def export_atom() -> ResponseReturnValue:
    """Status and deadline changes, newest first: follow the register in a feed reader.

    A paged feed (RFC 5005, section 3): each page holds FEED_ENTRIES changes and links to the
    first page and, while there are older changes, to the next page (``voor=<id>`` of its last
    entry), so a reader can walk the whole history of the filtered promises."""
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
        before = _feed_cursor()
    except FilterError as error:
        return _bad_filter(error)
    page = queries.feed_page(filters, today(), FEED_KINDS, FEED_ENTRIES, before=before)
    events = page.events
    host = _host()
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "nl"})
    _text(feed, "title", _("Toezeggingenregister: wijzigingen"))
    # Every page of one feed has the feed's id: the filters, not the cursor.
    _text(feed, "id", f"tag:{host},2019:feed:{_query_without_cursor() or 'alles'}")
    updated = events[0].occurred_at if events else (queries.last_change() or utcnow())
    _text(feed, "updated", updated.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": this_page()})
    query = _query()
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        {"rel": "first", "href": absolute_url("public.export_atom", **query)},
    )
    if page.has_older:
        ET.SubElement(
            feed,
            f"{{{ATOM}}}link",
            {
                "rel": "next",
                "href": absolute_url("public.export_atom", **query, voor=events[-1].id),
            },
        )
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        {
            "rel": "alternate",
            "type": "text/html",
            "href": absolute_url("public.commitment_list", **query),
        },
    )
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", _("Toezeggingenregister"))
    for event in events:
        commitment = event.commitment
        url = absolute_url("public.commitment_detail", number=commitment.number)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"tag:{host},2019:event:{event.id}")
        _text(entry, "title", f"{commitment.number} {event.kind.label}: {commitment.title}")
        _text(entry, "updated", event.occurred_at.isoformat())
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        entry_author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(entry_author, "name", commitment.ministry.name)  # never the civil servant
        lines = [
            f"{FIELD_LABELS.get(change['field'], change['field'])}: "
            f"{history_value(change['old'], change['field'])} → "
            f"{history_value(change['new'], change['field'])}"
            for change in event.public_changes()
            if event.kind is not EventKind.CREATED or change["new"] is not None
        ]
        if event.note:
            lines.append(translated_note(event.note) or "")
        _text(entry, "summary", "\n".join(lines) or str(event.kind.label))
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _query() -> dict[str, Any]:
    """The request's filters, ready to pass on to url_for (the feed's cursor left out)."""
    query = dict(request.args.to_dict(flat=False))
    query.pop(FEED_CURSOR, None)
    return query


def _query_without_cursor() -> str:
    """The query string as sent, without the feed's cursor."""
    parts = request.query_string.decode().split("&")
    return "&".join(
        part for part in parts if part and unquote_plus(part.split("=")[0]) != FEED_CURSOR
    )


def _feed_cursor() -> CommitmentEvent | None:
    """The change named by ``voor``, the last one of the page before; None without it."""
    raw = request.args.get(FEED_CURSOR, "").strip()
    if not raw:
        return None
    event_id = parse_id(raw)
    event = queries.event_by_id(event_id) if event_id is not None else None
    if event is None:
        raise FilterError(
            _("%(name)s moet het nummer van een wijziging in deze feed zijn.", name=FEED_CURSOR)
        )
    return event


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    # ElementTree writes any character; XML 1.0 cannot hold some, so they are left out.
    element.text = without_invalid_characters(text)
    return element
