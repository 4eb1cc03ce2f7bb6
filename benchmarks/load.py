"""`make loadtest`: readers and clerks at once against the register as served in production.

A fresh PostgreSQL database (LOAD_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/toezeggingen_load, dropped and created again),
migrated and filled with `flask bench-data --count N`; five clerks (`flask users create`), each
owning promises of their own ministry (two ministries have two clerks, so that clerks meet on
the same promises); a local SMTP server (aiosmtpd) for the scheduler. Then gunicorn with
gunicorn.conf.py (APP_ENV=production) on 127.0.0.1:5112 and one `flask scheduler`, and for
--duration seconds, in threads:

- 50 readers looping over the overview, the list (filters, page numbers, the Volgende links'
  cursors), detail pages, searches, the API (following its `next` cursor) and the Atom feed;
- 5 clerks who log in through the login form and loop: open a promise's edit, deadline or
  status form, change the title, the deadline or the status and save it. A redirect is an
  acknowledged save, recorded with the value and the version the form carried; a 409 is a
  correct refusal (someone saved first), counted apart.

Afterwards: requests, errors (5xx, unexpected statuses, connection errors, timeouts), 409s and
p50/p99 per kind; every acknowledged save present in the database (its value stored, or a later
acknowledged save's), one history event per acknowledged save, and no e-mail received twice
(Message-IDs at the SMTP server). Written to benchmarks/load-results.json; exit status 1 when
there were errors or lost edits.

Bounded: every request has a timeout (REQUEST_TIMEOUT), the run stops after --duration, threads
still busy then get the request timeout and no more, the whole command is capped by --limit, and
gunicorn, the scheduler and the SMTP server are always stopped. Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

from app.register.benchdata import COMMON_WORD
from benchmarks.__main__ import (
    REPO_DIR,
    dutch,
    environment,
    fresh_database,
    gunicorn,
    healthy,
    load,
    run_flask,
    say,
)
from benchmarks.loadcheck import (
    Save,
    duplicates,
    form_with,
    history_mismatches,
    lost_edits,
    parse_page,
    percentile,
)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/toezeggingen_load"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "load-results.json"
PORT = 5112
LOGIN_PATH = "/beheer/inloggen"
READERS = 50
CLERKS = 5
#: A request without an answer after this many seconds is a timeout error; a little longer
#: than gunicorn's own 30 s, so that a request the server aborts shows up as such.
REQUEST_TIMEOUT = 35
#: Promises each clerk owns, and promises every clerk of a ministry edits (where they meet).
OWN_PROMISES = 200
SHARED_PROMISES = 6
#: How often the scheduler sends (SEND_EVERY_SECONDS), so that it sends several times per run.
SEND_EVERY_SECONDS = 5
SEARCH_WORDS = (COMMON_WORD, "onderzoek", "brief", "Kamer", "zomer", "evaluatie", "TZ-2021")


# HTTP ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    seconds: float
    status: int | None
    error: str | None = None


@dataclass
class Tally:
    """What every thread did; appended to under a lock."""

    outcomes: list[Outcome] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 200:
                self.problems.append(text)


class Client:
    """One user agent: a fresh loopback connection per request, every request with a timeout,
    its own cookies (sent over plain http too, as behind a TLS proxy), no redirects followed."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port = port
        self.tally = tally
        self.cookies: dict[str, str] = {}

    def request(
        self,
        kind: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int | None, dict[str, str], str]:
        """Status, headers (lower-case names) and body; (None, {}, "") after a failure.
        Anything but an expected status is recorded as an error."""
        parts = urlsplit(path)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept-Encoding": "identity", "Connection": "close"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("POST" if form is not None else "GET", target, body, headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            received = {name.lower(): value for name, value in response.getheaders()}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        except (OSError, http.client.HTTPException) as error:
            seconds = time.perf_counter() - started
            self.tally.add(Outcome(kind, seconds, None, f"{type(error).__name__}: {error}"))
            return None, {}, ""
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        error = None if status in expect else f"status {status}"
        self.tally.add(Outcome(kind, seconds, status, error))
        return status, received, content.decode("utf-8", errors="replace")


# Readers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """What the readers pick from: numbers of promises, ministry codes, statuses."""

    numbers: list[str]
    ministries: list[str]
    statuses: tuple[str, ...] = ("open", "partially_fulfilled", "fulfilled", "withdrawn")


def reader(
    index: int, port: int, catalogue: Catalogue, tally: Tally, stop: threading.Event, think: float
) -> None:
    rng = random.Random(index)  # noqa: S311 - load, not secrets
    client = Client(port, tally)
    next_list: str | None = None
    next_api: str | None = None
    while not stop.is_set():
        roll = rng.random()
        if roll < 0.10:
            client.request("overzicht", "/")
        elif roll < 0.35:
            if next_list and rng.random() < 0.6:
                path, kind = next_list, "lijst, volgende (cursor)"
            else:
                query: dict[str, str] = {}
                if rng.random() < 0.5:
                    query["status"] = rng.choice(catalogue.statuses)
                if rng.random() < 0.5:
                    query["ministerie"] = rng.choice(catalogue.ministries)
                if rng.random() < 0.3:
                    query["page"] = str(rng.randint(2, 60))
                path = "/toezeggingen" + (f"?{urlencode(query)}" if query else "")
                kind = "lijst" + (", gefilterd" if set(query) - {"page"} else "")
            status, _headers, body = client.request(kind, path)
            next_list = None
            if status == 200:
                _forms, links = parse_page(body)
                next_list = links[0] if links else None
        elif roll < 0.65:
            client.request("detail", "/toezeggingen/" + rng.choice(catalogue.numbers))
        elif roll < 0.78:
            word = rng.choice(SEARCH_WORDS)
            client.request("zoeken", "/toezeggingen?" + urlencode({"q": word}))
        elif roll < 0.95:
            if next_api and rng.random() < 0.6:
                path, kind = next_api, "API, volgende (cursor)"
            else:
                query = {"per_page": str(rng.choice((20, 50, 100)))}
                if rng.random() < 0.5:
                    query["status"] = rng.choice(catalogue.statuses)
                path, kind = "/api/v1/commitments?" + urlencode(query), "API"
            status, _headers, body = client.request(kind, path)
            next_api = None
            if status == 200:
                with contextlib.suppress(ValueError):
                    next_api = json.loads(body).get("next")
        else:
            client.request("Atom-feed", "/toezeggingen.atom")
        if think:
            stop.wait(rng.uniform(0, 2 * think))


# Clerks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clerk:
    email: str
    name: str
    password: str
    ministry: str
    own: list[str]
    shared: list[str]


def log_in(client: Client, clerk: Clerk) -> bool:
    status, _headers, body = client.request("inloggen (formulier)", LOGIN_PATH)
    form = form_with(parse_page(body)[0], "password") if status == 200 else None
    if form is None:
        client.tally.problem(f"{clerk.email}: geen inlogformulier")
        return False
    values = {**form.fields, "email": clerk.email, "password": clerk.password}
    status, headers, _body = client.request(
        "inloggen (opslaan)", form.action or LOGIN_PATH, form=values, expect=(302, 303)
    )
    return status in (302, 303) and "/inloggen" not in headers.get("location", "")


def clerk_loop(
    index: int, port: int, clerk: Clerk, tally: Tally, stop: threading.Event, think: float
) -> None:
    rng = random.Random(1000 + index)  # noqa: S311 - load, not secrets
    client = Client(port, tally)
    if not log_in(client, clerk):
        tally.problem(f"{clerk.email}: inloggen mislukte")
        return
    sequence = 0
    while not stop.is_set():
        sequence += 1
        number = rng.choice(clerk.shared if rng.random() < 0.4 else clerk.own)
        roll = rng.random()
        if roll < 0.5:
            save_once(
                client, clerk, number, "title", f"Belastingtest {index}-{sequence}", rng, think
            )
        elif roll < 0.8:
            day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 730))
            save_once(client, clerk, number, "deadline", day.isoformat(), rng, think)
        else:
            status = rng.choice(("open", "partially_fulfilled", "fulfilled", "withdrawn"))
            save_once(client, clerk, number, "status", status, rng, think)
        if think:
            stop.wait(rng.uniform(0, 2 * think))


#: Per field: the form's page, the kind of request, and how the value goes into the form.
FORMS = {
    "title": ("bewerken", "title"),
    "deadline": ("deadline", "deadline"),
    "status": ("status", "status"),
}


def save_once(
    client: Client,
    clerk: Clerk,
    number: str,
    field_name: str,
    value: str,
    rng: random.Random,
    think: float,
) -> None:
    page, key = FORMS[field_name]
    path = f"/beheer/toezeggingen/{number}/{page}"
    status, _headers, body = client.request(f"{page} (formulier)", path)
    if status != 200:
        return
    form = form_with(parse_page(body)[0], "version")
    if form is None or key not in form.fields:
        client.tally.problem(f"{path}: geen formulier met {key}")
        return
    values = dict(form.fields)
    values.pop("preview", None)
    base_version = int(values.get("version") or 0)
    shown = values.get(key, "")
    if field_name == "deadline":
        day = dt.date.fromisoformat(value)
        values.update(deadline=day.strftime("%d-%m-%Y"), deadline_phrase="")
        changed = shown != values["deadline"]
    else:
        values[key] = value
        changed = shown != value
    # A note, so that every save is a history event even when the value stays the same.
    values["note"] = f"Belastingtest: {field_name} door {clerk.name}"
    if any(name == "save" for name, _value in form.submits):
        values["save"] = "Opslaan"
    # Filling in the form takes a moment: long enough for another clerk to save first.
    time.sleep(rng.uniform(0, think))
    status, headers, _body = client.request(
        f"{page} (opslaan)", form.action or path, form=values, expect=(302, 303, 409)
    )
    if status == 409:
        with client.tally.lock:
            client.tally.conflicts += 1
    elif status in (302, 303):
        if "/inloggen" in headers.get("location", ""):
            client.tally.problem(f"{clerk.email}: uitgelogd tijdens de test")
            return
        with client.tally.lock:
            client.tally.saves.append(
                Save(number, field_name, value, base_version, clerk.email, changed)
            )


# Setting up ------------------------------------------------------------------------------


def make_clerks(env: dict[str, str], engine: sa.Engine) -> list[Clerk]:
    """Five clerks in three ministries (the largest two get two clerks each), each owning
    OWN_PROMISES outstanding promises of their ministry; SHARED_PROMISES more per ministry
    are edited by all its clerks."""
    with engine.connect() as connection:
        codes = [
            row[0]
            for row in connection.execute(
                sa.text(
                    "SELECT m.code FROM ministry m JOIN commitment c ON c.ministry_id = m.id "
                    "GROUP BY m.code ORDER BY count(*) DESC, m.code LIMIT 3"
                )
            )
        ]
    ministries = [codes[0], codes[0], codes[1], codes[1], codes[2]][:CLERKS]
    clerks = []
    taken: set[str] = set()
    shared: dict[str, list[str]] = {}
    for index, code in enumerate(ministries, start=1):
        email = f"belasting{index}@ministerie.test"
        name = f"Medewerker Belasting {index}"
        password = secrets.token_urlsafe(18)
        subprocess.run(  # noqa: S603 - our own flask command
            [
                *(sys.executable, "-m", "flask", "users", "create"),
                *("--email", email, "--name", name, "--role", "clerk", "--ministry", code),
            ],
            cwd=REPO_DIR,
            env=env,
            input=password + "\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=120,
        )
        with engine.begin() as connection:
            user_id = connection.execute(
                sa.text("SELECT id FROM user_account WHERE email = :email"), {"email": email}
            ).scalar_one()
            rows = connection.execute(
                sa.text(
                    "SELECT c.id, c.number FROM commitment c JOIN ministry m "
                    "ON m.id = c.ministry_id WHERE m.code = :code AND c.status = 'open' "
                    "ORDER BY c.id DESC LIMIT :limit"
                ),
                {"code": code, "limit": 2 * CLERKS * OWN_PROMISES + SHARED_PROMISES},
            ).all()
            free = [row for row in rows if row.number not in taken]
            if code not in shared:
                shared[code] = [row.number for row in free[:SHARED_PROMISES]]
                taken.update(shared[code])
                free = free[SHARED_PROMISES:]
            own = free[:OWN_PROMISES]
            taken.update(row.number for row in own)
            connection.execute(
                sa.text("UPDATE commitment SET owner_id = :user WHERE id = ANY(:ids)"),
                {"user": user_id, "ids": [row.id for row in own]},
            )
        clerks.append(Clerk(email, name, password, code, [row.number for row in own], shared[code]))
    return clerks


def catalogue_of(engine: sa.Engine, clerks: list[Clerk]) -> Catalogue:
    with engine.connect() as connection:
        numbers = list(
            connection.execute(
                sa.text("SELECT number FROM commitment ORDER BY random() LIMIT 3000")
            ).scalars()
        )
        codes = list(connection.execute(sa.text("SELECT code FROM ministry")).scalars())
    # Readers also look at the promises being edited.
    edited = [number for clerk in clerks for number in clerk.shared + clerk.own[:20]]
    return Catalogue(numbers + edited, codes)


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[int, list[EmailMessage]]]:
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    try:
        yield server.port, server.inbox.messages
    finally:
        server.stop()


@contextlib.contextmanager
def scheduler(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "scheduler"],
            cwd=REPO_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# Checking --------------------------------------------------------------------------------


def stored_values(engine: sa.Engine, saves: list[Save]) -> dict[tuple[str, str], str]:
    numbers = sorted({save.number for save in saves})
    stored: dict[tuple[str, str], str] = {}
    with engine.connect() as connection:
        for row in connection.execute(
            sa.text(
                "SELECT number, title, deadline, status FROM commitment "
                "WHERE number = ANY(:numbers)"
            ),
            {"numbers": numbers},
        ):
            stored[(row.number, "title")] = row.title
            stored[(row.number, "deadline")] = row.deadline.isoformat() if row.deadline else ""
            stored[(row.number, "status")] = str(row.status).lower()
    return stored


def clerk_events(engine: sa.Engine, clerks: list[Clerk]) -> dict[tuple[str, str], int]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT c.number, u.email, count(*) AS events FROM commitment_event e "
                "JOIN commitment c ON c.id = e.commitment_id "
                "JOIN user_account u ON u.id = e.actor_id "
                "WHERE u.email = ANY(:emails) GROUP BY c.number, u.email"
            ),
            {"emails": [clerk.email for clerk in clerks]},
        ).all()
    return {(row.number, row.email): row.events for row in rows}


def outbox_summary(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT state, count(*) FROM outbox_message GROUP BY state")
        ).all()
    return {str(state): count for state, count in rows}


def per_kind(outcomes: list[Outcome], seconds: float) -> dict[str, dict[str, Any]]:
    grouped: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        grouped[outcome.kind].append(outcome)
    table = {}
    for kind, items in sorted(grouped.items()):
        durations = [item.seconds for item in items]
        table[kind] = {
            "requests": len(items),
            "per_second": round(len(items) / seconds, 1) if seconds else 0.0,
            "errors": sum(1 for item in items if item.error),
            "conflicts": sum(1 for item in items if item.status == 409),
            "p50_ms": round(percentile(durations, 0.5) * 1000, 1),
            "p99_ms": round(percentile(durations, 0.99) * 1000, 1),
            "max_ms": round(max(durations) * 1000, 1),
        }
    return table


# Running ---------------------------------------------------------------------------------


def run(args: argparse.Namespace, work_dir: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": args.count,
        "duration_seconds": args.duration,
        "readers": READERS,
        "clerks": CLERKS,
        "think_seconds": args.think,
        "cpus": os.cpu_count(),
        "load_start": load(),
        "gunicorn": "gunicorn.conf.py as configured, APP_ENV=production",
    }
    say(f"=== Belastingtest: {dutch(args.count)} toezeggingen, PostgreSQL ===")
    with (
        fresh_database("postgresql", work_dir, "LOAD_POSTGRES_URL", DEFAULT_POSTGRES_URL) as url,
        smtp_server() as (smtp_port, inbox),
    ):
        env = environment(url, PORT)
        env.update(
            # A worker that crashes in C code leaves every thread's Python stack in the log.
            PYTHONFAULTHANDLER="1",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(smtp_port),
            SEND_EVERY_SECONDS=str(SEND_EVERY_SECONDS),
        )
        seconds, _ = run_flask(env, "db", "upgrade")
        say(f"  gemigreerd in {seconds:.1f} s; bench-data …")
        seconds, _ = run_flask(env, "bench-data", "--count", str(args.count))
        result["bench_data_seconds"] = round(seconds, 1)
        say(f"  {dutch(args.count)} toezeggingen in {seconds:.1f} s")
        engine = sa.create_engine(url, pool_pre_ping=True)
        try:
            clerks = make_clerks(env, engine)
            catalogue = catalogue_of(engine, clerks)
            say(
                "  medewerkers: "
                + ", ".join(f"{clerk.email} ({clerk.ministry})" for clerk in clerks)
            )
            result.update(measure(args, env, work_dir, clerks, catalogue, inbox))
            result.update(check(engine, clerks, result.pop("_saves"), inbox))
        finally:
            engine.dispose()
    result["load_end"] = load()
    return result


def measure(
    args: argparse.Namespace,
    env: dict[str, str],
    work_dir: Path,
    clerks: list[Clerk],
    catalogue: Catalogue,
    inbox: list[EmailMessage],
) -> dict[str, Any]:
    base = f"http://127.0.0.1:{PORT}"
    tally = Tally()
    stop = threading.Event()
    server_log = work_dir / "gunicorn.log"
    with gunicorn(env, server_log) as server, scheduler(env, work_dir / "scheduler.log") as sched:
        started = time.perf_counter()
        while not healthy(base):
            if server.poll() is not None or time.perf_counter() - started > 60:
                say(server_log.read_text(errors="replace")[-3000:])
                raise SystemExit("gunicorn startte niet")
            time.sleep(0.3)
        say(f"  gunicorn op {base}, scheduler pid {sched.pid}; {args.duration} s belasting …")
        load_before = load()
        threads = [
            threading.Thread(
                target=reader,
                args=(i, PORT, catalogue, tally, stop, args.think),
                daemon=True,
                name=f"lezer-{i}",
            )
            for i in range(READERS)
        ] + [
            threading.Thread(
                target=clerk_loop,
                args=(i, PORT, clerk, tally, stop, args.think),
                daemon=True,
                name=f"medewerker-{i}",
            )
            for i, clerk in enumerate(clerks, start=1)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        stop.wait(args.duration)
        stop.set()
        # Each thread finishes the request it is in, which has its own timeout.
        deadline = time.monotonic() + REQUEST_TIMEOUT + 5
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        elapsed = time.perf_counter() - started
        stuck = [thread.name for thread in threads if thread.is_alive()]
        load_during = load()
        # Let the scheduler send what is due once more before it stops.
        time.sleep(SEND_EVERY_SECONDS + 1)
        scheduler_alive = sched.poll() is None
    log_text = server_log.read_text(errors="replace")
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
        for name in ("gunicorn.log", "scheduler.log"):
            shutil.copy(work_dir / name, args.logs / name)
    crashes = [
        line
        for line in log_text.splitlines()
        if "was sent SIG" in line or "Fatal Python error" in line or "exited with code" in line
    ]
    with tally.lock:
        outcomes = list(tally.outcomes)
        saves = list(tally.saves)
    return {
        "seconds": round(elapsed, 1),
        "load_before": load_before,
        "load_after": load_during,
        "requests": len(outcomes),
        "errors": sum(1 for item in outcomes if item.error),
        "error_examples": sorted({f"{o.kind}: {o.error}" for o in outcomes if o.error})[:20],
        "conflicts": tally.conflicts,
        "acknowledged_saves": len(saves),
        "kinds": per_kind(outcomes, elapsed),
        "threads_stuck": stuck,
        "client_problems": tally.problems,
        "server_timeouts": log_text.count("WORKER TIMEOUT"),
        "server_tracebacks": log_text.count("Traceback"),
        "worker_crashes": crashes,
        "scheduler_alive": scheduler_alive,
        "_saves": saves,
    }


def check(
    engine: sa.Engine, clerks: list[Clerk], saves: list[Save], inbox: list[EmailMessage]
) -> dict[str, Any]:
    lost = lost_edits(saves, stored_values(engine, saves))
    history = history_mismatches(saves, clerk_events(engine, clerks))
    received = [str(message["Message-ID"]) for message in list(inbox)]
    twice = duplicates(received)
    return {
        "lost_edits": lost,
        "history_mismatches": history,
        "mail": {
            "received": len(received),
            "distinct_message_ids": len(set(received)),
            "received_twice": twice,
            "outbox": outbox_summary(engine),
        },
        "saves_by_field": {
            name: sum(1 for save in saves if save.field == name)
            for name in ("title", "deadline", "status")
        },
        "promises_edited": len({save.number for save in saves}),
        "saves": [dataclasses.asdict(save) for save in saves],
    }


def report(result: dict[str, Any]) -> bool:
    """Print the outcome in Dutch; True when it passed."""
    say(
        f"\nBelastingtest, {dutch(result['count'])} toezeggingen op PostgreSQL: {READERS} lezers "
        f"en {CLERKS} medewerkers, {result['seconds']} s (denktijd gemiddeld "
        f"{result['think_seconds']} s); belasting (1/5/15 min) vooraf {result['load_before']}, "
        f"na afloop {result['load_after']}"
    )
    header = ("soort", "verzoeken", "per s", "p50 ms", "p99 ms", "max ms", "fouten", "409")
    say("{:<28} {:>9} {:>7} {:>8} {:>8} {:>8} {:>7} {:>5}".format(*header))
    for kind, row in result["kinds"].items():
        say(
            f"{kind:<28} {row['requests']:>9} {row['per_second']:>7.1f} {row['p50_ms']:>8.1f}"
            f" {row['p99_ms']:>8.1f} {row['max_ms']:>8.1f} {row['errors']:>7}"
            f" {row['conflicts']:>5}"
        )
    say(
        f"totaal: {dutch(result['requests'])} verzoeken, {result['errors']} fouten, "
        f"{result['conflicts']} keer 409 (iemand was eerder)"
    )
    for example in result["error_examples"]:
        say(f"  fout: {example}")
    for problem in result["client_problems"][:10]:
        say(f"  probleem: {problem}")
    by_field = result["saves_by_field"]
    say(
        f"bevestigde opslagen: {result['acknowledged_saves']} (titel {by_field['title']}, "
        f"deadline {by_field['deadline']}, status {by_field['status']}) op "
        f"{result['promises_edited']} toezeggingen; verloren: {len(result['lost_edits'])}; "
        f"geschiedenis wijkt af: {len(result['history_mismatches'])}"
    )
    for line in (result["lost_edits"] + result["history_mismatches"])[:20]:
        say(f"  {line}")
    mail = result["mail"]
    say(
        f"e-mail: {mail['received']} ontvangen, {mail['distinct_message_ids']} verschillende "
        f"Message-ID's, {len(mail['received_twice'])} dubbel; outbox: {mail['outbox']}"
    )
    if result["server_timeouts"] or result["server_tracebacks"]:
        say(
            f"gunicorn-log: {result['server_timeouts']} WORKER TIMEOUT, "
            f"{result['server_tracebacks']} tracebacks"
        )
    for line in result["worker_crashes"][:10]:
        say(f"  gunicorn: {line}")
    if result["threads_stuck"]:
        say(f"threads die niet stopten: {', '.join(result['threads_stuck'])}")
    passed = (
        result["errors"] == 0
        and not result["client_problems"]
        and not result["lost_edits"]
        and not result["history_mismatches"]
        and not mail["received_twice"]
        and not result["threads_stuck"]
        and not result["worker_crashes"]
        and result["acknowledged_saves"] > 0
    )
    say("GESLAAGD" if passed else "NIET GESLAAGD")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60, help="seconden belasting")
    parser.add_argument(
        "--think", type=float, default=0.25, help="gemiddelde denktijd tussen verzoeken (s)"
    )
    parser.add_argument(
        "--limit", type=int, default=1800, help="de hele run stopt hoe dan ook na zoveel seconden"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--logs", type=Path, help="map voor de logs van gunicorn en scheduler")
    args = parser.parse_args()

    def too_long(_signum: int, _frame: Any) -> None:
        raise SystemExit(f"de belastingtest duurde langer dan {args.limit} s: afgebroken")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(args.limit)
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        result = run(args, Path(tmp))
    signal.alarm(0)
    passed = report(result)
    result["passed"] = passed
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(f"de cijfers staan in {args.output}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
