"""A developer's journey through the API (issue 14, item 6): a docs page to read, links to
follow, codes to filter on, the website's parameter names, CORS and errors in English."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.register.models import Committee, Official

LIST = "/api/v1/commitments"


def test_the_menu_leads_to_a_docs_page_made_from_the_openapi_description(seeded, client):
    menu = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/api">API</a>', menu)
    for address in ("/api/docs", "/api/"):
        response = client.get(address)
        assert response.status_code in {301, 302, 308}, address
        assert response.headers["Location"].endswith("/api")
    response = client.get("/api")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    # Endpoints, their parameters with allowed values and website names, and the fields.
    for text in (
        "/api/v1/commitments",
        "/api/v1/commitments/{number}",
        "listCommitments",
        "per_page",
        "partially_fulfilled",
        "made_on",
        "ministerie",
        "committee_id",
        "total_complete",
        "JenV",
        "Vaste commissie voor Justitie en Veiligheid",
    ):
        assert text in page, text
    assert 'href="/api/openapi.json"' in page
    assert "http://register.test/api/v1/commitments?" in page  # an example request
    # Nothing from elsewhere: no scripts at all, styles from this site only.
    assert "<script" not in page
    for address in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert address.startswith(("/", "#", "?", "http://register.test/")), address


def test_the_docs_page_speaks_english_too(seeded, client):
    page = client.get("/api?lang=en").get_data(as_text=True)
    assert "Parameters" in page
    assert "Parameter names on the website" in page or "website" in page
    assert "Toegestane waarden" not in page


def test_answers_carry_links_to_the_next_and_previous_page(seeded, client):
    first = client.get(f"{LIST}?per_page=5&ministerie=BZ,JenV").get_json()
    assert first["links"]["prev"] is None
    assert first["links"]["self"].startswith("http://register.test/api/v1/commitments?")
    following = first["links"]["next"]
    assert following.startswith("http://register.test/api/v1/commitments?")
    assert "ministry=BZ%2CJenV" in following or "ministry=BZ,JenV" in following
    second = client.get(following.removeprefix("http://register.test")).get_json()
    assert second["links"]["prev"].startswith("http://register.test/")
    assert {i["number"] for i in first["items"]}.isdisjoint(i["number"] for i in second["items"])
    assert second["links"]["next"] == second["next"]  # the old top-level links stay


def test_every_value_a_filter_takes_is_in_the_output(seeded, client):
    items = client.get(f"{LIST}?per_page=100").get_json()["items"]
    committee_ids = set(db.session.scalars(sa.select(Committee.id)))
    official_ids = set(db.session.scalars(sa.select(Official.id)))
    assert any(item["committee_id"] for item in items)
    for item in items:
        if item["committee"] is not None:
            assert item["committee_id"] in committee_ids
            same = client.get(f"{LIST}?committee={item['committee_id']}&per_page=100").json
            assert item["number"] in {i["number"] for i in same["items"]}
        if item["responsible"] is not None:
            assert item["responsible"]["id"] in official_ids
            same = client.get(f"{LIST}?official={item['responsible']['id']}&per_page=100").json
            assert item["number"] in {i["number"] for i in same["items"]}
        same = client.get(f"{LIST}?ministry={item['ministry']['code']}&per_page=100").json
        assert item["number"] in {i["number"] for i in same["items"]}
        same = client.get(f"{LIST}?status={item['status']}&per_page=100").json
        assert item["number"] in {i["number"] for i in same["items"]}
    one = client.get(f"/api/v1/commitments/{items[0]['number']}").get_json()
    assert "committee_id" in one
    assert "id" in (one["responsible"] or {"id": None})


def numbers(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?per_page=100&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["number"] for item in response.get_json()["items"]]


def test_the_websites_parameter_names_work_in_the_api(seeded, client):
    committee = db.session.scalars(sa.select(Committee).filter_by(abbreviation="J&V")).one()
    pairs = [
        ("ministerie=JenV", "ministry=JenV"),
        (f"commissie={committee.id}", f"committee={committee.id}"),
        ("te_laat=1", "overdue=1"),
        ("gedaan_van=2019-01-01&gedaan_tot=2019-12-31", "made_from=2019-01-01&made_to=2019-12-31"),
        ("deadline_van=2019-06-01", "deadline_from=2019-06-01"),
        ("sorteer=-gedaan_op", "sort=-made_on"),
        ("sorteer=nummer", "sort=number"),
        ("gevraagd_door=Kuiken", "requested_by=Kuiken"),
    ]
    everything = numbers(client, "")
    for website, api in pairs:
        assert numbers(client, website) == numbers(client, api), website
    assert numbers(client, "ministerie=JenV") != everything  # not silently ignored
    assert numbers(client, "sorteer=-gedaan_op") != numbers(client, "sorteer=gedaan_op")


def test_unknown_parameters_are_refused_by_name(seeded, client):
    for address in (
        f"{LIST}?ministery=JenV",
        f"{LIST}?status=open&colour=red",
        "/api/v1/commitments/TZ-2019-0001?expand=all",
        "/api/openapi.json?format=yaml",
    ):
        response = client.get(address)
        assert response.status_code == 400, address
        assert response.is_json
        name = re.search(r"\?(?:status=open&)?(\w+)=", address)
        assert name is not None
        assert f"'{name[1]}'" in response.get_json()["error"], address
    both = client.get(f"{LIST}?sort=number&sorteer=-gedaan_op")
    assert both.status_code == 400
    assert "sorteer" in both.get_json()["error"]


def test_read_only_api_calls_may_come_from_any_website(seeded, client):
    origin = {"Origin": "https://kamerlid.example"}
    for address in (LIST, "/api/v1/commitments/TZ-2019-0001", "/api/openapi.json"):
        response = client.get(address, headers=origin)
        assert response.headers["Access-Control-Allow-Origin"] == "*", address
        assert "Access-Control-Allow-Credentials" not in response.headers
    missing = client.get("/api/v1/commitments/TZ-1900-0001", headers=origin)
    assert missing.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        LIST,
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept-language",
        },
    )
    assert preflight.status_code in {200, 204}
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert set(preflight.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    assert "accept-language" in preflight.headers["Access-Control-Allow-Headers"].lower()
    for address in ("/toezeggingen", "/", "/beheer/inloggen", "/api"):
        assert "Access-Control-Allow-Origin" not in client.get(address, headers=origin).headers


def test_errors_come_in_the_language_asked_for(seeded, client):
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    missing = client.get("/api/v1/commitments/TZ-1900-0001", headers=english)
    assert missing.get_json()["error"] == "No commitment with number TZ-1900-0001."
    assert "Accept-Language" in missing.headers["Vary"]
    assert client.get("/api/v1/commitments/TZ-1900-0001").get_json()["error"] == (
        "Geen toezegging met nummer TZ-1900-0001."
    )
    for address in (f"{LIST}?status=maybe&lang=en", f"{LIST}?status=maybe"):
        error = client.get(address, headers=english).get_json()["error"]
        assert error.startswith("Unknown status 'maybe'"), error
    unknown = client.get(f"{LIST}?colour=red", headers=english).get_json()["error"]
    assert unknown.startswith("Unknown parameter 'colour'"), unknown
    labels = client.get(f"{LIST}?status=open", headers=english).get_json()["items"]
    assert labels[0]["status_label"] == "Open"
    dutch = client.get(f"{LIST}?lang=nl", headers=english).get_json()["items"]
    assert dutch[0]["status_label"] == "Openstaand"
    assert client.get(f"{LIST}?lang=fr").status_code == 400
