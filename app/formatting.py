"""How dates and other values are shown to people: Dutch, as the Kamer writes them."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, current_app
from flask_babel import (
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
)
from jinja2 import pass_context, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup

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
    return _long_date(value, str(get_locale() or "nl"))


@functools.lru_cache(maxsize=8192)
def _long_date(value: dt.date, locale: str) -> str:
    """Kept: Babel takes several microseconds a date, and list pages show a date per row."""
    return str(babel_dates.format_date(value, "d MMMM y", locale=locale))


def long_datetime(value: dt.datetime | None) -> str:
    """A UTC timestamp shown in local time: "11 april 2019 14:05"."""
    if value is None:
        return ""
    return str(format_datetime(value, "d MMMM y HH:mm"))


def template_translations() -> dict[str, Any]:
    """``gettext`` and ``ngettext`` for one template render, bound to the catalogue found once
    for it (a context processor: template variables come before Jinja's globals). Flask-Babel's
    own look the catalogue up again for every string (context, domain and locale, several
    microseconds each), which a page with a hundred strings, or a morning of reminder e-mails,
    feels. They behave as Jinja's new-style gettext: the result is markup in autoescaped
    templates, and always a %-format (``num`` for ngettext). They take the evaluation
    context only (whether output is escaped), not the template's context."""
    translations = get_translations()
    translate, translate_plural = translations.ugettext, translations.ungettext

    @pass_eval_context
    def template_gettext(eval_context: EvalContext, string: str, **variables: Any) -> str:
        found: str = translate(string)
        if eval_context.autoescape:
            found = Markup(found)  # noqa: S704  # the project's own catalogue, as in Jinja
        if not variables and "%" not in found:
            return found  # the same as found % {}, which costs Markup more than the lookup
        return found % variables

    @pass_eval_context
    def template_ngettext(
        eval_context: EvalContext, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        found = translate_plural(singular, plural, num)
        if eval_context.autoescape:
            found = Markup(found)  # noqa: S704  # the project's own catalogue, as in Jinja
        return found % variables  # type: ignore[no-any-return]

    labels: dict[CommitmentStatus, str] = {}

    def status_label(status: CommitmentStatus) -> str:
        """A status's label, translated once per render (a list page shows one per row)."""
        found = labels.get(status)
        if found is None:
            found = labels[status] = status.label
        return found

    return {
        # ``_`` too: Jinja's own ``_`` passes the whole context on, and inside a loop Jinja
        # derives a new context for every such call (a reminder e-mail's every line).
        "_": template_gettext,
        "gettext": template_gettext,
        "ngettext": template_ngettext,
        "status_label": status_label,
        "render_locale": str(get_locale() or "nl"),
    }


@pass_context
def long_date_in_template(context: Context, value: dt.date | None) -> str:
    """:func:`long_date` in the language the render started in (a context processor finds it
    once; a morning of reminder e-mails shows a date per promise)."""
    locale = context.get("render_locale")
    if value is None or not locale:
        return long_date(value)
    return _long_date(value, locale)


def init_app(app: Flask) -> None:
    app.context_processor(template_translations)
    app.add_template_filter(long_date_in_template, "long_date")
    app.add_template_filter(long_datetime)
    app.add_template_filter(history_value)
    app.add_template_filter(translated_note, "history_note")
    app.add_template_filter(translated_actor, "history_actor")
    app.add_template_filter(highlight)
    app.add_template_filter(snippet)
    app.add_template_global(today)
    # For macros imported without context; a render's own, kept per render, wins over it.
    app.add_template_global(lambda status: status.label, "status_label")
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
