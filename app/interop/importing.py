"""Upsert the Kamer's ``Toezegging`` records into the register (DESIGN §13).

Keyed on the Kamer's ``Id``. Promises are created and changed through the register's services,
so history shows each one ("Overgenomen uit de Kamerregistratie", "Bijgewerkt uit de
Kamerregistratie"). Flushes, never commits: the command or job that calls it owns the
transaction. Work per record is kept small: existing records, ministries and officials are
looked up once per import, not once per record.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.interop.models import KamerRecord, KamerRelation
from app.interop.records import BadRecord, TkRecord
from app.register import services
from app.register.models import Commitment, CommitmentStatus, Ministry, Official

logger = logging.getLogger(__name__)

#: The history note of a promise the import creates, and of one it changes.
CREATED_NOTE = "Overgenomen uit de Kamerregistratie"
UPDATED_NOTE = "Bijgewerkt uit de Kamerregistratie"
#: The history note when the Kamer deletes a promise from its registration, or restores it.
DELETED_NOTE = "Verwijderd uit de Kamerregistratie: niet meer openbaar"
RESTORED_NOTE = "Weer in de Kamerregistratie: weer openbaar"

#: Ids looked up in one query.
LOOKUP_BATCH = 500

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    """What an import did, or (dry run) would do."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (where, why) of every record left out.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Status words the register does not know, with how often they came.
    unknown_statuses: Counter[str] = field(default_factory=Counter)
    #: One line per created or changed promise.
    changes: list[str] = field(default_factory=list)
    #: The latest ``GewijzigdOp`` among the records read (for the sync).
    latest: Any = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.skipped)

    def summary(self) -> str:
        return str(
            _(
                "%(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd, "
                "%(skipped)s overgeslagen.",
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
                skipped=len(self.skipped),
            )
        )


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


_MINISTRY_PREFIX = re.compile(r"^(?:ministerie\s+(?:van|voor)\s+)", re.IGNORECASE)
_FUNCTION_MINISTRY = re.compile(
    r"^(?:minister|staatssecretaris|minister-president)\s+(?:van|voor)\s+(?P<ministry>.+)$",
    re.IGNORECASE,
)


def ministry_key(name: str) -> str:
    """``Ministerie van Justitie en Veiligheid`` and ``Justitie en Veiligheid`` alike."""
    return _normal(_MINISTRY_PREFIX.sub("", name.strip()))


def official_name(record: TkRecord) -> str | None:
    """The name as the register writes officials (``H.G. Herbert``), from the Kamer's parts
    or from ``Naam`` ("Herbert, H.G.")."""
    surname = (record.get("Achternaam") or "").strip()
    if surname:
        parts = [record.get("Initialen"), record.get("Tussenvoegsel"), surname]
        return " ".join(part.strip() for part in parts if part and part.strip())
    name = (record.get("Naam") or "").strip()
    if not name:
        return None
    if "," in name:
        last, _comma, first = name.partition(",")
        return f"{first.strip()} {last.strip()}".strip()
    return name


class Matcher:
    """Ministries and officials by name, loaded once; new ones are created and remembered."""

    def __init__(self) -> None:
        self.ministries: dict[str, Ministry] = {}
        for ministry in db.session.scalars(sa.select(Ministry)):
            self.ministries[ministry_key(ministry.name)] = ministry
            self.ministries.setdefault(_normal(ministry.code), ministry)
        self.codes = {_normal(ministry.code) for ministry in self.ministries.values()}
        self.officials = {
            (_normal(official.name), _normal(official.function)): official
            for official in db.session.scalars(sa.select(Official))
        }

    def ministry_name(self, record: TkRecord) -> str | None:
        named = (record.get("Ministerie") or "").strip()
        if named:
            return named
        match = _FUNCTION_MINISTRY.match((record.get("Functie") or "").strip())
        return match["ministry"].strip() if match else None

    def ministry(self, name: str) -> Ministry:
        key = ministry_key(name)
        found = self.ministries.get(key) or self.ministries.get(_normal(name))
        if found is not None:
            return found
        full = name.strip()
        if not _MINISTRY_PREFIX.match(full):
            full = f"Ministerie van {full}"
        ministry = Ministry(code=self._new_code(key), name=full[:200])
        db.session.add(ministry)
        self.ministries[key] = ministry
        logger.info("Import: new ministry %s", ministry.name)
        return ministry

    def _new_code(self, key: str) -> str:
        letters = "".join(word[0].upper() for word in key.split() if word not in {"en", "van"})
        base = (letters or "MIN")[:12]
        code, number = base, 1
        while _normal(code) in self.codes:
            number += 1
            code = f"{base}{number}"
        self.codes.add(_normal(code))
        return code

    def official(self, name: str, function: str, ministry: Ministry) -> Official:
        key = (_normal(name), _normal(function))
        found = self.officials.get(key)
        if found is None:
            found = Official(name=name[:200], function=function[:200], ministry=ministry)
            db.session.add(found)
            self.officials[key] = found
        return found


def _existing(ids: Sequence[str]) -> dict[str, KamerRecord]:
    found: dict[str, KamerRecord] = {}
    for start in range(0, len(ids), LOOKUP_BATCH):
        chunk = ids[start : start + LOOKUP_BATCH]
        statement = sa.select(KamerRecord).where(KamerRecord.kamer_id.in_(chunk))
        found.update({record.kamer_id: record for record in db.session.scalars(statement)})
    return found


def _numbers_in_use(numbers: Sequence[str]) -> dict[str, tuple[int, bool]]:
    """Of these Kamer numbers, the ones promises already carry: the promise's id, and whether
    it came from the Kamer (a promise a clerk registered with the number is linked, not
    registered twice)."""
    found: dict[str, tuple[int, bool]] = {}
    for start in range(0, len(numbers), LOOKUP_BATCH):
        chunk = numbers[start : start + LOOKUP_BATCH]
        statement = (
            sa.select(Commitment.kamer_number, Commitment.id, KamerRecord.id)
            .outerjoin(KamerRecord, KamerRecord.commitment_id == Commitment.id)
            .where(Commitment.kamer_number.in_(chunk))
        )
        for number, commitment_id, record_id in db.session.execute(statement):
            found[number] = (commitment_id, record_id is not None)
    return found


def _requested_by(record: TkRecord) -> str | None:
    person, party = record.promised_to_person, record.promised_to_party
    if person and party:
        return f"{person} ({party})"[:200]
    return (person or party or None) and str(person or party)[:200]


def _status(record: TkRecord, report: ImportReport) -> CommitmentStatus | None:
    word = (record.get("Status") or "").strip()
    if not word:
        return None
    try:
        return CommitmentStatus.from_kamer_wording(word)
    except ValueError:
        report.unknown_statuses[word] += 1
        return None


def _kamer_values(record: TkRecord, matcher: Matcher, ministry: Ministry) -> dict[str, Any]:
    """The register's fields the Kamer's record sets. Fields the Kamer leaves empty (a deadline,
    the member) keep what the ministry entered; owner, notes and title are never touched."""
    values: dict[str, Any] = {
        "text": (record.get("Tekst") or "").strip(),
        "kamer_number": (record.get("Nummer") or "").strip() or None,
        "ministry": ministry,
    }
    if record.deadline is not None:
        values["deadline"] = record.deadline
    name, function = official_name(record), (record.get("Functie") or "").strip()
    if name and function:
        values["responsible_official"] = matcher.official(name, function, ministry)
    if requested := _requested_by(record):
        values["requested_by"] = requested
    return values


def _store(kamer: KamerRecord, record: TkRecord) -> None:
    kamer.name = record.get("Naam")
    kamer.initials = record.get("Initialen")
    kamer.first_name = record.get("Voornaam")
    kamer.infix = record.get("Tussenvoegsel")
    kamer.surname = record.get("Achternaam")
    kamer.function = record.get("Functie")
    kamer.ministry = record.get("Ministerie")
    kamer.created_on = record.created_on
    kamer.activity_number = record.get("ActiviteitNummer")
    kamer.fulfilling_letter = record.get("KamerbriefNakoming")
    kamer.notes = record.get("Notities")
    kamer.promised_to_person = record.promised_to_person
    kamer.promised_to_party = record.promised_to_party
    kamer.deleted = record.deleted
    kamer.changed_on = record.changed_on
    kamer.changed_at = record.changed_at
    kamer.api_changed_on = record.api_changed_on


def _relate(kamer: KamerRecord, record: TkRecord, *, new: bool) -> None:
    if not new:
        db.session.execute(sa.delete(KamerRelation).where(KamerRelation.record_id == kamer.id))
    for kind, target in dict.fromkeys(record.relations):
        db.session.add(KamerRelation(record=kamer, kind=kind, target_kamer_id=target))


@dataclass
class _Batch:
    """Records new to the register, created together at the end of an import."""

    records: list[TkRecord] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)


def import_records(
    records: Iterable[TkRecord],
    *,
    bad: Iterable[BadRecord] = (),
    progress: Progress | None = None,
    progress_every: int = 1000,
) -> ImportReport:
    """Create, update or leave each record; see the module's docstring."""
    report = ImportReport()
    report.skipped.extend((item.position, item.reason) for item in bad)
    records = list(records)
    existing = _existing(list(dict.fromkeys(record.id for record in records)))
    numbers = [r.get("Nummer") or "" for r in records if r.get("Nummer")]
    in_use = _numbers_in_use(list(dict.fromkeys(numbers)))
    matcher = Matcher()
    batch = _Batch()
    pending: dict[str, int] = {}  # Kamer id → index in the batch
    for position, record in enumerate(records, start=1):
        if progress and position % progress_every == 0:
            progress(_("%(done)s van %(total)s gelezen", done=position, total=len(records)))
        if report.latest is None or record.changed_at > report.latest:
            report.latest = record.changed_at
        where = f"record {position} ({record.get('Nummer') or record.id})"
        if record.id in pending:
            index = pending[record.id]
            if record.changed_at <= batch.records[index].changed_at:
                report.unchanged += 1
                continue
            # A later version of a record that is new: the later one is created instead, and
            # the earlier one counts as left out.
            outcome = _planned(record, matcher, report, batch.rows, index)
            if outcome == "created":
                batch.records[index] = record
                reason = _("een nieuwere versie van dezelfde toezegging volgt in de invoer")
                report.skipped.append((where, reason))
                continue
        else:
            outcome = _upsert(record, existing, in_use, matcher, report, batch)
            if outcome == "created":
                pending[record.id] = len(batch.records) - 1
        if outcome == "created":
            report.created += 1
            report.changes.append(_("nieuw: %(what)s", what=where))
        elif outcome == "updated":
            report.updated += 1
            report.changes.append(_("bijgewerkt: %(what)s", what=where))
        elif outcome == "older":
            report.skipped.append((where, _("ouder dan de versie in het register")))
        elif outcome.startswith("skip:"):
            report.skipped.append((where, outcome.removeprefix("skip:")))
        else:
            report.unchanged += 1
    _create_batch(batch)
    db.session.flush()
    return report


def _planned(
    record: TkRecord,
    matcher: Matcher,
    report: ImportReport,
    rows: list[dict[str, Any]],
    index: int | None = None,
) -> str:
    """Plan a new promise for ``record`` (its row in ``rows``), or say why it cannot be."""
    ministry_name = matcher.ministry_name(record)
    if ministry_name is None:
        return "skip:" + str(_("geen ministerie (Ministerie en Functie zijn leeg)"))
    ministry = matcher.ministry(ministry_name)
    values = _kamer_values(record, matcher, ministry)
    status = _status(record, report)
    made_on = record.made_on
    assert made_on is not None  # records without Aanmaakdatum are refused when read
    official = values.get("responsible_official")
    row = {
        "title": services.suggest_title(values["text"]),
        "text": values["text"],
        "made_on": made_on,
        "ministry": ministry,
        "official": official,
        "status": status or CommitmentStatus.OPEN,
        "kamer_status": (record.get("Status") or "").strip() or None,
        "kamer_number": values["kamer_number"],
        "deadline": values.get("deadline"),
        "requested_by": values.get("requested_by"),
    }
    if index is None:
        rows.append(row)
    else:
        rows[index] = row
    return "created"


def _create_batch(batch: _Batch) -> None:
    """Register the batch's promises and their Kamer records in a few statements."""
    if not batch.rows:
        return
    db.session.flush()  # new ministries and officials get their ids
    items = [
        {
            "title": row["title"],
            "text": row["text"],
            "made_on": row["made_on"],
            "ministry_id": row["ministry"].id,
            "responsible_official_id": row["official"].id if row["official"] else None,
            "status": row["status"],
            "kamer_status": row["kamer_status"],
            "kamer_number": row["kamer_number"],
            "deadline": row["deadline"],
            "requested_by": row["requested_by"],
            "hidden": record.deleted,
        }
        for row, record in zip(batch.rows, batch.records, strict=True)
    ]
    ids = services.create_commitments(items, note=CREATED_NOTE)
    kamer_rows = []
    for record, commitment_id in zip(batch.records, ids, strict=True):
        kamer = KamerRecord(kamer_id=record.id, commitment_id=commitment_id)
        _store(kamer, record)
        kamer_rows.append(
            {column.key: getattr(kamer, column.key) for column in KamerRecord.__table__.columns}
            | {"id": None}
        )
    for row in kamer_rows:
        del row["id"]
    table = db.metadata.tables[KamerRecord.__tablename__]
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    record_ids = list(db.session.connection().execute(statement, kamer_rows).scalars())
    relations = [
        {"record_id": record_id, "kind": kind, "target_kamer_id": target}
        for record, record_id in zip(batch.records, record_ids, strict=True)
        for kind, target in dict.fromkeys(record.relations)
    ]
    if relations:
        db.session.connection().execute(
            db.metadata.tables[KamerRelation.__tablename__].insert(), relations
        )
    logger.info("Import: %s promises registered", len(ids))


def _upsert(
    record: TkRecord,
    existing: dict[str, KamerRecord],
    in_use: dict[str, tuple[int, bool]],
    matcher: Matcher,
    report: ImportReport,
    batch: _Batch,
) -> str:
    kamer = existing.get(record.id)
    if kamer is not None and record.changed_at <= kamer.changed_at:
        return "unchanged" if record.changed_at == kamer.changed_at else "older"
    if not record.complete:
        if kamer is None:
            return "skip:" + str(_("verwijderd door de Kamer en niet in het register"))
        kamer.deleted = True
        kamer.changed_on, kamer.changed_at = record.changed_on, record.changed_at
        kamer.api_changed_on = record.api_changed_on
        services.set_hidden(kamer.commitment, True, note=DELETED_NOTE)
        return "updated"
    number = (record.get("Nummer") or "").strip()
    holder = in_use.get(number) if number else None
    commitment: Commitment | None = kamer.commitment if kamer is not None else None
    if holder is not None and holder[0] != (commitment.id if commitment else None):
        commitment_id, from_kamer = holder
        if kamer is not None or from_kamer:
            return "skip:" + str(
                _("nummer %(number)s hoort al bij een andere toezegging", number=number)
            )
        commitment = db.session.get(Commitment, commitment_id)
    if commitment is None:
        outcome = _planned(record, matcher, report, batch.rows)
        if outcome == "created":
            batch.records.append(record)
            if number:
                in_use[number] = (0, True)
        return outcome
    in_use[number] = (commitment.id, True)
    ministry_name = matcher.ministry_name(record)
    if ministry_name is None:
        return "skip:" + str(_("geen ministerie (Ministerie en Functie zijn leeg)"))
    ministry = matcher.ministry(ministry_name)
    values = _kamer_values(record, matcher, ministry)
    status = _status(record, report)
    word = (record.get("Status") or "").strip() or None
    if any(getattr(commitment, name) != value for name, value in values.items()):
        services.update_commitment(commitment, values, note=UPDATED_NOTE)
    new_status = status or commitment.status
    if new_status != commitment.status or (word is not None and word != commitment.kamer_status):
        services.change_status(commitment, new_status, note=UPDATED_NOTE, kamer_status=word)
    if record.deleted != commitment.hidden:
        note = DELETED_NOTE if record.deleted else RESTORED_NOTE
        services.set_hidden(commitment, record.deleted, note=note)
    new = kamer is None
    if kamer is None:
        kamer = KamerRecord(kamer_id=record.id, commitment=commitment)
        db.session.add(kamer)
        existing[record.id] = kamer
    _store(kamer, record)
    db.session.flush()
    _relate(kamer, record, new=new)
    return "updated"
