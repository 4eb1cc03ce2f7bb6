"""Paging the list and the API by cursor (DESIGN §6): every promise once, in the right order, for
every order the list offers; page numbers keep giving the rows they gave; a cursor that is not
one the register made is a 400. Also the two number bugs of issue 12: a number sorts by its
year and sequence (TZ-2015-10000 after TZ-2015-9999), and searching for a number finds it."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from typing import Any

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register import services
from app.register.models import Commitment, CommitmentNumberSequence, CommitmentStatus

PER_PAGE = 4
BASE_URL = "http://register.test"
D = dt.date

#: Page sort value → API sort value.
ORDERS = {
    "": "",
    "deadline": "deadline",
    "-deadline": "-deadline",
    "gedaan_op": "made_on",
    "-gedaan_op": "-made_on",
    "nummer": "number",
    "-nummer": "-number",
}


def number_parts(number: str) -> tuple[int, int]:
    """TZ-2015-10000 → (2015, 10000): how a number sorts, worked out apart from the app."""
    _prefix, year, sequence = number.split("-")
    return int(year), int(sequence)


def expected_order(rows: list[Commitment], sort: str) -> list[str]:
    """The numbers in the order the list promises (DESIGN §6), computed in Python."""
    key = sort.removeprefix("-") or "deadline"
    descending = sort.startswith("-")
    sign = -1 if descending else 1

    def sort_key(row: Commitment) -> tuple[Any, ...]:
        number = number_parts(row.number)
        if key in {"deadline"}:
            if row.deadline is None:
                return (1, 0, number)
            return (0, sign * row.deadline.toordinal(), number)
        if key in {"gedaan_op", "made_on"}:
            return (sign * row.made_on.toordinal(), number)
        return tuple(sign * part for part in number)

    return [row.number for row in sorted(rows, key=sort_key)]


@pytest.fixture
def register(app, create_ministry, monkeypatch) -> list[Commitment]:
    """Promises with ties in deadline and made_on, undated ones, two ministries, mixed statuses
    and numbers with five digits; pages of PER_PAGE."""
    monkeypatch.setitem(app.config, "PER_PAGE", PER_PAGE)
    jenv = create_ministry(code="JenV", name="Justitie en Veiligheid")
    bz = create_ministry(code="BZ", name="Buitenlandse Zaken")
    deadlines = [D(2030, 1, 1), D(2030, 1, 1), D(2030, 1, 1), None, D(2029, 6, 1), None]
    made = [D(2015, 3, 1), D(2015, 3, 1), D(2016, 5, 1), D(2015, 7, 9)]
    statuses = [CommitmentStatus.OPEN, CommitmentStatus.FULFILLED, CommitmentStatus.OPEN]
    rows = []
    for index in range(23):
        if index == 12:
            # The rest of 2015 gets five-digit numbers: TZ-2015-9999, TZ-2015-10000, …
            db.session.execute(
                sa.update(CommitmentNumberSequence)
                .where(CommitmentNumberSequence.year == 2015)
                .values(last_number=9_997)
            )
        rows.append(
            services.create_commitment(
                title=f"Toezegging {index}",
                text="Ik zal uw Kamer informeren.",
                made_on=made[index % len(made)],
                ministry=jenv if index % 3 else bz,
                deadline=deadlines[index % len(deadlines)],
                status=statuses[index % len(statuses)],
            )
        )
    db.session.commit()
    assert any(len(row.number) > len("TZ-2015-0001") for row in rows)
    return rows


def numbers_on(page: str) -> list[str]:
    rows = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return re.findall(r'<td class="number"><a href="/toezeggingen/([^"]+)"', rows)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return html.unescape(found[1]) if found else None


def get_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[-500:])
    return response.get_data(as_text=True)


def walk(client, url: str, rel: str = "next") -> tuple[list[list[str]], str]:
    """Follow ``rel`` links from ``url`` to the end: the numbers per page, and the last URL."""
    pages = []
    seen = set()
    while True:
        assert url not in seen, "a link leads back to a page already seen"
        seen.add(url)
        page = get_page(client, url)
        pages.append(numbers_on(page))
        following = link(page, rel)
        if following is None:
            return pages, url
        url = following


@pytest.mark.parametrize("sort", list(ORDERS))
@pytest.mark.parametrize("filters", ["", "status=open", "ministerie=JenV&status=open,fulfilled"])
def test_next_links_visit_every_promise_once_in_order(register, client, sort, filters):
    matching = [
        row
        for row in register
        if (filters != "status=open" or row.status == CommitmentStatus.OPEN)
        and (
            "ministerie" not in filters
            or (row.ministry.code == "JenV" and row.status != CommitmentStatus.WITHDRAWN)
        )
    ]
    expected = expected_order(matching, sort)
    query = "&".join(part for part in (filters, f"sorteer={sort}" if sort else "") if part)
    pages, last = walk(client, f"/toezeggingen?{query}")
    assert [number for page in pages for number in page] == expected
    assert all(len(page) == PER_PAGE for page in pages[:-1])
    assert "na=" in last or len(pages) == 1
    # And back again by the previous links, the same pages in reverse.
    back, _first = walk(client, last, "prev")
    assert back == pages[::-1]


@pytest.mark.parametrize("sort", list(ORDERS))
def test_page_numbers_give_the_rows_they_always_gave(register, client, sort):
    expected = expected_order(register, sort)
    pages = -(-len(expected) // PER_PAGE)
    sorting = f"&sorteer={sort}" if sort else ""
    for number in range(1, pages + 2):
        page = get_page(client, f"/toezeggingen?page={number}{sorting}")
        assert numbers_on(page) == expected[(number - 1) * PER_PAGE : number * PER_PAGE]
        if number <= pages:
            assert f"{len(expected)} toezeggingen, pagina {number} van {pages}" in page
    # From a numbered page the next link goes on where that page ends.
    third = get_page(client, f"/toezeggingen?page=3{sorting}")
    following = get_page(client, link(third, "next") or "")
    assert numbers_on(following) == expected[3 * PER_PAGE : 4 * PER_PAGE]


def cursor(data: Any) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_CURSORS = {
    "not base64": "!!!",
    "not JSON": cursor(b"\xff\xfe niet json"),
    "a list": cursor([1, 2]),
    "unknown order": cursor({"o": "titel", "v": ["TZ-2019-0001"]}),
    "wrong values": cursor({"o": "deadline", "v": ["2030-01-01"]}),
    "no date": cursor({"o": "deadline", "v": ["morgen", "TZ-2019-0001"]}),
    "number not text": cursor({"o": "number", "v": [7]}),
    "NUL in number": cursor({"o": "number", "v": ["TZ\u0000"]}),
    "too long": "A" * 400,
}


@pytest.mark.parametrize("bad", list(BAD_CURSORS))
def test_a_cursor_the_register_did_not_make_is_a_dutch_400(register, client, bad):
    for name in ("na", "voor"):
        response = client.get(f"/toezeggingen?{name}={BAD_CURSORS[bad]}")
        assert response.status_code == 400, bad
        assert "geen geldige verwijzing naar een pagina" in response.get_data(as_text=True)
    api = client.get(f"/api/v1/commitments?after={BAD_CURSORS[bad]}")
    assert api.status_code == 400
    assert "geen geldige verwijzing naar een pagina" in api.get_json()["error"]


def test_a_cursor_only_fits_its_own_order_and_not_with_a_page_number(register, client):
    page = get_page(client, "/toezeggingen?sorteer=nummer")
    following = link(page, "next") or ""
    assert "na=" in following
    token = following.split("na=")[1].split("&")[0]
    other_order = client.get(f"/toezeggingen?sorteer=-gedaan_op&na={token}")
    assert other_order.status_code == 400
    assert "hoort bij een andere sortering" in other_order.get_data(as_text=True)
    with_page = client.get(f"/toezeggingen?sorteer=nummer&na={token}&page=2")
    assert with_page.status_code == 400
    assert "Geef hoogstens één van na, page" in with_page.get_data(as_text=True)
    while_ranked = client.get(f"/toezeggingen?q=Toezegging&na={token}")
    assert while_ranked.status_code == 400
    assert "relevantie" in while_ranked.get_data(as_text=True)


def test_searching_pages_by_number_in_relevance_order(register, client):
    pages, _last = walk(client, "/toezeggingen?q=Toezegging")
    found = [number for page in pages for number in page]
    assert sorted(found) == sorted(row.number for row in register)
    assert "page=2" in (link(get_page(client, "/toezeggingen?q=Toezegging"), "next") or "")


def api_walk(client, url: str, rel: str = "next") -> tuple[list[list[str]], str]:
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append([item["number"] for item in body["items"]])
        if body[rel] is None:
            return pages, url
        assert body[rel].startswith(f"{BASE_URL}/api/v1/commitments?")
        url = body[rel].removeprefix(BASE_URL)


@pytest.mark.parametrize("sort", list(ORDERS.values()))
def test_the_api_walks_by_after_cursor(register, client, sort):
    matching = [row for row in register if row.ministry.code == "JenV"]
    expected = expected_order(matching, sort)
    query = f"ministry=JenV&per_page=3&sort={sort}"
    first = client.get(f"/api/v1/commitments?{query}").get_json()
    assert (first["total"], first["page"], first["prev"], first["prev_cursor"]) == (
        len(matching),
        1,
        None,
        None,
    )
    # By hand, as a client would: after=next_cursor.
    numbers, body = [], first
    while True:
        numbers += [item["number"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        response = client.get(f"/api/v1/commitments?{query}&after={body['next_cursor']}")
        body = response.get_json()
        assert body["page"] is None
        assert body["per_page"] == 3
    assert numbers == expected
    # And by the links, both ways.
    pages, last = api_walk(client, f"/api/v1/commitments?{query}")
    assert [number for page in pages for number in page] == expected
    back, _first = api_walk(client, last, "prev")
    assert back == pages[::-1]


def test_the_api_keeps_page_numbers(register, client):
    expected = expected_order(register, "")
    body = client.get("/api/v1/commitments?per_page=5&page=3").get_json()
    assert [item["number"] for item in body["items"]] == expected[10:15]
    assert body["page"] == 3
    after = client.get(body["next"].removeprefix(BASE_URL)).get_json()
    assert [item["number"] for item in after["items"]] == expected[15:20]
    assert body["prev"] is not None


def test_numbers_sort_by_year_and_sequence(register, client):
    numbers = [row.number for row in register]
    assert "TZ-2015-10000" in numbers
    ascending = [
        number for page in walk(client, "/toezeggingen?sorteer=nummer")[0] for number in page
    ]
    assert ascending == sorted(numbers, key=number_parts)
    assert ascending.index("TZ-2015-9999") < ascending.index("TZ-2015-10000")
    assert ascending.index("TZ-2015-10000") < ascending.index("TZ-2016-0001")


def test_the_next_number_after_a_five_digit_one(register, create_ministry):
    """Without its sequence row (as in a register restored from before the sequence table) the
    year goes on after its highest number, not after the highest text."""
    db.session.execute(
        sa.delete(CommitmentNumberSequence).where(CommitmentNumberSequence.year == 2015)
    )
    highest = max((row.number for row in register if row.made_on.year == 2015), key=number_parts)
    assert number_parts(highest)[1] > 9_999
    promise = services.create_commitment(
        title="Nog een",
        text="Ik zal uw Kamer informeren.",
        made_on=D(2015, 12, 1),
        ministry=register[0].ministry,
    )
    assert number_parts(promise.number) == (2015, number_parts(highest)[1] + 1)


@pytest.mark.parametrize("query", ["TZ-2015-0001", "tz-2015-0001", " TZ-2015-10000 "])
def test_searching_for_a_number_finds_that_promise(register, client, query):
    wanted = query.strip().upper()
    assert wanted in {row.number for row in register}
    assert numbers_on(get_page(client, f"/toezeggingen?q={query}")) == [wanted]
    body = client.get(f"/api/v1/commitments?q={query}").get_json()
    assert [item["number"] for item in body["items"]] == [wanted]


def test_the_count_matches_what_the_pages_show(register, client):
    page = get_page(client, "/toezeggingen?status=open&sorteer=-deadline")
    open_count = sum(row.status == CommitmentStatus.OPEN for row in register)
    assert f"{open_count} toezeggingen, pagina 1 van" in page
    following = get_page(client, link(page, "next") or "")
    assert f"{open_count} toezeggingen." in following


def test_a_search_with_too_many_matches_ranks_the_newest_and_says_so(
    register, client, monkeypatch, no_page_cache
):
    """Past the count limit, relevance order ranks only the newest matches (the rest would be
    scored for nothing but the last pages); the page and the API say so, and another order
    still reaches every match."""
    from app.register import queries

    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 10)
    newest_first = sorted(register, key=lambda row: row.id, reverse=True)
    oldest = newest_first[-1]
    # The oldest promise would rank first: nothing but "Toezegging" in its title and text.
    oldest.title = "Toezegging"
    oldest.text = "Toezegging toezegging toezegging."
    db.session.commit()

    pages, _last = walk(client, "/toezeggingen?q=Toezegging")
    ranked = [number for page in pages for number in page]
    assert sorted(ranked) == sorted(row.number for row in newest_first[:10])
    assert oldest.number not in ranked
    first = get_page(client, "/toezeggingen?q=Toezegging")
    assert "Meer dan 10 toezeggingen" in first
    assert "de 10 nieuwste op volgorde van relevantie" in first

    body = client.get("/api/v1/commitments?q=Toezegging&per_page=50").get_json()
    assert (body["ranked_newest"], len(body["items"]), body["next"]) == (10, 10, None)
    every, _last = walk(client, "/toezeggingen?q=Toezegging&sorteer=deadline")
    assert sorted(n for page in every for n in page) == sorted(row.number for row in register)
    assert "nieuwste op volgorde" not in get_page(
        client, "/toezeggingen?q=Toezegging&sorteer=deadline"
    )

    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 1000)
    top = numbers_on(get_page(client, "/toezeggingen?q=Toezegging"))[0]
    assert top == oldest.number  # with every match ranked, the best one comes first
    assert client.get("/api/v1/commitments?q=Toezegging").get_json()["ranked_newest"] is None
