"""Hostile files (issue 11): zip bombs, a Flate bomb, entity tricks in Word's XML, renamed and
damaged binaries, and text made to hurt. Every file is made here, in the test: no bomb is stored
in the repository.

Each goes through ``read_bytes`` in this process (fast), and is uploaded to a real gunicorn
worker at /beheer/brieven/nieuw as a logged-in clerk (slow): the answer must be the upload page
with a Dutch message, never a 5xx, within a time bound, and the worker's peak memory (VmHWM,
reset before each upload) must stay under a bound.
"""

from __future__ import annotations

import html
import http.client
import io
import os
import random
import re
import secrets
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docx
import flask_migrate
import pytest
from pypdf import PdfReader, PdfWriter

from app import MIGRATIONS_DIR
from app.auth.models import Role, User
from app.extensions import db
from app.letters import text as letter_text
from app.letters.text import MAX_PDF_SECONDS, UnreadableLetter, read_bytes
from app.register.models import Ministry
from tests.conftest import PASSWORD, REPO_DIR
from tests.process_helpers import make_app
from tests.smtp import free_port
from tests.waiting import wait_until

MIB = 1024 * 1024
#: Generous: every refusal below takes well under a second on this code.
TIME_BOUND_SECONDS = 10
#: The worker's peak resident memory, app included (about 100 MB before the first upload).
MEMORY_BOUND_KB = 500 * 1024
LETTER = REPO_DIR / "seeds" / "letters" / "2019-04-11_kst-32735-243_libie-migratie.txt"
CLERK = "griffie@minjenv.example"


# Zip archives, written entry by entry so that the sizes they declare can lie. -----------------


@dataclass
class Entry:
    name: str
    chunks: Iterable[bytes]
    #: The uncompressed size the archive declares, when it is not the truth.
    declared_size: int | None = None


def deflate(chunks: Iterable[bytes]) -> tuple[bytes, int, int, int]:
    """Raw deflate of ``chunks``, with their CRC-32, Adler-32 and length. A full flush ends
    each chunk, after which the compressor starts afresh: a chunk that repeats the one before
    gives the same bytes, so a gigabyte of one repeated chunk is compressed in a second."""
    blocks: list[bytes] = []
    crc, adler, size = 0, 1, 0
    previous, block = b"", b""
    for chunk in chunks:
        if chunk != previous:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
            previous = chunk
        blocks.append(block)
        crc = zlib.crc32(chunk, crc)
        adler = zlib.adler32(chunk, adler)
        size += len(chunk)
    blocks.append(zlib.compressobj(6, zlib.DEFLATED, -15).flush())  # the final, empty block
    return b"".join(blocks), crc, adler, size


def zip_archive(entries: Iterable[Entry]) -> bytes:
    """A zip archive of deflated entries; a bomb never exists unpacked in this process."""
    out = io.BytesIO()
    directory: list[bytes] = []
    for entry in entries:
        data, crc, _adler, size = deflate(entry.chunks)
        declared = size if entry.declared_size is None else entry.declared_size
        name = entry.name.encode()
        # version 2.0, no flags, deflated, 00:00 on 1980-01-01, CRC, sizes
        common = struct.pack("<4H3L", 0, 8, 0, 0x21, crc, len(data), declared)
        offset = out.tell()
        out.write(b"PK\x03\x04" + struct.pack("<H", 20) + common)
        out.write(struct.pack("<2H", len(name), 0) + name + data)
        directory.append(
            b"PK\x01\x02"
            + struct.pack("<2H", 20, 20)
            + common
            + struct.pack("<5H2L", len(name), 0, 0, 0, 0, 0, offset)
            + name
        )
    start = out.tell()
    out.write(b"".join(directory))
    size = out.tell() - start
    count = len(directory)
    out.write(b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, count, count, size, start, 0))
    return out.getvalue()


def repeated(unit: bytes, total: int) -> Iterator[bytes]:
    """``total`` bytes of ``unit`` over and over, a MiB or so at a time."""
    chunk = unit * max(1, MIB // len(unit))
    left = total
    while left > 0:
        yield chunk[:left]
        left -= len(chunk)


# Word documents. -----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def relationships(target: str = "word/document.xml") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="' + target.encode() + b'"/></Relationships>'
    )


def document_start(doctype: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + f'<w:document xmlns:w="{W}"><w:body>'.encode()
    )


DOCUMENT_END = b"</w:body></w:document>"
PARAGRAPH = b"<w:p><w:r><w:t>Ik zal de Kamer voor de zomer informeren.</w:t></w:r></w:p>"


def word_file(
    document: Iterable[bytes], *, declared_size: int | None = None, extra: Iterable[Entry] = ()
) -> bytes:
    """A .docx as Word lays it out, with ``document`` as word/document.xml."""
    return zip_archive(
        [
            Entry("[Content_Types].xml", [CONTENT_TYPES]),
            Entry("_rels/.rels", [relationships()]),
            Entry("word/document.xml", document, declared_size),
            *extra,
        ]
    )


def word_letter() -> bytes:
    """The seeded 2019 letter as an honest .docx, one paragraph a line."""
    paragraphs = b"".join(
        b'<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % html.escape(line).encode()
        for line in LETTER.read_text(encoding="utf-8").splitlines()
    )
    return word_file([document_start(), paragraphs, DOCUMENT_END])


def paragraphs_bomb(inflated: int, declared_size: int | None = None) -> bytes:
    """Valid Word XML, paragraph after paragraph, unpacking to ``inflated`` bytes: python-docx
    built a tree of it (the 1.1 GB original took a worker to 6.9 GB). A smaller
    ``declared_size`` is a lie that zipfile's read() believes only after inflating it all."""
    body = repeated(PARAGRAPH, inflated)
    return word_file([document_start(), *body, DOCUMENT_END], declared_size=declared_size)


#: lol9 stands for 10⁹ "lol"s: three gigabytes from a few hundred bytes.
BILLION_LAUGHS = (
    b'<!DOCTYPE w:document [\n<!ENTITY lol0 "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10)
    )
    + b"]>\n"
)
XXE = b'<!DOCTYPE w:document [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'


def entity_document(doctype: bytes, entity: bytes) -> bytes:
    return word_file(
        [document_start(doctype), b"<w:p><w:r><w:t>", entity, b"</w:t></w:r></w:p>", DOCUMENT_END]
    )


# PDF files, written object by object. --------------------------------------------------------


def pdf_file(
    streams: list[bytes], pages: list[int], resources: bytes = b"<< /Font << /F1 3 0 R >> >>"
) -> bytes:
    """A PDF whose page i shows content stream ``streams[pages[i]]`` in Helvetica (F1); stream
    j is object 4 + j."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + len(streams) + i) for i in range(len(pages))), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        *streams,
        *(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources %s >>" % (4 + stream, resources)
            for stream in pages
        ),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def pdf_string(text: str) -> bytes:
    """A literal string's contents: Windows-1252 (the font's encoding), \\ ( ) escaped."""
    escaped = text.encode("cp1252")
    for special in (b"\\", b"(", b")"):
        escaped = escaped.replace(special, b"\\" + special)
    return escaped


def flate_stream(chunks: Iterable[bytes]) -> bytes:
    """A content stream of ``chunks``, zlib-compressed (FlateDecode)."""
    deflated, _crc, adler, _size = deflate(chunks)
    data = b"\x78\x9c" + deflated + struct.pack(">L", adler)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)


def text_operators(lines: Iterable[str]) -> bytes:
    """Content that shows each line of text on a line of its own."""
    shown = b"".join(b"(%s) Tj T*\n" % pdf_string(line) for line in lines)
    return b"BT /F1 10 Tf 14 TL 40 800 Td\n" + shown + b"ET\n"


def pdf_letter() -> bytes:
    """The seeded 2019 letter as an honest PDF, 50 lines a page."""
    lines = LETTER.read_text(encoding="utf-8").splitlines()
    pages = [lines[start : start + 50] for start in range(0, len(lines), 50)]
    streams = [flate_stream([text_operators(page)]) for page in pages]
    return pdf_file(streams, list(range(len(streams))))


def flate_bomb(inflated: int) -> bytes:
    """One page whose content stream is ``inflated`` bytes of zeros, Flate-compressed."""
    return pdf_file([flate_stream(repeated(b"\0", inflated))], [0])


def heavy_page() -> bytes:
    """One small page (17 kB) of 100,000 text operators: pypdf's extraction is quadratic in a
    page's text, and took 40 seconds over it."""
    line = b"BT /F1 12 Tf 50 700 Td (Ik zal de Kamer informeren.) Tj ET\n"
    return pdf_file([flate_stream([line * 100_000])], [0])


def heavy_pages() -> bytes:
    """A thousand pages that all show one content stream of 20,000 operators: 150 kB that pypdf
    would read for minutes."""
    return pdf_file([flate_stream([b"BT /F1 12 Tf (a) Tj ET\n" * 20_000])], [0] * 1_000)


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_letter())))
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Other binaries and text. ---------------------------------------------------------------------


def png_image() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">L", len(data)) + kind + data + struct.pack(">L", checksum)

    header = struct.pack(">2L5B", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def random_bytes() -> bytes:
    return random.Random(11).randbytes(200_000)  # noqa: S311 - noise, not a secret


def footnote_without_end() -> bytes:
    """400 kB: a footnote that never ends, continued on 200,000 lines (quadratic before)."""
    return b"Zie de brief1 hierover.\n1 Kamerstuk 32 735\n" + b"a\n" * 200_000


def huge_text() -> bytes:
    """24 MB of honest letter text, just under the upload limit: cleaning and reading it took a
    worker 45 seconds and 660 MB."""
    letter = LETTER.read_bytes()
    return letter * (24 * MIB // len(letter))


# The set. -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    filename: str
    make: Callable[[], bytes]
    #: What the clerk is told; None when the file is a letter after all (it is then shown).
    message: str | None
    time_bound: float = TIME_BOUND_SECONDS


HOSTILE = {
    "zip bomb: 600 MB of zeros": Hostile(
        "brief.docx",
        lambda: word_file(repeated(b"\0", 600 * MIB)),
        "het Word-bestand wordt uitgepakt groter dan 100 MB",
    ),
    "zip bomb: 300 MB of paragraphs": Hostile(
        "brief.docx",
        lambda: paragraphs_bomb(300 * MIB),
        "het Word-bestand wordt uitgepakt groter dan 100 MB",
    ),
    "zip bomb: 300 MB declared as 4 kB": Hostile(
        "brief.docx",
        lambda: paragraphs_bomb(300 * MIB, declared_size=4096),
        "geen leesbaar Word-bestand: het bestand is beschadigd of onvolledig",
    ),
    "zip bomb: 90 MB declared, 300 MB inside": Hostile(
        "brief.docx",
        lambda: paragraphs_bomb(300 * MIB, declared_size=90 * MIB),
        "de tekst is langer dan 500.000 tekens",
    ),
    "zip bomb: 20,000 entries": Hostile(
        "brief.docx",
        lambda: word_file(
            [document_start(), PARAGRAPH, DOCUMENT_END],
            extra=(Entry(f"word/media/{number}.bin", [b"x"]) for number in range(20_000)),
        ),
        "het Word-bestand bestaat uit meer dan 1.000 delen",
    ),
    "billion laughs": Hostile(
        "brief.docx",
        lambda: entity_document(BILLION_LAUGHS, b"&lol9;"),
        "het Word-bestand bevat een DTD of entiteiten",
    ),
    "XXE": Hostile(
        "brief.docx",
        lambda: entity_document(XXE, b"&xxe;"),
        "het Word-bestand bevat een DTD of entiteiten",
    ),
    "zip without word/document.xml": Hostile(
        "brief.docx",
        lambda: zip_archive([Entry("leesmij.txt", [b"Geen brief."])]),
        "geen leesbaar Word-bestand: de tekst (word/document.xml) ontbreekt",
    ),
    "PNG named .docx": Hostile(
        "brief.docx", png_image, "geen leesbaar Word-bestand: het is geen .docx"
    ),
    "random bytes named .docx": Hostile(
        "brief.docx", random_bytes, "geen leesbaar Word-bestand: het is geen .docx"
    ),
    "truncated .docx": Hostile(
        "brief.docx",
        lambda: word_letter()[: len(word_letter()) // 2],
        "geen leesbaar Word-bestand: het bestand is beschadigd of onvolledig",
    ),
    "old .doc or password-protected .docx": Hostile(
        "brief.docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        "dit is een oud Word-bestand (.doc) of een met een wachtwoord beveiligd document",
    ),
    "Flate bomb: 1 GB of zeros": Hostile(
        "brief.pdf",
        lambda: flate_bomb(1024 * MIB),
        "de PDF bevat een onderdeel dat uitgepakt te groot of te ingewikkeld is",
    ),
    "one page of 100,000 text operators": Hostile(
        "brief.pdf",
        heavy_page,
        "de PDF bevat een onderdeel dat uitgepakt te groot of te ingewikkeld is",
    ),
    "a thousand heavy pages": Hostile(
        "brief.pdf",
        heavy_pages,
        "het lezen van de PDF duurt te lang",
        time_bound=MAX_PDF_SECONDS + TIME_BOUND_SECONDS,
    ),
    "20,000 pages": Hostile(
        "brief.pdf",
        lambda: pdf_file([flate_stream([b"BT /F1 12 Tf (a) Tj ET"])], [0] * 20_000),
        "de PDF bevat een onderdeel dat uitgepakt te groot of te ingewikkeld is",
    ),
    "PNG named .pdf": Hostile("brief.pdf", png_image, "geen leesbare PDF: het bestand is geen PDF"),
    "random bytes named .pdf": Hostile(
        "brief.pdf", random_bytes, "geen leesbare PDF: het bestand is geen PDF"
    ),
    "truncated PDF": Hostile(
        "brief.pdf",
        lambda: pdf_letter()[: len(pdf_letter()) // 2],
        "geen leesbare PDF: het bestand is beschadigd of onvolledig",
    ),
    "encrypted PDF": Hostile("brief.pdf", encrypted_pdf, "de PDF is met een wachtwoord beveiligd"),
    "random bytes named .txt": Hostile(
        "brief.txt", random_bytes, "de tekst is niet als UTF-8 of Windows-1252 te lezen"
    ),
    "24 MB of text": Hostile("brief.txt", huge_text, "de tekst is langer dan 500.000 tekens"),
    "400 kB pathological text": Hostile("brief.txt", footnote_without_end, None),
}


@cache
def hostile_file(name: str) -> bytes:
    """Each file is made once per session: the bombs take a second or two to compress."""
    return HOSTILE[name].make()


# In this process: read_bytes. -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    # The PDF that takes too long has a test of its own, with a shorter time budget.
    [name for name, case in HOSTILE.items() if case.message and name != "a thousand heavy pages"],
)
def test_read_bytes_refuses_each_hostile_file_with_a_dutch_message(name):
    case = HOSTILE[name]
    data = hostile_file(name)
    started = processor_seconds()
    with pytest.raises(UnreadableLetter) as refused:
        read_bytes(data, case.filename)
    elapsed = processor_seconds() - started
    assert elapsed < case.time_bound
    assert str(refused.value).startswith(f"{case.filename}: ")
    assert without_grouping(case.message) in without_grouping(str(refused.value))


def processor_seconds() -> float:
    """Processor time of this process and the children it waited for: the work a file costs,
    whatever else a shared machine is doing (wall time doubled under a load of 10)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def without_grouping(text: str) -> str:
    """Numbers are grouped for Dutch readers ("1.000") only when an app is there to say so."""
    return re.sub(r"(?<=\d)\.(?=\d{3})", "", text)


def test_pathological_text_is_read_in_bounded_time():
    started = time.monotonic()
    raw = read_bytes(footnote_without_end(), "brief.txt")
    letter = letter_text.clean(raw)
    assert time.monotonic() - started < 2
    assert letter.footnotes[1].startswith("Kamerstuk 32 735 a a a")
    assert letter.text == "Zie de brief hierover."


def test_a_pdf_that_takes_too_long_is_refused_when_its_time_is_up():
    """The time budget, with a shorter budget than the real one (MAX_PDF_SECONDS) to be quick."""
    started = time.monotonic()
    with pytest.raises(UnreadableLetter, match="het lezen van de PDF duurt te lang"):
        letter_text._read_pdf(hostile_file("a thousand heavy pages"), "brief.pdf", seconds=0.5)
    assert time.monotonic() - started < 0.5 + 5


def test_a_page_that_gives_too_much_text_is_stopped_even_inside_a_form(caplog):
    """pypdf catches and logs any Exception raised while it reads a form XObject, and goes on:
    the reader stops it with an exception pypdf does not catch."""
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"  # noqa: E501
    text = b"BT /F1 12 Tf (" + b"a" * 100 + b") Tj ET"
    streams = [
        flate_stream([b"/X1 Do\n" * 2_000]),
        form + b" /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
    ]
    resources = b"<< /Font << /F1 3 0 R >> /XObject << /X1 5 0 R >> >>"
    with pytest.raises(UnreadableLetter) as refused:
        read_bytes(pdf_file(streams, [0], resources), "brief.pdf")
    message = without_grouping(str(refused.value))
    assert "een pagina van de PDF bevat meer dan 100000 tekens" in message
    assert "Impossible to decode XFormObject" not in caplog.text  # the stop was not swallowed


def test_a_pdf_of_more_than_a_thousand_pages_is_refused_before_reading():
    blank = pdf_file([flate_stream([b""])], [0] * 1_001)
    with pytest.raises(UnreadableLetter) as refused:
        read_bytes(blank, "brief.pdf")
    assert "de PDF heeft meer dan 1000 pagina's" in without_grouping(str(refused.value))


def test_honest_letters_in_every_format_are_still_read():
    """The limits leave a real letter alone (a PDF keeps its words, not its blank lines)."""
    text = LETTER.read_text(encoding="utf-8")
    assert read_bytes(word_letter(), "brief.docx") == "\n".join(text.splitlines())
    assert read_bytes(pdf_letter(), "brief.pdf").split() == text.split()


def test_a_main_part_named_in_the_relationships_is_read():
    """Word Online writes word/document2.xml; the package's relationships say so."""
    data = zip_archive(
        [
            Entry("[Content_Types].xml", [CONTENT_TYPES]),
            Entry("_rels/.rels", [relationships("/word/document2.xml")]),
            Entry("word/document2.xml", [document_start(), PARAGRAPH, DOCUMENT_END]),
        ]
    )
    assert read_bytes(data, "brief.docx") == "Ik zal de Kamer voor de zomer informeren."


def test_word_text_is_read_as_python_docx_reads_it():
    """The reader replaced python-docx: the same text for tabs, line, page and column breaks,
    carriage returns, non-breaking hyphens, hyperlinks, tables, text boxes, tracked changes,
    field codes and deleted text."""
    body = """
        <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
          <w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Eerste </w:t><w:tab/>
            <w:t>regel</w:t><w:br/><w:t>na een regeleinde</w:t><w:br w:type="page"/>
            <w:t>na een pagina</w:t><w:br w:type="column"/><w:cr/><w:t>Noord</w:t>
            <w:noBreakHyphen/><w:t>Afrika</w:t><w:ptab w:relativeTo="margin" w:alignment="right"
            w:leader="none"/><w:t>rechts</w:t></w:r>
          <w:hyperlink w:history="1"><w:r><w:t> een link</w:t></w:r></w:hyperlink>
          <w:ins w:id="1" w:author="a"><w:r><w:t>ingevoegd</w:t></w:r></w:ins>
          <w:del w:id="2" w:author="a"><w:r><w:delText>weg</w:delText></w:r></w:del>
          <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
          <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>&lt;einde&gt; &amp; é</w:t></w:r>
        </w:p>
        <w:p/>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>in een tabel</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        <w:p><w:r><w:pict><w:p><w:r><w:t>in een tekstvak</w:t></w:r></w:p></w:pict></w:r>
          <w:r><w:t><![CDATA[Na <het> tekstvak]]></w:t></w:r></w:p>
        <w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>
    """
    data = word_file([document_start(), body.encode(), DOCUMENT_END])
    expected = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert read_bytes(data, "brief.docx") == expected
    assert "Noord-Afrika" in expected
    assert "in een tabel" not in expected


# Through the real upload, in a gunicorn worker. -----------------------------------------------


class Server:
    """gunicorn with one sync worker, on a loopback port, over a SQLite register of its own."""

    def __init__(self, directory: Path) -> None:
        url = f"sqlite:///{directory / 'register.sqlite'}"
        app = make_app(url)
        with app.app_context():
            flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
            ministry = Ministry(code="JenV", name="Justitie en Veiligheid")
            clerk = User(email=CLERK, name="Griffie", role=Role.CLERK, ministry=ministry)
            clerk.set_password(PASSWORD)
            db.session.add_all([ministry, clerk])
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        self.port = free_port()
        self.log = directory / "gunicorn.log"
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "APP_ENV": "production",
            "ALLOW_SQLITE": "1",  # a register of its own on this one machine
            "BASE_URL": f"http://127.0.0.1:{self.port}",
            "SECRET_KEY": secrets.token_hex(32),  # production refuses a short key
            "LOG_LEVEL": "WARNING",
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    "1",
                    "--timeout",
                    "300",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "app:create_app()",
                ],
                cwd=REPO_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self.answers, timeout=60, message=self.log_tail)

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {self.log_tail()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/beheer/inloggen")
            connection.getresponse().read()
        except OSError:
            return False
        return bool(self.worker())

    def worker(self) -> int | None:
        """The one worker's process id (gunicorn forks it from the master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split()
        return int(pids[0]) if len(pids) == 1 else None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Browser:
    """A logged-in clerk: cookies kept by hand (production cookies are Secure, and this is
    plain HTTP on loopback), the CSRF token taken from the forms."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}
        login = self.request("GET", "/beheer/inloggen")
        status, _page = self.request(
            "POST",
            "/beheer/inloggen",
            "application/x-www-form-urlencoded",
            urlencode(email=CLERK, password=PASSWORD, csrf_token=csrf_token(login[1])),
        )
        assert status == 302, _page
        self.token = csrf_token(self.request("GET", "/beheer/brieven/nieuw")[1])

    def request(
        self, method: str, path: str, content_type: str = "", body: bytes = b""
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        page = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        connection.close()
        return response.status, page

    def upload(self, filename: str, data: bytes) -> tuple[int, str]:
        boundary = "----hostile-files-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
                f"{self.token}\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="letter"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST", "/beheer/brieven/nieuw", f"multipart/form-data; boundary={boundary}", body
        )


def urlencode(**fields: str) -> bytes:
    from urllib.parse import urlencode as encode

    return encode(fields).encode()


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def peak_memory_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match
    return int(match.group(1))


def worker_processor_seconds(pid: int) -> float:
    """User and system time the process has used (Linux /proc/<pid>/stat, in clock ticks):
    what a file cost the worker, whatever else the machine (the suite's other worker) does."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_memory(pid: int) -> None:
    """Linux: writing 5 to clear_refs sets VmHWM back to the current resident size."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


@pytest.fixture(scope="module")
def clerk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    server = Server(tmp_path_factory.mktemp("hostile_files"))
    try:
        yield Browser(server)
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_file_through_the_real_upload(clerk, name):
    case = HOSTILE[name]
    data = hostile_file(name)
    worker = clerk.server.worker()
    assert worker is not None, clerk.server.log_tail()
    reset_peak_memory(worker)
    started = worker_processor_seconds(worker)
    status, page = clerk.upload(case.filename, data)
    elapsed = worker_processor_seconds(worker) - started
    peak = peak_memory_kb(worker)
    print(f"{name}: {len(data)} bytes, HTTP {status}, {elapsed:.2f} s, peak {peak // 1024} MB")
    assert status < 500, clerk.server.log_tail()
    if case.message is None:
        assert status == 200
    else:
        assert status == 400
        assert f"{case.filename}: {case.message}" in html.unescape(page)
    assert "root:" not in page  # nothing of /etc/passwd, whatever the file asked for
    assert elapsed < case.time_bound
    assert peak < MEMORY_BOUND_KB, f"peak {peak // 1024} MB"
    assert clerk.server.worker() == worker  # the worker lived through it
