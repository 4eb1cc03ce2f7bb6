"""Page 1 against deep pages of the list and the API, in process (no server): median of 5.

    DATABASE_URL=... .venv/bin/python -m benchmarks.paging [--runs 5]

Each URL is requested once to warm up, then ``--runs`` times; printed is the median wall time
per request through Flask's test client. Deep cursor pages are reached by following ``Volgende``
(the page's rel="next" link) from page 399 of the same order, so they start where page 400
starts. Nothing is asserted: speed is reported, not tested.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from html import unescape

from app import create_app

ORDERS = ["", "-deadline", "gedaan_op", "-gedaan_op", "nummer", "-nummer"]
API_ORDERS = ["", "-deadline", "made_on", "-made_on", "number", "-number"]


def timed(client, url: str, runs: int) -> tuple[float, object]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, response


def next_link(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return unescape(found[1]) if found else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = create_app()
    app.config["QUERY_TIMEOUT_SECONDS"] = 0
    client = app.test_client()
    print(f"{'request':60} {'ms (median)':>12}")
    for order in ORDERS:
        sort = f"sorteer={order}&" if order else ""
        for page in (1, 400):
            ms, _ = timed(client, f"/toezeggingen?{sort}page={page}", args.runs)
            print(f"{'/toezeggingen?' + sort + 'page=' + str(page):60} {ms:12.1f}")
        _, response = timed(client, f"/toezeggingen?{sort}page=399", 1)
        link = next_link(response.get_data(as_text=True))
        if link:
            ms, _ = timed(client, link, args.runs)
            print(f"{'  cursor after page 399 (' + (order or 'default') + ')':60} {ms:12.1f}")
    for order in API_ORDERS:
        sort = f"sort={order}&" if order else ""
        for page in (1, 400):
            url = f"/api/v1/commitments?{sort}per_page=25&page={page}"
            ms, _ = timed(client, url, args.runs)
            print(f"{url:60} {ms:12.1f}")
        _, response = timed(client, f"/api/v1/commitments?{sort}per_page=25&page=399", 1)
        cursor = response.get_json().get("next_cursor")
        if cursor:
            url = f"/api/v1/commitments?{sort}per_page=25&after={cursor}"
            ms, _ = timed(client, url, args.runs)
            print(f"{'  after= cursor past page 399 (' + (order or 'default') + ')':60} {ms:12.1f}")
    for query in ("status=open", "status=open&ministerie=JenV", "te_laat=1"):
        for page in (1, 40):
            url = f"/toezeggingen?{query}&page={page}"
            ms, _ = timed(client, url, args.runs)
            print(f"{url:60} {ms:12.1f}")


if __name__ == "__main__":
    main()
