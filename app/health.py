"""`/healthz`: the process is up and answering, for load balancers and `make bench`.

It touches no database and nothing else that can be slow or down: a health check that waits
for the database would take every worker out of rotation when only the database is slow.
"""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
