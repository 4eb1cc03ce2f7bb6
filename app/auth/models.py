"""The people who keep the register, and the record of attempts to log in."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from app.dbtypes import UTCDateTime, enum_column_type, utcnow
from app.extensions import Base

if TYPE_CHECKING:
    from app.register.models import Ministry

#: Shortest and longest password accepted (NCSC advice: long passphrases, no composition rules).
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128


class Role(enum.Enum):
    """What a user may do; each role can do everything the one before it can."""

    CLERK = "clerk"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.CLERK: _l("Medewerker"),
    Role.COORDINATOR: _l("Coördinator"),
    Role.ADMIN: _l("Beheerder"),
}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


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
    #: scrypt hash of the password; empty until the user has set one.
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    #: Part of every session cookie; replaced on logout and deactivation, which ends all of the
    #: user's sessions on the server side (an old cookie no longer matches).
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_session_token)
    #: When the user last logged in (UTC).
    last_login_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: When the account was created (UTC).
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)

    ministry: so.Mapped[Ministry | None] = so.relationship()

    # Flask-Login's user interface.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash or "", password)

    def end_sessions(self) -> None:
        """Make every existing session cookie of this user worthless."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginAttempt(Base):
    """One attempt to log in; kept in the database so throttling holds across processes."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_email_attempted_at", "email", "attempted_at"),
        sa.Index("ix_login_attempt_ip_address_attempted_at", "ip_address", "attempted_at"),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The e-mail address that was tried, lower case (the account may not exist).
    email: so.Mapped[str] = so.mapped_column(sa.String(254))
    #: The address the attempt came from.
    ip_address: so.Mapped[str] = so.mapped_column(sa.String(45))
    #: When the attempt was made (UTC).
    attempted_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: Whether the password was right.
    succeeded: so.Mapped[bool]


class AuditKind(enum.Enum):
    """What happened to an account or a session; kept for the admins' audit log."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    LOGOUT = "logout"
    USER_INVITED = "user_invited"
    USER_CHANGED = "user_changed"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    PASSWORD_SET = "password_set"  # noqa: S105 - the name of an event, not a password
    PASSWORD_LINK = "password_link"  # noqa: S105 - the name of an event, not a password

    @property
    def label(self) -> str:
        return str(AUDIT_KIND_LABELS[self])


AUDIT_KIND_LABELS = {
    AuditKind.LOGIN: _l("Ingelogd"),
    AuditKind.LOGIN_FAILED: _l("Inloggen mislukt"),
    AuditKind.LOGIN_THROTTLED: _l("Inloggen tegengehouden"),
    AuditKind.LOGOUT: _l("Uitgelogd"),
    AuditKind.USER_INVITED: _l("Gebruiker uitgenodigd"),
    AuditKind.USER_CHANGED: _l("Gebruiker gewijzigd"),
    AuditKind.USER_DEACTIVATED: _l("Gebruiker gedeactiveerd"),
    AuditKind.USER_REACTIVATED: _l("Gebruiker weer actief"),
    AuditKind.PASSWORD_SET: _l("Wachtwoord ingesteld"),
    AuditKind.PASSWORD_LINK: _l("Wachtwoordlink gemaakt"),
}


class AuditEvent(Base):
    """One entry in the audit log: who did what to which account, when and from where.

    Changes to promises have their own history (CommitmentEvent); this log covers sessions
    and accounts. Rows are never changed or deleted by the app.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_occurred_at", "occurred_at"),
        sa.Index("ix_audit_event_kind_occurred_at", "kind", "occurred_at"),
        sa.Index("ix_audit_event_subject_email", "subject_email"),
    )

    #: Surrogate key; also the order of the log.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: When it happened (UTC).
    occurred_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: What happened.
    kind: so.Mapped[AuditKind] = so.mapped_column(enum_column_type(AuditKind, "audit_kind"))
    #: Who did it, when it was a logged-in user (kept when the account is deleted: actor_name).
    actor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The actor's name at the time, or "Systeem" for commands and "—" for anonymous attempts.
    actor_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: The account it happened to (for a failed login: the address that was tried).
    subject_email: so.Mapped[str] = so.mapped_column(sa.String(254))
    #: The client address of the request, when there was one.
    ip_address: so.Mapped[str | None] = so.mapped_column(sa.String(45))
    #: What changed, in words, e.g. "rol: Medewerker → Coördinator".
    detail: so.Mapped[str | None] = so.mapped_column(sa.String(500))
