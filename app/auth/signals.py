"""Signals other packages listen to, so that accounts need not know about them."""

from blinker import Namespace

_signals = Namespace()

#: Sent with the User when an admin invited them or made them a new password link, with
#: ``link`` (the absolute link to set a password), ``invited`` (True for a new account) and
#: ``actor`` (the admin), inside the request's transaction: the listener in
#: app.reminders.invitations writes the e-mail to the outbox, committed together.
password_link_made = _signals.signal("password-link-made")
