"""Details of the list and its files (issue 14, item 9): one charset, a name per CSV variant,
readable sources, the Kamer's columns in the list and committee names as written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from app.extensions import db


def csv_rows(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/toezeggingen.csv?{query}")
    assert response.status_code == 200
    separator = ";" if "scheiding=%3B" in query else ","
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=separator))


def test_files_name_their_charset_once(seeded, client):
    for address, kind in (
        ("/toezeggingen.csv", "text/csv"),
        ("/toezeggingen.ics", "text/calendar"),
    ):
        content_type = client.get(address).headers["Content-Type"]
        assert content_type == f"{kind}; charset=utf-8", address


def test_the_two_csv_variants_download_under_different_names(seeded, client):
    def filename(query: str) -> str:
        disposition = client.get(f"/toezeggingen.csv{query}").headers["Content-Disposition"]
        found = re.search(r'filename="([^"]+)"', disposition)
        assert found is not None, disposition
        return found[1]

    comma, semicolon = filename(""), filename("?scheiding=%3B")
    assert comma != semicolon
    assert comma.endswith(".csv")
    assert semicolon.endswith(".csv")
    assert filename("?scheiding=%2C") == comma


def test_the_source_and_the_fulfilling_letter_are_readable_in_the_files(seeded, client):
    rows = {row["nummer"]: row for row in csv_rows(client)}
    assert rows["TZ-2019-0002"]["bron"] == "Kamerstuk 32 735, nr. 243"
    assert rows["TZ-2019-0001"]["voldaan_met"] == "Kamerstuk 32 735, nr. 243"
    english = {row["nummer"]: row for row in csv_rows(client, "lang=en")}
    assert english["TZ-2019-0002"]["bron"] == "Parliamentary paper 32 735, nr. 243"


def test_a_promise_made_in_a_debate_names_the_debate_as_its_source(app, client, create_commitment):
    from app.register.models import Activity

    debate = Activity(
        kind="Commissiedebat", title="Vreemdelingen- en asielbeleid", date=dt.date(2019, 4, 11)
    )
    db.session.add(debate)
    db.session.flush()
    made = create_commitment(activity=debate)
    db.session.commit()
    row = next(r for r in csv_rows(client) if r["nummer"] == made.number)
    assert row["bron"] == "Commissiedebat: Vreemdelingen- en asielbeleid"
    item = client.get(f"/api/v1/commitments/{made.number}").get_json()
    assert item["activity"] == {
        "kind": "Commissiedebat",
        "title": "Vreemdelingen- en asielbeleid",
        "date": "2019-04-11",
    }


def test_the_list_shows_minister_committee_and_fulfilling_letter(seeded, client):
    page = client.get("/toezeggingen?sorteer=nummer").get_data(as_text=True)
    head = page[page.index("<thead>") : page.index("</thead>")]
    for heading in ("Bewindspersoon", "Commissie", "Voldaan met"):
        assert heading in head, heading
    first = page[page.index("TZ-2019-0001</a>") :]
    first = first[: first.index("</tr>")]
    assert "M.G.J. Harbers" in first
    assert "J&amp;V" in first  # the committee's abbreviation, its name in the title
    assert "Kamerstuk 32 735, nr. 243" in first


def test_committee_names_keep_their_capitals_on_the_follow_button(seeded, client):
    page = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "Alle toezeggingen van de vaste commissie voor Justitie en Veiligheid" in page
    assert "justitie en veiligheid" not in page


def test_chosen_filters_show_as_counts_with_every_section_closed(seeded, client):
    page = client.get(
        "/toezeggingen?ministerie=JenV,BZ&status=open&deadline_van=&gedaan_van=2019-01-01"
    ).get_data(as_text=True)
    assert "<details open" not in page
    assert 'Ministerie <span class="chosen">(2)</span>' in page
    assert 'Meer filters <span class="chosen">(1)</span>' in page
    # Two ministries, a status and a date; empty fields are not counted.
    assert 'Filters <span class="chosen">(4)</span>' in page
