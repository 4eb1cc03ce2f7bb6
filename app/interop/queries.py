"""What the pages read of the Kamer's records (DESIGN §13)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.interop.models import KamerRecord, KamerRelation
from app.register.models import Commitment

#: How a relation reads from the promise that names the other, and from the other one.
RELATION_LABELS = {
    "aanvulling": (_l("Is een aanvulling op"), _l("Wordt aangevuld door")),
    "herhaling": (_l("Is een herhaling van"), _l("Wordt herhaald door")),
    "wijziging": (_l("Is een wijziging van"), _l("Wordt gewijzigd door")),
}


@dataclass(frozen=True)
class Related:
    """Another promise this one is related to: the label, and the other's numbers (the
    register's number is None while the other is not in the register)."""

    label: str
    number: str | None
    kamer_number: str | None
    kamer_id: str


def kamer_record_of(commitment_id: int) -> KamerRecord | None:
    return db.session.scalars(
        sa.select(KamerRecord).where(KamerRecord.commitment_id == commitment_id)
    ).one_or_none()


def related_to(commitment_id: int, *, staff: bool = False) -> list[Related]:
    """The relations of a promise in both directions: what it supplements, repeats or changes,
    and what supplements, repeats or changes it. A promise the Kamer deleted (hidden) is left
    out for the public, in both directions; staff, who can open it, see it linked."""
    record = kamer_record_of(commitment_id)
    if record is None:
        return []
    found: list[Related] = []
    outgoing = sa.select(KamerRelation.kind, KamerRelation.target_kamer_id).where(
        KamerRelation.record_id == record.id
    )
    targets = list(db.session.execute(outgoing.order_by(KamerRelation.id)))
    numbers = _numbers([target for _kind, target in targets])
    for kind, target in targets:
        number, kamer_number, hidden = numbers.get(target, (None, None, False))
        if not hidden or staff:
            found.append(Related(str(RELATION_LABELS[kind][0]), number, kamer_number, target))
    incoming = (
        sa.select(
            KamerRelation.kind,
            KamerRecord.kamer_id,
            Commitment.number,
            Commitment.kamer_number,
            Commitment.hidden,
        )
        .join(KamerRecord, KamerRecord.id == KamerRelation.record_id)
        .join(Commitment, Commitment.id == KamerRecord.commitment_id)
        .where(KamerRelation.target_kamer_id == record.kamer_id)
        .order_by(Commitment.number)
    )
    for kind, kamer_id, number, kamer_number, hidden in db.session.execute(incoming):
        if not hidden or staff:
            found.append(Related(str(RELATION_LABELS[kind][1]), number, kamer_number, kamer_id))
    return found


def _numbers(kamer_ids: list[str]) -> dict[str, tuple[str, str | None, bool]]:
    """Per Kamer id of a promise in the register: its number, its Kamer number, and whether
    it is hidden."""
    if not kamer_ids:
        return {}
    statement = (
        sa.select(
            KamerRecord.kamer_id, Commitment.number, Commitment.kamer_number, Commitment.hidden
        )
        .join(Commitment, Commitment.id == KamerRecord.commitment_id)
        .where(KamerRecord.kamer_id.in_(kamer_ids))
    )
    return {
        kamer_id: (number, kamer_number, hidden)
        for kamer_id, number, kamer_number, hidden in db.session.execute(statement)
    }
