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
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any
from urllib.parse import unquote_plus, urlsplit
from xml.etree import ElementTree as ET

from flask import Response, current_app, request, send_file, stream_with_context
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from app.dbtypes import utcnow
from app.formatting import FORMULA_TRIGGERS, history_value, spreadsheet_text, today
from app.inputs import parse_id, without_invalid_characters
from app.public import bp
from app.public.filters import PAGE_PARAMETERS, FilterError, parse_filters
from app.public.serializers import FileRows
from app.register import queries
from app.register.ical import calendar_chunks
from app.register.models import FIELD_LABELS, CommitmentEvent, EventKind
from app.urls import absolute_url, absolute_url_maker, this_page

#: How many changes one page of the Atom feed shows; older ones are on the next page.
FEED_ENTRIES = 50
#: The most data rows one Excel sheet can hold (Excel's own limit is 1,048,576 rows, the
#: header included): a larger selection is refused with a message, never cut.
XLSX_MAX_ROWS = 1_048_575

#: (heading, how to get the value from a commitment's JSON); the columns of CSV and Excel.
COLUMNS: list[tuple[str, Any]] = [
    ("nummer", lambda c: c["number"]),
    ("kamernummer", lambda c: c["kamer_number"]),
    ("titel", lambda c: c["title"]),
    ("tekst", lambda c: c["text"]),
    ("status", lambda c: c["status_label"]),
    ("te_laat", lambda c: "ja" if c["overdue"] else "nee"),
    ("deadline", lambda c: _date(c["deadline"])),
    ("deadline_zoals_verwoord", lambda c: c["deadline_phrase"]),
    ("gedaan_op", lambda c: _date(c["made_on"])),
    ("ministerie", lambda c: c["ministry"]["code"]),
    ("bewindspersoon", lambda c: (c["responsible"] or {}).get("name")),
    ("functie", lambda c: (c["responsible"] or {}).get("function")),
    ("commissie", lambda c: c["committee"]),
    ("gevraagd_door", lambda c: c["requested_by"]),
    ("bron", lambda c: (c["source"] or {}).get("id") or (c["source"] or {}).get("title")),
    ("voldaan_met", lambda c: c["fulfilled_by"]),
    ("voldaan_op", lambda c: _date(c["fulfilled_on"])),
    ("url", lambda c: c["url"]),
]
DATE_COLUMNS = {"deadline", "gedaan_op", "voldaan_op"}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _batch_size() -> int:
    """Rows read from the database at a time (setting ``EXPORT_BATCH_SIZE``)."""
    return int(current_app.config["EXPORT_BATCH_SIZE"])


def _values() -> Iterator[list[Any]]:
    """Every promise matching the request's filters, as the values of COLUMNS, in batches.
    The filters are read first: a FilterError comes before anything is sent."""
    filters = parse_filters(request.args, PAGE_PARAMETERS)
    as_json = FileRows(today=today())
    getters = [value for _heading, value in COLUMNS]
    rows = queries.export_rows(filters, today(), _batch_size())
    return ([value(item) for value in getters] for item in map(as_json, rows))


def _bad_filter(error: FilterError) -> Response:
    return Response(str(error) + "\n", status=400, mimetype="text/plain")


def _filename(extension: str) -> str:
    return f"toezeggingen-{today().isoformat()}.{extension}"


def _download(body: Iterator[bytes], mimetype: str, extension: str) -> Response:
    """A file streamed as it is made, read in the request's own context (its database
    session stays open until the last row is sent)."""
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    return response


@bp.get("/toezeggingen.csv")
def export_csv() -> ResponseReturnValue:
    """UTF-8 with a byte-order mark so Excel reads accents; ``scheiding=;`` for Dutch Excel."""
    separator = request.args.get("scheiding", ",")
    if separator not in {",", ";"}:
        return _bad_filter(FilterError(_("scheiding moet , of ; zijn.")))
    try:
        rows = _values()
    except FilterError as error:
        return _bad_filter(error)
    return _download(_csv_chunks(rows, separator), "text/csv; charset=utf-8", "csv")


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
    """The CSV in pieces of one batch of rows each, the byte-order mark and header first."""
    lines = _Lines()
    writer = csv.writer(lines, delimiter=separator, lineterminator="\r\n")
    lines.write("\ufeff")
    writer.writerow([heading for heading, _value in COLUMNS])
    batch = _batch_size()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if count % batch == 0:
            yield lines.take()
    yield lines.take()


def _csv_value(value: Any) -> str:
    """Text for a CSV cell; text that a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return spreadsheet_text(str(value))


#: Every part of the workbook carries this date, so an unchanged register gives the same bytes.
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class _StableZipFile(zipfile.ZipFile):
    """A zip whose entries carry a fixed date instead of the moment they were written."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """openpyxl writes each sheet to a temporary file first: copy it in pieces, with the
        fixed date instead of the file's."""
        entry = self._entry(arcname or os.path.basename(filename))
        with open(filename, "rb") as source, self.open(entry, "w", force_zip64=True) as target:
            shutil.copyfileobj(source, target, 1024 * 1024)

    @staticmethod
    def _entry(name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        return entry


class TooManyRows(Exception):
    """More rows than an Excel sheet holds."""


def _write_workbook(rows: Iterable[list[Any]], target: IO[bytes]) -> None:
    """The Excel file, row by row (openpyxl's write-only mode): typed date cells, a bold
    frozen header, an autofilter. Its bytes depend on the data only: the zip dates are fixed
    and its document dates are the register's last change, so the ETag holds."""
    workbook = Workbook(write_only=True)
    changed = queries.last_change() or dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
    workbook.properties.created = workbook.properties.modified = changed.replace(tzinfo=None)
    # Any: the type stubs lack the write-only sheet's column_dimensions and auto_filter.
    sheet: Any = workbook.create_sheet("Toezeggingen")
    for index, (heading, _value) in enumerate(COLUMNS, start=1):
        width = 60 if heading in {"tekst", "titel"} else 16
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading, _value in COLUMNS:
        cell = WriteOnlyCell(sheet, heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    # One styled cell per date column, refilled for every row: a write-only sheet writes a
    # row the moment it is appended, and a new styled cell per value would cost seconds.
    date_cells: dict[int, Cell] = {}
    for index, (heading, _value) in enumerate(COLUMNS):
        if heading in DATE_COLUMNS:
            date_cells[index] = WriteOnlyCell(sheet)
            date_cells[index].number_format = "DD-MM-YYYY"
    count = 0
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            raise TooManyRows
        cells: list[Any] = []
        for index, value in enumerate(row):
            if value is None:
                cells.append(None)
            elif index in date_cells:
                date_cells[index].value = value
                cells.append(date_cells[index])
            elif isinstance(value, str):
                cells.append(_text_cell(sheet, value))
            else:
                cells.append(value)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    with _StableZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()


def _text_cell(sheet: Any, text: str) -> Any:
    """A value Excel's XML can hold: text loses the characters XML cannot hold (text stored
    before the forms refused them), so one such title cannot break the file for everyone.
    Text that looks like a formula is kept as the words typed, shown as text: Excel never
    runs it."""
    text = without_invalid_characters(text)
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


@bp.get("/toezeggingen.xlsx")
def export_xlsx() -> ResponseReturnValue:
    """Typed date cells, a frozen header row and an autofilter. Written to a temporary file
    (constant memory), then sent with an ETag of its bytes."""
    try:
        rows = _values()
    except FilterError as error:
        return _bad_filter(error)
    # Closed by the response once sent (or below on failure): it outlives this function.
    target = tempfile.TemporaryFile(prefix="toezeggingen-", suffix=".xlsx")  # noqa: SIM115
    try:
        _write_workbook(rows, target)
    except TooManyRows:
        target.close()
        message = _(
            "Een Excel-bestand heeft ruimte voor hoogstens %(max)s toezeggingen; deze selectie "
            "heeft er meer. Maak haar kleiner met een filter (bijvoorbeeld ministerie, status "
            "of periode) of download de CSV, die alles bevat.",
            max=f"{XLSX_MAX_ROWS:,}".replace(",", "."),
        )
        return Response(message + "\n", status=413, mimetype="text/plain")
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
    return _download(body, "text/calendar; charset=utf-8", "ics")


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
            lines.append(event.note)
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
