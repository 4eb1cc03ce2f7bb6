"""Absolute links, built on the configured BASE_URL and never on the request's Host header.

A client chooses the Host header it sends; links that leave the page (in JSON, feeds, calendar
files and e-mails) must point at the register itself whatever that header said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, request, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` as an absolute link under BASE_URL."""
    base: str = current_app.config["BASE_URL"]
    return base + url_for(endpoint, **values)


def this_page() -> str:
    """The current request's path and query, as an absolute link under BASE_URL."""
    base: str = current_app.config["BASE_URL"]
    return base + request.full_path.rstrip("?")


#: Characters a URL path never quotes.
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")
#: Stands in for the value while absolute_url_maker builds its template; only letters, so
#: url_for leaves it as it is.
_MARKER = "URLMAKERVALUE"


def url_maker(endpoint: str, key: str) -> Callable[[str], str]:
    """``value → url_for(endpoint, **{key: value})`` for many values in a row (a link per
    promise on a list page): url_for once, then each value quoted into place as the default
    converter quotes it (the route's ``<key>`` must use that one)."""
    values: dict[str, Any] = {key: _MARKER}
    return _maker(url_for(endpoint, **values))


def absolute_url_maker(endpoint: str, key: str) -> Callable[[str], str]:
    """:func:`url_maker` for absolute links under BASE_URL (a file with a link per promise)."""
    return _maker(absolute_url(endpoint, **{key: _MARKER}))


def _maker(template: str) -> Callable[[str], str]:
    prefix, suffix = template.split(_MARKER)
    url_map = current_app.url_map
    quote = url_map.converters["default"](url_map).to_url  # the route's <key> has no converter

    def make(value: str) -> str:
        # A value of letters, digits and "-._~" (every register number) needs no quoting.
        return prefix + (value if _UNRESERVED.fullmatch(value) else quote(value)) + suffix

    return make
