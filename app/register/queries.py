"""Read-side queries over the register, shared by the pages, files and the API."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db, renew_query_deadline
from app.inputs import has_invalid_characters
from app.register.inline import inline_number
from app.register.models import (
    OUTSTANDING_STATUSES,
    Activity,
    Citable,
    Commitment,
    CommitmentDeadlineTally,
    CommitmentEvent,
    CommitmentStatus,
    CommitmentTally,
    Committee,
    Document,
    DocumentKind,
    EventKind,
    Ministry,
    Official,
    is_overdue,
    is_web_address,
    kamerstuk_label,
    number_sort_key,
)
from app.register.search import apply_search, newest_matches

#: The orders a list can be sorted in; "relevance" only applies while searching.
SORT_ORDERS = ("deadline", "made_on", "number", "relevance")
#: The longest promise number (the column's width).
NUMBER_LENGTH = 20


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
#: A page's row, read as plain columns: for the public list (:class:`ListedCommitment`) or the
#: API (:class:`PublishedCommitment`).
Row = TypeVar("Row", "ListedCommitment", "PublishedCommitment")


def _matching(
    statement: _Select, filters: CommitmentFilter, today: dt.date, *, from_id: int | None = None
) -> tuple[_Select, sa.ColumnElement[float] | None]:
    """``statement`` (which selects from ``commitment``) narrowed to the promises matching
    ``filters``, and the search rank to sort by (None when not searching); with ``from_id``
    only the matches from that id up. Hidden promises (DESIGN §13) never match."""
    dialect = db.session.get_bind().dialect.name
    return apply_search(
        _filtered(statement, filters, today), dialect, filters.search, from_id=from_id
    )


def _filtered(statement: _Select, filters: CommitmentFilter, today: dt.date) -> _Select:
    """``statement`` narrowed by every filter but the search, never to a hidden promise."""
    statement = statement.where(Commitment.hidden.is_(False))
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
    return statement


def effective_order(filters: CommitmentFilter) -> str:
    """The order a list is in: ``filters.sort`` with the default filled in ("relevance" while
    searching, otherwise "deadline"), e.g. "-made_on"."""
    if filters.sort.removeprefix("-"):
        return filters.sort
    dialect = db.session.get_bind().dialect.name
    _statement, rank = apply_search(sa.select(Commitment), dialect, filters.search)
    return "relevance" if rank is not None else "deadline"


def _ordering(sort: str, rank: sa.ColumnElement[float] | None) -> list[Any]:
    """ORDER BY for a list; ties are broken by number (its sort key, so TZ-2015-10000 comes
    after TZ-2015-9999).

    Deadline order puts undated promises last in both directions. It is written as
    ``deadline NULLS LAST, number_key`` rather than ``deadline IS NULL, deadline, …``: the same
    order, which SQLite and PostgreSQL read from ix_commitment_deadline_number_key.
    """
    descending = sort.startswith("-")
    key = sort.removeprefix("-") or ("relevance" if rank is not None else "deadline")
    if key == "relevance" and rank is not None:
        return [rank, Commitment.number_key]
    if key == "made_on":
        column = Commitment.made_on.desc() if descending else Commitment.made_on.asc()
        return [column, Commitment.number_key]
    if key == "number":
        return [Commitment.number_key.desc() if descending else Commitment.number_key.asc()]
    deadline = Commitment.deadline.desc() if descending else Commitment.deadline.asc()
    return [deadline.nulls_last(), Commitment.number_key]


#: A search counts its matches up to this many; a list then says "meer dan 1.000" instead of
#: counting every match of a word that occurs in a third of the register.
SEARCH_COUNT_LIMIT = 1000


@dataclass(frozen=True)
class MatchCount:
    """How many promises a list holds: ``value`` exactly, or at least ``value`` when counting
    stopped at SEARCH_COUNT_LIMIT (``complete`` is then False)."""

    value: int
    complete: bool = True
    #: When counting stopped: the id of the oldest of the SEARCH_COUNT_LIMIT newest matches,
    #: from where a search ranks (``_numbered_page``); read in the same walk as the count.
    oldest_counted: int | None = None


def count_matching(filters: CommitmentFilter, today: dt.date) -> MatchCount:
    """How many promises match ``filters``: the count a list shows.

    No filter, or only statuses and ministries: summed from the tallies (a few rows). A
    search: counted up to SEARCH_COUNT_LIMIT and no further. Anything else: counted along the
    filters' indexes.
    """
    only_tallied = CommitmentFilter(
        statuses=filters.statuses, ministry_codes=filters.ministry_codes, sort=filters.sort
    )
    if filters == only_tallied:
        return MatchCount(_tallied(filters))
    if not filters.search:
        matching = _filtered(sa.select(Commitment.id), filters, today)
        counted = sa.select(sa.func.count()).select_from(matching.subquery())
        return MatchCount(db.session.scalar(counted) or 0)
    # The newest matches, read from the index in id order and stopped at the limit: the
    # database's choice (a bitmap of every match on PostgreSQL) read all 34,000 of a common word.
    newest = newest_matches(
        _filtered(sa.select(Commitment), filters, today),
        db.session.get_bind().dialect.name,
        filters.search,
        SEARCH_COUNT_LIMIT + 1,
    )
    ids = db.session.scalars(newest).all()
    if len(ids) <= SEARCH_COUNT_LIMIT:
        return MatchCount(len(ids))
    return MatchCount(
        SEARCH_COUNT_LIMIT, complete=False, oldest_counted=ids[SEARCH_COUNT_LIMIT - 1]
    )


def _tallied(filters: CommitmentFilter) -> int:
    statement = sa.select(sa.func.coalesce(sa.func.sum(CommitmentTally.total), 0))
    if filters.statuses:
        statement = statement.where(CommitmentTally.status.in_(filters.statuses))
    if filters.ministry_codes:
        statement = statement.where(
            CommitmentTally.ministry_id.in_(
                sa.select(Ministry.id).where(Ministry.code.in_(filters.ministry_codes))
            )
        )
    return int(db.session.scalar(statement) or 0)


# Keyset pagination (DESIGN §6): a page continues from the sort key of the row before it, so
# that every page costs the same however deep it is.

#: The orders a cursor can walk; relevance pages by number only.
CURSOR_ORDERS = tuple(
    prefix + order for order in SORT_ORDERS if order != "relevance" for prefix in ("", "-")
)


@dataclass(frozen=True)
class Position:
    """Where a row stands in an order: the values a cursor carries.

    ``values`` is ``(deadline or None, number)`` for the deadline orders, ``(made_on, number)``
    for made_on and ``(number,)`` for number.
    """

    order: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class _Segment:
    """A stretch of an order in which every sort column has a value: the deadline orders are
    the dated promises and then the undated ones, the other orders one stretch."""

    where: sa.ColumnElement[bool] | None
    #: (column, descending) pairs, ties broken by the later ones.
    columns: tuple[tuple[so.InstrumentedAttribute[Any], bool], ...]


def position_of(commitment: ListedCommitment | PublishedCommitment, order: str) -> Position:
    """The position of ``commitment`` in ``order`` (one of CURSOR_ORDERS)."""
    key = order.removeprefix("-")
    if key == "deadline":
        return Position(order, (commitment.deadline, commitment.number))
    if key == "made_on":
        return Position(order, (commitment.made_on, commitment.number))
    return Position(order, (commitment.number,))


def position_from_values(order: str, values: list[Any]) -> Position:
    """A position read back from a cursor's JSON values; ValueError when they do not fit."""
    if order not in CURSOR_ORDERS or not isinstance(values, list):
        raise ValueError(order)
    key = order.removeprefix("-")
    types: tuple[bool, ...] = (True, False) if key in {"deadline", "made_on"} else (False,)
    if len(values) != len(types):
        raise ValueError(values)
    *dates, number = values
    if not isinstance(number, str) or not 0 < len(number) <= NUMBER_LENGTH:
        raise ValueError(number)
    if has_invalid_characters(number):
        raise ValueError(number)
    parsed: list[Any] = []
    for value in dates:
        if value is None and key == "deadline":
            parsed.append(None)
        elif isinstance(value, str):
            parsed.append(dt.date.fromisoformat(value))
        else:
            raise ValueError(value)
    return Position(order, (*parsed, number))


def _segments(order: str) -> list[_Segment]:
    descending = order.startswith("-")
    key = order.removeprefix("-")
    number = (Commitment.number_key, False)
    if key == "deadline":
        return [
            _Segment(Commitment.deadline.is_not(None), ((Commitment.deadline, descending), number)),
            _Segment(Commitment.deadline.is_(None), (number,)),
        ]
    if key == "made_on":
        return [_Segment(None, ((Commitment.made_on, descending), number))]
    return [_Segment(None, ((Commitment.number_key, descending),))]


def _segment_and_keys(position: Position) -> tuple[int, tuple[Any, ...]]:
    """Which segment ``position`` lies in and its values for that segment's columns."""
    *leading, number = position.values
    key = number_sort_key(number)
    if position.order.removeprefix("-") == "deadline":
        return (1, (key,)) if leading[0] is None else (0, (leading[0], key))
    return 0, (*leading, key)


def _beyond(segment: _Segment, keys: tuple[Any, ...], forward: bool) -> sa.ColumnElement[bool]:
    """Rows of ``segment`` after (``forward``) or before the row with sort values ``keys``.

    Written as ``first >= v1 AND (first > v1 OR (first = v1 AND second > v2) …)``: the first
    condition alone is a range the index starts from, the rest only skips the ties before.
    """

    def past(column: so.InstrumentedAttribute[Any], descending: bool, value: Any) -> Any:
        return column > value if forward != descending else column < value

    def past_or_at(column: so.InstrumentedAttribute[Any], descending: bool, value: Any) -> Any:
        return column >= value if forward != descending else column <= value

    alternatives = []
    for index, (column, descending) in enumerate(segment.columns):
        equal = [
            earlier == value
            for (earlier, _), value in zip(segment.columns[:index], keys, strict=False)
        ]
        alternatives.append(sa.and_(*equal, past(column, descending, keys[index])))
    first, first_descending = segment.columns[0]
    return sa.and_(past_or_at(first, first_descending, keys[0]), sa.or_(*alternatives))


def _segment_ordering(segment: _Segment, forward: bool) -> list[Any]:
    return [
        column.desc() if descending == forward else column.asc()
        for column, descending in segment.columns
    ]


@dataclass(frozen=True)
class CommitmentPage(Generic[Row]):
    """One page of a list: its promises (ORM objects, or :class:`ListedCommitment` rows) and
    how to reach the pages beside it.

    Pages by number (``?page=3``) know their number; pages reached by cursor do not
    (``page`` is None). Either way ``next`` and ``previous`` are positions to continue from,
    except in relevance order, where ``next_page`` and ``previous_page`` are numbers.
    """

    items: list[Row]
    count: MatchCount
    per_page: int
    page: int | None
    #: Continue after this position for the next page; None on the last page.
    next: Position | None = None
    #: Continue before this position for the previous page; None on the first page.
    previous: Position | None = None
    next_page: int | None = None
    previous_page: int | None = None
    #: In relevance order with more matches than could be ranked: how many of the newest
    #: matches the pages rank (the rest are reached in another order).
    ranked_newest: int | None = None

    @property
    def total(self) -> int:
        """How many promises the list holds (at least, when ``count`` is not complete)."""
        return self.count.value

    @property
    def pages(self) -> int | None:
        """How many pages there are; None when the count is not complete."""
        if not self.count.complete:
            return None
        return max(1, -(-self.total // self.per_page))

    @property
    def is_first(self) -> bool:
        return self.previous is None and self.previous_page is None


def published_page(
    filters: CommitmentFilter,
    today: dt.date,
    *,
    per_page: int,
    page: int = 1,
    after: Position | None = None,
    before: Position | None = None,
) -> CommitmentPage[PublishedCommitment]:
    """A page of the promises matching ``filters`` as the API shows them (:func:`_page`)."""
    return _page(filters, today, PUBLISHED_ROWS, per_page, page, after, before)


def listed_page(
    filters: CommitmentFilter,
    today: dt.date,
    *,
    per_page: int,
    page: int = 1,
    after: Position | None = None,
    before: Position | None = None,
) -> CommitmentPage[ListedCommitment]:
    """A page of the promises matching ``filters`` as the public list shows them
    (:func:`_page`)."""
    return _page(filters, today, LISTED_ROWS, per_page, page, after, before)


def _page(
    filters: CommitmentFilter,
    today: dt.date,
    reader: _ColumnRows[Row],
    per_page: int,
    page: int,
    after: Position | None,
    before: Position | None,
) -> CommitmentPage[Row]:
    """Page number ``page``, or the rows after ``after`` or before ``before`` (positions in
    ``effective_order(filters)``, which must be one of CURSOR_ORDERS for them), read by
    ``reader``.

    Page numbers read only ids with OFFSET (from the index where the order has one) and then
    the page's rows; cursors seek to their position through the index, whatever the depth.
    """
    order = effective_order(filters)
    count = count_matching(filters, today)
    statement, rank = _matching(sa.select(Commitment), filters, today)
    if order not in CURSOR_ORDERS:
        return _numbered_page(statement, rank, filters, count, per_page, page, today, reader)
    if before is not None:
        rows = _seek(statement, order, before, per_page + 1, reader, forward=False)
        if len(rows) > per_page:
            return _keyset_page(rows[1:], order, count, per_page, page=None)
        # Fewer rows before than a page: show the first page, full if it can be.
    elif after is not None:
        rows = _seek(statement, order, after, per_page + 1, reader, forward=True)
        return _keyset_page(
            rows[:per_page], order, count, per_page, page=None, more_after=len(rows) > per_page
        )
    elif page > 1:
        rows = _numbered_rows(statement, order, (page - 1) * per_page, per_page + 1, reader)
        return _keyset_page(
            rows[:per_page], order, count, per_page, page=page, more_after=len(rows) > per_page
        )
    rows = _seek(statement, order, None, per_page + 1, reader, forward=True)
    return _keyset_page(
        rows[:per_page], order, count, per_page, page=1, more_after=len(rows) > per_page
    )


def _keyset_page(
    items: list[Row],
    order: str,
    count: MatchCount,
    per_page: int,
    *,
    page: int | None,
    more_after: bool = True,
) -> CommitmentPage[Row]:
    """A page in a cursor order: ``next`` unless it is the last page (``more_after``),
    ``previous`` unless it is the first."""
    return CommitmentPage(
        items=items,
        count=count,
        per_page=per_page,
        page=page,
        next=position_of(items[-1], order) if items and more_after else None,
        previous=position_of(items[0], order) if items and page != 1 else None,
    )


def _seek(
    statement: sa.Select[tuple[Commitment]],
    order: str,
    position: Position | None,
    limit: int,
    reader: _ColumnRows[Row],
    *,
    forward: bool,
) -> list[Row]:
    """Up to ``limit`` rows after (``forward``) or before ``position`` (from the start when
    None), in list order, in one statement: per segment of the order the ids of at most
    ``limit`` rows, each read as one range of an index, then those rows in list order."""
    segments = _segments(order)
    start, keys = _segment_and_keys(position) if position else (0, None)
    indexes = range(start, len(segments)) if forward else range(start, -1, -1)
    branches = []
    for index in indexes:
        segment = segments[index]
        part = statement.with_only_columns(Commitment.id)
        if segment.where is not None:
            part = part.where(segment.where)
        if keys is not None and index == start:
            part = part.where(_beyond(segment, keys, forward))
        part = part.order_by(*_segment_ordering(segment, forward)).limit(inline_number(limit))
        # Wrapped: SQLite allows no ORDER BY or LIMIT on the members of a UNION.
        branches.append(sa.select(part.subquery().c.id))
    ids = branches[0] if len(branches) == 1 else sa.union_all(*branches)
    if forward:  # the first ``limit`` of the segments' rows, picked by the database
        return reader.chosen_by(ids, _ordering(order, None), limit)
    return reader.chosen_by(ids, _ordering(order, None))[-limit:]


def _numbered_rows(
    statement: sa.Select[tuple[Commitment]],
    sort: str,
    offset: int,
    limit: int,
    reader: _ColumnRows[Row],
) -> list[Row]:
    """The rows of one numbered page in one statement, the OFFSET applied to ids alone (a
    deferred join): the database counts off index entries, not whole rows."""
    ids = (
        statement.with_only_columns(Commitment.id)
        .order_by(*_ordering(sort, None))
        .offset(inline_number(offset))
        .limit(inline_number(limit))
    )
    return reader.chosen_by(ids, _ordering(sort, None))


#: What selects the ids of a page's rows.
ChosenIds = sa.Select[tuple[int]] | sa.CompoundSelect[tuple[int]]


def _numbered_page(
    statement: sa.Select[tuple[Commitment]],
    rank: sa.ColumnElement[float] | None,
    filters: CommitmentFilter,
    count: MatchCount,
    per_page: int,
    page: int,
    today: dt.date,
    reader: _ColumnRows[Row],
) -> CommitmentPage[Row]:
    """A page in relevance order, by OFFSET (DESIGN §6).

    When more than SEARCH_COUNT_LIMIT promises match, only the newest SEARCH_COUNT_LIMIT of
    them are ranked (``ranked_newest``): scoring every match of a word that occurs in a third
    of the register cost a hundred times more than the page itself. Other orders still reach
    every match."""
    ranked_newest = None
    if rank is not None and not count.complete:
        ranked_newest = SEARCH_COUNT_LIMIT
        # The newest matches are those from the oldest of them up: only they are scored.
        statement, rank = _matching(
            sa.select(Commitment), filters, today, from_id=count.oldest_counted
        )
    # The page's ids first, then their rows: joined to what a row shows, all candidates would
    # be joined before the sort picks the page's few.
    ids = list(
        db.session.scalars(
            statement.with_only_columns(Commitment.id)
            .order_by(*_ordering(filters.sort, rank))
            .offset(inline_number((page - 1) * per_page))
            .limit(inline_number(per_page + 1))
        )
    )
    rows = reader.in_order(ids)
    return CommitmentPage(
        items=rows[:per_page],
        count=count,
        per_page=per_page,
        page=page,
        next_page=page + 1 if len(rows) > per_page else None,
        previous_page=page - 1 if page > 1 else None,
        ranked_newest=ranked_newest,
    )


def _in_order(
    ids: Sequence[int], loading: Sequence[so.interfaces.LoaderOption] | None = None
) -> list[Commitment]:
    """The promises with these ids, in this order, with what a list row shows. A page's ids
    are chosen first by a narrow query along an index; joined to the row's relations, the
    database would join every candidate before picking the page's few."""
    loaded = {
        commitment.id: commitment
        for commitment in db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.id.in_(ids))
            .options(*(list_loader_options() if loading is None else loading))
        )
    }
    return [loaded[commitment_id] for commitment_id in ids]


@dataclass(frozen=True, slots=True)
class ListedMinistry:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ListedOfficial:
    name: str


@dataclass(frozen=True, slots=True)
class ListedCommittee:
    name: str
    abbreviation: str | None


@dataclass(frozen=True, slots=True)
class ListedDocument:
    title: str
    #: The address to link to, when it is a web address (as ``Document.link``).
    link: str | None
    kamerstuk_label: str | None


@dataclass(frozen=True, slots=True)
class ListedCommitment:
    """A promise as a row of the public list shows it, read as plain columns: building ORM
    objects with their relations was a third of a cold list page. Attribute names as on
    :class:`Commitment`, so the list's templates and macros take either."""

    id: int
    number: str
    title: str
    text: str
    made_on: dt.date
    deadline: dt.date | None
    deadline_phrase: str | None
    status: CommitmentStatus
    ministry: ListedMinistry
    responsible_official: ListedOfficial | None
    committee: ListedCommittee | None
    fulfilled_by: ListedDocument | None

    def is_overdue(self, today: dt.date) -> bool:
        return is_overdue(self.status, self.deadline, today)


class _ColumnRows(Generic[Row]):
    """Rows read as plain columns (the promise's id first) and built by ``_build``: one
    statement, the promise joined to the relations its rows show (``_joined``)."""

    _columns: tuple[Any, ...]

    def _joined(self, statement: sa.Select[Any]) -> sa.Select[Any]:
        raise NotImplementedError

    def _build(self, row: sa.Row[Any]) -> Row:
        raise NotImplementedError

    def chosen_by(self, ids: ChosenIds, ordering: list[Any], limit: int | None = None) -> list[Row]:
        # Joined from the ids: PostgreSQL keeps an explicit join order once a statement joins
        # more than eight tables (``join_collapse_limit``), and the API's rows join seven
        # relations; as ``id IN (…)`` it joined every promise to them before keeping a page's
        # hundred (300 ms).
        chosen = ids.subquery()
        statement = self._joined(
            sa.select(*self._columns)
            .select_from(chosen)
            .join(Commitment, Commitment.id == chosen.c.id)
        )
        statement = statement.order_by(*ordering).limit(inline_number(limit))
        return [self._build(row) for row in db.session.execute(statement)]

    def in_order(self, ids: Sequence[int]) -> list[Row]:
        statement = self._joined(sa.select(*self._columns).select_from(Commitment))
        found = {
            row[0]: self._build(row)
            for row in db.session.execute(statement.where(Commitment.id.in_(ids)))
        }
        return [found[commitment_id] for commitment_id in ids]


class _ListedRows(_ColumnRows[ListedCommitment]):
    """Rows as :class:`ListedCommitment`, joined to the four small relations."""

    def __init__(self) -> None:
        self._letter = so.aliased(Document, name="fulfilling_letter")
        self._columns = (
            Commitment.id,
            Commitment.number,
            Commitment.title,
            Commitment.text,
            Commitment.made_on,
            Commitment.deadline,
            Commitment.deadline_phrase,
            Commitment.status,
            Ministry.code,
            Ministry.name,
            Official.name,
            Committee.name,
            Committee.abbreviation,
            self._letter.id,
            self._letter.title,
            self._letter.url,
            self._letter.dossier_number,
            self._letter.ondernummer,
        )

    def _joined(self, statement: sa.Select[Any]) -> sa.Select[Any]:
        letter = self._letter
        return (
            statement.join(Ministry, Ministry.id == Commitment.ministry_id)
            .outerjoin(Official, Official.id == Commitment.responsible_official_id)
            .outerjoin(Committee, Committee.id == Commitment.committee_id)
            .outerjoin(letter, letter.id == Commitment.fulfilled_by_id)
        )

    def _build(self, row: sa.Row[Any]) -> ListedCommitment:
        return _listed(row)


def _listed(row: sa.Row[Any]) -> ListedCommitment:
    (
        commitment_id,
        number,
        title,
        text,
        made_on,
        deadline,
        deadline_phrase,
        status,
        ministry_code,
        ministry_name,
        official_name,
        committee_name,
        committee_abbreviation,
        letter_id,
        letter_title,
        letter_url,
        dossier_number,
        ondernummer,
    ) = row
    return ListedCommitment(
        id=commitment_id,
        number=number,
        title=title,
        text=text,
        made_on=made_on,
        deadline=deadline,
        deadline_phrase=deadline_phrase,
        status=status,
        ministry=ListedMinistry(ministry_code, ministry_name),
        responsible_official=None if official_name is None else ListedOfficial(official_name),
        committee=(
            None
            if committee_name is None
            else ListedCommittee(committee_name, committee_abbreviation)
        ),
        fulfilled_by=(
            None
            if letter_id is None
            else ListedDocument(
                letter_title,
                letter_url if letter_url and is_web_address(letter_url) else None,
                kamerstuk_label(dossier_number, ondernummer),
            )
        ),
    )


LISTED_ROWS = _ListedRows()


@dataclass(frozen=True, slots=True)
class PublishedOfficial:
    id: int
    name: str
    function: str


@dataclass(frozen=True, slots=True)
class PublishedOwner:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class PublishedCommittee:
    name: str


@dataclass(frozen=True, slots=True)
class PublishedActivity:
    kind: str
    title: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class PublishedDocument(Citable):
    """A document's columns, with the link and Kamerstuk id and label of :class:`Document`
    (worked out when asked: a fulfilling letter shows only its id or title)."""

    kind: DocumentKind
    title: str
    date: dt.date | None
    url: str | None
    dossier_number: str | None
    ondernummer: str | None


@dataclass(frozen=True, slots=True)
class PublishedCommitment:
    """A promise with everything the API shows of it, read as plain columns: the ORM built
    seven objects a row, two thirds of an API page of a hundred. Attribute names as on
    :class:`Commitment`, so ``serializers.commitment_to_json`` takes either."""

    number: str
    kamer_number: str | None
    title: str
    text: str
    status: CommitmentStatus
    kamer_status: str | None
    deadline: dt.date | None
    deadline_phrase: str | None
    made_on: dt.date
    requested_by: str | None
    kamer_activity_kind: str | None
    kamer_category: str | None
    kamer_subjects: str | None
    fulfilled_on: dt.date | None
    committee_id: int | None
    updated_at: dt.datetime
    ministry: ListedMinistry
    responsible_official: PublishedOfficial | None
    owner: PublishedOwner | None
    committee: PublishedCommittee | None
    source_document: PublishedDocument | None
    activity: PublishedActivity | None
    fulfilled_by: PublishedDocument | None

    def is_overdue(self, today: dt.date) -> bool:
        return is_overdue(self.status, self.deadline, today)


class _PublishedRows(_ColumnRows[PublishedCommitment]):
    """Rows as :class:`PublishedCommitment`, joined to the seven relations."""

    def __init__(self) -> None:
        self._source = so.aliased(Document, name="source_document")
        self._letter = so.aliased(Document, name="fulfilling_letter")
        # The owner's table through the relation: the register does not import the accounts.
        self._owner = so.aliased(Commitment.owner.property.mapper, name="owner")
        documents = [
            (
                document.kind,
                document.title,
                document.date,
                document.url,
                document.dossier_number,
                document.ondernummer,
            )
            for document in (self._source, self._letter)
        ]
        self._columns = (
            Commitment.id,
            Commitment.number,
            Commitment.kamer_number,
            Commitment.title,
            Commitment.text,
            Commitment.status,
            Commitment.kamer_status,
            Commitment.deadline,
            Commitment.deadline_phrase,
            Commitment.made_on,
            Commitment.requested_by,
            Commitment.kamer_activity_kind,
            Commitment.kamer_category,
            Commitment.kamer_subjects,
            Commitment.fulfilled_on,
            Commitment.committee_id,
            Commitment.updated_at,
            Ministry.code,
            Ministry.name,
            Official.id,
            Official.name,
            Official.function,
            self._owner.name,
            self._owner.email,
            Committee.name,
            Activity.kind,
            Activity.title,
            Activity.date,
            *documents[0],
            *documents[1],
        )

    def _joined(self, statement: sa.Select[Any]) -> sa.Select[Any]:
        source, letter, owner = self._source, self._letter, self._owner
        return (
            statement.join(Ministry, Ministry.id == Commitment.ministry_id)
            .outerjoin(Official, Official.id == Commitment.responsible_official_id)
            .outerjoin(owner, owner.id == Commitment.owner_id)
            .outerjoin(Committee, Committee.id == Commitment.committee_id)
            .outerjoin(Activity, Activity.id == Commitment.activity_id)
            .outerjoin(source, source.id == Commitment.source_document_id)
            .outerjoin(letter, letter.id == Commitment.fulfilled_by_id)
        )

    def _build(self, row: sa.Row[Any]) -> PublishedCommitment:
        return _published(row)


def _published(row: sa.Row[Any]) -> PublishedCommitment:
    """A row of ``_PublishedRows._columns`` (the id first, unused here)."""
    (
        _id,
        number,
        kamer_number,
        title,
        text,
        status,
        kamer_status,
        deadline,
        deadline_phrase,
        made_on,
        requested_by,
        kamer_activity_kind,
        kamer_category,
        kamer_subjects,
        fulfilled_on,
        committee_id,
        updated_at,
        ministry_code,
        ministry_name,
        official_id,
        official_name,
        official_function,
        owner_name,
        owner_email,
        committee_name,
        activity_kind,
        activity_title,
        activity_date,
    ) = row[:28]
    source, letter = row[28:34], row[34:40]
    return PublishedCommitment(
        number=number,
        kamer_number=kamer_number,
        title=title,
        text=text,
        status=status,
        kamer_status=kamer_status,
        deadline=deadline,
        deadline_phrase=deadline_phrase,
        made_on=made_on,
        requested_by=requested_by,
        kamer_activity_kind=kamer_activity_kind,
        kamer_category=kamer_category,
        kamer_subjects=kamer_subjects,
        fulfilled_on=fulfilled_on,
        committee_id=committee_id,
        updated_at=updated_at,
        ministry=ListedMinistry(ministry_code, ministry_name),
        responsible_official=(
            None
            if official_id is None
            else PublishedOfficial(official_id, official_name, official_function)
        ),
        owner=None if owner_name is None else PublishedOwner(owner_name, owner_email),
        committee=None if committee_name is None else PublishedCommittee(committee_name),
        source_document=None if source[0] is None else PublishedDocument(*source),
        activity=(
            None
            if activity_kind is None
            else PublishedActivity(activity_kind, activity_title, activity_date)
        ),
        fulfilled_by=None if letter[0] is None else PublishedDocument(*letter),
    )


PUBLISHED_ROWS = _PublishedRows()


def overdue_clause(today: dt.date) -> sa.ColumnElement[bool]:
    """SQL for "te laat": still owed and past the deadline (DESIGN §3)."""
    return sa.and_(
        Commitment.status.in_(OUTSTANDING_STATUSES),
        # Spelled out so that NOT(overdue) is true, not NULL, for promises without a deadline.
        Commitment.deadline.is_not(None),
        Commitment.deadline < today,
    )


def list_loader_options() -> list[so.interfaces.LoaderOption]:
    """Load what a list row shows in the row's own statement, whatever the page size: every
    relation is many-to-one, and the rows are a page's few ids (a ``selectinload`` per relation
    cost a round trip and as much ORM work as the rows themselves)."""
    return [
        so.joinedload(Commitment.ministry, innerjoin=True),
        so.joinedload(Commitment.responsible_official),
        so.joinedload(Commitment.committee),
        so.joinedload(Commitment.source_document),
        so.joinedload(Commitment.fulfilled_by),
        so.joinedload(Commitment.owner),
        so.joinedload(Commitment.activity),
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
            so.joinedload(Commitment.activity).joinedload(Activity.report),
        )
    )
    return db.session.scalars(statement).one_or_none()


def commitments_matching(filters: CommitmentFilter, today: dt.date, limit: int) -> list[Commitment]:
    """At most ``limit`` promises matching ``filters``, in the asked order."""
    return list(db.session.scalars(commitments_query(filters, today).limit(inline_number(limit))))


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
    activity_kind: str | None
    activity_title: str | None
    kamer_activity_kind: str | None
    kamer_category: str | None
    kamer_subjects: str | None


def more_than(filters: CommitmentFilter, today: dt.date, limit: int) -> bool:
    """Whether more than ``limit`` promises match ``filters``: counted up to ``limit`` + 1
    along the indexes and stopped there, whatever the size of the register."""
    statement, _rank = _matching(sa.select(Commitment.id), filters, today)
    found = db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.limit(inline_number(limit + 1)).subquery())
    )
    return (found or 0) > limit


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
            Activity.kind,
            Activity.title,
            Commitment.kamer_activity_kind,
            Commitment.kamer_category,
            Commitment.kamer_subjects,
        )
        .select_from(Commitment)
        .join(Ministry, Ministry.id == Commitment.ministry_id)
        .outerjoin(Official, Official.id == Commitment.responsible_official_id)
        .outerjoin(Committee, Committee.id == Commitment.committee_id)
        .outerjoin(source, source.id == Commitment.source_document_id)
        .outerjoin(fulfilling, fulfilling.id == Commitment.fulfilled_by_id)
        .outerjoin(Activity, Activity.id == Commitment.activity_id)
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
        .limit(inline_number(limit + 1))
    )
    events = list(db.session.scalars(statement))
    return FeedPage(events=events[:limit], has_older=len(events) > limit)


def event_by_id(event_id: int) -> CommitmentEvent | None:
    """One history event, e.g. the cursor of a feed page."""
    return db.session.get(CommitmentEvent, event_id)


def history(commitment: Commitment) -> list[CommitmentEvent]:
    """The promise's events, oldest first."""
    return list(
        db.session.scalars(
            sa.select(CommitmentEvent)
            .where(CommitmentEvent.commitment_id == commitment.id)
            .order_by(CommitmentEvent.occurred_at, CommitmentEvent.id)
        )
    )


def status_counts() -> dict[CommitmentStatus, int]:
    """How many promises have each status: from the tallies, a few rows whatever the size."""
    rows = db.session.execute(
        sa.select(CommitmentTally.status, sa.func.sum(CommitmentTally.total)).group_by(
            CommitmentTally.status
        )
    ).all()
    counts = dict.fromkeys(CommitmentStatus, 0)
    counts.update({status: int(total) for status, total in rows})
    return counts


#: Read on every request for a kept page: plain SQL on the driver's own connection.
_REGISTER_VERSION_SQL = "SELECT version FROM register_state"


def register_version() -> int:
    """The number every change to what public pages show raises (RegisterState).

    Asked for on every request for a public page, so read in one statement on a driver
    connection each worker thread keeps for it, in autocommit mode: no pool checkout, no
    SQLAlchemy statement machinery, no transaction (half the cost of a kept page on
    PostgreSQL went there), and a page served from the cache never touches the session.
    Inside a test's transaction (the app bound to one connection) it is read through the
    session, which sees what the test wrote.
    """
    bind = db.engine
    if not isinstance(bind, sa.Engine):
        return db.session.connection().exec_driver_sql(_REGISTER_VERSION_SQL).scalar() or 0
    try:
        return _read_version(_version_connection(bind))
    except bind.dialect.loaded_dbapi.Error:
        # The kept connection broke (the database restarted): once more on a new one.
        _forget_version_connection()
        return _read_version(_version_connection(bind))


#: Per worker thread: (engine, the driver connection it reads the register's version on).
_version_reader = threading.local()
#: Every such connection, closed when the process exits: left to the garbage collector at
#: interpreter shutdown, the driver fails on half-torn-down modules and prints a traceback.
_version_connections: set[Any] = set()


@atexit.register
def _close_version_connections() -> None:
    for connection in list(_version_connections):
        with contextlib.suppress(Exception):
            connection.close()
    _version_connections.clear()


def _version_connection(engine: sa.Engine) -> Any:
    """The driver connection (psycopg or sqlite3) in autocommit mode: each read sees what was
    committed before it, and no read leaves a transaction open."""
    kept: tuple[sa.Engine, Any] | None = getattr(_version_reader, "kept", None)
    if kept is not None and kept[0] is engine:
        return kept[1]
    _forget_version_connection()
    pooled = engine.raw_connection()  # through the pool's connect hooks (pragmas, timeouts)
    pooled.detach()  # then kept by this thread, never handed back
    connection: Any = pooled.dbapi_connection
    if engine.dialect.name == "sqlite":
        connection.isolation_level = None
    else:
        connection.autocommit = True
    _version_reader.kept = (engine, connection)
    _version_connections.add(connection)
    return connection


def _read_version(connection: Any) -> int:
    cursor = connection.cursor()
    try:
        cursor.execute(_REGISTER_VERSION_SQL)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return int(row[0]) if row else 0


def _forget_version_connection() -> None:
    kept: tuple[sa.Engine, Any] | None = getattr(_version_reader, "kept", None)
    _version_reader.kept = None
    if kept is not None:
        _version_connections.discard(kept[1])
        with contextlib.suppress(Exception):
            kept[1].close()


def upcoming_deadlines(today: dt.date, limit: int = 5) -> list[Commitment]:
    """The outstanding promises due next: per outstanding status the first ``limit`` along the
    status/deadline index, the soonest of those."""
    per_status = [
        sa.select(Commitment.id, Commitment.deadline, Commitment.number_key)
        .where(
            Commitment.status == status,
            Commitment.deadline >= today,
            Commitment.hidden.is_(False),
        )
        .order_by(Commitment.deadline, Commitment.number_key)
        .limit(inline_number(limit))
        .subquery()
        for status in OUTSTANDING_STATUSES
    ]
    # Wrapped: SQLite allows no ORDER BY or LIMIT on the members of a UNION.
    candidates = sa.union_all(*(sa.select(part) for part in per_status)).subquery()
    ids = db.session.scalars(
        sa.select(candidates.c.id)
        .order_by(candidates.c.deadline, candidates.c.number_key)
        .limit(inline_number(limit))
    )
    return _in_order(list(ids), overview_row_options())


def overview_row_options() -> list[so.interfaces.LoaderOption]:
    """What the overview's short lists show of a promise: its ministry and fulfilling letter."""
    return [
        so.joinedload(Commitment.ministry, innerjoin=True),
        so.joinedload(Commitment.fulfilled_by),
    ]


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
        .limit(inline_number(limit))
    )
    if ministry_id is not None:
        statement = statement.where(Commitment.ministry_id == ministry_id)
    return list(db.session.scalars(statement).all())


def recently_changed(ministry_id: int | None, limit: int = 10) -> list[Commitment]:
    statement = (
        sa.select(Commitment)
        .options(*list_loader_options())
        .order_by(Commitment.updated_at.desc(), Commitment.number)
        .limit(inline_number(limit))
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
    """The overview's chart data, ministries with no promises left out: totals per status from
    the tallies; the overdue promises from the deadline tallies of the months before this one,
    and only this month's deadlines before today counted, along the status/deadline index."""
    per_status: dict[int, dict[CommitmentStatus, int]] = {}
    for ministry_id, status, total in db.session.execute(
        sa.select(CommitmentTally.ministry_id, CommitmentTally.status, CommitmentTally.total)
    ):
        per_status.setdefault(ministry_id, {})[status] = total
    this_month = today.replace(day=1)
    overdue: dict[int, int] = {
        ministry_id: total
        for ministry_id, total in db.session.execute(
            sa.select(
                CommitmentDeadlineTally.ministry_id, sa.func.sum(CommitmentDeadlineTally.total)
            )
            .where(CommitmentDeadlineTally.month < this_month)
            .group_by(CommitmentDeadlineTally.ministry_id)
        )
    }
    for ministry_id, count in db.session.execute(
        sa.select(Commitment.ministry_id, sa.func.count())
        .where(
            Commitment.status.in_(OUTSTANDING_STATUSES),
            Commitment.deadline >= this_month,
            Commitment.deadline < today,
            Commitment.hidden.is_(False),
        )
        .group_by(Commitment.ministry_id)
    ):
        overdue[ministry_id] = overdue.get(ministry_id, 0) + count
    tallies = []
    for ministry in db.session.scalars(sa.select(Ministry).order_by(Ministry.code)):
        counts = per_status.get(ministry.id, {})
        outstanding = sum(counts.get(status, 0) for status in OUTSTANDING_STATUSES)
        late = overdue.get(ministry.id, 0)
        fulfilled = counts.get(CommitmentStatus.FULFILLED, 0)
        if outstanding or fulfilled or counts.get(CommitmentStatus.WITHDRAWN, 0):
            tallies.append(
                MinistryTally(ministry.code, ministry.name, outstanding - late, late, fulfilled)
            )
    return tallies


def recently_fulfilled(limit: int = 5) -> list[Commitment]:
    """The promises fulfilled last (a fulfilment of unknown date is not recent), the last
    recorded first on the same day: read backwards along the status/fulfilment-date index
    alone (which holds the id)."""
    ids = db.session.scalars(
        sa.select(Commitment.id)
        .where(
            Commitment.status == CommitmentStatus.FULFILLED,
            Commitment.fulfilled_on.is_not(None),
            Commitment.hidden.is_(False),
        )
        .order_by(Commitment.fulfilled_on.desc(), Commitment.id.desc())
        .limit(inline_number(limit))
    )
    return _in_order(list(ids), overview_row_options())


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
    statement = sa.select(Activity).order_by(Activity.date.desc()).limit(inline_number(limit))
    return list(db.session.scalars(statement))


def count_of(model: type[Any]) -> int:
    """How many rows a table of reference data has."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def all_of(model: type[Any], order_by: Any) -> list[Any]:
    """Every row of a table of reference data, in the given order."""
    return list(db.session.scalars(sa.select(model).order_by(order_by)))


#: What the list's filters offer: ministries, committees and officials.
FilterChoices = dict[str, Sequence[sa.Row[Any]]]
#: The filter choices last read in this process, with the engine and the register version
#: they were read at.
_kept_choices: tuple[sa.Engine, int, FilterChoices] | None = None


def filter_choices() -> FilterChoices:
    """What the list's filters offer, as plain rows with the attributes the filters show.

    Kept per process for the register version they were read at: they change only with a
    ministry, committee or official, and every such change raises the version, so a list page
    reads the version instead of three tables. Inside a test's transaction (the app bound to
    one connection) they are read every time: its versions are undone with it.
    """
    global _kept_choices
    bind = db.engine
    if not isinstance(bind, sa.Engine):
        return _read_filter_choices()
    version = register_version()
    kept = _kept_choices
    if kept is not None and kept[0] is bind and kept[1] == version:
        return kept[2]
    choices = _read_filter_choices()
    _kept_choices = (bind, version, choices)
    return choices


def _read_filter_choices() -> FilterChoices:
    return {
        "ministries": db.session.execute(
            sa.select(Ministry.code, Ministry.name).order_by(Ministry.code)
        ).all(),
        "committees": db.session.execute(
            sa.select(Committee.id, Committee.name).order_by(Committee.name)
        ).all(),
        "officials": db.session.execute(
            sa.select(Official.id, Official.name, Official.function).order_by(Official.name)
        ).all(),
    }


def last_change() -> dt.datetime | None:
    """When anything in the register last changed: for Last-Modified on pages and files."""
    return db.session.scalar(sa.select(sa.func.max(Commitment.updated_at)))
