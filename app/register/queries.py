"""Read-side queries over the register, shared by the pages, files and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db, renew_query_deadline
from app.inputs import has_invalid_characters
from app.register.models import (
    OUTSTANDING_STATUSES,
    Activity,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Committee,
    Document,
    EventKind,
    Ministry,
    Official,
)
from app.register.search import apply_search

#: The orders a list can be sorted in; "relevance" only applies while searching.
SORT_ORDERS = ("deadline", "made_on", "number", "relevance")


@dataclass(frozen=True)
class CommitmentFilter:
    """Which promises to list; every part is optional and they combine with AND.

    Within one part several values mean OR: two statuses list promises with either status.
    """

    statuses: Sequence[CommitmentStatus] = field(default_factory=tuple)
    ministry_codes: Sequence[str] = field(default_factory=tuple)
    committee_ids: Sequence[int] = field(default_factory=tuple)
    official_ids: Sequence[int] = field(default_factory=tuple)
    #: Words that must occur in "requested by" (a Kamerlid's name or a fractie).
    requested_by: str = ""
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    made_from: dt.date | None = None
    made_to: dt.date | None = None
    overdue_only: bool = False
    search: str = ""
    #: One of SORT_ORDERS, optionally with "-" in front for descending; empty for the default
    #: (relevance while searching, otherwise soonest deadline first).
    sort: str = ""


def commitments_query(filters: CommitmentFilter, today: dt.date) -> sa.Select[tuple[Commitment]]:
    """Promises matching ``filters`` in the asked order, with what lists show loaded."""
    statement = sa.select(Commitment).options(*list_loader_options())
    statement, rank = _matching(statement, filters, today)
    return statement.order_by(*_ordering(filters.sort, rank))


_Select = TypeVar("_Select", bound=sa.Select[Any])


def _matching(
    statement: _Select, filters: CommitmentFilter, today: dt.date
) -> tuple[_Select, sa.ColumnElement[float] | None]:
    """``statement`` (which selects from ``commitment``) narrowed to the promises matching
    ``filters``, and the search rank to sort by (None when not searching)."""
    if filters.statuses:
        statement = statement.where(Commitment.status.in_(filters.statuses))
    if filters.ministry_codes:
        statement = statement.where(
            Commitment.ministry_id.in_(
                sa.select(Ministry.id).where(Ministry.code.in_(filters.ministry_codes))
            )
        )
    if filters.committee_ids:
        statement = statement.where(Commitment.committee_id.in_(filters.committee_ids))
    if filters.official_ids:
        statement = statement.where(Commitment.responsible_official_id.in_(filters.official_ids))
    for word in filters.requested_by.split():
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(Commitment.requested_by.ilike(pattern, escape="\\"))
    if filters.deadline_from:
        statement = statement.where(Commitment.deadline >= filters.deadline_from)
    if filters.deadline_to:
        statement = statement.where(Commitment.deadline <= filters.deadline_to)
    if filters.made_from:
        statement = statement.where(Commitment.made_on >= filters.made_from)
    if filters.made_to:
        statement = statement.where(Commitment.made_on <= filters.made_to)
    if filters.overdue_only:
        statement = statement.where(overdue_clause(today))
    dialect = db.session.get_bind().dialect.name
    return apply_search(statement, dialect, filters.search)


def _ordering(sort: str, rank: sa.ColumnElement[float] | None) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.removeprefix("-") or ("relevance" if rank is not None else "deadline")
    if key == "relevance" and rank is not None:
        return [rank, Commitment.number]
    if key == "made_on":
        column = Commitment.made_on.desc() if descending else Commitment.made_on
        return [column, Commitment.number]
    if key == "number":
        return [Commitment.number.desc() if descending else Commitment.number]
    deadline = Commitment.deadline.desc() if descending else Commitment.deadline
    return [Commitment.deadline.is_(None), deadline, Commitment.number]


def overdue_clause(today: dt.date) -> sa.ColumnElement[bool]:
    """SQL for "te laat": still owed and past the deadline (DESIGN §3)."""
    return sa.and_(
        Commitment.status.in_(OUTSTANDING_STATUSES),
        # Spelled out so that NOT(overdue) is true, not NULL, for promises without a deadline.
        Commitment.deadline.is_not(None),
        Commitment.deadline < today,
    )


def list_loader_options() -> list[so.interfaces.LoaderOption]:
    """Load what a list row shows in a fixed number of queries, whatever the page size."""
    return [
        so.selectinload(Commitment.ministry),
        so.selectinload(Commitment.responsible_official),
        so.selectinload(Commitment.committee),
        so.selectinload(Commitment.source_document),
        so.selectinload(Commitment.fulfilled_by),
        so.selectinload(Commitment.owner),
    ]


def commitment_by_number(number: str) -> Commitment | None:
    """The promise with this number; None for a number no promise can have (PostgreSQL
    refuses a NUL in a string, so such a key is never sent to the database)."""
    if has_invalid_characters(number):
        return None
    statement = (
        sa.select(Commitment)
        .where(Commitment.number == number)
        .options(
            *list_loader_options(),
            so.selectinload(Commitment.activity).selectinload(Activity.report),
        )
    )
    return db.session.scalars(statement).one_or_none()


def commitments_matching(filters: CommitmentFilter, today: dt.date, limit: int) -> list[Commitment]:
    """At most ``limit`` promises matching ``filters``, in the asked order."""
    return list(db.session.scalars(commitments_query(filters, today).limit(limit)))


class ExportRow(NamedTuple):
    """What a file row (CSV, Excel) shows of one promise, read without the ORM."""

    number: str
    kamer_number: str | None
    title: str
    text: str
    status: CommitmentStatus
    deadline: dt.date | None
    deadline_phrase: str | None
    made_on: dt.date
    ministry_code: str
    official_name: str | None
    official_function: str | None
    committee_name: str | None
    requested_by: str | None
    source_dossier_number: str | None
    source_ondernummer: str | None
    source_title: str | None
    fulfilled_by_dossier_number: str | None
    fulfilled_by_ondernummer: str | None
    fulfilled_by_title: str | None
    fulfilled_on: dt.date | None


def export_rows(filters: CommitmentFilter, today: dt.date, batch_size: int) -> Iterator[ExportRow]:
    """Every promise matching ``filters``, in the asked order, read ``batch_size`` rows at a
    time (a server-side cursor on PostgreSQL): one query with the joins the columns need, so a
    file of the whole register takes constant memory. Never the owner (a civil servant)."""
    source = so.aliased(Document, name="source_document")
    fulfilling = so.aliased(Document, name="fulfilling_document")
    statement = (
        sa.select(
            Commitment.number,
            Commitment.kamer_number,
            Commitment.title,
            Commitment.text,
            Commitment.status,
            Commitment.deadline,
            Commitment.deadline_phrase,
            Commitment.made_on,
            Ministry.code,
            Official.name,
            Official.function,
            Committee.name,
            Commitment.requested_by,
            source.dossier_number,
            source.ondernummer,
            source.title,
            fulfilling.dossier_number,
            fulfilling.ondernummer,
            fulfilling.title,
            Commitment.fulfilled_on,
        )
        .select_from(Commitment)
        .join(Ministry, Ministry.id == Commitment.ministry_id)
        .outerjoin(Official, Official.id == Commitment.responsible_official_id)
        .outerjoin(Committee, Committee.id == Commitment.committee_id)
        .outerjoin(source, source.id == Commitment.source_document_id)
        .outerjoin(fulfilling, fulfilling.id == Commitment.fulfilled_by_id)
    )
    statement, rank = _matching(statement, filters, today)
    statement = statement.order_by(*_ordering(filters.sort, rank))
    return (ExportRow._make(row) for row in _in_batches(statement, batch_size))


class CalendarRow(NamedTuple):
    """What a calendar event shows of one promise with a deadline."""

    number: str
    title: str
    text: str
    deadline: dt.date
    deadline_phrase: str | None
    status: CommitmentStatus
    updated_at: dt.datetime
    version: int


def calendar_rows(
    filters: CommitmentFilter, today: dt.date, batch_size: int
) -> Iterator[CalendarRow]:
    """Every promise with a deadline matching ``filters``, in the asked order, in batches."""
    statement = sa.select(
        Commitment.number,
        Commitment.title,
        Commitment.text,
        Commitment.deadline,
        Commitment.deadline_phrase,
        Commitment.status,
        Commitment.updated_at,
        Commitment.version,
    ).where(Commitment.deadline.is_not(None))
    statement, rank = _matching(statement, filters, today)
    statement = statement.order_by(*_ordering(filters.sort, rank))
    return (CalendarRow._make(row) for row in _in_batches(statement, batch_size))


def _in_batches(statement: sa.Select[Any], batch_size: int) -> Iterator[sa.Row[Any]]:
    """The rows of ``statement``, fetched ``batch_size`` at a time from one cursor; each batch
    gets the request's query time limit anew (app.extensions.renew_query_deadline).

    Nothing runs until the first row is asked for: a streamed response reads it after the
    view has returned, in a database session of its own (Flask ends the view's session when
    the view returns, and a server-side cursor with it)."""
    connection = db.session.connection()
    result = connection.execute(statement, execution_options={"yield_per": batch_size})
    try:
        while rows := result.fetchmany(batch_size):
            yield from rows
            renew_query_deadline(connection)
    finally:
        result.close()


@dataclass(frozen=True)
class FeedPage:
    """One page of the Atom feed: its events, newest first, and whether older ones follow."""

    events: list[CommitmentEvent]
    has_older: bool


def feed_page(
    filters: CommitmentFilter,
    today: dt.date,
    kinds: Sequence[EventKind],
    limit: int,
    before: CommitmentEvent | None = None,
) -> FeedPage:
    """The newest ``limit`` events of the given kinds on promises matching ``filters``; with
    ``before``, the newest of those older than that event (newest first is occurred_at, then
    id, both descending: the order a paged feed walks)."""
    statement = (
        sa.select(CommitmentEvent)
        .join(Commitment, Commitment.id == CommitmentEvent.commitment_id)
        .where(CommitmentEvent.kind.in_(kinds))
    )
    statement, _rank = _matching(statement, filters, today)
    if before is not None:
        statement = statement.where(
            sa.or_(
                CommitmentEvent.occurred_at < before.occurred_at,
                sa.and_(
                    CommitmentEvent.occurred_at == before.occurred_at,
                    CommitmentEvent.id < before.id,
                ),
            )
        )
    statement = (
        statement.options(
            so.contains_eager(CommitmentEvent.commitment).selectinload(Commitment.ministry)
        )
        .order_by(CommitmentEvent.occurred_at.desc(), CommitmentEvent.id.desc())
        .limit(limit + 1)
    )
    events = list(db.session.scalars(statement))
    return FeedPage(events=events[:limit], has_older=len(events) > limit)


def event_by_id(event_id: int) -> CommitmentEvent | None:
    """One history event, e.g. the cursor of a feed page."""
    return db.session.get(CommitmentEvent, event_id)


def history(commitment: Commitment) -> list[CommitmentEvent]:
    """The promise's events, oldest first."""
    return list(db.session.scalars(commitment.events.select()).all())


def status_counts() -> dict[CommitmentStatus, int]:
    rows = db.session.execute(
        sa.select(Commitment.status, sa.func.count()).group_by(Commitment.status)
    ).all()
    counts = dict.fromkeys(CommitmentStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def overdue_count(today: dt.date) -> int:
    statement = sa.select(sa.func.count()).select_from(Commitment).where(overdue_clause(today))
    return db.session.scalar(statement) or 0


def upcoming_deadlines(today: dt.date, limit: int = 5) -> list[Commitment]:
    statement = (
        sa.select(Commitment)
        .where(Commitment.status.in_(OUTSTANDING_STATUSES), Commitment.deadline >= today)
        .options(*list_loader_options())
        .order_by(Commitment.deadline, Commitment.number)
        .limit(limit)
    )
    return list(db.session.scalars(statement).all())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_commitments_of(user_id: int) -> list[Commitment]:
    """A clerk's outstanding promises: overdue first, then by deadline, undated last."""
    statement = (
        sa.select(Commitment)
        .where(Commitment.owner_id == user_id, Commitment.status.in_(OUTSTANDING_STATUSES))
        .options(*list_loader_options())
        .order_by(Commitment.deadline.is_(None), Commitment.deadline, Commitment.number)
    )
    return list(db.session.scalars(statement).all())


def without_owner_or_deadline(ministry_id: int | None, limit: int = 50) -> list[Commitment]:
    """Outstanding promises nobody looks after or nobody dated; ``None`` means every ministry."""
    statement = (
        sa.select(Commitment)
        .where(
            Commitment.status.in_(OUTSTANDING_STATUSES),
            sa.or_(Commitment.owner_id.is_(None), Commitment.deadline.is_(None)),
        )
        .options(*list_loader_options())
        .order_by(Commitment.made_on, Commitment.number)
        .limit(limit)
    )
    if ministry_id is not None:
        statement = statement.where(Commitment.ministry_id == ministry_id)
    return list(db.session.scalars(statement).all())


def recently_changed(ministry_id: int | None, limit: int = 10) -> list[Commitment]:
    statement = (
        sa.select(Commitment)
        .options(*list_loader_options())
        .order_by(Commitment.updated_at.desc(), Commitment.number)
        .limit(limit)
    )
    if ministry_id is not None:
        statement = statement.where(Commitment.ministry_id == ministry_id)
    return list(db.session.scalars(statement).all())


@dataclass(frozen=True)
class MinistryTally:
    """Per ministry: how many promises are open (in time), overdue and fulfilled."""

    code: str
    name: str
    open: int
    overdue: int
    fulfilled: int

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.fulfilled


def tally_by_ministry(today: dt.date) -> list[MinistryTally]:
    """One query: the overview's chart data, ministries with no promises left out."""
    overdue = overdue_clause(today)
    outstanding = Commitment.status.in_(OUTSTANDING_STATUSES)
    rows = db.session.execute(
        sa.select(
            Ministry.code,
            Ministry.name,
            sa.func.count().filter(sa.and_(outstanding, sa.not_(overdue))),
            sa.func.count().filter(overdue),
            sa.func.count().filter(Commitment.status == CommitmentStatus.FULFILLED),
        )
        .join(Commitment, Commitment.ministry_id == Ministry.id)
        .group_by(Ministry.id, Ministry.code, Ministry.name)
        .order_by(Ministry.code)
    ).all()
    return [MinistryTally(*row) for row in rows]


def recently_fulfilled(limit: int = 5) -> list[Commitment]:
    statement = (
        sa.select(Commitment)
        .where(Commitment.status == CommitmentStatus.FULFILLED)
        .options(*list_loader_options())
        .order_by(Commitment.fulfilled_on.desc().nulls_last(), Commitment.number.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement).all())


# Reference data, for the choices forms offer.


def ministries_by_name() -> list[Ministry]:
    return list(db.session.scalars(sa.select(Ministry).order_by(Ministry.name)))


def ministries_by_code() -> list[Ministry]:
    return list(db.session.scalars(sa.select(Ministry).order_by(Ministry.code)))


def ministry_by_code(code: str) -> Ministry | None:
    if has_invalid_characters(code):
        return None
    return db.session.scalars(sa.select(Ministry).where(Ministry.code == code)).first()


def officials_of(ministry_id: int | None) -> list[Official]:
    """The ministers and state secretaries of one ministry, by name."""
    statement = sa.select(Official).where(Official.ministry_id == ministry_id)
    return list(db.session.scalars(statement.order_by(Official.name)))


def committees_by_name() -> list[Committee]:
    return list(db.session.scalars(sa.select(Committee).order_by(Committee.name)))


def recent_activities(limit: int = 200) -> list[Activity]:
    """The latest debates and meetings, newest first: what a promise's form offers."""
    statement = sa.select(Activity).order_by(Activity.date.desc()).limit(limit)
    return list(db.session.scalars(statement))


def count_of(model: type[Any]) -> int:
    """How many rows a table of reference data has."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def all_of(model: type[Any], order_by: Any) -> list[Any]:
    """Every row of a table of reference data, in the given order."""
    return list(db.session.scalars(sa.select(model).order_by(order_by)))


def filter_choices() -> dict[str, list[Any]]:
    """What the list's filters offer: ministries, committees and officials, one query each."""
    return {
        "ministries": list(db.session.scalars(sa.select(Ministry).order_by(Ministry.code))),
        "committees": list(db.session.scalars(sa.select(Committee).order_by(Committee.name))),
        "officials": list(
            db.session.scalars(
                sa.select(Official)
                .options(so.selectinload(Official.ministry))
                .order_by(Official.name)
            )
        ),
    }


def last_change() -> dt.datetime | None:
    """When anything in the register last changed: for Last-Modified on pages and files."""
    return db.session.scalar(sa.select(sa.func.max(Commitment.updated_at)))
