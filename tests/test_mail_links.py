"""`make run` on a port other than 5000: the links in the e-mails it sends lead back to it.

The register is started as a new user starts it (README "Aan de slag"), with PORT chosen and
BASE_URL left unset, its scheduler sending to a real SMTP server; the test asks to follow a
promise through the web form, takes the link from the e-mail that arrives and opens it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_DIR
from tests.smtp import MailServers, SMTPServer, free_port
from tests.waiting import wait_until

pytestmark = pytest.mark.slow

NUMBER = "TZ-2019-0002"
ADDRESS = "medewerker@tweedekamer.example"


@dataclass
class Running:
    base: str
    smtp: SMTPServer
    log: Path


def _answers(base: str, process: subprocess.Popen[bytes], log: Path) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"make run stopped: {log.read_text(errors='replace')[-3000:]}")
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def make_run(tmp_path: Path, smtp_servers: MailServers) -> Iterator[Running]:
    """`make run PORT=<free port>` over a SQLite file of its own, mail to a recording server."""
    smtp = smtp_servers.recording()
    port = free_port()
    log = tmp_path / "make-run.log"
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BASE_URL", "MAIL_", "APP_ENV", "MAKE", "MFLAGS"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'register.sqlite'}",
        SECRET_KEY=secrets.token_hex(32),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        SEND_EVERY_SECONDS="1",
        ADMIN_EMAIL="beheer@example.nl",
        ADMIN_PASSWORD=secrets.token_hex(16),
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
            cwd=REPO_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the server and the scheduler
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: _answers(base, process, log),
            timeout=180,
            message=lambda: log.read_text(errors="replace")[-3000:],
        )
        yield Running(base, smtp, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_make_run_on_another_port_mails_links_that_lead_back_to_it(make_run: Running) -> None:
    assert f"Links in e-mails en bestanden wijzen naar {make_run.base}." in make_run.log.read_text()
    # The scheduler, started beside the server, says where e-mail goes.
    wait_until(
        lambda: (
            f"E-mails gaan naar de mailserver 127.0.0.1:{make_run.smtp.port}."
            in make_run.log.read_text()
        ),
        timeout=60,
        message=lambda: make_run.log.read_text(errors="replace")[-3000:],
    )

    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(f"{make_run.base}/toezeggingen/{NUMBER}", timeout=30) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    form = {"csrf_token": token.group(1), "email": ADDRESS, "wat": f"toezegging:{NUMBER}"}
    request = urllib.request.Request(
        f"{make_run.base}/volgen",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{make_run.base}/toezeggingen/{NUMBER}"},
    )
    with browser.open(request, timeout=30) as response:
        assert f"We hebben een e-mail gestuurd naar {ADDRESS}." in response.read().decode()

    [mail] = wait_until(
        lambda: make_run.smtp.inbox.to(ADDRESS),
        timeout=60,
        message=lambda: make_run.log.read_text(errors="replace")[-3000:],
    )
    body = mail.get_body(("plain",)).get_content()
    [link] = re.findall(r"https?://\S+/volgen/bevestigen/\S+", body)
    assert link.startswith(f"{make_run.base}/volgen/bevestigen/")
    with urllib.request.urlopen(link, timeout=30) as response:
        assert response.status == 200
        confirmed = response.read().decode()
    assert f"U volgt nu {NUMBER}" in confirmed
