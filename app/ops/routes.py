"""``/readyz`` and ``/metrics`` (DESIGN §6)."""

from __future__ import annotations

from flask import Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from app.ops import bp, metrics, readiness


@bp.get("/readyz")
def readyz() -> Response:
    """200 ``ok``, or 503 with one ``check: reason`` line per failing check."""
    found = readiness.check()
    response = Response(found.text(), status=200 if found.ready else 503, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def prometheus_metrics() -> Response:
    """Prometheus's text format, for loopback or a bearer token; 404 for everyone else."""
    if not metrics.may_scrape(request, current_app.config["METRICS_TOKEN"]):
        abort(404)
    response = Response(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
