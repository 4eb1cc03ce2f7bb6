"""The house rules of docs/DESIGN.md §2 that import-linter cannot see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent.parent / "app"
ROUTE = re.compile(r"^@bp\.(route|get|post|put|delete)\(", re.MULTILINE)
QUERY = re.compile(r"\bselect\(|\.query\(")


def view_modules() -> list[Path]:
    """Every module that registers a URL on a blueprint."""
    return sorted(path for path in APP_DIR.rglob("*.py") if ROUTE.search(path.read_text()))


def test_the_views_are_found():
    names = {path.relative_to(APP_DIR).as_posix() for path in view_modules()}
    assert {"clerk/routes.py", "letters/routes.py", "public/api.py", "auth/routes.py"} <= names


@pytest.mark.parametrize(
    "module", view_modules(), ids=lambda path: path.relative_to(APP_DIR).as_posix()
)
def test_views_ask_named_queries_and_run_none_themselves(module):
    """A view reads a form, calls a service or a named query, and renders."""
    found = [
        f"{module.name}:{number}: {line.strip()}"
        for number, line in enumerate(module.read_text().splitlines(), start=1)
        if QUERY.search(line)
    ]
    assert found == []
