"""Deadline phrases resolve to the last day of the period they name (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.register.deadlines import find_deadline, find_deadlines, resolve_phrase
from app.register.recesses import (
    RecessCalendar,
    christmas_recess_rule,
    default_calendar,
    summer_recess_rule,
)

LETTER_OF_2019 = dt.date(2019, 1, 15)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("eerste helft van 2019", "2019-06-30"),
        ("tweede helft van 2019", "2019-12-31"),
        ("Q1 2020", "2020-03-31"),
        ("eerste kwartaal van 2020", "2020-03-31"),
        ("in het derde kwartaal", "2019-09-30"),
        ("begin 2020", "2020-03-31"),
        ("medio 2020", "2020-07-31"),
        ("eind 2020", "2020-12-31"),
        ("medio maart", "2019-03-15"),
        ("begin maart", "2019-03-10"),
        ("eind maart", "2019-03-31"),
        ("in maart", "2019-03-31"),
        ("voor 1 april", "2019-03-31"),
        ("vóór 1 april", "2019-03-31"),
        ("uiterlijk 1 april 2019", "2019-04-01"),
        ("voor de zomer", "2019-07-04"),
        ("voor het zomerreces", "2019-07-04"),
        ("na de zomer", "2019-10-31"),
        ("in het najaar", "2019-12-20"),
        ("in het voorjaar", "2019-06-20"),
        ("voor het kerstreces", "2019-12-19"),
        ("voor het einde van het jaar", "2019-12-31"),
        ("later dit jaar", "2019-12-31"),
        ("in 2020", "2020-12-31"),
        ("binnen drie maanden", "2019-04-15"),
        ("binnen zes weken", "2019-02-26"),
        ("binnen 10 dagen", "2019-01-25"),
        ("binnen een half jaar", "2019-07-15"),
        ("Prinsjesdag", "2019-09-17"),
        ("voor Prinsjesdag", "2019-09-16"),
        ("rond de jaarwisseling", "2020-01-31"),
        ("Voor De Zomer", "2019-07-04"),
    ],
)
def test_design_phrases(phrase, expected):
    assert resolve_phrase(phrase, LETTER_OF_2019) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("phrase", "made_on", "expected"),
    [
        ("voor de zomer", dt.date(2019, 11, 20), "2020-07-02"),
        ("medio maart", dt.date(2019, 4, 11), "2020-03-15"),
        ("Prinsjesdag", dt.date(2019, 10, 1), "2020-09-15"),
        ("in het najaar", dt.date(2019, 12, 21), "2020-12-20"),
        ("binnen drie maanden", dt.date(2019, 11, 30), "2020-02-29"),
    ],
)
def test_phrases_without_a_year_look_forward(phrase, made_on, expected):
    assert resolve_phrase(phrase, made_on) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    "phrase", ["de komende tijd", "op korte termijn", "zo spoedig mogelijk", "", "binnenkort"]
)
def test_phrases_that_name_no_period_resolve_to_nothing(phrase):
    assert resolve_phrase(phrase, LETTER_OF_2019) is None


def test_the_phrase_is_found_inside_a_sentence_with_its_position():
    sentence = "Een nieuwe Nederlandse hervestigingsmissie is voorzien in de eerste helft van 2019."
    found = find_deadline(sentence, dt.date(2019, 4, 11))
    assert found.date == dt.date(2019, 6, 30)
    assert sentence[found.start : found.end] == "in de eerste helft van 2019"


def test_words_inside_other_words_are_not_phrases():
    assert find_deadlines("Het zomerreces-overleg en de winterbanden", LETTER_OF_2019) == []


def test_recess_rule_matches_every_published_start():
    calendar = default_calendar()
    for recess in calendar.recesses:
        if recess.kind == "zomerreces":
            assert summer_recess_rule(recess.start.year) == recess.start
        if recess.kind == "kerstreces":
            assert christmas_recess_rule(recess.start.year) == recess.start


def test_a_recess_calendar_file_overrides_the_rule(tmp_path: Path):
    path = tmp_path / "recesses.csv"
    path.write_text("reces,start,end\nzomerreces 2019,2019-07-12,2019-09-02\n", encoding="utf-8")
    calendar = RecessCalendar.from_csv(path)
    assert resolve_phrase("voor de zomer", LETTER_OF_2019, calendar) == dt.date(2019, 7, 11)


def test_a_broken_recess_calendar_is_reported(tmp_path: Path):
    path = tmp_path / "recesses.csv"
    path.write_text("reces,start,end\nzomerreces,juli,september\n", encoding="utf-8")
    with pytest.raises(ValueError, match="geen geldige receskalender"):
        RecessCalendar.from_csv(path)


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
FORWARD_PHRASES = [
    "voor de zomer",
    "na de zomer",
    "in het najaar",
    "in het voorjaar",
    "voor het kerstreces",
    "voor het einde van het jaar",
    "medio maart",
    "eind juni",
    "begin september",
    "in oktober",
    "voor 1 april",
    "binnen zes weken",
    "binnen drie maanden",
    "Prinsjesdag",
    "in het tweede kwartaal",
    "in de tweede helft",
    "rond de jaarwisseling",
]


@settings(max_examples=300, deadline=None)
@given(phrase=st.sampled_from(FORWARD_PHRASES), made_on=dates)
def test_forward_looking_phrases_never_resolve_into_the_past(phrase, made_on):
    resolved = resolve_phrase(phrase, made_on)
    assert resolved is not None
    assert resolved >= made_on


@settings(max_examples=500, deadline=None)
@given(text=st.text(), made_on=dates)
def test_no_input_raises(text, made_on):
    for language in ("nl", "en"):
        for found in find_deadlines(text, made_on, language=language):
            assert text[found.start : found.end].split() == found.phrase.split()


#: English phrases and the Dutch ones they mean (issue 14, item 8): the same date for both.
ENGLISH_AND_DUTCH = [
    ("before the summer", "voor de zomer"),
    ("before the summer recess", "voor het zomerreces"),
    ("Before The Summer", "voor de zomer"),
    ("before the summer of 2021", "voor de zomer van 2021"),
    ("after the summer", "na de zomer"),
    ("in the first quarter of 2027", "in het eerste kwartaal van 2027"),
    ("in the third quarter", "in het derde kwartaal"),
    ("Q1 2020", "Q1 2020"),
    ("first half of 2019", "eerste helft van 2019"),
    ("in the second half", "in de tweede helft"),
    ("by the end of this year", "eind dit jaar"),
    ("before the end of the year", "voor het einde van het jaar"),
    ("later this year", "later dit jaar"),
    ("early next year", "begin volgend jaar"),
    ("mid 2027", "medio 2027"),
    ("mid-2027", "medio 2027"),
    ("end of 2020", "eind 2020"),
    ("early June", "begin juni"),
    ("mid-March", "medio maart"),
    ("end of June", "eind juni"),
    ("in June", "in juni"),
    ("before 1 June", "voor 1 juni"),
    ("by June 1", "uiterlijk 1 juni"),
    ("no later than 1st April 2019", "uiterlijk 1 april 2019"),
    ("in the autumn", "in het najaar"),
    ("in the spring", "in het voorjaar"),
    ("before Christmas", "voor kerst"),
    ("before the Christmas recess", "voor het kerstreces"),
    ("in 2020", "in 2020"),
    ("within six weeks", "binnen zes weken"),
    ("within 10 days", "binnen 10 dagen"),
    ("within three months", "binnen drie maanden"),
    ("within half a year", "binnen een half jaar"),
    ("within two years", "binnen twee jaar"),
    ("before Budget Day", "voor Prinsjesdag"),
    ("before Prinsjesdag", "voor Prinsjesdag"),
    ("on Budget Day", "op Prinsjesdag"),
    ("around the turn of the year", "rond de jaarwisseling"),
    ("next month", "volgende maand"),
    ("this month", "deze maand"),
]


@pytest.mark.parametrize(("english", "dutch"), ENGLISH_AND_DUTCH)
@pytest.mark.parametrize("made_on", [LETTER_OF_2019, dt.date(2019, 4, 11), dt.date(2019, 11, 20)])
def test_english_phrases_mean_what_the_dutch_ones_mean(english, dutch, made_on):
    expected = resolve_phrase(dutch, made_on)
    assert expected is not None
    assert resolve_phrase(english, made_on, language="en") == expected


def test_english_phrases_are_found_in_english_sentences():
    sentence = "We will inform the House before the summer recess about the outcome."
    found = find_deadline(sentence, dt.date(2019, 4, 11), language="en")
    assert found is not None
    assert sentence[found.start : found.end] == "before the summer recess"
    assert found.date == dt.date(2019, 7, 4)


@pytest.mark.parametrize(
    "phrase", ["as soon as possible", "shortly", "in the coming period", "soon", "we may"]
)
def test_english_phrases_that_name_no_period_resolve_to_nothing(phrase):
    assert resolve_phrase(phrase, LETTER_OF_2019, language="en") is None


def test_dutch_phrases_are_understood_in_english_and_english_only_there():
    """Ministers speak Dutch, so an English interface still reads their words; a Dutch one
    reads no English (a letter's "in may" is not a month)."""
    assert resolve_phrase("voor de zomer", LETTER_OF_2019, language="en") == dt.date(2019, 7, 4)
    assert resolve_phrase("before the summer", LETTER_OF_2019) is None


@settings(max_examples=300, deadline=None)
@given(pair=st.sampled_from(ENGLISH_AND_DUTCH), made_on=dates)
def test_english_phrases_agree_with_dutch_on_any_day(pair, made_on):
    english, dutch = pair
    assert resolve_phrase(english, made_on, language="en") == resolve_phrase(dutch, made_on)
