"""Admins keep ministries, ministers, committees and documents current."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.extensions import db
from app.register.models import Committee, Document, Ministry, Official


@pytest.fixture
def admin_client(app, client, auth, create_user):
    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.login(admin)
    return client


def test_admin_adds_a_minister_to_a_ministry(admin_client, create_ministry):
    jenv = create_ministry(code="JenV", name="Justitie en Veiligheid")
    db.session.commit()
    response = admin_client.post(
        "/beheer/referentie/bewindspersonen/nieuw",
        data={
            "name": "E. van der Burg",
            "function": "Staatssecretaris van Justitie en Veiligheid",
            "ministry": str(jenv.id),
            "active_from": "10-01-2022",
        },
    )
    assert response.status_code == 302
    official = db.session.scalars(sa.select(Official)).one()
    assert (official.name, official.ministry_id, official.active_from) == (
        "E. van der Burg",
        jenv.id,
        dt.date(2022, 1, 10),
    )
    page = admin_client.get("/beheer/referentie/bewindspersonen/").get_data(as_text=True)
    assert "E. van der Burg" in page
    assert "10 januari 2022" in page


def test_a_term_cannot_end_before_it_starts(admin_client, create_ministry):
    jenv = create_ministry()
    db.session.commit()
    response = admin_client.post(
        "/beheer/referentie/bewindspersonen/nieuw",
        data={
            "name": "X",
            "function": "Minister",
            "ministry": str(jenv.id),
            "active_from": "2022-01-10",
            "active_to": "2021-01-10",
        },
    )
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.get_data(as_text=True)


def test_duplicates_are_refused_in_dutch_and_keep_the_input(admin_client, create_ministry):
    create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    db.session.commit()
    response = admin_client.post(
        "/beheer/referentie/ministeries/nieuw", data={"code": "JenV", "name": "Nog een"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dit bestaat al in het register." in page
    assert 'value="Nog een"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ministry)) == 1


def test_admin_renames_a_committee(admin_client, create_committee):
    committee = create_committee("Vaste commissie voor Justitie")
    db.session.commit()
    url = f"/beheer/referentie/commissies/{committee.id}"
    assert 'value="Vaste commissie voor Justitie"' in admin_client.get(url).get_data(as_text=True)
    response = admin_client.post(
        url, data={"name": "Vaste commissie voor Justitie en Veiligheid", "abbreviation": "J&V"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Committee, committee.id).abbreviation == "J&V"


def test_admin_corrects_a_document(admin_client, create_document):
    document = create_document("kst-32735-243", title="Brief")
    db.session.commit()
    response = admin_client.post(
        f"/beheer/referentie/documenten/{document.id}",
        data={
            "reference": "32 735, nr. 243",
            "kind": "brief",
            "title": "Brief over migratie en Libië",
            "date": "11-04-2019",
            "url": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Document, document.id).title == "Brief over migratie en Libië"


def test_unknown_kind_is_a_404(admin_client):
    assert admin_client.get("/beheer/referentie/planeten/").status_code == 404
