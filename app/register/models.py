"""The register's data model (DESIGN §1 and §3)."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.dbtypes import UTCDateTime, enum_column_type, utcnow
from app.extensions import Base

if TYPE_CHECKING:
    # Users live in app.auth, a layer above the register: the register names them only
    # for type checking, and SQLAlchemy finds the mapped class "User" by name.
    from app.auth.models import User


class CommitmentStatus(enum.Enum):
    """Where a promise stands. "Te laat" (overdue) is derived, never stored."""

    OPEN = "open"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def is_outstanding(self) -> bool:
        """True while a follow-up is still owed to the Kamer."""
        return self in OUTSTANDING_STATUSES

    @classmethod
    def from_kamer_wording(cls, wording: str) -> CommitmentStatus:
        """Map the Kamer's own word ("Afgedaan", "Deels voldaan" …) onto a status."""
        try:
            return KAMER_WORDING[wording.strip().lower()]
        except KeyError:
            raise ValueError(
                gettext("Onbekende status van de Kamer: %(wording)r", wording=wording)
            ) from None


STATUS_LABELS = {
    CommitmentStatus.OPEN: _l("Openstaand"),
    CommitmentStatus.PARTIALLY_FULFILLED: _l("Deels voldaan"),
    CommitmentStatus.FULFILLED: _l("Voldaan"),
    CommitmentStatus.WITHDRAWN: _l("Vervallen"),
}

OUTSTANDING_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.PARTIALLY_FULFILLED)

KAMER_WORDING = {
    "openstaand": CommitmentStatus.OPEN,
    "deels voldaan": CommitmentStatus.PARTIALLY_FULFILLED,
    "deels afgedaan": CommitmentStatus.PARTIALLY_FULFILLED,
    "voldaan": CommitmentStatus.FULFILLED,
    "afgedaan": CommitmentStatus.FULFILLED,
    "nagekomen": CommitmentStatus.FULFILLED,
    "vervallen": CommitmentStatus.WITHDRAWN,
    "ingetrokken": CommitmentStatus.WITHDRAWN,
    "niet nagekomen": CommitmentStatus.WITHDRAWN,
}


class DocumentKind(enum.Enum):
    """The kind of parliamentary document a promise comes from or is fulfilled by."""

    LETTER = "brief"
    REPORT = "verslag"
    PROCEEDINGS = "handelingen"
    MOTION = "motie"
    AMENDMENT = "amendement"
    ANSWERS = "antwoorden"
    MEMORANDUM = "nota"
    OTHER = "overig"

    @property
    def label(self) -> str:
        return str(DOCUMENT_KIND_LABELS[self])


DOCUMENT_KIND_LABELS = {
    DocumentKind.LETTER: _l("Kamerbrief"),
    DocumentKind.REPORT: _l("Verslag"),
    DocumentKind.PROCEEDINGS: _l("Handelingen"),
    DocumentKind.MOTION: _l("Motie"),
    DocumentKind.AMENDMENT: _l("Amendement"),
    DocumentKind.ANSWERS: _l("Antwoorden op Kamervragen"),
    DocumentKind.MEMORANDUM: _l("Nota"),
    DocumentKind.OTHER: _l("Overig"),
}


def is_web_address(url: str) -> bool:
    """An absolute http:// or https:// address with a host."""
    parts = urlsplit(url)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


class Ministry(Base):
    """A ministry that owns promises, e.g. JenV (Justitie en Veiligheid)."""

    __tablename__ = "ministry"

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Short code as used in the Kamer's register, e.g. ``JenV``, ``BZ``.
    code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    #: Full name, e.g. "Ministerie van Justitie en Veiligheid".
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)

    def __repr__(self) -> str:
        return f"<Ministry {self.code}>"


class Official(Base):
    """A bewindspersoon: the minister or state secretary who answers for a promise."""

    __tablename__ = "official"
    __table_args__ = (sa.UniqueConstraint("name", "function", name="uq_official_name_function"),)

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Name as signed under letters, e.g. "M.G.J. Harbers".
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: Function, e.g. "Staatssecretaris van Justitie en Veiligheid".
    function: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: The ministry the function belongs to.
    ministry_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ministry.id", ondelete="RESTRICT"), index=True
    )
    #: First day in this function, when known.
    active_from: so.Mapped[dt.date | None]
    #: Last day in this function; empty while in office.
    active_to: so.Mapped[dt.date | None]

    ministry: so.Mapped[Ministry] = so.relationship()

    def __repr__(self) -> str:
        return f"<Official {self.name}, {self.function}>"


class Committee(Base):
    """A Kamer committee, e.g. the vaste commissie voor Justitie en Veiligheid."""

    __tablename__ = "committee"

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Full name, e.g. "Vaste commissie voor Justitie en Veiligheid".
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    #: The Kamer's abbreviation, e.g. ``J&V``.
    abbreviation: so.Mapped[str | None] = so.mapped_column(sa.String(20), unique=True)

    def __repr__(self) -> str:
        return f"<Committee {self.abbreviation or self.name}>"


# Bounded so that every number that parses fits its column (String(20)): a dossier of at most
# six digits with a suffix of at most ten letters or digits ("36 200-XVI"), an ondernummer of at
# most eight digits; ASCII digits only.
_KAMERSTUK_ID = re.compile(
    r"^kst-(?P<dossier>\d{1,6}(?:-[0-9A-Za-z]{1,10})?)-(?P<ondernummer>\d{1,8})$", re.ASCII
)
_KAMERSTUK_REFERENCE = re.compile(
    r"^(?:kamerstukk?(?:en)?\s+)?(?P<dossier>\d{1,3}(?:[ .]?\d{3})?)"
    r"(?:-(?P<suffix>[0-9A-Za-z]{1,10}))?"
    r"\s*(?:,\s*nr\.?|,|\s+nr\.?|-)\s*(?P<ondernummer>\d{1,8})$",
    re.IGNORECASE | re.ASCII,
)


def format_dossier_number(digits: str) -> str:
    """``32735`` → ``32 735`` and ``21501-02`` → ``21 501-02``, as the Kamer writes them."""
    main, _, suffix = digits.partition("-")
    grouped = f"{int(main):,}".replace(",", " ")
    return f"{grouped}-{suffix}" if suffix else grouped


def kamerstuk_label(dossier_number: str | None, ondernummer: str | None) -> str | None:
    """A Kamerstuk as cited in letters, e.g. ``32 735, nr. 243``; None outside a dossier."""
    if not (dossier_number and ondernummer):
        return None
    return f"{dossier_number}, nr. {ondernummer}"


def kamerstuk_id(dossier_number: str | None, ondernummer: str | None) -> str | None:
    """The official id of a Kamerstuk, e.g. ``kst-32735-243``; None outside a dossier."""
    if not (dossier_number and ondernummer):
        return None
    return f"kst-{dossier_number.replace(' ', '')}-{ondernummer}"


class _NumberedDocument(Protocol):
    @property
    def url(self) -> str | None: ...
    @property
    def dossier_number(self) -> str | None: ...
    @property
    def ondernummer(self) -> str | None: ...


class Citable:
    """What a document's address and numbers give: its link and its Kamerstuk id and label.
    For :class:`Document` and for documents read as plain columns (the API's rows)."""

    __slots__ = ()

    @property
    def link(self: _NumberedDocument) -> str | None:
        """The address to link to: the stored one when it is a web address (older rows were
        not checked when they were stored)."""
        return self.url if self.url and is_web_address(self.url) else None

    @property
    def kamerstuk_id(self: _NumberedDocument) -> str | None:
        """The official id, e.g. ``kst-32735-243``; None for a document outside a dossier."""
        return kamerstuk_id(self.dossier_number, self.ondernummer)

    @property
    def kamerstuk_label(self: _NumberedDocument) -> str | None:
        """As cited in letters: ``32 735, nr. 243``."""
        return kamerstuk_label(self.dossier_number, self.ondernummer)


class Document(Base, Citable):
    """A Kamerstuk or other source: where a promise was made or the letter that fulfils it."""

    __tablename__ = "document"
    __table_args__ = (
        sa.UniqueConstraint(
            "dossier_number", "ondernummer", name="uq_document_dossier_number_ondernummer"
        ),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Letter, report of a debate, proceedings, motion …
    kind: so.Mapped[DocumentKind] = so.mapped_column(
        enum_column_type(DocumentKind, "document_kind"), default=DocumentKind.LETTER
    )
    #: Dossier number as the Kamer writes it, e.g. ``32 735``; empty for other sources.
    dossier_number: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: Number within the dossier, e.g. ``243``.
    ondernummer: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: Title or subject, e.g. "Brief over migratie in relatie tot Libië".
    title: so.Mapped[str] = so.mapped_column(sa.String(500))
    #: Date of the document (a letter's "Den Haag, 11 april 2019").
    date: so.Mapped[dt.date | None]
    #: Where the document is published, when known: an http(s) address, nothing else.
    url: so.Mapped[str | None] = so.mapped_column(sa.String(500))

    @so.validates("url")
    def _web_address_only(self, _key: str, url: str | None) -> str | None:
        """``javascript:`` and other schemes would run or open something when clicked."""
        url = (url or "").strip() or None
        if url is not None and not is_web_address(url):
            raise ValueError(
                gettext("Een adres moet met http:// of https:// beginnen, gevolgd door een domein.")
            )
        return url

    @staticmethod
    def parse_kamerstuk_id(kamerstuk_id: str) -> tuple[str, str]:
        """``kst-32735-243`` → (``32 735``, ``243``); ValueError when it is no Kamerstuk id."""
        match = _KAMERSTUK_ID.match(kamerstuk_id.strip())
        if not match:
            raise ValueError(gettext("Geen geldig Kamerstuk-id: %(id)r", id=kamerstuk_id))
        return format_dossier_number(match["dossier"]), match["ondernummer"]

    @staticmethod
    def parse_reference(reference: str) -> tuple[str, str]:
        """A Kamerstuk as people write it: ``32 735, nr. 243``, ``32735-243`` or
        ``kst-32735-243`` → (``32 735``, ``243``); ValueError otherwise."""
        text = " ".join(reference.split())
        match = _KAMERSTUK_REFERENCE.match(text)
        if not match:
            return Document.parse_kamerstuk_id(text)
        digits = match["dossier"].replace(" ", "").replace(".", "")
        suffix = f"-{match['suffix']}" if match["suffix"] else ""
        return format_dossier_number(digits + suffix), match["ondernummer"]

    def __repr__(self) -> str:
        return f"<Document {self.kamerstuk_id or self.title}>"


class Activity(Base):
    """The debate or meeting where a promise was made."""

    __tablename__ = "activity"

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Kind as the Kamer names it: "Commissiedebat", "Algemeen overleg", "Plenair debat" …
    kind: so.Mapped[str] = so.mapped_column(sa.String(100))
    #: Subject, e.g. "JBZ-raad van 7 en 8 maart 2019".
    title: so.Mapped[str] = so.mapped_column(sa.String(500))
    #: The (first) day of the meeting.
    date: so.Mapped[dt.date]
    #: The committee that held it; empty for plenary debates.
    committee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("committee.id", ondelete="RESTRICT"), index=True
    )
    #: The published report of the meeting, when there is one.
    report_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("document.id", ondelete="RESTRICT"), index=True
    )

    committee: so.Mapped[Committee | None] = so.relationship()
    report: so.Mapped[Document | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<Activity {self.kind} {self.date}>"


class CommitmentNumberSequence(Base):
    """The last number handed out for each year, so that parallel saves never pick the same one.

    ``services.next_commitment_number`` raises it with one atomic upsert; PostgreSQL makes a
    second transaction wait on the row until the first commits.
    """

    __tablename__ = "commitment_number_sequence"

    #: The year the promises were made in, e.g. 2019 for ``TZ-2019-…``.
    year: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: The highest sequence number handed out for that year (``TZ-2019-0007`` → 7).
    last_number: so.Mapped[int]


#: Digits each run of digits in a promise's number is padded to in its sort key.
NUMBER_KEY_DIGITS = 10
_DIGITS = re.compile(r"[0-9]+")


def number_sort_key(number: str) -> str:
    """``number`` as it sorts: every run of digits zero-padded to NUMBER_KEY_DIGITS, so that
    ``TZ-2015-10000`` comes after ``TZ-2015-9999`` (as text it came before ``TZ-2015-2000``).

    Numbers are ``TZ-<year>-<sequence>`` with the sequence written with at least four digits
    (services.next_commitment_number); the key leaves the numbers themselves alone.
    """
    return _DIGITS.sub(lambda digits: digits[0].rjust(NUMBER_KEY_DIGITS, "0"), number)


def _number_key_default(context: Any) -> str:
    """Column default of ``Commitment.number_key``: derived from the number being inserted,
    for inserts through the ORM and for bulk inserts (bench-data, restore) alike."""
    return number_sort_key(context.get_current_parameters()["number"])


#: The longest text a promise may have. Its column is TEXT; the bound keeps pages readable and
#: PostgreSQL's search vector of a promise far below its limit of 1 MB.
TEXT_MAX_LENGTH = 10_000
#: The longest internal note, and the longest note with a change in the history.
NOTE_MAX_LENGTH = 5_000


def is_overdue(status: CommitmentStatus, deadline: dt.date | None, today: dt.date) -> bool:
    """ "Te laat": still owed and past the deadline on ``today`` (DESIGN §3); also for rows
    read without the ORM (the exports)."""
    return status.is_outstanding and deadline is not None and deadline < today


class Commitment(Base):
    """A toezegging: a promise a minister or state secretary made to the Kamer."""

    __tablename__ = "commitment"
    __table_args__ = (
        # Status and deadline filters, reminder planning and the overview's overdue count per
        # ministry of the promises not hidden, which it answers from the index alone.
        sa.Index(
            "ix_commitment_status_deadline_ministry", "status", "deadline", "ministry_id", "hidden"
        ),
        # The overview's "recently fulfilled", last first, read from the index alone.
        sa.Index("ix_commitment_status_fulfilled_on", "status", "fulfilled_on", "id", "hidden"),
        # A ministry's list by status in deadline order, answered from the index alone (on
        # PostgreSQL too, which keeps no id in an index unless told: the page's ids come from it).
        sa.Index(
            "ix_commitment_ministry_status_deadline",
            "ministry_id",
            "status",
            "deadline",
            "number_key",
            "hidden",
            "id",
        ),
        # The default order (soonest deadline first, undated last, then by number), read from
        # the index on both databases: queries.commitments_query writes it as
        # ``deadline NULLS LAST, number_key``, which SQLite and PostgreSQL serve from it. The
        # columns after the order are what the list filters on most, so a deep page (OFFSET)
        # or a filter that few rows pass is counted off index entries, not table rows; the id
        # last, so that the page's ids are read from the index alone.
        sa.Index(
            "ix_commitment_deadline_number_key",
            "deadline",
            "number_key",
            "hidden",
            "status",
            "ministry_id",
            "id",
        ),
        sa.Index("ix_commitment_owner_id_status", "owner_id", "status"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The register's number, e.g. ``TZ-2019-0007``; assigned by the system, never reused.
    number: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    #: The number as it sorts (``number_sort_key``: ``TZ-0000002015-0000010000``), set from
    #: the number on every insert; lists order "by number" on this, never on the number's text.
    #: NULL is allowed only because SQLite cannot add a NOT NULL column to a filled table
    #: without rebuilding it (with its foreign keys and search triggers); none is ever NULL.
    number_key: so.Mapped[str] = so.mapped_column(
        sa.String(200), nullable=True, unique=True, index=True, default=_number_key_default
    )
    #: The Kamer's own number when known, e.g. ``TZ202412-116`` or ``T01237``.
    kamer_number: so.Mapped[str | None] = so.mapped_column(sa.String(40), unique=True)
    #: Short title for lists, e.g. "Nieuwe hervestigingsmissie".
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: The promise in the minister's own words; at most TEXT_MAX_LENGTH characters.
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    #: The day the promise was made (date of the letter or debate).
    made_on: so.Mapped[dt.date] = so.mapped_column(index=True)
    #: The document the promise was made in (a letter, or the report of a debate).
    source_document_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("document.id", ondelete="RESTRICT"), index=True
    )
    #: The debate or meeting where the promise was made.
    activity_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("activity.id", ondelete="RESTRICT"), index=True
    )
    #: The ministry that owns the promise.
    ministry_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ministry.id", ondelete="RESTRICT")
    )
    #: The minister or state secretary who answers for it.
    responsible_official_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("official.id", ondelete="RESTRICT"), index=True
    )
    #: The clerk who makes sure the follow-up letter is sent.
    owner_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The Kamerlid and fractie who asked for it, as free text, e.g. "Kuiken (PvdA)".
    requested_by: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: The Kamer committee the promise belongs to.
    committee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("committee.id", ondelete="RESTRICT"), index=True
    )
    #: The date the follow-up letter is due; empty while nobody has set one.
    deadline: so.Mapped[dt.date | None]
    #: The deadline as worded by the minister, e.g. "voor de zomer".
    deadline_phrase: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: Where the promise stands (DESIGN §3).
    status: so.Mapped[CommitmentStatus] = so.mapped_column(
        enum_column_type(CommitmentStatus, "commitment_status"), default=CommitmentStatus.OPEN
    )
    #: The Kamer's own word for the status when imported, e.g. "Afgedaan".
    kamer_status: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    #: The kind of activity where the promise was made, as the Eerste Kamer's register names
    #: it ("Soort activiteit"), e.g. "Plenair debat"; read from a sheet (DESIGN §13).
    kamer_activity_kind: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    #: The Eerste Kamer's category of the promise ("Categorie"), e.g. "Evaluatie".
    kamer_category: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    #: The Eerste Kamer's subjects ("Onderwerpen" or "Subcategorie") as it lists them, e.g.
    #: "Rechtspraak; Strafrecht".
    kamer_subjects: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    #: The letter that fulfils the promise.
    fulfilled_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("document.id", ondelete="RESTRICT"), index=True
    )
    #: The day it was fulfilled.
    fulfilled_on: so.Mapped[dt.date | None]
    #: Left out of every public page, file, feed and count, because the Kamer deleted it from
    #: its own registration (DESIGN §13); kept with its history, and staff still reach it.
    hidden: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    #: A note for the ministry only; never shown on public pages, files or feeds.
    internal_note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: Raised on every change, so that an edit based on an old version is refused.
    version: so.Mapped[int] = so.mapped_column(default=1)
    #: When the promise was entered in the register (UTC).
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: When anything about the promise last changed (UTC).
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    ministry: so.Mapped[Ministry] = so.relationship()
    responsible_official: so.Mapped[Official | None] = so.relationship()
    owner: so.Mapped[User | None] = so.relationship()
    committee: so.Mapped[Committee | None] = so.relationship()
    source_document: so.Mapped[Document | None] = so.relationship(foreign_keys=[source_document_id])
    activity: so.Mapped[Activity | None] = so.relationship()
    fulfilled_by: so.Mapped[Document | None] = so.relationship(foreign_keys=[fulfilled_by_id])
    events: so.WriteOnlyMapped[CommitmentEvent] = so.relationship(
        back_populates="commitment",
        order_by="CommitmentEvent.occurred_at, CommitmentEvent.id",
        passive_deletes="all",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - declarative reads it once

    def is_overdue(self, today: dt.date) -> bool:
        """Still owed and past its deadline on ``today`` (DESIGN §3)."""
        return is_overdue(self.status, self.deadline, today)

    def __repr__(self) -> str:
        return f"<Commitment {self.number}>"


class EventKind(enum.Enum):
    """What kind of change a history event records."""

    CREATED = "created"
    UPDATED = "updated"
    STATUS_CHANGED = "status_changed"
    DEADLINE_CHANGED = "deadline_changed"
    FULFILLED = "fulfilled"

    @property
    def label(self) -> str:
        return str(EVENT_KIND_LABELS[self])


EVENT_KIND_LABELS = {
    EventKind.CREATED: _l("Vastgelegd"),
    EventKind.UPDATED: _l("Gewijzigd"),
    EventKind.STATUS_CHANGED: _l("Status gewijzigd"),
    EventKind.DEADLINE_CHANGED: _l("Deadline gewijzigd"),
    EventKind.FULFILLED: _l("Voldaan"),
}

#: Fields whose old and new values are never shown outside the ministry.
INTERNAL_FIELDS = frozenset({"internal_note", "owner"})


class CommitmentEvent(Base):
    """One entry in a promise's history; append-only."""

    __tablename__ = "commitment_event"
    __table_args__ = (
        sa.Index("ix_commitment_event_commitment_id_occurred_at", "commitment_id", "occurred_at"),
    )

    #: Surrogate key; also orders events that share a timestamp.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The promise this event belongs to.
    commitment_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("commitment.id", ondelete="RESTRICT")
    )
    #: When the change was made (UTC).
    occurred_at: so.Mapped[dt.datetime] = so.mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )
    #: What kind of change this was.
    kind: so.Mapped[EventKind] = so.mapped_column(enum_column_type(EventKind, "event_kind"))
    #: The user who made the change; empty for the system (seed, import, scheduler).
    actor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Who made the change, kept as text so history survives the account.
    actor_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: The fields that changed: ``[{"field": …, "old": …, "new": …}]``, values as text.
    changes: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    #: Why the change was made, in the clerk's words.
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)

    commitment: so.Mapped[Commitment] = so.relationship(back_populates="events")
    actor: so.Mapped[User | None] = so.relationship()

    def public_changes(self) -> list[dict[str, Any]]:
        """The changes anyone may see: internal fields left out."""
        return [change for change in self.changes if change["field"] not in INTERNAL_FIELDS]

    def __repr__(self) -> str:
        return f"<CommitmentEvent {self.kind.value} on {self.commitment_id}>"


#: Dutch names of the fields a history event can mention.
FIELD_LABELS = {
    "title": _l("Titel"),
    "text": _l("Tekst"),
    "made_on": _l("Gedaan op"),
    "kamer_number": _l("Kamernummer"),
    "source_document": _l("Bron"),
    "activity": _l("Activiteit"),
    "ministry": _l("Ministerie"),
    "responsible_official": _l("Bewindspersoon"),
    "owner": _l("Eigenaar"),
    "requested_by": _l("Op verzoek van"),
    "committee": _l("Commissie"),
    "deadline": _l("Deadline"),
    "deadline_phrase": _l("Deadline (zoals verwoord)"),
    "status": _l("Status"),
    "kamer_status": _l("Status volgens de Kamer"),
    "kamer_activity_kind": _l("Soort activiteit"),
    "kamer_category": _l("Categorie"),
    "kamer_subjects": _l("Onderwerpen"),
    "fulfilled_by": _l("Voldaan met"),
    "fulfilled_on": _l("Voldaan op"),
    "internal_note": _l("Interne notitie"),
    "hidden": _l("Verborgen (verwijderd door de Kamer)"),
}


#: ``Table.info`` key of tables the database derives from others (by triggers): backups leave
#: them out, and a restore rebuilds them through the same triggers.
DERIVED = "derived"


class RegisterState(Base):
    """One row: the register's version, raised by database triggers on every statement that
    changes what the public pages show (promises, their history, ministries, officials,
    committees, documents, activities).

    Pages cached for anonymous readers are keyed on it, so a change made through any worker or
    host is seen on the very next request everywhere (DESIGN §6). The triggers are created by
    the migrations, not by the models.
    """

    __tablename__ = "register_state"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"), {"info": {DERIVED: True}})

    #: Always 1: there is one register.
    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: Raised by one for every changing statement; only ever compared for equality.
    version: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=1)


class CommitmentTally(Base):
    """How many promises each ministry has in each status, kept exact by database triggers in
    the transaction that changes a promise: the overview and the unfiltered list count from
    these few rows instead of the whole archive."""

    __tablename__ = "commitment_tally"
    __table_args__ = ({"info": {DERIVED: True}},)

    #: The ministry counted.
    ministry_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ministry.id", ondelete="CASCADE"), primary_key=True
    )
    #: The status counted.
    status: so.Mapped[CommitmentStatus] = so.mapped_column(
        enum_column_type(CommitmentStatus, "tally_status"), primary_key=True
    )
    #: How many of the ministry's promises have that status now.
    total: so.Mapped[int]


class CommitmentDeadlineTally(Base):
    """How many outstanding promises (open or partially fulfilled, not hidden) each ministry
    has per deadline month, kept exact by database triggers in the transaction that changes a
    promise, as ``CommitmentTally`` is. What is overdue changes with the day, but a month
    that has passed stays past: the overview adds the months before today's month from these
    rows and counts only this month's deadlines before today from the table (DESIGN §6)."""

    __tablename__ = "commitment_deadline_tally"
    __table_args__ = ({"info": {DERIVED: True}},)

    #: The ministry counted.
    ministry_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ministry.id", ondelete="CASCADE"), primary_key=True
    )
    #: The first day of the month the deadlines counted fall in.
    month: so.Mapped[dt.date] = so.mapped_column(primary_key=True)
    #: How many of the ministry's outstanding, not hidden promises have their deadline in that
    #: month now (rows are kept at 0 when the last one leaves).
    total: so.Mapped[int]
