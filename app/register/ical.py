"""Deadlines as iCalendar events, shared by the public .ics file and reminder attachments.

The text is written here rather than by the icalendar package, which takes about 2 ms an event:
the file of a whole register (100,000 deadlines) is streamed, an event at a time. What is
written is plain RFC 5545: TEXT values escaped (3.3.11), lines folded at 75 octets (3.1), CRLF.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from app.inputs import without_invalid_characters
from app.register.models import CommitmentStatus
from app.register.queries import CalendarRow

#: The longest line in octets, line break excluded (RFC 5545, 3.1).
LINE_OCTETS = 75


class CalendarPromise(Protocol):
    """What :func:`deadline_calendar` reads of a promise: a :class:`Commitment`, or a plain row
    with the same names (reminder planning's)."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def deadline(self) -> dt.date | None: ...
    @property
    def deadline_phrase(self) -> str | None: ...
    @property
    def status(self) -> CommitmentStatus: ...
    @property
    def updated_at(self) -> dt.datetime: ...
    @property
    def version(self) -> int: ...


def deadline_calendar(
    commitments: Iterable[CalendarPromise],
    *,
    host: str,
    url_for_number: Callable[[str], str],
    name: str,
    events: dict[int, bytes] | None = None,
) -> bytes:
    """One all-day event per deadline; the UID is the promise's number, so an update replaces
    the event in the reader's calendar instead of adding a second one.

    ``events``, when given, keeps each promise's event (by id) for the next calendar made with
    the same dict: reminder planning puts one promise in the owner's and the coordinators'
    calendars. The bytes are the same either way."""
    written = [_lines(_header(name))]
    label_of = functools.cache(_status_label)  # per calendar: the render's language
    for commitment in commitments:
        if commitment.deadline is None:
            continue
        event = events.get(commitment.id) if events is not None else None
        if event is None:
            url = url_for_number(commitment.number)
            row = _row_of(commitment, commitment.deadline)
            event = _lines(_event(row, host=host, url=url, label=label_of(row.status)))
            if events is not None:
                events[commitment.id] = event
        written.append(event)
    written.append(_lines(["END:VCALENDAR"]))
    return b"".join(written)


def _row_of(commitment: CalendarPromise, deadline: dt.date) -> CalendarRow:
    return CalendarRow(
        number=commitment.number,
        title=commitment.title,
        text=commitment.text,
        deadline=deadline,
        deadline_phrase=commitment.deadline_phrase,
        status=commitment.status,
        updated_at=commitment.updated_at,
        version=commitment.version,
    )


def _header(name: str) -> list[str]:
    return [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Toezeggingenregister//NL",
        "X-WR-CALNAME:" + _text(name),
    ]


def calendar_chunks(
    rows: Iterable[CalendarRow],
    *,
    host: str,
    url_for_number: Callable[[str], str],
    name: str,
    events_per_chunk: int = 500,
) -> Iterator[bytes]:
    """The calendar as UTF-8 bytes in pieces of ``events_per_chunk`` events: a response can
    stream it without holding the whole file."""
    yield _lines(_header(name))
    label_of = functools.cache(_status_label)  # per calendar: the request's language
    chunk: list[str] = []
    for count, row in enumerate(rows, start=1):
        url = url_for_number(row.number)
        chunk.extend(_event(row, host=host, url=url, label=label_of(row.status)))
        if count % events_per_chunk == 0:
            yield _lines(chunk)
            chunk = []
    chunk.append("END:VCALENDAR")
    yield _lines(chunk)


def _status_label(status: CommitmentStatus) -> str:
    return status.label


def _event(row: CalendarRow, *, host: str, url: str, label: str) -> list[str]:
    """``label``: the status's, translated once per calendar rather than once per event."""
    cancelled = row.status is CommitmentStatus.WITHDRAWN
    phrase = f" — {row.deadline_phrase}" if row.deadline_phrase else ""
    stamp = _utc(row.updated_at)
    return [
        "BEGIN:VEVENT",
        "UID:" + _text(f"{row.number}@{host}"),
        "SUMMARY:" + _text(f"{row.title} ({row.number})"),
        "DTSTART;VALUE=DATE:" + row.deadline.strftime("%Y%m%d"),
        "DTEND;VALUE=DATE:" + (row.deadline + dt.timedelta(days=1)).strftime("%Y%m%d"),
        "DTSTAMP:" + stamp,
        "LAST-MODIFIED:" + stamp,
        f"SEQUENCE:{row.version}",
        "STATUS:" + ("CANCELLED" if cancelled else "CONFIRMED"),
        "TRANSP:TRANSPARENT",
        "URL:" + url,
        "DESCRIPTION:" + _text(f"{row.text}\n\n{label}{phrase}\n{url}"),
        "END:VEVENT",
    ]


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value: without the control characters iCalendar cannot hold (RFC 5545, 3.3.11),
    backslash, semicolon and comma escaped, line breaks written as ``\\n``."""
    value = without_invalid_characters(value)
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _lines(lines: list[str]) -> bytes:
    return b"".join(_fold(line.encode("utf-8")) for line in lines)


def _fold(line: bytes) -> bytes:
    """One content line, folded after at most 75 octets (never inside a UTF-8 character);
    a continuation line starts with a space."""
    if len(line) <= LINE_OCTETS:
        return line + b"\r\n"
    parts = []
    start, limit = 0, LINE_OCTETS
    while len(line) - start > limit:
        end = start + limit
        while line[end] & 0xC0 == 0x80:  # a continuation byte: step back to the start
            end -= 1
        parts.append(line[start:end])
        start, limit = end, LINE_OCTETS - 1  # the leading space counts
    parts.append(line[start:])
    return b"\r\n ".join(parts) + b"\r\n"
