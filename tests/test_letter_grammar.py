"""Issue 16, past word lists: lemmas, the main clause's subject and finite verb, separable verbs,
negation and condition scope, and the reason the clerk sees for each proposal."""

from __future__ import annotations

import re

import pytest

from app.letters.extract import read_letter
from app.letters.rules import Rule, load_rules

HEAD = "Den Haag, 3 februari 2025\n\n"


def reading(*sentences: str):
    return read_letter(HEAD + "\n".join(sentences) + "\n")


@pytest.mark.parametrize(
    "sentence",
    [
        "Ik informeer uw Kamer over de uitkomsten.",
        "Ik informeerde uw Kamer op 3 januari over de uitkomsten.",
        "Uw Kamer is eerder geïnformeerd over de uitkomsten.",
        "Wij hebben de Kamer daarover geinformeerd.",
    ],
)
def test_a_rule_keyed_on_a_lemma_matches_every_form_of_the_verb(sentence):
    rules = load_rules()
    rule = Rule(
        name="informeren", pattern=re.compile(""), weight=1, verbs=frozenset({"informeren"})
    )
    assert rule.holds(rules.analyse(sentence))


def test_a_separable_verb_is_read_with_its_particle():
    rules = load_rules()
    assert (
        "toezeggen"
        in rules.analyse("Mijn voorganger zegde in juni toe de Kamer te informeren.").clause.verbs
    )
    assert "uitvoeren" in rules.analyse("Met deze brief voer ik de motie uit.").clause.verbs
    assert "nakomen" in rules.analyse("Hiermee kom ik die toezegging na.").clause.verbs
    # "na de zomer" is a time, not the particle of "komen".
    assert "nakomen" not in rules.analyse("Ik kom na de zomer met een voorstel.").clause.verbs


@pytest.mark.parametrize(
    ("sentence", "role", "tense"),
    [
        ("Ik zal uw Kamer voor de zomer informeren.", "government", "future"),
        ("De minister zal de Kamer na de zomer informeren.", "government", "future"),
        ("Na de zomer stuur ik u de evaluatie.", "government", "present"),
        ("U ontvangt de evaluatie voor de zomer.", "kamer", "present"),
        ("De gemeenten zullen de regeling voor de zomer aanpassen.", "others", "future"),
        ("De Europese Commissie komt in maart met een voorstel.", "others", "present"),
        (
            "Het verslag van de Raad stuurt het kabinet uw Kamer eind april.",
            "government",
            "present",
        ),
        (
            "De antwoorden op de vragen van het lid Jansen volgen zo snel mogelijk.",
            "thing",
            "present",
        ),
        ("Ik heb uw Kamer toegezegd de regeling te evalueren.", "government", "perfect"),
    ],
)
def test_the_subject_and_tense_of_the_main_clause(sentence, role, tense):
    clause = load_rules().analyse(sentence).clause
    assert (clause.role, clause.tense) == (role, tense)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ik zal uw Kamer voor de zomer informeren over de evaluatie.",
        "De minister zal de Kamer na de zomer een brief sturen over de evaluatie.",
        "U ontvangt voor de zomer de evaluatie van de regeling.",
    ],
)
def test_the_government_or_the_kamer_as_subject_is_a_promise(seeded, sentence):
    assert [p.sentence for p in reading(sentence).promises] == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "De gemeenten zullen de komende maanden waar mogelijk ondersteunen.",
        "De gemeenten zullen hun voorlichting het komende jaar samen met de scholen verbeteren.",
        "De Algemene Rekenkamer zal de opzet van de doorlichtingen toetsen.",
    ],
)
def test_others_acting_is_not_a_promise(seeded, sentence):
    assert reading(sentence).promises == []


def test_negation_scope(seeded):
    refused = "Een wettelijke maximumtermijn voor strafzaken zal ik niet invoeren."
    bounded = "Ik informeer u uiterlijk niet later dan 1 mei over de evaluatie."
    found = reading(refused, bounded).promises
    assert [p.sentence for p in found] == [bounded]
    assert found[0].deadline is not None
    assert found[0].deadline.isoformat() == "2025-05-01"


def test_condition_scope(seeded):
    uncertain = "Als de toets daartoe aanleiding geeft, zal ik de regels aanpassen."
    once = "Zodra het advies er is, informeer ik uw Kamer over de gevolgen."
    found = reading(uncertain, once).promises
    assert [p.sentence for p in found] == [once]
    assert load_rules().analyse(once).clause.role == "government"


def test_an_earlier_promise_in_any_past_form_is_reported_and_others_promising_is_not(seeded):
    voorganger = "Mijn ambtsvoorganger zegde in 2023 toe de armoedecijfers openbaar te maken."
    beloofd = "Ook is uw Kamer beloofd dat de doorlichting voor 2026 klaar is."
    banken = "De havenbedrijven hebben beloofd de walstroom in 2027 beschikbaar te hebben."
    found = reading(voorganger, beloofd, banken)
    assert [(f.kind, f.sentence) for f in found.fulfilments] == [
        ("reported", voorganger),
        ("reported", beloofd),
    ]
    assert found.promises == []


def test_a_motion_carried_out_and_a_promise_kept_in_other_words_are_fulfilments(seeded):
    motie = (
        "Met deze brief voer ik de motie van het lid Kröger uit, die de regering verzoekt de "
        "lozingsvergunningen in kaart te brengen."
    )
    verzoek = (
        "Aan het verzoek van uw commissie om ook de studentenhuisvesting mee te nemen kom ik met "
        "deze brief eveneens tegemoet."
    )
    later = (
        "Op het verzoek van de commissie om een overzicht van de schade per provincie kom ik na "
        "de zomer terug."
    )
    found = reading(motie, verzoek, later)
    assert [(f.kind, f.sentence) for f in found.fulfilments] == [
        ("fulfilled", motie),
        ("fulfilled", verzoek),
    ]
    assert [p.sentence for p in found.promises] == [later]


@pytest.mark.parametrize(
    "delivery",
    [
        "Bijgaand treft u de peiling aan.",
        "Dat overzicht vindt u hieronder.",
        "Door de val van het kabinet ontvangt u dat overzicht pas nu.",
        "Die toezegging los ik hierbij in.",
    ],
)
def test_the_promise_in_the_sentence_before_is_delivered_by_this_one(seeded, delivery):
    earlier = (
        "In het commissiedebat van 5 november heb ik toegezegd uw Kamer te laten weten hoeveel "
        "sportverenigingen een rookvrij terrein hebben."
    )
    [item] = reading(earlier, delivery).fulfilments
    assert item.kind == "fulfilled"
    assert item.sentence == f"{earlier} {delivery}"
    assert item.reason == "de eerste zin noemt een eerdere toezegging, de tweede komt haar na"


def test_each_proposal_says_why_it_was_found(seeded):
    found = reading("Ik zal uw Kamer voor de zomer informeren over de evaluatie.")
    [promise] = found.promises
    assert "het kabinet zal iets doen" in promise.reason
    assert "onderwerp ‘ik’, werkwoord ‘informeren’, toekomende tijd" in promise.reason


def test_a_promise_held_out_or_still_open_is_reported_and_what_others_say_is_not(seeded):
    vooruitzicht = (
        "In mijn brief van 14 oktober heb ik uw Kamer in het vooruitzicht gesteld dat de "
        "evaluatie voor de zomer verschijnt."
    )
    open_ = "De toezegging om de geluidsnormen rond Schiphol te herijken staat nog open."
    schiphol = "Schiphol heeft beloofd het aantal nachtvluchten vanaf 2027 terug te brengen."
    vraag = "Het lid De Hoop vroeg of de toezegging over de nachtvluchten al is nagekomen."
    found = reading(vooruitzicht, open_, schiphol, vraag)
    assert [(f.kind, f.sentence) for f in found.fulfilments] == [
        ("reported", vooruitzicht),
        ("reported", open_),
    ]
    assert found.promises == []
    assert load_rules().analyse(schiphol).clause.role == "others"


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        # the rest of a delivery follows, with a time ahead
        (
            "Het tweede deel van de evaluatie volgt uiterlijk 1 september.",
            "een brief of stuk volgt",
        ),
        # a bill goes to the Raad van State
        (
            "Het wetsvoorstel over de huurtoeslag gaat na de zomer naar de Raad van State.",
            "een stap in de procedure",
        ),
        # once something is done, the Kamer receives
        (
            "Zodra de NZa de monitor heeft afgerond, ontvangt u het rapport met mijn reactie.",
            "het kabinet levert zodra iets klaar is",
        ),
    ],
)
def test_more_promise_constructions(seeded, sentence, reason):
    [promise] = reading(sentence).promises
    assert promise.sentence == sentence
    assert reason in promise.reason


def test_the_rest_that_followed_before_is_no_promise(seeded):
    assert reading("Het tweede deel van de evaluatie volgde in maart 2024.").promises == []
