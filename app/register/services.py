"""Every change to a promise goes through here, and every change writes a history event.

Functions flush so that ids and constraint errors show up at once, and never commit: the
request or job that calls them owns the transaction (one commit per request or per job).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app.dbtypes import utcnow
from app.extensions import db
from app.register import clock, notes
from app.register.models import (
    TEXT_MAX_LENGTH,
    Commitment,
    CommitmentEvent,
    CommitmentNumberSequence,
    CommitmentStatus,
    Document,
    DocumentKind,
    EventKind,
    Official,
    number_sort_key,
)
from app.register.signals import commitment_changed

if TYPE_CHECKING:
    # Users live in app.auth, a layer above the register: the register names them only
    # for type checking, and SQLAlchemy finds the mapped class "User" by name.
    from app.auth.models import User

logger = logging.getLogger(__name__)

#: Where Kamerstukken are published, by their id.
OFFICIAL_PUBLICATION_URL = "https://zoek.officielebekendmakingen.nl/{kamerstuk_id}.html"

#: Changes followers hear about.
NOTIFYING_KINDS = frozenset(
    {EventKind.STATUS_CHANGED, EventKind.DEADLINE_CHANGED, EventKind.FULFILLED}
)

#: The name written in history when the system, not a person, makes a change.
SYSTEM_ACTOR = notes.SYSTEM_ACTOR

#: Fields whose change followers hear about, whatever else changed in the same save.
NOTIFYING_FIELDS = frozenset({"status", "deadline", "deadline_phrase", "fulfilled_by"})

#: The deadline's own fields: a save that changes only these is a deadline change.
DEADLINE_FIELDS = frozenset({"deadline", "deadline_phrase"})

#: Fields that :func:`update_commitment` may change; status and fulfilment have their own
#: functions because each needs its own rules and its own kind of history event.
EDITABLE_FIELDS = DEADLINE_FIELDS | frozenset(
    {
        "title",
        "text",
        "made_on",
        "kamer_number",
        "source_document",
        "activity",
        "ministry",
        "responsible_official",
        "owner",
        "requested_by",
        "committee",
        "internal_note",
        "kamer_activity_kind",
        "kamer_category",
        "kamer_subjects",
    }
)


class StaleCommitmentError(Exception):
    """The change was based on a version of the promise that someone else has since changed."""

    def __init__(
        self, commitment: Commitment, expected_version: int, *, number: str | None = None
    ) -> None:
        # After a failed flush the session refuses attribute loads: callers pass what they read.
        super().__init__(
            f"{number or commitment.number} is gewijzigd door iemand anders "
            f"(uw versie {expected_version})."
        )
        self.commitment = commitment
        self.expected_version = expected_version


class CommitmentRuleError(ValueError):
    """A change that the register's rules do not allow; the message is for the user."""


def _check_text(text: str) -> None:
    """A promise's text fits the register (TEXT_MAX_LENGTH); forms say so first, this guards
    the other ways in, such as a long sentence taken over from a letter."""
    if len(text.strip()) > TEXT_MAX_LENGTH:
        raise CommitmentRuleError(
            _(
                "De tekst van een toezegging is hoogstens %(max)s tekens; deze is %(length)s.",
                max=format_decimal(TEXT_MAX_LENGTH),
                length=format_decimal(len(text.strip())),
            )
        )


def next_commitment_number(year: int) -> str:
    """The next free number for promises made in ``year``, e.g. ``TZ-2019-0008``.

    One INSERT … ON CONFLICT DO UPDATE … RETURNING: atomic, so two saves at the same moment get
    two numbers. A year's first number continues after any promise already numbered in it.
    """
    [number] = reserve_commitment_numbers(year, 1)
    return number


def reserve_commitment_numbers(year: int, count: int) -> list[str]:
    """``count`` consecutive free numbers for promises made in ``year``, reserved at once (as
    :func:`next_commitment_number` reserves one)."""
    prefix = f"TZ-{year}-"
    # The highest by number_key, not by text: TZ-2015-10000 is past TZ-2015-9999.
    highest = db.session.scalar(
        sa.select(Commitment.number)
        .where(Commitment.number.startswith(prefix))
        .order_by(Commitment.number_key.desc())
        .limit(1)
    )
    first = int(highest.removeprefix(prefix)) + 1 if highest else 1
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    sequence_row = CommitmentNumberSequence
    statement = (
        insert(sequence_row)
        .values(year=year, last_number=first + count - 1)
        .on_conflict_do_update(
            index_elements=["year"], set_={"last_number": sequence_row.last_number + count}
        )
        .returning(sequence_row.last_number)
    )
    last: int = db.session.execute(statement).scalar_one()
    return [f"{prefix}{sequence:04d}" for sequence in range(last - count + 1, last + 1)]


#: The columns :func:`create_commitments` accepts besides title, text, made_on and ministry_id.
BULK_FIELDS = frozenset(
    {
        "status",
        "kamer_status",
        "kamer_number",
        "deadline",
        "deadline_phrase",
        "responsible_official_id",
        "requested_by",
        "committee_id",
        "hidden",
        "source_document_id",
        "kamer_activity_kind",
        "kamer_category",
        "kamer_subjects",
    }
)


def create_commitments(
    items: Sequence[Mapping[str, Any]], *, note: str | None = None, actor: User | None = None
) -> list[int]:
    """Register many new promises at once, for imports: the same rows and the same first
    history event (by ``actor``, or the system) as :func:`create_commitment` gives each,
    written in a few statements. Each item holds ``title``, ``text``, ``made_on``,
    ``ministry_id`` and any of ``BULK_FIELDS``. Returns the new promises' ids, in the order
    of ``items``.
    """
    if not items:
        return []
    rows: list[dict[str, Any]] = []
    for item in items:
        unknown = set(item) - BULK_FIELDS - {"title", "text", "made_on", "ministry_id"}
        if unknown:
            raise TypeError(f"Unknown commitment fields: {', '.join(sorted(unknown))}")
        _check_text(item["text"])
        row = dict.fromkeys(BULK_FIELDS)
        row.update(item)
        row.update(
            hidden=bool(item.get("hidden")),
            title=item["title"].strip(),
            text=item["text"].strip(),
            status=item.get("status") or CommitmentStatus.OPEN,
            deadline_phrase=(item.get("deadline_phrase") or "").strip() or None,
        )
        rows.append(row)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_year.setdefault(row["made_on"].year, []).append(row)
    for year, of_year in by_year.items():
        for row, number in zip(
            of_year, reserve_commitment_numbers(year, len(of_year)), strict=True
        ):
            row["number"] = number
    now = utcnow()
    for row in rows:
        row.update(
            version=1, created_at=now, updated_at=now, number_key=number_sort_key(row["number"])
        )
        row.setdefault("owner_id", None)
    # Core, not the ORM: every column given, so the rows go in batches of many VALUES.
    table = db.metadata.tables[Commitment.__tablename__]
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    ids = list(db.session.connection().execute(statement, rows).scalars())
    events = [
        {
            "commitment_id": commitment_id,
            "occurred_at": now,
            "kind": EventKind.CREATED,
            "actor_id": actor.id if actor else None,
            "actor_name": actor.name if actor else SYSTEM_ACTOR,
            "changes": [
                _change(field, None, row[field])
                for field in ("title", "status", "deadline", "deadline_phrase")
            ],
            "note": (note or "").strip() or None,
        }
        for commitment_id, row in zip(ids, rows, strict=True)
    ]
    db.session.connection().execute(
        db.metadata.tables[CommitmentEvent.__tablename__].insert(), events
    )
    logger.info("Registered %s promises at once", len(ids))
    return ids


def create_commitment(
    *,
    title: str,
    text: str,
    made_on: dt.date,
    ministry: Any,
    actor: User | None = None,
    note: str | None = None,
    status: CommitmentStatus = CommitmentStatus.OPEN,
    **fields: Any,
) -> Commitment:
    """Register a new promise and write its first history event."""
    unknown = set(fields) - EDITABLE_FIELDS - {"kamer_status"}
    if unknown:
        raise TypeError(f"Unknown commitment fields: {', '.join(sorted(unknown))}")
    _check_text(text)
    _check_owner(fields.get("owner"))
    commitment = Commitment(
        number=next_commitment_number(made_on.year),
        title=title.strip(),
        text=text.strip(),
        made_on=made_on,
        ministry=ministry,
        status=status,
        **fields,
    )
    db.session.add(commitment)
    db.session.flush()
    initial = {
        "title": commitment.title,
        "status": commitment.status,
        "deadline": commitment.deadline,
        "deadline_phrase": commitment.deadline_phrase,
    }
    _record(
        commitment,
        EventKind.CREATED,
        [_change(f, None, v) for f, v in initial.items()],
        actor=actor,
        note=note,
    )
    logger.info("Registered %s (%s)", commitment.number, commitment.title)
    return commitment


def update_commitment(
    commitment: Commitment,
    values: Mapping[str, Any],
    *,
    actor: User | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> CommitmentEvent | None:
    """Save an edit of a promise as one history event; None when nothing changed.

    The deadline may change in the same save: the event is then a deadline change when
    nothing else changed, and an update otherwise (followers hear of it either way).
    """
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable through update_commitment: {', '.join(sorted(unknown))}")
    values = dict(values)
    if "text" in values:
        _check_text(values["text"])
    if "deadline_phrase" in values:
        values["deadline_phrase"] = (values["deadline_phrase"] or "").strip() or None
    changed = {field for field, new in values.items() if getattr(commitment, field) != new}
    only_deadline = bool(changed) and changed <= DEADLINE_FIELDS
    kind = EventKind.DEADLINE_CHANGED if only_deadline else EventKind.UPDATED
    return _apply(commitment, kind, values, actor, note, expected_version)


def change_status(
    commitment: Commitment,
    status: CommitmentStatus,
    *,
    note: str,
    actor: User | None = None,
    kamer_status: str | None = None,
    expected_version: int | None = None,
) -> CommitmentEvent | None:
    """Move a promise to another status; a note saying why is required."""
    if not note or not note.strip():
        raise CommitmentRuleError(_("Geef bij een statuswijziging een toelichting."))
    values: dict[str, Any] = {"status": status}
    if kamer_status is not None:
        values["kamer_status"] = kamer_status
    if not status.is_outstanding and status is not CommitmentStatus.FULFILLED:
        values.update(fulfilled_by=None, fulfilled_on=None)
    return _apply(commitment, EventKind.STATUS_CHANGED, values, actor, note, expected_version)


def set_hidden(
    commitment: Commitment, hidden: bool, *, note: str, actor: User | None = None
) -> CommitmentEvent | None:
    """Take a promise out of public view, or show it again (DESIGN §13); a note says why."""
    return _apply(commitment, EventKind.UPDATED, {"hidden": hidden}, actor, note, None)


def change_deadline(
    commitment: Commitment,
    deadline: dt.date | None,
    deadline_phrase: str | None,
    *,
    actor: User | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> CommitmentEvent | None:
    """Set a new deadline; the old one stays visible in the history."""
    values = {"deadline": deadline, "deadline_phrase": (deadline_phrase or "").strip() or None}
    return _apply(commitment, EventKind.DEADLINE_CHANGED, values, actor, note, expected_version)


def mark_fulfilled(
    commitment: Commitment,
    document: Document,
    *,
    fulfilled_on: dt.date | None = None,
    partially: bool = False,
    actor: User | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> CommitmentEvent | None:
    """Record the letter that (partially) fulfils a promise that is still owed."""
    if not commitment.status.is_outstanding:
        raise CommitmentRuleError(
            _(
                "Deze toezegging is %(status)s; zet de status eerst terug op openstaand als er "
                "toch nog iets moet gebeuren.",
                status=commitment.status.label.lower(),
            )
        )
    fulfilled_on = fulfilled_on or document.date
    problem = fulfilment_problem(commitment.made_on, fulfilled_on)
    if problem is not None:
        raise CommitmentRuleError(problem)
    assert fulfilled_on is not None
    status = CommitmentStatus.PARTIALLY_FULFILLED if partially else CommitmentStatus.FULFILLED
    values = {"status": status, "fulfilled_by": document, "fulfilled_on": fulfilled_on}
    return _apply(commitment, EventKind.FULFILLED, values, actor, note, expected_version)


def fulfilment_problem(made_on: dt.date, fulfilled_on: dt.date | None) -> str | None:
    """What is wrong with fulfilling a promise made on ``made_on`` on ``fulfilled_on``, in
    Dutch; None when nothing is. :func:`mark_fulfilled` refuses what this names, and a sheet's
    preview says it before anything is written."""
    if fulfilled_on is None:
        return str(_("Geef de datum waarop de toezegging is voldaan."))
    if fulfilled_on > clock.today():
        return str(_("Een toezegging kan niet voldaan zijn op een dag die nog moet komen."))
    if fulfilled_on < made_on:
        return str(_("Een toezegging kan niet zijn voldaan vóór de dag waarop zij is gedaan."))
    return None


def _apply(
    commitment: Commitment,
    kind: EventKind,
    values: Mapping[str, Any],
    actor: User | None,
    note: str | None,
    expected_version: int | None,
) -> CommitmentEvent | None:
    """The one place a promise changes: check the version, set the values, record the event."""
    version_read, number = commitment.version, commitment.number
    if expected_version is not None and expected_version != version_read:
        raise StaleCommitmentError(commitment, expected_version)
    changes = []
    for field, new in values.items():
        old = getattr(commitment, field)
        if old != new:
            if field == "owner":
                _check_owner(new)
            changes.append(_change(field, old, new))
            setattr(commitment, field, new)
    if not changes and not (note and note.strip()):
        return None
    try:
        event = _record(commitment, kind, changes, actor=actor, note=note)
    except so.exc.StaleDataError:
        # Another transaction saved the same version between our read and this write.
        raise StaleCommitmentError(commitment, version_read, number=number) from None
    logger.info(
        "%s: %s (%s)",
        commitment.number,
        kind.value,
        ", ".join(change["field"] for change in changes) or "note only",
    )
    return event


def _check_owner(owner: User | None) -> None:
    """Reminders go to the owner: a deactivated account can no longer become one."""
    if owner is not None and not owner.active:
        raise CommitmentRuleError(_("Dit account is niet meer actief; kies een andere eigenaar."))


def _record(
    commitment: Commitment,
    kind: EventKind,
    changes: list[dict[str, Any]],
    *,
    actor: User | None,
    note: str | None,
) -> CommitmentEvent:
    event = CommitmentEvent(
        commitment=commitment,
        kind=kind,
        actor=actor,
        actor_name=actor.name if actor else SYSTEM_ACTOR,
        changes=changes,
        note=(note or "").strip() or None,
    )
    db.session.add(event)
    db.session.flush()
    if kind in NOTIFYING_KINDS or any(change["field"] in NOTIFYING_FIELDS for change in changes):
        commitment_changed.send(event)
    return event


def _change(field: str, old: Any, new: Any) -> dict[str, Any]:
    return {"field": field, "old": _as_text(old), "new": _as_text(new)}


def _as_text(value: Any) -> str | None:
    """How a value is kept in history: plain text that outlives the rows it names."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Document):
        return value.kamerstuk_label or value.title
    for attribute in ("code", "name", "title"):
        if hasattr(value, attribute) and not isinstance(value, str):
            return str(getattr(value, attribute))
    return str(value)


def find_document(reference: str) -> Document | None:
    """The registered Kamerstuk for ``32 735, nr. 243`` or ``kst-32735-243``, if any."""
    dossier, ondernummer = Document.parse_reference(reference)
    statement = sa.select(Document).where(
        Document.dossier_number == dossier, Document.ondernummer == ondernummer
    )
    return db.session.scalars(statement).one_or_none()


def register_document(
    reference: str,
    *,
    title: str,
    date: dt.date | None,
    kind: DocumentKind = DocumentKind.LETTER,
    url: str | None = None,
) -> Document:
    """Add a Kamerstuk to the register; refuses one that is already there."""
    dossier, ondernummer = Document.parse_reference(reference)
    if find_document(reference) is not None:
        raise CommitmentRuleError(
            _(
                "Kamerstuk %(dossier)s, nr. %(ondernummer)s staat al in het register.",
                dossier=dossier,
                ondernummer=ondernummer,
            )
        )
    if not title.strip():
        raise CommitmentRuleError(_("Geef de titel van het nieuwe Kamerstuk."))
    document = Document(
        kind=kind,
        dossier_number=dossier,
        ondernummer=ondernummer,
        title=title.strip(),
        date=date,
        url=url
        or OFFICIAL_PUBLICATION_URL.format(
            kamerstuk_id=f"kst-{dossier.replace(' ', '')}-{ondernummer}"
        ),
    )
    db.session.add(document)
    db.session.flush()
    logger.info("Registered document %s", document.kamerstuk_id)
    return document


def cited_document(
    citation: str, *, date: dt.date | None = None, kind: DocumentKind = DocumentKind.OTHER
) -> Document:
    """The document a sheet names (DESIGN §13), registered when it is not there yet: a
    Kamerstuk as people write it (``32 735, nr. 243``, ``kst-32735-243``) by its number,
    registered under that number as its title until someone gives it a better one; any other
    text ("Commissiedebat Vreemdelingen- en asielbeleid") as a document outside a dossier with
    that title."""
    citation = " ".join(citation.split())
    try:
        dossier, ondernummer = Document.parse_reference(citation)
    except ValueError:
        return document_outside_dossier(citation, date=date, kind=kind)
    label = f"{dossier}, nr. {ondernummer}"
    return find_document(label) or register_document(label, title=label, date=date, kind=kind)


def document_outside_dossier(
    title: str,
    *,
    date: dt.date | None = None,
    kind: DocumentKind = DocumentKind.OTHER,
    same_date: bool = False,
) -> Document:
    """The document without a Kamerstuk number that has this title (and, ``same_date``, this
    date: a letter read before it was numbered), registered when it is not there."""
    statement = sa.select(Document).where(
        Document.dossier_number.is_(None),
        Document.ondernummer.is_(None),
        Document.title == title,
    )
    if same_date:
        statement = statement.where(Document.date == date)
    found = db.session.scalars(statement.order_by(Document.id)).first()
    if found is not None:
        return found
    document = Document(kind=kind, title=title, date=date)
    db.session.add(document)
    db.session.flush()
    logger.info("Registered document %s", document.title)
    return document


def save_reference(model: type[Any], item: Any | None, values: Mapping[str, Any]) -> Any:
    """Add (``item`` None) or change a ministry, official, committee or document.

    Refuses what would be there twice and an official whose term ends before it starts.
    """
    if model is Official:
        starts, ends = values.get("active_from"), values.get("active_to")
        if starts and ends and ends < starts:
            raise CommitmentRuleError(_("De einddatum ligt vóór de begindatum."))
    item = item if item is not None else model()
    for field, value in values.items():
        setattr(item, field, value)
    db.session.add(item)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        raise CommitmentRuleError(_("Dit bestaat al in het register.")) from None
    logger.info("Saved %s %s", model.__name__, item.id)
    return item


def suggest_title(text: str, max_length: int = 80) -> str:
    """A short title from the promise's words: the first clause, cut at a word boundary."""
    words = " ".join(text.split())
    for separator in (". ", "; ", ": "):
        words = words.split(separator)[0]
    words = words.rstrip(".")
    if len(words) <= max_length:
        return words[:1].upper() + words[1:]
    cut = words[:max_length].rsplit(" ", 1)[0]
    return cut[:1].upper() + cut[1:] + "…"
