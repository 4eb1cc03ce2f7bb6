"""Subscribing instead of downloading: every list and promise page offers its calendar as an
address a calendar program keeps reading (https and webcal), and its Atom feed, linked in the
page and in its head."""

from __future__ import annotations

import html
import re

import pytest

from app.extensions import db
from app.register import services
from app.register.models import CommitmentStatus
from app.register.queries import commitment_by_number

SITE = "http://register.test"


def alternate_feed(page: str) -> str:
    """The href of the page's ``<link rel="alternate" type="application/atom+xml">``."""
    head = page.split("</head>", 1)[0]
    found = re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head
    )
    assert found is not None, head
    return html.unescape(found.group(1))


def calendar_address(page: str) -> str:
    found = re.search(r'<input id="agenda-adres"[^>]*value="([^"]+)"', page)
    assert found is not None
    return html.unescape(found.group(1))


def webcal_link(page: str) -> str:
    found = re.search(r'<a class="button" href="(webcal://[^"]+)">', page)
    assert found is not None
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/", ""),
        ("/toezeggingen", ""),
        (
            "/toezeggingen?ministerie=JenV&status=open&sorteer=nummer&page=1",
            "?status=open&ministerie=JenV",
        ),
        ("/toezeggingen/TZ-2019-0002", "?q=TZ-2019-0002"),
        # As a browser sends the filter form: every field, most of them empty.
        (
            "/toezeggingen?q=&ministerie=JenV&gevraagd_door=&deadline_van=&sorteer=",
            "?ministerie=JenV",
        ),
    ],
)
def test_pages_link_their_feed_and_offer_their_calendar_to_subscribe(seeded, client, path, query):
    page = client.get(path).get_data(as_text=True)
    feed = alternate_feed(page)
    calendar = calendar_address(page)
    assert sorted_query(feed) == sorted_query(f"{SITE}/toezeggingen.atom{query}")
    assert sorted_query(calendar) == sorted_query(f"{SITE}/toezeggingen.ics{query}")
    assert webcal_link(page) == "webcal://" + calendar.removeprefix("http://")
    assert "Abonneer u in uw agenda op de deadlines hiervan" in page
    assert f'<a href="{html.escape(feed)}" type="application/atom+xml">Atom-feed</a>' in page
    assert client.get(feed.removeprefix(SITE)).status_code == 200


def sorted_query(url: str) -> tuple[str, list[str]]:
    base, _, query = url.partition("?")
    return base, sorted(part for part in query.split("&") if part)


def test_a_promise_s_calendar_and_feed_hold_that_promise_alone(seeded, client):
    page = client.get("/toezeggingen/TZ-2019-0002").get_data(as_text=True)
    calendar = client.get(calendar_address(page).removeprefix(SITE))
    assert calendar.status_code == 200
    assert calendar.mimetype == "text/calendar"
    events = calendar.get_data(as_text=True)
    assert events.count("BEGIN:VEVENT") == 1
    assert "UID:TZ-2019-0002@register.test" in events
    assert "DTSTART;VALUE=DATE:20190630" in events

    mission = commitment_by_number("TZ-2019-0002")
    other = commitment_by_number("TZ-2019-0003")
    assert mission is not None
    assert other is not None
    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="Gaat niet door.")
    services.change_status(other, CommitmentStatus.WITHDRAWN, note="Ook niet.")
    db.session.commit()
    feed = client.get(alternate_feed(page).removeprefix(SITE)).get_data(as_text=True)
    assert "TZ-2019-0002" in feed
    assert "TZ-2019-0003" not in feed
