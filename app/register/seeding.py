"""Load the register's seed data (``seeds/*.toml``) idempotently.

Every record is looked up by its natural key first (a ministry by code, a document by Kamerstuk
id, a promise by its source and exact words), so loading twice adds nothing. Promises are created
through the register's services, so they get numbers and history like any other.
"""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from app.extensions import db
from app.register import notes, services
from app.register.models import (
    Activity,
    Commitment,
    CommitmentStatus,
    Committee,
    Document,
    DocumentKind,
    Ministry,
    Official,
)

logger = logging.getLogger(__name__)

SECTIONS = ("ministries", "officials", "committees", "documents", "activities", "commitments")


class SeedError(Exception):
    """The seed data cannot be loaded; the message names the file and record."""


@dataclass
class SeedReport:
    """How many records of each kind a run added."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))

    @property
    def total(self) -> int:
        return sum(self.added.values())


def read_seed_files(seed_dir: Path) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """All records per section, each with the name of the file it came from."""
    files = sorted(seed_dir.glob("*.toml"))
    if not files:
        raise SeedError(f"Geen seedbestanden (*.toml) gevonden in {seed_dir}.")
    records: dict[str, list[tuple[str, dict[str, Any]]]] = {name: [] for name in SECTIONS}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise SeedError(f"{path.name}: geen geldige TOML ({error}).") from None
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise SeedError(f"{path.name}: onbekende sectie(s) {', '.join(sorted(unknown))}.")
        for section in SECTIONS:
            records[section].extend((path.name, record) for record in data.get(section, []))
    return records


def load_seeds(seed_dir: Path, progress: Callable[[str], None] | None = None) -> SeedReport:
    """Add whatever of the seed data is not in the database yet; flushes, never commits."""
    records = read_seed_files(seed_dir)
    report = SeedReport()
    loaders: dict[str, Callable[[dict[str, Any]], bool]] = {
        "ministries": _load_ministry,
        "officials": _load_official,
        "committees": _load_committee,
        "documents": _load_document,
        "activities": _load_activity,
        "commitments": _load_commitment,
    }
    for section in SECTIONS:
        for filename, record in records[section]:
            try:
                if loaders[section](record):
                    report.added[section] += 1
            except (KeyError, ValueError, TypeError) as error:
                raise SeedError(f"{filename}: {section}: {_describe(record)}: {error}") from None
        db.session.flush()
        if progress:
            progress(f"{section}: {report.added[section]} toegevoegd")
    return report


def _describe(record: dict[str, Any]) -> str:
    for key in ("id", "code", "name", "title"):
        if key in record:
            return repr(record[key])
    return repr(record)


T = TypeVar("T")


def _one(statement: sa.Select[tuple[T]]) -> T | None:
    return db.session.scalars(statement).one_or_none()


def _ministry(code: str) -> Ministry:
    ministry = _one(sa.select(Ministry).where(Ministry.code == code))
    if ministry is None:
        raise ValueError(f"onbekend ministerie {code!r}")
    return ministry


def _committee(abbreviation_or_name: str | None) -> Committee | None:
    if abbreviation_or_name is None:
        return None
    committee = _one(
        sa.select(Committee).where(
            sa.or_(
                Committee.abbreviation == abbreviation_or_name,
                Committee.name == abbreviation_or_name,
            )
        )
    )
    if committee is None:
        raise ValueError(f"onbekende commissie {abbreviation_or_name!r}")
    return committee


def _document(kamerstuk_id: str | None) -> Document | None:
    if kamerstuk_id is None:
        return None
    document = services.find_document(kamerstuk_id)
    if document is None:
        raise ValueError(f"onbekend document {kamerstuk_id!r}")
    return document


def _official(name: str | None) -> Official | None:
    if name is None:
        return None
    officials = db.session.scalars(sa.select(Official).where(Official.name == name)).all()
    if len(officials) != 1:
        raise ValueError(f"bewindspersoon {name!r} niet eenduidig gevonden")
    return officials[0]


def _activity(title: str | None) -> Activity | None:
    if title is None:
        return None
    activity = _one(sa.select(Activity).where(Activity.title == title))
    if activity is None:
        raise ValueError(f"onbekende activiteit {title!r}")
    return activity


def _load_ministry(record: dict[str, Any]) -> bool:
    if _one(sa.select(Ministry).where(Ministry.code == record["code"])):
        return False
    db.session.add(Ministry(code=record["code"], name=record["name"]))
    return True


def _load_official(record: dict[str, Any]) -> bool:
    existing = _one(
        sa.select(Official).where(
            Official.name == record["name"], Official.function == record["function"]
        )
    )
    if existing:
        return False
    db.session.add(
        Official(
            name=record["name"],
            function=record["function"],
            ministry=_ministry(record["ministry"]),
            active_from=_date(record.get("active_from")),
            active_to=_date(record.get("active_to")),
        )
    )
    return True


def _load_committee(record: dict[str, Any]) -> bool:
    if _one(sa.select(Committee).where(Committee.name == record["name"])):
        return False
    db.session.add(Committee(name=record["name"], abbreviation=record.get("abbreviation")))
    return True


def _load_document(record: dict[str, Any]) -> bool:
    if services.find_document(record["id"]) is not None:
        return False
    dossier, ondernummer = Document.parse_kamerstuk_id(record["id"])
    db.session.add(
        Document(
            kind=DocumentKind(record.get("kind", "brief")),
            dossier_number=dossier,
            ondernummer=ondernummer,
            title=record["title"],
            date=_date(record.get("date")),
            url=record.get("url"),
        )
    )
    return True


def _load_activity(record: dict[str, Any]) -> bool:
    if _one(sa.select(Activity).where(Activity.title == record["title"])):
        return False
    db.session.add(
        Activity(
            kind=record["kind"],
            title=record["title"],
            date=_required_date(record["date"]),
            committee=_committee(record.get("committee")),
            report=_document(record.get("report")),
        )
    )
    return True


def _load_commitment(record: dict[str, Any]) -> bool:
    source = _document(record.get("source"))
    text = " ".join(record["text"].split())
    made_on = _required_date(record["made_on"])
    existing = _one(
        sa.select(Commitment).where(Commitment.text == text, Commitment.made_on == made_on)
    )
    if existing:
        return False
    status = CommitmentStatus(record.get("status", "open"))
    commitment = services.create_commitment(
        title=record["title"],
        text=text,
        made_on=made_on,
        ministry=_ministry(record["ministry"]),
        source_document=source,
        activity=_activity(record.get("activity")),
        responsible_official=_official(record.get("responsible")),
        committee=_committee(record.get("committee")),
        requested_by=record.get("requested_by"),
        kamer_number=record.get("kamer_number"),
        deadline=_date(record.get("deadline")),
        deadline_phrase=record.get("deadline_phrase"),
        kamer_status=record.get("kamer_status"),
        note=notes.system_note(notes.SEEDED),
    )
    if status is CommitmentStatus.FULFILLED or record.get("fulfilled_by"):
        fulfilling = _document(record.get("fulfilled_by"))
        if fulfilling is None:
            raise ValueError("een voldane toezegging heeft fulfilled_by nodig")
        services.mark_fulfilled(
            commitment,
            fulfilling,
            fulfilled_on=_date(record.get("fulfilled_on")),
            partially=status is CommitmentStatus.PARTIALLY_FULFILLED,
            note=notes.system_note(
                notes.SEEDED_FULFILMENT, kamerstuk=fulfilling.kamerstuk_label or fulfilling.title
            ),
        )
    elif status is not CommitmentStatus.OPEN:
        services.change_status(commitment, status, note=notes.system_note(notes.SEEDED_STATUS))
    return True


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return _required_date(value)


def _required_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"verwacht een datum zonder tijd, kreeg {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"geen datum: {value!r}")
