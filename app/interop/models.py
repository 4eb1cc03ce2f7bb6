"""What the register keeps of the Tweede Kamer's own registration of a promise (DESIGN §13).

The promise itself is a ``Commitment``; these rows hold the Kamer's identity for it, the
fields the register has no place for, and what the Kamer last said, so that an export gives
back the records that were imported.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.dbtypes import UTCDateTime
from app.extensions import Base
from app.register.models import Commitment


class KamerRecord(Base):
    """The Tweede Kamer's ``Toezegging`` record behind one promise of the register."""

    __tablename__ = "kamer_record"

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The Kamer's id of the record (``Id``, a GUID in lower case); the key of every import.
    kamer_id: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    #: The promise in the register this record is.
    commitment_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), unique=True
    )
    #: ``Naam`` as the Kamer writes it, e.g. "Herbert, H.G.".
    name: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: ``Initialen``, e.g. "H.G.".
    initials: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    #: ``Voornaam``.
    first_name: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    #: ``Tussenvoegsel``, e.g. "van der".
    infix: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    #: ``Achternaam``.
    surname: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    #: ``Functie``, e.g. "Minister van Economische Zaken en Klimaat".
    function: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: ``Ministerie`` as the Kamer writes it.
    ministry: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: ``Aanmaakdatum`` exactly as the Kamer gave it (ISO 8601 with its offset).
    created_on: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    #: ``ActiviteitNummer``: the debate or meeting, e.g. ``2026A01234``.
    activity_number: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    #: ``KamerbriefNakoming``: the letter that kept the promise, as the Kamer cites it.
    fulfilling_letter: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    #: ``Notities``: the Kamer's own public notes.
    notes: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: ``toegezegdAanPersoon``: the member the promise was made to.
    promised_to_person: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: ``toegezegdAanFractie``: the parliamentary party the promise was made to.
    promised_to_party: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    #: ``Verwijderd``: the Kamer withdrew the record; the promise is hidden but kept.
    deleted: so.Mapped[bool] = so.mapped_column(default=False)
    #: ``GewijzigdOp`` exactly as given; an import only applies a record changed later.
    changed_on: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: ``GewijzigdOp`` as a moment (UTC), to compare and to sync from.
    changed_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), index=True)
    #: ``ApiGewijzigdOp`` exactly as given.
    api_changed_on: so.Mapped[str | None] = so.mapped_column(sa.String(40))

    commitment: so.Mapped[Commitment] = so.relationship()

    def __repr__(self) -> str:
        return f"<KamerRecord {self.kamer_id}>"


class KamerRelation(Base):
    """A promise that supplements, repeats or changes another (``isAanvullingOp``,
    ``isHerhalingVan``, ``isWijzigingVan``), by the Kamer's ids: the other one may come in a
    later import."""

    __tablename__ = "kamer_relation"
    __table_args__ = (
        sa.UniqueConstraint("record_id", "kind", "target_kamer_id", name="uq_kamer_relation"),
    )

    #: Surrogate key.
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The record that names the other.
    record_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("kamer_record.id", ondelete="CASCADE"), index=True
    )
    #: ``aanvulling``, ``herhaling`` or ``wijziging``.
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: The Kamer's id of the other record.
    target_kamer_id: so.Mapped[str] = so.mapped_column(sa.String(36), index=True)

    record: so.Mapped[KamerRecord] = so.relationship()


class KamerSyncState(Base):
    """One row: how far ``flask interop sync`` has read the Kamer's service."""

    __tablename__ = "kamer_sync_state"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    #: Always 1.
    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: The latest ``GewijzigdOp`` stored by a sync; the next one asks for later changes.
    changed_since: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    #: When a sync last finished (UTC).
    finished_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
