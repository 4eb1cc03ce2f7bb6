"""The load test's pure parts (benchmarks/load.py): reading a page's forms and links, and
checking afterwards that no acknowledged save was lost. Tested in tests/test_loadcheck.py."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class HtmlForm:
    """A form as a browser would submit it: its action, method and the values it holds."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    submits: list[tuple[str, str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.next_links: list[str] = []
        self._form: HtmlForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._option: str | None = None
        self._option_text: list[str] = []
        self._option_selected = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "a" and values.get("rel") == "next" and values.get("href"):
            self.next_links.append(values["href"])
        if tag == "form":
            self._form = HtmlForm(values.get("action", ""), values.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = values.get("name")
        if tag == "input" and name:
            kind = values.get("type", "text").lower()
            if kind in {"submit", "button", "image"}:
                form.submits.append((name, values.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                if "checked" in values:
                    form.fields[name] = values.get("value", "on")
            else:
                form.fields[name] = values.get("value", "")
        elif tag == "button" and name and values.get("type", "submit") == "submit":
            form.submits.append((name, values.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select is not None:
            self._option = values.get("value")
            self._option_text = []
            self._option_selected = "selected" in values

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None or self._select is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "form":
            self._form = None
        elif form is None:
            return
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline browsers drop right after <textarea>.
            form.fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None
        elif tag == "option" and self._select is not None:
            self._close_option(form)
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option(form)
            if self._select not in form.fields and self._select_first is not None:
                form.fields[self._select] = self._select_first
            self._select = None

    def _close_option(self, form: HtmlForm) -> None:
        assert self._select is not None
        value = self._option if self._option is not None else "".join(self._option_text).strip()
        if self._select_first is None:
            self._select_first = value
        if self._option_selected:
            form.fields[self._select] = value
        self._option = None
        self._option_selected = False


def parse_page(html: str) -> tuple[list[HtmlForm], list[str]]:
    """The page's forms and its rel="next" links."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.forms, parser.next_links


def form_with(forms: Iterable[HtmlForm], field_name: str) -> HtmlForm | None:
    """The first POST form that has a field of this name."""
    for form in forms:
        if form.method == "post" and field_name in form.fields:
            return form
    return None


# Checking saves -------------------------------------------------------------------------


@dataclass(frozen=True)
class Save:
    """One acknowledged save: the server answered the POST with a redirect."""

    number: str
    #: The field the clerk changed on purpose: title, deadline or status.
    field: str
    #: The value saved, as the database holds it (text; a date as YYYY-MM-DD).
    value: str
    #: The version the form was filled from (each successful save raises it by one).
    base_version: int
    clerk: str
    #: False when the form already showed this value: the save adds only a note to the history
    #: and leaves the row, and so its version, as it was.
    changed: bool = True


def lost_edits(saves: Iterable[Save], stored: Mapping[tuple[str, str], str]) -> list[str]:
    """What went wrong with the acknowledged saves, one line each; empty when nothing.

    ``stored`` maps (number, field) to the value in the database afterwards. A save is present
    when its value is the stored one or a later acknowledged save of the same field is (later:
    filled from a higher version). Two acknowledged saves filled from the same version of one
    promise mean the second overwrote the first without seeing it: a lost update (a save that
    changed nothing raises no version and is left out of that count).
    """
    problems = []
    by_number: dict[str, list[Save]] = defaultdict(list)
    for save in saves:
        by_number[save.number].append(save)
    for number, group in sorted(by_number.items()):
        versions = Counter(save.base_version for save in group if save.changed)
        for version, times in sorted(versions.items()):
            if times > 1:
                problems.append(
                    f"{number}: {times} bevestigde wijzigingen op dezelfde versie {version}"
                )
        by_field: dict[str, list[Save]] = defaultdict(list)
        for save in group:
            by_field[save.field].append(save)
        for field_name, field_saves in sorted(by_field.items()):
            value = stored.get((number, field_name))
            ordered = sorted(field_saves, key=lambda save: save.base_version)
            # Walking back from the latest save: once the stored value has been seen, every
            # earlier save is covered by a later one.
            covered = False
            for save in reversed(ordered):
                covered = covered or save.value == value
                if not covered:
                    problems.append(
                        f"{number}: {field_name} = {save.value!r} (versie {save.base_version}, "
                        f"{save.clerk}) ontbreekt; opgeslagen is {value!r}"
                    )
    return problems


def history_mismatches(saves: Iterable[Save], events: Mapping[tuple[str, str], int]) -> list[str]:
    """Acknowledged saves per (number, clerk) against the history events of that clerk on that
    promise: one event per save, no more and no fewer."""
    expected = Counter((save.number, save.clerk) for save in saves)
    problems = []
    for key in sorted(set(expected) | set(events)):
        if expected.get(key, 0) != events.get(key, 0):
            number, clerk = key
            problems.append(
                f"{number}: {expected.get(key, 0)} bevestigde opslagen van {clerk}, "
                f"{events.get(key, 0)} gebeurtenissen in de geschiedenis"
            )
    return problems


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def duplicates(items: Iterable[Any]) -> dict[Any, int]:
    """Items that occur more than once, with how often."""
    return {item: times for item, times in Counter(items).items() if times > 1}
