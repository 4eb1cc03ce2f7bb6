"""Promises from a spreadsheet (CSV or Excel) in the sheet columns (DESIGN §13).

Reading checks every row and writes nothing: a ``SheetPlan`` lists each row with what it
would do (new, update, unchanged) or its errors in Dutch. Applying is all or nothing: a plan
with any error applies nothing. A row names its promise by ``nummer`` or ``kamernummer``; a
row whose values equal the stored ones changes nothing, so importing the same sheet twice
changes nothing the second time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from app.extensions import db
from app.formatting import parse_date
from app.inputs import has_invalid_characters
from app.interop.sheets import HEADINGS
from app.register import services
from app.register.deadlines import find_deadline
from app.register.models import (
    FIELD_LABELS,
    TEXT_MAX_LENGTH,
    Commitment,
    CommitmentStatus,
    Committee,
    Document,
    DocumentKind,
    Ministry,
    Official,
)
from app.register.recesses import recess_calendar

#: The most rows one sheet may hold, below its header.
MAX_ROWS = 10_000
#: The largest sheet read, in bytes.
MAX_BYTES = 20 * 1024 * 1024

#: Other headings people use for the sheet's columns, among them the Eerste Kamer's.
ALIASES = {
    "nr": "nummer",
    "registernummer": "nummer",
    "kamer_nummer": "kamernummer",
    "tz_nummer": "kamernummer",
    "t_nummer": "kamernummer",
    "toezegging": "tekst",
    "omschrijving": "tekst",
    "datum": "gedaan_op",
    "datum_toezegging": "gedaan_op",
    "minister": "bewindspersoon",
    "verantwoordelijke_bewindspersoon": "bewindspersoon",
    "kamercommissie": "commissie",
    "kamerlid": "gevraagd_door",
    "kamerleden": "gevraagd_door",
    "termijn": "deadline_zoals_verwoord",
    "uiterste_datum": "deadline",
    "nakoming": "voldaan_met",
    # The Eerste Kamer's register of toezeggingen (DESIGN §13).
    "verantwoordelijke_minister": "bewindspersoon",
    "verantwoordelijke_bewindslieden": "bewindspersoon",
    "leden": "gevraagd_door",
    "kamerstukken": "bron",
    "onderwerp": "onderwerpen",
    "subcategorie": "onderwerpen",
}
REQUIRED = ("tekst", "gedaan_op")
#: The Kamer's own numbers, which an Eerste Kamer sheet gives under "nummer".
_KAMER_NUMBER = re.compile(r"^(?:T[0-9]{3,6}|TZ[0-9]{6}-[0-9]+)$", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_LONG_DATE = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


class UnreadableSheet(ValueError):
    """A file that is no sheet the register reads; the message is Dutch."""


def sheet_date(value: Any) -> dt.date:
    """A date cell, or text as people write dates: ``30-6-2019``, ``30 juni 2019``,
    ``2019-06-30``; ValueError (Dutch) otherwise, also for a day that does not exist."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().lower()
    if match := _LONG_DATE.match(text):
        month = _MONTHS.get(match[2])
        if month is None:
            raise ValueError(_("%(raw)r is geen datum.", raw=str(value).strip()))
        try:
            return dt.date(int(match[3]), month, int(match[1]))
        except ValueError:
            raise ValueError(
                _("%(raw)r is geen bestaande datum.", raw=str(value).strip())
            ) from None
    return parse_date(text)


def _heading(raw: Any) -> str:
    words = re.sub(r"[^0-9a-z]+", "_", str(raw or "").strip().lower()).strip("_")
    return ALIASES.get(words, words)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max([";", "\t", ","], key=first.count)
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
        if number > MAX_ROWS + 1:
            raise UnreadableSheet(_too_many())
        rows.append(row)
    return rows


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableSheet(_("Dit Excel-bestand is niet te lezen.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            if number > MAX_ROWS + 1:
                raise UnreadableSheet(_too_many())
            rows.append(list(row))
        return rows
    finally:
        workbook.close()


def _too_many() -> str:
    return str(
        _("Een blad mag hoogstens %(max)s rijen hebben; splits het bestand.", max=f"{MAX_ROWS:,}")
    ).replace(",", ".")


def read_rows(data: bytes, filename: str) -> list[list[Any]]:
    """The sheet's rows (the header first): Excel by its zip signature, CSV otherwise."""
    if len(data) > MAX_BYTES:
        raise UnreadableSheet(
            _("Het bestand is groter dan %(mb)s MB.", mb=MAX_BYTES // (1024 * 1024))
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        if b"\x00" in data[:4096]:
            raise UnreadableSheet(_("Dit is geen CSV- of Excel-bestand."))
        rows = _csv_rows(data)
    rows = [row for row in rows if any(str(cell or "").strip() for cell in row)]
    if not rows:
        raise UnreadableSheet(_("Het blad is leeg."))
    if len(rows) - 1 > MAX_ROWS:
        raise UnreadableSheet(_too_many())
    return rows


@dataclass(frozen=True)
class Citation:
    """A document a row names in ``bron`` or ``voldaan_met``, as written, and what makes two
    names the same document: a Kamerstuk's dossier and number, or another document's title."""

    text: str
    key: tuple[str, ...]


def _citation(raw: str, column: str, errors: list[str]) -> Citation | None:
    """The document ``raw`` names (services.cited_document reads it the same way)."""
    text = " ".join(raw.split())
    if not text:
        return None
    if len(text) > DOCUMENT_TITLE_MAX_LENGTH:
        errors.append(
            _(
                "%(column)s is langer dan %(max)s tekens.",
                column=column,
                max=DOCUMENT_TITLE_MAX_LENGTH,
            )
        )
        return None
    try:
        dossier, ondernummer = Document.parse_reference(text)
    except ValueError:
        if text.lower().startswith("kst-"):
            errors.append(
                _(
                    "%(column)s: %(raw)r is geen Kamerstuk; schrijf het als 32 735, nr. 243 of "
                    "kst-32735-243.",
                    column=column,
                    raw=text,
                )
            )
            return None
        return Citation(text, ("titel", text))
    return Citation(text, ("kamerstuk", dossier, ondernummer))


def _key_of(document: Document | None) -> tuple[str, ...] | None:
    """The :class:`Citation` key of a stored document."""
    if document is None:
        return None
    if document.dossier_number and document.ondernummer:
        return ("kamerstuk", document.dossier_number, document.ondernummer)
    return ("titel", " ".join(document.title.split()))


#: The longest document title, and so the longest ``bron`` or ``voldaan_met``.
DOCUMENT_TITLE_MAX_LENGTH = 500


@dataclass
class PlannedRow:
    """One row of the sheet: what it would do, or what is wrong with it."""

    line: int
    #: The row's text, to show beside its errors.
    text: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    action: str = ""
    commitment: Commitment | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    status: CommitmentStatus | None = None
    #: The document the promise was made in (``bron``), and whether it differs from the stored.
    source: Citation | None = None
    source_changed: bool = False
    #: The fulfilling letter to record (``voldaan_met``, ``voldaan_op``), when it is new.
    fulfilment: Citation | None = None
    fulfilled_on: dt.date | None = None
    #: The letter fulfils the promise in part ("Deels voldaan").
    partially: bool = False

    @property
    def changed_fields(self) -> list[str]:
        """What an update changes, in the register's words ("Bron", "Status"), for the
        preview."""
        names = list(self.changes)
        if self.source_changed:
            names.append("source_document")
        if self.fulfilment is not None:
            names += ["fulfilled_by", "fulfilled_on"]
        moved = self.commitment is not None and self.status not in (None, self.commitment.status)
        if moved and "status" not in names:
            names.append("status")
        return [str(FIELD_LABELS.get(name, name)) for name in names]


@dataclass
class SheetPlan:
    """The whole sheet: its rows, and errors about the sheet itself (its columns)."""

    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def changes_anything(self) -> bool:
        """Whether applying would write anything: a new promise, or a change to one."""
        return any(row.action in {"nieuw", "bijwerken"} for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> str:
        return str(
            _(
                "%(new)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd.",
                new=self.count("nieuw"),
                updated=self.count("bijwerken"),
                unchanged=self.count("ongewijzigd"),
            )
        )


class _Lookup:
    """Reference data by the names a sheet uses, loaded once."""

    def __init__(self) -> None:
        self.ministries: dict[str, Ministry] = {}
        for ministry in db.session.scalars(sa.select(Ministry)):
            self.ministries[ministry.code.lower()] = ministry
            self.ministries[ministry.name.lower()] = ministry
            self.ministries[ministry.name.lower().removeprefix("ministerie van ")] = ministry
        self.officials: dict[str, list[Official]] = {}
        #: The Eerste Kamer names the function ("minister van Justitie en Veiligheid"): the
        #: official in office in it, when there is exactly one.
        self.by_function: dict[str, list[Official]] = {}
        for official in db.session.scalars(sa.select(Official)):
            self.officials.setdefault(official.name.lower(), []).append(official)
            if official.active_to is None:
                self.by_function.setdefault(official.function.lower(), []).append(official)
        self.committees = {
            key.lower(): committee
            for committee in db.session.scalars(sa.select(Committee))
            for key in (committee.name, committee.abbreviation)
            if key
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # A leading ' is how the export keeps a spreadsheet from running text as a formula.
    if text.startswith("'") and text[1:2] in {"=", "+", "-", "@"}:
        text = text[1:]
    return text


def plan_sheet(rows: list[list[Any]]) -> SheetPlan:
    """Check every row of a sheet (header first) against the register; writes nothing."""
    plan = SheetPlan()
    headings = [_heading(cell) for cell in rows[0]]
    known = set(HEADINGS)
    unknown = [str(raw) for raw, h in zip(rows[0], headings, strict=True) if h not in known]
    if unknown:
        plan.errors.append(
            _(
                "Onbekende kolommen: %(names)s. Het blad kent: %(known)s.",
                names=", ".join(unknown),
                known=", ".join(HEADINGS),
            )
        )
    missing = [name for name in REQUIRED if name not in headings]
    if "ministerie" not in headings and "bewindspersoon" not in headings:
        missing.append("ministerie")
    if missing:
        plan.errors.append(_("Verplichte kolommen ontbreken: %(names)s.", names=", ".join(missing)))
    if plan.errors:
        return plan
    lookup = _Lookup()
    # Messages name a column as the sheet heads it ("Datum", not "gedaan_op").
    shown: dict[str, str] = {}
    for raw, heading in zip(rows[0], headings, strict=True):
        shown.setdefault(heading, str(raw).strip())
    numbers = (
        [_text(row[headings.index("nummer")]) for row in rows[1:]] if "nummer" in headings else []
    )
    kamer_numbers = (
        [_text(row[headings.index("kamernummer")]) for row in rows[1:]]
        if "kamernummer" in headings
        else []
    )
    kamer_numbers += [n.upper() for n in numbers if _KAMER_NUMBER.match(n)]
    existing = _existing([n for n in numbers if n], [n for n in kamer_numbers if n])
    texts = [_text(row[headings.index("tekst")]) for row in rows[1:]]
    existing.update(_same_text([t for t in texts if t]))
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {
            name: row[index] if index < len(row) else None for index, name in enumerate(headings)
        }
        planned = _plan_row(line, cells, lookup, existing, shown)
        for key in ("nummer", "kamernummer"):
            value = _text(cells.get(key))
            if value and f"{key}:{value}" in seen:
                planned.errors.append(
                    _(
                        "%(value)s staat ook in rij %(line)s.",
                        value=value,
                        line=seen[f"{key}:{value}"],
                    )
                )
            elif value:
                seen[f"{key}:{value}"] = line
        plan.rows.append(planned)
    return plan


#: A row compares its bron and voldaan_met with these: loaded with the promises, not one by one.
_DOCUMENTS = (
    so.selectinload(Commitment.source_document),
    so.selectinload(Commitment.fulfilled_by),
)


def _existing(numbers: list[str], kamer_numbers: list[str]) -> dict[str, Commitment]:
    found: dict[str, Commitment] = {}
    for start in range(0, max(len(numbers), len(kamer_numbers)), 500):
        chunk, kamer_chunk = numbers[start : start + 500], kamer_numbers[start : start + 500]
        statement = (
            sa.select(Commitment)
            .where(sa.or_(Commitment.number.in_(chunk), Commitment.kamer_number.in_(kamer_chunk)))
            .options(*_DOCUMENTS)
        )
        for commitment in db.session.scalars(statement):
            found[f"nummer:{commitment.number}"] = commitment
            if commitment.kamer_number:
                found[f"kamernummer:{commitment.kamer_number}"] = commitment
    return found


def _same_text(texts: list[str]) -> dict[str, Commitment]:
    """Promises with these texts, by ministry, day and text: a row without a number names the
    promise with the same words, made the same day, of the same ministry."""
    found: dict[str, Commitment] = {}
    for start in range(0, len(texts), 500):
        statement = (
            sa.select(Commitment)
            .where(Commitment.text.in_(texts[start : start + 500]))
            .options(*_DOCUMENTS)
        )
        for commitment in db.session.scalars(statement):
            found[_text_key(commitment.ministry_id, commitment.made_on, commitment.text)] = (
                commitment
            )
    return found


def _text_key(ministry_id: int, made_on: dt.date, text: str) -> str:
    return f"tekst:{ministry_id}:{made_on.isoformat()}:{text}"


def _status(text: str) -> CommitmentStatus:
    for status in CommitmentStatus:
        if text.lower() in {status.label.lower(), status.value}:
            return status
    return CommitmentStatus.from_kamer_wording(text)


def _plan_row(
    line: int,
    cells: dict[str, Any],
    lookup: _Lookup,
    existing: dict[str, Commitment],
    shown: dict[str, str],
) -> PlannedRow:
    planned = PlannedRow(line=line)
    errors = planned.errors

    def column(name: str) -> str:
        return shown.get(name) or name

    texts = {name: _text(value) for name, value in cells.items()}
    if _KAMER_NUMBER.match(texts.get("nummer", "")) and not texts.get("kamernummer"):
        texts["kamernummer"], texts["nummer"] = texts["nummer"].upper(), ""
    deadline_cell = cells.get("deadline")
    if (
        isinstance(deadline_cell, str)
        and deadline_cell.strip()
        and not texts.get("deadline_zoals_verwoord")
    ):
        try:
            sheet_date(deadline_cell)
        except ValueError:  # the Eerste Kamer writes "voor de zomer van 2024" as the deadline
            texts["deadline_zoals_verwoord"], deadline_cell = deadline_cell.strip(), None
    for name, text in texts.items():
        if has_invalid_characters(text):
            errors.append(
                _("%(column)s bevat tekens die niet in tekst horen.", column=column(name))
            )
    text = texts.get("tekst", "")
    planned.text = text
    if not text:
        errors.append(_("%(column)s is leeg.", column=column("tekst")))
    elif len(text) > TEXT_MAX_LENGTH:
        errors.append(
            _(
                "%(column)s is langer dan %(max)s tekens.",
                column=column("tekst"),
                max=TEXT_MAX_LENGTH,
            )
        )
    made_on = _date(cells.get("gedaan_op"), column("gedaan_op"), errors, required=True)
    deadline = _date(deadline_cell, column("deadline"), errors)
    fulfilled_on = _date(cells.get("voldaan_op"), column("voldaan_op"), errors)
    source = _citation(texts.get("bron", ""), column("bron"), errors)
    fulfilment = _citation(texts.get("voldaan_met", ""), column("voldaan_met"), errors)
    if fulfilled_on is not None and not texts.get("voldaan_met"):
        errors.append(
            _(
                "%(fulfilled_on)s is ingevuld maar %(fulfilled_by)s niet: vul ook het "
                "Kamerstuk in waarmee de toezegging is nagekomen.",
                fulfilled_on=column("voldaan_op"),
                fulfilled_by=column("voldaan_met"),
            )
        )
    official = None
    if official_name := texts.get("bewindspersoon"):
        candidates = lookup.officials.get(official_name.lower(), []) or lookup.by_function.get(
            official_name.lower(), []
        )
        function = texts.get("functie", "").lower()
        if function:
            candidates = [c for c in candidates if c.function.lower() == function]
        if len(candidates) != 1:
            errors.append(
                _(
                    "Bewindspersoon %(name)r staat niet (eenduidig) in het register; vul ook de "
                    "functie in of voeg de bewindspersoon toe.",
                    name=official_name,
                )
            )
        else:
            official = candidates[0]
    ministry = lookup.ministries.get(texts.get("ministerie", "").lower())
    if ministry is None and not texts.get("ministerie") and official is not None:
        ministry = official.ministry
    if ministry is None:
        errors.append(
            _("Ministerie %(name)r staat niet in het register.", name=texts.get("ministerie", ""))
        )
    committee = None
    if committee_name := texts.get("commissie"):
        committee = lookup.committees.get(committee_name.lower())
        if committee is None:
            errors.append(_("Commissie %(name)r staat niet in het register.", name=committee_name))
    status = None
    if word := texts.get("status"):
        try:
            status = _status(word)
        except ValueError:
            errors.append(
                _(
                    "Status %(word)r kent het register niet; gebruik Openstaand, Deels voldaan, "
                    "Voldaan of Vervallen.",
                    word=word,
                )
            )
    phrase = texts.get("deadline_zoals_verwoord") or None
    if deadline is None and phrase and made_on is not None:
        found = find_deadline(phrase, made_on, recess_calendar())
        deadline = found.date if found else None
    for name, limit in (
        ("titel", 200),
        ("gevraagd_door", 200),
        ("deadline_zoals_verwoord", 200),
        ("soort_activiteit", 100),
        ("categorie", 100),
        ("onderwerpen", 500),
    ):
        if len(texts.get(name, "")) > limit:
            errors.append(
                _("%(column)s is langer dan %(max)s tekens.", column=column(name), max=limit)
            )
    if len(texts.get("kamernummer", "")) > 40:
        errors.append(
            _("%(column)s is langer dan %(max)s tekens.", column=column("kamernummer"), max=40)
        )
    commitment = existing.get(f"nummer:{texts.get('nummer', '')}") or existing.get(
        f"kamernummer:{texts.get('kamernummer', '')}"
    )
    if commitment is None and ministry is not None and made_on is not None:
        commitment = existing.get(_text_key(ministry.id, made_on, text))
    if texts.get("nummer") and commitment is None:
        errors.append(
            _(
                "Nummer %(number)s staat niet in het register; laat het leeg voor een nieuwe.",
                number=texts["nummer"],
            )
        )
    fulfil = fulfilment is not None and not (
        commitment is not None
        and _key_of(commitment.fulfilled_by) == fulfilment.key
        and fulfilled_on in (None, commitment.fulfilled_on)
    )
    if fulfil:
        if status in (CommitmentStatus.OPEN, CommitmentStatus.WITHDRAWN):
            assert status is not None
            errors.append(
                _(
                    "Met %(column)s hoort de status Voldaan of Deels voldaan, niet %(status)s.",
                    column=column("voldaan_met"),
                    status=status.label,
                )
            )
        elif commitment is not None and not commitment.status.is_outstanding:
            errors.append(
                _(
                    "%(number)s is al %(status)s; een andere nakoming legt u pas vast als de "
                    "status in het register weer Openstaand is.",
                    number=commitment.number,
                    status=commitment.status.label.lower(),
                )
            )
        elif made_on is not None and (
            problem := services.fulfilment_problem(made_on, fulfilled_on)
        ):
            errors.append(f"{column('voldaan_op')}: {problem}")
    if errors:
        return planned
    assert made_on is not None
    assert ministry is not None
    values: dict[str, Any] = {
        "text": text,
        "made_on": made_on,
        "ministry": ministry,
        "kamer_number": texts.get("kamernummer") or None,
        "responsible_official": official,
        "committee": committee,
        "requested_by": texts.get("gevraagd_door") or None,
        "deadline": deadline,
        "deadline_phrase": phrase,
        "kamer_activity_kind": texts.get("soort_activiteit") or None,
        "kamer_category": texts.get("categorie") or None,
        "kamer_subjects": texts.get("onderwerpen") or None,
    }
    if texts.get("titel"):
        values["title"] = texts["titel"]
    planned.values = values
    planned.status = status
    planned.source = source
    if fulfil:
        planned.fulfilment, planned.fulfilled_on = fulfilment, fulfilled_on
        planned.partially = status is CommitmentStatus.PARTIALLY_FULFILLED
    if commitment is None:
        planned.action = "nieuw"
        return planned
    planned.commitment = commitment
    # A column the sheet does not have leaves its field alone.
    planned.changes = {
        name: value
        for name, value in values.items()
        if _in_sheet(name, texts) and getattr(commitment, name) != value
    }
    planned.source_changed = "bron" in texts and _key_of(commitment.source_document) != (
        source.key if source else None
    )
    moved = status is not None and status != commitment.status
    changed = planned.changes or moved or planned.source_changed or fulfil
    planned.action = "bijwerken" if changed else "ongewijzigd"
    return planned


#: The columns each field is read from; the other fields are always in a sheet.
_COLUMNS_OF = {
    "kamer_number": ("kamernummer",),
    "responsible_official": ("bewindspersoon",),
    "committee": ("commissie",),
    "requested_by": ("gevraagd_door",),
    "deadline": ("deadline", "deadline_zoals_verwoord"),
    "deadline_phrase": ("deadline", "deadline_zoals_verwoord"),
    "kamer_activity_kind": ("soort_activiteit",),
    "kamer_category": ("categorie",),
    "kamer_subjects": ("onderwerpen",),
}


def _in_sheet(name: str, texts: dict[str, str]) -> bool:
    """Whether the sheet has a column ``name`` is read from (text, day and ministry always)."""
    if name not in _COLUMNS_OF:
        return True
    return any(column in texts for column in _COLUMNS_OF[name])


def _date(value: Any, column: str, errors: list[str], *, required: bool = False) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(_("%(column)s is leeg.", column=column))
        return None
    try:
        return sheet_date(value)
    except ValueError as error:
        errors.append(f"{column}: {error}")
        return None


#: The history note of every change a sheet makes.
SHEET_NOTE = "Ingelezen uit een spreadsheet"


def apply_plan(plan: SheetPlan, actor: Any = None) -> SheetPlan:
    """Write the plan through the register's services; refuses a plan with errors. Flushes,
    never commits."""
    if not plan.ok:
        raise ValueError("a sheet with errors is never applied")
    documents: dict[tuple[str, ...], Document] = {}

    def document(citation: Citation, date: dt.date | None, kind: DocumentKind) -> Document:
        """One document for every row that names it, registered at its first mention."""
        if citation.key not in documents:
            documents[citation.key] = services.cited_document(citation.text, date=date, kind=kind)
        return documents[citation.key]

    new_rows = [row for row in plan.rows if row.action == "nieuw"]
    items = []
    for row in new_rows:
        values = row.values
        official, committee = values["responsible_official"], values["committee"]
        items.append(
            {
                "title": values.get("title") or services.suggest_title(values["text"]),
                "text": values["text"],
                "made_on": values["made_on"],
                "ministry_id": values["ministry"].id,
                "kamer_number": values["kamer_number"],
                "responsible_official_id": official.id if official else None,
                "committee_id": committee.id if committee else None,
                "requested_by": values["requested_by"],
                "deadline": values["deadline"],
                "deadline_phrase": values["deadline_phrase"],
                "status": (
                    CommitmentStatus.OPEN
                    if row.fulfilment is not None
                    else row.status or CommitmentStatus.OPEN
                ),
                "source_document_id": (
                    document(row.source, None, DocumentKind.OTHER).id if row.source else None
                ),
                "kamer_activity_kind": values["kamer_activity_kind"],
                "kamer_category": values["kamer_category"],
                "kamer_subjects": values["kamer_subjects"],
            }
        )
    # New promises in a few statements (services.create_commitments), as the Kamer import does.
    ids = services.create_commitments(items, note=SHEET_NOTE, actor=actor)
    for row, commitment_id in zip(new_rows, ids, strict=True):
        if row.fulfilment is not None:
            row.commitment = db.session.get_one(Commitment, commitment_id)
            _fulfil(row, row.commitment, document, actor)
    for row in plan.rows:
        if row.action == "bijwerken" and row.commitment is not None:
            changes = dict(row.changes)
            if row.source_changed:
                changes["source_document"] = (
                    document(row.source, None, DocumentKind.OTHER) if row.source else None
                )
            if changes:
                services.update_commitment(row.commitment, changes, actor=actor, note=SHEET_NOTE)
            if row.fulfilment is not None:
                _fulfil(row, row.commitment, document, actor)
            elif row.status is not None and row.status != row.commitment.status:
                services.change_status(row.commitment, row.status, note=SHEET_NOTE, actor=actor)
    return plan


def _fulfil(
    row: PlannedRow,
    commitment: Commitment,
    document: Callable[[Citation, dt.date | None, DocumentKind], Document],
    actor: Any,
) -> None:
    """Record the row's fulfilling letter through the fulfil service, as the fulfil screen
    does (a letter the register does not know yet is registered with it)."""
    assert row.fulfilment is not None
    services.mark_fulfilled(
        commitment,
        document(row.fulfilment, row.fulfilled_on, DocumentKind.LETTER),
        fulfilled_on=row.fulfilled_on,
        partially=row.partially,
        actor=actor,
        note=SHEET_NOTE,
    )


def errors_of(plan: SheetPlan) -> Iterable[str]:
    """Every error, with its row, as one line each."""
    yield from plan.errors
    for row in plan.rows:
        for error in row.errors:
            yield _("rij %(line)s: %(error)s", line=row.line, error=error)
