"""Planned reminders, the outbox every e-mail goes through, and followers of promises."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from app.dbtypes import UTCDateTime, enum_column_type, utcnow
from app.extensions import Base


class MessageState(enum.Enum):
    """pending → sending (leased) → sent; a temporary failure → failed (retried later);
    a permanent one, or temporary ones for MAIL_RETRY_DAYS → dead (shown to admins,
    resendable)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    MessageState.PENDING: _l("Wacht"),
    MessageState.SENDING: _l("Wordt verstuurd"),
    MessageState.SENT: _l("Verstuurd"),
    MessageState.FAILED: _l("Mislukt, wordt opnieuw geprobeerd"),
    MessageState.DEAD: _l("Opgegeven"),
}


class MessageKind(enum.Enum):
    REMINDER = "reminder"
    UNASSIGNED_DIGEST = "unassigned_digest"
    RAPPEL = "rappel"
    FOLLOW_CONFIRMATION = "follow_confirmation"
    FOLLOW_NOTIFICATION = "follow_notification"
    OUTBOX_ALERT = "outbox_alert"
    #: An invitation, or a new link to set a password, for a staff account.
    INVITATION = "invitation"


class OutboxMessage(Base):
    """One e-mail to one recipient. Written in the same transaction as the change that causes
    it; sent by the mailer, which may run many times: the idempotency key makes planning twice
    harmless, the lease makes two senders harmless, the Message-ID makes a re-send recognisable.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.Index("ix_outbox_message_state_next_attempt_at", "state", "next_attempt_at"),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: What makes this message unique, e.g. ``reminders:2019-06-28:o@x:17``.
    idempotency_key: so.Mapped[str] = so.mapped_column(sa.String(300), unique=True)
    #: Why the message exists.
    kind: so.Mapped[MessageKind] = so.mapped_column(enum_column_type(MessageKind, "message_kind"))
    #: The one address this message goes to.
    recipient_email: so.Mapped[str] = so.mapped_column(sa.String(254), index=True)
    #: The recipient's name, for the To header.
    recipient_name: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: Subject line, one line.
    subject: so.Mapped[str] = so.mapped_column(sa.String(500))
    #: Plain-text body.
    body_text: so.Mapped[str] = so.mapped_column(sa.Text)
    #: HTML alternative.
    body_html: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: An iCalendar attachment (the deadline), when there is one.
    calendar: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: Link for one-click unsubscribe (List-Unsubscribe), for messages to followers.
    unsubscribe_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    #: Where the message is in its life.
    state: so.Mapped[MessageState] = so.mapped_column(
        enum_column_type(MessageState, "message_state"), default=MessageState.PENDING
    )
    #: How often sending was tried.
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    #: Not to be tried before this moment (backoff after a temporary failure).
    next_attempt_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: While sending: the claim is the sender's until then; after it, another sender may.
    lease_until: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: Since when the message has been failing to go out (UTC): set at its first temporary
    #: failure, to the moment that attempt was due. Retried until MAIL_RETRY_DAYS after it,
    #: then dead. Empty until a failure; a resend empties it.
    failing_since: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: When an admin put a dead message aside without sending it (a recipient that does not
    #: exist): it no longer counts as a problem of the outbox. A resend empties it.
    dismissed_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: The last error, as the mail server or the network put it.
    last_error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: Every attempt: ``[{"at": iso, "error": str | None}]``, for the admins' view.
    attempt_log: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    #: The Message-ID header, derived from this row, the same for every attempt.
    message_id: so.Mapped[str] = so.mapped_column(sa.String(300))
    #: When the message was written (UTC).
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: When the mail server accepted it (UTC).
    sent_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())


class OutboxAlert(Base):
    """A spell during which the outbox had a problem (a dead message, or messages due too long
    and still unsent). The admins are alerted once per spell; the spell ends when the outbox is
    healthy again, and the next problem opens a new one.

    ``is_open`` is true for the open spell and NULL for closed ones; being unique, it lets only
    one spell be open, so two scheduler processes (or one restarted) never open two.
    """

    __tablename__ = "outbox_alert"

    #: Surrogate key; the alert e-mails' idempotency keys name it.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: True while the problem lasts, NULL afterwards (at most one true row).
    is_open: so.Mapped[bool | None] = so.mapped_column(unique=True)
    #: When the problem was noticed (UTC).
    opened_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime())
    #: When the outbox was found healthy again (UTC).
    cleared_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: Dead messages when the problem was noticed.
    dead: so.Mapped[int] = so.mapped_column(default=0)
    #: Messages due too long and still unsent when the problem was noticed.
    stuck: so.Mapped[int] = so.mapped_column(default=0)


class PlannedReminder(Base):
    """A reminder the policy asked for; unique per (promise, kind, date, recipient), so that
    planning the same day twice, or in two processes at once, plans it once."""

    __tablename__ = "planned_reminder"
    __table_args__ = (
        sa.UniqueConstraint(
            "commitment_id",
            "kind",
            "nominal_on",
            "recipient_email",
            name="uq_planned_reminder_commitment_kind_nominal_on_recipient",
        ),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The promise the reminder is about.
    commitment_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    #: before, due or overdue.
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: The policy's date (before the shift to a working day).
    nominal_on: so.Mapped[dt.date]
    #: The working day it is sent on.
    send_on: so.Mapped[dt.date] = so.mapped_column(index=True)
    #: Who gets it.
    recipient_email: so.Mapped[str] = so.mapped_column(sa.String(254))
    #: The e-mail that carries it (one e-mail may carry several reminders: a digest).
    message_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("outbox_message.id", ondelete="SET NULL"), index=True
    )
    #: When it was planned (UTC).
    planned_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class PlanningRun(Base):
    """A day the planner has done; on start-up it catches up on the days since the last one."""

    __tablename__ = "planning_run"

    #: The day planned for (Europe/Amsterdam).
    day: so.Mapped[dt.date] = so.mapped_column(primary_key=True)
    #: When (UTC).
    ran_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class Follower(Base):
    """Someone who follows a promise, a ministry or a committee by e-mail (double opt-in)."""

    __tablename__ = "follower"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN commitment_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN ministry_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN committee_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="follows_one_thing",
        ),
        sa.Index("ix_follower_email", "email"),
        sa.Index("ix_follower_requested_from_created_at", "requested_from", "created_at"),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The address to write to, lower case.
    email: so.Mapped[str] = so.mapped_column(sa.String(254))
    #: Followed promise, or …
    commitment_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    #: … every promise of a ministry, or …
    ministry_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("ministry.id", ondelete="CASCADE"), index=True
    )
    #: … every promise of a committee.
    committee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("committee.id", ondelete="CASCADE"), index=True
    )
    #: When the address was confirmed through the link; nothing is sent before that.
    confirmed_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: When the follower asked (UTC).
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: The client address the request came from: one client may not ask for many addresses.
    requested_from: so.Mapped[str | None] = so.mapped_column(sa.String(45))


class SchedulerHeartbeat(Base):
    """The scheduler's sign of life: one row, rewritten by its heartbeat job every minute and
    after every job it ran. ``/readyz`` and ``/metrics`` read it; an old time means no
    scheduler is running, or it cannot reach the database (DESIGN §8)."""

    __tablename__ = "scheduler_heartbeat"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    #: Always 1: there is one row.
    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: The host name of the scheduler process that wrote last.
    host: so.Mapped[str] = so.mapped_column(sa.String(255))
    #: Its process id.
    pid: so.Mapped[int]
    #: When that process started (UTC).
    started_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime())
    #: When it last said it was alive (UTC).
    beat_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime())
