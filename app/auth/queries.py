"""Read-side queries over users, for the screens that list or choose them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.auth.models import AuditEvent, AuditKind, User
from app.extensions import db


def users_for_admin() -> list[User]:
    """Every account, active ones first, by name."""
    statement = sa.select(User).order_by(User.active.desc(), User.name)
    return list(db.session.scalars(statement))


def active_users_of(ministry_id: int | None) -> list[User]:
    """Who can own a promise of this ministry: its active users, by name."""
    statement = sa.select(User).where(User.ministry_id == ministry_id, User.active.is_(True))
    return list(db.session.scalars(statement.order_by(User.name)))


def audit_log(
    *,
    kind: AuditKind | None = None,
    email: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> sa.Select[tuple[AuditEvent]]:
    """The audit log, newest first, narrowed by kind, (part of an) account and time."""
    statement = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if kind is not None:
        statement = statement.where(AuditEvent.kind == kind)
    if email.strip():
        needle = email.strip().lower()
        statement = statement.where(AuditEvent.subject_email.contains(needle, autoescape=True))
    if since is not None:
        statement = statement.where(AuditEvent.occurred_at >= since)
    if until is not None:
        statement = statement.where(AuditEvent.occurred_at < until)
    return statement
