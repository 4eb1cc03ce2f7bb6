"""The review screen: upload a letter, accept candidates and the fulfilment, no duplicates."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.auth.models import Role, User
from app.extensions import db
from app.register import services
from app.register.models import (
    Activity,
    Commitment,
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
