"""The suite itself: in CI a missing PostgreSQL fails the run instead of being skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test"


def run_pytest(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/test_models.py"],
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
