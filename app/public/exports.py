"""The register as files and feeds: CSV, Excel, iCalendar and Atom, honouring the list's filters.

Every format is built from the same rows as the JSON API (serializers.commitment_to_json), so a
file and the API always agree. Nothing internal (internal notes, owners' e-mail) is in them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask import Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from app.dbtypes import utcnow
from app.formatting import FORMULA_TRIGGERS, history_value, spreadsheet_text, today
from app.inputs import without_invalid_characters
from app.public import bp
from app.public.filters import PAGE_PARAMETERS, FilterError, parse_filters
from app.public.serializers import commitment_to_json
from app.register import queries
from app.register.ical import deadline_calendar
from app.register.models import FIELD_LABELS, Commitment, EventKind
from app.urls import absolute_url, this_page

#: The most rows a file holds; a register larger than this is filtered first.
MAX_EXPORT_ROWS = 50_000
#: How many changes the Atom feed shows.
FEED_ENTRIES = 50

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


def _filtered() -> list[Commitment]:
    filters = parse_filters(request.args, PAGE_PARAMETERS)
    return queries.commitments_matching(filters, today(), MAX_EXPORT_ROWS)


def _rows() -> list[dict[str, Any]]:
    current_day = today()
    return [commitment_to_json(item, today=current_day) for item in _filtered()]


def _bad_filter(error: FilterError) -> Response:
    return Response(str(error) + "\n", status=400, mimetype="text/plain")


def _download(body: bytes | str, mimetype: str, extension: str) -> Response:
    filename = f"toezeggingen-{today().isoformat()}.{extension}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/toezeggingen.csv")
def export_csv() -> ResponseReturnValue:
    """UTF-8 with a byte-order mark so Excel reads accents; ``scheiding=;`` for Dutch Excel."""
    separator = request.args.get("scheiding", ",")
    if separator not in {",", ";"}:
        return _bad_filter(FilterError(_("scheiding moet , of ; zijn.")))
    try:
        rows = _rows()
    except FilterError as error:
        return _bad_filter(error)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([heading for heading, _value in COLUMNS])
    for row in rows:
        writer.writerow([_csv_value(value(row)) for _heading, value in COLUMNS])
    return _download("\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8", "csv")


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
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED_ZIP_DATE)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """openpyxl writes each sheet from a temporary file: take its bytes, not its date."""
        with open(filename, "rb") as source:
            self.writestr(arcname or os.path.basename(filename), source.read())


def _workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as bytes that depend on its content only (its dates are the register's last
    change): the same data gives the same ETag, so a 304 works for the Excel file too."""
    changed = queries.last_change() or dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
    workbook.properties.created = workbook.properties.modified = changed.replace(tzinfo=None)
    buffer = io.BytesIO()
    with _StableZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


@bp.get("/toezeggingen.xlsx")
def export_xlsx() -> ResponseReturnValue:
    """Typed date cells, a frozen header row and an autofilter."""
    try:
        rows = _rows()
    except FilterError as error:
        return _bad_filter(error)
    workbook = Workbook()
    sheet: Worksheet = workbook.worksheets[0]
    sheet.title = "Toezeggingen"
    sheet.append([heading for heading, _value in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell_value(value(row)) for _heading, value in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                # Kept as the words typed, shown as text: Excel never runs it as a formula.
                cell.data_type = "s"
                cell.quotePrefix = True
    for index, (heading, _value) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if heading in DATE_COLUMNS:
            for cell in sheet[letter][1:]:
                cell.number_format = "DD-MM-YYYY"
        sheet.column_dimensions[letter].width = 60 if heading in {"tekst", "titel"} else 16
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return _download(
        _workbook_bytes(workbook),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


def _cell_value(value: Any) -> Any:
    """A value Excel's XML can hold: text loses the characters XML cannot hold (text stored
    before the forms refused them), so one such title cannot break the file for everyone."""
    return without_invalid_characters(value) if isinstance(value, str) else value


def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "toezeggingenregister"


@bp.get("/toezeggingen.ics")
def export_ics() -> ResponseReturnValue:
    """One all-day event per deadline; the UID is the promise's number, so updates replace it."""
    try:
        commitments = _filtered()
    except FilterError as error:
        return _bad_filter(error)
    body = deadline_calendar(
        commitments,
        host=_host(),
        url_for_number=lambda number: absolute_url("public.commitment_detail", number=number),
        name=_("Deadlines van toezeggingen"),
    )
    return _download(body, "text/calendar; charset=utf-8", "ics")


ATOM = "http://www.w3.org/2005/Atom"
FEED_KINDS = (
    EventKind.CREATED,
    EventKind.STATUS_CHANGED,
    EventKind.DEADLINE_CHANGED,
    EventKind.FULFILLED,
)


@bp.get("/toezeggingen.atom")
def export_atom() -> ResponseReturnValue:
    """Status and deadline changes, newest first: follow the register in a feed reader."""
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
    except FilterError as error:
        return _bad_filter(error)
    events = queries.feed_events(filters, today(), FEED_KINDS, FEED_ENTRIES)
    host = _host()
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "nl"})
    _text(feed, "title", _("Toezeggingenregister: wijzigingen"))
    _text(feed, "id", f"tag:{host},2019:feed:{request.query_string.decode() or 'alles'}")
    updated = events[0].occurred_at if events else (queries.last_change() or utcnow())
    _text(feed, "updated", updated.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": this_page()})
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        {
            "rel": "alternate",
            "type": "text/html",
            "href": absolute_url("public.commitment_list", **_query()),
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
    """The request's filters, ready to pass on to url_for."""
    return dict(request.args.to_dict(flat=False))


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    # ElementTree writes any character; XML 1.0 cannot hold some, so they are left out.
    element.text = without_invalid_characters(text)
    return element
