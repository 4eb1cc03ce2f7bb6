"""A clerk uploads the 2019 letter as a PDF, accepts two promises and the fulfilment, and sees
them in the register."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from app.extensions import db
from tests.browser.conftest import log_in, screenshot
from tests.test_letter_review import register_before_the_letter
from tests.test_letters import LETTER_2019, letter_as_pdf


def before_the_letter(app) -> None:
    with app.app_context():
        register_before_the_letter()
        db.session.commit()


def test_upload_a_pdf_accept_two_promises_and_the_fulfilment(
    empty_live_app, empty_live_server, page: Page, tmp_path: Path, backend
):
    before_the_letter(empty_live_app)
    pdf = tmp_path / "kst-32735-243.pdf"
    pdf.write_bytes(letter_as_pdf(LETTER_2019.read_text(encoding="utf-8")))
    url = empty_live_server.url

    log_in(page, url, "fatima@minjenv.example")
    page.get_by_role("link", name="Brief inlezen").click()
    page.get_by_label("Kamerbrief (.pdf, .docx of .txt)").set_input_files(str(pdf))
    page.get_by_role("button", name="Inlezen").click()

    expect(page.get_by_role("heading", name="6 voorgestelde toezeggingen")).to_be_visible()
    expect(page.locator("mark.promise").first).to_contain_text("hervestigingsmissie")
    screenshot(page, f"letter-review-{backend}")
    for index in range(2, 6):
        page.locator(f"#promise-{index}-accept").uncheck()
    expect(page.get_by_label("Voldaan: TZ-2019-0001", exact=False)).to_be_checked()
    page.get_by_role("button", name="Overnemen in het register").click()

    expect(page.get_by_text("Nieuwe toezeggingen: TZ-2019-0002, TZ-2019-0003.")).to_be_visible()
    page.goto(f"{url}/toezeggingen?q=hervestigingsmissie")
    page.get_by_role("link", name="TZ-2019-0002").click()
    expect(page.locator("dl.facts")).to_contain_text("30 juni 2019 (in de eerste helft van 2019)")
    expect(page.locator("dl.facts")).to_contain_text("Kamerstuk 32 735, nr. 243")
    page.goto(f"{url}/toezeggingen/TZ-2019-0001")
    expect(page.locator(".status").first).to_have_text("Voldaan")
    expect(page.locator("dl.facts")).to_contain_text("Voldaan met")
