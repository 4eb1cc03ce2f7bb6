"""Public pages for anonymous readers come from the page cache while the register is unchanged,
and never once it has changed: the next request after any change shows it (DESIGN §6)."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Iterator

import flask_migrate
import pytest

from app import MIGRATIONS_DIR
from app.extensions import db
from app.register import services
from app.register.models import Commitment, CommitmentStatus, Ministry
from tests.conftest import database_url
from tests.process_helpers import make_app
from tests.servers import body_of, gunicorn_hosts
from tests.test_query_counts import counted

PAGES = (
    "/",
    "/toezeggingen",
    "/toezeggingen?status=open&ministerie=JenV",
    "/toezeggingen/{number}",
    "/api/v1/commitments",
    "/api/v1/commitments/{number}",
    "/toezeggingen.atom",
)
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def promise(create_commitment) -> Commitment:
    commitment = create_commitment(title="Nieuwe hervestigingsmissie", deadline=dt.date(2030, 6, 1))
    db.session.commit()
    return commitment


def _statements(client, url: str) -> list[str]:
    with counted() as statements:
        assert client.get(url).status_code == 200, url
    bookkeeping = ("SAVEPOINT", "RELEASE", "ROLLBACK")  # the test's transaction, not the page's
    return [s for s in statements if not s.lstrip().upper().startswith(bookkeeping)]


@pytest.mark.parametrize("page", PAGES)
def test_an_unchanged_page_is_served_again_with_one_query(client, promise, page):
    url = page.format(number=promise.number)
    first = client.get(url)
    statements = _statements(client, url)
    assert len(statements) == 1, statements  # the register's version, nothing else
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert "Content-Security-Policy" in again.headers  # made anew, as for every response


@pytest.mark.parametrize("page", PAGES)
def test_the_next_request_after_a_change_shows_it(client, promise, page):
    url = page.format(number=promise.number)
    assert "Opnieuw vastgesteld" not in client.get(url).get_data(as_text=True)
    services.update_commitment(promise, {"title": "Opnieuw vastgesteld"})
    db.session.commit()
    assert "Opnieuw vastgesteld" in client.get(url).get_data(as_text=True)


def test_a_status_change_moves_the_overview_counts_at_once(client, promise):
    assert "Voldaan" in client.get("/").get_data(as_text=True)
    before = client.get("/toezeggingen?status=fulfilled").get_data(as_text=True)
    assert promise.number not in before
    services.change_status(promise, CommitmentStatus.FULFILLED, note="Brief gestuurd.")
    db.session.commit()
    assert promise.number in client.get("/toezeggingen?status=fulfilled").get_data(as_text=True)


def test_a_change_to_a_ministry_name_shows_on_kept_pages(client, promise):
    url = f"/toezeggingen/{promise.number}"
    assert "Justitie en Veiligheid" in client.get(url).get_data(as_text=True)
    promise.ministry.name = "Justitie, Veiligheid en Asiel"
    db.session.commit()
    assert "Justitie, Veiligheid en Asiel" in client.get(url).get_data(as_text=True)


def test_staff_never_get_a_kept_page(client, auth, create_user, promise):
    client.get("/toezeggingen")  # kept for anonymous readers
    clerk = create_user(email="griffie@minjenv.example")
    db.session.commit()
    auth.login(clerk)
    page = client.get("/toezeggingen").get_data(as_text=True)
    assert "Uitloggen" in page
    auth.logout()
    assert "Uitloggen" not in client.get("/toezeggingen").get_data(as_text=True)


def test_each_visitor_gets_a_csrf_token_of_their_own(app, client, promise, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/toezeggingen/{promise.number}"
    first_visitor = app.test_client()
    tokens = []
    for visitor in (first_visitor, client):
        page = visitor.get(url).get_data(as_text=True)
        tokens.append(_TOKEN.findall(page)[0])
    assert tokens[0] != tokens[1]
    response = client.post(
        "/volgen",
        data={
            "csrf_token": tokens[1],
            "target": "toezegging",
            "value": promise.number,
            "email": "medewerker@tweedekamer.example",
        },
    )
    assert response.status_code == 302
    assert "medewerker@tweedekamer.example" in client.get(url).get_data(as_text=True)


def test_a_flash_message_is_shown_once_and_the_page_is_not_kept_with_it(client, promise):
    url = f"/toezeggingen/{promise.number}"
    client.get(url)
    client.post(
        "/volgen",
        data={"target": "toezegging", "value": promise.number, "email": "geen adres"},
        headers={"Referer": f"http://localhost{url}"},
    )
    with_message = client.get(url).get_data(as_text=True)
    assert "e-mailadres" in with_message.lower()
    other_visitor = client.application.test_client()
    assert other_visitor.get(url).get_data(as_text=True).count('class="flash') == 0


def test_each_language_is_kept_apart(client, promise):
    dutch = client.get("/toezeggingen").get_data(as_text=True)
    english = client.get("/toezeggingen?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english
    # The choice is remembered: the same URL that was kept in Dutch now comes in English.
    assert client.get("/toezeggingen").get_data(as_text=True) != dutch
    assert client.application.test_client().get("/toezeggingen").get_data(as_text=True) == dutch


def test_the_cache_can_be_switched_off(client, promise, no_page_cache):
    client.get("/toezeggingen")
    assert len(_statements(client, "/toezeggingen")) > 1


# Two processes, one database -------------------------------------------------------------


@pytest.fixture
def two_servers(backend: str, tmp_path) -> Iterator[tuple[str, list[str]]]:
    """Two gunicorn processes on their own ports, both on one database, as two hosts."""
    url = database_url(backend, tmp_path, "page_cache_hosts")
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        jenv = Ministry(code="JenV", name="Justitie en Veiligheid")
        services.create_commitment(
            title="Quick Impact Fund voor Libië",
            text="Ik zal uw Kamer informeren over het fonds.",
            made_on=dt.date(2019, 4, 11),
            ministry=jenv,
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    settings = {
        **os.environ,
        "DATABASE_URL": url,
        "APP_ENV": "production",
        "ALLOW_SQLITE": "1",  # the SQLite half: production on one machine, as a trial
        "BASE_URL": "http://register.test",
        "SECRET_KEY": secrets.token_hex(32),
        "WEB_CONCURRENCY": "1",
    }
    with gunicorn_hosts(settings, tmp_path, count=2) as bases:
        yield url, bases


@pytest.mark.slow
def test_a_change_is_seen_by_every_host_on_its_next_request(two_servers):
    url, bases = two_servers
    for base in bases:
        for _ in range(2):  # the second one is served from the host's cache
            assert "Quick Impact Fund" in body_of(f"{base}/toezeggingen/TZ-2019-0001")
            assert 'value="BZK"' not in body_of(f"{base}/toezeggingen")
    writer = make_app(url)  # a third process: a clerk's request on yet another host
    with writer.app_context():
        commitment = db.session.get_one(Commitment, 1)
        services.update_commitment(commitment, {"title": "Steunfonds voor Libië"})
        db.session.add(Ministry(code="BZK", name="Binnenlandse Zaken en Koninkrijksrelaties"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    for base in bases:
        page = body_of(f"{base}/toezeggingen/TZ-2019-0001")
        assert "<h1>Steunfonds voor Libië</h1>" in page
        assert "Titel: Quick Impact Fund voor Libië → Steunfonds voor Libië" in page
        listed = body_of(f"{base}/toezeggingen")
        assert "Steunfonds voor Libië" in listed
        assert "Quick Impact Fund" not in listed
        assert 'value="BZK"' in listed  # the filters' choices are read again as well
        uncached = body_of(f"{base}/toezeggingen?status=open")
        assert 'value="BZK"' in uncached


def test_a_broken_version_connection_is_replaced_on_the_next_request(backend, tmp_path):
    """Each worker keeps a connection for reading the register's version; when it breaks (the
    database restarted, a proxy dropped it) the next request opens a new one and answers."""
    from app.register import queries

    url = database_url(backend, tmp_path, "version_reader")
    application = make_app(url)  # its own engine, as in production: no test transaction
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        db.session.remove()
    client = application.test_client()
    assert client.get("/toezeggingen").status_code == 200
    _engine, kept = queries._version_reader.kept
    kept.close()  # broken under the pool's feet
    assert client.get("/toezeggingen").status_code == 200
    assert queries._version_reader.kept[1] is not kept
    with application.app_context():
        db.engine.dispose()
