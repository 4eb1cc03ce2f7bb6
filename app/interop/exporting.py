"""The register's promises in the Kamer's shape (DESIGN §13).

``tk-json`` writes one OData page holding every promise that came from the Kamer, built from
the register's current fields (text, number, deadline, status word) and what the register
keeps of the Kamer's record; importing it again changes nothing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.formatting import today
from app.interop.models import KamerRecord, KamerRelation
from app.interop.records import TkRecord, record_to_json
from app.interop.sheets import sheet_rows, write_csv, write_xlsx

#: Records read from the database at a time.
BATCH = 1000


def _relations() -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    statement = sa.select(
        KamerRelation.record_id, KamerRelation.kind, KamerRelation.target_kamer_id
    ).order_by(KamerRelation.id)
    for record_id, kind, target in db.session.execute(statement):
        found.setdefault(record_id, []).append((kind, target))
    return found


def tk_records() -> Iterator[TkRecord]:
    """Every promise with a Kamer record, as that record now reads, by the Kamer's number."""
    relations = _relations()
    statement = (
        sa.select(KamerRecord)
        .options(so.joinedload(KamerRecord.commitment))
        .order_by(KamerRecord.id)
        .execution_options(yield_per=BATCH)
    )
    for kamer in db.session.scalars(statement):
        commitment = kamer.commitment
        fields = {
            "Nummer": commitment.kamer_number,
            "Tekst": commitment.text,
            "Naam": kamer.name,
            "Initialen": kamer.initials,
            "Voornaam": kamer.first_name,
            "Tussenvoegsel": kamer.infix,
            "Achternaam": kamer.surname,
            "Functie": kamer.function,
            "Ministerie": kamer.ministry,
            "Status": commitment.kamer_status or commitment.status.label,
            "ActiviteitNummer": kamer.activity_number,
            "KamerbriefNakoming": kamer.fulfilling_letter,
            "Notities": kamer.notes,
        }
        yield TkRecord(
            id=kamer.kamer_id,
            changed_on=kamer.changed_on,
            changed_at=kamer.changed_at,
            fields=fields,
            created_on=kamer.created_on,
            deadline=commitment.deadline,
            deleted=kamer.deleted,
            api_changed_on=kamer.api_changed_on,
            promised_to_person=kamer.promised_to_person,
            promised_to_party=kamer.promised_to_party,
            relations=tuple(relations.get(kamer.id, ())),
        )


def write_tk_json(out: IO[str]) -> int:
    """Write the page to ``out``, one record a line; returns how many records."""
    out.write('{"value": [')
    count = 0
    for record in tk_records():
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record_to_json(record), ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


#: The formats of ``flask interop export`` and /beheer/export, with their file suffix and type.
EXPORT_FORMATS = {
    "tk-json": ("json", "application/json"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def write_export(file_format: str, target: IO[bytes]) -> int:
    """Write the register in ``file_format`` (one of EXPORT_FORMATS) to ``target``; returns how
    many promises. CSV is UTF-8 with a byte-order mark, so that Excel reads it as such."""
    if file_format == "xlsx":
        return write_xlsx(target, sheet_rows(today()))
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    try:
        if file_format == "csv":
            text.write("\ufeff")
            return write_csv(text, sheet_rows(today()))
        return write_tk_json(text)
    finally:
        text.flush()
        text.detach()
