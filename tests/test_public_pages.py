"""The read-only public pages show the register in Dutch, without anything internal."""

from __future__ import annotations

import datetime as dt
import html
import re

from app.extensions import db
from app.register import services
from app.register.models import CommitmentStatus


def test_overview_counts_promises_by_status(seeded, client):
    page = client.get("/").get_data(as_text=True)
    assert "Het register telt <strong>12</strong> toezeggingen" in page
    assert '<span class="count">11</span> Openstaand' in page
    assert '<span class="count">1</span> Voldaan' in page
    assert '<span class="count">1</span> Te laat' in page


def test_list_shows_the_seeded_promises_with_dutch_dates(seeded, client):
    response = client.get("/toezeggingen")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "12 toezeggingen" in page
    assert "Nieuwe Nederlandse hervestigingsmissie" in page
    assert '<time datetime="2019-06-30">30 juni 2019</time>' in page
    assert "(eerste helft van 2019)" in page
    assert "Te laat" in page
    assert 'href="/toezeggingen/TZ-2019-0002"' in page


def link(page: str, rel: str) -> str:
    """The href of the page's link with this ``rel`` (next, prev)."""
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    assert found, f"no {rel} link"
    return html.unescape(found[1])


def test_list_is_paginated(app, client, create_commitment):
    for day in range(1, 31):
        create_commitment(title=f"Toezegging {day:02d}", deadline=dt.date(2030, 1, day))
    db.session.commit()
    first = client.get("/toezeggingen").get_data(as_text=True)
    assert "30 toezeggingen, pagina 1 van 2" in first
    assert "Toezegging 25" in first
    assert "Toezegging 26" not in first
    following = client.get(link(first, "next")).get_data(as_text=True)
    assert "Toezegging 26" in following
    assert "Toezegging 25" not in following
    # Page numbers keep working, as old links and bookmarks use them.
    second = client.get("/toezeggingen?page=2").get_data(as_text=True)
    assert "30 toezeggingen, pagina 2 van 2" in second
    assert "Toezegging 26" in second
    assert "Toezegging 25" not in second
    assert 'rel="next"' not in second
    back = client.get(link(second, "prev")).get_data(as_text=True)
    assert "Toezegging 01" in back
    assert "Toezegging 25" in back
    assert "Toezegging 26" not in back


def test_list_filters_by_status_ministry_overdue_and_words(seeded, client):
    fulfilled = client.get("/toezeggingen?status=fulfilled").get_data(as_text=True)
    assert "1 toezegging." in fulfilled
    assert "Update over migratie" in fulfilled

    bz = client.get("/toezeggingen?ministerie=BZ").get_data(as_text=True)
    assert "6 toezeggingen" in bz
    assert "Nieuwe Nederlandse hervestigingsmissie" not in bz

    overdue = client.get("/toezeggingen?te_laat=1").get_data(as_text=True)
    assert "1 toezegging." in overdue
    assert "hervestigingsmissie" in overdue

    search = client.get("/toezeggingen?q=UNSMIL").get_data(as_text=True)
    assert "1 toezegging." in search
    assert "Transitional justice" in search


def test_list_with_no_results_says_so(seeded, client):
    page = client.get("/toezeggingen?q=bestaatniet").get_data(as_text=True)
    assert "Geen toezeggingen gevonden met deze filters." in page


def test_list_refuses_an_unknown_status_in_dutch(seeded, client):
    response = client.get("/toezeggingen?status=misschien")
    assert response.status_code == 400
    assert "Onbekende status &#39;misschien&#39;" in response.get_data(as_text=True)


def test_detail_shows_every_public_fact(seeded, client):
    page = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "Update over migratie, Libië en de Libische detentiecentra" in page
    assert "heeft de Staatssecretaris van Justitie en Veiligheid uw Kamer toegezegd" in page
    assert "Kamerstuk 32 317, nr. 548" in page
    assert "Algemeen overleg: JBZ-raad van 7 en 8 maart 2019" in page
    assert "M.G.J. Harbers, Staatssecretaris van Justitie en Veiligheid" in page
    assert "Vaste commissie voor Justitie en Veiligheid" in page
    assert "Kamerstuk 32 735, nr. 243</a> op" in page
    assert "11 april 2019" in page
    assert 'href="https://zoek.officielebekendmakingen.nl/kst-32735-243.html"' in page


def test_detail_shows_the_history_without_internal_notes(app, client, create_commitment):
    commitment = create_commitment(title="Brief over de GDF", deadline=dt.date(2019, 6, 30))
    services.update_commitment(commitment, {"internal_note": "Geheim: nog niet met BZ besproken"})
    services.change_deadline(commitment, dt.date(2019, 12, 31), "voor het einde van het jaar")
    services.change_status(commitment, CommitmentStatus.WITHDRAWN, note="Niet meer aan de orde.")
    db.session.commit()
    page = client.get(f"/toezeggingen/{commitment.number}").get_data(as_text=True)
    assert "Deadline gewijzigd" in page
    assert "Deadline: 30 juni 2019 → 31 december 2019" in page
    assert "Status: Openstaand → Vervallen" in page
    assert "Niet meer aan de orde." in page
    assert "Geheim" not in page
    assert "Interne notitie" not in page


def test_unknown_promise_is_a_dutch_404(app, client):
    response = client.get("/toezeggingen/TZ-1900-0001")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Niet gevonden" in page
    assert "Er is geen toezegging met nummer TZ-1900-0001." in page


def test_pages_carry_security_headers(app, client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
