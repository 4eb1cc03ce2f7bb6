"""Absolute links, built on the configured BASE_URL and never on the request's Host header.

A client chooses the Host header it sends; links that leave the page (in JSON, feeds, calendar
files and e-mails) must point at the register itself whatever that header said.
"""

from __future__ import annotations

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
