"""`make bench`: the register at real size, served as in production, measured with wrk.

For each database (SQLite, then PostgreSQL): a fresh database, `flask db upgrade`,
`flask bench-data --count N`, gunicorn with gunicorn.conf.py (ten sync workers,
APP_ENV=production), and then per page a single timed request (the probe) followed by wrk from a
separate process: a warm-up, then a fixed-duration run with 16 connections; every page twice,
with the page cache and without it (PAGE_CACHE_MB=0). Afterwards, in process: reading a long
letter (SQLite) and planning a day's reminders (benchmarks/reminders.py); at the end, importing
10,000 of the Kamer's records into a new SQLite register, twice (benchmarks/interop_import.py).
Printed per database:
requests/s, p50 and p99, errors (non-2xx and socket errors, timeouts included) and each page's
requests/s relative to /healthz in the same run, plus the workers' memory. The figures go to
benchmarks/results.json. Nothing here is asserted: speed is reported, not tested.

Bounded on purpose: wrk runs with --timeout; gunicorn aborts a request after 30 s; a page so
slow that with 16 connections requests would queue for more than half of wrk's timeout
(probe × 16 / workers > 10 s), and the CSV, are measured with one connection per worker for
longer (up to 35 s, past the server's timeout, so an aborted request counts as an error;
requests left behind are not waited for: the workers are replaced); a page whose probe got no
answer is not run with wrk at all: that failure is what is reported. Between the warm-up, the
run and the next page the harness waits until no connection is queued or being served.

Options: --databases sqlite,postgresql --count 100000 --duration 8 --output PATH --no-letter
--no-interop. PostgreSQL:
BENCH_POSTGRES_URL names the database that is dropped and created again (default
postgresql+psycopg://postgres@127.0.0.1:5432/toezeggingen_bench).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.register.benchdata import COMMON_WORD
from benchmarks.interop_import import bench_import
from benchmarks.reminders import reminders_against

REPO_DIR = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().parent / "report.lua"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/toezeggingen_bench"

#: Records of the Kamer read by the import benchmark (issue 15: 10,000 in under 10 s on SQLite).
INTEROP_RECORDS = 10_000
CONNECTIONS = 16
#: Connections for pages that are slow today (the CSV): two at a time.
FEW_CONNECTIONS = 2
WARMUP_SECONDS = 2
#: wrk counts a request without an answer after this many seconds as a timeout error.
WRK_TIMEOUT = 20
#: gunicorn.conf.py's timeout: a request that runs longer is aborted by the server.
SERVER_TIMEOUT = 30
#: The probe waits a little longer than the server, so it sees the server give up.
PROBE_TIMEOUT = SERVER_TIMEOUT + 5
#: gunicorn.conf.py's workers.
WORKERS = 10


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    #: Check that a list really lists promises (page 400 must not be empty).
    lists_promises: bool = False
    few_connections: bool = False


def pages() -> list[Page]:
    return [
        Page("/healthz", "/healthz"),
        Page("overzicht", "/"),
        Page("lijst", "/toezeggingen", lists_promises=True),
        Page("lijst, gefilterd", "/toezeggingen?status=open&ministerie=JenV", lists_promises=True),
        Page("lijst, pagina 400", "/toezeggingen?page=400", lists_promises=True),
        Page("detail", "/toezeggingen/TZ-2020-0001"),
        Page(f"zoeken ({COMMON_WORD})", f"/toezeggingen?q={COMMON_WORD}", lists_promises=True),
        Page("API (100 per pagina)", "/api/v1/commitments?per_page=100"),
        Page("CSV (alles)", "/toezeggingen.csv", few_connections=True),
    ]


def dutch(number: int) -> str:
    """12345 → 12.345."""
    return f"{number:,}".replace(",", ".")


def say(line: str = "") -> None:
    print(line, flush=True)


def load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


# Databases --------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(
    kind: str,
    work_dir: Path,
    variable: str = "BENCH_POSTGRES_URL",
    default: str = DEFAULT_POSTGRES_URL,
) -> Iterator[str]:
    """A new, empty database: an SQLite file, or a PostgreSQL database dropped and created
    (the one the environment variable ``variable`` names, else ``default``)."""
    if kind == "sqlite":
        path = work_dir / "bench.sqlite"
        yield f"sqlite:///{path}"
        return
    url = sa.make_url(os.environ.get(variable) or default)
    name = url.database or ""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"{variable}: ongeldige databasenaam {name!r}")
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()
    yield url.render_as_string(hide_password=False)


def environment(database_url: str, port: int) -> dict[str, str]:
    """Production settings; on SQLite with ALLOW_SQLITE, as a one-machine trial may run."""
    return {
        **os.environ,
        **({"ALLOW_SQLITE": "1"} if database_url.startswith("sqlite") else {}),
        "FLASK_APP": "app",
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }


def run_flask(env: dict[str, str], *args: str, echo: bool = False) -> tuple[float, list[str]]:
    """Run a flask command; its output lines, printed as they come when ``echo``."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own flask command, fixed arguments
        [sys.executable, "-m", "flask", *args],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if echo:
            say("    " + lines[-1])
    if process.wait() != 0:
        say("\n".join(lines[-20:]))
        raise SystemExit(f"flask {' '.join(args)} mislukte (exit {process.returncode})")
    return time.perf_counter() - started, lines


# The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 - a loopback http:// address we built
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def healthy(base: str, timeout: float = 1.0) -> bool:
    try:
        return get(base + "/healthz", timeout)[0] == 200
    except OSError:
        return False


def open_connections(port: int) -> int:
    """Connections to the server that are queued or being served: from /proc/net/tcp, the
    listening socket's accept queue plus every accepted socket not yet closed by the server
    (ESTABLISHED, or CLOSE_WAIT once the client has gone)."""
    local = f"0100007F:{port:04X}"
    total = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] != local:
            continue
        state, queues = fields[3], fields[4]
        if state == "0A":  # LISTEN: rx_queue is the number of connections waiting for accept
            total += int(queues.split(":")[1], 16)
        elif state in {"01", "08"}:  # ESTABLISHED, CLOSE_WAIT
            total += 1
    return total


def wait_until_idle(base: str, port: int, limit: float = 120) -> float:
    """Until no connection is queued or being served (wrk leaves requests behind when its run
    ends: the workers still serve them) and /healthz answers at once."""
    started = time.perf_counter()
    quiet = 0
    while time.perf_counter() - started < limit:
        quiet = quiet + 1 if open_connections(port) == 0 else 0
        if quiet >= 2 and healthy(base):
            break
        time.sleep(0.25)
    return round(time.perf_counter() - started, 1)


def workers_of(master: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
            if int(fields.get("PPid", "0").strip()) == master:
                children.append(int(status.parent.name))
    return sorted(children)


def memory_of(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (the peak) of a process, in MB."""
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log_path.open("wb") as log:
        server = subprocess.Popen(  # gunicorn with the repository's own config
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=REPO_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield server
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# Measuring --------------------------------------------------------------------------------


def wrk(url: str, connections: int, seconds: int, timeout: int) -> dict[str, Any]:
    """One wrk run from its own process; its summary as printed by report.lua."""
    command = [
        "wrk",
        "--threads=1",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={timeout}s",
        f"--script={LUA_SCRIPT}",
        url,
    ]
    done = subprocess.run(  # noqa: S603 - wrk with arguments we built
        command, capture_output=True, text=True, timeout=seconds + timeout + 30, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            return dict(json.loads(line.removeprefix("WRK-JSON ")))
    raise RuntimeError(f"wrk gave no summary: {done.stdout}\n{done.stderr}")


def probe(base: str, page: Page, count: int) -> dict[str, Any]:
    """One request, timed; what came back, and whether it is what the page should show."""
    started = time.perf_counter()
    try:
        status, body = get(base + page.path, PROBE_TIMEOUT)
    except (OSError, http.client.HTTPException) as error:
        seconds = round(time.perf_counter() - started, 2)
        return {"ok": False, "seconds": seconds, "error": f"{type(error).__name__}: {error}"}
    result: dict[str, Any] = {
        "ok": status == 200,
        "status": status,
        "seconds": round(time.perf_counter() - started, 3),
        "bytes": len(body),
    }
    if page.lists_promises:
        result["lists_promises"] = b"TZ-" in body
        if result["ok"] and not result["lists_promises"]:
            result.update(ok=False, error="geen toezeggingen op de pagina")
    elif not result["ok"]:
        result["error"] = f"status {status}"
    if page.path.startswith("/toezeggingen.csv") and status == 200:
        rows = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1
        result.update(rows=rows, expected_rows=count, complete=rows == count)
    return result


def measure_page(
    base: str, port: int, page: Page, master: int, count: int, duration: int, log_path: Path
) -> dict[str, Any]:
    timeouts_before = log_path.read_text(errors="replace").count("WORKER TIMEOUT")
    result: dict[str, Any] = {"name": page.name, "path": page.path, "load_before": load()}
    result["probe"] = checked = probe(base, page, count)
    if not checked["ok"]:
        result["outcome"] = "failed"
        result["connections"] = 0
    else:
        probe_seconds = checked["seconds"]
        # With 16 connections a request waits behind 7 others; past wrk's timeout that
        # would measure only timeouts.
        slow = page.few_connections or probe_seconds * CONNECTIONS / WORKERS > WRK_TIMEOUT / 2
        connections = FEW_CONNECTIONS if slow else CONNECTIONS
        timeout = max(WRK_TIMEOUT, int(4 * probe_seconds) + 1)
        # Slow pages run a little longer than the server's timeout, so that a request gunicorn
        # aborts shows up in wrk's errors rather than being cut off by the end of the run.
        longest = SERVER_TIMEOUT + 5
        seconds = max(duration, min(longest, int(3 * probe_seconds) + 1)) if slow else duration
        if not slow:
            wrk(base + page.path, connections, WARMUP_SECONDS, timeout)
            # The warm-up leaves requests queued; they must not eat into the measured run.
            result["idle_after_warmup_seconds"] = wait_until_idle(base, port)
        run = wrk(base + page.path, connections, seconds, timeout)
        elapsed = run["duration_us"] / 1e6
        errors = {key: run[key] for key in ("status", "connect", "read", "write", "timeout")}
        result.update(
            outcome="measured" if run["requests"] else "no_answer",
            connections=connections,
            seconds=seconds,
            timeout=timeout,
            requests=run["requests"],
            requests_per_second=round(run["requests"] / elapsed, 2) if elapsed else 0.0,
            p50_ms=round(run["p50_us"] / 1000, 1),
            p90_ms=round(run["p90_us"] / 1000, 1),
            p99_ms=round(run["p99_us"] / 1000, 1),
            max_ms=round(run["max_us"] / 1000, 1),
            errors=errors,
            error_total=sum(errors.values()),
        )
    result["workers_rss_mb"] = [memory_of(pid).get("VmRSS", 0.0) for pid in workers_of(master)]
    slow_run = result.get("connections") == FEW_CONNECTIONS
    result["workers_replaced"] = slow_run and replace_busy_workers(port, master)
    result["idle_after_seconds"] = wait_until_idle(base, port)
    result["server_timeouts"] = (
        log_path.read_text(errors="replace").count("WORKER TIMEOUT") - timeouts_before
    )
    return result


def replace_busy_workers(port: int, master: int, grace: float = 3) -> bool:
    """Requests wrk left behind at the end of a slow page's run would hold the workers for up to
    the server's timeout; after ``grace`` seconds the workers are killed instead, and gunicorn
    starts new ones (the page's figures, memory included, are taken by then)."""
    started = time.perf_counter()
    while time.perf_counter() - started < grace:
        if open_connections(port) == 0:
            return False
        time.sleep(0.25)
    for pid in workers_of(master):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return True


def bench_database(
    kind: str, count: int, duration: int, work_dir: Path, letter: bool
) -> dict[str, Any]:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    say(f"\n=== {title}: {dutch(count)} toezeggingen ===")
    result: dict[str, Any] = {"database": kind, "count": count, "load_start": load()}
    port = free_port()
    with fresh_database(kind, work_dir) as url:
        env = environment(url, port)
        seconds, _ = run_flask(env, "db", "upgrade")
        result["migrate_seconds"] = round(seconds, 1)
        say(f"  gemigreerd in {seconds:.1f} s; bench-data:")
        load_before = load()
        seconds, lines = run_flask(env, "bench-data", "--count", str(count), echo=True)
        result["bench_data"] = {
            "seconds": round(seconds, 1),
            "load_before": load_before,
            "load_after": load(),
            "output": lines,
        }
        # With the page cache, as served; then each page rendered afresh for every request
        # (without the CSV, which is never kept).
        cold_env = {**env, "PAGE_CACHE_MB": "0"}
        cold_pages = [page for page in pages() if not page.few_connections]
        runs = (("", env, pages()), ("_cold", cold_env, cold_pages))
        for suffix, run_env, run_pages in runs:
            if suffix:
                say("  dezelfde pagina's zonder paginacache (PAGE_CACHE_MB=0):")
            log_path = work_dir / f"gunicorn-{kind}{suffix}.log"
            # The cold pass measures half as long, so that both fit in make bench's ten minutes.
            run_duration = max(2, duration // 2) if suffix else duration
            result[f"pages{suffix}"], result[f"workers{suffix}"] = serve_and_measure(
                run_env, port, run_pages, count, run_duration, log_path
            )
        result["load_end"] = load()
        if letter:
            result["letter"] = letter_against(url)
        result["reminder_planning"] = reminders_against(url)
    return result


def serve_and_measure(
    env: dict[str, str], port: int, page_list: list[Page], count: int, duration: int, log: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Start gunicorn, measure each page in turn, stop it; the pages' results and the
    workers' memory at the end."""
    base = f"http://127.0.0.1:{port}"
    with gunicorn(env, log) as server:
        started = time.perf_counter()
        while not healthy(base):
            if server.poll() is not None or time.perf_counter() - started > 60:
                say(log.read_text(errors="replace")[-3000:])
                raise SystemExit("gunicorn startte niet")
            time.sleep(0.3)
        measured = []
        for page in page_list:
            say(f"  {page.name} …")
            measured.append(measure_page(base, port, page, server.pid, count, duration, log))
        workers = [{"pid": pid, **memory_of(pid)} for pid in workers_of(server.pid)]
    return measured, workers


def letter_against(url: str) -> dict[str, Any]:
    from app import create_app
    from benchmarks.letter import bench_letter
    from config import ProductionConfig

    config = type(
        "LetterBenchConfig",
        (ProductionConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "ALLOW_SQLITE": True,  # measured in this one process
            "BASE_URL": "http://127.0.0.1",
            "SECRET_KEY": secrets.token_hex(32),
        },
    )
    return bench_letter(create_app(config))


# Reporting --------------------------------------------------------------------------------


def ratio(page: dict[str, Any], healthz: dict[str, Any] | None) -> float | None:
    if not healthz or not healthz.get("requests_per_second") or page["outcome"] != "measured":
        return None
    return round(page["requests_per_second"] / healthz["requests_per_second"], 4)


def print_row(page: dict[str, Any], healthz: dict[str, Any]) -> None:
    page["ratio_to_healthz"] = ratio(page, healthz)
    rss = max(page["workers_rss_mb"], default=0)
    if page["outcome"] == "failed":
        reason, seconds = page["probe"].get("error", ""), page["probe"]["seconds"]
        say(f"{page['name']:<26} {'—':>5} mislukt na {seconds} s: {reason[:70]}")
        return
    if page["outcome"] == "no_answer":
        say(
            f"{page['name']:<26} {page['connections']:>5} geen enkel antwoord in "
            f"{page['seconds']} s (één verzoek vooraf: {page['probe']['seconds']} s)"
        )
        return
    say(
        f"{page['name']:<26} {page['connections']:>5} {page['requests_per_second']:>8.1f}"
        f" {page['p50_ms']:>9.1f} {page['p99_ms']:>9.1f} {page['error_total']:>7}"
        f" {page['ratio_to_healthz'] or 0:>10.4f} {rss:>8.0f}"
    )


def print_table(result: dict[str, Any]) -> None:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    bench_data = result["bench_data"]
    say(
        f"\n{title}, {dutch(result['count'])} toezeggingen — bench-data "
        f"{bench_data['seconds']:.1f} s; belasting (1/5/15 min) bij de start "
        f"{result['load_start']}, aan het eind {result['load_end']}"
    )
    header = ("pagina", "verb.", "req/s", "p50 ms", "p99 ms", "fouten", "÷ healthz", "RSS MB")
    for key, heading in (("pages", "met paginacache"), ("pages_cold", "zonder paginacache")):
        if key not in result:
            continue
        say(f"{heading}:")
        say("{:<26} {:>5} {:>8} {:>9} {:>9} {:>7} {:>10} {:>8}".format(*header))
        for page in result[key]:
            print_row(page, result[key][0])
    for page in result["pages"]:
        checked = page["probe"]
        if "rows" in checked:
            verdict = "volledig" if checked["complete"] else "ONVOLLEDIG"
            say(
                f"  {page['name']}: één verzoek {checked['seconds']:.1f} s, "
                f"{checked['bytes'] / 1e6:.1f} MB, {dutch(checked['rows'])} van "
                f"{dutch(checked['expected_rows'])} rijen: {verdict}"
            )
        if page.get("server_timeouts"):
            say(
                f"  {page['name']}: gunicorn brak {page['server_timeouts']} verzoek(en) af na "
                f"{SERVER_TIMEOUT} s (ook verzoeken die wrk bij het einde van de run achterliet)"
            )
    workers = ", ".join(
        f"{w.get('VmRSS', 0):.0f} MB (piek {w.get('VmHWM', 0):.0f} MB)" for w in result["workers"]
    )
    say(f"  workers na afloop: {workers}")
    replaced = [page["name"] for page in result["pages"] if page.get("workers_replaced")]
    if replaced:
        say(f"  workers vervangen na: {', '.join(replaced)} (achtergelaten verzoeken)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8, help="seconden per pagina")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-letter", action="store_true", help="de brief niet meten")
    parser.add_argument(
        "--no-interop", action="store_true", help="het inlezen van Kamerrecords niet meten"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk ontbreekt: `make bench` installeert het (apt-get install wrk).")
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": args.count,
        "cpus": os.cpu_count(),
        "load_start": load(),
        "settings": {
            "connections": CONNECTIONS,
            "few_connections": FEW_CONNECTIONS,
            "warmup_seconds": WARMUP_SECONDS,
            "duration_seconds": args.duration,
            "wrk_timeout_seconds": WRK_TIMEOUT,
            "server_timeout_seconds": SERVER_TIMEOUT,
            "gunicorn": "gunicorn.conf.py: 10 sync workers, APP_ENV=production",
        },
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for kind in kinds:
            letter = kind == "sqlite" and not args.no_letter
            result = bench_database(kind, args.count, args.duration, Path(tmp), letter)
            results["databases"][kind] = result
            print_table(result)
    if not args.no_interop:
        say(f"\nKamerrecords inlezen: {dutch(INTEROP_RECORDS)} in een nieuw SQLite-register")
        results["interop_import"] = bench_import(INTEROP_RECORDS)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["load_end"] = load()
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    say(
        f"\nKlaar in {results['seconds']:.0f} s (belasting aan het eind {results['load_end']}); "
        f"de cijfers staan in {args.output}."
    )


if __name__ == "__main__":
    main()
