"""Several hosts on one PostgreSQL (README "In productie", DESIGN §7 and §10): two gunicorns, one
worker each, on their own ports and one database, behind what plays the load balancer. Every
request of a visitor may land on either host, so nothing a user relies on may live in one
process: failed logins count across both, a session made on one is valid on the other and a
logout on one ends it everywhere, and a change made through one is on the other's next page.

Two schedulers sending each e-mail once is tests/test_reminder_processes.py
(test_two_schedulers_racing_send_each_message_exactly_once and the gunicorn one beside it).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import secrets
from collections.abc import Iterator
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import flask_migrate
import pytest

from app import MIGRATIONS_DIR
from app.auth.models import Role, User
from app.auth.services import MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, MAX_FAILURES_PER_ADDRESS
from app.extensions import db
from app.register import services
from app.register.models import Ministry
from tests.conftest import PASSWORD, database_url
from tests.process_helpers import make_app
from tests.servers import gunicorn_hosts

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ADMIN = "beheer@example.nl"


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two hosts as README "In productie" sets them up: gunicorn with gunicorn.conf.py, the same
    settings file (database, SECRET_KEY, BASE_URL), one proxy in front (TRUSTED_PROXIES=1)."""
    directory = tmp_path_factory.mktemp("hosts")
    url = database_url("postgresql", directory, "two_hosts")
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        jenv = Ministry(code="JenV", name="Justitie en Veiligheid")
        admin = User(email=ADMIN, name="Beheerder Bakker", role=Role.ADMIN)
        admin.set_password(PASSWORD)
        db.session.add_all([jenv, admin])
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
        "APP_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": "https://toezeggingen.example.nl",
        "TRUSTED_PROXIES": "1",
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "WARNING",
    }
    with gunicorn_hosts(settings, directory, count=2) as [first, second]:
        yield first, second


class FormFields(HTMLParser):
    """What a browser would post for the forms on a page: each field's name and current value."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if tag == "input" and name and attributes.get("type") not in {"submit", "checkbox"}:
            self.fields[name] = attributes.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.fields or "selected" in attributes:
                self.fields[self._select] = attributes.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


class Visitor:
    """One browser behind the load balancer, from one client address: its cookies go with it to
    whichever host answers. The proxy tells the hosts the address and that it spoke HTTPS."""

    def __init__(self, address: str, cookies: dict[str, str] | None = None) -> None:
        self.address = address
        self.cookies = dict(cookies or {})

    def request(
        self, base: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        host = urlsplit(base)
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host.netloc}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(host.hostname or "", host.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, page
        finally:
            connection.close()

    def get(self, base: str, path: str) -> tuple[int, str]:
        return self.request(base, "GET", path)

    def submit(self, base: str, path: str, **values: str) -> tuple[int, str]:
        """Open the form at ``path`` on ``base`` and post it with ``values`` filled in."""
        status, page = self.get(base, path)
        assert status == 200, page
        parser = FormFields()
        parser.feed(page)
        return self.request(base, "POST", path, {**parser.fields, **values})

    def log_in(self, base: str, email: str, password: str) -> tuple[int, str]:
        return self.submit(base, "/beheer/inloggen", email=email, password=password)

    def logged_in(self, base: str) -> bool:
        status, page = self.get(base, "/beheer/")
        if status == 200:
            return "Beheerder Bakker" in page
        assert status == 302, page  # to the login page
        return False


def test_failed_logins_spread_over_both_hosts_lock_exactly_as_on_one(hosts):
    """Five failures for one account from one address, alternating hosts, and the sixth try
    from that address waits, even with the right password; another address still gets in."""
    guesser = Visitor("198.51.100.7")
    for attempt in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        status, page = guesser.log_in(hosts[attempt % 2], ADMIN, f"geraden wachtwoord {attempt}")
        assert status == 401, page
        assert "Onbekend e-mailadres of onjuist wachtwoord." in page
    for host in hosts:
        status, page = guesser.log_in(host, ADMIN, PASSWORD)
        assert status == 429
        assert "Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw." in page
        assert not guesser.logged_in(host)
    colleague = Visitor("203.0.113.20")
    status, _page = colleague.log_in(hosts[1], ADMIN, PASSWORD)
    assert status == 302
    assert colleague.logged_in(hosts[0])


def test_failures_from_one_address_over_many_accounts_count_across_both_hosts(hosts):
    guesser = Visitor("198.51.100.99")
    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        host = hosts[attempt % 2]
        status, _page = guesser.log_in(host, f"iemand{attempt}@example.nl", "wachtwoord")
        assert status == 401
    for host in hosts:
        status, page = guesser.log_in(host, "nog.iemand@example.nl", "wachtwoord")
        assert status == 429
        assert "Te veel mislukte inlogpogingen." in page
    status, _page = Visitor("198.51.100.100").log_in(hosts[0], "nog.iemand@example.nl", "x")
    assert status == 401  # the next address is not held back


def test_a_session_made_on_one_host_is_valid_on_the_other_and_ends_on_both(hosts):
    first, second = hosts
    clerk = Visitor("203.0.113.5")
    status, _page = clerk.log_in(first, ADMIN, PASSWORD)
    assert status == 302
    assert clerk.logged_in(second)
    assert clerk.logged_in(first)
    copied = Visitor("203.0.113.5", clerk.cookies)  # the same cookie, e.g. a second tab

    logout = {"csrf_token": _logout_token(clerk, second)}
    status, _page = clerk.request(second, "POST", "/beheer/uitloggen", logout)
    assert status == 302
    assert not copied.logged_in(first)
    assert not copied.logged_in(second)
    assert not clerk.logged_in(first)


def _logout_token(visitor: Visitor, base: str) -> str:
    _status, page = visitor.get(base, "/beheer/")
    match = re.search(r'action="/beheer/uitloggen".*?name="csrf_token" value="([^"]+)"', page, re.S)
    assert match, page
    return match[1]


def test_a_promise_recorded_through_one_host_is_on_the_other_s_next_page(hosts):
    first, second = hosts
    reader = Visitor("192.0.2.50")
    for _ in range(2):  # the second one is served from the host's page cache
        status, page = reader.get(second, "/toezeggingen")
        assert status == 200
        assert "Quick Impact Fund voor Libië" in page
        assert "Proef met twee hosts" not in page
    clerk = Visitor("203.0.113.6")
    assert clerk.log_in(first, ADMIN, PASSWORD)[0] == 302
    status, page = clerk.submit(
        first,
        "/beheer/toezeggingen/nieuw",
        text="Ik zal uw Kamer voor de zomer informeren over de proef met twee hosts.",
        title="Proef met twee hosts",
        made_on="2026-11-26",
        deadline_phrase="voor de zomer",
    )
    assert status == 302, page
    status, page = reader.get(second, "/toezeggingen")
    assert status == 200
    assert "Proef met twee hosts" in page
