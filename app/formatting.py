"""How dates and other values are shown to people: Dutch, as the Kamer writes them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    gettext,
    lazy_gettext,
)

from app.register.clock import today as today  # views ask formatting, as for every date
from app.register.models import FIELD_LABELS, CommitmentStatus
from app.register.notes import translated_actor, translated_note
from app.register.search import highlight, snippet

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
DATE_HELP = lazy_gettext("Bijvoorbeeld 30-06-2019 of 2019-06-30.")


def parse_date(raw: str) -> dt.date:
    """``30-06-2019``, ``2019-06-30``, ``30/06/2019`` or ``30.06.2019``; ValueError otherwise."""
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    shown = raw.strip()
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    raise ValueError(gettext("%(raw)r is geen datum.", raw=shown) + " " + str(DATE_HELP))


def start_of_day(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the register's time zone, for comparing with timestamps."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(current_app.config["TIMEZONE"]))


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text for a CSV cell: a leading quote on text that a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def long_date(value: dt.date | None) -> str:
    """``2019-06-30`` → "30 juni 2019"."""
    if value is None:
        return ""
    return str(format_date(value, "d MMMM y"))


def long_datetime(value: dt.datetime | None) -> str:
    """A UTC timestamp shown in local time: "11 april 2019 14:05"."""
    if value is None:
        return ""
    return str(format_datetime(value, "d MMMM y HH:mm"))


def init_app(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(long_datetime)
    app.add_template_filter(history_value)
    app.add_template_filter(translated_note, "history_note")
    app.add_template_filter(translated_actor, "history_actor")
    app.add_template_filter(highlight)
    app.add_template_filter(snippet)
    app.add_template_global(today)
    app.add_template_global(format_decimal)  # 1.000 in Dutch, 1,000 in English
    app.add_template_global(lambda: str(get_locale() or "nl"), "current_locale")
    app.jinja_env.globals["field_labels"] = FIELD_LABELS


def history_value(value: str | None, field: str) -> str:
    """A value as kept in history, shown as people read it: labels and Dutch dates."""
    if value is None or value == "":
        return "—"
    if field == "status":
        try:
            return CommitmentStatus(value).label
        except ValueError:
            return value
    if field in {"deadline", "made_on", "fulfilled_on"}:
        try:
            return long_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value
