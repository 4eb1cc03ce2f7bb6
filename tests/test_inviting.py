"""An admin invites a clerk: the invitation arrives by e-mail (once, through the outbox) and the
link stays on screen to copy; errors sit beside their field; coordinators keep their own
ministry's ministers and state secretaries, so a clerk is never left with nobody to pick."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.extensions import db
from app.register.models import Official
from app.reminders import mailer
from app.reminders.models import MessageKind, OutboxMessage

CLERK = "nieuwe.medewerker@minjenv.example"


@pytest.fixture
def ministries(app, create_ministry):
    jenv = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    bz = create_ministry(code="BZ", name="Ministerie van Buitenlandse Zaken")
    db.session.commit()
    return jenv, bz


@pytest.fixture
def admin(app, client, auth, create_user):
    user = create_user(name="Beheerder Bakker", role=Role.ADMIN)
    db.session.commit()
    auth.login(user)
    return user


def invite(client, ministry_id, email=CLERK, role="clerk", name="Noor Jansen"):
    return client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": email, "name": name, "role": role, "ministry": str(ministry_id)},
    )


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found is not None, f"no error under {field}"
    return found.group(1)


def test_the_invitation_is_mailed_once_and_its_link_stays_to_copy(ministries, admin, client, smtp):
    jenv, _bz = ministries
    response = invite(client, jenv.id)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"De link gaat per e-mail naar {CLERK}." in page
    shown = re.search(r'<input id="password-link" type="text" readonly value="([^"]+)"', page)
    assert shown is not None
    # The copy button is there for JavaScript to show; without it the field can be selected.
    assert 'data-copy="password-link"' in page
    assert re.search(r'<button type="button"[^>]*data-copy="password-link"[^>]*hidden>', page)
    assert "copy.js" in page

    queued = db.session.scalars(sa.select(OutboxMessage)).one()
    assert queued.kind is MessageKind.INVITATION
    mailer.send_due()
    mailer.send_due()
    [mail] = smtp.inbox.to(CLERK)
    assert mail["Subject"] == "Uitnodiging voor het Toezeggingenregister"
    assert mail["To"] == f"Noor Jansen <{CLERK}>"
    body = mail.get_body(("plain",)).get_content()
    assert "Beheerder Bakker heeft een account voor u gemaakt in het Toezeggingenregister" in body
    assert "Uw ministerie: Ministerie van Justitie en Veiligheid." in body
    assert shown.group(1) in body
    assert "http://register.test/beheer/inloggen" in body

    client.post("/beheer/uitloggen")
    set_password = client.get(shown.group(1).removeprefix("http://register.test"))
    assert set_password.status_code == 200
    assert "Nieuw wachtwoord" in set_password.get_data(as_text=True)


def test_a_new_password_link_is_mailed_too(ministries, admin, client, smtp, create_user):
    jenv, _bz = ministries
    clerk = create_user(name="Noor Jansen", email=CLERK, ministry=jenv)
    db.session.commit()
    response = client.post(f"/beheer/gebruikers/{clerk.id}/wachtwoordlink")
    assert response.status_code == 200
    mailer.send_due()
    [mail] = smtp.inbox.to(CLERK)
    assert mail["Subject"] == "Nieuwe link om uw wachtwoord in te stellen"
    assert "Eerdere links werken niet meer." in mail.get_body(("plain",)).get_content()


def test_a_clerk_without_a_ministry_is_told_so_under_that_field(ministries, admin, client):
    response = invite(client, "")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_error(page, "ministry") == "Medewerkers en coördinatoren horen bij een ministerie."
    assert 'id="email-error"' not in page
    assert f'value="{CLERK}"' in page  # nothing typed is lost
    assert db.session.scalars(sa.select(OutboxMessage)).first() is None


def test_an_address_in_use_is_told_under_the_address(ministries, admin, client, create_user):
    jenv, _bz = ministries
    create_user(email=CLERK, ministry=jenv)
    db.session.commit()
    response = invite(client, jenv.id)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_error(page, "email") == f"Er bestaat al een account voor {CLERK}."
    assert 'id="ministry-error"' not in page


# Officials: coordinators keep their own ministry's. -------------------------------------------


@pytest.fixture
def people(ministries, create_user):
    jenv, _bz = ministries
    found = {
        "admin": create_user(role=Role.ADMIN),
        "coordinator": create_user(name="Jan de Coördinator", role=Role.COORDINATOR, ministry=jenv),
        "clerk": create_user(role=Role.CLERK, ministry=jenv),
    }
    db.session.commit()
    return found


def official_form(ministry_id, name="E. van der Burg"):
    return {
        "name": name,
        "function": "Staatssecretaris van Justitie en Veiligheid",
        "ministry": str(ministry_id),
        "active_from": "10-01-2022",
    }


@pytest.mark.parametrize(
    ("who", "ministry", "status"),
    [
        ("admin", "JenV", 302),
        ("admin", "BZ", 302),
        ("coordinator", "JenV", 302),
        ("coordinator", "BZ", 403),
        ("clerk", "JenV", 403),
    ],
)
def test_who_may_add_an_official(ministries, people, client, auth, who, ministry, status):
    jenv, bz = ministries
    auth.login(people[who])
    target = jenv if ministry == "JenV" else bz
    response = client.post(
        "/beheer/referentie/bewindspersonen/nieuw", data=official_form(target.id)
    )
    assert response.status_code == status
    added = db.session.scalars(sa.select(Official)).all()
    assert [o.ministry_id for o in added] == ([target.id] if status == 302 else [])


@pytest.mark.parametrize(
    ("who", "ministry", "status"),
    [
        ("coordinator", "JenV", 302),
        ("coordinator", "BZ", 403),
        ("clerk", "JenV", 403),
    ],
)
def test_who_may_change_an_official(ministries, people, client, auth, who, ministry, status):
    jenv, bz = ministries
    official = Official(
        name="Oud", function="Minister", ministry_id=(jenv if ministry == "JenV" else bz).id
    )
    db.session.add(official)
    db.session.commit()
    auth.login(people[who])
    page = client.get(f"/beheer/referentie/bewindspersonen/{official.id}")
    assert page.status_code == (200 if status == 302 else 403)
    response = client.post(
        f"/beheer/referentie/bewindspersonen/{official.id}",
        data=official_form(official.ministry_id, name="Nieuw"),
    )
    assert response.status_code == status
    db.session.refresh(official)
    assert official.name == ("Nieuw" if status == 302 else "Oud")


def test_a_coordinator_cannot_move_an_official_to_another_ministry(
    ministries, people, client, auth
):
    jenv, bz = ministries
    official = Official(name="Oud", function="Minister", ministry_id=jenv.id)
    db.session.add(official)
    db.session.commit()
    auth.login(people["coordinator"])
    response = client.post(
        f"/beheer/referentie/bewindspersonen/{official.id}", data=official_form(bz.id)
    )
    assert response.status_code == 403
    db.session.refresh(official)
    assert official.ministry_id == jenv.id


def test_a_coordinator_sees_and_keeps_only_their_own_ministry(ministries, people, client, auth):
    jenv, bz = ministries
    db.session.add_all(
        [
            Official(name="Eigen Minister", function="Minister", ministry_id=jenv.id),
            Official(name="Andere Minister", function="Minister", ministry_id=bz.id),
        ]
    )
    db.session.commit()
    auth.login(people["coordinator"])
    home = client.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/referentie/bewindspersonen/"' in home
    page = client.get("/beheer/referentie/bewindspersonen/").get_data(as_text=True)
    assert "Eigen Minister" in page
    assert "Andere Minister" not in page
    form = client.get("/beheer/referentie/bewindspersonen/nieuw").get_data(as_text=True)
    assert "Ministerie van Justitie en Veiligheid (JenV)" in form
    assert "Ministerie van Buitenlandse Zaken" not in form
    for other_kind in ("ministeries", "commissies", "documenten"):
        assert client.get(f"/beheer/referentie/{other_kind}/").status_code == 403
    assert client.get("/beheer/referentie/").status_code == 403


def test_a_clerk_whose_ministry_has_no_officials_is_told_who_adds_them(people, client, auth):
    auth.login(people["clerk"])
    page = client.get("/beheer/toezeggingen/nieuw").get_data(as_text=True)
    assert (
        "Dit ministerie heeft nog geen bewindspersonen in het register. De coördinatoren van "
        "het ministerie (Jan de Coördinator) of een beheerder kunnen ze toevoegen."
    ) in page


def test_a_coordinator_whose_ministry_has_no_officials_is_told_where(people, client, auth):
    auth.login(people["coordinator"])
    page = client.get("/beheer/toezeggingen/nieuw").get_data(as_text=True)
    assert "U kunt ze toevoegen op de pagina Bewindspersonen." in page
