"""Turn the deadline phrases ministers use into dates (DESIGN §4).

A phrase resolves to the **last day of the period it names**. Without a year the period is the
first one that has not ended on the reference day (the date of the letter or debate), so
"voor de zomer" in a letter of November means next summer. Phrases that name no period
("op korte termijn", "de komende tijd") resolve to nothing: the clerk sets the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.register.recesses import RecessCalendar, default_calendar

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
}
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "1e": 1, "2e": 2, "3e": 3, "4e": 4}

# The same words in English, for clerks who use the English interface (ENGLISH_RULES).
ENGLISH_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
ENGLISH_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
ENGLISH_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4,
                    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}  # fmt: skip
#: Month, number and ordinal words of both languages, as the resolvers look them up.
ALL_MONTHS = {**MONTHS, **ENGLISH_MONTHS}
ALL_NUMBER_WORDS = {**NUMBER_WORDS, **ENGLISH_NUMBER_WORDS}
ALL_ORDINALS = {**ORDINALS, **ENGLISH_ORDINALS}

#: Last day (month, day) of each season as "in het …" uses it; winter ends in the next year.
SEASON_ENDS = {"voorjaar": (6, 20), "lente": (6, 20), "zomer": (9, 22), "najaar": (12, 20),
               "herfst": (12, 20), "winter": (3, 20),
               "spring": (6, 20), "summer": (9, 22), "autumn": (12, 20),
               "fall": (12, 20)}  # fmt: skip
#: Day of the month that "begin", "medio" and "eind" of a month stand for.
PART_OF_MONTH = {"begin": 10, "medio": 15, "half": 15, "midden": 15,
                 "beginning": 10, "start": 10, "early": 10, "mid": 15, "middle": 15}  # fmt: skip
#: The parts of a month that stand for its last day.
END_OF_MONTH = {"eind", "einde", "end", "late"}
#: Last day of the part of a year that "begin", "medio" and "eind" stand for.
PART_OF_YEAR = {"begin": (3, 31), "medio": (7, 31), "half": (7, 31), "midden": (7, 31),
                "eind": (12, 31), "einde": (12, 31),
                "beginning": (3, 31), "start": (3, 31), "early": (3, 31), "mid": (7, 31),
                "middle": (7, 31), "end": (12, 31), "late": (12, 31)}  # fmt: skip
#: The recesses "before the … recess" names, by their Dutch names in the calendar.
RECESS_NAMES = {"voorjaars": "voorjaars", "mei": "mei", "herfst": "herfst",
                "spring": "voorjaars", "may": "mei", "autumn": "herfst"}  # fmt: skip

_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_NUMBER = r"(?P<count>\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# A year, "dit jaar", "volgend jaar" or "het jaar": which year a phrase is about.
_WHICH_YEAR = (
    r"(?:(?:van\s+|in\s+)?(?:het\s+jaar\s+)?"
    + _YEAR
    + r"|(?P<this>(?:van\s+)?dit\s+jaar|van\s+het\s+jaar)"
    r"|(?P<next>(?:van\s+)?volgend(?:e)?\s+jaar))"
)


@dataclass(frozen=True)
class Deadline:
    """A phrase found in a text, the date it stands for, and where it stands."""

    phrase: str
    date: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class _Context:
    reference: dt.date
    recesses: RecessCalendar
    match: re.Match[str]

    def group(self, name: str) -> str | None:
        value = self.match.groupdict().get(name)
        return value.lower() if value else None

    def explicit_year(self) -> int | None:
        if self.group("year"):
            return int(self.group("year") or 0)
        if self.group("this"):
            return self.reference.year
        if self.group("next"):
            return self.reference.year + 1
        return None

    def first_not_passed(self, date_in: Callable[[int], dt.date | None]) -> dt.date | None:
        """``date_in(year)`` for the explicit year, or the first year whose date is not past."""
        year = self.explicit_year()
        if year is not None:
            return date_in(year)
        for candidate in (self.reference.year, self.reference.year + 1):
            date = date_in(candidate)
            if date is not None and date >= self.reference:
                return date
        return None


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _count(text: str | None) -> int:
    if text is None:
        return 1
    return int(text) if text.isdigit() else ALL_NUMBER_WORDS[text]


def _prinsjesdag(year: int) -> dt.date:
    first = dt.date(year, 9, 1)
    first_tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + dt.timedelta(weeks=2)


def _half(ctx: _Context) -> dt.date | None:
    month = 6 if ALL_ORDINALS[ctx.group("which") or "tweede"] == 1 else 12
    return ctx.first_not_passed(lambda year: _last_day(year, month))


def _quarter(ctx: _Context) -> dt.date | None:
    quarter = int(ctx.group("q") or 0) if (ctx.group("q") or "").isdigit() else None
    quarter = quarter or ALL_ORDINALS[ctx.group("ordinal") or "eerste"]
    return ctx.first_not_passed(lambda year: _last_day(year, quarter * 3))


def _part_of_year(ctx: _Context) -> dt.date | None:
    month, day = PART_OF_YEAR[ctx.group("part") or "eind"]
    return ctx.first_not_passed(lambda year: dt.date(year, month, day))


def _part_of_month(ctx: _Context) -> dt.date | None:
    month = ALL_MONTHS[ctx.group("month") or ""]
    part = ctx.group("part") or "eind"
    if part in END_OF_MONTH:
        return ctx.first_not_passed(lambda year: _last_day(year, month))
    return ctx.first_not_passed(lambda year: dt.date(year, month, PART_OF_MONTH[part]))


def _whole_month(ctx: _Context) -> dt.date | None:
    month = ALL_MONTHS[ctx.group("month") or ""]
    return ctx.first_not_passed(lambda year: _last_day(year, month))


def _day_of_month(ctx: _Context) -> dt.date | None:
    month, day = ALL_MONTHS[ctx.group("month") or ""], int(ctx.group("day") or 0)
    before = ctx.group("before") is not None
    shift = dt.timedelta(days=1 if before else 0)

    def date_in(year: int) -> dt.date | None:
        try:
            return dt.date(year, month, day) - shift
        except ValueError:
            return None

    return ctx.first_not_passed(date_in)


def _recess(kind: str) -> Callable[[_Context], dt.date | None]:
    def resolve(ctx: _Context) -> dt.date | None:
        def day_before(year: int) -> dt.date | None:
            start = ctx.recesses.start_of(kind, year)
            return start - dt.timedelta(days=1) if start else None

        return ctx.first_not_passed(day_before)

    return resolve


def _named_recess(ctx: _Context) -> dt.date | None:
    return _recess(RECESS_NAMES[ctx.group("recess") or ""] + "reces")(ctx)


def _season(ctx: _Context) -> dt.date | None:
    season = ctx.group("season") or "zomer"
    month, day = SEASON_ENDS[season]
    offset = 1 if season == "winter" else 0
    return ctx.first_not_passed(lambda year: dt.date(year + offset, month, day))


def _after_summer(ctx: _Context) -> dt.date | None:
    return ctx.first_not_passed(lambda year: dt.date(year, 10, 31))


def _budget_debate(ctx: _Context) -> dt.date | None:
    """The Tweede Kamer debates the budgets in October and November: "voor de
    begrotingsbehandeling" is taken as before November, the earliest of them."""
    return ctx.first_not_passed(lambda year: dt.date(year, 10, 31))


def _year_end(ctx: _Context) -> dt.date | None:
    return ctx.first_not_passed(lambda year: dt.date(year, 12, 31))


def _turn_of_year(ctx: _Context) -> dt.date | None:
    return ctx.first_not_passed(lambda year: dt.date(year + 1, 1, 31))


def _within(ctx: _Context) -> dt.date | None:
    count = _count(ctx.group("count"))
    unit = ctx.group("unit") or "maanden"
    if ctx.group("halfyear"):
        return _add_months(ctx.reference, 6)
    if unit.startswith(("dag", "day")):
        return ctx.reference + dt.timedelta(days=count)
    if unit.startswith("we"):
        return ctx.reference + dt.timedelta(weeks=count)
    if unit.startswith(("maand", "month")):
        return _add_months(ctx.reference, count)
    return _add_months(ctx.reference, 12 * count)


def _prinsjesdag_phrase(ctx: _Context) -> dt.date | None:
    before = ctx.group("before") is not None
    shift = dt.timedelta(days=1 if before else 0)
    return ctx.first_not_passed(lambda year: _prinsjesdag(year) - shift)


def _this_or_next_month(ctx: _Context) -> dt.date | None:
    months = 1 if ctx.group("nextmonth") else 0
    target = _add_months(ctx.reference.replace(day=1), months)
    return _last_day(target.year, target.month)


_BEFORE = r"(?P<before>vóór|voor|voorafgaand\s+aan)\s+"

#: (pattern, resolver); every pattern is searched and the longest match wins.
RULES: list[tuple[str, Callable[[_Context], dt.date | None]]] = [
    (r"(?:in\s+de\s+)?(?P<which>eerste|tweede|1e|2e)\s+helft\s+(?:van\s+)?" + _WHICH_YEAR, _half),
    (r"(?:in\s+de\s+)?(?P<which>eerste|tweede|1e|2e)\s+(?:jaar)?helft\b", _half),
    (r"(?:in\s+het\s+)?(?P<ordinal>eerste|tweede|derde|vierde|1e|2e|3e|4e)\s+kwartaal"
     r"(?:\s+(?:van\s+)?" + _WHICH_YEAR + ")?", _quarter),
    (r"\bQ(?P<q>[1-4])(?:[\s-]+" + _YEAR + ")?", _quarter),
    (r"(?:(?:aan\s+het\s+|in\s+het\s+|tegen\s+het\s+)?(?P<part>begin|medio|half|midden|eind|einde)"
     r"(?:\s+van)?\s+" + _WHICH_YEAR + ")", _part_of_year),
    (r"(?:(?:aan\s+het\s+|in\s+het\s+|tegen\s+het\s+)?(?P<part>begin|medio|half|midden|eind|einde)"
     r"(?:\s+van)?\s+(?:de\s+maand\s+)?" + _MONTH + r"(?:\s+" + _YEAR + ")?)", _part_of_month),
    (r"(?:" + _BEFORE + r"|uiterlijk\s+(?:op\s+)?|op\s+|per\s+)?(?P<day>[0-3]?\d)\s+" + _MONTH
     + r"(?:\s+" + _YEAR + ")?", _day_of_month),
    (r"\b(?:in|voor|vóór|uiterlijk\s+in|in\s+de\s+loop\s+van|gedurende)\s+(?:de\s+maand\s+)?"
     + _MONTH + r"(?:\s+" + _YEAR + ")?", _whole_month),
    (r"(?:vóór|voor)\s+(?:de\s+zomer(?:vakantie)?|het\s+zomerreces)"
     r"(?:\s+(?:van\s+)?" + _YEAR + ")?", _recess("zomerreces")),
    (r"(?:vóór|voor)\s+(?:het\s+kerstreces|de\s+kerst(?:vakantie)?|kerst)(?:\s+(?:van\s+)?" + _YEAR
     + ")?", _recess("kerstreces")),
    (r"(?:vóór|voor)\s+het\s+(?P<recess>voorjaars|mei|herfst)reces(?:\s+(?:van\s+)?" + _YEAR + ")?",
     _named_recess),
    (r"(?:direct\s+|kort\s+)?na\s+(?:de\s+zomer(?:vakantie)?|het\s+zomerreces)"
     r"(?:\s+(?:van\s+)?" + _YEAR + ")?", _after_summer),
    (r"(?:in\s+het\s+|in\s+de\s+|dit\s+|deze\s+|komend(?:e)?\s+)?(?P<season>voorjaar|lente|zomer|najaar"
     r"|herfst|winter)(?:\s+(?:van\s+)?" + _YEAR + ")?", _season),
    (r"(?:vóór|voor)\s+(?:het\s+)?(?:einde?\s+van\s+(?:het|dit)\s+jaar|jaareinde)", _year_end),
    (r"(?:vóór|voor)\s+(?:de\s+)?begrotingsbehandeling(?:en)?(?:\s+(?:van\s+)?" + _YEAR + ")?",
     _budget_debate),
    (r"(?:(?:later\s+|nog\s+|in\s+de\s+loop\s+van\s+)" + _WHICH_YEAR + ")", _year_end),
    (r"\bin\s+" + _YEAR + r"\b", _year_end),
    (r"(?:rond|bij|voor|vóór|na)\s+de\s+jaarwisseling", _turn_of_year),
    (r"binnen\s+(?:(?P<halfyear>een\s+half\s+jaar)|"
     + _NUMBER + r"\s+(?P<unit>dag(?:en)?|we(?:ek|ken)|maand(?:en)?|jaar|jaren))", _within),
    (r"(?:" + _BEFORE + r"|rond\s+|bij\s+|met\s+|op\s+)?Prinsjesdag(?:\s+" + _YEAR + ")?",
     _prinsjesdag_phrase),
    (r"(?:voor\s+het\s+einde\s+van\s+|eind\s+|in\s+)?(?:deze\s+maand|(?P<nextmonth>volgende\s+maand))",
     _this_or_next_month),
]  # fmt: skip

_EN_MONTH = "(?P<month>" + "|".join(ENGLISH_MONTHS) + ")"
_EN_NUMBER = r"(?P<count>\d{1,3}|" + "|".join(ENGLISH_NUMBER_WORDS) + ")"
_EN_WHICH_YEAR = (
    r"(?:(?:of\s+|in\s+)?(?:the\s+year\s+)?"
    + _YEAR
    + r"|(?P<this>(?:of\s+)?this\s+year|of\s+the\s+year)"
    r"|(?P<next>(?:of\s+)?next\s+year))"
)
_EN_PART = (
    r"(?:(?:at\s+the\s+|by\s+the\s+|in\s+the\s+|towards\s+the\s+)?"
    r"(?P<part>beginning|start|early|mid|middle|end|late)(?:\s+of\s+|\s+|-))"
)
_EN_BREAK = r"(?:\s+(?:recess|holidays?|break|vacation))?"

#: The same phrases in English, resolved by the same rules to the same dates: "before the
#: summer" is "voor de zomer". Used besides RULES where the interface is English.
ENGLISH_RULES: list[tuple[str, Callable[[_Context], dt.date | None]]] = [
    (r"(?:in\s+the\s+)?(?P<which>first|second|1st|2nd)\s+half\s+(?:of\s+)?" + _EN_WHICH_YEAR,
     _half),
    (r"(?:in\s+the\s+)?(?P<which>first|second|1st|2nd)\s+half(?:\s+of\s+the\s+year)?\b", _half),
    (r"(?:in\s+the\s+)?(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
     r"(?:\s+(?:of\s+)?" + _EN_WHICH_YEAR + ")?", _quarter),
    (r"\bQ(?P<q>[1-4])(?:[\s-]+" + _YEAR + ")?", _quarter),
    (_EN_PART + _EN_WHICH_YEAR, _part_of_year),
    (_EN_PART + r"(?:the\s+month\s+of\s+)?" + _EN_MONTH + r"(?:,?\s+" + _YEAR + ")?",
     _part_of_month),
    (r"(?:(?P<before>before)\s+|by\s+|no\s+later\s+than\s+|on\s+)?(?:the\s+)?"
     r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _EN_MONTH + r"(?:,?\s+" + _YEAR + ")?",
     _day_of_month),
    (r"(?:(?P<before>before)\s+|by\s+|no\s+later\s+than\s+|on\s+)?" + _EN_MONTH
     + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+" + _YEAR + ")?", _day_of_month),
    (r"\b(?:in|before|by|during|in\s+the\s+course\s+of)\s+(?:the\s+month\s+of\s+)?"
     + _EN_MONTH + r"(?:\s+" + _YEAR + ")?", _whole_month),
    (r"(?:before|by)\s+(?:the\s+)?summer" + _EN_BREAK + r"(?:\s+(?:of\s+)?" + _YEAR + ")?",
     _recess("zomerreces")),
    (r"(?:before|by)\s+(?:the\s+)?christmas" + _EN_BREAK + r"(?:\s+(?:of\s+)?" + _YEAR + ")?",
     _recess("kerstreces")),
    (r"(?:before|by)\s+the\s+(?P<recess>spring|may|autumn)\s+recess(?:\s+(?:of\s+)?" + _YEAR
     + ")?", _named_recess),
    (r"(?:directly\s+|shortly\s+|right\s+|just\s+)?after\s+(?:the\s+)?summer" + _EN_BREAK
     + r"(?:\s+(?:of\s+)?" + _YEAR + ")?", _after_summer),
    (r"(?:in\s+the\s+|in\s+|this\s+|next\s+|during\s+the\s+)?(?P<season>spring|summer|autumn"
     r"|winter)(?:\s+(?:of\s+)?" + _YEAR + ")?", _season),
    (r"(?:in\s+the\s+|this\s+|next\s+)(?P<season>fall)(?:\s+(?:of\s+)?" + _YEAR + ")?", _season),
    (r"(?:before|by)\s+the\s+end\s+of\s+(?:the|this)\s+year|(?:before|by)\s+(?:the\s+)?"
     r"year[\s-]end", _year_end),
    (r"(?:(?:later\s+|in\s+the\s+course\s+of\s+|during\s+)" + _EN_WHICH_YEAR + ")", _year_end),
    (r"\bin\s+" + _YEAR + r"\b", _year_end),
    (r"(?:around|at|before|after|by)\s+the\s+turn\s+of\s+the\s+year", _turn_of_year),
    (r"within\s+(?:(?P<halfyear>half\s+a\s+year)|"
     + _EN_NUMBER + r"\s+(?P<unit>days?|weeks?|months?|years?))", _within),
    (r"(?:(?P<before>before)\s+|around\s+|at\s+|on\s+|by\s+)?(?:Prinsjesdag|Budget\s+Day)"
     r"(?:\s+" + _YEAR + ")?", _prinsjesdag_phrase),
    (r"(?:before\s+the\s+end\s+of\s+|by\s+the\s+end\s+of\s+|end\s+of\s+|later\s+)?"
     r"(?:this\s+month|(?P<nextmonth>next\s+month))", _this_or_next_month),
]  # fmt: skip

#: The rules per language of the interface. Dutch phrases are understood in every language
#: (ministers speak Dutch); English ones where the interface is English.
_COMPILED = {
    "nl": [(re.compile(pattern, re.IGNORECASE), resolve) for pattern, resolve in RULES],
    "en": [
        (re.compile(pattern, re.IGNORECASE), resolve)
        for pattern, resolve in [*RULES, *ENGLISH_RULES]
    ],
}


def find_deadline(
    text: str, reference: dt.date, recesses: RecessCalendar | None = None, language: str = "nl"
) -> Deadline | None:
    """The first deadline phrase in ``text`` and its date, relative to ``reference``."""
    found = find_deadlines(text, reference, recesses, language)
    return found[0] if found else None


def find_deadlines(
    text: str, reference: dt.date, recesses: RecessCalendar | None = None, language: str = "nl"
) -> list[Deadline]:
    """Every resolvable deadline phrase in ``text``, in order, without overlaps. ``language``
    "en" understands English phrases as well as Dutch ones."""
    recesses = recesses or default_calendar()
    candidates: list[Deadline] = []
    for pattern, resolve in _COMPILED.get(language, _COMPILED["nl"]):
        for match in pattern.finditer(text):
            if not _on_word_boundaries(text, match):
                continue
            try:
                date = resolve(_Context(reference, recesses, match))
            except (ValueError, OverflowError, KeyError):
                date = None
            if date is not None:
                phrase = " ".join(match.group(0).split())
                candidates.append(Deadline(phrase, date, match.start(), match.end()))
    candidates.sort(key=lambda found: (found.start, -(found.end - found.start)))
    chosen: list[Deadline] = []
    for candidate in candidates:
        if chosen and candidate.start < chosen[-1].end:
            continue
        chosen.append(candidate)
    return chosen


def resolve_phrase(
    phrase: str, reference: dt.date, recesses: RecessCalendar | None = None, language: str = "nl"
) -> dt.date | None:
    """The date a phrase such as "voor de zomer" stands for, or None when it names no period."""
    found = find_deadline(phrase, reference, recesses, language)
    return found.date if found else None


def _on_word_boundaries(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not (before.isalnum() or after.isalnum())
