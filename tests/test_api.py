"""The JSON API of DESIGN §6: fields, filters, pagination and JSON errors."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.register import services

DESIGN_FIELDS = {
    "number",
    "title",
    "text",
    "status",
    "status_label",
    "overdue",
    "deadline",
    "deadline_phrase",
    "made_on",
    "ministry",
    "responsible",
    "owner",
    "source",
    "fulfilled_by",
    "committee",
    "committee_id",
    "updated_at",
    "url",
}


def test_list_returns_every_seeded_promise_with_the_design_fields(seeded, client):
    body = client.get("/api/v1/commitments?per_page=100").get_json()
    assert body["total"] == 12
    assert body["page"] == 1
    assert body["per_page"] == 100
    assert len(body["items"]) == 12
    for item in body["items"]:
        assert DESIGN_FIELDS <= item.keys()
    mission = next(i for i in body["items"] if "hervestigingsmissie" in i["title"])
    assert mission["deadline"] == "2019-06-30"
    assert mission["deadline_phrase"] == "eerste helft van 2019"
    assert mission["status"] == "open"
    assert mission["status_label"] == "Openstaand"
    assert mission["overdue"] is True
    assert mission["made_on"] == "2019-04-11"
    assert mission["ministry"] == {"code": "JenV", "name": "Ministerie van Justitie en Veiligheid"}
    assert mission["responsible"] == {
        "id": mission["responsible"]["id"],
        "name": "M.G.J. Harbers",
        "function": "Staatssecretaris van Justitie en Veiligheid",
    }
    assert mission["source"]["id"] == "kst-32735-243"
    assert mission["source"]["title"].startswith("Brief van de Staatssecretaris")
    assert mission["url"] == f"http://register.test/toezeggingen/{mission['number']}"


def test_one_promise_by_number(seeded, client):
    body = client.get("/api/v1/commitments/TZ-2019-0001").get_json()
    assert body["status"] == "fulfilled"
    assert body["fulfilled_by"] == "kst-32735-243"
    assert body["fulfilled_on"] == "2019-04-11"
    assert body["committee"] == "Vaste commissie voor Justitie en Veiligheid"
    assert dt.datetime.fromisoformat(body["updated_at"]).tzinfo is not None


def test_the_list_shows_each_promise_as_its_own_address_does(seeded, client):
    """The list reads its rows as plain columns, the single promise through the ORM: the two
    must not drift apart, field by field, for every kind of promise the seed holds."""
    listed = client.get("/api/v1/commitments?per_page=100").get_json()["items"]
    for field in ("responsible", "source", "activity", "fulfilled_by", "committee"):
        assert any(item[field] for item in listed), f"the seed has no promise with {field}"
    for item in listed:
        assert client.get(f"/api/v1/commitments/{item['number']}").get_json() == item


def test_filters_combine(seeded, client):
    def numbers(query: str) -> list[str]:
        return [item["number"] for item in client.get(query).get_json()["items"]]

    assert numbers("/api/v1/commitments?status=fulfilled") == ["TZ-2019-0001"]
    assert len(numbers("/api/v1/commitments?ministry=BZ")) == 6
    assert len(numbers("/api/v1/commitments?ministry=BZ,JenV")) == 12
    assert numbers("/api/v1/commitments?overdue=1") == ["TZ-2019-0002"]
    assert numbers("/api/v1/commitments?q=GDF") == ["TZ-2019-0003"]
    assert numbers("/api/v1/commitments?q=gdf&status=fulfilled") == []
    assert len(numbers("/api/v1/commitments?status=open&status=fulfilled")) == 12


def test_pages_split_the_list_and_per_page_is_capped(seeded, client):
    first = client.get("/api/v1/commitments?per_page=5").get_json()
    third = client.get("/api/v1/commitments?per_page=5&page=3").get_json()
    assert (first["total"], len(first["items"]), len(third["items"])) == (12, 5, 2)
    assert client.get("/api/v1/commitments?per_page=5000").get_json()["per_page"] == 100
    beyond = client.get("/api/v1/commitments?page=9").get_json()
    assert beyond["items"] == []
    assert beyond["total"] == 12


def test_bad_parameters_answer_400_json(app, client):
    for query, message in [
        ("status=misschien", "Onbekende status 'misschien'"),
        ("page=0", "page moet een positief geheel getal zijn"),
        ("per_page=veel", "per_page moet een positief geheel getal zijn"),
        ("overdue=misschien", "overdue moet 1 of 0 zijn"),
    ]:
        response = client.get(f"/api/v1/commitments?{query}")
        assert response.status_code == 400, query
        assert response.is_json
        assert message in response.get_json()["error"]


def test_unknown_number_answers_404_json(app, client):
    response = client.get("/api/v1/commitments/TZ-1900-0001")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "Geen toezegging met nummer TZ-1900-0001.",
        "status": 404,
    }


def test_internal_note_and_owner_email_never_leave_the_ministry(
    app, client, create_commitment, create_user
):
    owner = create_user(name="Fatima el Amrani", email="fatima@minjenv.example")
    commitment = create_commitment(owner=owner)
    services.update_commitment(commitment, {"internal_note": "Alleen voor intern gebruik"})
    db.session.commit()
    for url in (
        "/api/v1/commitments",
        f"/api/v1/commitments/{commitment.number}",
        "/toezeggingen",
        f"/toezeggingen/{commitment.number}",
        "/",
    ):
        body = client.get(url).get_data(as_text=True)
        assert "fatima@minjenv.example" not in body, url
        assert "Alleen voor intern gebruik" not in body, url
    item = client.get(f"/api/v1/commitments/{commitment.number}").get_json()
    assert item["owner"] is None  # civil servants are named to staff only
    assert "internal_note" not in item


def test_logged_in_clerks_see_the_owners_email(app, client, auth, create_commitment, create_user):
    owner = create_user(name="Fatima el Amrani", email="fatima@minjenv.example")
    commitment = create_commitment(owner=owner)
    db.session.commit()
    url = f"/api/v1/commitments/{commitment.number}"
    assert client.get(url).get_json()["owner"] is None
    auth.login(owner)
    assert client.get(url).get_json()["owner"] == {
        "name": "Fatima el Amrani",
        "email": "fatima@minjenv.example",
    }
    listed = client.get("/api/v1/commitments").get_json()["items"][0]
    assert listed == client.get(url).get_json()


def test_whole_numbers_written_as_json_schema_integers_are_accepted(app, client):
    """Clients generated from the OpenAPI description may send page=2.0: it is page 2."""
    response = client.get("/api/v1/commitments?page=1.0&per_page=10.00")
    assert response.status_code == 200
    assert (response.json["page"], response.json["per_page"]) == (1, 10)
    assert client.get("/api/v1/commitments?page=1.5").status_code == 400
