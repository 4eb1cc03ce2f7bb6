"""Accounts and logging in. Flushes, never commits: the request owns the transaction."""

from __future__ import annotations

import datetime as dt
import logging
import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    LoginAttempt,
    Role,
    User,
)
from app.dbtypes import utcnow
from app.extensions import db
from app.register.models import Ministry

logger = logging.getLogger(__name__)

#: How far back failed attempts count, and how many are allowed in that window.
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Compared against when the account does not exist, so a wrong e-mail address takes as long
#: as a wrong password and does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("no account has this password", method="scrypt")


class AccountError(ValueError):
    """The account cannot be created or changed; the message is for the user."""


class LoginThrottled(Exception):
    """Too many failed attempts for this account or address."""

    message = _l("Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw.")


class InvalidCredentials(Exception):
    """Wrong e-mail address or password (deliberately not saying which)."""

    message = _l("Onbekend e-mailadres of onjuist wachtwoord.")


def looks_like_email(address: str) -> bool:
    """A plausible address: something@domain.tld, at most 254 characters."""
    return len(address) <= 254 and bool(_EMAIL.match(address))


def active_coordinators() -> dict[int, list[User]]:
    """The active coordinators of each ministry, by ministry id."""
    statement = sa.select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
    by_ministry: dict[int, list[User]] = {}
    for user in db.session.scalars(statement.order_by(User.name)):
        if user.ministry_id is not None:
            by_ministry.setdefault(user.ministry_id, []).append(user)
    return by_ministry


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(
            _(
                "Het wachtwoord moet minstens %(minimum)s tekens hebben.",
                minimum=PASSWORD_MIN_LENGTH,
            )
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(
            _(
                "Het wachtwoord mag hoogstens %(maximum)s tekens hebben.",
                maximum=PASSWORD_MAX_LENGTH,
            )
        )


def user_by_email(email: str) -> User | None:
    statement = sa.select(User).where(User.email == normalise_email(email))
    return db.session.scalars(statement).one_or_none()


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    ministry: Ministry | None = None,
    password: str | None = None,
) -> User:
    email = normalise_email(email)
    if not looks_like_email(email):
        raise AccountError(_("%(email)r is geen geldig e-mailadres.", email=email))
    if not name.strip():
        raise AccountError(_("Geef een naam."))
    if role is not Role.ADMIN and ministry is None:
        raise AccountError(_("Medewerkers en coördinatoren horen bij een ministerie."))
    if user_by_email(email) is not None:
        raise AccountError(_("Er bestaat al een account voor %(email)s.", email=email))
    user = User(email=email, name=name.strip(), role=role, ministry=ministry)
    if password is not None:
        validate_password(password)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    logger.info("Created %s account for %s", role.value, email)
    return user


def set_password(user: User, password: str) -> None:
    validate_password(password)
    user.set_password(password)
    user.end_sessions()


class AccountFieldError(AccountError):
    """An AccountError that belongs beside one field of the user form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def update_user(
    user: User,
    *,
    name: str,
    role: Role,
    ministry_id: int | None,
    active: bool,
    actor: User,
) -> None:
    """Change an account; deactivating ends its sessions. Admins cannot demote themselves."""
    if role is not Role.ADMIN and ministry_id is None:
        raise AccountFieldError(
            "ministry", _("Medewerkers en coördinatoren horen bij een ministerie.")
        )
    if user.id == actor.id and (role is not Role.ADMIN or not active):
        raise AccountFieldError("role", _("U kunt uw eigen beheerdersrechten niet intrekken."))
    user.name = name.strip()
    user.role = role
    user.ministry_id = ministry_id
    if user.active and not active:
        deactivate(user)
    elif not user.active and active:
        user.active = True
    db.session.flush()
    logger.info("Updated the account of %s", user.email)


def deactivate(user: User) -> None:
    user.active = False
    user.end_sessions()
    logger.info("Deactivated %s", user.email)


def is_throttled(email: str, ip_address: str, now: dt.datetime | None = None) -> bool:
    since = (now or utcnow()) - THROTTLE_WINDOW
    failures = (
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since)
    )
    by_account = db.session.scalar(failures.where(LoginAttempt.email == normalise_email(email)))
    if (by_account or 0) >= MAX_FAILURES_PER_ACCOUNT:
        return True
    by_address = db.session.scalar(failures.where(LoginAttempt.ip_address == ip_address))
    return (by_address or 0) >= MAX_FAILURES_PER_ADDRESS


def authenticate(email: str, password: str, ip_address: str) -> User:
    """The user with these credentials; every attempt is recorded for throttling."""
    email = normalise_email(email)
    if is_throttled(email, ip_address):
        logger.warning("Login throttled for %s from %s", email, ip_address)
        raise LoginThrottled
    user = user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        succeeded = False
    else:
        succeeded = user.check_password(password) and user.active
    db.session.add(LoginAttempt(email=email[:254], ip_address=ip_address[:45], succeeded=succeeded))
    db.session.flush()
    if not succeeded or user is None:
        raise InvalidCredentials
    user.last_login_at = utcnow()
    return user
