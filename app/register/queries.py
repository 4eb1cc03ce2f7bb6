"""Read-side queries over the register, shared by the pages, files and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.register.models import (
    OUTSTANDING_STATUSES,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Ministry,
)


@dataclass(frozen=True)
class CommitmentFilter:
    """Which promises to list; every part is optional and they combine with AND."""

    statuses: Sequence[CommitmentStatus] = field(default_factory=tuple)
    ministry_codes: Sequence[str] = field(default_factory=tuple)
    overdue_only: bool = False
    search: str = ""


def commitments_query(filters: CommitmentFilter, today: dt.date) -> sa.Select[tuple[Commitment]]:
    """Promises matching ``filters``, soonest deadline first, with what lists show loaded."""
    statement = sa.select(Commitment).options(*list_loader_options())
    if filters.statuses:
        statement = statement.where(Commitment.status.in_(filters.statuses))
    if filters.ministry_codes:
        statement = statement.join(Commitment.ministry).where(
            Ministry.code.in_(filters.ministry_codes)
        )
    if filters.overdue_only:
        statement = statement.where(overdue_clause(today))
    for word in filters.search.split():
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(
            sa.or_(
                Commitment.number.ilike(pattern, escape="\\"),
                Commitment.title.ilike(pattern, escape="\\"),
                Commitment.text.ilike(pattern, escape="\\"),
                Commitment.deadline_phrase.ilike(pattern, escape="\\"),
            )
        )
    return statement.order_by(Commitment.deadline.is_(None), Commitment.deadline, Commitment.number)


def overdue_clause(today: dt.date) -> sa.ColumnElement[bool]:
    """SQL for "te laat": still owed and past the deadline (DESIGN §3)."""
    return sa.and_(Commitment.status.in_(OUTSTANDING_STATUSES), Commitment.deadline < today)


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
    statement = (
        sa.select(Commitment)
        .where(Commitment.number == number)
        .options(*list_loader_options(), so.selectinload(Commitment.activity))
    )
    return db.session.scalars(statement).one_or_none()


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
