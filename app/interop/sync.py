"""Keep the register in step with the Kamer: read changed ``Toezegging`` records from the OData
service and import them (DESIGN §13).

The first page asks for records changed since the last ``GewijzigdOp`` stored
(``kamer_sync_state``), ordered by ``GewijzigdOp``; the service's ``@odata.nextLink`` leads to
the next page. Each page is imported and committed with the new high-water mark, so a sync
that stops halfway resumes where it stopped: it asks again from that moment (``ge``, not
``gt``, so records sharing the boundary moment are read again and counted unchanged, never
doubled or missed). 429 and 5xx answers and broken connections are retried with backoff.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

from flask import current_app
from flask_babel import gettext as _

from app.dbtypes import utcnow
from app.extensions import db
from app.interop.importing import ImportReport, import_records
from app.interop.models import KamerSyncState
from app.interop.records import UnreadableFile, read_json_page

logger = logging.getLogger(__name__)

#: The longest wait between two tries, whatever Retry-After says.
MAX_WAIT_SECONDS = 300
#: Pages read by one sync at most: a service whose next links go round in circles stops here.
MAX_PAGES = 100_000


class SyncError(Exception):
    """The service could not be read; the message is Dutch, for one line on the command line."""


@dataclass
class SyncReport:
    """What a sync did: pages read and the import's counts over all pages."""

    pages: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    since: dt.datetime | None = None

    def add(self, report: ImportReport) -> None:
        self.pages += 1
        self.created += report.created
        self.updated += report.updated
        self.unchanged += report.unchanged
        self.skipped.extend(report.skipped)
        for word, count in report.unknown_statuses.items():
            self.unknown_statuses[word] = self.unknown_statuses.get(word, 0) + count

    def summary(self) -> str:
        return str(
            _(
                "%(pages)s pagina's: %(created)s nieuw, %(updated)s bijgewerkt, "
                "%(unchanged)s ongewijzigd, %(skipped)s overgeslagen.",
                pages=self.pages,
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
                skipped=len(self.skipped),
            )
        )


def sync_state() -> KamerSyncState:
    state = db.session.get(KamerSyncState, 1)
    if state is None:
        state = KamerSyncState(id=1)
        db.session.add(state)
    return state


def odata_moment(moment: dt.datetime) -> str:
    """A moment as an OData DateTimeOffset literal, in UTC: ``2026-03-13T08:41:17.120000Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def first_url(base: str, since: dt.datetime | None, ministry: str | None) -> str:
    """The first page's address: changes since ``since``, of one ministry if given, oldest
    first."""
    conditions = []
    if since is not None:
        conditions.append(f"GewijzigdOp ge {odata_moment(since)}")
    if ministry:
        conditions.append("Ministerie eq '{}'".format(ministry.replace("'", "''")))
    query = "$orderby=" + quote("GewijzigdOp,Id")
    if conditions:
        query += "&$filter=" + quote(" and ".join(conditions), safe="")
    return f"{base.rstrip('/')}/Toezegging?{query}"


def _retry_after(error: urllib.error.HTTPError, fallback: float) -> float:
    value = error.headers.get("Retry-After") if error.headers else None
    if not value:
        return fallback
    try:
        return float(value)
    except ValueError:
        try:
            return (parsedate_to_datetime(value) - utcnow()).total_seconds()
        except (TypeError, ValueError):
            return fallback


def fetch(
    url: str,
    *,
    retries: int,
    backoff: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The body at ``url``; 429, 5xx and connection failures are tried again ``retries`` times,
    waiting ``backoff``, then twice that, … (or what Retry-After asks, at most
    MAX_WAIT_SECONDS)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as error:
            if error.code != 429 and error.code < 500:
                raise SyncError(
                    _("De Kamer antwoordde %(code)s op %(url)s.", code=error.code, url=url)
                ) from None
            problem = str(error.code)
            wait = _retry_after(error, wait)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            problem = str(getattr(error, "reason", error))
        if attempt == retries:
            raise SyncError(
                _(
                    "De Kamer is niet bereikbaar na %(tries)s pogingen (%(problem)s): %(url)s",
                    tries=retries + 1,
                    problem=problem,
                    url=url,
                )
            )
        logger.warning("Kamer sync: %s on %s, trying again in %.1f s", problem, url, wait)
        sleep(min(max(wait, 0.0), MAX_WAIT_SECONDS))
    raise AssertionError("unreachable")


def run_sync(
    *,
    since: dt.datetime | None = None,
    ministry: str | None = None,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncReport:
    """Read every page of changes and import it, committing after each page (see the module's
    docstring). ``since`` overrides the stored moment; with ``ministry`` only that ministry's
    records are read and the stored moment is left alone (other ministries still need the
    changes since then)."""
    config = current_app.config
    base = config["TK_ODATA_URL"]
    state = sync_state()
    start = since if since is not None else state.changed_since
    report = SyncReport(since=start)
    url: str | None = first_url(base, start, ministry)
    host = urlsplit(base).netloc
    while url is not None:
        if urlsplit(url).netloc != host:
            raise SyncError(_("De volgende pagina ligt op een andere server: %(url)s", url=url))
        if report.pages >= MAX_PAGES:
            raise SyncError(_("Meer dan %(max)s pagina's; gestopt.", max=MAX_PAGES))
        body = fetch(
            url,
            retries=config["TK_SYNC_RETRIES"],
            backoff=config["TK_SYNC_BACKOFF_SECONDS"],
            timeout=config["TK_SYNC_TIMEOUT"],
            sleep=sleep,
        )
        try:
            page = read_json_page(body, _("pagina %(number)s", number=report.pages + 1))
        except UnreadableFile as error:
            raise SyncError(str(error)) from None
        except json.JSONDecodeError:  # pragma: no cover - read_json_page says so itself
            raise
        imported = import_records(page.records, bad=page.bad)
        report.add(imported)
        if ministry is None and imported.latest is not None:
            state = sync_state()
            if state.changed_since is None or imported.latest > state.changed_since:
                state.changed_since = imported.latest
        db.session.commit()
        if progress:
            progress(
                _(
                    "pagina %(number)s: %(summary)s",
                    number=report.pages,
                    summary=imported.summary(),
                )
            )
        url = page.next_link
    if ministry is None:
        sync_state().finished_at = utcnow()
        db.session.commit()
    logger.info("Kamer sync done: %s", report.summary())
    return report
