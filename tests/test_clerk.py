"""Clerks record and keep promises: forms, history, deadline phrases, no lost edits."""

from __future__ import annotations

import datetime as dt

import pytest

from app.auth.models import Role
from app.extensions import db
from app.register import queries, services
from app.register.models import CommitmentStatus, EventKind


def new_promise(**overrides):
    form = {
        "text": "Ik zal uw Kamer voor de zomer informeren over de hervestigingsmissie.",
        "title": "",
        "made_on": "11-04-2019",
        "ministry": "",
        "deadline_phrase": "voor de zomer",
        "deadline": "",
        "save": "Opslaan",
    }
    return {**form, **overrides}


def test_recording_a_promise_resolves_the_deadline_phrase(logged_in, clerk, jenv):
    response = logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    assert response.status_code == 302
    commitment = queries.commitment_by_number("TZ-2019-0001")
    assert response.headers["Location"] == "/toezeggingen/TZ-2019-0001"
    assert commitment.deadline == dt.date(2019, 7, 4)
    assert commitment.deadline_phrase == "voor de zomer"
    assert commitment.title == (
        "Ik zal uw Kamer voor de zomer informeren over de hervestigingsmissie"
    )
    assert commitment.owner_id == clerk.id
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Toezegging TZ-2019-0001 is vastgelegd." in page
    assert "4 juli 2019" in page
    assert "door Fatima el Amrani" in page


def test_the_date_button_shows_the_date_without_saving(logged_in, jenv):
    response = logged_in.post(
        "/beheer/toezeggingen/nieuw",
        data={**new_promise(ministry=str(jenv.id)), "save": "", "preview": "Datum berekenen"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "“voor de zomer” wordt 4 juli 2019." in page
    assert 'value="04-07-2019"' in page
    assert queries.commitment_by_number("TZ-2019-0001") is None


def test_the_live_preview_answers_json(logged_in):
    body = logged_in.get(
        "/beheer/deadline", query_string={"phrase": "voor de zomer", "made_on": "2019-11-20"}
    ).get_json()
    assert body == {
        "phrase": "voor de zomer",
        "deadline": "2020-07-02",
        "label": "2 juli 2020",
        "message": "“voor de zomer” wordt 2 juli 2020.",
    }
    unknown = logged_in.get("/beheer/deadline", query_string={"phrase": "ooit"}).get_json()
    assert unknown["deadline"] is None
    assert unknown["message"].startswith("“ooit” noemt geen periode")
    english = logged_in.get(
        "/beheer/deadline",
        query_string={"phrase": "voor de zomer", "made_on": "2019-11-20", "lang": "en"},
    ).get_json()
    assert english["message"] == "“voor de zomer” becomes 2 July 2020."
    bad = logged_in.get("/beheer/deadline", query_string={"phrase": "x", "made_on": "gisteren"})
    assert bad.status_code == 400


def test_english_phrases_are_understood_where_the_interface_is_english(logged_in, jenv):
    def preview(phrase: str, lang: str) -> dict:
        return logged_in.get(
            "/beheer/deadline",
            query_string={"phrase": phrase, "made_on": "2019-11-20", "lang": lang},
        ).get_json()

    english = preview("before the summer recess", "en")
    assert english["deadline"] == "2020-07-02"
    assert english["message"] == "“before the summer recess” becomes 2 July 2020."
    assert preview("in the first quarter of 2027", "en")["deadline"] == "2027-03-31"
    assert preview("voor de zomer", "en")["deadline"] == "2020-07-02"
    assert preview("as soon as possible", "en")["deadline"] is None
    assert preview("before the summer recess", "nl")["deadline"] is None
    # Saving the form in English reckons the same way.
    data = new_promise(ministry=str(jenv.id), deadline_phrase="before the summer")
    assert logged_in.post("/beheer/toezeggingen/nieuw?lang=en", data=data).status_code == 302
    saved = queries.commitment_by_number("TZ-2019-0001")
    assert (saved.deadline, saved.deadline_phrase) == (dt.date(2019, 7, 4), "before the summer")


@pytest.mark.parametrize("made_on", ["30-06-2019", "2019-06-30", "30/06/2019"])
def test_dates_are_accepted_in_dutch_and_iso_form(logged_in, jenv, made_on):
    data = new_promise(ministry=str(jenv.id), made_on=made_on, deadline_phrase="")
    assert logged_in.post("/beheer/toezeggingen/nieuw", data=data).status_code == 302
    assert queries.commitment_by_number("TZ-2019-0001").made_on == dt.date(2019, 6, 30)


def test_validation_is_dutch_and_keeps_what_was_typed(logged_in, jenv):
    response = logged_in.post(
        "/beheer/toezeggingen/nieuw",
        data=new_promise(
            ministry=str(jenv.id),
            text="",
            made_on="31-02-2019",
            requested_by="Kuiken (PvdA)",
            deadline_phrase="na de zomer",
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dit veld is verplicht." in page
    assert "&#39;31-02-2019&#39; is geen datum. Bijvoorbeeld 30-06-2019 of 2019-06-30." in page
    assert 'value="31-02-2019"' in page
    assert 'value="Kuiken (PvdA)"' in page
    assert 'value="na de zomer"' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="text-help text-error"' in page


def test_fields_without_errors_carry_no_empty_aria_attributes(logged_in):
    page = logged_in.get("/beheer/toezeggingen/nieuw").get_data(as_text=True)
    assert "aria-invalid" not in page
    assert 'aria-describedby=""' not in page
    assert 'aria-describedby="title-help"' in page


def test_a_new_kamerstuk_is_registered_inline(logged_in, jenv):
    data = new_promise(ministry=str(jenv.id), source="32 735, nr. 243")
    missing = logged_in.post("/beheer/toezeggingen/nieuw", data=data)
    assert missing.status_code == 400
    assert "Dit Kamerstuk staat nog niet in het register" in missing.get_data(as_text=True)
    data.update(source_title="Brief over migratie en Libië", source_date="11-04-2019")
    assert logged_in.post("/beheer/toezeggingen/nieuw", data=data).status_code == 302
    source = queries.commitment_by_number("TZ-2019-0001").source_document
    assert source.kamerstuk_id == "kst-32735-243"
    assert source.url == "https://zoek.officielebekendmakingen.nl/kst-32735-243.html"


def test_a_malformed_kamerstuk_is_explained(logged_in, jenv):
    response = logged_in.post(
        "/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id), source="nr 12")
    )
    assert response.status_code == 400
    assert "Schrijf een Kamerstuk als 32 735, nr. 243" in response.get_data(as_text=True)


def test_an_official_of_another_ministry_is_refused(
    logged_in, jenv, create_ministry, create_official
):
    koenders = create_official(create_ministry(code="BZ"), "A.G. Koenders", "Minister van BZ")
    db.session.commit()
    response = logged_in.post(
        "/beheer/toezeggingen/nieuw",
        data=new_promise(ministry=str(jenv.id), responsible_official=str(koenders.id)),
    )
    assert response.status_code == 400
    assert "Deze bewindspersoon hoort niet bij dit ministerie." in response.get_data(as_text=True)


def test_create_edit_status_fulfil_each_show_in_history(logged_in, jenv, create_document):
    create_document("kst-32735-243", title="Brief over Libië", date=dt.date(2019, 9, 1))
    db.session.commit()
    logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    number = "TZ-2019-0001"

    edit = logged_in.post(
        f"/beheer/toezeggingen/{number}/bewerken",
        data=new_promise(
            ministry=str(jenv.id),
            title="Hervestigingsmissie",
            deadline="31-12-2019",
            version="1",
            note="Datum volgens het verslag.",
        ),
    )
    assert edit.status_code == 302
    status = logged_in.post(
        f"/beheer/toezeggingen/{number}/status",
        data={"status": "partially_fulfilled", "note": "Eerste deel verstuurd.", "version": "2"},
    )
    assert status.status_code == 302
    fulfil = logged_in.post(
        f"/beheer/toezeggingen/{number}/voldaan",
        data={"document": "kst-32735-243", "version": "3", "note": "Brief verstuurd."},
    )
    assert fulfil.status_code == 302

    commitment = queries.commitment_by_number(number)
    assert commitment.status is CommitmentStatus.FULFILLED
    assert commitment.fulfilled_on == dt.date(2019, 9, 1)
    kinds = [event.kind for event in queries.history(commitment)]
    assert kinds == [
        EventKind.CREATED,
        EventKind.UPDATED,  # title and deadline, changed in one save: one event
        EventKind.STATUS_CHANGED,
        EventKind.FULFILLED,
    ]
    page = logged_in.get(f"/toezeggingen/{number}").get_data(as_text=True)
    assert "Titel: Ik zal uw Kamer voor de zomer informeren" in page
    assert "Deadline: 4 juli 2019 → 31 december 2019" in page
    assert "Status: Openstaand → Deels voldaan" in page
    assert "Eerste deel verstuurd." in page
    assert "Voldaan met: — → 32 735, nr. 243" in page


def test_status_change_needs_a_note(logged_in, create_commitment, jenv):
    commitment = create_commitment(ministry=jenv)
    db.session.commit()
    response = logged_in.post(
        f"/beheer/toezeggingen/{commitment.number}/status",
        data={"status": "withdrawn", "note": "", "version": "1"},
    )
    assert response.status_code == 400
    assert "Geef bij een statuswijziging een toelichting." in response.get_data(as_text=True)


def test_deadline_change_keeps_the_old_one_in_history(logged_in, create_commitment, jenv):
    commitment = create_commitment(
        ministry=jenv, deadline=dt.date(2019, 7, 4), deadline_phrase="voor de zomer"
    )
    db.session.commit()
    response = logged_in.post(
        f"/beheer/toezeggingen/{commitment.number}/deadline",
        data={
            "deadline_phrase": "",
            "deadline": "2019-12-31",
            "note": "Rappel EK.",
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = logged_in.get(f"/toezeggingen/{commitment.number}").get_data(as_text=True)
    assert "Deadline: 4 juli 2019 → 31 december 2019" in page
    assert "Deadline (zoals verwoord): voor de zomer → —" in page


def test_two_clerks_editing_at_once_never_overwrite_each_other(
    app, jenv, create_user, create_commitment, auth
):
    first_clerk = create_user(ministry=jenv)
    second_clerk = create_user(ministry=jenv)
    commitment = create_commitment(ministry=jenv, title="Oorspronkelijk")
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    for client, user in ((first, first_clerk), (second, second_clerk)):
        client.post("/beheer/inloggen", data={"email": user.email, "password": auth_password()})
        form = client.get(f"/beheer/toezeggingen/{commitment.number}/bewerken")
        assert 'name="version" type="hidden" value="1"' in form.get_data(as_text=True)

    url = f"/beheer/toezeggingen/{commitment.number}/bewerken"
    base = new_promise(ministry=str(jenv.id), made_on="11-04-2019", deadline_phrase="", version="1")
    assert first.post(url, data={**base, "title": "Eerste versie"}).status_code == 302
    conflict = second.post(url, data={**base, "title": "Tweede versie"})
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "Iemand anders was u voor" in page
    assert "<td>Eerste versie</td><td>Tweede versie</td>" in page
    assert 'name="version" type="hidden" value="2"' in page
    db.session.expire_all()
    assert queries.commitment_by_number(commitment.number).title == "Eerste versie"

    reapplied = second.post(url, data={**base, "title": "Tweede versie", "version": "2"})
    assert reapplied.status_code == 302
    db.session.expire_all()
    assert queries.commitment_by_number(commitment.number).title == "Tweede versie"


def auth_password() -> str:
    from tests.conftest import PASSWORD

    return PASSWORD


def test_dashboard_lists_mine_overdue_first_and_what_needs_attention(
    logged_in, clerk, jenv, create_commitment
):
    create_commitment(ministry=jenv, owner=clerk, title="Later", deadline=dt.date(2099, 1, 1))
    create_commitment(ministry=jenv, owner=clerk, title="Te laat", deadline=dt.date(2019, 1, 1))
    create_commitment(ministry=jenv, title="Niemand kijkt", deadline=dt.date(2099, 1, 1))
    done = create_commitment(ministry=jenv, owner=clerk, title="Klaar")
    services.change_status(done, CommitmentStatus.WITHDRAWN, note="Vervallen.")
    db.session.commit()
    page = logged_in.get("/beheer/").get_data(as_text=True)
    mine = page.split('id="mijn"')[1].split('id="zonder"')[0]
    assert mine.index("Te laat") < mine.index("Later")
    assert "Klaar" not in mine
    attention = page.split('id="zonder"')[1].split('id="recent"')[0]
    assert "Niemand kijkt" in attention
    assert "Klaar" in page.split('id="recent"')[1]


def test_internal_notes_stay_inside_the_ministry(
    app, client, auth, jenv, create_user, create_commitment, create_ministry
):
    owner = create_user(ministry=jenv)
    colleague = create_user(ministry=jenv)
    coordinator = create_user(ministry=jenv, role=Role.COORDINATOR)
    outsider = create_user(ministry=create_ministry(code="BZ"), role=Role.COORDINATOR)
    commitment = create_commitment(ministry=jenv, owner=owner, internal_note="Gevoelig punt")
    db.session.commit()
    url = f"/toezeggingen/{commitment.number}"
    assert "Gevoelig punt" not in client.get(url).get_data(as_text=True)
    for user, sees in ((owner, True), (coordinator, True), (colleague, False), (outsider, False)):
        auth.login(user)
        assert ("Gevoelig punt" in client.get(url).get_data(as_text=True)) is sees, user.name
        auth.logout()


def test_only_coordinators_reassign_owners(app, client, auth, jenv, create_user, create_commitment):
    clerk = create_user(ministry=jenv)
    other = create_user(ministry=jenv, name="Andere Collega")
    coordinator = create_user(ministry=jenv, role=Role.COORDINATOR)
    commitment = create_commitment(ministry=jenv, owner=clerk)
    db.session.commit()
    url = f"/beheer/toezeggingen/{commitment.number}/bewerken"
    data = new_promise(ministry=str(jenv.id), deadline_phrase="", owner=str(other.id))

    auth.login(clerk)
    assert client.post(url, data={**data, "version": "1"}).status_code == 302
    assert queries.commitment_by_number(commitment.number).owner_id == clerk.id
    auth.logout()

    auth.login(coordinator)
    assert client.post(url, data={**data, "version": "2"}).status_code == 302
    assert queries.commitment_by_number(commitment.number).owner_id == other.id


def test_one_save_writes_exactly_one_history_event(logged_in, jenv):
    logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    number = "TZ-2019-0001"
    commitment = queries.commitment_by_number(number)
    before = len(queries.history(commitment))

    response = logged_in.post(
        f"/beheer/toezeggingen/{number}/bewerken",
        data=new_promise(
            ministry=str(jenv.id),
            title="Hervestigingsmissie",
            requested_by="Voordewind (ChristenUnie)",
            deadline_phrase="eind 2019",
            version="1",
            note="Titel, vrager en termijn in één keer.",
        ),
    )

    assert response.status_code == 302
    events = queries.history(queries.commitment_by_number(number))
    assert len(events) == before + 1
    saved = events[-1]
    assert saved.kind is EventKind.UPDATED
    assert {change["field"] for change in saved.changes} == {
        "title",
        "requested_by",
        "deadline",
        "deadline_phrase",
    }
    assert saved.note == "Titel, vrager en termijn in één keer."
    assert queries.commitment_by_number(number).version == 2


def test_an_edit_that_only_moves_the_deadline_is_a_deadline_change(logged_in, jenv):
    logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    number = "TZ-2019-0001"
    logged_in.post(
        f"/beheer/toezeggingen/{number}/bewerken",
        data=new_promise(ministry=str(jenv.id), deadline_phrase="eind 2019", version="1"),
    )
    events = queries.history(queries.commitment_by_number(number))
    assert [event.kind for event in events] == [EventKind.CREATED, EventKind.DEADLINE_CHANGED]


def test_a_stale_edit_writes_nothing_and_shows_both_versions(logged_in, jenv):
    logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    number = "TZ-2019-0001"
    services.update_commitment(queries.commitment_by_number(number), {"title": "Van een collega"})
    db.session.commit()

    response = logged_in.post(
        f"/beheer/toezeggingen/{number}/bewerken",
        data=new_promise(ministry=str(jenv.id), title="Mijn titel", version="1"),
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Van een collega" in page
    assert "Mijn titel" in page
    commitment = queries.commitment_by_number(number)
    assert commitment.title == "Van een collega"
    assert len(queries.history(commitment)) == 2


def test_a_fulfilment_dated_in_the_future_is_refused(logged_in, jenv, create_document):
    from app.formatting import today

    logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    create_document("kst-32735-243", date=dt.date(2019, 9, 1))
    db.session.commit()
    tomorrow = today() + dt.timedelta(days=1)
    response = logged_in.post(
        "/beheer/toezeggingen/TZ-2019-0001/voldaan",
        data={
            "document": "kst-32735-243",
            "fulfilled_on": tomorrow.strftime("%d-%m-%Y"),
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "op een dag die nog moet komen" in response.get_data(as_text=True)
    assert queries.commitment_by_number("TZ-2019-0001").status is CommitmentStatus.OPEN


def test_a_fulfilled_promise_offers_no_fulfilment_or_deadline_change(
    logged_in, jenv, create_document
):
    logged_in.post("/beheer/toezeggingen/nieuw", data=new_promise(ministry=str(jenv.id)))
    create_document("kst-32735-243", date=dt.date(2019, 9, 1))
    db.session.commit()
    detail = logged_in.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "Voldaan melden" in detail
    logged_in.post(
        "/beheer/toezeggingen/TZ-2019-0001/voldaan",
        data={"document": "kst-32735-243", "version": "1"},
    )
    detail = logged_in.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "Voldaan melden" not in detail
    assert "Deadline wijzigen" not in detail
    assert "Status wijzigen" in detail

    again = logged_in.get("/beheer/toezeggingen/TZ-2019-0001/voldaan")
    assert again.status_code == 302
    assert "er valt niets meer te melden" in logged_in.get(again.headers["Location"]).get_data(
        as_text=True
    )
    with pytest.raises(services.CommitmentRuleError, match="is voldaan"):
        services.mark_fulfilled(
            queries.commitment_by_number("TZ-2019-0001"),
            services.find_document("kst-32735-243"),
        )
