"""An Excel workbook (.xlsx) of one sheet, written row by row straight into its zip.

openpyxl, even in its write-only mode, spends about 30 µs a cell: the 1.8 million cells of a
register of 100,000 promises took over a minute, longer than a request may last. This writer
does the little the register's file needs, at a few µs a cell, in constant memory:

- text as inline strings (never a formula: text that looks like one gets the "quote prefix"
  style, so Excel shows and keeps it as typed text);
- dates as real date cells (a serial day number with the ``DD-MM-YYYY`` format);
- a bold header row, frozen, with an autofilter over all rows; column widths.

The bytes depend on the content only: every zip entry carries a fixed date and the document
dates are the ``changed`` given, so the same data gives the same file (and ETag).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from app.formatting import FORMULA_TRIGGERS
from app.inputs import INVALID_CHARACTERS, without_invalid_characters

#: The most rows a sheet has, the header included (Excel's own limit).
EXCEL_MAX_ROWS = 1_048_576
#: Every entry of the zip carries this date.
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Day 0 of Excel's dates (1900 system, with its leap-year quirk already accounted for).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: How many rows are collected before they are written to the zip.
_ROWS_PER_WRITE = 500

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (cellXfs, in this order): plain, date, bold header, text that looks like a formula.
_DATE, _BOLD, _AS_TEXT = 1, 2, 3


class TooManyRows(Exception):
    """More rows than one Excel sheet holds."""


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def write_workbook(
    target: IO[bytes],
    *,
    sheet_name: str,
    headings: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[Any]],
    changed: dt.datetime,
    creator: str,
    max_rows: int = EXCEL_MAX_ROWS - 1,
) -> int:
    """Write the workbook to ``target``; returns the number of data rows. Values may be text,
    dates, numbers or None (an empty cell). More than ``max_rows`` rows (at most what a sheet
    holds below its header): TooManyRows, with ``target`` half written."""
    max_rows = min(max_rows, EXCEL_MAX_ROWS - 1)
    letters = [column_letter(index) for index in range(len(headings))]
    last = f"{letters[-1]}{{rows}}"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        _add(archive, "[Content_Types].xml", _content_types())
        _add(archive, "_rels/.rels", _package_relationships())
        _add(archive, "docProps/app.xml", _app_properties(sheet_name))
        _add(archive, "docProps/core.xml", _core_properties(changed, creator))
        _add(archive, "xl/_rels/workbook.xml.rels", _workbook_relationships())
        _add(archive, "xl/styles.xml", _styles())
        entry = _entry("xl/worksheets/sheet1.xml")
        with archive.open(entry, "w", force_zip64=True) as sheet:
            sheet.write(_sheet_top(widths).encode("utf-8"))
            header = "".join(
                f'<c r="{letter}1" t="inlineStr" s="{_BOLD}"><is><t>{_text(heading)}</t></is></c>'
                for letter, heading in zip(letters, headings, strict=True)
            )
            sheet.write(f'<row r="1">{header}</row>'.encode())
            count = 0
            chunk: list[str] = []
            for count, row in enumerate(rows, start=1):
                if count > max_rows:
                    raise TooManyRows
                chunk.append(_row(count + 1, letters, row))
                if len(chunk) == _ROWS_PER_WRITE:
                    sheet.write(_xml_bytes(chunk))
                    chunk = []
            sheet.write(_xml_bytes(chunk))
            reference = f"A1:{last.format(rows=count + 1)}"
            sheet.write(f'</sheetData><autoFilter ref="{reference}"/></worksheet>'.encode())
        _add(archive, "xl/workbook.xml", _workbook(sheet_name, reference))
    return count


def _row(number: int, letters: Sequence[str], values: Sequence[Any]) -> str:
    cells = []
    for letter, value in zip(letters, values, strict=True):
        if value is None:
            continue
        if isinstance(value, str):
            # Characters XML cannot hold are taken out of the whole chunk later; only a value
            # that starts with one needs them out now, to see how it really starts.
            start = without_invalid_characters(value) if INVALID_CHARACTERS.match(value) else value
            style = f' s="{_AS_TEXT}"' if start.startswith(FORMULA_TRIGGERS) else ""
            cells.append(
                f'<c r="{letter}{number}" t="inlineStr"{style}><is><t xml:space="preserve">'
                # xml.sax.saxutils.escape, spelled out: two calls fewer for each of 1.3
                # million cells. A bare carriage return stays one (an XML reader would make
                # it a line feed).
                + value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\r", "&#13;")
                + "</t></is></c>"
            )
        elif isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            serial = (day - _EXCEL_EPOCH).days
            cells.append(f'<c r="{letter}{number}" s="{_DATE}"><v>{serial}</v></c>')
        elif isinstance(value, bool):
            cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
        else:
            cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


#: An XML reader turns a bare carriage return into a line feed; written as a reference it stays.
_CARRIAGE_RETURN = {"\r": "&#13;"}


def _xml_bytes(rows: list[str]) -> bytes:
    """Rows of XML as UTF-8, without the characters XML 1.0 cannot hold (text stored before the
    forms refused them: one such title must not break the file for everyone). One pass over a
    chunk instead of one per cell; the markup around the values has none of them."""
    return without_invalid_characters("".join(rows)).encode("utf-8")


def _text(value: str) -> str:
    return escape(without_invalid_characters(value), _CARRIAGE_RETURN)


#: zlib's fastest level: the sheet of 100,000 rows is about 100 MB of XML, and the default
#: level (6) spent seconds on it for a file only a little smaller.
_COMPRESS_LEVEL = 1


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    # What ZipFile(compresslevel=…) sets on the entries it makes itself (Python 3.11/3.12;
    # 3.13 also calls it compress_level).
    entry._compresslevel = _COMPRESS_LEVEL  # type: ignore[attr-defined]
    return entry


def _add(archive: zipfile.ZipFile, name: str, xml: str) -> None:
    archive.writestr(_entry(name), (_XML + xml).encode("utf-8"))


def _sheet_top(widths: Sequence[float]) -> str:
    columns = "".join(
        f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
        for index, width in enumerate(widths, start=1)
    )
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{columns}</cols><sheetData>"
    )


def _workbook(sheet_name: str, reference: str) -> str:
    start, end = (f"${part[0]}${part[1:]}" for part in reference.split(":"))
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    return (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(quoted)}!{start}:{end}</definedName></definedNames>"
        "</workbook>"
    )


def _styles() -> str:
    return (
        f'<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD-MM-YYYY"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="4">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _content_types() -> str:
    types = "http://schemas.openxmlformats.org/package/2006/content-types"
    office = "application/vnd.openxmlformats-officedocument"
    return (
        f'<Types xmlns="{types}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        f'ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{office}.spreadsheetml.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        f'ContentType="{office}.extended-properties+xml"/>'
        "</Types>"
    )


def _package_relationships() -> str:
    return (
        f'<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOCUMENT}/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOCUMENT}/relationships/extended-properties" '
        'Target="docProps/app.xml"/>'
        "</Relationships>"
    )


def _workbook_relationships() -> str:
    return (
        f'<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOCUMENT}/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOCUMENT}/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


def _app_properties(sheet_name: str) -> str:
    return (
        f'<Properties xmlns="{_DOCUMENT}/extended-properties">'
        "<Application>Toezeggingenregister</Application><TitlesOfParts><vt:vector "
        f'xmlns:vt="{_DOCUMENT}/docPropsVTypes" size="1" baseType="lpstr">'
        f"<vt:lpstr>{escape(sheet_name)}</vt:lpstr></vt:vector></TitlesOfParts>"
        "</Properties>"
    )


def _core_properties(changed: dt.datetime, creator: str) -> str:
    moment = changed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{escape(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        "</cp:coreProperties>"
    )
