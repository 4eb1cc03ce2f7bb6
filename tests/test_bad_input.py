"""Bad characters and sizes never give a 500 (issue 11, item 9): control characters and NUL,
numbers too large for a database, text longer than its column, odd values in hand-made posts.

Every test here runs on SQLite and on PostgreSQL, which is the stricter of the two: it refuses
NUL in a string, text longer than a String(n) column, and integers beyond 64 bits.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import string
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree as ET

import feedparser
import openpyxl
import pytest
import sqlalchemy as sa
import wtforms
from wtforms.validators import EqualTo, Length
from wtforms.widgets import HiddenInput

from app.auth.models import Role, User
from app.extensions import db
from app.register import queries, services
from app.register.models import (
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Committee,
    Document,
    Ministry,
    Official,
)
from app.reminders.models import Follower
from tests.test_letter_review import LETTER, register_before_the_letter, review_form, upload

INVALID = "Dit veld bevat ongeldige tekens."
#: Characters no text may hold: NUL, other C0 controls, and what XML 1.0 cannot hold.
BAD_CHARACTERS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff"]


@pytest.fixture
def admin_client(app, client, auth, create_user):
    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.login(admin)
    return client


def new_promise(ministry: Ministry, /, **overrides: str) -> dict[str, str]:
    form = {
        "text": "Ik zal uw Kamer voor de zomer informeren over de hervestigingsmissie.",
        "title": "",
        "made_on": "11-04-2019",
        "ministry": str(ministry.id),
        "deadline_phrase": "voor de zomer",
        "deadline": "",
        "save": "Opslaan",
    }
    return {**form, **overrides}


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


# Control characters and NUL in forms


def test_a_bad_character_in_a_promise_field_is_refused_in_dutch(logged_in, jenv):
    for field, character in itertools.product(
        ["title", "text", "requested_by", "deadline_phrase", "internal_note"], BAD_CHARACTERS
    ):
        data = new_promise(jenv, **{field: f"Voor de zomer{character} informeren"})
        response = logged_in.post("/beheer/toezeggingen/nieuw", data=data)
        assert response.status_code == 400, (field, character)
        assert INVALID in response.get_data(as_text=True), (field, character)
    assert count(Commitment) == 0


def test_tabs_and_line_breaks_stay_in_text_and_become_spaces_on_one_line(logged_in, jenv):
    data = new_promise(
        jenv,
        title="Informeren\tover de\r\nmissie",
        text="Ik zal uw Kamer informeren.\r\n\r\nDat doe ik\tvoor de zomer.",
    )
    assert logged_in.post("/beheer/toezeggingen/nieuw", data=data).status_code == 302
    commitment = queries.commitment_by_number("TZ-2019-0001")
    assert commitment.title == "Informeren over de missie"
    # The promise's text is stored with its white space folded, as before.
    assert commitment.text == "Ik zal uw Kamer informeren. Dat doe ik voor de zomer."


def test_a_bad_character_in_a_status_note_is_refused(logged_in, jenv, create_commitment):
    commitment = create_commitment(ministry=jenv)
    db.session.commit()
    response = logged_in.post(
        f"/beheer/toezeggingen/{commitment.number}/status",
        data={"status": "fulfilled", "note": "Brief\x00verstuurd", "version": "1"},
    )
    assert response.status_code == 400
    assert INVALID in response.get_data(as_text=True)
    assert count(CommitmentEvent) == 1


@pytest.mark.parametrize(
    ("slug", "data"),
    [
        ("ministeries", {"code": "BZ", "name": "Buitenlandse\x00Zaken"}),
        ("commissies", {"name": "Commissie\x01", "abbreviation": ""}),
        ("documenten", {"reference": "32 735, nr. 1", "kind": "brief", "title": "Brief\x00"}),
    ],
)
def test_a_bad_character_in_reference_data_is_refused(admin_client, slug, data):
    before = (count(Ministry), count(Committee), count(Document))
    response = admin_client.post(f"/beheer/referentie/{slug}/nieuw", data=data)
    assert response.status_code == 400
    assert INVALID in response.get_data(as_text=True)
    assert (count(Ministry), count(Committee), count(Document)) == before


def test_a_bad_character_in_a_user_is_refused(admin_client):
    before = count(User)
    response = admin_client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "nieuw@ministerie.example", "name": "Nieuw\x00", "role": "admin"},
    )
    assert response.status_code == 400
    assert INVALID in response.get_data(as_text=True)
    assert count(User) == before


def test_a_nul_in_the_login_form_is_refused(client, create_user):
    create_user(email="fatima@ministerie.example")
    db.session.commit()
    response = client.post(
        "/beheer/inloggen", data={"email": "fatima@ministerie.example\x00", "password": "x"}
    )
    assert response.status_code == 400
    assert INVALID in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "value"), [("toezegging", "TZ-2019-0001\x00"), ("ministerie", "JenV\x00")]
)
def test_following_something_with_a_nul_in_its_name_finds_nothing(
    client, jenv, create_commitment, target, value
):
    create_commitment(ministry=jenv)
    db.session.commit()
    response = client.post(
        "/volgen", data={"email": "lezer@example.org", "target": target, "value": value}
    )
    assert response.status_code == 404
    assert count(Follower) == 0


def test_a_bad_character_in_the_follow_address_is_refused(client, jenv, create_commitment):
    commitment = create_commitment(ministry=jenv)
    db.session.commit()
    client.post(
        "/volgen",
        data={"email": "lezer\x01@example.org", "target": "toezegging", "value": commitment.number},
    )
    assert count(Follower) == 0


# Files and feeds survive what was stored before the forms refused it


STORED = "Titel\x01met\x08stuur\x1ftekens\ufffe"


@pytest.fixture
def stored_badly(app, jenv, create_user, create_commitment):
    """A promise whose title, text, phrase, history note and actor hold control characters."""
    actor = create_user(name="Naam\x0bmet tab", ministry=jenv)
    commitment = create_commitment(
        ministry=jenv,
        title=STORED,
        text=f"Tekst {STORED}",
        deadline_phrase="voor de zomer\x02",
        deadline=dt.date(2019, 7, 4),
        actor=actor,
        note="Notitie\x03",
    )
    services.change_status(commitment, CommitmentStatus.FULFILLED, note="Afgedaan\x04", actor=actor)
    db.session.commit()
    return commitment


def test_excel_is_written_whatever_text_is_stored(client, stored_badly):
    response = client.get("/toezeggingen.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headings.index("titel") + 1).value == "Titelmetstuurtekens"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314 (our own file)


def test_the_atom_feed_stays_valid_xml_whatever_text_is_stored(client, stored_badly):
    response = client.get("/toezeggingen.atom")
    assert response.status_code == 200
    # Raises on a character XML cannot hold; the feed is the app's own output.
    ET.fromstring(response.get_data())  # noqa: S314
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert any("Titelmetstuurtekens" in title for title in titles)


def test_the_calendar_leaves_out_control_characters(client, stored_badly):
    response = client.get("/toezeggingen.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Titelmetstuurtekens" in body
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", body)


def test_csv_calendar_and_api_answer_whatever_text_is_stored(client, stored_badly):
    for url in ("/toezeggingen.csv", "/toezeggingen.ics", "/api/v1/commitments", "/toezeggingen"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/toezeggingen/{stored_badly.number}").status_code == 200


# NUL and other bad characters in addresses


@pytest.mark.parametrize(
    "url",
    [
        "/toezeggingen?ministerie=%00",
        "/toezeggingen?q=%00",
        "/toezeggingen?gevraagd_door=Kuiken%00",
        "/toezeggingen?status=open%00",
        "/toezeggingen.csv?ministerie=JenV%00",
        "/toezeggingen.atom?q=a%01",
        "/toezeggingen.atom?anders=%01",
        "/beheer/deadline?phrase=voor%00de%20zomer",
    ],
)
def test_a_bad_character_in_a_query_is_a_dutch_400(logged_in, jenv, create_commitment, url):
    create_commitment(ministry=jenv)
    db.session.commit()
    response = logged_in.get(url)
    assert response.status_code == 400
    assert "Het adres bevat ongeldige tekens." in response.get_data(as_text=True)


def test_a_bad_character_in_an_api_query_is_a_json_400(client):
    response = client.get("/api/v1/commitments?ministry=%00")
    assert response.status_code == 400
    assert response.json == {"error": "Het adres bevat ongeldige tekens.", "status": 400}


@pytest.mark.parametrize(
    "url",
    [
        "/toezeggingen/TZ-2019-0001%00",
        "/api/v1/commitments/TZ-2019-0001%00",
        "/beheer/toezeggingen/TZ-2019-0001%00/bewerken",
        "/beheer/toezeggingen/TZ-2019-0001%01/status",
        "/volgen/bevestigen/abc%00",
    ],
)
def test_a_bad_character_in_a_path_is_a_404(logged_in, jenv, create_commitment, url):
    create_commitment(ministry=jenv)
    db.session.commit()
    response = logged_in.get(url)
    assert response.status_code == 404


def test_a_promise_number_with_a_nul_is_no_promise(app):
    assert queries.commitment_by_number("TZ-2019-0001\x00") is None
    assert queries.ministry_by_code("JenV\x00") is None


# Numbers too large, negative or not numbers at all


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "page=9223372036854775808",
        "page=100001",
        "page=" + "9" * 5000,
        "page=-1",
        "page=0",
        "page=%C2%B2",  # a superscript two: a digit to Python's isdigit, not a number
        "page=%D9%A3",  # an Arabic-Indic three
        "page=1e3",
        "commissie=99999999999999999999",
        "bewindspersoon=-5",
        "commissie=%C2%B2",
    ],
)
def test_odd_numbers_in_the_list_are_a_dutch_400(client, query):
    response = client.get(f"/toezeggingen?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        "moet een positief geheel getal zijn" in page
        or "is hoogstens" in page
        or ("moet een nummer zijn" in page)
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "page=9223372036854775807",
        "page=" + "9" * 5000,
        "page=-3",
        "page=abc",
        "per_page=0",
        "per_page=-1",
        "per_page=veel",
        "per_page=%C2%B2",
        "committee=99999999999999999999",
        "official=2147483648",
    ],
)
def test_odd_numbers_in_the_api_are_a_json_400(client, query):
    response = client.get(f"/api/v1/commitments?{query}")
    assert response.status_code == 400
    assert response.json["status"] == 400
    assert response.json["error"]


@pytest.mark.parametrize("per_page", ["101", "99999999999999999999", "9" * 5000])
def test_a_huge_page_size_is_the_largest_page(client, per_page):
    response = client.get(f"/api/v1/commitments?per_page={per_page}")
    assert response.status_code == 200
    assert response.json["per_page"] == 100


def test_the_last_allowed_page_is_an_empty_page(client, jenv, create_commitment):
    create_commitment(ministry=jenv)
    db.session.commit()
    assert client.get("/toezeggingen?page=100000").status_code == 200
    response = client.get("/api/v1/commitments?page=100000&per_page=100")
    assert response.status_code == 200
    assert response.json["items"] == []
    assert response.json["total"] == 1


def test_too_many_values_in_a_filter_are_refused(client):
    codes = ",".join(f"M{number}" for number in range(101))
    response = client.get(f"/api/v1/commitments?ministry={codes}")
    assert response.status_code == 400
    assert "hoogstens 100 waarden" in response.json["error"]


def test_a_huge_id_in_a_form_is_no_choice(logged_in, jenv):
    for field in ("owner", "responsible_official", "committee", "activity", "ministry"):
        data = new_promise(jenv, **{field: "99999999999999999999"})
        response = logged_in.post("/beheer/toezeggingen/nieuw", data=data)
        assert response.status_code == 400, field
    data = new_promise(jenv, ministry="²")
    assert logged_in.post("/beheer/toezeggingen/nieuw", data=data).status_code == 400
    assert count(Commitment) == 0


def test_an_edit_with_a_version_that_is_no_number_is_a_conflict(logged_in, jenv, create_commitment):
    commitment = create_commitment(ministry=jenv)
    db.session.commit()
    for version in ("abc", "²", "99999999999999999999", ""):
        response = logged_in.post(
            f"/beheer/toezeggingen/{commitment.number}/bewerken",
            data=new_promise(jenv, title="Gewijzigd", version=version),
        )
        assert response.status_code in {400, 409}, version
    assert queries.commitment_by_number(commitment.number).title != "Gewijzigd"


# Text longer than its column


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", 200), ("requested_by", 200), ("deadline_phrase", 200), ("internal_note", 5000)],
)
def test_promise_fields_longer_than_their_column_are_refused(logged_in, jenv, field, limit):
    page = logged_in.get("/beheer/toezeggingen/nieuw").get_data(as_text=True)
    assert f'maxlength="{limit}"' in page
    data = new_promise(jenv, **{field: "x" * (limit + 1)})
    response = logged_in.post("/beheer/toezeggingen/nieuw", data=data)
    assert response.status_code == 400
    assert f"Hoogstens {limit} tekens." in response.get_data(as_text=True)
    exactly = new_promise(jenv, **{field: "x" * limit})
    assert logged_in.post("/beheer/toezeggingen/nieuw", data=exactly).status_code == 302


def test_a_new_kamerstuk_title_longer_than_its_column_is_refused(logged_in, jenv):
    data = new_promise(
        jenv, source="32 735, nr. 243", source_title="x" * 501, source_date="11-04-2019"
    )
    response = logged_in.post("/beheer/toezeggingen/nieuw", data=data)
    assert response.status_code == 400
    assert "Hoogstens 500 tekens." in response.get_data(as_text=True)
    assert count(Document) == 0


def test_a_fulfilling_letter_title_longer_than_its_column_is_refused(
    logged_in, jenv, create_commitment
):
    commitment = create_commitment(ministry=jenv)
    db.session.commit()
    response = logged_in.post(
        f"/beheer/toezeggingen/{commitment.number}/voldaan",
        data={
            "document": "32 735, nr. 300",
            "document_title": "x" * 501,
            "document_date": "01-06-2019",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "Hoogstens 500 tekens." in response.get_data(as_text=True)
    assert count(Document) == 0


@pytest.mark.parametrize(
    "reference",
    [
        "kst-1234567890123456789012345-1",
        "kst-32735-123456789012345678901",
        "kst-32735-ABCDEFGHIJKLMNOPQRSTUVWXYZ-1",
        "32 735-ABCDEFGHIJKLMNOPQRSTUVWXYZ, nr. 1",
        "kst-٣٢٧٣٥-1",
    ],
)
def test_a_kamerstuk_number_too_long_for_the_register_is_refused(logged_in, jenv, reference):
    data = new_promise(jenv, source=reference, source_title="Brief", source_date="11-04-2019")
    response = logged_in.post("/beheer/toezeggingen/nieuw", data=data)
    assert response.status_code == 400
    assert "Schrijf een Kamerstuk als" in response.get_data(as_text=True)
    assert count(Document) == 0


def test_a_login_address_longer_than_an_address_is_refused(client):
    response = client.post(
        "/beheer/inloggen", data={"email": "x" * 300 + "@example.org", "password": "x" * 12}
    )
    assert response.status_code == 400
    assert "Hoogstens 254 tekens." in response.get_data(as_text=True)


def test_reference_fields_longer_than_their_column_are_refused(admin_client):
    response = admin_client.post(
        "/beheer/referentie/commissies/nieuw", data={"name": "Commissie", "abbreviation": "x" * 21}
    )
    assert response.status_code == 400
    assert "Hoogstens 20 tekens." in response.get_data(as_text=True)
    assert count(Committee) == 0


def distinct_words(length: int) -> str:
    """``length`` characters of five-letter words that all differ: the largest search vector
    a text of that length can have."""
    words = ("".join(letters) for letters in itertools.product(string.ascii_lowercase, repeat=5))
    text = " ".join(itertools.islice(words, length // 6 + 1))[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


def test_the_longest_text_is_saved_and_searchable_and_a_longer_one_refused(
    logged_in, jenv, backend
):
    longest = distinct_words(10_000)
    assert len(longest) == 10_000
    page = logged_in.get("/beheer/toezeggingen/nieuw").get_data(as_text=True)
    assert 'maxlength="10000"' in page
    saved = logged_in.post(
        "/beheer/toezeggingen/nieuw", data=new_promise(jenv, text=longest, title="Lang")
    )
    assert saved.status_code == 302
    assert len(queries.commitment_by_number("TZ-2019-0001").text) == 10_000
    found = logged_in.get("/api/v1/commitments?q=aaaab").json
    assert [item["number"] for item in found["items"]] == ["TZ-2019-0001"]

    refused = logged_in.post(
        "/beheer/toezeggingen/nieuw",
        data=new_promise(jenv, text=distinct_words(10_001), title="Te lang"),
    )
    assert refused.status_code == 400
    assert "Hoogstens 10000 tekens." in refused.get_data(as_text=True)
    assert count(Commitment) == 1
    # Other ways in (a sentence taken over from a letter) meet the same bound in the service.
    with pytest.raises(services.CommitmentRuleError, match=r"hoogstens 10\.000 tekens"):
        services.create_commitment(
            title="Te lang",
            text=distinct_words(10_001),
            made_on=dt.date(2019, 4, 11),
            ministry=jenv,
        )
    if backend == "postgresql":
        # Why the bound matters: PostgreSQL's search vector of a promise may not exceed 1 MB.
        with (
            pytest.raises(sa.exc.DBAPIError, match="string is too long for tsvector"),
            db.session.begin_nested(),
        ):
            db.session.execute(
                sa.text("SELECT to_tsvector('dutch'::regconfig, :text)"),
                {"text": distinct_words(1_500_000)},
            )


# The letter review: hand-made posts with odd values


@pytest.fixture
def review(app, client, auth):
    world = register_before_the_letter()
    db.session.commit()
    auth.login(world["clerk"])
    page = upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True)
    return review_form(page)


#: Hand-made posts of the review form: odd values in each field, and entries beyond the letter.
ODD_REVIEW_VALUES = [
    ("ministry", "a|b"),
    ("ministry", "99999999999999999999"),
    ("official", "²"),
    ("official", "-1"),
    ("promise-0-owner", "99999999999999999999"),
    ("promise-0-owner", "a|b"),
    ("promise-0-title", "Titel\x00"),
    ("promise-0-phrase", "x" * 201),
    ("promise-0-deadline", "\x00"),
    ("promise-0-deadline", "9" * 5000),
    ("fulfilment-0-choice", "a|b"),
    ("fulfilment-0-choice", "TZ-2019-0001\x00"),
    ("kamerstuk", "kst-1234567890123456789012345-1"),
    ("kamerstuk", "kst-32735-243\x00"),
    ("title", "x" * 501),
    ("title", "Brief\x01"),
    ("date", "2019-04-11\x00"),
    ("promise-99999999999999999999-title", "x"),
    ("fulfilment-99999999999999999999-choice", "x"),
    ("text", ""),
]


def test_odd_values_in_an_accepted_review_are_a_400(client, review):
    before = (count(Commitment), count(Document), count(CommitmentEvent))
    for field, value in ODD_REVIEW_VALUES:
        response = client.post("/beheer/brieven/accepteren", data={**review, field: value})
        assert response.status_code == 400, (field, value)
    assert (count(Commitment), count(Document), count(CommitmentEvent)) == before


# Every text field of every form has a maximum, shown to the browser


def all_forms() -> list[type]:
    """Every form class the app defines (``class …Form`` in app/)."""
    import importlib
    import inspect
    import pkgutil

    import app as package
    from app.forms import Form

    found = {}
    for module_info in pkgutil.walk_packages(package.__path__, "app."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            ours = value.__module__.startswith("app.") and not value.__name__.startswith("_")
            if issubclass(value, wtforms.Form) and ours and value is not Form:
                found[value.__qualname__] = value
    return [found[name] for name in sorted(found)]


def text_fields(form: wtforms.Form) -> Iterator[wtforms.Field]:
    for field in form:
        if isinstance(field, wtforms.FieldList):
            field.append_entry()
            for entry in field:
                yield from text_fields(entry.form) if hasattr(entry, "form") else [entry]
        elif isinstance(field, wtforms.FormField):
            yield from text_fields(field.form)
        elif isinstance(field, wtforms.StringField):
            yield field


def maximum(field: wtforms.Field) -> int | None:
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


def test_every_text_field_of_every_form_has_a_maximum_the_browser_sees(app):
    forms = all_forms()
    assert {form.__name__ for form in forms} >= {
        "CommitmentForm",
        "StatusForm",
        "DeadlineForm",
        "FulfilForm",
        "MinistryForm",
        "OfficialForm",
        "CommitteeForm",
        "DocumentForm",
        "LoginForm",
        "UserForm",
        "SetPasswordForm",
        "FollowForm",
        "LetterUploadForm",
        "LetterReviewForm",
        "PromiseProposalForm",
        "FulfilmentProposalForm",
    }
    unbounded = []
    with app.test_request_context():
        for form_class in forms:
            form = form_class(formdata=None)
            for field in text_fields(form):
                html = str(field())
                if isinstance(field.widget, HiddenInput):
                    bounded = maximum(field) is not None
                elif isinstance(field, wtforms.PasswordField) and any(
                    isinstance(v, EqualTo) for v in field.validators
                ):
                    bounded = True  # must equal a bounded password
                else:
                    bounded = "maxlength=" in html and (
                        maximum(field) is not None or 'maxlength="10"' in html  # dates
                    )
                if not bounded:
                    unbounded.append(f"{form_class.__name__}.{field.name}")
    assert unbounded == []


@pytest.mark.parametrize(
    ("form", "field", "column"),
    [
        ("CommitmentForm", "title", Commitment.title),
        ("CommitmentForm", "requested_by", Commitment.requested_by),
        ("CommitmentForm", "deadline_phrase", Commitment.deadline_phrase),
        ("CommitmentForm", "source_title", Document.title),
        ("StatusForm", "kamer_status", Commitment.kamer_status),
        ("DeadlineForm", "deadline_phrase", Commitment.deadline_phrase),
        ("FulfilForm", "document_title", Document.title),
        ("MinistryForm", "code", Ministry.code),
        ("MinistryForm", "name", Ministry.name),
        ("OfficialForm", "name", Official.name),
        ("OfficialForm", "function", Official.function),
        ("CommitteeForm", "name", Committee.name),
        ("CommitteeForm", "abbreviation", Committee.abbreviation),
        ("DocumentForm", "title", Document.title),
        ("DocumentForm", "url", Document.url),
        ("LoginForm", "email", User.email),
        ("UserForm", "email", User.email),
        ("UserForm", "name", User.name),
        ("FollowForm", "email", Follower.email),
        ("LetterReviewForm", "title", Document.title),
        ("PromiseProposalForm", "title", Commitment.title),
        ("PromiseProposalForm", "phrase", Commitment.deadline_phrase),
    ],
)
def test_form_maximums_are_the_column_sizes(app, form, field, column):
    form_class = {cls.__name__: cls for cls in all_forms()}[form]
    with app.test_request_context():
        assert maximum(form_class(formdata=None)[field]) == column.type.length


@pytest.mark.parametrize(
    ("form", "field", "limit"),
    [
        ("CommitmentForm", "text", 10_000),
        ("CommitmentForm", "internal_note", 5_000),
        ("CommitmentForm", "note", 5_000),
        ("StatusForm", "note", 5_000),
        ("DeadlineForm", "note", 5_000),
        ("FulfilForm", "note", 5_000),
        ("CommitmentForm", "source", 60),
        ("FulfilForm", "document", 60),
        ("DocumentForm", "reference", 60),
        ("LetterReviewForm", "kamerstuk", 60),
    ],
)
def test_free_text_maximums(app, form, field, limit):
    form_class = {cls.__name__: cls for cls in all_forms()}[form]
    with app.test_request_context():
        assert maximum(form_class(formdata=None)[field]) == limit


def test_the_search_fields_of_the_list_show_their_maximum(client):
    page = client.get("/toezeggingen").get_data(as_text=True)
    assert 'name="q" type="search" value="" maxlength="200"' in page
    assert 'name="gevraagd_door" type="text" value="" maxlength="200"' in page
    refused = client.get("/toezeggingen?q=" + "x" * 201)
    assert refused.status_code == 400
    assert "q is hoogstens 200 tekens." in refused.get_data(as_text=True)


def test_the_review_fields_show_their_maximum(client, review):
    page = client.post("/beheer/brieven/accepteren", data={**review, "date": "morgen"})
    html = page.get_data(as_text=True)
    assert 'name="kamerstuk" value="kst-32735-243" maxlength="60"' in html
    proposals = re.findall(r'<input[^>]+name="promise-\d+-(?:title|phrase)"[^>]*>', html)
    assert len(proposals) >= 2
    assert all('maxlength="200"' in tag for tag in proposals)
    assert 'name="date" value="morgen" maxlength="10"' in html


def test_a_whole_number_with_a_zero_fraction_is_that_number(client):
    """JSON Schema counts 10.0 as an integer, so the API's description allows it (Schemathesis
    sends it); 10.5 is no page."""
    response = client.get("/api/v1/commitments?page=2.0&per_page=10.00&committee=7.0")
    assert response.status_code == 200
    assert (response.json["page"], response.json["per_page"]) == (2, 10)
    assert client.get("/api/v1/commitments?page=2.5").status_code == 400
    assert client.get("/api/v1/commitments?committee=7.5").status_code == 400
