"""The data model's own rules: status vocabulary, Kamerstuk ids, constraints the database keeps."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register.models import Commitment, CommitmentStatus, Document, Ministry


@pytest.mark.parametrize(
    ("wording", "status"),
    [
        ("Openstaand", CommitmentStatus.OPEN),
        ("openstaand", CommitmentStatus.OPEN),
        ("Deels voldaan", CommitmentStatus.PARTIALLY_FULFILLED),
        ("Deels afgedaan", CommitmentStatus.PARTIALLY_FULFILLED),
        ("Voldaan", CommitmentStatus.FULFILLED),
        ("Afgedaan", CommitmentStatus.FULFILLED),
        ("Nagekomen", CommitmentStatus.FULFILLED),
        ("Vervallen", CommitmentStatus.WITHDRAWN),
        ("Ingetrokken", CommitmentStatus.WITHDRAWN),
        (" Niet nagekomen ", CommitmentStatus.WITHDRAWN),
    ],
)
def test_kamer_wording_maps_onto_a_status(wording, status):
    assert CommitmentStatus.from_kamer_wording(wording) is status


def test_unknown_kamer_wording_is_refused_in_dutch():
    with pytest.raises(ValueError, match="Onbekende status van de Kamer: 'Misschien'"):
        CommitmentStatus.from_kamer_wording("Misschien")


def test_status_labels_are_dutch():
    assert [status.label for status in CommitmentStatus] == [
        "Openstaand",
        "Deels voldaan",
        "Voldaan",
        "Vervallen",
    ]


@pytest.mark.parametrize(
    ("kamerstuk_id", "dossier", "ondernummer", "label"),
    [
        ("kst-32735-243", "32 735", "243", "32 735, nr. 243"),
        ("kst-21501-02-1628", "21 501-02", "1628", "21 501-02, nr. 1628"),
        ("kst-9999-1", "9 999", "1", "9 999, nr. 1"),
    ],
)
def test_kamerstuk_ids_round_trip(kamerstuk_id, dossier, ondernummer, label):
    assert Document.parse_kamerstuk_id(kamerstuk_id) == (dossier, ondernummer)
    document = Document(dossier_number=dossier, ondernummer=ondernummer, title="Brief")
    assert document.kamerstuk_id == kamerstuk_id
    assert document.kamerstuk_label == label


def test_a_document_outside_a_dossier_has_no_kamerstuk_id():
    assert Document(title="Persbericht").kamerstuk_id is None


@pytest.mark.parametrize("bad", ["32735-243", "kst-abc-1", "kst-32735-", ""])
def test_malformed_kamerstuk_ids_are_refused(bad):
    with pytest.raises(ValueError, match="Geen geldig Kamerstuk-id"):
        Document.parse_kamerstuk_id(bad)


@pytest.mark.parametrize(
    ("status", "deadline", "overdue"),
    [
        (CommitmentStatus.OPEN, dt.date(2019, 6, 29), True),
        (CommitmentStatus.PARTIALLY_FULFILLED, dt.date(2019, 6, 29), True),
        (CommitmentStatus.OPEN, dt.date(2019, 6, 30), False),
        (CommitmentStatus.OPEN, None, False),
        (CommitmentStatus.FULFILLED, dt.date(2019, 1, 1), False),
        (CommitmentStatus.WITHDRAWN, dt.date(2019, 1, 1), False),
    ],
)
def test_overdue_is_derived_from_status_and_deadline(status, deadline, overdue):
    commitment = Commitment(status=status, deadline=deadline)
    assert commitment.is_overdue(dt.date(2019, 6, 30)) is overdue


def test_the_database_refuses_an_unknown_status(create_commitment):
    commitment = create_commitment()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text("UPDATE commitment SET status = 'misschien' WHERE id = :id"),
            {"id": commitment.id},
        )
    db.session.rollback()


def test_numbers_are_unique(create_commitment):
    commitment = create_commitment()
    db.session.commit()
    db.session.add(
        Commitment(
            number=commitment.number,
            title="Dubbel",
            text="Dubbel",
            made_on=dt.date(2019, 1, 1),
            ministry=commitment.ministry,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_ministry_with_promises_cannot_be_deleted(create_commitment):
    commitment = create_commitment()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.delete(Ministry).where(Ministry.id == commitment.ministry_id))
    db.session.rollback()


def test_deleting_an_owner_leaves_the_promise_without_owner(create_commitment, create_user):
    owner = create_user()
    commitment = create_commitment(owner=owner)
    db.session.commit()
    db.session.execute(sa.text("DELETE FROM user_account WHERE id = :id"), {"id": owner.id})
    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).owner is None
