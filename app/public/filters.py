"""Turn query-string parameters into a :class:`CommitmentFilter`, with clear error messages.

Pages use Dutch parameter names (``ministerie``, ``te_laat`` …), the API English ones
(``ministry``, ``overdue`` …); both mean the same filters, so a filtered page and its export
or API call always agree. The API takes the pages' names too (``api_arguments``) and refuses
names it does not know (``check_parameters``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.extensions import LANGUAGES
from app.formatting import parse_date
from app.inputs import parse_id
from app.register.models import CommitmentStatus
from app.register.queries import (
    CURSOR_ORDERS,
    SORT_ORDERS,
    CommitmentFilter,
    Position,
    position_from_values,
)


class FilterError(ValueError):
    """A query-string value the register does not understand; the message is for the user."""


@dataclass(frozen=True)
class ParameterNames:
    """What each filter is called in a URL."""

    status: str
    ministry: str
    committee: str
    official: str
    requested_by: str
    deadline_from: str
    deadline_to: str
    made_from: str
    made_to: str
    overdue: str
    search: str
    sort: str
    #: Sort keys as the URL spells them → the register's SORT_ORDERS.
    sort_values: Mapping[str, str]
    #: Cursors: the page after, or before, the row the cursor names (encode_cursor).
    after: str
    before: str


PAGE_PARAMETERS = ParameterNames(
    status="status",
    ministry="ministerie",
    committee="commissie",
    official="bewindspersoon",
    requested_by="gevraagd_door",
    deadline_from="deadline_van",
    deadline_to="deadline_tot",
    made_from="gedaan_van",
    made_to="gedaan_tot",
    overdue="te_laat",
    search="q",
    sort="sorteer",
    sort_values={
        "deadline": "deadline",
        "gedaan_op": "made_on",
        "nummer": "number",
        "relevantie": "relevance",
    },
    after="na",
    before="voor",
)
API_PARAMETERS = ParameterNames(
    status="status",
    ministry="ministry",
    committee="committee",
    official="official",
    requested_by="requested_by",
    deadline_from="deadline_from",
    deadline_to="deadline_to",
    made_from="made_from",
    made_to="made_to",
    overdue="overdue",
    search="q",
    sort="sort",
    sort_values={order: order for order in SORT_ORDERS},
    after="after",
    before="before",
)

#: The website's parameter names the API takes as well (``ministerie=JenV``), so an address
#: copied from a page works there too: website name → API name.
WEBSITE_NAMES = {
    getattr(PAGE_PARAMETERS, field.name): getattr(API_PARAMETERS, field.name)
    for field in dataclasses.fields(ParameterNames)
    if field.name != "sort_values"
    and getattr(PAGE_PARAMETERS, field.name) != getattr(API_PARAMETERS, field.name)
}
#: Filters that take several values: a website name and an API name may be given together.
LIST_FILTERS = {"status", "ministry", "committee", "official"}
#: Every parameter the list in the API knows, by its API name.
API_LIST_PARAMETERS = frozenset(
    {
        getattr(API_PARAMETERS, field.name)
        for field in dataclasses.fields(ParameterNames)
        if field.name != "sort_values"
    }
    | {"page", "per_page", "lang"}
)

TRUE_VALUES = {"1", "true", "ja", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "nee", "no", "off"}

#: The highest page anyone can ask for: 100,000 pages of 25 are 2.5 million promises, far more
#: than the register holds; a higher number is refused rather than sent to the database, where
#: its offset could overflow.
MAX_PAGE = 100_000
#: The longest search text, and the longest "gevraagd door" filter.
MAX_SEARCH_LENGTH = 200
#: The most values one filter takes (``?ministerie=JenV,BZ,…``).
MAX_VALUES = 100
#: How much of a refused value an error message repeats.
SHOWN_LENGTH = 40

#: The longest cursor accepted: a real one is well under 200 characters.
MAX_CURSOR_LENGTH = 300
#: A cursor's characters: base64 for URLs, without padding.
_CURSOR = re.compile(r"[A-Za-z0-9_-]+")

#: A whole number as a URL may write it: ASCII digits, perhaps with a zero fraction ("10.0"),
#: which JSON Schema also counts as an integer.
_WHOLE_NUMBER = re.compile(r"(?P<digits>[0-9]+)(?:\.0+)?")


def parse_filters(args: MultiDict[str, str], names: ParameterNames) -> CommitmentFilter:
    """Read every filter; statuses, ministries, committees and officials may repeat."""
    statuses = []
    for value in _values(args, names.status):
        try:
            statuses.append(CommitmentStatus(value))
        except ValueError:
            allowed = ", ".join(status.value for status in CommitmentStatus)
            raise FilterError(
                _(
                    "Onbekende status %(value)r; kies uit %(allowed)s.",
                    value=_cut(value),
                    allowed=allowed,
                )
            ) from None
    overdue = args.get(names.overdue, "").strip().lower()
    if overdue not in TRUE_VALUES | FALSE_VALUES:
        raise FilterError(
            _(
                "%(overdue_param)s moet 1 of 0 zijn, niet %(overdue)r.",
                overdue_param=names.overdue,
                overdue=_cut(overdue),
            )
        )
    return CommitmentFilter(
        statuses=tuple(statuses),
        ministry_codes=tuple(_values(args, names.ministry)),
        committee_ids=_ids(args, names.committee),
        official_ids=_ids(args, names.official),
        requested_by=_text(args, names.requested_by),
        deadline_from=_date(args, names.deadline_from),
        deadline_to=_date(args, names.deadline_to),
        made_from=_date(args, names.made_from),
        made_to=_date(args, names.made_to),
        overdue_only=overdue in TRUE_VALUES,
        search=_text(args, names.search),
        sort=_sort(args, names),
    )


def check_parameters(args: MultiDict[str, str], known: frozenset[str]) -> None:
    """Refuse a parameter the endpoint does not know, by name: a misspelt filter must not be
    silently ignored (``ministery=JenV`` would otherwise list every promise)."""
    for name in args:
        if name not in known:
            raise FilterError(
                _(
                    "Onbekende parameter %(name)r; dit adres kent %(known)s.",
                    name=_cut(name),
                    known=", ".join(sorted(known)) or "-",
                )
            )
    language = args.get("lang")
    if language is not None and language not in LANGUAGES:
        raise FilterError(
            _(
                "lang kent alleen %(allowed)s, niet %(raw)r.",
                allowed=", ".join(LANGUAGES),
                raw=_cut(language),
            )
        )


def api_arguments(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The list's parameters under their API names: the website's names (WEBSITE_NAMES) and
    sort keys (``sorteer=-gedaan_op``) are translated, anything unknown is refused. A filter
    given under both names is refused unless it takes several values."""
    check_parameters(args, API_LIST_PARAMETERS | frozenset(WEBSITE_NAMES))
    for website, api in WEBSITE_NAMES.items():
        if website in args and api in args and api not in LIST_FILTERS:
            raise FilterError(
                _("Geef %(api)s of %(website)s, niet allebei.", api=api, website=website)
            )
    sort_keys = {key: order for key, order in PAGE_PARAMETERS.sort_values.items() if key != order}
    translated: MultiDict[str, str] = MultiDict()
    for name, value in args.items(multi=True):
        if name == PAGE_PARAMETERS.sort:
            descending = value.strip().startswith("-")
            key = value.strip().removeprefix("-")
            if key in sort_keys:
                value = f"-{sort_keys[key]}" if descending else sort_keys[key]
        translated.add(WEBSITE_NAMES.get(name, name), value)
    return translated


def parse_page(
    args: MultiDict[str, str],
    name: str = "page",
    default: int = 1,
    *,
    maximum: int = MAX_PAGE,
    clamp: bool = False,
) -> int:
    """A positive whole number in ASCII digits (``10.0`` too), ``default`` when not given.
    Above ``maximum`` it is refused, or with ``clamp`` taken as the maximum (a page size)."""
    raw = args.get(name, "").strip()
    if not raw:
        return default
    number = _WHOLE_NUMBER.fullmatch(raw)
    digits = number["digits"].lstrip("0") if number else ""
    if not digits:
        raise FilterError(
            _(
                "%(name)s moet een positief geheel getal zijn, niet %(raw)r.",
                name=name,
                raw=_cut(raw),
            )
        )
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        if clamp:
            return maximum
        raise FilterError(
            _(
                "%(name)s is hoogstens %(max)s, niet %(raw)r.",
                name=name,
                max=maximum,
                raw=_cut(raw),
            )
        )
    return int(digits)


def ticked_values(args: MultiDict[str, str], names: ParameterNames) -> dict[str, frozenset[Any]]:
    """What the filter bar shows ticked, per multiple-choice filter (status, ministry,
    committee, official), in the URL's spelling: the same values parse_filters reads, and
    also when another parameter is wrong, so the bar shows what the visitor chose."""

    def ids(name: str) -> frozenset[int]:
        found = (parse_id(part) for part in _listed(args, name))
        return frozenset(value for value in found if value is not None)

    return {
        names.status: frozenset(_listed(args, names.status)),
        names.ministry: frozenset(_listed(args, names.ministry)),
        names.committee: ids(names.committee),
        names.official: ids(names.official),
    }


def chosen_counts(args: MultiDict[str, str], names: ParameterNames) -> dict[str, int]:
    """How many values each filter has in the URL, by its URL name (each value of a
    comma-separated list counted): the count beside a closed section of the filter bar."""
    counted = {}
    for part in dataclasses.fields(names):
        if part.name in {"sort", "sort_values", "after", "before"}:
            continue
        name = getattr(names, part.name)
        counted[name] = sum(1 for value in _listed(args, name) if value)
    return counted


def _cut(raw: str) -> str:
    """A refused value as an error message repeats it: cut when long."""
    return raw if len(raw) <= SHOWN_LENGTH else raw[:SHOWN_LENGTH] + "…"


def _text(args: MultiDict[str, str], name: str) -> str:
    raw = args.get(name, "")
    if len(raw) > MAX_SEARCH_LENGTH:
        raise FilterError(
            _("%(name)s is hoogstens %(max)s tekens.", name=name, max=MAX_SEARCH_LENGTH)
        )
    return raw.strip()


def _values(args: MultiDict[str, str], name: str) -> list[str]:
    """Accept both ``?status=a&status=b`` and ``?status=a,b``; drop empties. At most
    MAX_VALUES, empty ones included: each becomes a parameter of one query, and databases limit
    their number."""
    parts = _listed(args, name)
    if len(parts) > MAX_VALUES:
        raise FilterError(
            _("Geef hoogstens %(max)s waarden voor %(name)s.", max=MAX_VALUES, name=name)
        )
    return [part for part in parts if part]


def _listed(args: MultiDict[str, str], name: str) -> list[str]:
    """Every value of ``name``, ``?status=a&status=b`` and ``?status=a,b`` alike, stripped,
    empty ones included."""
    return [part.strip() for raw in args.getlist(name) for part in raw.split(",")]


def _ids(args: MultiDict[str, str], name: str) -> tuple[int, ...]:
    ids = []
    for value in _values(args, name):
        found = parse_id(value)
        if found is None:
            raise FilterError(
                _("%(name)s moet een nummer zijn, niet %(raw)r.", name=name, raw=_cut(value))
            )
        ids.append(found)
    return tuple(ids)


def _date(args: MultiDict[str, str], name: str) -> dt.date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError as error:
        raise FilterError(f"{name}: {error}") from None


def _sort(args: MultiDict[str, str], names: ParameterNames) -> str:
    raw = args.get(names.sort, "").strip()
    if not raw:
        return ""
    descending = raw.startswith("-")
    key = names.sort_values.get(raw.removeprefix("-"))
    if key is None:
        allowed = ", ".join(names.sort_values)
        raise FilterError(
            _("Onbekende sortering %(raw)r; kies uit %(allowed)s.", raw=raw, allowed=allowed)
        )
    return f"-{key}" if descending else key


def encode_cursor(position: Position) -> str:
    """An opaque, URL-safe cursor for ``position``: base64 of a small JSON object."""
    values = [
        value.isoformat() if isinstance(value, dt.date) else value for value in position.values
    ]
    data = json.dumps({"o": position.order, "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def parse_cursor(args: MultiDict[str, str], name: str, order: str) -> Position | None:
    """The position the cursor in ``name`` points at, None when not given. The cursor must
    have been made for ``order`` (the list's order, one of CURSOR_ORDERS); anything else is a
    FilterError, never a server error."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if order not in CURSOR_ORDERS:
        raise FilterError(
            _(
                "Bij sorteren op relevantie gaat de lijst per paginanummer (page), niet met "
                "%(name)s.",
                name=name,
            )
        )
    try:
        if len(raw) > MAX_CURSOR_LENGTH or not _CURSOR.fullmatch(raw):
            raise ValueError(raw)
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(data, dict) or set(data) != {"o", "v"}:
            raise ValueError(data)
        position = position_from_values(data["o"], data["v"])
    except (ValueError, TypeError, binascii.Error, RecursionError):
        raise FilterError(
            _(
                "%(name)s is geen geldige verwijzing naar een pagina; begin opnieuw bij de "
                "eerste pagina.",
                name=name,
            )
        ) from None
    if position.order != order:
        raise FilterError(
            _(
                "%(name)s hoort bij een andere sortering; begin opnieuw bij de eerste pagina.",
                name=name,
            )
        )
    return position


def parse_cursors(
    args: MultiDict[str, str], names: ParameterNames, order: str
) -> tuple[Position | None, Position | None]:
    """The after and before cursors; at most one of them, and not with ``page``."""
    after, before = names.after, names.before
    given = [name for name in (after, before, "page") if args.get(name, "").strip()]
    if len(given) > 1:
        raise FilterError(_("Geef hoogstens één van %(names)s.", names=", ".join(given)))
    return parse_cursor(args, after, order), parse_cursor(args, before, order)


def link_arguments(
    args: MultiDict[str, str], names: ParameterNames, *extra: str
) -> dict[str, list[str]]:
    """The query parameters a link to another page of the same list repeats: the filters, the
    order, ``extra`` names and the language; not the position, and nothing unknown (a
    parameter called ``endpoint`` or ``_external`` would be taken by url_for itself)."""
    kept = {
        getattr(names, field.name)
        for field in dataclasses.fields(names)
        if field.name not in {"sort_values", "after", "before"}
    }
    kept.update(extra, {"lang"})
    return {key: values for key, values in args.to_dict(flat=False).items() if key in kept}
