"""The suite's one way to wait: poll against a deadline."""

from __future__ import annotations

import itertools
import time

import pytest

from tests.waiting import wait_until


def test_returns_the_first_true_result_without_waiting_longer():
    calls = itertools.count(1)
    started = time.monotonic()
    assert wait_until(lambda: next(calls) >= 3 and "klaar", interval=0.01) == "klaar"
    assert next(calls) == 4
    assert time.monotonic() - started < 1


def test_a_timeout_is_a_clear_assertion_error():
    def nothing_arrives() -> bool:
        return False

    with pytest.raises(AssertionError, match=r"Not true after 0\.1 s: .*nothing_arrives"):
        wait_until(nothing_arrives, timeout=0.1, interval=0.01)


def test_the_message_may_describe_the_state_at_the_time():
    inbox: list[str] = ["one"]
    with pytest.raises(AssertionError, match=r"3 e-mails expected, 1 arrived"):
        wait_until(
            lambda: len(inbox) >= 3,
            timeout=0.05,
            interval=0.01,
            message=lambda: f"3 e-mails expected, {len(inbox)} arrived",
        )
