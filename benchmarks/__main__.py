"""Measure the public pages and the API at 10 and at 1,000 promises on SQLite.

Prints the median time per request and the number of SQL statements per request for each size,
and the ratio between the two sizes: a page that scales with the register, rather than with the
page size, shows up as a large ratio.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from app import MIGRATIONS_DIR, create_app
from app.extensions import db
from app.register import services
from app.register.models import Ministry
from config import TestConfig

PAGES = [
    ("overzicht", "/"),
    ("lijst", "/toezeggingen"),
    ("lijst, gezocht", "/toezeggingen?q=hervestiging"),
    ("detail", "/toezeggingen/TZ-2019-0001"),
    ("API-lijst (100)", "/api/v1/commitments?per_page=100"),
    ("CSV (alles)", "/toezeggingen.csv"),
    ("Excel (alles)", "/toezeggingen.xlsx"),
    ("iCal (alles)", "/toezeggingen.ics"),
    ("Atom", "/toezeggingen.atom"),
]
REPEATS = 30


def build(size: int, directory: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{directory / f'bench_{size}.sqlite'}"
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        ministries = [Ministry(code=f"M{i}", name=f"Ministerie {i}") for i in range(8)]
        db.session.add_all(ministries)
        for number in range(size):
            services.create_commitment(
                title=f"Hervestigingsmissie {number}",
                text=f"Een nieuwe hervestigingsmissie nummer {number} is voorzien.",
                made_on=dt.date(2019, 1, 1) + dt.timedelta(days=number % 365),
                ministry=ministries[number % len(ministries)],
                deadline=dt.date(2019, 6, 30) + dt.timedelta(days=number % 900),
                deadline_phrase="eerste helft van 2019",
            )
        db.session.commit()
    return app


def measure(app, path: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        engine = db.engine
    client.get(path)  # warm up
    sa.event.listen(engine, "before_cursor_execute", count)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    sa.event.remove(engine, "before_cursor_execute", count)
    return statistics.median(timings) * 1000, statements // REPEATS


def bench_letter(app) -> None:  # type: ignore[no-untyped-def]
    """A 30-page letter (the 2019 letter fifteen times over) read and analysed."""
    from app.letters.extract import read_letter

    one = (
        Path(__file__).resolve().parent.parent
        / "seeds"
        / "letters"
        / "2019-04-11_kst-32735-243_libie-migratie.txt"
    ).read_text(encoding="utf-8")
    body = one.split("Den Haag, 11 april 2019", 1)[1].rsplit("De Staatssecretaris", 1)[0]
    letter = one.replace(body, body * 15)
    pages = len(letter) / 3000
    with app.app_context():
        read_letter(letter)  # warm up: rules compiled, caches filled
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            reading = read_letter(letter)
            timings.append(time.perf_counter() - start)
    print(
        f"\nBrief van ~{pages:.0f} pagina's ({len(letter):,} tekens): "
        f"{statistics.median(timings) * 1000:.0f} ms, {len(reading.promises)} toezeggingen, "
        f"{len(reading.fulfilments)} nakomingen (doel: onder 1000 ms)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        apps = {size: build(size, Path(tmp)) for size in (10, 1000)}
        header = ("pagina", "10: ms", "SQL", "1000: ms", "SQL", "verhouding")
        print("{:<18} {:>8} {:>4} {:>9} {:>4} {:>11}".format(*header))
        for name, path in PAGES:
            small_ms, small_sql = measure(apps[10], path)
            large_ms, large_sql = measure(apps[1000], path)
            print(
                f"{name:<18} {small_ms:8.2f} {small_sql:4d} {large_ms:9.2f} {large_sql:4d}"
                f" {large_ms / small_ms:10.2f}x"
            )
        bench_letter(apps[1000])


if __name__ == "__main__":
    main()
