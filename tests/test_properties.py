"""Every form, posted with random and hostile values by the user it is meant for (issue 11).

For each form the app has (``class …Form`` in app/), Hypothesis posts a mix of sensible values
and hostile ones: any Unicode including control characters and NUL, huge and negative numbers,
text far beyond every column, odd strings. Whatever it posts:

- the answer is never a 5xx (the test client re-raises an unexpected exception, so one fails
  the test with its traceback) and never shows a traceback;
- an answer of 4xx changed nothing in the database (every table's rows compared before and
  after; failed logins are counted and audited by design, so ``login_attempt`` and
  ``audit_event`` may grow then).

Examples are few and derandomized, so the file runs the same way every time, in seconds per
backend; the shrunk failing example is printed when a property breaks. Set PROPERTY_EXAMPLES
for a longer search with fresh random examples.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.auth.models import Role, User
from app.extensions import db
from app.register.models import Commitment, Committee, Document, DocumentKind, Ministry, Official
from tests.conftest import PASSWORD, AuthActions
from tests.test_letter_review import LETTER, register_before_the_letter, review_form, upload

#: Seconds per form and backend: `make test` runs these, `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

#: ``PROPERTY_EXAMPLES=500 pytest tests/test_properties.py`` searches deeper, with a new seed
#: each run; by default every run tries the same 25 examples per form.
EXAMPLES = os.environ.get("PROPERTY_EXAMPLES")
FORMS = settings(
    max_examples=int(EXAMPLES or 25),
    deadline=None,
    derandomize=EXAMPLES is None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values


#: Any character a form can carry (not lone surrogates, which UTF-8 cannot encode), with the
#: C0 control characters and NUL drawn often.
_CHARACTER = st.one_of(
    st.characters(exclude_categories=("Cs",)),
    st.characters(min_codepoint=0, max_codepoint=0x1F),
    st.sampled_from(["\ufffe", "\uffff", "\u202e", "\u200b", "\ufeff", "\x7f", "\x85"]),
)
_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", str(2**31 - 1), str(2**31), str(2**63), "9" * 20, "9" * 4400]),
)
_LONG = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", "é", "😀", "ab ", "\x01"]),
    st.sampled_from([21, 41, 61, 129, 201, 255, 501, 5_001, 10_001, 60_000]),
)
_ODD = st.sampled_from(
    [
        "",
        " ",
        "a|b",
        "²",
        "٣",
        "1e3",
        "-0",
        "0",
        "NaN",
        "None",
        "[]",
        "%00",
        "\x00",
        "'; DROP TABLE commitment; --",
        "<script>alert(1)</script>",
        "kst-32735-243",
        "kst-99999999999999999999-1",
        "32 735, nr. 243",
        "TZ-2019-0001",
        "2019-04-11",
        "31-02-2019",
        "01-01-0001",
        "31-12-9999",
        "javascript:alert(1)",
    ]
)
HOSTILE = st.one_of(st.text(_CHARACTER, max_size=40), _NUMBERS, _LONG, _ODD)


def sensible(*values: str) -> st.SearchStrategy[str]:
    """A value a user would send."""
    return st.sampled_from(values)


def maybe_hostile(*values: str) -> st.SearchStrategy[str]:
    """A value a user would send, or a hostile one."""
    return st.one_of(st.sampled_from(values), HOSTILE)


def form(
    required: dict[str, st.SearchStrategy[str]],
    optional: dict[str, st.SearchStrategy[str]] | None = None,
    extra: tuple[str, ...] = (),
) -> st.SearchStrategy[dict[str, str]]:
    """A form a user would send, with up to three fields (or ``extra`` names) made hostile:
    hostile values meet the code behind a form that otherwise passes its checks."""
    names = sorted({*required, *(optional or {}), *extra})
    return st.fixed_dictionaries(required, optional=optional or {}).flatmap(
        lambda base: st.dictionaries(st.sampled_from(names), HOSTILE, max_size=3).map(
            lambda hostile: {**base, **hostile}
        )
    )


#: Stands for the promise's version when the form is sent: an edit that is up to date.
CURRENT = "current"


DATES = ("11-04-2019", "2019-06-30", "30/06/2019", "01-01-0001", "31-12-9999")
OPTIONAL_DATES = ("", *DATES)
PHRASES = ("voor de zomer", "binnen 10 dagen", "medio maart", "in het derde kwartaal", "")
TEXTS = ("Ik zal uw Kamer voor de zomer informeren over de voortgang.", "x" * 10_000)

# The database before and after


def database_state(*, ignore: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every row of every table (the register is small in a test), for comparing."""
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name in ignore:
            continue
        rows = db.session.execute(sa.select(table)).all()
        state[table.name] = sorted(repr(tuple(row)) for row in rows)
    return state


def check(response: Any, before: dict[str, Any], *, ignore: frozenset[str] = frozenset()) -> None:
    """No server error, no traceback, and nothing written when the answer is a 4xx."""
    assert response.status_code < 500, response.status_code
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if 400 <= response.status_code < 500:
        assert database_state(ignore=ignore) == before, f"written on a {response.status_code}"


def post(client: FlaskClient, url: str, data: dict[str, Any], **kw: Any) -> Any:
    """Post ``data`` and check the answer, as the properties require."""
    before = database_state(ignore=kw.get("ignore", frozenset()))
    response = client.post(url, data=data)
    check(response, before, ignore=kw.get("ignore", frozenset()))
    return response


# The people and the register the forms are posted into


@pytest.fixture
def world(app: Flask, create_user: Callable[..., User]) -> dict[str, Any]:
    jenv = Ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    official = Official(name="M.G.J. Harbers", function="Staatssecretaris", ministry=jenv)
    committee = Committee(name="Vaste commissie voor Justitie en Veiligheid", abbreviation="J&V")
    document = Document(
        kind=DocumentKind.LETTER, dossier_number="32 735", ondernummer="243", title="Brief"
    )
    db.session.add_all([jenv, official, committee, document])
    db.session.flush()
    clerk = create_user(name="Fatima el Amrani", ministry=jenv)
    admin = create_user(name="Beheerder", role=Role.ADMIN)
    from app.register import services

    commitment = services.create_commitment(
        title="Uw Kamer informeren",
        text="Ik zal uw Kamer voor de zomer informeren.",
        made_on=dt.date(2019, 4, 11),
        ministry=jenv,
        owner=clerk,
    )
    db.session.commit()
    return {
        "jenv": jenv,
        "official": official,
        "committee": committee,
        "document": document,
        "clerk": clerk,
        "admin": admin,
        "commitment": commitment,
    }


@pytest.fixture
def as_clerk(client: FlaskClient, auth: AuthActions, world: dict[str, Any]) -> FlaskClient:
    assert auth.login(world["clerk"]).status_code == 302
    return client


@pytest.fixture
def as_admin(client: FlaskClient, auth: AuthActions, world: dict[str, Any]) -> FlaskClient:
    assert auth.login(world["admin"]).status_code == 302
    return client


def ids(world: dict[str, Any], *names: str) -> tuple[str, ...]:
    return ("", "0", *(str(world[name].id) for name in names))


# Recording and keeping promises (app/clerk/forms.py)


def commitment_form(world: dict[str, Any]) -> st.SearchStrategy[dict[str, str]]:
    return form(
        {
            "text": sensible(*TEXTS),
            "title": sensible("", "Uw Kamer informeren"),
            "made_on": sensible(*DATES),
            "ministry": sensible(str(world["jenv"].id)),
            "deadline_phrase": sensible(*PHRASES),
            "deadline": sensible(*OPTIONAL_DATES),
            "version": sensible(CURRENT),
            "save": sensible("Opslaan"),
        },
        {
            "source": sensible("", "32 735, nr. 243", "32 735, nr. 244", "kst-21501-02-1"),
            "source_title": sensible("", "Brief over migratie"),
            "source_date": sensible(*OPTIONAL_DATES),
            "source_kind": sensible(*(kind.value for kind in DocumentKind)),
            "activity": sensible("0"),
            "responsible_official": sensible(*ids(world, "official")),
            "owner": sensible(*ids(world, "clerk", "admin")),
            "committee": sensible(*ids(world, "committee")),
            "requested_by": sensible("", "Kuiken (PvdA)"),
            "internal_note": sensible("", "Navragen bij DGM."),
            "note": sensible("", "Bijgewerkt."),
        },
        extra=("preview",),
    )


def current_version(number: str) -> str:
    db.session.expire_all()
    version = db.session.scalar(sa.select(Commitment.version).where(Commitment.number == number))
    return str(version)


def up_to_date(data: dict[str, str], number: str) -> dict[str, str]:
    """The form with the promise's version as the page would have it, unless made hostile."""
    if data.get("version") == CURRENT:
        data["version"] = current_version(number)
    return data


@FORMS
@given(data=st.data())
def test_recording_a_promise(as_clerk, world, data):
    fields = data.draw(commitment_form(world))
    if fields.get("version") == CURRENT:
        del fields["version"]  # a new promise has no version yet
    post(as_clerk, "/beheer/toezeggingen/nieuw", fields)


@FORMS
@given(data=st.data())
def test_editing_a_promise(as_clerk, world, data):
    number = world["commitment"].number
    fields = up_to_date(data.draw(commitment_form(world)), number)
    post(as_clerk, f"/beheer/toezeggingen/{number}/bewerken", fields)


@FORMS
@given(
    data=form(
        {
            "status": sensible("open", "partially_fulfilled", "fulfilled", "withdrawn"),
            "note": sensible("Brief verstuurd."),
            "version": sensible(CURRENT, "1"),
        },
        {"kamer_status": sensible("", "Afgedaan")},
    )
)
def test_changing_a_status(as_clerk, world, data):
    number = world["commitment"].number
    post(as_clerk, f"/beheer/toezeggingen/{number}/status", up_to_date(data, number))


@FORMS
@given(
    data=form(
        {
            "deadline_phrase": sensible(*PHRASES),
            "deadline": sensible(*OPTIONAL_DATES),
            "version": sensible(CURRENT, "1"),
        },
        {"note": sensible("", "Uitgesteld.")},
    )
)
def test_changing_a_deadline(as_clerk, world, data):
    number = world["commitment"].number
    post(as_clerk, f"/beheer/toezeggingen/{number}/deadline", up_to_date(data, number))


@FORMS
@given(
    data=form(
        {
            "document": sensible("32 735, nr. 243", "32 735, nr. 250", "kst-32735-251"),
            "version": sensible(CURRENT, "1"),
        },
        {
            "document_title": sensible("", "Brief over migratie"),
            "document_date": sensible(*OPTIONAL_DATES),
            "fulfilled_on": sensible(*OPTIONAL_DATES),
            "partially": sensible("y", ""),
            "note": sensible("", "Voldaan."),
        },
    )
)
def test_marking_a_promise_fulfilled(as_clerk, world, data):
    number = world["commitment"].number
    post(as_clerk, f"/beheer/toezeggingen/{number}/voldaan", up_to_date(data, number))


# Reference data (app/clerk/reference_forms.py)

REFERENCE_FORMS = {
    "ministeries": lambda world: form(
        {"code": sensible("BZ", "OCW", "JenV"), "name": sensible("Buitenlandse Zaken")}
    ),
    "bewindspersonen": lambda world: form(
        {
            "name": sensible("E. van der Burg"),
            "function": sensible("Staatssecretaris van Justitie en Veiligheid"),
            "ministry": sensible(str(world["jenv"].id)),
        },
        {"active_from": sensible(*OPTIONAL_DATES), "active_to": sensible(*OPTIONAL_DATES)},
    ),
    "commissies": lambda world: form(
        {"name": sensible("Vaste commissie voor Defensie")},
        {"abbreviation": sensible("", "DEF", "J&V")},
    ),
    "documenten": lambda world: form(
        {
            "reference": sensible("32 735, nr. 260", "kst-36200-VI-5", "32 735, nr. 243"),
            "kind": sensible(*(kind.value for kind in DocumentKind)),
            "title": sensible("Brief over migratie"),
        },
        {"date": sensible(*OPTIONAL_DATES), "url": sensible("", "https://example.org/brief")},
    ),
}
REFERENCE_ITEMS = {
    "ministeries": "jenv",
    "bewindspersonen": "official",
    "commissies": "committee",
    "documenten": "document",
}


@pytest.mark.parametrize("slug", sorted(REFERENCE_FORMS))
@FORMS
@given(data=st.data(), new=st.booleans())
def test_keeping_reference_data(as_admin, world, slug, data, new):
    fields = data.draw(REFERENCE_FORMS[slug](world))
    target = "nieuw" if new else str(world[REFERENCE_ITEMS[slug]].id)
    post(as_admin, f"/beheer/referentie/{slug}/{target}", fields)


# Accounts and logging in (app/auth/forms.py)


@FORMS
@given(data=st.data(), new=st.booleans())
def test_keeping_accounts(as_admin, world, data, new):
    fields = data.draw(
        form(
            {
                "email": sensible("nieuw@ministerie.example", "fatima@ministerie.example"),
                "name": sensible("Nieuwe Medewerker"),
                "role": sensible("clerk", "coordinator", "admin"),
                "ministry": sensible(*ids(world, "jenv")),
            },
            {"active": sensible("y", "")},
        )
    )
    target = "nieuw" if new else str(world["clerk"].id)
    post(as_admin, f"/beheer/gebruikers/{target}", fields)


#: Failed logins are stored by design: throttling counts them and the audit log records them.
#: Nothing else may change when a login is refused.
COUNTED_LOGINS = frozenset({"login_attempt", "audit_event"})


@FORMS
@given(
    data=form(
        {
            "email": sensible("fatima@ministerie.example", "onbekend@ministerie.example"),
            "password": sensible(PASSWORD, "verkeerd wachtwoord"),
        }
    ),
    next_page=maybe_hostile("/beheer/", "//evil.example"),
)
def test_logging_in(app, client, world, data, next_page):
    world["clerk"].email = "fatima@ministerie.example"
    db.session.commit()
    fresh = app.test_client()  # a visitor who is not logged in yet
    before = database_state(ignore=COUNTED_LOGINS)
    response = fresh.post("/beheer/inloggen", query_string={"next": next_page}, data=data)
    check(response, before, ignore=COUNTED_LOGINS)


@FORMS
@given(password=maybe_hostile(PASSWORD, "kort"), confirm=st.one_of(st.none(), HOSTILE))
def test_setting_a_password(app, client, world, password, confirm):
    from app.auth.routes import password_link

    with app.test_request_context():
        link = password_link(db.session.get_one(User, world["clerk"].id))
    fields = {"password": password, "confirm": password if confirm is None else confirm}
    post(client, urlsplit(link).path, fields)


# Following by e-mail (app/reminders/forms.py)


@FORMS
@given(data=st.data(), target=st.sampled_from(["toezegging", "ministerie", "commissie"]))
def test_following(app, client, world, data, target):
    value = {
        "toezegging": world["commitment"].number,
        "ministerie": world["jenv"].code,
        "commissie": str(world["committee"].id),
    }[target]
    fields = data.draw(
        form(
            {
                "email": sensible("lezer@example.org", "LEZER@example.org"),
                "target": sensible(target),
                "value": sensible(value),
            }
        )
    )
    fresh = app.test_client()  # the public follows without logging in
    post(fresh, "/volgen", fields)


# Letters (app/letters/forms.py)


@FORMS
@given(
    name=maybe_hostile("brief.txt", "brief.TXT", "brief", "brief.exe", "../../etc/passwd.txt"),
    content=st.one_of(
        st.binary(max_size=2000),
        st.text(_CHARACTER, max_size=2000).map(lambda text: text.encode("utf-8")),
        st.just(LETTER.read_bytes()),
    ),
)
def test_uploading_a_letter(as_clerk, name, content):
    # Only .txt (and refused names): the readers of PDF and Word files have their own hostile
    # file tests (tests/test_hostile_files.py).
    post(as_clerk, "/beheer/brieven/nieuw", {"letter": (io.BytesIO(content), name)})


@pytest.fixture
def letter_review(app: Flask, client: FlaskClient, auth: AuthActions) -> dict[str, str]:
    world = register_before_the_letter()
    db.session.commit()
    auth.login(world["clerk"])
    page = upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True)
    return review_form(page)


@FORMS
@given(data=st.data())
def test_accepting_a_letter(client, letter_review, data):
    names = sorted({*letter_review, "promise-200-title", "fulfilment-7-choice", "onbekend"})
    changes = data.draw(st.dictionaries(st.sampled_from(names), HOSTILE, max_size=4))
    post(client, "/beheer/brieven/accepteren", {**letter_review, **changes})
