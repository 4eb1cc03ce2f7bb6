"""The public follows a promise by e-mail: confirm, hear of each change once, unsubscribe."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.register import services
from app.register.models import CommitmentStatus
from app.reminders import mailer
from app.reminders.models import Follower

ADDRESS = "volger@example.org"


def links(email) -> list[str]:
    return re.findall(r"https?://\S+", email.get_body(("plain",)).get_content())


def confirm_path(email) -> str:
    url = next(link for link in links(email) if "/volgen/bevestigen/" in link)
    return url.removeprefix("http://register.test")


def follow(client, number="TZ-2019-0002", target="toezegging", value=None, email=ADDRESS):
    return client.post(
        "/volgen",
        data={"email": email, "target": target, "value": value or number},
        headers={"Referer": f"http://localhost/toezeggingen/{number}"},
    )


def follow_one_form(client, what, email=ADDRESS, page="/toezeggingen/TZ-2019-0002"):
    """Post the one follow form as a browser does: the address and the chosen option."""
    return client.post(
        "/volgen",
        data={"email": email, "wat": what},
        headers={"Referer": f"http://localhost{page}"},
    )


def follow_form(page: str) -> str:
    """The follow form of a page's HTML."""
    return page.split('class="follow-form"', 1)[1].split("</form>", 1)[0]


@pytest.fixture
def mission(seeded):
    from app.register.queries import commitment_by_number

    return commitment_by_number("TZ-2019-0002")


def test_follow_confirm_notify_once_and_unsubscribe(mission, client, smtp):
    response = follow(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"We hebben een e-mail gestuurd naar {ADDRESS}." in page
    mailer.send_due()
    [confirmation] = smtp.inbox.to(ADDRESS)
    assert confirmation["Subject"].startswith("Bevestig dat u TZ-2019-0002")
    confirm_url = next(link for link in links(confirmation) if "/volgen/bevestigen/" in link)

    # Unconfirmed: a change sends nothing.
    services.change_deadline(mission, None, "eind 2019", note="Nieuwe termijn.")
    db.session.commit()
    mailer.send_due()
    assert len(smtp.inbox.to(ADDRESS)) == 1

    confirmed = client.get(confirm_url.removeprefix("http://register.test"))
    assert confirmed.status_code == 200
    assert "U volgt nu TZ-2019-0002" in confirmed.get_data(as_text=True)

    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="Gaat niet door.")
    db.session.commit()
    mailer.send_due()
    mailer.send_due()
    notifications = smtp.inbox.to(ADDRESS)[1:]
    assert len(notifications) == 1
    [notification] = notifications
    assert notification["Subject"] == (
        "TZ-2019-0002 status gewijzigd: Nieuwe Nederlandse hervestigingsmissie"
    )
    body = notification.get_body(("plain",)).get_content()
    assert "Status: Openstaand → Vervallen" in body
    assert "Gaat niet door." in body
    unsubscribe_url = notification["List-Unsubscribe"].strip("<>")
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in body

    gone = client.post(unsubscribe_url.removeprefix("http://register.test"))
    assert gone.status_code == 200
    assert db.session.query(Follower).count() == 0
    services.change_status(mission, CommitmentStatus.OPEN, note="Toch wel.")
    db.session.commit()
    mailer.send_due()
    assert len(smtp.inbox.to(ADDRESS)) == 2


def test_list_unsubscribe_is_a_plain_header_for_one_click_unsubscribe(mission, app, client, smtp):
    follow(client)
    mailer.send_due()
    client.get(confirm_path(smtp.inbox.to(ADDRESS)[0]))
    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="Gaat niet door.")
    db.session.commit()
    mailer.send_due()
    raw = smtp.inbox.raw[-1]
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    # One line each, as sent: no RFC 2047 encoded words, no folding inside the address.
    found = re.search(
        r"^List-Unsubscribe: <(http://register\.test/volgen/afmelden/\S+)>\r?$", headers, re.M
    )
    assert found is not None, headers
    assert re.search(r"^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$", headers, re.M)
    assert "=?" not in headers.split("List-Unsubscribe:", 1)[1].split("\n", 1)[0]
    path = found.group(1).removeprefix("http://register.test")

    # Opening the link asks first; nothing changes (mail scanners open every link).
    page = client.get(path)
    assert page.status_code == 200
    assert "Wilt u geen e-mail meer krijgen over TZ-2019-0002" in page.get_data(as_text=True)
    assert db.session.query(Follower).count() == 1

    # The mail client's one-click POST carries no CSRF token, and needs none.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        gone = client.post(path, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert gone.status_code == 200
    assert "U volgt TZ-2019-0002" in gone.get_data(as_text=True)
    assert db.session.query(Follower).count() == 0


def test_following_a_ministry_hears_of_all_its_promises(mission, client, smtp):
    follow(client, target="ministerie", value="JenV")
    mailer.send_due()
    client.get(confirm_path(smtp.inbox.to(ADDRESS)[0]))
    services.change_deadline(mission, None, None, note="Deadline vervalt.")
    db.session.commit()
    mailer.send_due()
    assert len(smtp.inbox.to(ADDRESS)) == 2


def test_following_twice_with_the_promise_and_its_ministry_mails_once(mission, client, smtp):
    for target, value in (("toezegging", "TZ-2019-0002"), ("ministerie", "JenV")):
        follow(client, target=target, value=value)
    mailer.send_due()
    for confirmation in smtp.inbox.to(ADDRESS):
        client.get(confirm_path(confirmation))
    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="x")
    db.session.commit()
    mailer.send_due()
    assert len(smtp.inbox.to(ADDRESS)) == 3  # two confirmations, one notification


def test_a_bad_address_is_explained(mission, client):
    response = follow_one_form(client, "toezegging:TZ-2019-0002", email="geen-adres")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The form again, with what was typed, what was chosen and the error under the address.
    assert '<p class="field-error" id="email-error">Vul een geldig e-mailadres in.</p>' in page
    assert 'value="geen-adres"' in page
    assert 'name="wat" value="toezegging:TZ-2019-0002"' in page
    assert "TZ-2019-0002 Nieuwe Nederlandse hervestigingsmissie" in page
    assert db.session.query(Follower).count() == 0


def test_a_forged_or_expired_link_does_nothing(mission, client):
    response = client.get("/volgen/bevestigen/niet-echt")
    assert response.status_code == 400
    assert "De link is verlopen of ongeldig." in response.get_data(as_text=True)


def test_following_a_committee_hears_of_its_promises(mission, client, smtp):
    page = client.get("/toezeggingen/TZ-2019-0002").get_data(as_text=True)
    assert "Alle toezeggingen van de vaste commissie voor Justitie en Veiligheid" in page
    follow_one_form(client, f"commissie:{mission.committee_id}")
    mailer.send_due()
    client.get(confirm_path(smtp.inbox.to(ADDRESS)[0]))
    services.change_status(mission, CommitmentStatus.WITHDRAWN, note="Vervallen.")
    db.session.commit()
    mailer.send_due()
    assert len(smtp.inbox.to(ADDRESS)) == 2


def test_one_address_cannot_be_flooded_with_confirmations(seeded, client, smtp):
    from app.reminders.following import MAX_REQUESTS_PER_DAY

    numbers = [f"TZ-2016-000{n}" for n in range(1, 6)] + [f"TZ-2019-000{n}" for n in range(1, 8)]
    for number in numbers[:MAX_REQUESTS_PER_DAY]:
        follow(client, number=number)
    refused = follow(client, number=numbers[MAX_REQUESTS_PER_DAY])
    assert refused.status_code == 429
    assert "vandaag al veel volgverzoeken" in refused.get_data(as_text=True)
    assert db.session.query(Follower).count() == MAX_REQUESTS_PER_DAY


def test_a_promise_has_one_follow_form_with_one_address_field(mission, client):
    page = client.get("/toezeggingen/TZ-2019-0002").get_data(as_text=True)
    assert page.count('name="email"') == 1
    assert page.count('class="follow-form"') == 1
    form = follow_form(page)
    assert re.findall(r'type="radio" name="wat" value="([^"]+)"', form) == [
        "toezegging:TZ-2019-0002",
        "ministerie:JenV",
        f"commissie:{mission.committee_id}",
    ]
    assert "Wat wilt u volgen?" in form
    assert 'value="toezegging:TZ-2019-0002" checked' in form


@pytest.mark.parametrize(
    ("what", "described"),
    [
        ("toezegging:TZ-2019-0002", "TZ-2019-0002 Nieuwe Nederlandse hervestigingsmissie"),
        ("ministerie:JenV", "Ministerie van Justitie en Veiligheid"),
        ("commissie", "Vaste commissie voor Justitie en Veiligheid"),
    ],
)
def test_each_choice_of_the_one_form_is_confirmed_by_mail(mission, client, smtp, what, described):
    if what == "commissie":
        what = f"commissie:{mission.committee_id}"
    response = follow_one_form(client, what)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"We hebben een e-mail gestuurd naar {ADDRESS}." in page
    mailer.send_due()
    [confirmation] = smtp.inbox.to(ADDRESS)
    confirmed = client.get(confirm_path(confirmation)).get_data(as_text=True)
    assert f"U volgt nu {described}" in confirmed


def test_the_one_form_refuses_a_choice_that_does_not_exist(mission, client):
    for what in ("toezegging:TZ-1999-9999", "ministerie:XYZ", "commissie:abc", "iets:1", ""):
        assert follow_one_form(client, what).status_code == 404
    assert db.session.query(Follower).count() == 0


def test_a_list_filtered_to_one_ministry_offers_to_follow_it(mission, client, smtp):
    page = client.get("/toezeggingen?ministerie=JenV").get_data(as_text=True)
    form = follow_form(page)
    assert 'name="wat" value="ministerie:JenV"' in form
    assert "Alle toezeggingen van Ministerie van Justitie en Veiligheid" in form
    follow_one_form(client, "ministerie:JenV", page="/toezeggingen?ministerie=JenV")
    mailer.send_due()
    assert len(smtp.inbox.to(ADDRESS)) == 1


def test_an_unfiltered_list_says_how_to_follow(seeded, client):
    page = client.get("/toezeggingen").get_data(as_text=True)
    assert 'class="follow-form"' not in page
    assert "kies in de filters één ministerie of één commissie, of open een toezegging" in page
