"""gunicorn hosts for tests that need real servers: started with the repository's own
gunicorn.conf.py, each on a free port, waited for on /healthz, always stopped afterwards."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from tests.conftest import REPO_DIR
from tests.smtp import free_port
from tests.waiting import wait_until


@contextlib.contextmanager
def gunicorn_hosts(
    settings: Mapping[str, str], log_dir: Path, *, count: int = 1, app: str | None = None
) -> Iterator[list[str]]:
    """``count`` gunicorns with ``settings`` as their environment (BIND set per host), serving
    ``app`` (default: gunicorn.conf.py's own); their base URLs once each answers /healthz."""
    ports = [free_port() for _ in range(count)]
    logs = [log_dir / f"gunicorn-{number}.log" for number in range(1, count + 1)]
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *([app] if app else [])]
    servers = []
    try:
        for port, log in zip(ports, logs, strict=True):
            with log.open("wb") as output:
                servers.append(
                    subprocess.Popen(
                        command,
                        cwd=REPO_DIR,
                        env={**settings, "BIND": f"127.0.0.1:{port}"},
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base, server, log in zip(bases, servers, logs, strict=True):
            wait_until(
                lambda base=base, server=server, log=log: _answers(base, server, log),
                timeout=60,
                message=f"{base} starts",
            )
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def _answers(base: str, server: subprocess.Popen[bytes], log: Path) -> bool:
    if server.poll() is not None:
        raise AssertionError(f"gunicorn stopped: {log.read_text(errors='replace')[-2000:]}")
    try:
        return status_of(f"{base}/healthz", timeout=5) == 200
    except OSError:
        return False


def status_of(url: str, timeout: float = 60) -> int:
    """The status a GET of ``url`` answers with, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def body_of(url: str) -> str:
    """The body of a GET of ``url`` that must succeed."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode())
