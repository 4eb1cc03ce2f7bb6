"""Getting clean text out of a Kamerbrief: .txt, .pdf or .docx.

Real Kamerstukken need cleaning: words hyphenated across lines are joined ("totstand-\\nkoming"
→ "totstandkoming") while real hyphens stay ("AU-EU-VN", "Noord-Afrika"); page headers and
footers go; footnote markers glued to words go ("parlementen1") and the footnote texts are kept
apart; sentences are split without breaking on Dutch abbreviations or on "nr. 243".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

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
    suffix = Path(filename).suffix.lower()
    if suffix in {".txt", ".text", ""}:
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
    if suffix == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            pages = [page.extract_text() or "" for page in reader.pages]
        except (PdfReadError, ValueError, KeyError) as error:
            raise UnreadableLetter(
                _("%(filename)s: geen leesbare PDF (%(error)s).", filename=filename, error=error)
            ) from None
        text = "\n".join(pages)
        if not text.strip():
            raise UnreadableLetter(
                _("%(filename)s: de PDF bevat geen tekst (een scan?).", filename=filename)
            )
        return text
    if suffix == ".docx":
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as error:  # python-docx raises several kinds on bad files
            raise UnreadableLetter(
                _(
                    "%(filename)s: geen leesbaar Word-bestand (%(error)s).",
                    filename=filename,
                    error=error,
                )
            ) from None
        return "\n".join(paragraph.text for paragraph in document.paragraphs)
    raise UnreadableLetter(
        _("%(filename)s: alleen .txt, .pdf en .docx worden gelezen.", filename=filename)
    )


def clean(raw: str) -> CleanLetter:
    """Clean the raw text and split it into sentences."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "").replace("\f", "\n")
    text = _HYPHEN_BREAK.sub("", text)
    markers = {int(match.group(1)) for match in _FOOTNOTE_MARKER.finditer(text)}
    body_lines: list[str] = []
    footnotes: dict[int, str] = {}
    current_footnote: int | None = None
    for line in text.split("\n"):
        if any(pattern.match(line) for pattern in _PAGE_FURNITURE):
            current_footnote = None
            continue
        footnote = _FOOTNOTE_LINE.match(line)
        if (
            footnote
            and int(footnote.group(1)) in markers | set(_next_expected(footnotes))
            and (_looks_like_footnote(footnote.group(2)) or int(footnote.group(1)) in markers)
        ):
            current_footnote = int(footnote.group(1))
            footnotes[current_footnote] = footnote.group(2).strip()
            continue
        if current_footnote is not None and not footnotes[current_footnote].endswith("."):
            # An unfinished footnote may go on after a page break or on the next line.
            if not line.strip():
                continue
            if re.match(r"\s*(?:[a-zà-ÿ]|Kamerstuk|Handelingen)", line):
                footnotes[current_footnote] += " " + line.strip()
                continue
        current_footnote = None
        body_lines.append(line)
        if any(pattern.match(line) for pattern in _STANDALONE_LINES):
            body_lines.append("")  # a header or signature line is a paragraph of its own
    body = "\n".join(body_lines)
    body = _GLUED_FOOTNOTE_MARKER.sub(" ", body)
    body = _FOOTNOTE_MARKER.sub("", body)
    body = re.sub(r"[ \t]+", " ", body)
    body = re.sub(r" *\n *", "\n", body)
    body = re.sub(r"\n{2,}", "\n\n", body).strip()
    return CleanLetter(body, split_sentences(body), footnotes)


def _next_expected(footnotes: dict[int, str]) -> list[int]:
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
