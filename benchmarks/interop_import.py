"""Importing the Kamer's records (DESIGN §13): how long ``flask interop import`` takes for N
made-up ``Toezegging`` records in the OData shape, into a fresh SQLite register, and how long
the same file takes a second time (when nothing changes).

    python -m benchmarks.interop_import [--count 10000] [--url sqlite:///…]

Prints one line per run with the time and the rate; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

MINISTRIES = [
    ("Economische Zaken en Klimaat", "Minister", "Herbert", "H.G.", "Hendrik", None),
    ("Justitie en Veiligheid", "Minister", "Berg", "A.C.", "Anna", "van den"),
    ("Onderwijs, Cultuur en Wetenschap", "Staatssecretaris", "Paternotte", "J.M.", "Jan", None),
    ("Infrastructuur en Waterstaat", "Minister", "Dijkhuizen", "P.R.", "Pieter", None),
    ("Volksgezondheid, Welzijn en Sport", "Minister", "Kramer", "E.L.", "Els", "de"),
    ("Financiën", "Staatssecretaris", "Bosch", "T.", "Tom", "ten"),
]
STATUSES = ["Openstaand"] * 6 + ["Voldaan"] * 3 + ["Deels voldaan", "Vervallen"]
SUBJECTS = [
    "netcongestie",
    "de jeugdzorg",
    "de voortgang van de woningbouw",
    "de uitvoering van de motie over laaggeletterdheid",
    "het wetsvoorstel over toezicht op kinderopvang",
    "de evaluatie van de Participatiewet",
    "de capaciteit van het gevangeniswezen",
    "stikstofreductie in de landbouw",
]
PERSONS = [("Dijk", "GL-PvdA"), ("Kops", "PVV"), ("Beckerman", "SP"), ("Vijlbrief", "D66")]


def tk_records(count: int, seed: int = 1) -> list[dict[str, Any]]:
    """``count`` records as the Kamer's OData service gives them; the same seed, the same."""
    chance = random.Random(seed)  # noqa: S311 - made-up records, no secrets
    records = []
    for number in range(1, count + 1):
        ministry, role, surname, initials, first, infix = chance.choice(MINISTRIES)
        year = chance.randint(2019, 2026)
        month = chance.randint(1, 12)
        day = chance.randint(1, 28)
        subject = chance.choice(SUBJECTS)
        person, party = chance.choice(PERSONS)
        dated = chance.random() < 0.5
        records.append(
            {
                "Id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                "Nummer": f"TZ{year}{month:02d}-{number:05d}",
                "Tekst": f"De {role.lower()} zegt toe de Kamer te informeren over {subject} "
                f"(toezegging {number}).",
                "Naam": f"{surname}, {initials}",
                "Initialen": initials,
                "Voornaam": first,
                "Tussenvoegsel": infix,
                "Achternaam": surname,
                "Functie": f"{role} van {ministry}",
                "Ministerie": ministry,
                "Status": chance.choice(STATUSES),
                "Aanmaakdatum": f"{year}-{month:02d}-{day:02d}T00:00:00+01:00",
                "DatumNakoming": (
                    f"{min(year + 1, 2027)}-{month:02d}-{day:02d}T00:00:00+01:00"
                    if dated
                    else "0001-01-01T00:00:00Z"
                ),
                "ActiviteitNummer": f"{year}A{chance.randint(1, 99999):05d}",
                "KamerbriefNakoming": None,
                "Notities": None,
                "Verwijderd": False,
                "GewijzigdOp": f"{year}-{month:02d}-{day:02d}T10:00:00.5+01:00",
                "ApiGewijzigdOp": f"{year}-{month:02d}-{day:02d}T09:00:01Z",
                "toegezegdAanPersoon": person,
                "toegezegdAanFractie": party,
            }
        )
    return records


def bench_import(count: int = 10_000, url: str | None = None) -> dict[str, Any]:
    """Import ``count`` made-up records twice into a fresh register (a new SQLite file unless
    ``url``): the seconds, the rate and the summary of each run."""
    import flask_migrate

    from app import MIGRATIONS_DIR, create_app
    from app.extensions import db
    from app.interop.importing import import_records
    from app.interop.records import read_paths
    from config import TestConfig

    runs = []
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{folder}/interop-bench.sqlite"
        page = Path(folder) / "toezeggingen.json"
        page.write_text(json.dumps({"value": tk_records(count)}), encoding="utf-8")
        config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
        app = create_app(config)
        with app.app_context():
            flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
            for run in ("eerste keer", "tweede keer"):
                started = time.perf_counter()
                reading = read_paths([page])
                report = import_records(reading.records, bad=reading.bad)
                db.session.commit()
                seconds = time.perf_counter() - started
                runs.append(
                    {
                        "run": run,
                        "seconds": round(seconds, 2),
                        "per_second": round(count / seconds),
                        "summary": report.summary(),
                    }
                )
                print(
                    f"{run}: {count} records in {seconds:.2f} s "
                    f"({count / seconds:,.0f} per seconde): {report.summary()}",
                    flush=True,
                )
            db.session.remove()
            db.engine.dispose()
    return {"count": count, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    arguments = parser.parse_args()
    bench_import(arguments.count, arguments.url)


if __name__ == "__main__":
    main()
