"""Read-side queries over the register, shared by the pages, files and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.inputs import has_invalid_characters
from app.register.models import (
    OUTSTANDING_STATUSES,
    Activity,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    CommitmentTally,
    Committee,
    EventKind,
    Ministry,
    Official,
    RegisterState,
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
    statement, rank = apply_search(statement, dialect, filters.search)
    return statement.order_by(*_ordering(filters.sort, rank))


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
    """At most ``limit`` promises matching ``filters``, in the asked order: for files."""
    return list(db.session.scalars(commitments_query(filters, today).limit(limit)))


def feed_events(
    filters: CommitmentFilter, today: dt.date, kinds: Sequence[EventKind], limit: int
) -> list[CommitmentEvent]:
    """The newest events of the given kinds on promises matching ``filters``."""
    matching = commitments_query(filters, today).with_only_columns(Commitment.id)
    statement = (
        sa.select(CommitmentEvent)
        .where(
            CommitmentEvent.commitment_id.in_(matching.order_by(None).scalar_subquery()),
            CommitmentEvent.kind.in_(kinds),
        )
        .options(so.selectinload(CommitmentEvent.commitment).selectinload(Commitment.ministry))
        .order_by(CommitmentEvent.occurred_at.desc(), CommitmentEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def history(commitment: Commitment) -> list[CommitmentEvent]:
    """The promise's events, oldest first."""
    return list(db.session.scalars(commitment.events.select()).all())


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


#: Read on every request for a kept page, so compiled once.
_REGISTER_VERSION = sa.select(RegisterState.version)


def register_version() -> int:
    """The number every change to what public pages show raises (RegisterState). Read with
    Core on the session's connection: it is asked for on every request for a public page."""
    return db.session.connection().execute(_REGISTER_VERSION).scalar() or 0


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
    """The overview's chart data, ministries with no promises left out: totals per status from
    the tallies, and only the overdue promises counted, through the status/deadline index."""
    per_status: dict[int, dict[CommitmentStatus, int]] = {}
    for ministry_id, status, total in db.session.execute(
        sa.select(CommitmentTally.ministry_id, CommitmentTally.status, CommitmentTally.total)
    ):
        per_status.setdefault(ministry_id, {})[status] = total
    overdue: dict[int, int] = {
        ministry_id: count
        for ministry_id, count in db.session.execute(
            sa.select(Commitment.ministry_id, sa.func.count())
            .where(overdue_clause(today))
            .group_by(Commitment.ministry_id)
        )
    }
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
    """The promises fulfilled last (a fulfilment of unknown date is not recent), read backwards
    along the status/fulfilment-date index."""
    statement = (
        sa.select(Commitment)
        .where(
            Commitment.status == CommitmentStatus.FULFILLED, Commitment.fulfilled_on.is_not(None)
        )
        .options(*list_loader_options())
        .order_by(Commitment.fulfilled_on.desc(), Commitment.number.desc())
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
