"""The suite itself: in CI a missing PostgreSQL fails the run instead of being skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, postgres_unreachable_reason

pytestmark = pytest.mark.slow  # each test runs pytest in a process of its own

REPO_DIR = Path(__file__).resolve().parent.parent
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test"


def run_pytest(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **environment}
    arguments = arguments or ("tests/test_models.py",)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *arguments],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ci_fails_when_postgresql_is_unreachable():
    result = run_pytest(CI="true", TEST_DATABASE_URL=UNREACHABLE)
    assert result.returncode != 0
    assert "niet bereikbaar" in result.stderr
    assert "in CI is dat een fout" in result.stderr


def test_outside_ci_the_sqlite_half_still_runs_with_a_warning():
    result = run_pytest(CI="", TEST_DATABASE_URL=UNREACHABLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[sqlite]" in result.stdout
    assert "[postgresql]" not in result.stdout
    assert "alleen SQLite getest" in result.stdout + result.stderr


SAMPLE = (
    "tests/browser/test_public_pages.py",
    "tests/test_models.py",
    "tests/test_reminder_processes.py",
)


def collected(result: subprocess.CompletedProcess[str]) -> set[str]:
    assert result.returncode in (0, 5), result.stdout + result.stderr  # 5: nothing selected
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_markers_split_the_suite_into_the_fast_part_and_the_rest():
    fast = collected(run_pytest("-m", "not browser and not postgres and not slow", *SAMPLE))
    rest = collected(run_pytest("-m", "browser or postgres or slow", *SAMPLE))
    everything = collected(run_pytest(*SAMPLE))
    assert fast | rest == everything
    assert not fast & rest
    assert fast
    assert all(item.startswith("tests/test_models.py::") for item in fast)
    assert not any("postgresql" in item for item in fast)
    assert {item for item in everything if item.startswith("tests/browser/")} <= rest
    assert {item for item in everything if "postgresql" in item} <= rest
    assert {item for item in everything if "test_reminder_processes" in item} <= rest


def test_the_postgresql_half_and_only_it_is_marked_postgres():
    selected = collected(run_pytest("-m", "postgres", "tests/test_models.py"))
    if postgres_unreachable_reason(POSTGRES_URL) is None:
        everything = collected(run_pytest("tests/test_models.py"))
        assert selected == {item for item in everything if "[postgresql" in item}
        assert selected
    else:
        assert selected == set()
