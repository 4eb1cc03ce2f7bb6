"""Signals other packages listen to, so that the register need not know about them."""

from blinker import Namespace

_signals = Namespace()

#: Sent with the CommitmentEvent after a promise's status, deadline or fulfilment changed,
#: inside the same transaction (listeners write to the outbox, committed together).
commitment_changed = _signals.signal("commitment-changed")
