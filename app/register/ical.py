"""Deadlines as iCalendar events, shared by the public .ics file and reminder attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from app.inputs import without_invalid_characters
from app.register.models import Commitment, CommitmentStatus


def deadline_calendar(
    commitments: Iterable[Commitment],
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
    calendars, and writing an event is most of the work. The bytes are the same either way."""
    calendar = Calendar()
    calendar.add("prodid", "-//Toezeggingenregister//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    end = b"END:VCALENDAR\r\n"
    written = [bytes(calendar.to_ical()).removesuffix(end)]
    for commitment in commitments:
        if commitment.deadline is None:
            continue
        event = events.get(commitment.id) if events is not None else None
        if event is None:
            event = deadline_event(commitment, host, url_for_number(commitment.number))
            if events is not None:
                events[commitment.id] = event
        written.append(event)
    written.append(end)
    return b"".join(written)


def deadline_event(commitment: Commitment, host: str, url: str) -> bytes:
    """The VEVENT of one promise's deadline, as it appears in a calendar."""
    assert commitment.deadline is not None
    event = Event()
    event.add("uid", f"{commitment.number}@{host}")
    # iCalendar text may not hold control characters either (RFC 5545, 3.3.11).
    clean = without_invalid_characters
    event.add("summary", clean(f"{commitment.title} ({commitment.number})"))
    event.add("dtstart", commitment.deadline)
    event.add("dtend", commitment.deadline + dt.timedelta(days=1))
    event.add("dtstamp", commitment.updated_at)
    event.add("last-modified", commitment.updated_at)
    event.add("sequence", commitment.version)
    cancelled = commitment.status is CommitmentStatus.WITHDRAWN
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("url", url)
    phrase = f" — {commitment.deadline_phrase}" if commitment.deadline_phrase else ""
    event.add(
        "description", clean(f"{commitment.text}\n\n{commitment.status.label}{phrase}\n{url}")
    )
    return bytes(event.to_ical())
