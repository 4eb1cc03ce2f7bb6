"""The Kamer's recess calendar: published periods, and a rule for the years not published."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Flask, current_app

BUILT_IN = Path(__file__).resolve().parent / "data" / "recesses-tweede-kamer.csv"
FRIDAY = 4


@dataclass(frozen=True)
class Recess:
    """One recess, e.g. zomerreces 2023 from 7 July to 4 September."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def kind(self) -> str:
        """``zomerreces``, ``kerstreces`` … without the year."""
        return self.name.rsplit(" ", 1)[0].strip().lower()


class RecessCalendar:
    """Published recesses, falling back to the Tweede Kamer's rule for other years.

    The rule: the zomerreces starts on the first Friday on or after 2 July, the kerstreces on
    the last Friday on or before 23 December. It matches every published date we have.
    """

    def __init__(self, recesses: list[Recess]) -> None:
        self.recesses = sorted(recesses, key=lambda recess: recess.start)

    @classmethod
    def from_csv(cls, path: Path) -> RecessCalendar:
        """Read ``reces,start,end`` rows; lines starting with ``#`` are comments."""
        with path.open(encoding="utf-8") as handle:
            rows = csv.DictReader(line for line in handle if not line.lstrip().startswith("#"))
            try:
                recesses = [
                    Recess(
                        row["reces"].strip(),
                        dt.date.fromisoformat(row["start"].strip()),
                        dt.date.fromisoformat(row["end"].strip()),
                    )
                    for row in rows
                ]
            except (KeyError, ValueError, AttributeError) as error:
                raise ValueError(f"{path}: geen geldige receskalender ({error})") from None
        return cls(recesses)

    def start_of(self, kind: str, year: int) -> dt.date | None:
        """First day of the named recess in ``year``; None when neither published nor ruled."""
        for recess in self.recesses:
            if recess.kind == kind and recess.start.year == year:
                return recess.start
        if kind == "zomerreces":
            return summer_recess_rule(year)
        if kind == "kerstreces":
            return christmas_recess_rule(year)
        return None


def summer_recess_rule(year: int) -> dt.date:
    second_of_july = dt.date(year, 7, 2)
    return second_of_july + dt.timedelta(days=(FRIDAY - second_of_july.weekday()) % 7)


def christmas_recess_rule(year: int) -> dt.date:
    december_23 = dt.date(year, 12, 23)
    return december_23 - dt.timedelta(days=(december_23.weekday() - FRIDAY) % 7)


@cache
def default_calendar() -> RecessCalendar:
    return RecessCalendar.from_csv(BUILT_IN)


def calendar_from_file(path: str | None) -> RecessCalendar:
    """The calendar named by ``RECESS_CALENDAR``, or the built-in one."""
    return RecessCalendar.from_csv(Path(path)) if path else default_calendar()


def init_app(app: Flask) -> None:
    """Read the configured calendar once, at start: a broken file stops the app, not a request."""
    app.extensions["recess_calendar"] = calendar_from_file(app.config.get("RECESS_CALENDAR"))


def recess_calendar() -> RecessCalendar:
    """The calendar this app was started with."""
    calendar: RecessCalendar = current_app.extensions["recess_calendar"]
    return calendar
