"""Status pages for MPs' staff: every filter, search on both databases, sorting, overview."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register import services
from app.register.models import Commitment, Committee, Official


def numbers_on_page(client, query: str) -> list[str]:
    response = client.get(f"/toezeggingen?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return [chunk.split('"')[0] for chunk in rows.split('href="/toezeggingen/')[1:]]


def numbers_from_api(client, query: str) -> list[str]:
    body = client.get(f"/api/v1/commitments?per_page=100&{query}").get_json()
    return [item["number"] for item in body["items"]]


def committee_id(abbreviation: str) -> int:
    return db.session.scalars(
        sa.select(Committee.id).where(Committee.abbreviation == abbreviation)
    ).one()


def official_id(name: str) -> int:
    return db.session.scalars(sa.select(Official.id).where(Official.name == name)).one()


@pytest.fixture
def register(seeded):
    gdf = db.session.scalars(sa.select(Commitment).where(Commitment.number == "TZ-2019-0003")).one()
    services.update_commitment(gdf, {"requested_by": "Voordewind (ChristenUnie)"})
    fund = db.session.scalars(
        sa.select(Commitment).where(Commitment.number == "TZ-2016-0001")
    ).one()
    services.update_commitment(fund, {"requested_by": "Sjoerdsma (D66)"})
    db.session.commit()
    return seeded


@pytest.mark.parametrize(
    ("page_query", "api_query", "expected"),
    [
        ("status=fulfilled", "status=fulfilled", ["TZ-2019-0001"]),
        (
            "status=open&status=partially_fulfilled&status=withdrawn",
            "status=open,partially_fulfilled,withdrawn",
            11,
        ),
        ("ministerie=BZ", "ministry=BZ", 6),
        ("ministerie=BZ&ministerie=JenV", "ministry=BZ&ministry=JenV", 12),
        ("te_laat=1", "overdue=1", ["TZ-2019-0002"]),
        (
            "deadline_van=2019-06-01&deadline_tot=2019-07-01",
            "deadline_from=2019-06-01&deadline_to=2019-07-01",
            ["TZ-2019-0002"],
        ),
        ("deadline_van=2019-07-01", "deadline_from=2019-07-01", []),
        ("gedaan_van=2019-01-01", "made_from=2019-01-01", 7),
        ("gedaan_tot=31-12-2016", "made_to=2016-12-31", 5),
        ("gevraagd_door=christenunie", "requested_by=ChristenUnie", ["TZ-2019-0003"]),
        (
            "ministerie=JenV&status=open&gedaan_van=2019-04-01",
            "ministry=JenV&status=open&made_from=2019-04-01",
            5,
        ),
        ("ministerie=BZ&status=fulfilled", "ministry=BZ&status=fulfilled", []),
    ],
)
def test_filters_and_their_combinations(register, client, page_query, api_query, expected):
    on_page = numbers_on_page(client, page_query)
    from_api = numbers_from_api(client, api_query)
    assert sorted(on_page) == sorted(from_api)
    if isinstance(expected, int):
        assert len(on_page) == expected
    else:
        assert on_page == expected


def test_committee_and_minister_filters(register, client):
    bho = committee_id("BHO")
    assert numbers_on_page(client, f"commissie={bho}") == ["TZ-2019-0005"]
    kaag, koenders = official_id("S.A.M. Kaag"), official_id("A.G. Koenders")
    assert numbers_on_page(client, f"bewindspersoon={kaag}") == ["TZ-2019-0005"]
    both = numbers_on_page(client, f"bewindspersoon={kaag}&bewindspersoon={koenders}")
    assert len(both) == 6
    assert sorted(numbers_from_api(client, f"official={kaag},{koenders}")) == sorted(both)


def test_search_finds_word_parts_on_both_databases(register, client):
    found = numbers_on_page(client, "q=hervestiging")
    assert "TZ-2019-0002" in found  # "hervestigingsmissie"
    assert "TZ-2019-0004" in found  # "hervestiging en evacuaties"
    assert len(found) == 2
    page = client.get("/toezeggingen?q=hervestiging").get_data(as_text=True)
    assert "Nieuwe Nederlandse <mark>hervestigingsmissie</mark>" in page


def test_search_is_ranked_and_combines_words(register, client):
    assert numbers_on_page(client, "q=GDF")[0] == "TZ-2019-0003"
    assert numbers_on_page(client, "q=Libische+kustwacht") == numbers_from_api(
        client, "q=Libische kustwacht"
    )
    assert set(numbers_on_page(client, "q=kustwacht+trainen")) == {"TZ-2019-0006"}
    assert numbers_on_page(client, "q=bestaatnergens") == []


def test_search_ignores_accents_and_case(register, client):
    assert numbers_on_page(client, "q=LIBIE+quick") == ["TZ-2016-0001"]


def test_search_with_quotes_and_symbols_does_not_break(register, client):
    for query in ['"', "'", "AND", "*", "kst-32735-243", "(", "a:b", "%", "_"]:
        assert client.get("/toezeggingen", query_string={"q": query}).status_code == 200, query


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("gedaan_op", "TZ-2016-0001"),
        ("-gedaan_op", "TZ-2019-0002"),
        ("nummer", "TZ-2016-0001"),
        ("deadline", "TZ-2019-0002"),
    ],
)
def test_sorting(register, client, sort, first):
    assert numbers_on_page(client, f"sorteer={sort}")[0] == first


def test_bad_filter_values_are_explained(register, client):
    for query, message in [
        ("deadline_van=morgen", "&#39;morgen&#39; is geen datum."),
        ("commissie=BuZa", "commissie moet een nummer zijn"),
        ("sorteer=willekeurig", "Onbekende sortering &#39;willekeurig&#39;"),
    ]:
        response = client.get(f"/toezeggingen?{query}")
        assert response.status_code == 400, query
        assert message in response.get_data(as_text=True)


def test_filters_live_in_the_url_of_every_link(register, client):
    page = client.get("/toezeggingen?ministerie=BZ&status=open").get_data(as_text=True)
    assert 'href="/toezeggingen.xlsx?ministerie=BZ&amp;status=open"' in page
    assert 'value="BZ" checked' in page
    assert 'value="open" checked' in page


def test_overview_shows_counts_chart_and_recently_fulfilled(register, client):
    page = client.get("/").get_data(as_text=True)
    tally = page.split('class="commitments tally"')[1].split("</table>")[0]
    jenv = tally.split("JenV</abbr></a></th>")[1].split("</tr>")[0]
    assert [re.sub(r"<[^>]+>", "", cell).strip() for cell in jenv.split("<td>")[1:]] == [
        "4",
        "1",
        "1",
    ]
    assert "<svg" in page
    recent = page.split('id="voldaan"')[1].split("</section>")[0]
    assert "Update over migratie" in recent
    assert "Kamerstuk 32 735, nr. 243" in recent


def test_detail_links_kamerstukken_to_the_official_publication(register, client):
    page = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert (
        '<a href="https://zoek.officielebekendmakingen.nl/kst-32317-548.html">'
        "Kamerstuk 32 317, nr. 548</a>"
    ) in page


def test_an_empty_register_says_so(app, client):
    assert "Het register bevat nog geen toezeggingen." in client.get("/toezeggingen").get_data(
        as_text=True
    )
    assert "Nog geen toezeggingen." in client.get("/").get_data(as_text=True)


def test_deadline_changes_and_status_changes_show_in_search_results(register, client):
    gdf = db.session.scalars(sa.select(Commitment).where(Commitment.number == "TZ-2019-0003")).one()
    services.change_deadline(gdf, dt.date(2030, 1, 1), "rond de jaarwisseling")
    db.session.commit()
    assert numbers_on_page(client, "q=jaarwisseling") == ["TZ-2019-0003"]
