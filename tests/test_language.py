"""Dutch by default, English on request; dates and numbers follow the language."""

from __future__ import annotations

import datetime as dt

from app.extensions import db


def test_pages_are_dutch_by_default(seeded, client):
    page = client.get("/toezeggingen").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "12 toezeggingen" in page
    assert "30 juni 2019" in page
    assert ">English</a>" in page


def test_english_is_available_and_remembered(seeded, client):
    page = client.get("/toezeggingen?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "12 commitments" in page
    assert "30 June 2019" in page
    assert "Overdue" in page
    assert ">Nederlands</a>" in page
    again = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "Fulfilled by" in again
    assert "11 April 2019" in again
    back = client.get("/?lang=nl").get_data(as_text=True)
    assert "Stand van zaken" in back


def test_numbers_follow_the_language(app, client, create_commitment):
    for day in range(1, 3):
        create_commitment(title=f"T{day}", deadline=dt.date(2030, 1, day))
    db.session.commit()
    from flask_babel import force_locale, format_decimal

    with app.test_request_context(), force_locale("nl"):
        assert format_decimal(1234567) == "1.234.567"
    with app.test_request_context(), force_locale("en"):
        assert format_decimal(1234567) == "1,234,567"


def test_form_messages_follow_the_language(app, client, auth, create_user):
    clerk = create_user()
    db.session.commit()
    auth.login(clerk)
    nl = client.post("/beheer/toezeggingen/nieuw", data={"text": "", "save": "Opslaan"})
    assert "Dit veld is verplicht." in nl.get_data(as_text=True)
    en = client.post("/beheer/toezeggingen/nieuw?lang=en", data={"text": "", "save": "Opslaan"})
    page = en.get_data(as_text=True)
    assert "This field is required." in page
    assert "Text of the commitment" in page


def test_api_errors_follow_the_language(app, client):
    body = client.get("/api/v1/commitments?status=x&lang=en").get_json()
    assert body["error"].startswith("Unknown status 'x'")


def test_every_text_in_the_code_has_an_english_translation(tmp_path):
    """Extract every marked text afresh and check the English catalogue covers it."""
    import subprocess
    import sys
    from pathlib import Path

    from babel.messages.pofile import read_po

    repo = Path(__file__).resolve().parent.parent
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "app",
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )
    extracted = {message.id for message in read_po(pot.open("rb")) if message.id}
    with (repo / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        translated = {m.id for m in read_po(handle) if m.id and m.string and not m.fuzzy}
    assert extracted - translated == set(), "run `make messages` and translate the new texts"
