"""The clerks' screens meet WCAG 2.1 AA too, as far as axe-core can tell."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import log_in
from tests.browser.test_clerk_flow import make_clerk
from tests.browser.test_public_pages import WCAG_AA


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/",
        "/beheer/toezeggingen/nieuw",
        "/beheer/toezeggingen/TZ-2019-0002/bewerken",
        "/beheer/toezeggingen/TZ-2019-0002/status",
        "/beheer/brieven/nieuw",
    ],
)
def test_clerk_screens_have_no_accessibility_violations(live_app, live_server, page: Page, path):
    make_clerk(live_app)
    log_in(page, live_server.url, "fatima@minjenv.example")
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_letter_review_screen_has_no_accessibility_violations(
    live_app, live_server, page: Page, tmp_path
):
    from tests.test_letters import LETTER_2019

    make_clerk(live_app)
    log_in(page, live_server.url, "fatima@minjenv.example")
    page.goto(f"{live_server.url}/beheer/brieven/nieuw")
    page.get_by_label("Kamerbrief (.pdf, .docx of .txt)").set_input_files(str(LETTER_2019))
    page.get_by_role("button", name="Inlezen").click()
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/beheer/audit", "/beheer/audit?kind=login&email=fatima"])
def test_the_audit_log_has_no_accessibility_violations(live_app, live_server, page: Page, path):
    from app.auth import services
    from app.auth.models import Role
    from app.extensions import db
    from tests.conftest import PASSWORD

    with live_app.app_context():
        services.create_user(
            email="beheer@minjenv.example", name="Anna Beheer", role=Role.ADMIN, password=PASSWORD
        )
        db.session.commit()
    make_clerk(live_app)
    log_in(page, live_server.url, "fatima@minjenv.example")
    page.context.clear_cookies()
    log_in(page, live_server.url, "beheer@minjenv.example")
    page.goto(f"{live_server.url}{path}")
    assert page.get_by_role("heading", name="Auditlog").is_visible()
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
