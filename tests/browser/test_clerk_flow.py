"""A clerk records a promise in real Chromium, and the public sees it change."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from app.auth import services
from app.auth.models import Role
from app.extensions import db
from app.register.models import Ministry
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD


def make_clerk(live_app) -> None:
    with live_app.app_context():
        jenv = db.session.scalars(db.select(Ministry).where(Ministry.code == "JenV")).one()
        services.create_user(
            email="fatima@minjenv.example",
            name="Fatima el Amrani",
            role=Role.CLERK,
            ministry=jenv,
            password=PASSWORD,
        )
        db.session.commit()


def test_clerk_records_a_promise_and_the_public_sees_its_status(
    live_app, live_server, page: Page, backend
):
    make_clerk(live_app)
    page.goto(f"{live_server.url}/beheer/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()

    page.get_by_label("E-mailadres").fill("fatima@minjenv.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Beheer")).to_be_visible()

    page.get_by_role("link", name="Nieuwe toezegging vastleggen").click()
    page.get_by_label("Tekst van de toezegging").fill(
        "Ik zal uw Kamer voor de zomer informeren over de voortgang van de hervestiging."
    )
    page.get_by_label("Gedaan op").fill("20-11-2019")
    page.get_by_label("Deadline zoals verwoord").fill("voor de zomer")
    preview = page.locator("#deadline-preview")
    expect(preview).to_have_text("“voor de zomer” wordt 2 juli 2020.")
    expect(page.get_by_label("Deadline (datum)")).to_have_value("02-07-2020")
    screenshot(page, f"clerk-new-promise-{backend}")
    page.get_by_role("button", name="Opslaan").click()

    expect(
        page.get_by_text(re.compile(r"Toezegging TZ-2019-\d{4} is vastgelegd\."))
    ).to_be_visible()
    number = page.locator("dd").first.inner_text().split()[0]
    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("Nieuwe status").select_option(label="Vervallen")
    page.get_by_label("Toelichting").fill("Ingehaald door het nieuwe beleid.")
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.get_by_text("is nu Vervallen")).to_be_visible()

    anonymous = page.context.browser.new_context()
    public = anonymous.new_page()
    public.goto(f"{live_server.url}/toezeggingen/{number}")
    expect(public.locator(".status").first).to_have_text("Vervallen")
    history = public.locator(".timeline")
    expect(history).to_contain_text("Status: Openstaand → Vervallen")
    expect(history).to_contain_text("Ingehaald door het nieuwe beleid.")
    expect(history).not_to_contain_text("Fatima el Amrani")  # civil servants are not public
    screenshot(public, f"public-detail-after-status-{backend}")
    public.goto(f"{live_server.url}/beheer/")
    expect(public.get_by_role("heading", name="Inloggen")).to_be_visible()
    anonymous.close()


def test_enter_in_a_field_saves_the_form(live_app, live_server, page: Page):
    make_clerk(live_app)
    page.goto(f"{live_server.url}/beheer/inloggen")
    page.get_by_label("E-mailadres").fill("fatima@minjenv.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.goto(f"{live_server.url}/beheer/toezeggingen/nieuw")
    page.get_by_label("Tekst van de toezegging").fill("Ik kom hierop terug in het najaar.")
    page.get_by_label("Gedaan op").fill("2019-04-11")
    page.get_by_label("Deadline zoals verwoord").fill("in het najaar")
    expect(page.locator("#deadline-preview")).to_have_text(
        "“in het najaar” wordt 20 december 2019."
    )
    page.get_by_label("Deadline zoals verwoord").press("Enter")
    expect(
        page.get_by_text(re.compile(r"Toezegging TZ-2019-\d{4} is vastgelegd\."))
    ).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("20 december 2019 (in het najaar)")


def test_a_suggested_title_is_a_placeholder_and_an_empty_title_is_made_from_the_text(
    live_app, live_server, page: Page
):
    make_clerk(live_app)
    log_in(page, live_server.url, "fatima@minjenv.example")
    page.goto(f"{live_server.url}/beheer/toezeggingen/nieuw")
    page.get_by_label("Tekst van de toezegging").fill(
        "Ik stuur uw Kamer voor de zomer een brief over de opvang. Ook de kosten komen aan bod."
    )
    title = page.get_by_label("Titel", exact=True)
    title.click()
    expect(title).to_have_value("")
    expect(title).to_have_attribute(
        "placeholder", "Ik stuur uw Kamer voor de zomer een brief over de opvang"
    )
    title.type("Brief over de opvang")
    expect(title).to_have_value("Brief over de opvang")
    title.fill("")
    page.get_by_label("Gedaan op").fill("2019-04-11")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ik stuur uw Kamer voor de zomer een brief over de opvang"
    )


def test_the_live_deadline_preview_speaks_english_when_chosen(live_app, live_server, page: Page):
    make_clerk(live_app)
    page.goto(f"{live_server.url}/beheer/inloggen?lang=en")
    page.get_by_label("E-mail address").fill("fatima@minjenv.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.goto(f"{live_server.url}/beheer/toezeggingen/nieuw")
    page.locator("#made_on").fill("2019-04-11")
    page.locator("#deadline_phrase").fill("in het najaar")
    expect(page.locator("#deadline-preview")).to_have_text(
        "“in het najaar” becomes 20 December 2019."
    )
