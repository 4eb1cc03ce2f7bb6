"""`flask seed` loads the promises from the two letters in seeds/letters/, exactly and once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register.models import (
    Activity,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Document,
    EventKind,
    Ministry,
    Official,
)
from app.register.seeding import SeedError, load_seeds

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LETTERS = SEEDS / "letters"


def one(title_fragment: str) -> Commitment:
    return db.session.scalars(
        sa.select(Commitment).where(Commitment.title.contains(title_fragment))
    ).one()


def letter_text(name: str) -> str:
    """The letter as one line: words hyphenated across lines joined, whitespace folded."""
    text = (LETTERS / name).read_text(encoding="utf-8")
    text = re.sub(r"(?<=[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])", "", text)
    return " ".join(text.split())


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_resettlement_mission_has_its_deadline_and_phrase(seeded):
    mission = one("hervestigingsmissie")
    assert mission.text == (
        "Een nieuwe Nederlandse hervestigingsmissie is voorzien in de eerste helft van 2019."
    )
    assert mission.deadline == dt.date(2019, 6, 30)
    assert mission.deadline_phrase == "eerste helft van 2019"
    assert mission.status is CommitmentStatus.OPEN
    assert mission.made_on == dt.date(2019, 4, 11)
    assert mission.source_document.kamerstuk_id == "kst-32735-243"
    assert mission.ministry.code == "JenV"
    assert mission.responsible_official.name == "M.G.J. Harbers"
    assert mission.responsible_official.function == "Staatssecretaris van Justitie en Veiligheid"
    assert mission.number.startswith("TZ-2019-")


def test_promise_from_the_debate_is_fulfilled_by_the_2019_letter(seeded):
    update = one("Update over migratie")
    assert update.status is CommitmentStatus.FULFILLED
    assert update.fulfilled_by.kamerstuk_id == "kst-32735-243"
    assert update.fulfilled_on == dt.date(2019, 4, 11)
    assert update.source_document.kamerstuk_id == "kst-32317-548"
    assert update.activity.kind == "Algemeen overleg"
    assert update.activity.report.kamerstuk_id == "kst-32317-548"
    kinds = [event.kind for event in db.session.scalars(update.events.select())]
    assert kinds == [EventKind.CREATED, EventKind.FULFILLED]


@pytest.mark.parametrize(
    ("title_fragment", "words", "ministry", "official"),
    [
        ("GDF", "wordt het gebruik van de GDF uitgebreid", "JenV", "M.G.J. Harbers"),
        ("IOM-opvangcentrum", "opvangcentrum voor vrouwen en kinderen", "BZ", "S.A.M. Kaag"),
        ("Europese training", "de Libische kustwacht te trainen", "JenV", "M.G.J. Harbers"),
        ("Quick Impact Fund", "Quick Impact Fund voor Libië", "BZ", "A.G. Koenders"),
        ("foreign terrorist fighters", "co-voorzitter van de FTF werkgroep", "BZ", "A.G. Koenders"),
        ("IOM-steun", "hieraan een bijdrage te leveren", "BZ", "A.G. Koenders"),
        ("Transitional justice", "in nauw overleg met UNSMIL", "BZ", "A.G. Koenders"),
    ],
)
def test_required_promises_are_seeded(seeded, title_fragment, words, ministry, official):
    commitment = one(title_fragment)
    assert words in commitment.text
    assert commitment.ministry.code == ministry
    assert commitment.responsible_official.name == official


def test_every_seeded_promise_quotes_its_letter_word_for_word(seeded):
    letters = {
        "kst-32735-243": letter_text("2019-04-11_kst-32735-243_libie-migratie.txt"),
        "kst-32317-548": letter_text("2019-04-11_kst-32735-243_libie-migratie.txt"),
        "kst-32623-164": letter_text("2016_kamerbrief-libie-kabinetsvisie.txt"),
    }
    commitments = db.session.scalars(sa.select(Commitment)).all()
    assert len(commitments) == 12
    for commitment in commitments:
        assert commitment.text in letters[commitment.source_document.kamerstuk_id], commitment.title


def test_unresolvable_phrase_keeps_the_words_and_no_date(seeded):
    justice = one("Transitional justice")
    assert justice.deadline_phrase == "de komende tijd"
    assert justice.deadline is None


def test_reference_data_is_seeded(seeded):
    # Every ministry of the cabinet, so a sheet or the Kamer's data naming one is understood.
    assert set(db.session.scalars(sa.select(Ministry.code))) == {
        "AZ", "AenM", "BZ", "BZK", "Defensie", "EZ", "FIN", "IenW", "JenV", "KGG", "LNV",
        "OCW", "SZW", "VRO", "VWS",
    }  # fmt: skip
    kaag = db.session.scalars(sa.select(Official).where(Official.name == "S.A.M. Kaag")).one()
    assert kaag.function == "Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking"
    assert kaag.ministry.code == "BZ"
    letter = db.session.scalars(
        sa.select(Document).where(Document.dossier_number == "32 735")
    ).one()
    assert letter.kamerstuk_label == "32 735, nr. 243"
    assert letter.date == dt.date(2019, 4, 11)


def test_numbers_are_assigned_per_year_in_order(seeded):
    numbers = sorted(db.session.scalars(sa.select(Commitment.number)))
    assert numbers[:5] == [f"TZ-2016-000{i}" for i in range(1, 6)]
    assert numbers[5:] == [f"TZ-2019-000{i}" for i in range(1, 8)]


def test_seeding_twice_adds_nothing(seeded):
    before = {model: count(model) for model in (Commitment, CommitmentEvent, Document, Activity)}
    report = load_seeds(SEEDS)
    db.session.commit()
    assert report.total == 0
    assert {model: count(model) for model in before} == before


def test_seed_command_reports_what_it_added(runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "commitments: 12 toegevoegd" in first.output
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert "niets toegevoegd" in second.output
    assert count(Commitment) == 12


def test_broken_seed_file_fails_with_one_readable_line(app, runner, tmp_path):
    (tmp_path / "bad.toml").write_text(
        '[[commitments]]\ntitle = "Zonder ministerie"\ntext = "Ik zal."\n'
        'made_on = 2019-01-01\nministry = "XX"\n',
        encoding="utf-8",
    )
    app.config["SEED_DIR"] = tmp_path
    try:
        result = runner.invoke(args=["seed"])
    finally:
        app.config["SEED_DIR"] = SEEDS
    assert result.exit_code == 1
    assert "bad.toml: commitments: 'Zonder ministerie': onbekend ministerie 'XX'" in result.output
    assert count(Commitment) == 0


def test_invalid_toml_is_reported_with_the_file_name(tmp_path):
    (tmp_path / "broken.toml").write_text("[[ministries]\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"broken\.toml: geen geldige TOML"):
        load_seeds(tmp_path)
