"""Following promises by e-mail: double opt-in, one notification per change, one-click
unsubscribe. Every mail goes through the outbox, like the reminders."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import URLSafeTimedSerializer

from app.auth.services import looks_like_email
from app.dbtypes import utcnow
from app.extensions import db
from app.register.models import Commitment, CommitmentEvent, Committee, Ministry
from app.register.signals import commitment_changed
from app.reminders.models import Follower, MessageKind
from app.reminders.outbox import enqueue

logger = logging.getLogger(__name__)

#: New things one address may ask to follow in a day: nobody floods a stranger's inbox.
MAX_REQUESTS_PER_DAY = 10
#: New follow requests one client may make in a day, whatever addresses it gives: nobody uses
#: the register to send confirmation e-mails to a list of strangers.
MAX_REQUESTS_PER_CLIENT_PER_DAY = 10
#: How long a confirmation link works.
CONFIRM_MAX_AGE = 7 * 24 * 3600


class FollowError(ValueError):
    """The request to follow cannot be honoured; the message is for the user, ``status`` the
    HTTP status to answer with (429 for too many requests)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="volgen")


def token_for(follower: Follower, action: str) -> str:
    return _serializer().dumps({"follower": follower.id, "action": action})


def follower_from_token(token: str, action: str, max_age: int | None = None) -> Follower | None:
    """The follower a link is for; None when the link is forged, expired or for another use."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except Exception:  # BadSignature, SignatureExpired, malformed payloads
        return None
    if not isinstance(data, dict) or data.get("action") != action:
        return None
    return db.session.get(Follower, data.get("follower"))


def _link(path: str) -> str:
    return f"{current_app.config['BASE_URL']}{path}"


def describe(follower: Follower) -> str:
    if follower.commitment_id is not None:
        commitment = db.session.get_one(Commitment, follower.commitment_id)
        return f"{commitment.number} {commitment.title}"
    if follower.ministry_id is not None:
        return db.session.get_one(Ministry, follower.ministry_id).name
    return db.session.get_one(Committee, follower.committee_id).name


def follow(
    email: str,
    *,
    commitment: Commitment | None = None,
    ministry: Ministry | None = None,
    committee: Committee | None = None,
    client_address: str | None = None,
) -> tuple[Follower, bool]:
    """Ask to follow; returns the follower and whether a confirmation e-mail was queued."""
    email = email.strip().lower()
    if not looks_like_email(email):
        raise FollowError(_("Vul een geldig e-mailadres in."))
    target = {
        Follower.commitment_id: commitment.id if commitment else None,
        Follower.ministry_id: ministry.id if ministry else None,
        Follower.committee_id: committee.id if committee else None,
    }
    conditions = [Follower.email == email] + [
        column.is_(None) if value is None else column == value for column, value in target.items()
    ]
    follower = db.session.scalars(sa.select(Follower).where(*conditions)).first()
    if follower is None and _recent_requests(Follower.email == email) >= MAX_REQUESTS_PER_DAY:
        raise FollowError(
            _(
                "Voor dit e-mailadres zijn vandaag al veel volgverzoeken gedaan; "
                "probeer het morgen."
            ),
            429,
        )
    if (
        follower is None
        and client_address is not None
        and _recent_requests(Follower.requested_from == client_address)
        >= MAX_REQUESTS_PER_CLIENT_PER_DAY
    ):
        raise FollowError(_("Vanaf uw adres zijn vandaag al veel volgverzoeken gedaan."), 429)
    if follower is None:
        follower = Follower(
            email=email,
            requested_from=client_address[:45] if client_address else None,
            **{column.key: value for column, value in target.items()},
        )
        db.session.add(follower)
        db.session.flush()
    if follower.confirmed_at is not None:
        return follower, False
    queued = enqueue(
        key=f"follow-confirm:{follower.id}:{utcnow().date().isoformat()}",
        kind=MessageKind.FOLLOW_CONFIRMATION,
        recipient_email=email,
        recipient_name=None,
        template="follow_confirmation",
        what=describe(follower),
        confirm_url=_link(f"/volgen/bevestigen/{token_for(follower, 'confirm')}"),
    )
    return follower, queued is not None


def _recent_requests(who: sa.ColumnElement[bool]) -> int:
    """Follow requests made in the last day by an address or a client."""
    since = utcnow() - dt.timedelta(days=1)
    statement = sa.select(sa.func.count()).select_from(Follower)
    return db.session.scalar(statement.where(who, Follower.created_at >= since)) or 0


def confirm(follower: Follower) -> None:
    if follower.confirmed_at is None:
        follower.confirmed_at = utcnow()
        logger.info("Follower %s confirmed", follower.id)


def unsubscribe(follower: Follower) -> None:
    db.session.delete(follower)
    logger.info("Follower %s unsubscribed", follower.id)


@commitment_changed.connect
def notify_followers(event: CommitmentEvent, **_extra: Any) -> None:
    """One e-mail per confirmed follower for each status, deadline or fulfilment change."""
    commitment = event.commitment
    followers = db.session.scalars(
        sa.select(Follower)
        .where(
            Follower.confirmed_at.is_not(None),
            sa.or_(
                Follower.commitment_id == commitment.id,
                Follower.ministry_id == commitment.ministry_id,
                sa.and_(
                    Follower.committee_id.is_not(None),
                    Follower.committee_id == commitment.committee_id,
                ),
            ),
        )
        .order_by(Follower.id)
    )
    seen: set[str] = set()
    for follower in followers:
        if follower.email in seen:
            continue
        seen.add(follower.email)
        enqueue(
            key=f"follow:{event.id}:{follower.email}",
            kind=MessageKind.FOLLOW_NOTIFICATION,
            recipient_email=follower.email,
            recipient_name=None,
            template="follow_notification",
            commitment=commitment,
            event=event,
            unsubscribe_url=_link(f"/volgen/afmelden/{token_for(follower, 'unsubscribe')}"),
        )
