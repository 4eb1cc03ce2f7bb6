"""Issue 16: a clerk reads a fresh letter from a ministry (no Kamerstuk number yet, the date in
the letterhead) that delivers one earlier promise, mentions another and makes two new ones, and
links and creates the right things in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from app.extensions import db
from app.register import services
from tests.browser.conftest import log_in, screenshot
from tests.test_letter_review import register_before_the_letter

LETTER = """\
Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
Postbus 20018
2500 EA DEN HAAG

Datum 20 november 2026
Betreft Voortgang van de aanpak van migratie

Geachte voorzitter,

In het commissiedebat van 7 maart 2019 heeft de staatssecretaris uw Kamer toegezegd een update \
te sturen over migratie en de Libische detentiecentra.
Met deze brief kom ik die toezegging na.
Verder heeft mijn ambtsvoorganger toegezegd de Kamer jaarlijks een overzicht te sturen van de \
dwangsommen bij de IND.
Ik zal uw Kamer voor de zomer informeren over de resultaten van de nieuwe opvang in Niger.
Het wetsvoorstel over de terugkeer gaat in het voorjaar in internetconsultatie.

De Staatssecretaris van Justitie en Veiligheid,

M.G.J. Harbers
"""


def test_a_letter_that_delivers_one_promise_mentions_another_and_makes_two(
    empty_live_app, empty_live_server, page: Page, tmp_path: Path, backend
):
    with empty_live_app.app_context():
        world = register_before_the_letter()
        services.create_commitment(
            title="Jaarlijks overzicht van de dwangsommen bij de IND",
            text="Ik stuur de Kamer jaarlijks een overzicht van de dwangsommen bij de IND.",
            made_on=dt.date(2018, 6, 1),
            ministry=world["jenv"],
        )
        db.session.commit()
    letter = tmp_path / "brief.txt"
    letter.write_text(LETTER, encoding="utf-8")
    url = empty_live_server.url

    log_in(page, url, "fatima@minjenv.example")
    page.goto(f"{url}/beheer/brieven/nieuw")
    page.get_by_label("Kamerbrief (.pdf, .docx of .txt)").set_input_files(str(letter))
    page.get_by_role("button", name="Inlezen").click()

    expect(page.get_by_role("heading", name="2 voorgestelde toezeggingen")).to_be_visible()
    expect(page.get_by_label("Datum", exact=True)).to_have_value("2026-11-20")
    expect(page.locator("#kamerstuk")).to_have_value("")
    delivered = page.locator("#nakoming-0")
    mentioned = page.locator("#nakoming-1")
    expect(delivered).to_contain_text("Met deze brief kom ik die toezegging na.")
    expect(delivered.get_by_label("Voldaan: TZ-2019-0001", exact=False)).to_be_checked()
    expect(mentioned.locator("legend")).to_contain_text("de brief komt haar niet na")
    # Each proposal says why the reader found it.
    expect(page.locator("#kandidaat-0")).to_contain_text(
        "Gevonden omdat: het kabinet zal iets doen"
    )
    expect(delivered).to_contain_text(
        "Gevonden omdat: de eerste zin noemt een eerdere toezegging, de tweede komt haar na"
    )
    expect(mentioned).to_contain_text("Gevonden omdat: noemt een eerdere toezegging")
    expect(mentioned.get_by_label("Geen van deze")).to_be_checked()
    mentioned.get_by_label("Is TZ-2018-0001", exact=False).check()
    screenshot(page, f"letter-kinds-{backend}")
    page.get_by_role("button", name="Overnemen in het register").click()

    expect(page.get_by_text("Nieuwe toezeggingen: TZ-2026-0001, TZ-2026-0002.")).to_be_visible()
    expect(page.get_by_text("Voldaan: TZ-2019-0001.")).to_be_visible()
    expect(page.get_by_text("Genoemd in de brief (niet voldaan): TZ-2018-0001.")).to_be_visible()
    page.goto(f"{url}/toezeggingen/TZ-2019-0001")
    expect(page.locator(".status").first).to_have_text("Voldaan")
    page.goto(f"{url}/toezeggingen/TZ-2018-0001")
    expect(page.locator(".status").first).to_have_text("Openstaand")
    page.goto(f"{url}/toezeggingen/TZ-2026-0001")
    expect(page.locator("dl.facts")).to_contain_text("Voortgang van de aanpak van migratie")
    expect(page.locator("dl.facts")).to_contain_text("voor de zomer")
    page.goto(f"{url}/toezeggingen/TZ-2026-0002")
    expect(page.locator("h1")).to_contain_text("wetsvoorstel over de terugkeer")
    expect(page.locator("dl.facts")).to_contain_text("in het voorjaar")
