"""Send the outbox over SMTP, the way a mail server works its queue.

A sender claims a batch: the rows become ``sending`` with a lease (PostgreSQL: FOR UPDATE SKIP
LOCKED, so two senders never claim the same row; SQLite: one scheduler process is supported).
Each message is then sent with a timeout, to one recipient, and marked ``sent``. Temporary
failures (4xx, timeouts, refused connections) are retried with growing delays (1 minute,
doubling, at most an hour) for ``MAIL_RETRY_DAYS`` from the first failure, then the message is
``dead``; permanent ones (5xx) are ``dead`` at once. When the server cannot be reached at all,
the rest of the round is deferred without a connection attempt each. A sender killed after
claiming leaves the lease to expire; the next sender sends the message again, with the same
Message-ID. DESIGN §8.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, quote
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.dbtypes import utcnow
from app.extensions import db
from app.reminders.models import MessageState, OutboxMessage

logger = logging.getLogger(__name__)

#: How long a claim holds; a sender that has not finished by then is presumed dead.
LEASE = dt.timedelta(minutes=5)
#: Backoff after the first temporary failure; doubles every attempt, at most an hour (a mail
#: server's queue does the same: once the server is back, waiting mail goes within the hour).
FIRST_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=1)
BATCH_SIZE = 20
#: Lines up to RFC 5322's limit of 998 characters: with the default of 78, a header with a long
#: word (the List-Unsubscribe link) is folded into RFC 2047 encoded words, and mail clients
#: then find no ``<https://…>`` value to offer their unsubscribe button for.
HEADERS = policy.default.clone(max_line_length=998)
HEADERS_UTF8 = policy.SMTPUTF8.clone(max_line_length=998)


class TemporaryFailure(Exception):
    """Try again later: 4xx, timeout, connection refused or dropped."""


class ServerUnreachable(TemporaryFailure):
    """No conversation with the mail server at all (refused, timed out, dropped): the other
    messages of this round would fail the same way, so they are deferred without trying."""


class PermanentFailure(Exception):
    """Do not try again: 5xx, or the recipient was refused."""


@dataclass
class SendReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)
    dead: list[OutboxMessage] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4 … 32 minutes, then hourly."""
    delay: dt.timedelta = FIRST_BACKOFF * 2 ** min(max(attempts - 1, 0), 16)
    return min(delay, MAX_BACKOFF)


def retry_window() -> dt.timedelta:
    """How long temporary failures are retried before a message is dead (MAIL_RETRY_DAYS)."""
    return dt.timedelta(days=float(current_app.config["MAIL_RETRY_DAYS"]))


def claimable(now: dt.datetime) -> sa.ColumnElement[bool]:
    """Due messages: pending or failed and due again, or sending with an expired lease."""
    return sa.or_(
        sa.and_(
            OutboxMessage.state.in_((MessageState.PENDING, MessageState.FAILED)),
            OutboxMessage.next_attempt_at <= now,
        ),
        sa.and_(OutboxMessage.state == MessageState.SENDING, OutboxMessage.lease_until < now),
    )


def claim(now: dt.datetime, limit: int = BATCH_SIZE) -> list[int]:
    """Claim up to ``limit`` messages for this sender and commit the claim."""
    statement = (
        sa.select(OutboxMessage.id)
        .where(claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(statement))
    if ids:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), claimable(now))
            .values(
                state=MessageState.SENDING,
                lease_until=now + LEASE,
                attempts=OutboxMessage.attempts + 1,
            )
        )
    db.session.commit()
    return ids


def send_due(now: dt.datetime | None = None, limit: int = BATCH_SIZE) -> SendReport:
    """Claim and send every due message (in batches); commits after each message.

    ``now`` is the clock (default: the real one); tests pass simulated times. A round ends
    early when the mail server cannot be reached: the rest of its batch is deferred.
    """
    report = SendReport()

    def clock() -> dt.datetime:
        return now or utcnow()

    while True:
        ids = claim(clock(), limit)
        if not ids:
            return report
        unreachable: ServerUnreachable | None = None
        for message_id in ids:
            message = db.session.get_one(OutboxMessage, message_id)
            if unreachable is None:
                unreachable = _deliver(message, report, clock())
            else:
                _failed(message, report, clock(), unreachable, tried=False)
            db.session.commit()
        if unreachable is not None or len(ids) < limit:
            return report


def _deliver(
    message: OutboxMessage, report: SendReport, now: dt.datetime
) -> ServerUnreachable | None:
    """Send one claimed message and record the outcome; says when the server was unreachable."""
    try:
        transmit(message)
    except TemporaryFailure as error:
        _failed(message, report, now, error, tried=True)
        return error if isinstance(error, ServerUnreachable) else None
    except PermanentFailure as error:
        message.last_error = str(error)
        message.state = MessageState.DEAD
        report.dead.append(message)
        logger.error("Mail to %s refused: %s", message.recipient_email, error)
        _log_attempt(message, now, str(error))
    else:
        message.state = MessageState.SENT
        message.sent_at = now
        report.sent.append(message)
        _log_attempt(message, now, None)
    return None


def _failed(
    message: OutboxMessage,
    report: SendReport,
    now: dt.datetime,
    error: TemporaryFailure,
    *,
    tried: bool,
) -> None:
    """A temporary failure: retry after the backoff, until MAIL_RETRY_DAYS have passed since
    the first failed attempt was due; the last retry falls exactly at that limit, and failing
    then is dead."""
    text = str(error) if tried else f"niet geprobeerd, de mailserver was onbereikbaar: {error}"
    message.last_error = text
    if message.failing_since is None:
        # The attempt was due at next_attempt_at: a message that waited for a sender (no
        # scheduler running) has been failing to go out since then, not since now.
        message.failing_since = min(now, message.next_attempt_at)
    give_up_at = message.failing_since + retry_window()
    if now >= give_up_at:
        message.state = MessageState.DEAD
        report.dead.append(message)
        logger.error(
            "Mail to %s given up after %d attempts since %s: %s",
            message.recipient_email,
            message.attempts,
            message.failing_since.isoformat(),
            text,
        )
    else:
        message.state = MessageState.FAILED
        message.next_attempt_at = min(now + backoff(message.attempts), give_up_at)
        report.failed.append(message)
        logger.warning(
            "Mail to %s failed (attempt %d): %s", message.recipient_email, message.attempts, text
        )
    _log_attempt(message, now, text)


def _log_attempt(message: OutboxMessage, now: dt.datetime, error: str | None) -> None:
    message.lease_until = None
    message.attempt_log = [*message.attempt_log, {"at": now.isoformat(), "error": error}]


def build_email(message: OutboxMessage, *, readable: bool = False) -> EmailMessage:
    """The e-mail for ``message``. ``readable``: every part as plain 8-bit text (no
    quoted-printable or base64), for a person opening the .eml file written without a mail
    server; what goes to an SMTP server keeps the transfer encodings every server accepts."""
    config = current_app.config
    name = " ".join((message.recipient_name or "").split())
    address = message.recipient_email
    if address.isascii():
        email = EmailMessage(policy=HEADERS)
        to = formataddr((name, address))
    else:
        # An address such as jürgen@… needs SMTPUTF8 (RFC 6531); the header goes as UTF-8.
        email = EmailMessage(policy=HEADERS_UTF8)
        to = f'"{quote(name)}" <{address}>' if name else address
    # Header values are one line: a CR or LF in a title can never start a new header.
    email["Subject"] = " ".join(message.subject.split())
    email["From"] = config["MAIL_FROM"]
    email["To"] = to
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message.message_id
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    cte = "8bit" if readable else None
    email.set_content(message.body_text, cte=cte)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html", cte=cte)
    if message.calendar:
        if readable:
            email.add_attachment(
                message.calendar, subtype="calendar", filename="deadline.ics", cte="8bit"
            )
        else:
            email.add_attachment(
                message.calendar.encode(),
                maintype="text",
                subtype="calendar",
                filename="deadline.ics",
            )
    return email


def destination() -> str:
    """One Dutch line saying where e-mail goes: the mail server, or the directory of files."""
    config = current_app.config
    if config["MAIL_SERVER"]:
        return f"E-mails gaan naar de mailserver {config['MAIL_SERVER']}:{config['MAIL_PORT']}."
    return (
        "Zonder MAIL_SERVER worden e-mails niet verstuurd maar als .eml-bestand geschreven "
        f"in {config['MAIL_DIR']}/ (te openen met een mailprogramma of teksteditor)."
    )


def write_file(message: OutboxMessage, email: EmailMessage) -> Path:
    """Write a message that has no mail server to go to as ``MAIL_DIR/<time>-<id>.eml``."""
    directory = Path(current_app.config["MAIL_DIR"])
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"{stamp}-{message.id}.eml"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_bytes(email.as_bytes())
    except OSError as error:
        raise TemporaryFailure(f"e-mail niet te schrijven in {directory}: {error}") from error
    return path


def transmit(message: OutboxMessage) -> None:
    """Hand one message to the SMTP server, or, when no server is configured, write it as a
    readable file to ``MAIL_DIR`` and say so in the log."""
    config = current_app.config
    try:
        email = build_email(message, readable=not config["MAIL_SERVER"])
    except (ValueError, TypeError, UnicodeError) as error:
        # One message that cannot be written must not stop the others: it goes dead, with why.
        raise PermanentFailure(f"e-mail niet op te stellen: {error}") from error
    if not config["MAIL_SERVER"]:
        path = write_file(message, email)
        logger.info(
            "No MAIL_SERVER: e-mail to %s written to %s (%s)",
            message.recipient_email,
            path,
            email["Subject"],
        )
        return
    timeout = config["MAIL_TIMEOUT"]
    try:
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            refused = smtp.send_message(email, to_addrs=[message.recipient_email])
    except smtplib.SMTPNotSupportedError as error:
        raise PermanentFailure(
            f"de mailserver neemt geen adres met bijzondere tekens aan ({error})"
        ) from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        _raise_for_code(min(codes), f"ontvanger geweigerd: {error.recipients}")
    except smtplib.SMTPResponseException as error:
        _raise_for_code(error.smtp_code, f"{error.smtp_code} {error.smtp_error!r}")
    except (smtplib.SMTPException, OSError) as error:  # disconnects, timeouts, refusals
        raise ServerUnreachable(f"{type(error).__name__}: {error}") from error
    if refused:
        codes = [code for code, _text in refused.values()]
        _raise_for_code(min(codes), f"ontvanger geweigerd: {refused}")


def _raise_for_code(code: int, text: str) -> None:
    if 400 <= code < 500:
        raise TemporaryFailure(text)
    raise PermanentFailure(text)


def resend(message: OutboxMessage) -> None:
    """An admin sends a dead (or failed) message again: fresh attempts and a fresh retry
    window, same Message-ID."""
    message.state = MessageState.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.lease_until = None
    message.failing_since = None
    message.dismissed_at = None


def dismiss(message: OutboxMessage) -> None:
    """An admin puts a dead message aside unsent (its address does not exist, say): it stays
    in the outbox as dead but no longer keeps the admins' alert and banner up."""
    message.dismissed_at = utcnow()
