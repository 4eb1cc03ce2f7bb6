"""A coordinator uploads a sheet of 300 promises, sees the two bad rows in the preview, fixes
them, imports, and finds the promises on the public pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.auth import services as accounts
from app.auth.models import Role
from app.extensions import db
from app.register.models import Ministry
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

HEADER = ["tekst", "gedaan_op", "ministerie", "bewindspersoon", "termijn", "status"]


def sheet(path: Path, bad: bool) -> Path:
    lines = [HEADER]
    for number in range(1, 301):
        lines.append(
            [
                f"Ik zal uw Kamer informeren over de pilot met nummer {number}.",
                f"{1 + number % 28} juni 2019" if number % 2 else f"{1 + number % 28}-6-2019",
                "JenV",
                "M.G.J. Harbers",
                "voor het kerstreces",
                "Openstaand",
            ]
        )
    if bad:
        lines[17][1] = "31-02-2019"
        lines[250][2] = "Ministerie van Onbekende Zaken"
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(lines)
    path.write_bytes(text.getvalue().encode("utf-8-sig"))
    return path


def test_upload_a_sheet_fix_two_rows_import_and_find_them(
    live_app, live_server, page: Page, tmp_path: Path, backend
):
    with live_app.app_context():
        jenv = db.session.scalars(sa.select(Ministry).where(Ministry.code == "JenV")).one()
        accounts.create_user(
            email="coordinator@minjenv.example",
            name="Cor Coördinator",
            role=Role.COORDINATOR,
            ministry=jenv,
            password=PASSWORD,
        )
        db.session.commit()
    url = live_server.url

    log_in(page, url, "coordinator@minjenv.example")
    page.get_by_role("link", name="Spreadsheet inlezen").click()
    page.get_by_label("Spreadsheet (.xlsx of .csv)").set_input_files(
        str(sheet(tmp_path / "toezeggingen.csv", bad=True))
    )
    page.get_by_role("button", name="Controleren").click()

    expect(page.get_by_text("2 van de 300 rijen bevatten fouten.")).to_be_visible()
    # Only the two bad rows are listed, each with its row in the sheet (the header is row 1).
    expect(page.locator("table.sheet-preview tbody tr")).to_have_count(2)
    expect(page.locator("tr.row-error")).to_have_count(2)
    first_bad, second_bad = page.locator("tr.row-error").all()
    expect(first_bad.locator("td").first).to_have_text("18")
    expect(first_bad).to_contain_text("gedaan_op: '31-02-2019' is geen datum.")
    expect(first_bad).to_be_in_viewport()
    expect(second_bad.locator("td").first).to_have_text("251")
    expect(second_bad).to_contain_text(
        "Ministerie 'Ministerie van Onbekende Zaken' staat niet in het register."
    )
    expect(page.get_by_text("De andere 298 rijen zijn in orde.")).to_be_visible()
    expect(page.get_by_role("button", name="Importeren")).to_have_count(0)
    screenshot(page, f"sheet-preview-errors-{backend}")

    page.get_by_label("Spreadsheet (.xlsx of .csv)").set_input_files(
        str(sheet(tmp_path / "verbeterd.csv", bad=False))
    )
    page.get_by_role("button", name="Controleren").click()
    expect(
        page.get_by_text("Alle rijen zijn in orde: 300 nieuw, 0 bijgewerkt, 0 ongewijzigd.")
    ).to_be_visible()
    # An impatient double click imports once and still shows that it did.
    page.get_by_role("button", name="Importeren").dblclick()

    # 300 promises: on a busy machine this can take longer than expect's 5 seconds.
    expect(page.get_by_text("Ingelezen: 300 nieuw, 0 bijgewerkt, 0 ongewijzigd.")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("al ingelezen")).to_have_count(0)
    page.goto(f"{url}/toezeggingen?q=pilot")
    expect(page.get_by_text("300 toezeggingen", exact=False).first).to_be_visible()
    page.get_by_role("link", name="TZ-2019-0008").click()
    expect(page.locator("blockquote.promise")).to_contain_text("de pilot met nummer 1.")
    expect(page.locator("dl.facts")).to_contain_text("voor het kerstreces")
    screenshot(page, f"sheet-imported-detail-{backend}")

    # The two rows that were fixed are public, as they were fixed (seven promises of 2019 were
    # there before: the sheet's promise n is TZ-2019-(7 + n)).
    page.get_by_role("button", name="Uitloggen (Cor Coördinator)").click()
    page.goto(f"{url}/toezeggingen/TZ-2019-0024")
    expect(page.locator("blockquote.promise")).to_contain_text("de pilot met nummer 17.")
    expect(page.locator("dl.facts")).to_contain_text("18 juni 2019")
    page.goto(f"{url}/toezeggingen/TZ-2019-0257")
    expect(page.locator("blockquote.promise")).to_contain_text("de pilot met nummer 250.")
    expect(page.locator("dl.facts")).to_contain_text("Ministerie van Justitie en Veiligheid")
    page.goto(f"{url}/toezeggingen?q=pilot")
    expect(page.get_by_text("300 toezeggingen", exact=False).first).to_be_visible()


def test_the_check_button_says_it_is_at_work_while_the_sheet_is_sent(
    live_app, live_server, page: Page, tmp_path: Path
):
    """A large sheet takes a while to send and check: the button says so and cannot be pressed
    again."""
    with live_app.app_context():
        jenv = db.session.scalars(sa.select(Ministry).where(Ministry.code == "JenV")).one()
        accounts.create_user(
            email="coordinator@minjenv.example",
            name="Cor Coördinator",
            role=Role.COORDINATOR,
            ministry=jenv,
            password=PASSWORD,
        )
        db.session.commit()
    log_in(page, live_server.url, "coordinator@minjenv.example")
    page.goto(f"{live_server.url}/beheer/import")
    page.get_by_label("Spreadsheet (.xlsx of .csv)").set_input_files(
        str(sheet(tmp_path / "toezeggingen.csv", bad=False))
    )
    # Sent into a frame (whose answer the register's pages, which refuse to be framed, keep
    # empty), so this page stays as it is while the sheet is on its way.
    page.evaluate(
        """() => {
            const frame = document.createElement('iframe');
            frame.name = 'elders';
            document.body.append(frame);
            document.querySelector('form[data-busy]').target = 'elders';
        }"""
    )

    page.get_by_role("button", name="Controleren").click()

    busy = page.get_by_role("button", name="Bezig met controleren…")
    expect(busy).to_be_disabled()
    expect(page.locator("form[data-busy]")).to_have_attribute("aria-busy", "true")
