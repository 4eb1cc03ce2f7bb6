"""Every request gets an id, one log line and its place in the request metrics.

The id is the caller's ``X-Request-Id`` when that is a sane token (1 to 128 of the characters
``A-Z a-z 0-9 . _ : = -``), so a proxy's or load balancer's id follows the request through;
anything else is replaced by a fresh one. It is returned in the response's ``X-Request-Id`` and
carried by every log record made while the request runs (``app.logging_setup.REQUEST_ID``).

When the response is ready, logger ``app.requests`` writes one INFO line: method, path (without
the query string, which may hold what a visitor searched for), status and duration in
milliseconds, as fields of their own in the JSON format. The duration runs until the response
is handed to the server; a streamed file's body is not counted.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from app.logging_setup import REQUEST_ID
from app.ops import metrics

logger = logging.getLogger("app.requests")

#: What an incoming X-Request-Id may be to be kept.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=-]{1,128}")
HEADER = "X-Request-Id"


def request_id_from(value: str | None) -> str:
    """The caller's id when it is a sane token, else a new one (32 hex digits)."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def start_request() -> None:
    g.request_id = request_id_from(request.headers.get(HEADER))
    g.request_started = time.perf_counter()
    g.request_id_token = REQUEST_ID.set(g.request_id)


def finish_request(response: Response) -> Response:
    if "request_id" not in g:  # a hook before ours refused the request
        start_request()
    response.headers[HEADER] = g.request_id
    seconds = time.perf_counter() - g.request_started
    endpoint = request.endpoint or "none"
    metrics.observe_request(endpoint, request.method, response.status_code, seconds)
    milliseconds = round(seconds * 1000, 1)
    logger.info(
        "%s %s %d %.1f ms",
        request.method,
        request.path,
        response.status_code,
        milliseconds,
        extra={
            "fields": {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": milliseconds,
                "endpoint": endpoint,
            }
        },
    )
    return response


def forget_request(_error: BaseException | None) -> None:
    """The thread serves other requests next: its records no longer carry this id."""
    token = g.pop("request_id_token", None)
    if token is not None:
        try:
            REQUEST_ID.reset(token)
        except ValueError:  # set in another context: leave none behind in this one
            REQUEST_ID.set(None)


def init_app(app: Flask) -> None:
    app.before_request(start_request)
    app.after_request(finish_request)
    app.teardown_request(forget_request)
