"""Issue 22: the general reading of sentences about earlier promises (app/letters/fulfil.py).

Each test names one mechanism and tries it on wordings the rules file does not list: a mention of
an earlier promise by lemma, a delivery now, a delivery later or done before, a frame ("Zoals ik
heb toegezegd, …"), what is no earlier promise of the government's, and reading a delivery with
the sentence before it. All sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from app.letters.extract import read_letter
from app.letters.rules import load_rules

HEAD = "Den Haag, 3 februari 2025\n\n"


def reading(*sentences: str):
    return read_letter(HEAD + "\n".join(sentences) + "\n")


def kind(sentence: str) -> str | None:
    return load_rules().read_fulfilment(sentence).kind


# --- a mention of an earlier promise, by lemma ---------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Bij de begrotingsbehandeling beloofden wij de Kamer een overzicht van de subsidies.",
        "Mijn voorganger zegde de commissie een evaluatie van de regeling toe.",
        "De in het notaoverleg gedane toezegging over de dijkversterking loopt nog.",
        "In het wetgevingsoverleg is het lid Bikker een nadere analyse toegezegd.",
        "Eerder is aan uw Kamer gemeld dat het kabinet de regeling in 2026 zou evalueren.",
    ],
)
def test_an_earlier_promise_named_in_any_form_is_reported(sentence):
    assert kind(sentence) == "reported"


@pytest.mark.parametrize(
    "sentence",
    [
        # someone else promised, asks, or is refused
        "De fabrikanten hebben toegezegd hun voorraden op te hogen.",
        "Netbeheer Nederland heeft beloofd de wachtrij dit jaar weg te werken.",
        "De leden van de fractie vragen of de minister zijn toezegging al is nagekomen.",
        "Wanneer ontvangt de Kamer de eerder toegezegde evaluatie?",
        "Een toezegging om de belasting te verlagen kan ik niet doen.",
        # a new promise
        "Ik zeg u toe dat ik u voor de zomer informeer over de planning.",
        # promises in general
        "Een toezegging geldt pas als afgedaan wanneer de Kamer het resultaat heeft ontvangen.",
        "Hierbij bied ik u het overzicht aan van de openstaande toezeggingen van mijn ministerie.",
    ],
)
def test_no_earlier_promise_of_the_government_is_no_fulfilment(sentence):
    rules = load_rules()
    assert rules.read_fulfilment(sentence).kind is None
    assert not rules.is_fulfilment(sentence)


def test_a_negation_in_a_clause_of_its_own_is_no_refusal():
    sentence = "In het debat is een overzicht beloofd van de gemeenten die hun doel niet halen."
    assert kind(sentence) == "reported"


# --- delivered now, later, or before ----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Met deze brief wordt uitvoering gegeven aan de toezegging over de gasopslag.",
        "De toezegging over de kosten van de jeugdzorg is hiermee afgedaan.",
        "Aan toezegging T01234 over de bekostiging is voldaan met hoofdstuk 3 van de monitor.",
        "Graag ga ik in op de toezegging aan het lid Dijk over de wijkverpleging.",
        "Ik voldoe daarmee aan de toezegging uit het commissiedebat van 2 april.",
        "Bijlage 2: Notitie over de herverdeling van het fonds, toegezegd in het debat van mei.",
        "In deze brief zullen wij ingaan op de toezegging over de wachttijden.",
    ],
)
def test_a_mention_with_a_delivery_now_is_fulfilled(sentence):
    assert kind(sentence) == "fulfilled"


@pytest.mark.parametrize(
    "sentence",
    [
        "Zoals toegezegd zal ik uw Kamer voor de zomer informeren over de evaluatie.",
        "De toezegging om de gevolgen voor mantelzorgers te onderzoeken is nog niet afgerond.",
        "Die toezegging heb ik afgedaan met mijn brief van 3 maart over de capaciteit.",
        "Ik heb toegezegd u te informeren, maar door vertraging stuur ik u de cijfers pas in mei.",
    ],
)
def test_a_mention_delivered_later_or_before_is_reported(sentence):
    assert kind(sentence) == "reported"


def test_acting_later_on_an_earlier_promise_is_a_new_promise(seeded):
    anew = "Over de toezegging aan het lid Ellian kom ik na de zomer terug."
    follows = "De eerder toegezegde brief over de regeldruk volgt na de zomer."
    reported = "Ik heb toegezegd de regeling te evalueren; de evaluatie volgt na de zomer."
    found = reading(anew, follows, reported)
    assert [p.sentence for p in found.promises] == [anew, follows]
    assert [(f.kind, f.sentence) for f in found.fulfilments] == [("reported", reported)]


def test_a_motion_or_request_counts_only_when_delivered_or_its_state_given():
    assert kind("Hiermee geef ik gehoor aan het verzoek van de vaste commissie.") == "fulfilled"
    assert kind("Over de uitvoering van die motie bent u geïnformeerd bij brief van 4 mei.") == (
        "reported"
    )
    assert kind("Motie van het lid Vedder over jonge boeren: in uitvoering.") == "reported"
    assert kind("In de motie werd de regering verzocht de Kamer jaarlijks te informeren.") is None
    assert kind("Hierbij verzoek ik uw Kamer in te stemmen met het voorstel.") is None


def test_a_promise_as_the_frame_of_what_was_done_is_fulfilled_and_of_what_is_to_come_reported():
    done = "Zoals ik in het debat heb toegezegd, heb ik de regeling laten doorlichten."
    to_come = "Zoals eerder toegezegd laat ik de NZa onderzoeken of de vergoeding toereikend is."
    main_clause = "Op verzoek van het lid Omtzigt is destijds een jaarlijks overzicht toegezegd."
    assert kind(done) == "fulfilled"
    assert kind(to_come) == "reported"
    assert kind(main_clause) == "reported"


def test_the_reason_names_the_words_found(seeded):
    sentence = "Met deze brief geef ik invulling aan de toezegging over de gasopslag."
    [item] = reading(sentence).fulfilments
    assert "noemt een eerdere toezegging (‘toezegging’)" in item.reason
    assert "levert nu (‘Met deze brief’)" in item.reason


# --- read with the sentence before --------------------------------------------------------------

EARLIER = (
    "In het debat van 4 februari heb ik toegezegd u een overzicht te sturen van de gesloten "
    "bibliotheken."
)


@pytest.mark.parametrize(
    "delivery",
    [
        "Met deze brief doe ik dat.",  # "doe ik dat" refers back
        "Hierbij kom ik op die toezegging terug.",  # "die toezegging"
        "U vindt ze in bijlage 1.",  # an object pronoun
        "Het overzicht is opgenomen in de bijlage.",  # names a thing of the sentence before
        "Ik informeer u hier graag over.",  # a split pronominal adverb
        "Bijgaand ontvangt u de lijst.",  # bare
    ],
)
def test_a_delivery_that_continues_a_mention_is_read_with_it(seeded, delivery):
    [item] = reading(EARLIER, delivery).fulfilments
    assert (item.kind, item.sentence) == ("fulfilled", f"{EARLIER} {delivery}")


@pytest.mark.parametrize(
    "other",
    [
        "In deze brief ga ik in op de voortgang van de leesbevordering.",  # a subject of its own
        "Hierbij stuur ik u ook de jaarcijfers.",  # something else as well
        "Daarmee is de toezegging over de bibliotheekwet afgedaan.",  # a promise of its own
        "U ontvangt het overzicht in het eerste kwartaal van 2026.",  # later
    ],
)
def test_a_sentence_about_something_else_is_not_read_with_the_mention(seeded, other):
    found = reading(EARLIER, other).fulfilments
    assert found[0].sentence == EARLIER
    assert all(EARLIER not in item.sentence or item.sentence == EARLIER for item in found)


def test_a_delivery_after_a_promise_reported_done_is_read_with_it(seeded):
    done = "Zoals toegezegd in het debat heb ik het onderzoek naar de wachttijden laten doen."
    delivery = "Het rapport treft u bijgaand aan."
    [item] = reading(done, delivery).fulfilments
    assert (item.kind, item.sentence) == ("fulfilled", f"{done} {delivery}")


def test_a_list_item_that_names_a_promise_is_no_heading(seeded):
    item = "Toezegging aan het lid Bromet over de stikstofdepositie: nog niet afgedaan"
    assert [(f.kind, f.sentence) for f in reading(item).fulfilments] == [("reported", item)]


def test_a_request_of_the_kamer_is_what_a_delivery_that_refers_back_answers(seeded):
    asked = "De vaste commissie heeft op 12 mei verzocht om een reactie op het rapport."
    delivery = "Aan dat verzoek voldoe ik hieronder."
    [item] = reading(asked, delivery).fulfilments
    assert (item.kind, item.sentence) == ("fulfilled", f"{asked} {delivery}")


def test_a_heading_between_the_mention_and_the_delivery_is_passed_over(seeded):
    mention = "De leden herinneren eraan dat de minister hun een reactie heeft beloofd."
    delivery = "Die reactie geef ik in de volgende alinea's."
    found = reading(mention, "", "Reactie van de minister", delivery).fulfilments
    assert [item.kind for item in found] == ["fulfilled"]
    assert found[0].sentence.startswith(mention)
    assert found[0].sentence.endswith(delivery)


def test_a_debate_report_is_read_for_earlier_promises_outside_its_list(seeded):
    report = """VERSLAG VAN EEN COMMISSIEDEBAT

Vastgesteld 17 juni 2024

De vaste commissie voor Onderwijs heeft op 8 juni 2024 overleg gevoerd met de heer Bruins, \
Minister van Onderwijs, over de leraren.

De minister antwoordt dat die toezegging nog openstaat.

Toezeggingen

De minister zegt toe de Kamer voor het einde van 2024 te informeren over de pabo's.

De voorzitter van de commissie,
Tielen
"""
    found = read_letter(report)
    assert [(f.kind, f.sentence) for f in found.fulfilments] == [
        ("reported", "De minister antwoordt dat die toezegging nog openstaat.")
    ]
    assert [p.kind for p in found.promises] == ["debate-list"]


# --- promises: what the general reading taught the promise rules --------------------------------


def test_a_question_and_an_organisation_named_after_the_country_promise_nothing(seeded):
    vraag = "Vraag 2 Wanneer ontvangt de Kamer de nieuwe planning van de aanbesteding?"
    organisatie = "Bouwend Nederland zegt toe in 2026 duizend extra vakmensen op te leiden."
    assert reading(vraag, organisatie).promises == []
    assert load_rules().analyse(organisatie).clause.role != "government"


# --- issue 24: more general delivery signals, requests by their verb, deliveries done before ---


@pytest.mark.parametrize(
    "sentence",
    [
        # the letter itself as the subject, with any verb in the present tense
        "Deze brief voorziet in de belofte om de Kamer over de kustverdediging te informeren.",
        "De onderhavige brief strekt ertoe mijn toezegging over de jeugdzorg na te komen.",
        # "middels", "via", "met de onderhavige" brief
        "Middels deze brief kom ik de toezegging over de archieven na.",
        "Met de onderhavige notitie doe ik de toezegging over het leenstelsel gestand.",
    ],
)
def test_the_letter_as_subject_or_means_delivers_now(sentence):
    assert kind(sentence) == "fulfilled"


@pytest.mark.parametrize(
    "sentence",
    [
        # a request named by its verb, in the past or as a participle
        "Zoals verzocht door de vaste commissie stuur ik u hierbij de planning van de dijken.",
        "Uw Kamer heeft gevraagd om de cijfers per provincie; die treft u in de bijlage aan.",
        # the member who asked is the subject
        "Het lid Kostić vroeg in het debat naar de dierproeven; de cijfers staan in de bijlage.",
        # a request noun with the Kamer as who asked
        "Hiermee geef ik gehoor aan de oproep van de leden om de regeldruk te meten.",
        "Bijgaand treft u de tabel aan, waarmee ik voldoe aan de wens van uw commissie.",
        # an adverb before the finite verb is no subject
        "Eveneens wordt hiermee voldaan aan het verzoek van de commissie over de musea.",
    ],
)
def test_a_request_named_by_its_verb_or_asker_is_fulfilled_when_delivered(sentence):
    assert kind(sentence) == "fulfilled"


@pytest.mark.parametrize(
    "sentence",
    [
        # asked now, in this exchange; or delivered later
        "De leden vragen de minister om een overzicht van de kosten in de bijlage.",
        "Uw Kamer heeft gevraagd om de cijfers per provincie; die stuur ik u na de zomer.",
    ],
)
def test_a_request_asked_now_or_delivered_later_is_no_fulfilment(sentence):
    assert kind(sentence) is None


def test_a_frame_around_an_earlier_letter_to_the_kamer_is_reported():
    # the main clause tells the Kamer was informed before, by another letter
    told = "Naar aanleiding van het verzoek van het lid Dobbe heb ik u op 4 mei geïnformeerd."
    assert load_rules().read_fulfilment(told).done_before
    assert kind(told) == "reported"
    # the main clause tells what was done, to be reported now
    done = "Naar aanleiding van het verzoek van het lid Dobbe heb ik de wachtlijsten laten tellen."
    assert kind(done) == "fulfilled"


@pytest.mark.parametrize(
    "delivery",
    [
        "Dat doe ik bij dezen.",  # "bij dezen"
        "Deze brief voorziet daarin.",  # the letter as subject, "daarin" refers back
    ],
)
def test_more_deliveries_continue_a_mention(seeded, delivery):
    [item] = reading(EARLIER, delivery).fulfilments
    assert (item.kind, item.sentence) == ("fulfilled", f"{EARLIER} {delivery}")


def test_a_request_by_its_verb_is_what_a_delivery_that_refers_back_answers(seeded):
    asked = "In het debat over de begroting vroeg het lid Eerdmans om de kosten per regio."
    delivery = "Het resultaat daarvan vindt u in paragraaf 2."
    [item] = reading(asked, delivery).fulfilments
    assert (item.kind, item.sentence) == ("fulfilled", f"{asked} {delivery}")


def test_zoals_afgesproken_frames_a_promise():
    sentence = "Zoals in het commissiedebat afgesproken, informeer ik u hieronder over de visserij."
    assert kind(sentence) == "fulfilled"


def test_an_agreement_or_prospect_named_mid_sentence_is_an_earlier_promise():
    # "zoals … afgesproken" after a comma, and "in het vooruitzicht stelde" in the past
    agreed = "De cijfers over de havens heb ik u, zoals in het debat afgesproken, in mei gestuurd."
    assert kind(agreed) == "reported"
    held_out = "Mijn voorganger stelde uw Kamer een reactie op het advies in het vooruitzicht."
    assert kind(held_out) == "reported"


def test_a_partial_delivery_is_a_delivery_though_the_rest_is_not_yet():
    partly = (
        "Aan de toezegging over de musea voldoe ik gedeeltelijk: de bezoekcijfers staan in "
        "bijlage 1, de cijfers over de kosten nog niet."
    )
    assert kind(partly) == "fulfilled"
    assert kind("Aan de toezegging over de musea voldoe ik nog niet.") == "reported"


def test_a_person_or_time_named_before_refers_back(seeded):
    asked = "Het lid Teunissen vroeg mij in het debat naar de natuurherstelplannen."
    delivery = "Bijlage 2 geeft het overzicht dat ik haar toen beloofde."
    [item] = reading(asked, delivery).fulfilments
    assert (item.kind, item.sentence) == ("fulfilled", f"{asked} {delivery}")


def test_a_promise_named_in_the_list_of_enclosures_is_delivered(seeded):
    found = reading(
        "In deze brief schets ik de stand van de bodemsanering.",
        "",
        "Bijlagen:",
        "1.",
        "Het toegezegde overzicht van vervuilde terreinen per provincie.",
        "2.",
        "Het jaarverslag van de saneringsfondsen.",
    ).fulfilments
    assert [(item.kind, item.sentence) for item in found] == [
        ("fulfilled", "Het toegezegde overzicht van vervuilde terreinen per provincie.")
    ]
    assert "Bijlagen" in found[0].reason


def test_the_items_of_an_overview_of_promises_are_read_by_their_state(seeded):
    done = "Lid Kops, debat van 3 maart, kosten van de netten: afgedaan met hoofdstuk 2 hiervan."
    before = "Lid Grinwis, debat van 4 maart, netcongestie: afgedaan met de brief van 1 mei 2024."
    pending = "Lid Kröger, debat van 5 maart, warmtenetten: nog niet afgedaan."
    ours = "Ik streef ernaar de openstaande toezeggingen dit jaar af te doen."
    found = reading(
        "In deze brief schets ik de stand van de energietransitie.",
        "",
        "Overzicht van toezeggingen",
        "",
        done,
        before,
        pending,
        ours,
    ).fulfilments
    assert [(item.kind, item.sentence) for item in found] == [
        ("fulfilled", done),
        ("reported", before),
        ("reported", pending),
    ]
    # outside such a list the same item is about nothing
    assert reading(pending).fulfilments == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the main clause says the motion or promise is kept, by nothing earlier: done now
        (
            "Die motie is uitgevoerd: de gemeenten krijgen sinds mei een extra bijdrage.",
            "fulfilled",
        ),
        (
            "Met de nieuwe subsidieregeling is de motie-Bontenbal over buurtbatterijen uitgevoerd.",
            "fulfilled",
        ),
        # kept before
        ("De motie-Bontenbal over buurtbatterijen is al in 2024 uitgevoerd.", None),
        ("Die toezegging is eerder nagekomen.", "reported"),
    ],
)
def test_a_motion_or_promise_said_kept_in_the_perfect_is_fulfilled_now(sentence, expected):
    assert kind(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # a present form that starts like a participle is still a verb of delivering
        "Aldus geef ik uitvoering aan de motie-Vedder over de boerenbedrijven.",
        # a prospect held out, as a participle before its noun
        "U ontvangt hierbij de in het vooruitzicht gestelde analyse van de boerenbedrijven.",
        # "onderstaand", "hiernavolgend" deliver now
        "In de hiernavolgende alinea's kom ik de toezegging over de boerenbedrijven na.",
        "Onderstaand treft u de toegezegde analyse van de boerenbedrijven aan.",
    ],
)
def test_more_forms_of_delivering_now(sentence):
    assert kind(sentence) == "fulfilled"


def test_a_frame_around_telling_the_kamer_earlier_is_reported():
    told = "Ter uitvoering van de motie-Vijlbrief heb ik u op 2 april gemeld hoe de regeling werkt."
    reading_ = load_rules().read_fulfilment(told)
    assert (reading_.kind, reading_.done_before) == ("reported", True)
