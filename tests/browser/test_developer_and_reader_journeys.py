"""Issue 14's journeys for a developer and an MP's staffer, at 1280 px and on a 390 px phone:
the API explained on a page of its own, and a list whose results show without scrolling."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot

SCREENS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


class ElsewhereServer:
    """Another website on loopback: one page, no scripts of its own."""

    def __enter__(self) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = b"<!doctype html><title>Elders</title><p>Een andere website</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def fits_sideways(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest, browser: Browser):
    context = browser.new_context(
        locale="nl-NL", viewport=SCREENS[request.param], is_mobile=request.param == "phone"
    )
    context.set_default_timeout(10_000)
    yield request.param, context.new_page()
    context.close()


def test_a_developer_reads_the_api_docs_and_calls_the_api_from_another_site(
    live_server, screen, backend
):
    name, page = screen
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="API", exact=True).click()
    expect(page.get_by_role("heading", name="API voor ontwikkelaars", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/commitments", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="ministerie", exact=True)).to_be_visible()
    assert fits_sideways(page), "the docs page scrolls sideways"
    screenshot(page, f"api-docs-{name}-{backend}")

    page.get_by_role("link", name="/api/openapi.json").click()
    assert page.url.endswith("/api/openapi.json")
    expect(page.locator("body")).to_contain_text('"openapi"')

    # A script on another website may read the API: a page served by a second server on
    # another port (another origin), without the register's Content-Security-Policy.
    with ElsewhereServer() as elsewhere:
        page.goto(elsewhere)
        body = page.evaluate(
            """async (url) => {
                const response = await fetch(url, {headers: {"Accept-Language": "en"}});
                return await response.json();
            }""",
            f"{live_server.url}/api/v1/commitments?ministerie=JenV&per_page=2",
        )
    assert len(body["items"]) == 2
    assert all(item["ministry"]["code"] == "JenV" for item in body["items"])
    assert body["links"]["next"]


def top(page: Page, locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"])


def test_a_reader_finds_the_results_on_the_first_screen_and_filters_without_jumps(
    live_server, screen, backend
):
    name, page = screen
    page.goto(f"{live_server.url}/toezeggingen")
    first_result = page.get_by_role("link", name="TZ-2019-0002")
    expect(first_result).to_be_visible()
    height = SCREENS[name]["height"]
    assert top(page, first_result) < height, "the results start below the first screen"
    assert fits_sideways(page), "the list scrolls sideways"
    screenshot(page, f"list-{name}-{backend}")

    if name == "phone":
        # The filters wait behind "Filters" and open without a script.
        search = page.get_by_label("Zoeken")
        expect(search).to_be_hidden()
        page.get_by_text("Filters", exact=True).click()
        expect(search).to_be_visible()
    search = page.get_by_label("Zoeken")
    button = page.get_by_role("button", name="Filteren")
    before = (top(page, search), top(page, button))
    page.locator("summary", has_text="Ministerie").click()
    expect(page.get_by_label("Ministerie van Justitie en Veiligheid")).to_be_visible()
    if name == "desktop":
        # Nothing in the bar moves when a section opens.
        assert (top(page, search), top(page, button)) == before
    page.get_by_label("Ministerie van Justitie en Veiligheid").check()
    # The open section lies over "Filteren" on a wide screen: it has a button of its own.
    page.get_by_role("button", name="Toepassen").click()
    expect(page.get_by_text("6 toezeggingen.")).to_be_visible()
    assert "ministerie=JenV" in page.url
    expect(page.get_by_role("link", name="TZ-2019-0002")).to_be_visible()
    assert top(page, page.get_by_role("link", name="TZ-2019-0002")) < height
    if name == "phone":
        expect(page.get_by_text("Filters (1)", exact=True)).to_be_visible()
    else:
        # The chosen filter shows as a count; no panel opens over the results.
        expect(page.locator("summary", has_text="Ministerie (1)")).to_be_visible()
        expect(page.get_by_label("Ministerie van Justitie en Veiligheid")).to_be_hidden()
    screenshot(page, f"list-filtered-{name}-{backend}")
