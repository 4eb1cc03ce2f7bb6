"""Accounts: logging in and out, throttling, sessions that really end, invitations, the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.auth import services
from app.auth.models import LoginAttempt, Role, User
from app.extensions import db
from tests.conftest import PASSWORD


def test_login_leads_to_the_dashboard(app, client, auth, create_user):
    clerk = create_user(name="Fatima el Amrani")
    db.session.commit()
    response = auth.login(clerk)
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"
    page = client.get("/beheer/").get_data(as_text=True)
    assert "Ingelogd als Fatima el Amrani" in page
    assert db.session.get(User, clerk.id).last_login_at is not None


def test_email_address_is_case_insensitive(app, auth, create_user):
    create_user(email="fatima@minjenv.example")
    db.session.commit()
    assert auth.login("  Fatima@MinJenV.example ").status_code == 302


@pytest.mark.parametrize("email", ["onbekend@minjenv.example", "fatima@minjenv.example"])
def test_wrong_credentials_get_one_dutch_message_and_keep_the_address(
    app, auth, create_user, email
):
    create_user(email="fatima@minjenv.example")
    db.session.commit()
    response = auth.login(email, "niet het goede wachtwoord")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Onbekend e-mailadres of onjuist wachtwoord." in page
    assert f'value="{email}"' in page


def test_a_deactivated_user_cannot_log_in(app, auth, create_user):
    clerk = create_user(active=False)
    db.session.commit()
    assert auth.login(clerk).status_code == 401


def test_passwords_are_hashed_with_scrypt(app, create_user):
    assert create_user().password_hash.startswith("scrypt:")


def test_five_failures_from_one_address_lock_the_account_there_even_with_the_right_password(
    app, auth, create_user
):
    clerk = create_user()
    db.session.commit()
    for _ in range(services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        assert auth.login(clerk, "fout wachtwoord 123").status_code == 401
    response = auth.login(clerk)
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.get_data(as_text=True)
    failures = db.session.scalar(
        sa.select(sa.func.count()).where(
            LoginAttempt.email == clerk.email, LoginAttempt.succeeded.is_(False)
        )
    )
    assert failures == services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS


def test_many_failures_from_one_address_lock_that_address(app, auth, create_user):
    victim = create_user()
    db.session.commit()
    for number in range(services.MAX_FAILURES_PER_ADDRESS):
        auth.login(f"gok{number}@minjenv.example", "fout wachtwoord 123")
    assert auth.login(victim).status_code == 429
    other_address = auth.login(victim, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_address.status_code == 302


def test_logout_ends_the_session_on_the_server(app, client, auth, create_user):
    clerk = create_user()
    db.session.commit()
    auth.login(clerk)
    stolen_cookie = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    response = replay.get("/beheer/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/beheer/inloggen")


def test_deactivation_ends_every_session(app, client, auth, create_user):
    clerk = create_user()
    db.session.commit()
    auth.login(clerk)
    assert client.get("/beheer/").status_code == 200
    services.deactivate(db.session.get(User, clerk.id))
    db.session.commit()
    assert client.get("/beheer/").status_code == 302


def test_next_parameter_cannot_send_users_elsewhere(app, auth, create_user):
    clerk = create_user()
    db.session.commit()
    response = auth.login(clerk, query_string={"next": "//evil.example/"})
    assert response.headers["Location"] == "/beheer/"
    auth.logout()
    response = auth.login(clerk, query_string={"next": "/beheer/toezeggingen/nieuw"})
    assert response.headers["Location"] == "/beheer/toezeggingen/nieuw"


def test_forms_without_a_csrf_token_are_refused(app, create_user):
    clerk = create_user()
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        refused = client.post("/beheer/inloggen", data={"email": clerk.email, "password": PASSWORD})
        assert refused.status_code == 400
        page = client.get("/beheer/inloggen").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        accepted = client.post(
            "/beheer/inloggen",
            data={"email": clerk.email, "password": PASSWORD, "csrf_token": token},
        )
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_admin_invites_a_user_who_sets_a_password_once(app, client, auth, create_user):
    ministry_owner = create_user(role=Role.CLERK)
    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.login(admin)
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "email": "nieuw@minjenv.example",
            "name": "Nieuwe Collega",
            "role": "coordinator",
            "ministry": str(ministry_owner.ministry_id),
        },
    )
    assert response.status_code == 200
    link = response.get_data(as_text=True).split('readonly value="')[1].split('"')[0]
    path = link.removeprefix("http://register.test")
    auth.logout()

    short = client.post(path, data={"password": "kort", "confirm": "kort"})
    assert short.status_code == 400  # refused like every other form, input kept
    assert "Kies een wachtwoord van 12 tot 128 tekens." in short.get_data(as_text=True)

    passphrase = "een lange zin als wachtwoord"
    done = client.post(path, data={"password": passphrase, "confirm": passphrase})
    assert done.status_code == 302
    assert auth.login("nieuw@minjenv.example", passphrase).status_code == 302
    assert client.get(path).status_code == 400  # the link worked once


def test_admin_changes_a_role_and_deactivates(app, client, auth, create_user):
    admin = create_user(role=Role.ADMIN)
    clerk = create_user(name="Jan de Vries")
    db.session.commit()
    auth.login(admin)
    form = {
        "email": clerk.email,
        "name": "Jan de Vries",
        "role": "coordinator",
        "ministry": str(clerk.ministry_id),
    }
    assert (
        client.post(f"/beheer/gebruikers/{clerk.id}", data={**form, "active": "y"}).status_code
        == 302
    )
    assert db.session.get(User, clerk.id).role is Role.COORDINATOR
    assert client.post(f"/beheer/gebruikers/{clerk.id}", data=form).status_code == 302
    assert db.session.get(User, clerk.id).active is False
    page = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "Gedeactiveerd" in page


def test_a_coordinator_needs_a_ministry(app, client, auth, create_user):
    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.login(admin)
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "x@minjenv.example", "name": "X", "role": "clerk", "ministry": ""},
    )
    assert response.status_code == 400
    assert "Medewerkers en coördinatoren horen bij een ministerie." in response.get_data(
        as_text=True
    )


def test_cli_creates_a_user_with_the_password_from_stdin(app, runner, create_ministry):
    create_ministry(code="JenV")
    db.session.commit()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Admin@MinJenV.example",
            "--name",
            "Beheerder",
            "--role",
            "coordinator",
            "--ministry",
            "JenV",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Account aangemaakt: admin@minjenv.example (Coördinator)." in result.output
    user = services.user_by_email("admin@minjenv.example")
    assert user.check_password(PASSWORD)
    assert user.ministry.code == "JenV"


@pytest.mark.parametrize(
    ("arguments", "password", "message"),
    [
        (["--ministry", "XX"], PASSWORD, "Onbekend ministerie 'XX'."),
        ([], "te kort", "Het wachtwoord moet minstens 12 tekens hebben."),
        ([], "x" * 129, "Het wachtwoord mag hoogstens 128 tekens hebben."),
        (["--role", "admin", "--email", "geen-adres"], PASSWORD, "is geen geldig e-mailadres"),
    ],
)
def test_cli_refuses_bad_input_with_one_line(
    app, runner, create_ministry, arguments, password, message
):
    create_ministry(code="JenV")
    args = ["users", "create", "--email", "a@minjenv.example", "--name", "A", "--ministry", "JenV"]
    result = runner.invoke(args=args + arguments, input=password + "\n")
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_first_admin_explains_how_when_none_is_configured(app, runner, monkeypatch):
    monkeypatch.delenv("ADMIN_EMAIL", raising=False)
    result = runner.invoke(args=["users", "first-admin"])
    assert result.exit_code == 0
    assert "Er is nog geen beheerder." in result.output
    assert "flask users create" in result.output


def test_first_admin_is_created_from_the_environment_once(app, runner, monkeypatch):
    monkeypatch.setenv("ADMIN_EMAIL", "beheer@minjenv.example")
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    first = runner.invoke(args=["users", "first-admin"])
    assert "Eerste beheerder aangemaakt: beheer@minjenv.example." in first.output
    assert services.user_by_email("beheer@minjenv.example").role is Role.ADMIN
    second = runner.invoke(args=["users", "first-admin"])
    assert second.exit_code == 0
    assert second.output == ""


def test_failures_from_one_address_do_not_keep_the_owner_out_elsewhere(app, auth, create_user):
    clerk = create_user()
    db.session.commit()
    for _ in range(services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        auth.login(clerk, "fout wachtwoord 123", environ_base={"REMOTE_ADDR": "192.0.2.66"})
    assert auth.login(clerk, environ_base={"REMOTE_ADDR": "192.0.2.66"}).status_code == 429
    assert auth.login(clerk, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 302


def test_a_successful_login_clears_the_accounts_failures(app, auth, create_user):
    clerk = create_user()
    db.session.commit()
    for _round in range(3):
        for _ in range(services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
            assert auth.login(clerk, "fout wachtwoord 123").status_code == 401
        assert auth.login(clerk).status_code == 302
        auth.logout()


def test_failures_from_many_addresses_slow_the_account_down_but_never_lock_it(app, create_user):
    clerk = create_user()
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    for number in range(services.BACKOFF_AFTER_ACCOUNT_FAILURES):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(clerk.email, "fout", f"192.0.2.{number}", now=start)

    with pytest.raises(services.LoginThrottled, match="over 1 seconde opnieuw"):
        services.authenticate(clerk.email, PASSWORD, "198.51.100.7", now=start)
    later = start + dt.timedelta(seconds=1)
    assert services.authenticate(clerk.email, PASSWORD, "198.51.100.7", now=later) == clerk


def test_the_back_off_grows_and_is_capped(app, create_user):
    clerk = create_user()
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    for number in range(services.BACKOFF_AFTER_ACCOUNT_FAILURES + 12):
        db.session.add(
            LoginAttempt(
                email=clerk.email,
                ip_address=f"192.0.2.{number}",
                succeeded=False,
                attempted_at=start,
            )
        )
    db.session.flush()
    waiting = services.throttle_message(clerk.email, "198.51.100.7", now=start)
    assert waiting is not None
    assert "over 60 seconden" in waiting
    assert (
        services.throttle_message(clerk.email, "198.51.100.7", now=start.replace(minute=1)) is None
    )


def test_every_login_costs_one_password_check_whatever_the_account(app, create_user, monkeypatch):
    """Unknown, invited (no password yet) and inactive accounts take as long as a wrong password."""
    import werkzeug.security

    from app.auth import models as auth_models

    checks: list[str] = []
    real_check = werkzeug.security.check_password_hash

    def counting_check(pwhash: str, password: str) -> bool:
        checks.append(pwhash.split(":", 1)[0])
        return real_check(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", counting_check)
    monkeypatch.setattr(auth_models, "check_password_hash", counting_check)
    invited = create_user(password=None)
    inactive = create_user(active=False)
    known = create_user()
    for email, password in [
        ("niemand@minjenv.example", "fout wachtwoord"),
        (invited.email, "fout wachtwoord"),
        (inactive.email, PASSWORD),
        (known.email, "fout wachtwoord"),
    ]:
        checks.clear()
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(email, password, "192.0.2.1")
        assert checks == ["scrypt"], email


@pytest.mark.parametrize(
    "password",
    ["passwordpassword", "123456789012", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa", "iloveyou1234"],
)
def test_common_and_patterned_passwords_are_refused(app, password):
    with pytest.raises(services.AccountError, match="te makkelijk te raden"):
        services.validate_password(password)


def test_a_password_made_of_the_users_own_name_is_refused(app):
    with pytest.raises(services.AccountError, match="te makkelijk te raden"):
        services.validate_password(
            "fatimaelamrani1", context=("fatima@minjenv.example", "Fatima el Amrani")
        )
    services.validate_password("een lange zin als wachtwoord", context=("fatima@x.nl", "Fatima"))


def test_setting_a_guessable_password_through_the_link_is_refused_in_dutch(
    app, client, create_user
):
    from app.auth.routes import password_link

    invited = create_user(password=None)
    db.session.commit()
    with app.test_request_context():
        path = password_link(invited).removeprefix("http://register.test")
    response = client.post(
        path, data={"password": "passwordpassword", "confirm": "passwordpassword"}
    )
    assert response.status_code == 400
    assert "te makkelijk te raden" in response.get_data(as_text=True)
    assert db.session.get(User, invited.id).password_hash is None
