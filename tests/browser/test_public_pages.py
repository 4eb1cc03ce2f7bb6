"""MPs' staff use the public pages in real Chromium: filter, search, open, download; and the
pages meet WCAG 2.1 AA as far as axe-core can tell."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

#: WCAG 2.0/2.1 A and AA rules: what Dutch government sites must meet.
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_filter_search_open_and_download(live_server, page: Page, backend):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Toezeggingen aan de Kamer")).to_be_visible()
    screenshot(page, f"overview-{backend}")

    page.get_by_role("link", name="Toezeggingen", exact=True).first.click()
    page.get_by_text("Ministerie", exact=True).first.click()  # open the <details>
    page.get_by_label("Ministerie van Justitie en Veiligheid").check()
    page.get_by_label("Openstaand", exact=True).check()
    page.get_by_role("button", name="Toepassen").click()  # the open section's own button
    expect(page.get_by_text("5 toezeggingen.")).to_be_visible()
    assert "ministerie=JenV" in page.url
    assert "status=open" in page.url

    page.get_by_label("Zoeken").fill("hervestiging")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("mark").first).to_have_text("hervestigingsmissie")
    screenshot(page, f"list-{backend}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    numbers = [row[0].value for row in workbook.active.iter_rows(min_row=2)]
    assert numbers == ["TZ-2019-0002", "TZ-2019-0004"]

    page.get_by_role("link", name="TZ-2019-0002").click()
    expect(
        page.get_by_role("heading", name="Nieuwe Nederlandse hervestigingsmissie")
    ).to_be_visible()
    expect(page.locator("blockquote.promise")).to_contain_text("eerste helft van 2019")
    screenshot(page, f"detail-{backend}")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/toezeggingen",
        "/toezeggingen?q=hervestiging",
        "/toezeggingen/TZ-2019-0001",
        "/beheer/inloggen",
        "/?lang=en",
    ],
)
def test_pages_have_no_accessibility_violations(live_server, page: Page, path):
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/", "/toezeggingen", "/toezeggingen/TZ-2019-0001"])
def test_pages_fit_a_phone(live_server, browser, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}{path}")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    context.close()
