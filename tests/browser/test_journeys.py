"""Journeys as new users make them, in Chromium at 1280 px and on a 390 px phone, with the
e-mails going through a real SMTP server and their links opened in the browser: an admin
invites a clerk, a staffer follows a filtered list and subscribes to its calendar, and an owner
follows a reminder's link. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from app.auth import services as account_services
from app.auth.models import Role
from app.extensions import db
from app.register import queries, services
from app.register.models import Ministry
from app.reminders import mailer, planning
from tests.browser.conftest import LiveServer, log_in, screenshot
from tests.conftest import PASSWORD
from tests.smtp import MailServers, SMTPServer

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
ADMIN = "beheer@minjenv.example"


@pytest.fixture(params=sorted(VIEWPORTS))
def device(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def screen(browser: Browser, device: str) -> Iterator[Page]:
    """A fresh browser window of the device's size (clipboard allowed, for the copy button)."""
    context = browser.new_context(
        locale="nl-NL", permissions=["clipboard-read", "clipboard-write"], **VIEWPORTS[device]
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def mail(live_app: Flask, live_server: LiveServer, smtp_servers: MailServers) -> SMTPServer:
    """The live register sends to a real SMTP server, and its links point at the live server."""
    server = smtp_servers.recording()
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, BASE_URL=live_server.url)
    return server


def send_outbox() -> None:
    """What the scheduler's send job does, once."""
    mailer.send_due()
    db.session.remove()


def link_in(message: EmailMessage, path: str) -> str:
    body = message.get_body(("plain",)).get_content()
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", body)
    assert found is not None, body
    return found.group()


def fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_an_admin_invites_a_clerk_who_sets_a_password_from_the_mail(
    live_app, live_server, mail, screen: Page, browser: Browser, device, backend
):
    with live_app.app_context():
        account_services.create_user(
            email=ADMIN, name="Anna Beheer", role=Role.ADMIN, password=PASSWORD
        )
        db.session.commit()
    log_in(screen, live_server.url, ADMIN)
    screen.goto(f"{live_server.url}/beheer/gebruikers/nieuw")
    screen.get_by_label("E-mailadres").fill("noor@minjenv.example")
    screen.get_by_label("Naam").fill("Noor Jansen")
    screen.get_by_role("button", name="Uitnodigen").click()
    # Forgot the ministry: told so under that field, nothing typed lost.
    expect(screen.locator("#ministry-error")).to_have_text(
        "Medewerkers en coördinatoren horen bij een ministerie."
    )
    expect(screen.get_by_label("E-mailadres")).to_have_value("noor@minjenv.example")
    screen.get_by_label("Ministerie").select_option(label="Ministerie van Justitie en Veiligheid")
    screen.get_by_role("button", name="Uitnodigen").click()

    expect(screen.get_by_role("heading", name="Noor Jansen is uitgenodigd")).to_be_visible()
    expect(screen.get_by_text("De link gaat per e-mail naar noor@minjenv.example.")).to_be_visible()
    copy = screen.get_by_role("button", name="Kopieer de link")
    expect(copy).to_be_visible()
    copy.click()
    expect(screen.get_by_role("button", name="Gekopieerd")).to_be_visible()
    shown = screen.locator("#password-link").input_value()
    assert screen.evaluate("navigator.clipboard.readText()") == shown
    fits_the_screen(screen)
    screenshot(screen, f"journey-invite-{device}-{backend}")

    send_outbox()
    send_outbox()
    [invitation] = mail.inbox.to("noor@minjenv.example")
    assert invitation["Subject"] == "Uitnodiging voor het Toezeggingenregister"
    link = link_in(invitation, "/beheer/wachtwoord/")
    assert link == shown
    assert link.startswith(f"{live_server.url}/")

    # The clerk, in a browser of their own, follows the link from the mail.
    clerk = browser.new_context(locale="nl-NL", **VIEWPORTS[device]).new_page()
    clerk.goto(link)
    clerk.get_by_label("Nieuw wachtwoord").fill("een lange zin als wachtwoord")
    clerk.get_by_label("Herhaal het wachtwoord").fill("een lange zin als wachtwoord")
    clerk.get_by_role("button", name=re.compile("opslaan|instellen", re.I)).click()
    expect(clerk.get_by_text("Uw wachtwoord is ingesteld. U kunt nu inloggen.")).to_be_visible()
    log_in(clerk, live_server.url, "noor@minjenv.example", "een lange zin als wachtwoord")
    expect(clerk.get_by_role("heading", name="Beheer")).to_be_visible()
    screenshot(clerk, f"journey-invite-clerk-{device}-{backend}")
    clerk.context.close()


def test_a_staffer_follows_a_filtered_list_and_subscribes_to_its_calendar(
    live_app, live_server, mail, screen: Page, device, backend
):
    screen.goto(f"{live_server.url}/toezeggingen")
    if device == "phone":  # there the filters fold away behind "Filters"
        screen.locator("details.filter-panel > summary").click()
    screen.locator("summary", has_text="Ministerie").click()
    screen.get_by_label("Ministerie van Justitie en Veiligheid").check()
    screen.get_by_role("button", name="Toepassen").click()
    expect(screen).to_have_url(re.compile(r"ministerie=JenV"))

    # The calendar of this filter, to subscribe to.
    subscribe = screen.get_by_role("link", name="Abonneren in uw agenda")
    webcal = subscribe.get_attribute("href")
    assert webcal is not None
    address = screen.get_by_label("Adres van de agenda").input_value()
    assert address == f"{live_server.url}/toezeggingen.ics?ministerie=JenV"
    assert webcal == "webcal://" + address.removeprefix("http://")
    calendar = screen.request.get(address)
    assert calendar.ok
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar.text()
    feed = screen.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert feed.get_attribute("href") == f"{live_server.url}/toezeggingen.atom?ministerie=JenV"

    # Following this ministry by e-mail: one address, one button.
    screen.get_by_text(
        "Alle toezeggingen van Ministerie van Justitie en Veiligheid"
    ).scroll_into_view_if_needed()
    screen.get_by_label("Uw e-mailadres").fill("medewerker@tweedekamer.example")
    fits_the_screen(screen)
    screenshot(screen, f"journey-follow-{device}-{backend}")
    screen.get_by_role("button", name="Volgen", exact=True).click()
    expect(
        screen.get_by_text("We hebben een e-mail gestuurd naar medewerker@tweedekamer.example.")
    ).to_be_visible()

    send_outbox()
    [confirmation] = mail.inbox.to("medewerker@tweedekamer.example")
    screen.goto(link_in(confirmation, "/volgen/bevestigen/"))
    expect(
        screen.get_by_text("U volgt nu Ministerie van Justitie en Veiligheid.", exact=False)
    ).to_be_visible()
    screenshot(screen, f"journey-follow-confirmed-{device}-{backend}")


def test_a_reminder_s_link_opens_its_promise(
    live_app, live_server, mail, screen: Page, device, backend
):
    deadline = dt.date(2019, 10, 16)  # a Wednesday: the reminder comes that day
    with live_app.app_context():
        jenv = db.session.scalars(db.select(Ministry).where(Ministry.code == "JenV")).one()
        owner = account_services.create_user(
            email="fatima@minjenv.example",
            name="Fatima el Amrani",
            role=Role.CLERK,
            ministry=jenv,
            password=PASSWORD,
        )
        mission = queries.commitment_by_number("TZ-2019-0002")
        assert mission is not None
        services.update_commitment(mission, {"owner": owner, "deadline": deadline})
        db.session.commit()
        planning.plan_day(deadline)
        db.session.commit()
    send_outbox()
    [reminder] = mail.inbox.to("fatima@minjenv.example")
    link = link_in(reminder, "/toezeggingen/")
    assert link == f"{live_server.url}/toezeggingen/TZ-2019-0002"

    screen.goto(link)
    expect(screen.get_by_role("heading", level=1)).to_have_text(
        "Nieuwe Nederlandse hervestigingsmissie"
    )
    expect(screen.get_by_text("16 oktober 2019", exact=False).first).to_be_visible()
    log_in(screen, live_server.url, "fatima@minjenv.example")
    screen.goto(link)
    expect(screen.get_by_role("link", name="Deadline wijzigen")).to_be_visible()
    fits_the_screen(screen)
    screenshot(screen, f"journey-reminder-{device}-{backend}")
