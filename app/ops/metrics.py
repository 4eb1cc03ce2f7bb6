"""Prometheus metrics for ``/metrics`` (prometheus-client), DESIGN §6.

Two kinds:

- **Per process**, counted as requests pass (:func:`observe_request`): requests by endpoint,
  method and status, and their duration by endpoint and status. Under gunicorn each worker
  process counts its own; with ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory per host,
  before gunicorn starts; ``gunicorn.conf.py`` empties it and forgets dead workers) the workers
  write their counts there and a scrape of any worker adds up all of them. Without it a scrape
  sees only the worker that answers it: fine for ``flask run`` and one process, wrong for
  several.
- **From the database, at scrape time** (:class:`RegisterCollector`): the outbox per state, the
  scheduler's last heartbeat and last planning run as Unix timestamps, and the promises per
  status from ``commitment_tally``. Every worker and host reads the same rows, so these are
  the same whoever answers. A database that does not answer gives
  ``toezeggingen_database_up 0`` and none of them.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.extensions import db
from app.register import queries as register_queries
from app.reminders import queries as reminder_queries

#: The per-process metrics; a scrape reads them from here or, in multiprocess mode, from files.
PROCESS_REGISTRY = CollectorRegistry()

REQUESTS = Counter(
    "toezeggingen_http_requests",
    "HTTP requests answered, by Flask endpoint ('none' when no URL matched), method and status.",
    ["endpoint", "method", "status"],
    registry=PROCESS_REGISTRY,
)
LATENCY = Histogram(
    "toezeggingen_http_request_duration_seconds",
    "Time from the request's arrival in Flask to its response, by endpoint and status.",
    ["endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=PROCESS_REGISTRY,
)


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(endpoint, method, str(status)).inc()
    LATENCY.labels(endpoint, str(status)).observe(seconds)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class _ProcessMetrics(Collector):
    """This process's own request metrics (single-process mode)."""

    def collect(self) -> Iterator[Metric]:
        yield from PROCESS_REGISTRY.collect()


class RegisterCollector(Collector):
    """Gauges read from the database when scraped: four small queries, each along an index or
    over a handful of rows, bounded by the request's QUERY_TIMEOUT_SECONDS."""

    def collect(self) -> Iterator[Metric]:
        try:
            outbox = reminder_queries.outbox_counts()
            heartbeat = reminder_queries.scheduler_heartbeat()
            planned = reminder_queries.last_planning_run()
            statuses = register_queries.status_counts()
        except sa.exc.SQLAlchemyError:
            db.session.rollback()
            yield GaugeMetricFamily(
                "toezeggingen_database_up", "1 when the database answered this scrape.", value=0
            )
            return
        yield GaugeMetricFamily(
            "toezeggingen_database_up", "1 when the database answered this scrape.", value=1
        )
        messages = GaugeMetricFamily(
            "toezeggingen_outbox_messages",
            "E-mails in the outbox per state (pending, sending, sent, failed, dead).",
            labels=["state"],
        )
        for state, total in outbox.items():
            messages.add_metric([state.value], total)
        yield messages
        if heartbeat is not None:
            yield GaugeMetricFamily(
                "toezeggingen_scheduler_heartbeat_timestamp_seconds",
                "When the scheduler last said it was alive (Unix time); absent before it has.",
                value=heartbeat.beat_at.timestamp(),
            )
        if planned is not None:
            yield GaugeMetricFamily(
                "toezeggingen_scheduler_last_planning_run_timestamp_seconds",
                "When the scheduler last planned a day's reminders (Unix time); absent before.",
                value=planned.timestamp(),
            )
        promises = GaugeMetricFamily(
            "toezeggingen_commitments",
            "Promises in the register per status (from commitment_tally).",
            labels=["status"],
        )
        for status, total in statuses.items():
            promises.add_metric([status.value], total)
        yield promises


def exposition() -> bytes:
    """The text a scrape gets: request metrics (this process's, or every worker's in
    multiprocess mode) and the database's gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessMetrics())
    registry.register(RegisterCollector())
    return generate_latest(registry)


_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
#: Headers a proxy adds: a request carrying one came from elsewhere, whatever its address.
_FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")


def is_local(request: Request) -> bool:
    """Whether the request comes from this machine itself: a loopback address, and no proxy
    header (a proxy on the same host forwards everybody's requests from 127.0.0.1)."""
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if not any(address in network for network in _LOOPBACK):
        return False
    return not any(name in request.headers for name in _FORWARDING_HEADERS)


def may_scrape(request: Request, token: str | None) -> bool:
    """Loopback always; anyone else only with ``Authorization: Bearer <METRICS_TOKEN>``."""
    if is_local(request):
        return True
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )
