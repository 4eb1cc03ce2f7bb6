"""Read-side queries over users, for the screens that list or choose them."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db


def users_for_admin() -> list[User]:
    """Every account, active ones first, by name."""
    statement = sa.select(User).order_by(User.active.desc(), User.name)
    return list(db.session.scalars(statement))


def active_users_of(ministry_id: int | None) -> list[User]:
    """Who can own a promise of this ministry: its active users, by name."""
    statement = sa.select(User).where(User.ministry_id == ministry_id, User.active.is_(True))
    return list(db.session.scalars(statement.order_by(User.name)))
