"""The audit log: sessions and account changes, for admins to filter and export."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from app.auth.models import AuditEvent, AuditKind, Role, User
from app.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def admin(create_user):
    user = create_user(name="Anna Beheer", role=Role.ADMIN)
    db.session.commit()
    return user


def kinds_for(email: str) -> list[AuditKind]:
    statement = sa.select(AuditEvent.kind).where(AuditEvent.subject_email == email)
    return list(db.session.scalars(statement.order_by(AuditEvent.id)))


def test_logins_failures_throttling_and_logouts_are_logged(client, auth, create_user):
    from app.auth import services

    clerk = create_user()
    db.session.commit()
    auth.login(clerk, "fout wachtwoord 123", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    auth.login(clerk)
    auth.logout()
    for _ in range(services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        auth.login(clerk, "fout wachtwoord 123")
    auth.login(clerk)
    assert kinds_for(clerk.email) == [
        AuditKind.LOGIN_FAILED,
        AuditKind.LOGIN,
        AuditKind.LOGOUT,
        *[AuditKind.LOGIN_FAILED] * services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        AuditKind.LOGIN_THROTTLED,
    ]
    failed = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).first()
    assert failed.ip_address == "192.0.2.7"
    assert failed.actor_name == "—"


def test_account_management_is_logged_with_who_did_it(client, auth, admin, create_ministry):
    jenv = create_ministry(code="JenV")
    db.session.commit()
    auth.login(admin)
    client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "email": "nieuw@minjenv.example",
            "name": "Nieuwe Collega",
            "role": "clerk",
            "ministry": str(jenv.id),
        },
    )
    user = db.session.scalars(sa.select(User).where(User.email == "nieuw@minjenv.example")).one()
    client.post(
        f"/beheer/gebruikers/{user.id}",
        data={
            "email": "nieuw@minjenv.example",
            "name": "Nieuwe Collega",
            "role": "coordinator",
            "ministry": str(jenv.id),
        },
    )
    client.post(f"/beheer/gebruikers/{user.id}/wachtwoordlink")
    assert kinds_for(user.email) == [
        AuditKind.USER_INVITED,
        AuditKind.USER_CHANGED,
        AuditKind.USER_DEACTIVATED,  # the form was posted without "actief"
        AuditKind.PASSWORD_LINK,
    ]
    changed = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.kind == AuditKind.USER_CHANGED)
    ).one()
    assert changed.actor_name == "Anna Beheer"
    assert changed.detail == "rol: Medewerker → Coördinator"


def test_admins_filter_the_log_and_download_it(client, auth, admin, create_user):
    other = create_user(email="ander@minjenv.example")
    db.session.commit()
    auth.login(other, "fout wachtwoord 123")
    auth.login(admin)
    page = client.get("/beheer/audit?kind=login_failed").get_data(as_text=True)
    assert "ander@minjenv.example" in page
    assert "1 gebeurtenis" in page
    by_account = client.get("/beheer/audit?email=ANDER@").get_data(as_text=True)
    assert "Inloggen mislukt" in by_account
    assert "Ingelogd" not in by_account.split("<tbody>")[1]

    download = client.get("/beheer/audit.csv?kind=login")
    assert download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(row["soort"], row["account"]) for row in rows] == [("Ingelogd", admin.email)]


def test_the_log_is_for_admins_only(client, auth, create_user):
    auth.login(create_user(role=Role.COORDINATOR))
    assert client.get("/beheer/audit").status_code == 403
    assert client.get("/beheer/audit.csv").status_code == 403


def test_bad_filters_are_refused_in_dutch(client, auth, admin):
    auth.login(admin)
    response = client.get("/beheer/audit?since=gisteren&kind=onbekend")
    assert response.status_code == 400
    assert client.get("/beheer/audit.csv?kind=onbekend").status_code == 400


def test_an_empty_log_says_so(client, auth, admin):
    auth.login(admin)
    page = client.get("/beheer/audit?email=niemand").get_data(as_text=True)
    assert "Geen gebeurtenissen gevonden met deze filters." in page


def test_spreadsheet_formulas_in_the_log_stay_text(client, auth, admin):
    auth.login("=HYPERLINK(1)@x.nl", PASSWORD)
    auth.login(admin)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/beheer/audit.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    assert "'=hyperlink(1)@x.nl" in [row["account"] for row in rows]


def test_a_long_log_is_paged_keeping_the_filters(client, auth, admin):
    from app.auth import services

    for number in range(60):
        services.record_audit(AuditKind.LOGIN_FAILED, f"gok{number}@minjenv.example")
    db.session.commit()
    auth.login(admin)
    first = client.get("/beheer/audit?kind=login_failed").get_data(as_text=True)
    assert "pagina 1 van 2" in first
    assert 'href="/beheer/audit?kind=login_failed&amp;page=2"' in first
    second = client.get("/beheer/audit?kind=login_failed&page=2").get_data(as_text=True)
    assert "gok0@minjenv.example" in second
    assert 'rel="prev"' in second
