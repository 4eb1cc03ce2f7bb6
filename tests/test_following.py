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
    response = follow(client, email="geen-adres")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vul een geldig e-mailadres in." in page
    assert db.session.query(Follower).count() == 0


def test_a_forged_or_expired_link_does_nothing(mission, client):
    response = client.get("/volgen/bevestigen/niet-echt")
    assert response.status_code == 400
    assert "De link is verlopen of ongeldig." in response.get_data(as_text=True)


def test_following_a_committee_hears_of_its_promises(mission, client, smtp):
    page = client.get("/toezeggingen/TZ-2019-0002").get_data(as_text=True)
    assert "Volg alle toezeggingen van de vaste commissie voor Justitie en Veiligheid" in page
    follow(client, target="commissie", value=str(mission.committee_id))
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
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "vandaag al veel volgverzoeken" in page
    assert db.session.query(Follower).count() == MAX_REQUESTS_PER_DAY
