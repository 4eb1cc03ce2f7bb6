"""Public pages for anonymous readers, served again from memory while the register is unchanged.

A page is kept under the register's version (``RegisterState``, raised by database triggers in
every transaction that changes what public pages show), the day (what is overdue changes at
midnight), the language and the URL. Each worker keeps its own pages, bounded in size; the
version lives in the database, so a change made through any worker or host is seen on the very
next request everywhere: the first request that reads a new version empties the worker's pages.

Only anonymous GET and HEAD requests without a pending flash message are served from here;
logged-in staff always get a fresh page. Forms on public pages carry the visitor's own CSRF
token: a kept page holds a placeholder that is filled in for each visitor (DESIGN §6).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app, g, request, session
from flask.sansio.app import App
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.formatting import today
from app.register.queries import register_version

#: What a kept page has where each visitor's CSRF token goes.
TOKEN_PLACEHOLDER = b"csrf-token-of-this-visitor"
_CSRF_TOKEN = re.compile(rb'(name="csrf_token"[^>]*?value=")[^"]*(")')
#: Headers a kept page is served with again; the rest (security headers, cookies) are made anew.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
)
#: A page larger than this share of the cache is never kept, so one export cannot evict all.
LARGEST_SHARE = 8

#: (day, language, path with query string); the version is the cache's own.
Key = tuple[dt.date, str, str]


@dataclass(frozen=True)
class KeptPage:
    """A rendered page as it is served again."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageCache:
    """The kept pages of one register version, least recently used dropped first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._version: int | None = None
        self._pages: OrderedDict[Key, KeptPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, version: int, key: Key) -> KeptPage | None:
        with self._lock:
            if version != self._version:
                self._start(version)
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, version: int, key: Key, page: KeptPage) -> None:
        if len(page.body) * LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            if version != self._version:
                return
            previous = self._pages.pop(key, None)
            if previous is not None:
                self._size -= len(previous.body)
            self._pages[key] = page
            self._size += len(page.body)
            while self._size > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._start(None)

    def _start(self, version: int | None) -> None:
        self._version = version
        self._pages.clear()
        self._size = 0


def with_csrf_tokens(body: bytes, token: bytes) -> bytes:
    """``body`` with the value of every form's CSRF token replaced by ``token``."""
    return _CSRF_TOKEN.sub(lambda found: found[1] + token + found[2], body)


def install(app: App) -> None:
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_MB"] * 1024 * 1024)


def page_cache() -> PageCache:
    cache: PageCache = current_app.extensions["page_cache"]
    return cache


def _cacheable() -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and page_cache().enabled
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def serve_kept_page() -> Response | None:
    """Before a public view: the kept page for this request, if there is one."""
    if not _cacheable():
        return None
    version = register_version()
    key: Key = (today(), str(get_locale()), request.full_path)
    g.page_cache_entry = (version, key)
    page = page_cache().get(version, key)
    if page is None:
        return None
    g.page_cache_hit = True
    body = page.body
    if TOKEN_PLACEHOLDER in body:
        body = body.replace(TOKEN_PLACEHOLDER, generate_csrf().encode())
    return Response(body, status=page.status, headers=list(page.headers))


def served_from_cache() -> bool:
    return bool(g.get("page_cache_hit"))


def keep(response: Response) -> None:
    """After a public view rendered ``response`` afresh: keep it for the next reader."""
    entry = g.get("page_cache_entry")
    if entry is None or request.method != "GET" or response.status_code != 200:
        return
    if response.direct_passthrough or response.is_streamed or "Set-Cookie" in response.headers:
        return
    version, key = entry
    body = with_csrf_tokens(response.get_data(), TOKEN_PLACEHOLDER)
    headers = tuple(
        (name, value) for name in KEPT_HEADERS for value in response.headers.getlist(name)
    )
    page_cache().put(version, key, KeptPage(response.status_code, headers, body))
