"""The English interface stays English (issue 14, item 8): history notes the register wrote
itself, the system's name and the pages' own words; the promises' data stays as written."""

from __future__ import annotations

import html
import re
import tomllib

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register.models import CommitmentEvent
from tests.conftest import REPO_DIR


def visible_text(page: str) -> str:
    """The page's text as a reader sees it, without what is marked as Dutch (lang="nl": the
    promises' own words) and without scripts, styles and tags."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    page = re.sub(r'<(\w+)[^>]*\blang="nl"[^>]*>.*?</\1>', " ", page, flags=re.DOTALL)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def test_notes_the_register_wrote_are_shown_in_the_readers_language(seeded, client):
    stored = db.session.scalars(
        sa.select(CommitmentEvent.note).where(CommitmentEvent.note.is_not(None))
    ).all()
    assert "Geladen uit de seeddata." in stored  # history itself keeps its Dutch words
    english = client.get("/toezeggingen/TZ-2019-0001?lang=en").get_data(as_text=True)
    assert "Loaded from the seed data." in english
    assert "Fulfilled by parliamentary paper 32 735, nr. 243." in english
    assert "Geladen uit de seeddata" not in english
    assert "Voldaan met Kamerstuk" not in english
    dutch = client.get("/toezeggingen/TZ-2019-0001?lang=nl").get_data(as_text=True)
    assert "Geladen uit de seeddata." in dutch


def test_the_system_is_named_in_the_readers_language(seeded, client, auth, create_user):
    auth.login(create_user())
    english = client.get("/toezeggingen/TZ-2019-0001?lang=en").get_data(as_text=True)
    assert "by System" in english
    assert "Systeem" not in english
    assert "door Systeem" in client.get("/toezeggingen/TZ-2019-0001?lang=nl").get_data(as_text=True)


def test_a_clerks_own_note_is_shown_as_written(app, client, create_commitment):
    from app.register import services
    from app.register.models import CommitmentStatus

    commitment = create_commitment()
    services.change_status(commitment, CommitmentStatus.WITHDRAWN, note="Geladen uit de kast.")
    db.session.commit()
    page = client.get(f"/toezeggingen/{commitment.number}?lang=en").get_data(as_text=True)
    assert "Geladen uit de kast." in page


#: The data is Dutch: ministries', committees' and officials' names, as the seed has them.
_SEED = tomllib.loads((REPO_DIR / "seeds" / "00-reference.toml").read_text(encoding="utf-8"))
DATA_NAMES = tuple(
    sorted(
        {ministry["name"] for ministry in _SEED["ministries"]}
        | {committee["name"] for committee in _SEED["committees"]}
        | {official["function"] for official in _SEED["officials"]},
        key=len,
        reverse=True,  # the longest first, so no name is left half removed
    )
)

#: Words of the Dutch interface that no English page may show (data aside).
DUTCH_UI_WORDS = [
    "Toezeggingen",
    "Overzicht",
    "Zoeken",
    "Filteren",
    "Downloaden",
    "Geschiedenis",
    "Volgen",
    "Vastgelegd",
    "Openstaand",
    "Voldaan",
    "Vervallen",
    "Pagina",
    "Alleen te laat",
    "Sorteren",
    "Uw e-mailadres",
    "Systeem",
    "Geladen",
    "Bron",
    "Gedaan op",
    "Ministerie ",
    "Commissie",
    "Bewindspersoon",
    "Inloggen",
    "Wachtwoord",
    "Naar de inhoud",
    "Toegestane waarden",
    "Voorbeeld",
    "Antwoorden",
    "wordt",
    "voor de zomer",
]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/toezeggingen",
        "/toezeggingen?q=hervestiging",
        "/toezeggingen/TZ-2019-0001",
        "/toezeggingen/TZ-2019-0002",
        "/api",
        "/beheer/inloggen",
        "/toezeggingen/TZ-1900-0001",
    ],
)
def test_english_pages_hold_no_dutch_interface_words(seeded, client, path):
    separator = "&" if "?" in path else "?"
    text = visible_text(client.get(f"{path}{separator}lang=en").get_data(as_text=True))
    for name in DATA_NAMES:
        text = text.replace(name, "")
    found = [word for word in DUTCH_UI_WORDS if word in text]
    assert found == [], f"{path}: {found} in {text[:2000]}"


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/",
        "/beheer/toezeggingen/nieuw",
        "/beheer/toezeggingen/TZ-2019-0002/bewerken",
        "/beheer/toezeggingen/TZ-2019-0002/status",
        "/beheer/toezeggingen/TZ-2019-0002/deadline",
        "/beheer/toezeggingen/TZ-2019-0002/voldaan",
        "/beheer/brieven/nieuw",
        "/beheer/gebruikers",
        "/beheer/gebruikers/nieuw",
        "/beheer/referentie/",
        "/beheer/referentie/documenten/nieuw",
        "/beheer/referentie/bewindspersonen/",
        "/beheer/outbox",
        "/beheer/audit",
        "/beheer/rappel",
        "/toezeggingen/TZ-2019-0001",
    ],
)
def test_english_staff_pages_hold_no_dutch_interface_words(seeded, client, auth, create_user, path):
    from app.auth.models import Role
    from app.register import queries

    auth.login(create_user(role=Role.ADMIN, ministry=queries.ministry_by_code("JenV")))
    text = visible_text(client.get(f"{path}?lang=en").get_data(as_text=True))
    for name in DATA_NAMES:
        text = text.replace(name, "")
    found = [word for word in DUTCH_UI_WORDS if word in text]
    assert found == [], f"{path}: {found} in {text[:3000]}"
