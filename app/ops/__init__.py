"""Operating the register: readiness (``/readyz``), Prometheus metrics (``/metrics``), request
ids and one log line per request (DESIGN §6, §7).

It sits at the top of the layers, beside the screens: it reads the outbox and the scheduler's
heartbeat (``reminders``) and the register's tallies. ``create_app`` calls :func:`init_app`
before anything else hooks into requests, so every request, refused ones included, gets an id,
a log line and its count.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)


def init_app(app: Flask, migrations_dir: Path) -> None:
    from app.ops import readiness, requests, routes  # noqa: F401 - routes registers the URLs

    requests.init_app(app)
    readiness.init_app(app, migrations_dir)
    app.register_blueprint(bp)
