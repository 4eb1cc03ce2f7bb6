"""Accounts and logging in. Flushes, never commits: the request owns the transaction."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app.auth.models import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    AuditEvent,
    AuditKind,
    LoginAttempt,
    Role,
    User,
)
from app.dbtypes import utcnow
from app.extensions import db
from app.register import notes
from app.register.models import Ministry

logger = logging.getLogger(__name__)

#: How far back failed attempts count.
THROTTLE_WINDOW = dt.timedelta(minutes=15)
#: Failures for one account from one address (since its last success) before that address must
#: wait out the window for that account. Other addresses can still log in to it.
MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
#: Failures from one address, over all accounts, before that address must wait out the window.
MAX_FAILURES_PER_ADDRESS = 20
#: Failures for one account from anywhere (since its last success) after which every next try
#: waits a little longer: 1 s, 2 s, 4 s … up to MAX_ACCOUNT_BACKOFF. A slowdown, never a lock.
BACKOFF_AFTER_ACCOUNT_FAILURES = 10
MAX_ACCOUNT_BACKOFF = dt.timedelta(seconds=60)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Compared against when the account does not exist, so a wrong e-mail address takes as long
#: as a wrong password and does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("no account has this password", method="scrypt")


class AccountError(ValueError):
    """The account cannot be created or changed; the message is for the user."""


class LoginThrottled(Exception):
    """Too many failed attempts for this account or address; ``message`` says how long to wait."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


#: zxcvbn's scores run from 0 (on every list of common passwords) to 4; below this is refused.
MIN_PASSWORD_SCORE = 3
#: zxcvbn refuses longer input; a guessable start is enough to refuse a password.
_ESTIMATE_LENGTH = 72


def validate_password(password: str, *, context: tuple[str, ...] = ()) -> None:
    """Long enough, not too long, and not guessable (NIST SP 800-63B: no composition rules,
    but no common, repetitive or sequential passwords nor ones made of the user's own name)."""
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
    own_words = [
        variant
        for item in context
        for variant in (
            re.sub(r"\W+", "", item.lower()),  # "Fatima el Amrani" → "fatimaelamrani"
            *re.split(r"[\W_]+", item.lower()),
        )
        if variant
    ]
    estimate = zxcvbn(password[:_ESTIMATE_LENGTH], user_inputs=[*own_words, "toezeggingenregister"])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        raise AccountError(
            _(
                "Dit wachtwoord is te makkelijk te raden: het staat op lijsten van veelgebruikte "
                "wachtwoorden, herhaalt zich of bevat uw naam. Kies bijvoorbeeld een zin van "
                "een paar gewone woorden."
            )
        )


def user_by_email(email: str) -> User | None:
    statement = sa.select(User).where(User.email == normalise_email(email))
    return db.session.scalars(statement).one_or_none()


class AccountFieldError(AccountError):
    """An AccountError that belongs beside one field of the user form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    ministry: Ministry | None = None,
    password: str | None = None,
    actor: User | None = None,
) -> User:
    email = normalise_email(email)
    if not looks_like_email(email):
        raise AccountFieldError("email", _("%(email)r is geen geldig e-mailadres.", email=email))
    if not name.strip():
        raise AccountFieldError("name", _("Geef een naam."))
    if role is not Role.ADMIN and ministry is None:
        raise AccountFieldError(
            "ministry", _("Medewerkers en coördinatoren horen bij een ministerie.")
        )
    if user_by_email(email) is not None:
        raise AccountFieldError(
            "email", _("Er bestaat al een account voor %(email)s.", email=email)
        )
    user = User(email=email, name=name.strip(), role=role, ministry=ministry)
    if password is not None:
        validate_password(password, context=(email, name))
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit(AuditKind.USER_INVITED, user, actor=actor, detail=role.label)
    logger.info("Created %s account for %s", role.value, email)
    return user


def set_password(user: User, password: str) -> None:
    """The user sets a password through their link; it ends every session they had."""
    validate_password(password, context=(user.email, user.name))
    user.set_password(password)
    user.end_sessions()
    record_audit(AuditKind.PASSWORD_SET, user, actor=user)


def new_password_link(user: User, *, actor: User) -> None:
    """An admin makes a new link for ``user``: older links and every session stop working."""
    user.end_sessions()
    record_audit(AuditKind.PASSWORD_LINK, user, actor=actor)


def log_out(user: User) -> None:
    """End every session of ``user`` on the server, not only this browser's."""
    user.end_sessions()
    record_audit(AuditKind.LOGOUT, user, actor=user)


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
    changes = [
        f"{label}: {old} → {new}"
        for label, old, new in (
            (_("naam"), user.name, name.strip()),
            (_("rol"), user.role.label, role.label),
            (_("ministerie"), user.ministry_id or "—", ministry_id or "—"),
        )
        if old != new
    ]
    user.name = name.strip()
    user.role = role
    user.ministry_id = ministry_id
    if changes:
        record_audit(AuditKind.USER_CHANGED, user, actor=actor, detail="; ".join(changes))
    if user.active and not active:
        deactivate(user, actor=actor)
    elif not user.active and active:
        user.active = True
        record_audit(AuditKind.USER_REACTIVATED, user, actor=actor)
    db.session.flush()
    logger.info("Updated the account of %s", user.email)


def deactivate(user: User, *, actor: User | None = None) -> None:
    user.active = False
    user.end_sessions()
    record_audit(AuditKind.USER_DEACTIVATED, user, actor=actor)
    logger.info("Deactivated %s", user.email)


#: The actor named in the audit log for what a command or the system did.
SYSTEM_ACTOR = notes.SYSTEM_ACTOR
#: The actor named for an attempt by someone not logged in.
ANONYMOUS_ACTOR = "—"


def record_audit(
    kind: AuditKind,
    subject: User | str,
    *,
    actor: User | None = None,
    detail: str | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Add an entry to the audit log; the client address comes from the request, if any."""
    if ip_address is None and has_request_context():
        ip_address = request.remote_addr
    if actor is not None:
        actor_name = actor.name
    elif kind in {AuditKind.LOGIN_FAILED, AuditKind.LOGIN_THROTTLED}:
        actor_name = ANONYMOUS_ACTOR
    else:
        actor_name = SYSTEM_ACTOR
    event = AuditEvent(
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor_name[:200],
        subject_email=(subject if isinstance(subject, str) else subject.email)[:254],
        ip_address=ip_address[:45] if ip_address else None,
        detail=detail[:500] if detail else None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def throttle_message(email: str, ip_address: str, now: dt.datetime | None = None) -> str | None:
    """Why a login for ``email`` from ``ip_address`` must wait now, or None when it may go on.

    Failures count per account and address, per address, and per account from anywhere (that
    last one only slows down). A success clears the account's failures.
    """
    now = now or utcnow()
    email = normalise_email(email)
    window_start = now - THROTTLE_WINDOW
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
        )
    )
    account_since = max(window_start, last_success) if last_success else window_start
    failures = sa.select(sa.func.count(), sa.func.max(LoginAttempt.attempted_at)).where(
        LoginAttempt.succeeded.is_(False)
    )
    wait_window = _("Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw.")
    by_pair, _last = db.session.execute(
        failures.where(
            LoginAttempt.email == email,
            LoginAttempt.ip_address == ip_address,
            LoginAttempt.attempted_at >= account_since,
        )
    ).one()
    if by_pair >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS:
        return str(wait_window)
    by_address, _last = db.session.execute(
        failures.where(
            LoginAttempt.ip_address == ip_address, LoginAttempt.attempted_at >= window_start
        )
    ).one()
    if by_address >= MAX_FAILURES_PER_ADDRESS:
        return str(wait_window)
    by_account, last_failure = db.session.execute(
        failures.where(LoginAttempt.email == email, LoginAttempt.attempted_at >= account_since)
    ).one()
    if by_account >= BACKOFF_AFTER_ACCOUNT_FAILURES and last_failure is not None:
        backoff = min(
            dt.timedelta(seconds=2 ** (by_account - BACKOFF_AFTER_ACCOUNT_FAILURES)),
            MAX_ACCOUNT_BACKOFF,
        )
        wait = last_failure + backoff - now
        if wait > dt.timedelta(0):
            return str(
                ngettext(
                    "Er is vaak tevergeefs geprobeerd op dit account in te loggen. "
                    "Probeer het over %(num)s seconde opnieuw.",
                    "Er is vaak tevergeefs geprobeerd op dit account in te loggen. "
                    "Probeer het over %(num)s seconden opnieuw.",
                    math.ceil(wait.total_seconds()),
                )
            )
    return None


def _serialise_attempts(email: str, ip_address: str) -> None:
    """Make attempts for the same account or address take turns, so none is counted twice.

    PostgreSQL: transaction-scoped advisory locks, account first, then address (always in that
    order, so two attempts never wait for each other in a circle). The locks are the whole
    database's, the attempts they guard are one schema's: the key names the schema, so two
    registers in one database (the test suite's workers) never wait for each other. SQLite: a
    request that changes things already holds the database's write lock (see app.extensions).
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in (f"login-account:{email}", f"login-address:{ip_address}"):
        named = sa.func.concat(sa.func.current_schema(), ":", key)
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(named))))


def _refuse_if_throttled(email: str, ip_address: str, now: dt.datetime | None) -> None:
    reason = throttle_message(email, ip_address, now)
    if reason is not None:
        logger.warning("Login throttled for %s from %s", email, ip_address)
        record_audit(AuditKind.LOGIN_THROTTLED, email, ip_address=ip_address)
        raise LoginThrottled(reason)


def authenticate(
    email: str, password: str, ip_address: str, now: dt.datetime | None = None
) -> User:
    """The user with these credentials; every checked attempt is recorded for throttling.

    Every attempt costs one scrypt check, whether the account exists, has no password yet or is
    inactive, so the time taken reveals nothing.
    """
    email = normalise_email(email)
    ip_address = ip_address[:45]
    # A throttled attempt is refused before the costly check; the check itself runs before the
    # locks, so attempts from one address (colleagues behind one proxy) do not queue behind each
    # other's scrypt. Under the locks the throttle is asked again, exactly, and the attempt
    # counted: parallel attempts are still counted one by one.
    _refuse_if_throttled(email, ip_address, now)
    user = user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        succeeded = False
    else:
        succeeded = user.check_password(password) and user.active
    _serialise_attempts(email, ip_address)
    _refuse_if_throttled(email, ip_address, now)
    attempt = LoginAttempt(email=email[:254], ip_address=ip_address, succeeded=succeeded)
    if now is not None:
        attempt.attempted_at = now
    db.session.add(attempt)
    db.session.flush()
    if not succeeded or user is None:
        record_audit(AuditKind.LOGIN_FAILED, email, ip_address=ip_address)
        raise InvalidCredentials
    user.last_login_at = utcnow()
    record_audit(AuditKind.LOGIN, user, actor=user, ip_address=ip_address)
    return user
