"""Sheets kept on the server between their preview and their import, per user (DESIGN §13)."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
#: A kept sheet whose preview was left without importing is removed after this long.
KEEP_SECONDS = 24 * 60 * 60


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "sheet-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(user_id: int, data: bytes, filename: str) -> str:
    """Keep an uploaded sheet for its user; returns the token that names it. Sheets kept
    longer than KEEP_SECONDS (a preview nobody confirmed) are removed first."""
    _forget_abandoned()
    token = secrets.token_urlsafe(24)
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    (_folder() / f"{user_id}-{token}{suffix}").write_bytes(data)
    return token


def _forget_abandoned() -> None:
    oldest = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)


def _path(user_id: int, token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    for suffix in (".xlsx", ".csv"):
        path = _folder() / f"{user_id}-{token}{suffix}"
        if path.is_file():
            return path
    return None


def take(user_id: int, token: str) -> tuple[bytes, str] | None:
    """The kept sheet of this user with this token, and its name; None when there is none."""
    path = _path(user_id, token)
    return (path.read_bytes(), path.name) if path else None


def forget(user_id: int, token: str) -> None:
    path = _path(user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)
