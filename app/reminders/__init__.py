"""Reminders that arrive once, on time, and survive failures; and following a promise by e-mail.

- policy: which reminders are due on a day (pure functions);
- models: planned reminders, the outbox, followers;
- planning: turns the policy into outbox messages, idempotently;
- mailer: sends the outbox over SMTP, with leases, retries and backoff;
- scheduler: the APScheduler process (`flask scheduler`) and `flask reminders run`.
"""

from flask import Blueprint

bp = Blueprint("reminders", __name__, template_folder="templates")

from app.reminders import following, invitations, routes  # noqa: E402,F401  (routes; listeners)
