"""Waiting for something to happen, by polling against a deadline instead of sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    *,
    timeout: float = 30,
    interval: float = 0.05,
    message: str | Callable[[], str] = "",
) -> T:
    """Call ``predicate`` until it returns something true, and return that.

    After ``timeout`` seconds an AssertionError says what was awaited (``message``, or the
    predicate's name) and for how long; ``message`` may be a callable, for the state at that time.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            described = message() if callable(message) else message
            name = getattr(predicate, "__qualname__", repr(predicate))
            raise AssertionError(f"Not true after {timeout:g} s: {described or name}")
        time.sleep(interval)
