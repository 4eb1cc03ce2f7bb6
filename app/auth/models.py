"""The people who keep the register."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.dbtypes import UTCDateTime, enum_column_type, utcnow
from app.extensions import Base

if TYPE_CHECKING:
    from app.register.models import Ministry


class Role(enum.Enum):
    """What a user may do; each role can do everything the one below it can."""

    CLERK = "clerk"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CLERK: "Medewerker",
    Role.COORDINATOR: "Coördinator",
    Role.ADMIN: "Beheerder",
}


class User(Base):
    """A ministry clerk, coordinator or administrator; promises have one as owner."""

    __tablename__ = "user_account"

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Login name and the address reminders go to; stored in lower case.
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    #: Full name as shown to colleagues, e.g. "Fatima el Amrani".
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: What this user may do.
    role: so.Mapped[Role] = so.mapped_column(
        enum_column_type(Role, "user_role"), default=Role.CLERK
    )
    #: The ministry whose promises this user keeps; admins may have none.
    ministry_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("ministry.id", ondelete="RESTRICT"), index=True
    )
    #: Deactivated users cannot log in and get no reminders; their history stays.
    active: so.Mapped[bool] = so.mapped_column(default=True)
    #: Password hash; empty until the user has set a password.
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    #: When the account was created (UTC).
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)

    ministry: so.Mapped[Ministry | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<User {self.email}>"
