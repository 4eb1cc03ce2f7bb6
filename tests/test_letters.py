"""Reading Kamerbrieven: cleaning, metadata, the promises a letter makes and the ones it keeps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import tomllib
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.extensions import db
from app.letters.extract import rank_matches, read_letter
from app.letters.rules import RULES_FILE, load_rules
from app.letters.text import UnreadableLetter, clean, read_bytes, read_file, split_sentences
from app.register.models import Ministry

HERE = Path(__file__).resolve().parent
LETTERS = HERE.parent / "seeds" / "letters"
LABELS = tomllib.loads((HERE / "letters" / "labels.toml").read_text(encoding="utf-8"))["letter"]
LETTER_2019 = LETTERS / "2019-04-11_kst-32735-243_libie-migratie.txt"


@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_every_labelled_promise_is_found_with_few_false_ones(seeded, label):
    reading = read_letter(read_file(LETTERS / label["file"]))
    found = reading.promises
    expected = label["promises"]
    hits = [p for p in found if any(p.sentence.startswith(e["starts"]) for e in expected)]
    recall = len(
        {e["starts"] for e in expected if any(p.sentence.startswith(e["starts"]) for p in found)}
    ) / len(expected)
    precision = len(hits) / len(found) if found else 0
    assert recall >= 0.9, [p.sentence for p in found]
    assert precision >= 0.8, [p.sentence for p in found if p not in hits]
    for promise in expected:
        match = next(p for p in found if p.sentence.startswith(promise["starts"]))
        if "deadline" in promise:
            assert match.deadline == promise["deadline"]
        if "phrase" in promise:
            assert promise["phrase"] in (match.deadline_phrase or "")
        assert 0 < match.confidence < 1
        assert reading.letter.text[match.start : match.end].split() == match.sentence.split()


def test_the_2019_letter_fulfils_the_promise_from_the_debate(seeded):
    reading = read_letter(read_file(LETTER_2019))
    [fulfilment] = reading.fulfilments
    assert fulfilment.sentence.startswith("Tijdens het Algemeen Overleg")
    assert fulfilment.kamerstukken == ["kst-32317-548"]
    assert fulfilment.meeting_date == dt.date(2019, 3, 7)
    best = fulfilment.matches[0]
    assert best["title"].startswith("Update over migratie")
    assert best["score"] >= 0.8
    assert all(other["score"] < best["score"] for other in fulfilment.matches[1:])


def test_metadata_of_a_letter_in_two_dossiers(seeded):
    meta = read_letter(read_file(LETTER_2019)).metadata
    assert meta.kamerstuk_id == "kst-32735-243"
    assert [d["number"] for d in meta.dossiers] == ["32 735", "30 573"]
    assert meta.ondernummer == "243"
    assert meta.date == dt.date(2019, 4, 11)
    assert meta.addressee == "Tweede Kamer"
    assert [(s.name, s.function, s.ministry) for s in meta.signatories] == [
        ("M.G.J. Harbers", "Staatssecretaris van Justitie en Veiligheid", "JenV"),
        ("S.A.M. Kaag", "Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking", "BZ"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("de totstand-\nkoming van", "de totstandkoming van"),
        ("de AU-EU-VN Task\nForce", "de AU-EU-VN Task\nForce"),
        ("in Noord-Afrika", "in Noord-Afrika"),
        ("de beide parlementen1, gemeentes", "de beide parlementen, gemeentes"),
        ("sluiting daarvan.2Het kabinet", "sluiting daarvan. Het kabinet"),
        ("niet geformali-\nseerd", "niet geformaliseerd"),
    ],
)
def test_cleaning_joins_broken_words_and_drops_footnote_markers(raw, expected):
    assert clean(raw).text == expected


def test_footnotes_are_kept_apart():
    letter = clean(
        "Zoals gemeld in onze brief1 van december.\n\n"
        "1 Kamerstukken 32 735 en 30 573, nr. 230.\n"
        "Tweede Kamer, vergaderjaar 2018–2019, 32 735, nr. 243 2\n"
        "Het kabinet zal uw Kamer informeren."
    )
    assert letter.footnotes == {1: "Kamerstukken 32 735 en 30 573, nr. 230."}
    assert "vergaderjaar" not in letter.text
    assert [s.text for s in letter.sentences] == [
        "Zoals gemeld in onze brief van december.",
        "Het kabinet zal uw Kamer informeren.",
    ]


@pytest.mark.parametrize("abbreviation", ["a.s.", "o.l.v.", "i.p.v.", "m.b.t.", "jl.", "d.d."])
def test_every_listed_abbreviation_keeps_the_sentence_whole(abbreviation):
    text = f"Het overleg {abbreviation} Dinsdag gaat door. Daarna volgt de brief."
    assert len(split_sentences(text)) == 2


def test_sentences_do_not_break_on_abbreviations_or_numbers():
    text = (
        "Tijdens het AO van 7 maart jl. is dit o.a. besproken (Kamerstuk 32 317, nr. 548). "
        "De brief d.d. 4 december t.a.v. migratie volgt. Nr. 243 is de brief."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Tijdens het AO van 7 maart jl. is dit o.a. besproken (Kamerstuk 32 317, nr. 548).",
        "De brief d.d. 4 december t.a.v. migratie volgt.",
        "Nr. 243 is de brief.",
    ]


def letter_as_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in text.splitlines():
        if y < 60:
            pdf.showPage()
            y = 800
        pdf.drawString(50, y, line)
        y -= 14
    pdf.save()
    return buffer.getvalue()


def letter_as_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("make", "suffix"), [(letter_as_pdf, ".pdf"), (letter_as_docx, ".docx")])
def test_pdf_and_word_letters_give_the_same_promises(seeded, make, suffix):
    raw = LETTER_2019.read_text(encoding="utf-8")
    expected = [p.sentence for p in read_letter(raw).promises]
    converted = read_bytes(make(raw), f"brief{suffix}")
    reading = read_letter(converted)
    assert [p.sentence for p in reading.promises] == expected
    [fulfilment] = reading.fulfilments
    assert fulfilment.sentence.startswith("Tijdens het Algemeen Overleg")
    assert fulfilment.matches[0]["number"] == "TZ-2019-0001"
    assert reading.metadata.kamerstuk_id == "kst-32735-243"
    assert reading.metadata.date == dt.date(2019, 4, 11)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 kapot", "brief.pdf", "geen leesbare PDF"),
        (b"PK\x03\x04 kapot", "brief.docx", "geen leesbaar Word-bestand"),
        (b"x", "brief.odt", "alleen .txt, .pdf en .docx"),
    ],
)
def test_unreadable_files_are_explained(data, name, message):
    with pytest.raises(UnreadableLetter, match=message):
        read_bytes(data, name)


def test_extract_command_prints_json_in_the_agreed_shape(seeded, runner):
    result = runner.invoke(args=["letters", "extract", str(LETTER_2019), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert set(body) == {"document", "commitments", "fulfils"}
    assert body["document"]["kamerstuk_id"] == "kst-32735-243"
    mission = body["commitments"][0]
    assert set(mission) >= {
        "sentence",
        "title",
        "deadline_phrase",
        "deadline",
        "confidence",
        "start",
        "end",
    }
    assert mission["deadline"] == "2019-06-30"
    assert body["fulfils"][0]["matches"][0]["number"] == "TZ-2019-0001"


def test_extract_command_reads_as_text_too(seeded, runner):
    result = runner.invoke(args=["letters", "extract", str(LETTER_2019)])
    assert "Kamerstuk:   kst-32735-243" in result.output
    assert "in de eerste helft van 2019 → 2019-06-30" in result.output
    assert "TZ-2019-0001 (1.00)" in result.output


def test_extract_command_refuses_an_unreadable_file_in_one_line(app, runner, tmp_path):
    path = tmp_path / "brief.odt"
    path.write_bytes(b"x")
    result = runner.invoke(args=["letters", "extract", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: brief.odt: alleen .txt, .pdf en .docx worden gelezen."


def test_deadline_command(app, runner):
    found = runner.invoke(
        args=["letters", "deadline", "Ik stuur u voor de zomer een brief", "--on", "2019-11-20"]
    )
    assert found.output.strip() == "voor de zomer\t2020-07-02"
    none = runner.invoke(args=["letters", "deadline", "Ik kom erop terug", "--on", "2019-11-20"])
    assert "Geen termijn gevonden" in none.output


SENTENCES = tomllib.loads((HERE / "letters" / "sentences.toml").read_text(encoding="utf-8"))


def classify(sentence: str) -> bool:
    rules = load_rules()
    score, _matched = rules.promise_score(sentence, previous_was_promise=False)
    return rules.is_promise(score, sentence)


def test_the_rules_generalise_to_other_letters_and_debates():
    found = {s for s in SENTENCES["promises"] + SENTENCES["not_promises"] if classify(s)}
    true_positives = found & set(SENTENCES["promises"])
    recall = len(true_positives) / len(SENTENCES["promises"])
    precision = len(true_positives) / len(found) if found else 0
    missed = set(SENTENCES["promises"]) - found
    wrong = found - set(SENTENCES["promises"])
    assert recall >= 0.9, missed
    assert precision >= 0.8, wrong


def test_the_matching_numbers_come_from_the_rules_file(seeded, tmp_path):
    rules = load_rules()
    reading = read_letter(read_file(LETTER_2019))
    [fulfilment] = reading.fulfilments
    assert rank_matches(fulfilment, reading.metadata) == fulfilment.matches
    assert [match["number"] for match in fulfilment.matches] == ["TZ-2019-0001"]
    loose = dataclasses.replace(rules.matching, minimum=0.0)  # every candidate the index found
    many = rank_matches(fulfilment, reading.metadata, loose)
    assert len(many) > 1
    one = dataclasses.replace(loose, options=1)
    assert rank_matches(fulfilment, reading.metadata, one) == many[:1]
    strict = dataclasses.replace(rules.matching, minimum=2.0)  # more than all weights together
    assert rank_matches(fulfilment, reading.metadata, strict) == []
    edited = tmp_path / "rules.toml"
    edited.write_text(
        RULES_FILE.read_text(encoding="utf-8").replace("\noptions = 5", "\noptions = 2"),
        encoding="utf-8",
    )
    assert load_rules(edited).matching == dataclasses.replace(rules.matching, options=2)


def test_a_misspelt_number_in_the_rules_file_is_refused(tmp_path):
    edited = tmp_path / "rules.toml"
    edited.write_text(
        RULES_FILE.read_text(encoding="utf-8").replace("\nminimum = ", "\nminimun = "),
        encoding="utf-8",
    )
    with pytest.raises(TypeError, match="minimun"):
        load_rules(edited)


def test_confidence_follows_the_promises_table():
    rules = load_rules()
    settings = rules.promises
    assert rules.confidence(rules.threshold) == settings.confidence_base
    assert rules.confidence(100) == settings.confidence_maximum


def test_a_promise_sharing_only_words_is_found_through_the_search_index(seeded):
    """The fulfilment matching asks the full-text index for candidates (DESIGN §9) instead of
    reading every open promise: one that shares only its telling words is still offered, an
    unrelated one is not."""
    from app.extensions import db
    from app.register import services
    from app.register.models import Ministry

    ministry = db.session.scalars(sa.select(Ministry)).first()
    words = services.create_commitment(
        title="Rapportage over de grondwaterkwaliteit in de Peelregio",
        text="Ik zal uw Kamer rapporteren over de grondwaterkwaliteit in de Peelregio.",
        made_on=dt.date(2019, 1, 15),
        ministry=ministry,
    )
    services.create_commitment(
        title="Evaluatie van de kinderopvangtoeslag",
        text="Ik zal de kinderopvangtoeslag evalueren.",
        made_on=dt.date(2019, 1, 15),
        ministry=ministry,
    )
    db.session.flush()
    reading = read_letter(
        "Den Haag, 11 april 2019\n\n"
        "Zoals toegezegd stuur ik u hierbij de rapportage over de grondwaterkwaliteit in de "
        "Peelregio.\n"
    )
    [fulfilment] = reading.fulfilments
    assert [m["number"] for m in fulfilment.matches] == [words.number]


def test_a_promise_named_by_the_day_of_its_letter_ranks_first_and_a_letters_own_are_not_offered(
    seeded,
):
    """A clerk's trial: "In mijn brief van 11 april 2019 heb ik toegezegd …" names the day the
    promise was made, which counts as a meeting does; and the promises a letter made itself
    (recorded when it was read before) are never offered as what it delivers."""
    from app.register import services

    letter = (
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\n"
        "Datum 24 november 2026\nBetreft Opvang van migranten in Noord-Afrika\n\n"
        "Geachte voorzitter,\n\n"
        "In mijn brief van 11 april 2019 heb ik toegezegd uw Kamer te informeren over de steun "
        "voor een IOM-opvangcentrum voor vrouwen en kinderen.\n"
        "Met deze brief kom ik die toezegging na.\n"
        "Ik zal uw Kamer voor het zomerreces informeren over de nieuwe opvang in Niger.\n\n"
        "De Staatssecretaris van Justitie en Veiligheid,\n\nM.G.J. Harbers\n"
    )
    reading = read_letter(letter)
    [fulfilment] = reading.fulfilments
    assert fulfilment.meeting_date == dt.date(2019, 4, 11)
    assert fulfilment.matches[0]["number"] == "TZ-2019-0005"  # made that day, in that letter

    jenv = db.session.scalars(sa.select(Ministry).where(Ministry.code == "JenV")).one()
    own = services.create_commitment(
        title="De nieuwe opvang in Niger en de steun voor vrouwen en kinderen",
        text="Ik zal uw Kamer informeren over de nieuwe opvang in Niger en het opvangcentrum.",
        made_on=dt.date(2026, 11, 24),
        ministry=jenv,
    )
    db.session.flush()
    assert own.number not in {
        match["number"] for match in rank_matches(fulfilment, reading.metadata)
    }
