"""Getting clean text out of a Kamerbrief: .txt, .pdf or .docx.

Real Kamerstukken need cleaning: words hyphenated across lines are joined ("totstand-\\nkoming"
→ "totstandkoming") while real hyphens stay ("AU-EU-VN", "Noord-Afrika"); page headers and
footers go; footnote markers glued to words go ("parlementen1") and the footnote texts are kept
apart; sentences are split without breaking on Dutch abbreviations or on "nr. 243".

Uploads are not trusted: a .docx is unpacked and parsed here, in chunks and with DTDs and
entities refused, rather than by python-docx; pypdf reads under tighter limits and a time
budget. Whatever a file unpacks to, reading it stays within the limits below, and anything it
cannot read raises :class:`UnreadableLetter` with a message for the clerk (issue 11).
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import fromstring as defused_fromstring
from flask_babel import format_decimal
from flask_babel import gettext as _

logger = logging.getLogger(__name__)

#: What reading one file may cost (issue 11: hostile files). A Kamerbrief is a few pages, and
#: each limit is far above what one needs; a file beyond a limit is refused with a message, never
#: read in part. Together they bound a worker's time and memory whatever the upload (at most
#: MAX_CONTENT_LENGTH, 25 MB) unpacks to.
#:
#: The most characters of text a letter may have, whatever its type: about 150 pages, where a
#: Kamerbrief has 5,000 to 100,000. Cleaning is fast (a second for two million characters, even
#: made to hurt), but reading the proposals costs up to 20 µs a character on text written to
#: trip the rules (sentence after sentence that reads as a promise kept), so this keeps an upload
#: under about ten seconds. The review form also posts the text back, and Flask takes at most
#: 500 kB of form data (MAX_FORM_MEMORY_SIZE): a longer text could not be accepted anyway.
MAX_TEXT_CHARS = 500_000
#: A .docx is a zip archive: Word writes a dozen to a few dozen entries, plus one per image.
MAX_DOCX_ENTRIES = 1_000
#: The most bytes a .docx may unpack to, both as its entries declare them together and as the
#: parts read are actually unpacked, in chunks: zipfile's own read() inflates a whole entry
#: before it cuts it to the declared size, so an entry that declares 4 kB can still cost
#: gigabytes. Text parts unpack to 5–10 times their size, images not at all: a real .docx of
#: 25 MB (the upload limit) stays under.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
#: The most XML elements in a .docx's main part: a page of Word text has a few hundred to a few
#: thousand. Each costs the parser about a microsecond, so this bounds the time of a part that
#: is all markup and no text.
MAX_DOCX_ELEMENTS = 2_000_000
#: The most pages of a PDF that are read; a PDF with more is refused before any is read.
MAX_PDF_PAGES = 1_000
#: The most characters of text one PDF page may give: a dense A4 page has 5,000. pypdf's text
#: extraction is quadratic in a page's text, so this also bounds the time a page may take.
MAX_PDF_PAGE_CHARS = 100_000
#: A time budget for reading one PDF, checked before every content operator: pypdf is slow
#: (tens of microseconds an operator), and a small file can repeat heavy content on many pages.
MAX_PDF_SECONDS = 10.0
#: pypdf's own limits while reading (pypdf.Configuration), each raising LimitReachedError: a
#: stream that inflates beyond 25 MB (pypdf's default: 75 MB), a content stream of more than
#: 500,000 tokens (two million; parsing one cannot be interrupted, at a few microseconds a
#: token), a page tree of more than ten entries a page read (100,000).
PDF_CONFIGURATION: dict[str, Any] = {
    "maximum_declared_stream_length": 25_000_000,
    "array_based_stream_maximum_output_length": 25_000_000,
    "jbig2_maximum_output_length": 25_000_000,
    "lzw_maximum_output_length": 25_000_000,
    "run_length_maximum_output_length": 25_000_000,
    "zlib_maximum_output_length": 25_000_000,
    "brotli_maximum_output_length": 25_000_000,
    "image_maximum_buffer_size": 25_000_000,
    "stream_parsing_work_maximum_count": 500_000,
    "page_tree_maximum_entries": 10 * MAX_PDF_PAGES,
}

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """jl a.s o.a o.l.v t.a.v nr nrs d.d i.p.v m.b.t m.u.v c.q e.d e.a bijv blz dhr mevr mr drs
    dr ir ing prof vs ca resp zgn z.g.n i.v.m m.i.v n.a.v t.z.t v.w.b art lid jo o.i.d etc min
    st.crt stb""".split()  # noqa: SIM905 - a word list reads best as one string
)
_HYPHEN_BREAK = re.compile(r"(?<=[a-zà-ÿ])-[ \t]*\n[ \t]*(?=[a-zà-ÿ])")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2})\s+(?=[A-Z(‘'\"«])(.+)$")
_FOOTNOTE_MARKER = re.compile(r"(?<=[a-zà-ÿ)\].,;:])(\d{1,2})(?=[\s.,;:)]|$)")
#: "sluiting daarvan.2Het kabinet": a marker between a full stop and the next sentence.
_GLUED_FOOTNOTE_MARKER = re.compile(r"(?<=[.,;:])\d{1,2}(?=[A-Z])")
_PAGE_FURNITURE = [
    re.compile(r"^\s*\d{1,3}\s*$"),  # a page number alone
    re.compile(r"^\s*Tweede Kamer, vergaderjaar .*$", re.IGNORECASE),
    re.compile(r"^\s*Eerste Kamer, vergaderjaar .*$", re.IGNORECASE),
    re.compile(r"^\s*(Datum|Kenmerk|Onze referentie|Pagina)\s+\S.*$"),
    re.compile(r"^\s*Pagina \d+ van \d+\s*$", re.IGNORECASE),
    re.compile(r"^\s*kst-\d+-\d+\s*(ISSN.*)?$", re.IGNORECASE),
    re.compile(r"^\s*ISSN \d{4}\s*-\s*\d{4}.*$"),
    re.compile(r"^\s*'s-Gravenhage \d{4}\s*$"),
]
#: Lines that stand on their own even when a PDF or Word file lost the blank lines around them.
_STANDALONE_LINES = [
    re.compile(r"^\s*(?:Den Haag|'s-Gravenhage),?\s+\d{1,2}\s+\w+\s+\d{4}\s*$", re.IGNORECASE),
    re.compile(r"^\s*Aan de Voorzitter van de .*Kamer.*$", re.IGNORECASE),
    re.compile(r"^\s*\d{1,2}\s?\d{3}(?:-[0-9A-Z]+)?\s+[A-Z(].*$"),
    re.compile(r"^\s*Nr\.\s*\d+\b.*$"),
    re.compile(r"^\s*De (?:Minister|Staatssecretaris)\b[^.]*,\s*$"),
]


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` does: one call a line instead of one
    a pattern (clean() goes through every line of the letter)."""
    return re.compile(
        "|".join(
            f"(?i:{pattern.pattern})" if pattern.flags & re.IGNORECASE else f"(?:{pattern.pattern})"
            for pattern in patterns
        )
    )


_PAGE_FURNITURE_LINE = _any_of(_PAGE_FURNITURE)
_STANDALONE_LINE = _any_of(_STANDALONE_LINES)

#: The file types read_bytes understands, as the upload form lists them (a file without a suffix
#: is read as text too).
READABLE_SUFFIXES = ("txt", "text", "pdf", "docx")
_SENTENCE_END = re.compile(r"([.!?])(\s+)(?=[\"«‘'(]?[A-Z0-9ÀÉÈËÏÖÜ])")


class UnreadableLetter(ValueError):
    """The file is not a letter this reader understands; the message is for the user."""


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


@dataclass
class CleanLetter:
    """The body as one clean text, its sentences with offsets, and the footnotes apart."""

    text: str
    sentences: list[Sentence]
    footnotes: dict[int, str] = field(default_factory=dict)


def read_file(path: Path) -> str:
    """The raw text of a .txt, .pdf or .docx file."""
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> str:
    """The raw text of an uploaded letter; :class:`UnreadableLetter` (with a message for the
    user) when it is not a letter this reader understands or would cost too much to read."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".txt", ".text", ""}:
        text = _read_text(data, filename)
    elif suffix == ".pdf":
        text = _read_pdf(data, filename)
    elif suffix == ".docx":
        text = _read_docx(data, filename)
    else:
        raise UnreadableLetter(
            _("%(filename)s: alleen .txt, .pdf en .docx worden gelezen.", filename=filename)
        )
    _check_length(len(text), filename)
    return text


def _check_length(length: int, filename: str) -> None:
    if length > MAX_TEXT_CHARS:
        raise _too_long(filename)


def _too_long(filename: str) -> UnreadableLetter:
    return UnreadableLetter(
        _(
            "%(filename)s: de tekst is langer dan %(limit)s tekens; zo'n lang stuk wordt niet "
            "gelezen.",
            filename=filename,
            limit=format_decimal(MAX_TEXT_CHARS),
        )
    )


def _read_text(data: bytes, filename: str) -> str:
    if len(data) > 4 * MAX_TEXT_CHARS:  # a character is at most four bytes: too long for sure
        raise _too_long(filename)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableLetter(
        _(
            "%(filename)s: de tekst is niet als UTF-8 of Windows-1252 te lezen.",
            filename=filename,
        )
    )


# PDF ------------------------------------------------------------------------------------------


class _PdfTooCostly(BaseException):
    """Raised from pypdf's visitor callbacks to stop reading. A BaseException, because pypdf
    catches and logs every ``Exception`` raised while it reads a form XObject and goes on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_pdf(data: bytes, filename: str, *, seconds: float = MAX_PDF_SECONDS) -> str:
    """The text of a PDF's pages, within the limits above; ``seconds`` is the time budget."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import (
        DependencyError,
        FileNotDecryptedError,
        LimitReachedError,
        PyPdfError,
    )

    if data.find(b"%PDF-", 0, 1024) < 0:  # the header may follow up to 1 KB of other bytes
        raise UnreadableLetter(
            _("%(filename)s: geen leesbare PDF: het bestand is geen PDF.", filename=filename)
        )
    budget = _PdfBudget(filename, time.monotonic() + seconds)
    try:
        with apply_configuration(**PDF_CONFIGURATION):
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) > MAX_PDF_PAGES:
                raise UnreadableLetter(
                    _(
                        "%(filename)s: de PDF heeft meer dan %(limit)s pagina's; zo'n lang stuk "
                        "wordt niet gelezen.",
                        filename=filename,
                        limit=format_decimal(MAX_PDF_PAGES),
                    )
                )
            pages = []
            for page in reader.pages:
                budget.start_page()
                text = page.extract_text(
                    visitor_operand_before=budget.operation, visitor_text=budget.text
                )
                budget.end_page(len(text or ""))
                pages.append(text or "")
    except _PdfTooCostly as stop:
        raise UnreadableLetter(stop.message) from None
    except FileNotDecryptedError:
        raise UnreadableLetter(
            _(
                "%(filename)s: de PDF is met een wachtwoord beveiligd; sla hem op zonder "
                "wachtwoord en lees hem opnieuw in.",
                filename=filename,
            )
        ) from None
    except DependencyError:  # an encryption (AES) that needs a package the register lacks
        raise UnreadableLetter(
            _(
                "%(filename)s: de PDF is versleuteld op een manier die het register niet kan "
                "openen; sla hem op zonder beveiliging en lees hem opnieuw in.",
                filename=filename,
            )
        ) from None
    except LimitReachedError as error:
        logger.info("PDF %s refused: %s", filename, error)
        raise UnreadableLetter(
            _(
                "%(filename)s: de PDF bevat een onderdeel dat uitgepakt te groot of te "
                "ingewikkeld is; zo'n bestand wordt niet gelezen.",
                filename=filename,
            )
        ) from None
    except UnreadableLetter:
        raise
    except Exception as error:  # pypdf raises its own errors, and some of Python's, on bad files
        if isinstance(error, PyPdfError):
            logger.info("PDF %s unreadable: %s", filename, error)
        else:
            logger.warning("PDF %s unreadable", filename, exc_info=True)
        raise UnreadableLetter(
            _(
                "%(filename)s: geen leesbare PDF: het bestand is beschadigd of onvolledig.",
                filename=filename,
            )
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableLetter(
            _("%(filename)s: de PDF bevat geen tekst (een scan?).", filename=filename)
        )
    return text


class _PdfBudget:
    """What reading one PDF may cost: pypdf calls :meth:`operation` before each operator of a
    page's content and :meth:`text` with each piece of text it finds."""

    def __init__(self, filename: str, deadline: float) -> None:
        self.filename = filename
        self.deadline = deadline
        self.page_text = 0
        self.total_text = 0

    def start_page(self) -> None:
        self.page_text = 0
        self._check_time()

    def end_page(self, length: int) -> None:
        self.total_text += length
        self._check_text(max(length, self.page_text), self.total_text)

    def operation(self, *_args: object) -> None:
        self._check_time()

    def text(self, text: str, *_args: object) -> None:
        self.page_text += len(text)
        self._check_text(self.page_text, self.total_text + self.page_text)

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _PdfTooCostly(
                _(
                    "%(filename)s: het lezen van de PDF duurt te lang; zo'n bestand wordt niet "
                    "gelezen.",
                    filename=self.filename,
                )
            )

    def _check_text(self, page: int, total: int) -> None:
        if page > MAX_PDF_PAGE_CHARS:
            raise _PdfTooCostly(
                _(
                    "%(filename)s: een pagina van de PDF bevat meer dan %(limit)s tekens; zo'n "
                    "bestand wordt niet gelezen.",
                    filename=self.filename,
                    limit=format_decimal(MAX_PDF_PAGE_CHARS),
                )
            )
        if total > MAX_TEXT_CHARS:
            raise _PdfTooCostly(str(_too_long(self.filename)))


# Word -----------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCUMENT, _BODY, _P, _R, _HYPERLINK, _T, _BR = (
    _W + name for name in ("document", "body", "p", "r", "hyperlink", "t", "br")
)
#: What the elements inside a run stand for, as python-docx's ``Run.text`` has it (w:t is its
#: text; w:br is a newline unless it is a page or column break).
_PARAGRAPH_PATH = [_DOCUMENT, _BODY, _P]
_RUN_CONTENT = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "cr": "\n",
    _W + "noBreakHyphen": "-",
    _BR: "\n",
    _T: "",
}
#: A password-protected .docx, and an old .doc, are OLE compound files rather than zip archives.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_CENTRAL_DIRECTORY_ENTRY = b"PK\x01\x02"
_READ_CHUNK = 64 * 1024


def _read_docx(data: bytes, filename: str) -> str:
    """The text of a .docx: the zip is checked before anything is unpacked, the main part is
    unpacked in chunks up to a limit and parsed as it comes by a parser that refuses DTDs and
    entities, and only the text of the body's paragraphs is kept."""
    if data.startswith(_OLE_SIGNATURE):
        raise UnreadableLetter(
            _(
                "%(filename)s: dit is een oud Word-bestand (.doc) of een met een wachtwoord "
                "beveiligd document; sla het op als .docx zonder wachtwoord en lees het opnieuw "
                "in.",
                filename=filename,
            )
        )
    # Every entry of the central directory starts with this signature: counting them bounds
    # the entries before zipfile builds an object for each.
    if data.count(_ZIP_CENTRAL_DIRECTORY_ENTRY) > MAX_DOCX_ENTRIES:
        raise _too_many_entries(filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        if data.startswith(b"PK"):  # a zip archive, but cut off or damaged
            raise _damaged_docx(filename) from None
        raise UnreadableLetter(
            _(
                "%(filename)s: geen leesbaar Word-bestand: het is geen .docx (geen zip-archief).",
                filename=filename,
            )
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_DOCX_ENTRIES:
            raise _too_many_entries(filename)
        if sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED_BYTES:
            raise _too_large_unpacked(filename)
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise UnreadableLetter(
                _(
                    "%(filename)s: het Word-bestand is versleuteld; sla het op zonder wachtwoord "
                    "en lees het opnieuw in.",
                    filename=filename,
                )
            )
        try:
            return _docx_body_text(archive, filename)
        except UnreadableLetter:
            raise
        except DefusedXmlException:
            raise UnreadableLetter(
                _(
                    "%(filename)s: het Word-bestand bevat een DTD of entiteiten, wat een "
                    "Word-document nooit doet; het wordt niet gelezen.",
                    filename=filename,
                )
            ) from None
        except (
            zipfile.BadZipFile,
            EOFError,
            zlib.error,
            NotImplementedError,  # a compression method zipfile does not know
            ParseError,
            OSError,
            ValueError,
        ) as error:
            logger.info("Word file %s unreadable: %r", filename, error)
            raise _damaged_docx(filename) from None


def _damaged_docx(filename: str) -> UnreadableLetter:
    return UnreadableLetter(
        _(
            "%(filename)s: geen leesbaar Word-bestand: het bestand is beschadigd of onvolledig.",
            filename=filename,
        )
    )


def _too_many_entries(filename: str) -> UnreadableLetter:
    return UnreadableLetter(
        _(
            "%(filename)s: het Word-bestand bestaat uit meer dan %(limit)s delen; zo'n bestand "
            "wordt niet gelezen.",
            filename=filename,
            limit=format_decimal(MAX_DOCX_ENTRIES),
        )
    )


def _too_large_unpacked(filename: str) -> UnreadableLetter:
    return UnreadableLetter(
        _(
            "%(filename)s: het Word-bestand wordt uitgepakt groter dan %(limit)s MB; zo'n "
            "bestand wordt niet gelezen.",
            filename=filename,
            limit=format_decimal(MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)),
        )
    )


def _docx_body_text(archive: zipfile.ZipFile, filename: str) -> str:
    name = _main_part_name(archive, filename)
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise UnreadableLetter(
            _(
                "%(filename)s: geen leesbaar Word-bestand: de tekst (%(part)s) ontbreekt.",
                filename=filename,
                part=name,
            )
        ) from None
    body = _BodyText(filename)
    parser = DefusedXMLParser(target=body, forbid_dtd=True)
    for chunk in _unpack(archive, info, filename):
        parser.feed(chunk)
    parser.close()
    return "\n".join(body.paragraphs)


def _main_part_name(archive: zipfile.ZipFile, filename: str) -> str:
    """The document part, as the package's relationships name it (Word itself writes
    word/document.xml; some writers choose another name)."""
    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    relationships = defused_fromstring(b"".join(_unpack(archive, info, filename)), forbid_dtd=True)
    for relationship in relationships:
        if str(relationship.get("Type", "")).endswith("/officeDocument"):
            target = str(relationship.get("Target", "")).lstrip("/")
            return posixpath.normpath(target) if target else "word/document.xml"
    return "word/document.xml"


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> Iterator[bytes]:
    """The part's bytes, inflated 64 kB at a time and refused past MAX_DOCX_UNPACKED_BYTES.

    Never ``read()`` a whole entry: zipfile then inflates all of its data in one go and only
    afterwards cuts it to the size the archive declares, so an entry that declares 4 kB and
    holds 300 MB takes 300 MB of memory (and more). Read in chunks, zipfile inflates no more
    than a chunk ahead, and stops at the declared size; the count here does not rely on that."""
    unpacked = 0
    with archive.open(info) as part:
        while chunk := part.read(_READ_CHUNK):
            unpacked += len(chunk)
            if unpacked > MAX_DOCX_UNPACKED_BYTES:
                raise _too_large_unpacked(filename)
            yield chunk


class _BodyText:
    """A parser target that keeps the text of the paragraphs directly in the body, as
    python-docx's ``Document.paragraphs`` and ``Paragraph.text`` give it: runs in the paragraph
    or in a hyperlink in it; tables, text boxes and tracked changes are left out as there.
    It refuses a document of more than MAX_DOCX_ELEMENTS elements or MAX_TEXT_CHARS characters
    as soon as it gets there."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.paragraphs: list[str] = []
        self.path: list[str] = []
        self.paragraph: list[str] = []
        self.in_text = False
        self.length = 0
        self.elements = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        path = self.path
        path.append(tag)
        self.elements += 1
        if self.elements > MAX_DOCX_ELEMENTS:
            raise UnreadableLetter(
                _(
                    "%(filename)s: het Word-bestand bestaat uit meer dan %(limit)s elementen; "
                    "zo'n bestand wordt niet gelezen.",
                    filename=self.filename,
                    limit=format_decimal(MAX_DOCX_ELEMENTS),
                )
            )
        if tag in _RUN_CONTENT:
            if self._in_run():
                if tag == _T:
                    self.in_text = True
                elif tag != _BR or attrib.get(_W + "type", "textWrapping") == "textWrapping":
                    self._add(_RUN_CONTENT[tag])
        elif tag == _P and len(path) == 3 and path == _PARAGRAPH_PATH:
            self.paragraph = []

    def end(self, tag: str) -> None:
        path = self.path
        if tag == _T:
            self.in_text = False
        elif tag == _P and len(path) == 3 and path == _PARAGRAPH_PATH:
            self.paragraphs.append("".join(self.paragraph))
            self.length += 1  # the newline between paragraphs
            if self.length > MAX_TEXT_CHARS:
                _check_length(self.length, self.filename)
        path.pop()

    def data(self, text: str) -> None:
        if self.in_text:
            self._add(text)

    def close(self) -> None:
        """Nothing to hand back: the paragraphs are read from the target."""

    def _in_run(self) -> bool:
        """Is the element just opened a child of w:body/w:p/w:r or w:body/w:p/w:hyperlink/w:r?"""
        path = self.path
        depth = len(path)
        return (
            (depth == 5 or (depth == 6 and path[3] == _HYPERLINK))
            and path[-2] == _R
            and path[:3] == _PARAGRAPH_PATH
        )

    def _add(self, text: str) -> None:
        self.length += len(text)
        if self.length > MAX_TEXT_CHARS:
            _check_length(self.length, self.filename)
        self.paragraph.append(text)


def clean(raw: str) -> CleanLetter:
    """Clean the raw text and split it into sentences."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "").replace("\f", "\n")
    text = _HYPHEN_BREAK.sub("", text)
    markers = {int(match.group(1)) for match in _FOOTNOTE_MARKER.finditer(text)}
    body_lines: list[str] = []
    # Each footnote as the lines it is made of, joined at the end: adding to a growing string
    # would copy it for every line, quadratic in a long footnote.
    footnotes: dict[int, list[str]] = {}
    current_footnote: int | None = None
    for line in text.split("\n"):
        if not line.strip():  # a blank line is never furniture, a footnote or a standalone line
            if current_footnote is None or footnotes[current_footnote][-1].endswith("."):
                # (an unfinished footnote may go on after a page break: it skips blank lines)
                current_footnote = None
                body_lines.append(line)
            continue
        if _PAGE_FURNITURE_LINE.match(line):
            current_footnote = None
            continue
        footnote = _FOOTNOTE_LINE.match(line)
        if (
            footnote
            and int(footnote.group(1)) in markers | set(_next_expected(footnotes))
            and (_looks_like_footnote(footnote.group(2)) or int(footnote.group(1)) in markers)
        ):
            current_footnote = int(footnote.group(1))
            footnotes[current_footnote] = [footnote.group(2).strip()]
            continue
        if (
            current_footnote is not None
            and not footnotes[current_footnote][-1].endswith(".")
            # An unfinished footnote may go on after a page break or on the next line.
            and re.match(r"\s*(?:[a-zà-ÿ]|Kamerstuk|Handelingen)", line)
        ):
            footnotes[current_footnote].append(line.strip())
            continue
        current_footnote = None
        body_lines.append(line)
        if _STANDALONE_LINE.match(line):
            body_lines.append("")  # a header or signature line is a paragraph of its own
    body = "\n".join(body_lines)
    body = _GLUED_FOOTNOTE_MARKER.sub(" ", body)
    body = _FOOTNOTE_MARKER.sub("", body)
    body = re.sub(r"[ \t]+", " ", body)
    body = re.sub(r" *\n *", "\n", body)
    body = re.sub(r"\n{2,}", "\n\n", body).strip()
    texts = {number: " ".join(lines) for number, lines in footnotes.items()}
    return CleanLetter(body, split_sentences(body), texts)


def _next_expected(footnotes: dict[int, list[str]]) -> list[int]:
    return [max(footnotes, default=0) + 1]


def _looks_like_footnote(text: str) -> bool:
    """A line "1 Kamerstukken 32 735 …" is a footnote; "26 personen zijn …" is not."""
    return bool(re.match(r"(Kamerstuk|Handelingen|Aanhangsel|Zie |https?://|Stb|Stcrt)", text))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets in ``text``; paragraph breaks always end a sentence.

    Linear in the length of the text: each candidate boundary looks back at one word only.
    """
    sentences: list[Sentence] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        start = paragraph.start()
        chunk = paragraph.group(0)
        position = 0
        for boundary in _SENTENCE_END.finditer(chunk):
            word = _word_before(chunk, boundary.start(), position)
            if _is_abbreviation(word) or _is_number_reference(word):
                continue
            _add(sentences, text, start + position, start + boundary.start() + 1)
            position = boundary.end()
        _add(sentences, text, start + position, start + len(chunk))
    return sentences


#: How far back a boundary looks for the word before it; longer words are no abbreviations.
_LOOK_BACK = 40


def _word_before(chunk: str, end: int, sentence_start: int) -> str:
    """The word that ends just before the full stop at ``end``, lower case, no opening marks."""
    window = chunk[max(sentence_start, end - _LOOK_BACK) : end]
    parts = window.rsplit(None, 1)
    return parts[-1].lower().lstrip("(«‘'\"") if parts else ""


def _is_abbreviation(word: str) -> bool:
    word = word.rstrip(".")
    return word in ABBREVIATIONS or bool(re.fullmatch(r"[a-z]", word))


def _is_number_reference(word: str) -> bool:
    """ "nr. 243" and "blz. 4": a full stop followed by a number that belongs to it."""
    return word in {"nr", "nrs", "blz", "art", "p"}


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    fragment = text[start:end]
    stripped = fragment.strip()
    if not stripped:
        return
    start += len(fragment) - len(fragment.lstrip())
    end = start + len(stripped)
    sentences.append(Sentence(" ".join(stripped.split()), start, end))
