"""Planning one day's reminders, in process, against a bench-data register (DESIGN §8).

Every run plans the day in a transaction that is rolled back afterwards, so each run is a first
planning of that day and the database is left as it was. Reported per day: the median time of
the runs, how many reminders were planned in how many e-mails, the median time of only selecting
the promises with a reminder that day (``planning.promises_with_reminders_on``), and the median
time of planning the same day a second time (a restart, or a second scheduler: nothing new to
plan). Nothing is asserted: speed is reported, not tested.

    python -m benchmarks.reminders URL [URL …] [--day 2026-11-04 …] [--repeats 5]

`make bench` runs it against each database it fills (``reminders_against``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import statistics
import time
from typing import Any

from flask import Flask

#: Days after bench-data's STATUS_DAY (2026-11-01): a Wednesday, a Friday (its reminders
#: include the weekend's) and a Monday (the weekly digest of promises without owner or deadline).
BENCH_DAYS = (dt.date(2026, 11, 4), dt.date(2026, 11, 6), dt.date(2026, 11, 9))


def bench_planning(
    app: Flask, day: dt.date, repeats: int = 5, due: int | None = None
) -> dict[str, Any]:
    """Plan ``day`` ``repeats`` times (plus one warm-up), each in a rolled-back transaction.

    With ``due``, only that many of the promises with a reminder on ``day`` stay outstanding
    (the others are marked fulfilled in the same rolled-back transaction, before the clock
    starts): a day with as many reminders whatever the size of the register, to see whether the
    rest of the register costs anything."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.register.models import Commitment, CommitmentStatus
    from app.reminders import planning

    def keep_only(count: int) -> None:
        found = planning.promises_with_reminders_on(day)
        db.session.execute(
            sa.update(Commitment)
            .where(Commitment.id.in_([c.id for c in found[count:]]))
            .values(status=CommitmentStatus.FULFILLED)
            .execution_options(synchronize_session=False)
        )
        db.session.expire_all()

    first: list[float] = []
    again: list[float] = []
    selecting: list[float] = []
    report = None
    selected = 0
    with app.app_context():
        promises = db.session.query(Commitment).count()
        db.session.rollback()
        for run in range(repeats + 1):
            if due is not None:
                keep_only(due)
            started = time.perf_counter()
            selected = len(planning.promises_with_reminders_on(day))
            selecting.append(time.perf_counter() - started)
            db.session.expunge_all()  # planning reads the promises afresh
            started = time.perf_counter()
            report = planning.plan_day(day)
            middle = time.perf_counter()
            second = planning.plan_day(day)
            ended = time.perf_counter()
            db.session.rollback()
            assert second.reminders == 0, "planned twice"
            if run:  # the first run warms caches (templates, holidays, the database's pages)
                first.append(middle - started)
                again.append(ended - middle)
        db.session.remove()
    assert report is not None
    return {
        "day": day.isoformat(),
        "promises": promises,
        "due_kept": due,
        "repeats": repeats,
        "median_ms": round(statistics.median(first) * 1000, 1),
        "runs_ms": [round(seconds * 1000, 1) for seconds in first],
        "select_median_ms": round(statistics.median(selecting[1:]) * 1000, 1),
        "selected_promises": selected,
        "reminders": report.reminders,
        "messages": report.messages,
        "digests": report.digests,
        "again_median_ms": round(statistics.median(again) * 1000, 1),
    }


def app_for(url: str) -> Flask:
    from app import create_app
    from config import ProductionConfig

    config = type(
        "ReminderBenchConfig",
        (ProductionConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "ALLOW_SQLITE": True,  # measured in this one process
            "BASE_URL": "http://127.0.0.1",
            "SECRET_KEY": secrets.token_hex(32),
            "LOG_LEVEL": "WARNING",
        },
    )
    return create_app(config)


def reminders_against(
    url: str, days: tuple[dt.date, ...] = BENCH_DAYS, repeats: int = 3
) -> list[dict[str, Any]]:
    app = app_for(url)
    results = []
    for day in days:
        result = bench_planning(app, day, repeats)
        results.append(result)
        print(
            f"\nHerinneringen plannen voor {day:%a %Y-%m-%d} bij {result['promises']:,} "
            f"toezeggingen: {result['median_ms']} ms (mediaan van {result['repeats']}), "
            f"{result['reminders']} herinneringen in {result['messages']} e-mails, "
            f"{result['digests']} overzichten; selectie {result['select_median_ms']} ms "
            f"({result['selected_promises']} toezeggingen); nogmaals: "
            f"{result['again_median_ms']} ms",
            flush=True,
        )
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reminders", description=__doc__)
    parser.add_argument("urls", nargs="+", help="databases filled by flask bench-data")
    parser.add_argument("--day", action="append", type=dt.date.fromisoformat)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--due", type=int, help="alleen zoveel toezeggingen met een herinnering die dag"
    )
    args = parser.parse_args()
    days = tuple(args.day) if args.day else BENCH_DAYS
    for url in args.urls:
        app = app_for(url)
        for day in days:
            result = bench_planning(app, day, args.repeats, args.due)
            print(
                f"{url.rsplit('/', 1)[-1]:<16} {day:%a %Y-%m-%d} {result['promises']:>7} "
                f"toezeggingen: {result['median_ms']:>8} ms {result['runs_ms']}  "
                f"{result['reminders']} herinneringen, {result['messages']} e-mails, "
                f"{result['digests']} overzichten; selectie {result['select_median_ms']} ms "
                f"({result['selected_promises']}); nogmaals {result['again_median_ms']} ms",
                flush=True,
            )


if __name__ == "__main__":
    main()
