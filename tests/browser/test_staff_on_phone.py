"""Every staff page works on a phone (390 px): no sideways scrolling, the whole menu reachable,
table values keep their column's name, and axe finds nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page

from app.auth import services
from app.auth.models import Role
from app.extensions import db
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_public_pages import WCAG_AA
from tests.conftest import PASSWORD

PHONE = {"width": 390, "height": 844}

STAFF_PAGES = [
    "/beheer/",
    "/beheer/toezeggingen/nieuw",
    "/beheer/toezeggingen/TZ-2019-0002/bewerken",
    "/beheer/toezeggingen/TZ-2019-0002/status",
    "/beheer/toezeggingen/TZ-2019-0002/deadline",
    "/beheer/brieven/nieuw",
    "/beheer/gebruikers",
    "/beheer/gebruikers/nieuw",
    "/beheer/referentie/",
    "/beheer/referentie/ministeries/",
    "/beheer/referentie/bewindspersonen/",
    "/beheer/outbox",
    "/beheer/rappel",
    "/beheer/audit",
]


@pytest.fixture(scope="module")
def phone(browser: Browser):
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def make_admin(live_app: Flask) -> None:
    with live_app.app_context():
        services.create_user(
            email="beheer@minjenv.example", name="Anna Beheer", role=Role.ADMIN, password=PASSWORD
        )
        db.session.commit()


def test_every_staff_page_fits_a_phone(live_app, live_server, page: Page, browser: Browser):
    make_admin(live_app)
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    log_in(phone, live_server.url, "beheer@minjenv.example")
    problems = []
    for path in STAFF_PAGES:
        response = phone.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
        widths = phone.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            problems.append(f"{path}: {widths[0]} px wide on a {widths[1]} px screen")
        menu_off_screen = phone.evaluate(
            """() => [...document.querySelectorAll('.site-header a, .site-header button')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth)
                .map(e => e.textContent.trim())"""
        )
        if menu_off_screen:
            problems.append(f"{path}: menu items off-screen: {menu_off_screen}")
        results = Axe().run(phone, options=WCAG_AA)
        if results.violations_count:
            problems.append(f"{path}: {results.generate_report()}")
    screenshot(phone, "phone-audit")
    phone.goto(f"{live_server.url}/beheer/")
    screenshot(phone, "phone-dashboard")
    context.close()
    assert problems == []


def test_table_values_keep_their_labels_on_a_phone(live_app, live_server, browser: Browser):
    make_admin(live_app)
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True)
    phone = context.new_page()
    log_in(phone, live_server.url, "beheer@minjenv.example")
    phone.goto(f"{live_server.url}/beheer/gebruikers")
    label = phone.evaluate(
        """() => getComputedStyle(document.querySelector('tbody td'), '::before').content"""
    )
    assert label == '"Naam: "'
    wide = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    desktop = wide.new_page()
    log_in(desktop, live_server.url, "beheer@minjenv.example")
    desktop.goto(f"{live_server.url}/beheer/gebruikers")
    assert desktop.evaluate(
        """() => getComputedStyle(document.querySelector('tbody td'), '::before').content"""
    ) in ("none", "normal")
    wide.close()
    context.close()
