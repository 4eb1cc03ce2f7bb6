"""The invitation e-mail: an admin's invitation or new password link goes to the person by
mail, through the outbox like every other e-mail (sent once, retried when the server fails)."""

from __future__ import annotations

from typing import Any

from app.auth.models import User
from app.auth.signals import password_link_made
from app.reminders.models import MessageKind
from app.reminders.outbox import enqueue


@password_link_made.connect
def mail_password_link(user: User, *, link: str, invited: bool, actor: User, **_extra: Any) -> None:
    """Queue the link for ``user``; one message per link (the account's session token changes
    with every new link, so each link is its own idempotency key)."""
    enqueue(
        key=f"password-link:{user.id}:{user.session_token}",
        kind=MessageKind.INVITATION,
        recipient_email=user.email,
        recipient_name=user.name,
        template="invitation",
        user=user,
        link=link,
        invited=invited,
        actor_name=actor.name,
    )
