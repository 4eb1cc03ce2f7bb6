"""`flask interop sync` against a real HTTP server on loopback that answers as the Kamer's OData
service does: pages with @odata.nextLink, $filter on GewijzigdOp, failures when told to."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.interop.models import KamerRecord, KamerSyncState
from app.interop.records import parse_moment
from app.interop.sync import SyncError, run_sync
from app.register.models import Commitment, CommitmentStatus
from app.reminders.scheduler import build_scheduler
from benchmarks.interop_import import tk_records
from config import TestConfig
from tests.test_tallies import assert_tallies_exact

_SINCE = re.compile(r"GewijzigdOp ge (\S+)")
_MINISTRY = re.compile(r"Ministerie eq '((?:[^']|'')*)'")


class KamerService:
    """The records it serves, PAGE_SIZE at a time, oldest change first; ``failures`` are status
    codes to answer before anything else, ``broken`` the page offsets that always fail."""

    PAGE_SIZE = 2

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.failures: list[int] = []
        self.broken: set[int] = set()
        self.requests: list[str] = []
        self.base = ""
        self.next_host: str | None = None

    def answer(self, path: str) -> tuple[int, dict[str, Any] | None]:
        self.requests.append(path)
        if self.failures:
            return self.failures.pop(0), None
        parts = urlsplit(path)
        if parts.path != "/odata/Toezegging":
            return 404, None
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        condition = query.get("$filter", "")
        chosen = self.records
        if since := _SINCE.search(condition):
            moment = parse_moment(since[1])
            chosen = [r for r in chosen if parse_moment(r["GewijzigdOp"]) >= moment]
        if ministry := _MINISTRY.search(condition):
            chosen = [r for r in chosen if r["Ministerie"] == ministry[1].replace("''", "'")]
        chosen = sorted(chosen, key=lambda r: (parse_moment(r["GewijzigdOp"]), r["Id"]))
        skip = int(query.get("$skip", "0"))
        if skip in self.broken:
            return 500, None
        body: dict[str, Any] = {"value": chosen[skip : skip + self.PAGE_SIZE]}
        if skip + self.PAGE_SIZE < len(chosen):
            following = dict(query, **{"$skip": str(skip + self.PAGE_SIZE)})
            base = self.base if self.next_host is None else f"http://{self.next_host}/odata"
            body["@odata.nextLink"] = f"{base}/Toezegging?{urlencode(following)}"
        return 200, body


@pytest.fixture
def kamer(app, monkeypatch) -> Iterator[KamerService]:
    service = KamerService()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = service.answer(self.path)
            data = json.dumps(body).encode() if body is not None else b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.base = f"http://127.0.0.1:{server.server_address[1]}/odata"
    monkeypatch.setitem(app.config, "TK_ODATA_URL", service.base)
    monkeypatch.setitem(app.config, "TK_SYNC_BACKOFF_SECONDS", 0.0)
    monkeypatch.setitem(app.config, "TK_SYNC_RETRIES", 3)
    monkeypatch.setitem(app.config, "TK_SYNC_TIMEOUT", 10.0)
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def five_records() -> list[dict[str, Any]]:
    records = tk_records(5, seed=7)
    for number, record in enumerate(records):
        record["GewijzigdOp"] = f"2026-03-0{number + 1}T10:00:00+01:00"
    return records


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def stored_since() -> dt.datetime | None:
    state = db.session.get(KamerSyncState, 1)
    return state.changed_since if state else None


def no_sleep(waits: list[float]):  # type: ignore[no-untyped-def]
    return waits.append


def test_a_sync_follows_every_page_and_remembers_how_far_it_read(backend, app, kamer):
    kamer.records = five_records()

    report = run_sync(sleep=no_sleep([]))

    assert report.pages == 3
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert count(KamerRecord) == 5
    assert stored_since() == dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)
    assert "$filter" not in kamer.requests[0]  # the first sync reads everything
    assert "%24skip=2" in kamer.requests[1] or "$skip=2" in kamer.requests[1]
    assert_tallies_exact()


def test_the_next_sync_asks_only_for_later_changes_and_applies_them(backend, app, kamer):
    kamer.records = five_records()
    run_sync(sleep=no_sleep([]))
    changed = dict(kamer.records[1], Status="Voldaan", GewijzigdOp="2026-04-01T10:00:00+02:00")
    added = dict(tk_records(6, seed=8)[5], GewijzigdOp="2026-04-02T10:00:00+02:00")
    kamer.records[1] = changed
    kamer.records.append(added)
    kamer.requests.clear()

    report = run_sync(sleep=no_sleep([]))

    assert "GewijzigdOp%20ge%202026-03-05T09%3A00%3A00.000000Z" in kamer.requests[0]
    # The record at the stored moment is read again and counted unchanged: never doubled.
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    promise = db.session.scalars(
        sa.select(Commitment).where(Commitment.kamer_number == changed["Nummer"])
    ).one()
    assert promise.status is CommitmentStatus.FULFILLED
    assert count(KamerRecord) == 6
    assert stored_since() == dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC)


def test_a_deletion_in_the_service_hides_the_promise(backend, app, kamer):
    kamer.records = five_records()
    run_sync(sleep=no_sleep([]))
    kamer.records[4] = dict(
        kamer.records[4], Verwijderd=True, GewijzigdOp="2026-04-01T10:00:00+02:00"
    )

    report = run_sync(sleep=no_sleep([]))

    assert report.updated == 1
    promise = db.session.scalars(
        sa.select(Commitment).where(Commitment.kamer_number == kamer.records[4]["Nummer"])
    ).one()
    assert promise.hidden
    assert_tallies_exact()


def test_a_service_that_fails_twice_with_503_is_tried_again(backend, app, kamer):
    kamer.records = five_records()
    kamer.failures = [503, 503]
    waits: list[float] = []

    report = run_sync(sleep=no_sleep(waits))

    assert report.created == 5
    assert len(waits) == 2
    assert len(kamer.requests) == 5  # two failures, then three pages


def test_backoff_doubles_and_429_is_retried_too(backend, app, kamer, monkeypatch):
    monkeypatch.setitem(app.config, "TK_SYNC_BACKOFF_SECONDS", 1.5)
    kamer.records = five_records()
    kamer.failures = [429, 502, 503]
    waits: list[float] = []

    run_sync(sleep=no_sleep(waits))

    assert waits == [1.5, 3.0, 6.0]


def test_an_interrupted_sync_resumes_without_duplicates(backend, app, kamer, runner):
    kamer.records = five_records()
    kamer.broken = {2}  # the second page keeps failing

    result = runner.invoke(args=["interop", "sync"])

    assert result.exit_code == 1
    assert "De Kamer is niet bereikbaar na 4 pogingen (500)" in result.output
    assert "de volgende sync gaat daar verder" in result.output
    assert count(KamerRecord) == 2  # the first page is kept
    assert stored_since() == dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)

    kamer.broken = set()
    result = runner.invoke(args=["interop", "sync"])

    assert result.exit_code == 0, result.output
    assert "3 nieuw, 0 bijgewerkt, 1 ongewijzigd, 0 overgeslagen." in result.output
    assert count(KamerRecord) == 5
    assert count(Commitment) == 5
    assert_tallies_exact()


def test_a_client_error_stops_at_once_and_writes_nothing(backend, app, kamer, runner):
    kamer.records = five_records()
    kamer.failures = [400]

    result = runner.invoke(args=["interop", "sync"])

    assert result.exit_code == 1
    assert "De Kamer antwoordde 400" in result.output
    assert len(kamer.requests) == 1
    assert count(KamerRecord) == 0


def test_since_and_ministry_narrow_the_request_and_leave_the_stored_moment(
    backend, app, kamer, runner
):
    kamer.records = five_records()
    ministry = kamer.records[0]["Ministerie"]

    result = runner.invoke(
        args=["interop", "sync", "--since", "2026-03-01", "--ministerie", ministry]
    )

    assert result.exit_code == 0, result.output
    assert "GewijzigdOp%20ge%202026-03-01T00%3A00%3A00.000000Z" in kamer.requests[0]
    assert "Ministerie%20eq%20" in kamer.requests[0]
    expected = sum(1 for record in kamer.records if record["Ministerie"] == ministry)
    assert count(KamerRecord) == expected
    assert stored_since() is None


def test_a_next_link_to_another_server_is_not_followed(backend, app, kamer):
    kamer.records = five_records()
    kamer.next_host = "192.0.2.1:80"

    with pytest.raises(SyncError, match="andere server"):
        run_sync(sleep=no_sleep([]))

    assert kamer.requests == kamer.requests[:1]


def test_the_scheduler_runs_the_sync_nightly_only_when_enabled():
    enabled = type("Enabled", (TestConfig,), {"TK_SYNC_ENABLED": True, "TK_SYNC_AT": "02:30"})
    jobs = {job.id: job for job in build_scheduler(create_app(enabled)).get_jobs()}
    assert "kamer-sync" in jobs
    assert str(jobs["kamer-sync"].trigger.fields[5]) == "2"  # hour
    assert str(jobs["kamer-sync"].trigger.fields[6]) == "30"  # minute

    plain = {job.id for job in build_scheduler(create_app(TestConfig)).get_jobs()}
    assert "kamer-sync" not in plain
