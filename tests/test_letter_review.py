"""The review screen: upload a letter, accept candidates and the fulfilment, no duplicates."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from app.auth import queries as user_queries
from app.auth.models import Role, User
from app.extensions import db
from app.letters import routes
from app.letters.forms import LetterReviewForm
from app.letters.review import MAX_PROPOSALS
from app.register import queries, services
from app.register.models import (
    Activity,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Document,
    DocumentKind,
    Ministry,
    Official,
)
from tests.conftest import PASSWORD

LETTER = (
    Path(__file__).resolve().parent.parent
    / "seeds"
    / "letters"
    / ("2019-04-11_kst-32735-243_libie-migratie.txt")
)


def register_before_the_letter() -> dict[str, object]:
    """The register as it was on 10 April 2019: the promise from the AO still open, and a
    clerk of JenV (password PASSWORD) to read the letter. Flushes; the caller commits."""
    jenv = Ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    harbers = Official(
        name="M.G.J. Harbers", function="Staatssecretaris van Justitie en Veiligheid", ministry=jenv
    )
    clerk = User(
        email="fatima@minjenv.example", name="Fatima el Amrani", role=Role.CLERK, ministry=jenv
    )
    clerk.set_password(PASSWORD)
    report = Document(
        kind=DocumentKind.REPORT,
        dossier_number="32 317",
        ondernummer="548",
        title="Verslag AO JBZ-raad",
    )
    activity = Activity(
        kind="Algemeen overleg",
        title="JBZ-raad van 7 en 8 maart 2019",
        date=dt.date(2019, 3, 7),
        report=report,
    )
    db.session.add_all([jenv, harbers, clerk, report, activity])
    promise = services.create_commitment(
        title="Update over migratie en de Libische detentiecentra",
        text="Ik zal uw Kamer een update sturen over migratie en de Libische detentiecentra.",
        made_on=dt.date(2019, 3, 7),
        ministry=jenv,
        source_document=report,
        activity=activity,
        responsible_official=harbers,
    )
    return {"clerk": clerk, "promise": promise, "jenv": jenv, "harbers": harbers}


@pytest.fixture
def before_the_letter(app):
    world = register_before_the_letter()
    db.session.commit()
    return world


def upload(client, data: bytes, name: str):
    return client.post(
        "/beheer/brieven/nieuw",
        data={"letter": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def commitment_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Commitment))


def review_form(page: str) -> dict[str, str]:
    """The hidden and visible fields of the review form, as a browser would send them."""
    form = page.split('action="/beheer/brieven/accepteren"')[1].split("</form>")[0]
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]+>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or "disabled" in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in {"checkbox", "radio"} and "checked" not in tag:
            continue
        fields[name.group(1)] = _unescape(value.group(1) if value else "")
    for select in re.findall(r'<select[^>]+name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select[1])
        first = re.search(r'<option value="([^"]*)"', select[1])
        fields[select[0]] = (chosen or first).group(1) if (chosen or first) else ""
    return fields


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_upload_proposes_promises_and_the_fulfilment(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    response = upload(client, LETTER.read_bytes(), "brief.txt")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "6 voorgestelde toezeggingen" in page
    assert 'value="kst-32735-243"' in page
    assert 'name="promise-0-deadline" value="2019-06-30"' in page
    assert "Voldaan: TZ-2019-0001 Update over migratie" in page
    jenv = before_the_letter["jenv"]
    assert re.search(rf'<option value="{jenv.id}" selected>Ministerie van Justitie', page)
    assert '<mark class="promise">' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 1


def test_accepting_creates_promises_and_marks_the_fulfilment(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    for index in range(2, 6):  # keep the first two candidates only
        fields.pop(f"promise-{index}-accept", None)
    fields["promise-0-owner"] = str(before_the_letter["clerk"].id)
    response = client.post("/beheer/brieven/accepteren", data=fields)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nieuwe toezeggingen: TZ-2019-0002, TZ-2019-0003." in page
    assert "Voldaan: TZ-2019-0001." in page
    letter = services.find_document("kst-32735-243")
    mission = db.session.scalars(
        sa.select(Commitment).where(Commitment.number == "TZ-2019-0002")
    ).one()
    assert mission.source_document_id == letter.id
    assert mission.deadline == dt.date(2019, 6, 30)
    assert mission.deadline_phrase == "in de eerste helft van 2019"
    assert mission.owner_id == before_the_letter["clerk"].id
    assert mission.responsible_official_id == before_the_letter["harbers"].id
    db.session.expire_all()
    promise = db.session.get(Commitment, before_the_letter["promise"].id)
    assert promise.status is CommitmentStatus.FULFILLED
    assert promise.fulfilled_by_id == letter.id
    assert promise.fulfilled_on == dt.date(2019, 4, 11)


def test_the_same_letter_twice_adds_nothing(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    client.post("/beheer/brieven/accepteren", data=fields)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Commitment))
    again = upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True)
    assert "Staat al in het register als TZ-2019-0002." in again
    client.post("/beheer/brieven/accepteren", data=review_form(again))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == count
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 2


def test_bad_input_is_explained_and_nothing_is_stored(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    bad = upload(client, b"x", "brief.odt")
    assert bad.status_code == 400
    assert "alleen .txt, .pdf en .docx worden gelezen" in bad.get_data(as_text=True)
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    fields["date"] = "gisteren"
    refused = client.post("/beheer/brieven/accepteren", data=fields)
    assert refused.status_code == 400
    assert "&#39;gisteren&#39; is geen datum." in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 1


def test_another_ministry_cannot_mark_this_promise_fulfilled(
    before_the_letter, client, auth, create_user, create_ministry
):
    outsider = create_user(ministry=create_ministry(code="BZ"))
    db.session.commit()
    auth.login(outsider)
    page = upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True)
    fields = review_form(page)
    response = client.post("/beheer/brieven/accepteren", data=fields)
    assert response.status_code == 400
    assert "TZ-2019-0001 niet wijzigen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 1


def test_the_first_signatory_decides_the_ministry(before_the_letter, client, auth, create_user):
    bz = Ministry(code="BZ", name="Ministerie van Buitenlandse Zaken")
    kaag = Official(
        name="S.A.M. Kaag",
        ministry=bz,
        function="Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking",
    )
    db.session.add_all([bz, kaag])
    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.login(admin)
    page = upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True)
    jenv, harbers = before_the_letter["jenv"], before_the_letter["harbers"]
    assert re.search(rf'<option value="{jenv.id}" selected>Ministerie van Justitie', page)
    assert re.search(rf'<option value="{harbers.id}" selected>M.G.J. Harbers', page)


def test_a_refused_review_keeps_everything_the_clerk_typed(before_the_letter, client, auth):
    clerk = before_the_letter["clerk"]
    auth.login(clerk)
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    fields.update(
        {
            "kamerstuk": "32 735, nr. 243",
            "title": "Libië & migratie <update>",
            "date": "gisteren",
            "official": "",
            "promise-0-title": "Hervestigingsmissie",
            "promise-0-phrase": "voor de zomer",
            "promise-0-deadline": "01-07-2019",
            "promise-0-owner": str(clerk.id),
            "promise-1-deadline": "morgen",
            "fulfilment-0-choice": "",
        }
    )
    del fields["promise-2-accept"]
    refused = client.post("/beheer/brieven/accepteren", data=fields)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    # The CSRF token is signed with the time of the render: a new one is no lost input.
    kept = {name: value for name, value in review_form(page).items() if name != "csrf_token"}
    assert kept == {name: value for name, value in fields.items() if name != "csrf_token"}
    assert "Toezegging 2: &#39;morgen&#39; is geen datum." in page
    assert 'id="promise-1-deadline-error"' in page
    assert commitment_count() == 1


def test_the_sentences_stored_are_read_from_the_letter_on_the_server(
    before_the_letter, client, auth
):
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    for index in range(1, 6):
        fields.pop(f"promise-{index}-accept", None)
    fields["promise-0-sentence"] = "Een zin die niet in de brief staat."
    # Browsers send the hidden letter text back with CR LF line breaks.
    fields["text"] = fields["text"].replace("\n", "\r\n")
    response = client.post("/beheer/brieven/accepteren", data=fields)
    assert response.status_code == 302
    mission = queries.commitment_by_number("TZ-2019-0002")
    assert mission.text.startswith("Een nieuwe Nederlandse hervestigingsmissie")


def test_the_fulfilment_options_come_from_the_register_not_the_browser(
    before_the_letter, client, auth, create_commitment
):
    later = create_commitment(
        title="Een promise made after the letter",
        made_on=dt.date(2019, 5, 1),
        ministry=before_the_letter["jenv"],
    )
    db.session.commit()
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    assert set(fields) == {
        "csrf_token",
        "text",
        "kamerstuk",
        "title",
        "date",
        "ministry",
        "official",
        "fulfilment-0-choice",
        "fulfilment-0-other",
        *(f"promise-{i}-{name}" for i in range(6) for name in PROMISE_FIELDS),
    }
    # The old form posted the options as "number|title|score"; they are not read any more.
    fields["fulfilment-0-option"] = "TZ-2019-0099|Nep-toezegging|0.99"
    for choice in ("TZ-2019-0099", later.number):
        fields["fulfilment-0-choice"] = choice
        refused = client.post("/beheer/brieven/accepteren", data=fields)
        assert refused.status_code == 400
        page = refused.get_data(as_text=True)
        assert "Kies een van de voorgestelde toezeggingen, of geen." in page
        assert "Nep-toezegging" not in page
        assert f'value="{choice}"' not in page
        assert "Voldaan: TZ-2019-0001 Update over migratie" in page
        assert "(overeenkomst 100%)" in page
    assert commitment_count() == 2
    db.session.expire_all()
    assert db.session.get(Commitment, later.id).status is CommitmentStatus.OPEN
    assert db.session.get(Commitment, before_the_letter["promise"].id).fulfilled_by_id is None


PROMISE_FIELDS = ("accept", "title", "phrase", "deadline", "owner", "requested_by")


def test_owners_officials_and_ministries_are_checked_against_the_register(
    before_the_letter, client, auth, create_user, create_ministry, create_official
):
    bz = create_ministry(code="BZ", name="Ministerie van Buitenlandse Zaken")
    other = create_official(bz, name="A.B. Anders", function="Minister van Buitenlandse Zaken")
    outsider = create_user(ministry=bz)
    db.session.commit()
    auth.login(before_the_letter["clerk"])
    page = upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True)
    assert f'<option value="{outsider.id}">' not in page
    assert "A.B. Anders" not in page
    for field, value, message in [
        ("promise-0-owner", outsider.id, "Kies een eigenaar van het gekozen ministerie."),
        ("official", other.id, "Kies een bewindspersoon van het gekozen ministerie."),
        ("ministry", bz.id, "Kies een ministerie waarvoor u toezeggingen mag vastleggen."),
        ("ministry", "geen getal", "Kies een ministerie waarvoor u toezeggingen mag vastleggen."),
    ]:
        fields = review_form(page)
        fields[field] = str(value)
        refused = client.post("/beheer/brieven/accepteren", data=fields)
        assert refused.status_code == 400, field
        assert message in refused.get_data(as_text=True)
    assert commitment_count() == 1


def test_the_review_form_builds_at_most_the_maximum_of_entries(app):
    from werkzeug.datastructures import MultiDict

    posted = MultiDict({f"promise-{index}-title": "x" for index in range(100_000)})
    posted.update({f"fulfilment-{index * 7}-choice": "" for index in range(MAX_PROPOSALS + 1)})
    with app.test_request_context(method="POST"):
        form = LetterReviewForm(formdata=posted)
    assert MAX_PROPOSALS == 200
    assert len(form.promise.entries) == MAX_PROPOSALS
    assert len(form.fulfilment.entries) == MAX_PROPOSALS
    assert form.promise.too_many
    assert form.fulfilment.too_many


def test_more_proposals_than_the_maximum_are_refused(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    for index in range(6, 1000):
        fields[f"promise-{index}-title"] = "Nep"
    refused = client.post("/beheer/brieven/accepteren", data=fields)
    assert refused.status_code == 400
    assert "Ten hoogste 200 voorstellen per brief." in refused.get_data(as_text=True)
    assert commitment_count() == 1


def test_proposals_that_do_not_belong_to_the_letter_are_refused(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    for name in PROMISE_FIELDS:
        fields.pop(f"promise-5-{name}", None)
    refused = client.post("/beheer/brieven/accepteren", data=fields)
    assert refused.status_code == 400
    assert "De voorstellen passen niet meer bij de brief." in refused.get_data(as_text=True)
    assert commitment_count() == 1


def test_a_long_debate_shows_the_first_200_proposals_and_can_be_accepted(
    before_the_letter, client, auth
):
    sentences = "\n\n".join(
        f"Ik zal uw Kamer voor de zomer informeren over onderwerp nummer {n}." for n in range(205)
    )
    auth.login(before_the_letter["clerk"])
    response = upload(client, sentences.encode(), "verslag.txt")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "200 voorgestelde toezeggingen" in page
    assert "alleen de eerste 200 toezeggingen" in page
    fields = review_form(page)
    for index in range(3, 200):
        fields.pop(f"promise-{index}-accept")
    fields["kamerstuk"] = "kst-32735-999"
    accepted = client.post("/beheer/brieven/accepteren", data=fields)
    assert accepted.status_code == 302
    assert commitment_count() == 4


def test_an_upload_without_a_file_is_explained(before_the_letter, client, auth):
    auth.login(before_the_letter["clerk"])
    response = client.post("/beheer/brieven/nieuw", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Kies een brief om te uploaden." in response.get_data(as_text=True)


def test_a_letter_above_the_upload_limit_is_refused_with_the_limit(
    before_the_letter, app, client, auth, monkeypatch
):
    auth.login(before_the_letter["clerk"])
    with app.test_request_context():
        assert routes.file_size(app.config["MAX_CONTENT_LENGTH"]) == "25 MB"
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100 * 1024)
    assert upload(client, LETTER.read_bytes(), "brief.txt").status_code == 200
    too_large = upload(client, b"x" * 200 * 1024, "brief.txt")
    assert too_large.status_code == 413
    page = too_large.get_data(as_text=True)
    assert "De brief is groter dan 100 kB." in page
    assert 'id="letter-error"' in page
    assert '<form method="post" action="/beheer/brieven/nieuw"' in page
    english = client.post(
        "/beheer/brieven/nieuw?lang=en",
        data={"letter": (io.BytesIO(b"x" * 200 * 1024), "brief.txt")},
        content_type="multipart/form-data",
    )
    assert english.status_code == 413
    assert "The letter is larger than 100 kB." in english.get_data(as_text=True)
    client.get("/?lang=nl")
    # With CSRF protection on, as in production, the size is noticed before the view runs.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    protected = upload(client, b"x" * 200 * 1024, "brief.txt")
    assert protected.status_code == 413
    assert "De brief is groter dan 100 kB." in protected.get_data(as_text=True)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    auth.logout()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    anonymous = upload(client, b"x" * 200 * 1024, "brief.txt")
    assert anonymous.status_code == 302
    assert "/inloggen" in anonymous.headers["Location"]


def test_the_review_offers_the_ministrys_officials_and_active_accounts(
    before_the_letter, create_user, create_official, create_ministry
):
    jenv, clerk = before_the_letter["jenv"], before_the_letter["clerk"]
    gone = create_user(name="Aart Vertrokken", ministry=jenv, active=False)
    colleague = create_user(name="Bea Collega", ministry=jenv)
    elsewhere = create_ministry(code="BZ", name="Ministerie van Buitenlandse Zaken")
    create_user(ministry=elsewhere)
    create_official(elsewhere, name="S.A.M. Kaag")
    assert user_queries.active_users_of(jenv.id) == [colleague, clerk]
    assert gone not in user_queries.active_users_of(jenv.id)
    assert queries.officials_of(jenv.id) == [before_the_letter["harbers"]]
    assert queries.officials_of(None) == []
    assert [m.code for m in queries.ministries_by_name()] == ["BZ", "JenV"]


def test_a_long_letter_can_still_be_taken_over(before_the_letter, client, auth):
    """The review form carries the whole text back: a letter near the reader's limit fits."""
    from app.letters.text import MAX_TEXT_CHARS

    auth.login(before_the_letter["clerk"])
    body = LETTER.read_text(encoding="utf-8")
    long_letter = (body + "\n\n") * (int(MAX_TEXT_CHARS * 0.95) // (len(body) + 2))
    page = upload(client, long_letter.encode(), "lange-brief.txt").get_data(as_text=True)
    fields = review_form(page)
    assert len(fields["text"]) > MAX_TEXT_CHARS * 0.9
    assert len(urlencode(fields)) > 500_000  # more than Flask's limit on a multipart field
    response = client.post("/beheer/brieven/accepteren", data=fields)
    assert response.status_code in (302, 400)
    assert "groter dan" not in response.get_data(as_text=True)


FRESH_LETTER = """\
> Retouradres Postbus 20011 2500 EA Den Haag

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
Postbus 20018
2500 EA DEN HAAG

Datum 20 november 2026
Betreft Voortgang van de aanpak van migratie

Geachte voorzitter,

In het commissiedebat van 7 maart 2019 heeft de staatssecretaris uw Kamer toegezegd een update \
te sturen over migratie en de Libische detentiecentra.
Met deze brief kom ik die toezegging na.
Ik zal uw Kamer voor de zomer informeren over de resultaten van de nieuwe opvang in Niger.
Het wetsvoorstel over de terugkeer gaat in het voorjaar in internetconsultatie.

De Staatssecretaris van Justitie en Veiligheid,

M.G.J. Harbers
"""


def test_a_fresh_letter_from_a_ministry_without_a_number_can_be_taken_over(
    before_the_letter, client, auth
):
    """Issue 16, item 7: the letterhead date is kept, a letter without a Kamerstuk number yet
    can be saved, a deadline typed as a phrase gets its date, and titles are short."""
    auth.login(before_the_letter["clerk"])
    page = upload(client, FRESH_LETTER.encode(), "brief.txt").get_data(as_text=True)
    fields = review_form(page)
    assert fields["date"] == "2026-11-20"
    assert fields["kamerstuk"] == ""
    assert fields["promise-0-title"] == "De resultaten van de nieuwe opvang in Niger"
    assert fields["fulfilment-0-choice"] == before_the_letter["promise"].number
    fields["promise-1-deadline"] = ""
    fields["promise-1-phrase"] = "voor de zomer"
    response = client.post("/beheer/brieven/accepteren", data=fields)
    assert response.status_code == 302, review_form(response.get_data(as_text=True))
    created = db.session.scalars(
        sa.select(Commitment).where(Commitment.made_on == dt.date(2026, 11, 20))
    ).all()
    assert len(created) == 2
    assert all(c.deadline is not None for c in created)
    document = created[0].source_document
    assert document.kamerstuk_id is None
    assert document.date == dt.date(2026, 11, 20)
    db.session.expire_all()
    assert db.session.get(Commitment, before_the_letter["promise"].id).fulfilled_by_id == (
        document.id
    )
    again = review_form(upload(client, FRESH_LETTER.encode(), "brief.txt").get_data(as_text=True))
    assert client.post("/beheer/brieven/accepteren", data=again).status_code == 302
    assert commitment_count() == 3


def test_the_clerk_can_choose_another_promise_than_the_ranked_ones(
    before_the_letter, client, auth, create_commitment
):
    other = create_commitment(
        title="Toezegging over iets heel anders",
        made_on=dt.date(2019, 1, 10),
        ministry=before_the_letter["jenv"],
    )
    db.session.commit()
    auth.login(before_the_letter["clerk"])
    fields = review_form(upload(client, LETTER.read_bytes(), "brief.txt").get_data(as_text=True))
    fields["fulfilment-0-other"] = "TZ-2019-9999"
    refused = client.post("/beheer/brieven/accepteren", data=fields)
    assert refused.status_code == 400
    assert "TZ-2019-9999 staat niet in het register." in refused.get_data(as_text=True)
    fields["fulfilment-0-other"] = other.number.lower()
    assert client.post("/beheer/brieven/accepteren", data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(Commitment, other.id).status is CommitmentStatus.FULFILLED
    assert db.session.get(Commitment, before_the_letter["promise"].id).status is (
        CommitmentStatus.OPEN
    )


DEBATE_REPORT = """\
32 317 JBZ-Raad

Nr. 600 VERSLAG VAN EEN COMMISSIEDEBAT

Vastgesteld 20 maart 2019

De vaste commissie voor Justitie en Veiligheid heeft op 7 maart 2019 overleg gevoerd met de heer \
Harbers, Staatssecretaris van Justitie en Veiligheid, over de JBZ-raad.

Toezeggingen

De staatssecretaris zegt toe de Kamer voor de zomer te informeren over de terugkeer naar \
Marokko, naar aanleiding van een vraag van het lid Van Toorenburg (CDA).
De staatssecretaris zegt het lid Becker (VVD) toe in het najaar een brief te sturen over de \
opvang in Niger.

De voorzitter van de commissie,
Van Meenen
"""


def test_a_debate_report_proposes_its_listed_promises_with_who_asked(
    before_the_letter, client, auth
):
    auth.login(before_the_letter["clerk"])
    page = upload(client, DEBATE_REPORT.encode(), "verslag.txt").get_data(as_text=True)
    assert "2 voorgestelde toezeggingen" in page
    fields = review_form(page)
    assert fields["date"] == "2019-03-07"
    assert fields["kamerstuk"] == "kst-32317-600"
    assert fields["promise-0-requested_by"] == "Van Toorenburg (CDA)"
    assert fields["promise-1-requested_by"] == "Becker (VVD)"
    assert fields["official"] == str(before_the_letter["harbers"].id)
    assert client.post("/beheer/brieven/accepteren", data=fields).status_code == 302
    created = db.session.scalars(
        sa.select(Commitment).where(Commitment.requested_by.is_not(None)).order_by(Commitment.id)
    ).all()
    assert [c.requested_by for c in created] == ["Van Toorenburg (CDA)", "Becker (VVD)"]
    report = services.find_document("kst-32317-600")
    assert report.kind is DocumentKind.REPORT
    assert {c.activity.report_id for c in created} == {report.id}
    assert created[0].activity.date == dt.date(2019, 3, 7)
    assert created[0].deadline is not None
    assert created[0].responsible_official_id == before_the_letter["harbers"].id


def test_a_reported_promise_is_linked_with_a_note_or_recorded_never_marked_fulfilled(
    before_the_letter, client, auth
):
    auth.login(before_the_letter["clerk"])
    letter = FRESH_LETTER.replace(
        "Met deze brief kom ik die toezegging na.\n",
        "Tijdens het commissiedebat van 12 februari 2026 heb ik toegezegd uw Kamer te "
        "informeren over de terugkeer naar Marokko.\n",
    )
    page = upload(client, letter.encode(), "brief.txt").get_data(as_text=True)
    assert "de brief komt haar niet na" in page
    fields = review_form(page)
    assert fields["fulfilment-0-choice"] == ""  # only mentioned: nothing chosen for the clerk
    assert fields["fulfilment-1-choice"] == ""
    fields["fulfilment-0-choice"] = before_the_letter["promise"].number
    fields["fulfilment-1-choice"] = "nieuw"
    response = client.post("/beheer/brieven/accepteren", data=fields)
    assert response.status_code == 302
    db.session.expire_all()
    linked = db.session.get(Commitment, before_the_letter["promise"].id)
    assert linked.status is CommitmentStatus.OPEN
    notes = db.session.scalars(
        sa.select(CommitmentEvent.note).where(CommitmentEvent.commitment_id == linked.id)
    ).all()
    assert any(note and note.startswith("Genoemd in de brief") for note in notes)
    recorded = db.session.scalars(
        sa.select(Commitment).where(Commitment.text.like("Tijdens het commissiedebat%"))
    ).one()
    assert recorded.made_on == dt.date(2026, 2, 12)
    assert recorded.title == "De terugkeer naar Marokko"
